package osvmatch_test

import (
	"fmt"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/osvmatch"
)

// An SBOM arrives, then an advisory: the advisory's affected SBOMs exist at
// once, and so do the SBOM's findings.
func ExampleIndex() {
	ix := osvmatch.NewIndex()
	ix.PutSBOM("gateway-4.1", []renkei.Component{
		{PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
		{PURL: "pkg:npm/lodash@4.17.21"},
	})
	_, affected := ix.PutAdvisory(renkei.Advisory{
		ID:       "GHSA-jfh8-c2jp-5v3q",
		Aliases:  []string{"CVE-2021-44228"},
		Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Affected: []renkei.AffectedPackage{{
			Ecosystem: "Maven", Name: "org.apache.logging.log4j:log4j-core",
			Ranges: []renkei.Range{{Type: renkei.RangeEcosystem, Events: []renkei.Event{
				{Introduced: "2.13.0"}, {Fixed: "2.15.0"}}}},
		}},
	})
	ix.PutKEV([]renkei.KEVEntry{{CVE: "CVE-2021-44228"}})
	for _, f := range affected {
		fmt.Println(f.SBOMID, f.Package, f.Version, "fixed in", f.Fixed)
	}
	for _, f := range ix.FindingsForSBOM("gateway-4.1") {
		fmt.Println(f.AdvisoryID, "KEV:", f.KEV)
	}
	// Output:
	// gateway-4.1 org.apache.logging.log4j:log4j-core 2.14.1 fixed in 2.15.0
	// GHSA-jfh8-c2jp-5v3q KEV: true
}

func ExampleCompare() {
	c, _ := osvmatch.Compare("PyPI", "1.0rc1", "1.0")
	d, _ := osvmatch.Compare("Debian", "1.0~rc1-1", "1.0-1")
	m, _ := osvmatch.Compare("Maven", "1.0-SNAPSHOT", "1.0")
	fmt.Println(c, d, m)
	// Output: -1 -1 -1
}
