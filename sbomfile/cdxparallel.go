package sbomfile

import (
	"runtime"
	"sync"
	"sync/atomic"

	cdx "github.com/CycloneDX/cyclonedx-go"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// parallelMinComponents is the size from which a CycloneDX JSON file's
// top-level components are decoded in chunks by several goroutines: below
// it, starting them costs more than it saves.
const parallelMinComponents = 4096

// chunkComponents is how many top-level components a chunk holds: a
// caller storing components as they are read gets batches of this size.
const chunkComponents = 2048

// cdxHead is a CycloneDX BOM with its top-level components left out: they
// are decoded apart, element by element, from the spans the walk found.
type cdxHead struct {
	cdx.BOM
	Components skipValue `json:"components"`
}

// skipValue takes a JSON value and keeps nothing of it.
type skipValue struct{}

func (*skipValue) UnmarshalJSON([]byte) error { return nil }

// cdxChunk is a chunk of top-level components, decoded with cyclonedx-go's
// types exactly as a whole-document decode would, with their purls read.
type cdxChunk struct {
	comps  []cdx.Component
	purls  []purlFields
	failed bool
	done   chan struct{}
}

// cyclonedxChunks reads a CycloneDX JSON document whose top-level
// components the walk has delimited: the document without them first,
// then the components in chunks decoded by goroutines, each converted in
// document order (and given to the parser's give) as soon as it and those
// before it are decoded — so a caller storing them works while later ones
// are decoded. done is false, with no error, when a part does not decode:
// the caller then decodes the whole document, whose error says where.
func (p *parser) cyclonedxChunks(b []byte, spans [][2]int64) (done bool, err error) {
	var head cdxHead
	if err := jsonv1.Unmarshal(b, &head); err != nil {
		return false, nil
	}
	if err := p.cdxHead(&head.BOM); err != nil {
		return false, err
	}
	chunks := make([]cdxChunk, (len(spans)+chunkComponents-1)/chunkComponents)
	for i := range chunks {
		chunks[i].done = make(chan struct{})
	}
	// The caller's give runs on this goroutine: leave it a processor.
	workers := runtime.GOMAXPROCS(0)
	if p.give != nil && workers > 1 {
		workers--
	}
	var next atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for !stop.Load() {
				k := int(next.Add(1) - 1)
				if k >= len(chunks) {
					return
				}
				decodeChunk(b, spans[k*chunkComponents:min((k+1)*chunkComponents, len(spans))], &chunks[k])
				close(chunks[k].done)
			}
		})
	}
	defer func() {
		stop.Store(true)
		wg.Wait()
	}()
	for k := range chunks {
		c := &chunks[k]
		<-c.done
		if c.failed {
			return false, nil
		}
		if err := p.cdxComponents(c.comps, c.purls, "", 1); err != nil {
			return false, err
		}
		if err := p.flush(); err != nil {
			return false, err
		}
		chunks[k] = cdxChunk{} // converted: let the collector have it
	}
	return true, p.cdxTail(&head.BOM)
}

// decodeChunk decodes the components of the spans into c. A panic in the
// library is a chunk that does not decode: the whole-document decode then
// says the file is unreadable, as usual.
func decodeChunk(b []byte, spans [][2]int64, c *cdxChunk) {
	defer func() {
		if recover() != nil {
			c.failed = true
		}
	}()
	c.comps = make([]cdx.Component, len(spans))
	c.purls = make([]purlFields, len(spans))
	for i, sp := range spans {
		if err := jsonv1.Unmarshal(b[sp[0]:sp[1]], &c.comps[i]); err != nil {
			c.failed = true
			return
		}
		c.purls[i] = readPURL(c.comps[i].PackageURL)
	}
}
