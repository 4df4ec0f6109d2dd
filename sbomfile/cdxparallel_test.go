package sbomfile

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/renkei/renkei"
)

// parseBothWays parses b with the top-level components decoded in
// parallel and whole, and fails unless both give the same result or the
// same error.
func parseBothWays(t *testing.T, l Limits, b []byte) (*Result, error) {
	t.Helper()
	par, seq := l, l
	par.parallelFrom, seq.parallelFrom = 1, math.MaxInt
	rp, errp := par.ParseBytes(b)
	rs, errs := seq.ParseBytes(b)
	if fmt.Sprint(errp) != fmt.Sprint(errs) {
		t.Fatalf("parallel error %v, whole %v", errp, errs)
	}
	if !reflect.DeepEqual(rp, rs) {
		t.Fatalf("parallel and whole decodes differ:\n%+v\n%+v", rp, rs)
	}
	// Streamed: the batches given are the result's components, in order.
	var given []renkei.Component
	rg, errg := par.ParseStream(b, func(batch []renkei.Component) error {
		given = append(given, batch...)
		return nil
	})
	if fmt.Sprint(errg) != fmt.Sprint(errp) || !reflect.DeepEqual(rg, rp) {
		t.Fatalf("streamed %v %+v, parsed %v %+v", errg, rg, errp, rp)
	}
	if errg == nil && !reflect.DeepEqual(given, rg.SBOM.Components) && (len(given) > 0 || len(rg.SBOM.Components) > 0) {
		t.Fatalf("given %d components, the result holds %d", len(given), len(rg.SBOM.Components))
	}
	return rp, errp
}

// generatedCycloneDX is a document with what the conversion treats apart:
// a subject with nested components, nested components, purls that do not
// parse, components without a version or a bom-ref, a duplicate ref,
// dependencies (one to nowhere) and a vulnerability with an analysis.
func generatedCycloneDX(n int, extra string) []byte {
	var b strings.Builder
	b.WriteString(`{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
		"metadata":{"component":{"type":"application","bom-ref":"app","name":"app","version":"1",
			"components":[{"type":"library","bom-ref":"sub","name":"sub","version":"2","purl":"pkg:pypi/Sub@2"}]}},
		"components":[`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n  ")
		}
		switch i % 7 {
		case 0:
			fmt.Fprintf(&b, `{"type":"library","bom-ref":"c%d","name":"p%d","version":"1.%d.0","purl":"pkg:npm/%%40s/p%d@1.%d.0",
				"components":[{"type":"library","bom-ref":"n%d","name":"n%d","purl":"pkg:golang/github.com/Ex/N%d@v0.%d.0"}]}`, i, i, i%10, i, i%10, i, i, i, i)
		case 1:
			fmt.Fprintf(&b, `{"type":"library","bom-ref":"c%d","name":"bad%d","version":"1","purl":"not a purl %d"}`, i, i, i)
		case 2:
			fmt.Fprintf(&b, `{"type":"library","name":"noref%d","purl":"pkg:deb/debian/x%d@1.0-%d?distro=debian-12"}`, i, i, i)
		case 3:
			b.WriteString(`{"type":"library","bom-ref":"c0","name":"dup","version":"1"}`)
		default:
			fmt.Fprintf(&b, `{"type":"library","bom-ref":"c%d","name":"p%d","version":"2.%d","purl":"pkg:maven/org.ex/p%d@2.%d","cpe":"cpe:2.3:a:ex:p%d:2.%d:*:*:*:*:*:*:*",
				"hashes":[{"alg":"SHA-256","content":"%064x"}],"licenses":[{"license":{"id":"MIT"}}]}`, i, i, i%3, i, i%3, i, i%3, i)
		}
	}
	b.WriteString(`],
		"dependencies":[{"ref":"app","dependsOn":["c0","c4"]},{"ref":"c5","dependsOn":["ghost"]}],
		"vulnerabilities":[{"id":"CVE-2099-0001","analysis":{"state":"not_affected","justification":"code_not_reachable"},"affects":[{"ref":"c4"}]}]` + extra + `}`)
	return []byte(b.String())
}

func TestCycloneDXParallelDecodeSameAsWhole(t *testing.T) {
	const n = 5000
	b := generatedCycloneDX(n, "")
	facts, err := scanJSON(b, Limits{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if len(facts.spans) != n {
		t.Fatalf("%d spans for %d top-level components", len(facts.spans), n)
	}
	res, err := parseBothWays(t, Limits{}, b)
	if err != nil {
		t.Fatal(err)
	}
	// n top-level, one nested in every seventh, the subject's nested one.
	if want := n + (n+6)/7 + 1; len(res.SBOM.Components) != want || len(res.Warnings) == 0 || len(res.VEX) != 1 {
		t.Fatalf("%d components (want %d), %d warnings, %d VEX", len(res.SBOM.Components), want, len(res.Warnings), len(res.VEX))
	}
	// With the default limit the file is read in chunks, each given as
	// it is read; an error from the taker stops the parse.
	batches := 0
	if _, err := (Limits{}).ParseStream(b, func([]renkei.Component) error { batches++; return nil }); err != nil || batches < n/chunkComponents {
		t.Fatalf("%d batches, %v", batches, err)
	}
	stop := errors.New("full")
	if _, err := (Limits{}).ParseStream(b, func([]renkei.Component) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("the taker's error: %v", err)
	}

	// Broken files: the parallel decode gives way to the whole one, whose
	// error names the place.
	for name, in := range map[string][]byte{
		"wrong type deep in the list": []byte(strings.Replace(string(b), `"name":"p4001"`, `"name":4001`, 1)),
		"wrong type in the head":      generatedCycloneDX(10, `,"serialNumber":5`),
		"components twice":            generatedCycloneDX(10, `,"components":[{"type":"library","name":"z","version":"1"}]`),
		"an element not an object":    []byte(strings.Replace(string(b), `{"type":"library","bom-ref":"c0","name":"dup","version":"1"}`, `"dup"`, 1)),
	} {
		t.Run(name, func(t *testing.T) {
			res, err := parseBothWays(t, Limits{}, in)
			if name == "components twice" {
				// Read whole, as before (the decoder merges the
				// second list into the first).
				if err != nil || res.SBOM.Components[1].Name != "z" {
					t.Fatalf("%v %+v", err, res)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

// The examples and the committed fuzz seeds read the same both ways.
func TestCycloneDXParallelDecodeExamples(t *testing.T) {
	files, _ := filepath.Glob("testdata/cyclonedx-*.json")
	if len(files) < 3 {
		t.Fatalf("examples %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parseBothWays(t, Limits{}, b); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
}

// A panic in the taker is the taker's: it is not turned into "the file
// cannot be read".
func TestParseStreamTakerPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "the store's bug" {
			t.Fatalf("recovered %v", r)
		}
	}()
	_, err := Limits{}.ParseStream(generatedCycloneDX(10, ""), func([]renkei.Component) error { panic("the store's bug") })
	t.Fatalf("ParseStream returned %v", err)
}
