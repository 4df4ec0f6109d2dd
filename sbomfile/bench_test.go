package sbomfile

import (
	"bytes"
	"fmt"
	"testing"
)

// bigCycloneDX is a CycloneDX 1.5 JSON file of n npm components (20,000
// packages, ten versions each), as the ingest figure in
// docs/performance.md uses.
func bigCycloneDX(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"type": "library", "bom-ref": "c%d", "name": "pkg-%d", "version": "1.%d.0", "purl": "pkg:npm/pkg-%d@1.%d.0"}`,
			i, i%20000, i%10, i%20000, i%10)
	}
	b.WriteString("]}")
	return b.Bytes()
}

// BenchmarkParseCycloneDX100k parses a file of 100,000 components: the
// parser's share of ingest.
//
//	go test ./sbomfile -run '^$' -bench ParseCycloneDX100k -benchtime 5x
func BenchmarkParseCycloneDX100k(b *testing.B) {
	file := bigCycloneDX(100_000)
	b.SetBytes(int64(len(file)))
	b.ResetTimer()
	for b.Loop() {
		res, err := (Limits{}).ParseBytes(file)
		if err != nil || len(res.SBOM.Components) != 100_000 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "components/s")
}
