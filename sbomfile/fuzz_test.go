package sbomfile

import (
	"testing"

	"github.com/renkei/renkei"
)

// fuzzLimits keep each run small.
var fuzzLimits = Limits{MaxBytes: 1 << 20, MaxComponents: 1000, MaxDepth: 32, MaxRelations: 10000}

// fuzzParse checks what must hold for any input: no panic escapes, the
// result is an SBOM of the expected format or a coded error, and a parsed
// SBOM's edges join components it holds.
func fuzzParse(t *testing.T, b []byte, format string) {
	res, err := fuzzLimits.ParseBytes(b)
	if err != nil {
		if renkei.ErrorCode(err) == renkei.EINTERNAL {
			t.Fatalf("uncoded error: %v", err)
		}
		return
	}
	s := res.SBOM
	if s.Format == "" || s.SpecVersion == "" {
		t.Fatalf("format %q version %q", s.Format, s.SpecVersion)
	}
	if format != "" && s.Format != format {
		return // the fuzzer turned one format into another; fine
	}
	if len(s.Components) > fuzzLimits.MaxComponents {
		t.Fatalf("%d components over the limit", len(s.Components))
	}
	for _, d := range s.Dependencies {
		if _, ok := s.ComponentByRef(d.From); !ok {
			t.Fatalf("edge from unknown %q", d.From)
		}
		if _, ok := s.ComponentByRef(d.To); !ok {
			t.Fatalf("edge to unknown %q", d.To)
		}
	}
	for _, c := range s.Components {
		if c.BOMRef == "" {
			t.Fatal("component without a ref")
		}
	}
}

func FuzzCycloneDXJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzParse(t, b, renkei.FormatCycloneDXJSON)
		parseBothWays(t, fuzzLimits, b)
	})
}

func FuzzCycloneDXXML(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) { fuzzParse(t, b, renkei.FormatCycloneDXXML) })
}

func FuzzSPDXJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) { fuzzParse(t, b, renkei.FormatSPDXJSON) })
}

func FuzzSPDXTagValue(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) { fuzzParse(t, b, renkei.FormatSPDXTagValue) })
}
