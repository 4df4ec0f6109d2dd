package sbomfile

import (
	"runtime"
	"sync"

	cdx "github.com/CycloneDX/cyclonedx-go"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// parallelMinComponents is the size from which a CycloneDX JSON file's
// components are decoded by several goroutines: below it, starting them
// costs more than it saves.
const parallelMinComponents = 4096

// cdxHead is a CycloneDX BOM with its top-level components left out: they
// are decoded apart, element by element, from the spans the walk found.
type cdxHead struct {
	cdx.BOM
	Components skipValue `json:"components"`
}

// skipValue takes a JSON value and keeps nothing of it.
type skipValue struct{}

func (*skipValue) UnmarshalJSON([]byte) error { return nil }

// decodeCDXParallel decodes a CycloneDX JSON document whose top-level
// components the walk has delimited: the document without them, then the
// components in as many slices as there are processors, each decoded with
// cyclonedx-go's types exactly as a whole-document decode would and its
// purl read. It reports false on any error, and the caller decodes the
// document whole to tell the error as usual.
func decodeCDXParallel(b []byte, spans [][2]int64) (*cdx.BOM, []purlFields, bool) {
	var head cdxHead
	if err := jsonv1.Unmarshal(b, &head); err != nil {
		return nil, nil, false
	}
	comps := make([]cdx.Component, len(spans))
	purls := make([]purlFields, len(spans))
	workers := runtime.GOMAXPROCS(0)
	per := (len(spans) + workers - 1) / workers
	failed := make([]bool, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*per, min((w+1)*per, len(spans))
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				// A panic in the library is an unreadable file: the
				// whole-document decode then says so as usual.
				if recover() != nil {
					failed[w] = true
				}
			}()
			for i := lo; i < hi; i++ {
				if err := jsonv1.Unmarshal(b[spans[i][0]:spans[i][1]], &comps[i]); err != nil {
					failed[w] = true
					return
				}
				purls[i] = readPURL(comps[i].PackageURL)
			}
		}()
	}
	wg.Wait()
	for _, f := range failed {
		if f {
			return nil, nil, false
		}
	}
	bom := head.BOM
	bom.Components = &comps
	return &bom, purls, true
}
