// Command exportbench measures partnerio on 100,000 generated partners, in
// a process of its own so that its peak RSS can be read with
// /usr/bin/time -v:
//
//	go build -o /tmp/exportbench ./partnerio/internal/exportbench
//	/usr/bin/time -v /tmp/exportbench -format xlsx -out /tmp/partners.xlsx
//	/usr/bin/time -v /tmp/exportbench -read /tmp/partners.xlsx
//
// The export pulls partners from a generator one at a time, the way the
// web layer pages through storage, so the figures are those of the writer.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/renkei/renkei/partnerio"
	"github.com/renkei/renkei/partnerio/internal/partnergen"
)

func main() {
	n := flag.Int("n", 100_000, "partners to export")
	format := flag.String("format", "xlsx", "xlsx, csv (UTF-8) or sjis (Shift_JIS CSV)")
	out := flag.String("out", "", "file to write (default: discard)")
	read := flag.String("read", "", "instead of exporting, read this file with partnerio.Read")
	flag.Parse()

	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()

	start := time.Now()
	var err error
	var what string
	if *read != "" {
		var f *os.File
		if f, err = os.Open(*read); err == nil {
			ct := partnerio.ContentTypeCSV
			if strings.HasSuffix(*read, ".xlsx") {
				ct = partnerio.ContentTypeXLSX
			}
			rows, errs, rerr := partnerio.Read(f, ct, 1<<30)
			f.Close()
			err = rerr
			what = fmt.Sprintf("read %d rows, %d errors", len(rows), len(errs))
		}
	} else {
		var w io.Writer = io.Discard
		if *out != "" {
			f, cerr := os.Create(*out)
			if cerr != nil {
				fmt.Fprintln(os.Stderr, cerr)
				os.Exit(1)
			}
			defer f.Close()
			w = f
		}
		src := partnergen.Source(*n)
		switch *format {
		case "xlsx":
			err = partnerio.WriteXLSX(w, src, "ja")
		case "csv":
			err = partnerio.WriteCSV(w, src, "ja", partnerio.EncodingUTF8)
		case "sjis":
			err = partnerio.WriteCSV(w, src, "ja", partnerio.EncodingShiftJIS)
		default:
			err = fmt.Errorf("unknown format %q", *format)
		}
		what = fmt.Sprintf("wrote %d partners as %s", *n, *format)
	}
	elapsed := time.Since(start)
	close(done)
	wg.Wait()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Printf("%s in %.2fs; peak heap in use %.1f MiB; Go runtime Sys %.1f MiB\n",
		what, elapsed.Seconds(), float64(peak)/(1<<20), float64(m.Sys)/(1<<20))
}
