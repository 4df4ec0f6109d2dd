package partnerio

import (
	"bytes"
	"io"
	"sync"
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/partnerio/internal/partnergen"
)

const benchN = 100_000

var bench struct {
	once     sync.Once
	partners []renkei.Partner
	files    map[string][]byte
}

// benchData generates 100,000 partners and their exports once.
func benchData(b *testing.B) ([]renkei.Partner, map[string][]byte) {
	b.Helper()
	bench.once.Do(func() {
		bench.partners = make([]renkei.Partner, benchN)
		for i := range bench.partners {
			bench.partners[i] = partnergen.Partner(i)
		}
		bench.files = map[string][]byte{}
		for _, enc := range []string{EncodingUTF8, EncodingShiftJIS} {
			var buf bytes.Buffer
			if err := WriteCSV(&buf, SliceSource(bench.partners), "ja", enc); err != nil {
				panic(err)
			}
			bench.files[enc] = buf.Bytes()
		}
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, SliceSource(bench.partners), "ja"); err != nil {
			panic(err)
		}
		bench.files["xlsx"] = buf.Bytes()
	})
	return bench.partners, bench.files
}

func benchRead(b *testing.B, data []byte, ct string) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rows, errs, err := Read(bytes.NewReader(data), ct, 1<<30)
		if err != nil || len(errs) != 0 || len(rows) != benchN {
			b.Fatalf("err %v, %d errors, %d rows", err, len(errs), len(rows))
		}
	}
	b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
}

// BenchmarkRead100kCSV reads a 100,000-partner export (every column) in
// UTF-8 and in Shift_JIS.
func BenchmarkRead100kCSV(b *testing.B) {
	_, files := benchData(b)
	b.Run("utf-8", func(b *testing.B) { benchRead(b, files[EncodingUTF8], ContentTypeCSV) })
	b.Run("shift_jis", func(b *testing.B) { benchRead(b, files[EncodingShiftJIS], ContentTypeCSV) })
}

func BenchmarkRead100kXLSX(b *testing.B) {
	_, files := benchData(b)
	benchRead(b, files["xlsx"], ContentTypeXLSX)
}

// BenchmarkWriteXLSX100k exports 100,000 partners with the stream writer.
// Memory is measured in a process of its own, by internal/exportbench:
// here the benchmark's 100,000 partners in memory would hide it.
func BenchmarkWriteXLSX100k(b *testing.B) {
	ps, _ := benchData(b)
	b.ReportAllocs()
	var n int64
	for b.Loop() {
		var c countingWriter
		if err := WriteXLSX(&c, SliceSource(ps), "ja"); err != nil {
			b.Fatal(err)
		}
		n = c.n
	}
	b.ReportMetric(float64(n)/(1<<20), "file-MB")
}

func BenchmarkWriteCSV100k(b *testing.B) {
	ps, _ := benchData(b)
	for _, enc := range []string{EncodingUTF8, EncodingShiftJIS} {
		b.Run(enc, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteCSV(io.Discard, SliceSource(ps), "ja", enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}
