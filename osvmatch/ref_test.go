package osvmatch

import (
	"slices"
	"testing"

	"github.com/renkei/renkei"
)

func TestMatchRef(t *testing.T) {
	for _, tc := range []struct {
		c    renkei.Component
		want string
	}{
		{renkei.Component{PURL: "pkg:npm/left-pad@1.0.0"}, "pkg:npm/left-pad@1.0.0"},
		// A purl of an OSV ecosystem goes first: a guessed CPE is not used.
		{renkei.Component{PURL: "pkg:npm/left-pad@1.0.0", CPEs: []string{"cpe:2.3:a:left-pad:left-pad:1.0.0:*:*:*:*:*:*:*"}}, "pkg:npm/left-pad@1.0.0"},
		// A generic purl names no OSV package: the CPE is used.
		{renkei.Component{PURL: "pkg:generic/example/fw@1.9.8", CPEs: []string{"cpe:/o:Example:FW:1.9.8"}}, "cpe:2.3:o:example:fw:1.9.8:*:*:*:*:*:*:*"},
		// The CPE's version is ANY: the component's is put in.
		{renkei.Component{Version: "2.4.1", CPEs: []string{"not a cpe", "cpe:2.3:o:example:fw:*:*:*:*:*:*:*:*"}}, "cpe:2.3:o:example:fw:2.4.1:*:*:*:*:*:*:*"},
		// No version anywhere, or a CPE that says more than a product: nothing to match by.
		{renkei.Component{CPEs: []string{"cpe:2.3:o:example:fw:*:*:*:*:*:*:*:*"}}, ""},
		{renkei.Component{PURL: "pkg:generic/x@1", CPEs: []string{"cpe:2.3:a:example:app:1.0:*:*:*:*:android:*:*"}}, "pkg:generic/x@1"},
		{renkei.Component{Name: "nothing"}, ""},
	} {
		if got := MatchRef(tc.c); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
		// Match gives the same reference and the package read from it.
		ref, pkg, ok := Match(tc.c)
		wantPkg, wantOK := PackageOfRef(tc.want)
		if ref != tc.want || pkg != wantPkg || ok != wantOK {
			t.Errorf("Match(%+v) = %q %+v %v; want %q %+v %v", tc.c, ref, pkg, ok, tc.want, wantPkg, wantOK)
		}
	}
	if p, ok := FromRef("cpe:2.3:o:example:fw:2.4.1:*:*:*:*:*:*:*"); !ok || p != (Package{Ecosystem: renkei.EcoCPE, Name: "o:example:fw", Version: "2.4.1"}) {
		t.Errorf("FromRef: %+v %v", p, ok)
	}
	if _, ok := FromRef("cpe:2.3:o:example:fw:*:*:*:*:*:*:*:*"); ok {
		t.Error("FromRef accepted a CPE without a version")
	}
}

// Products named by CPE are matched both ways like packages: an advisory
// from a vendor's CSAF (explicit version and a range) against SBOM
// components that carry only CPEs, versions compared as dotted numbers.
func TestIndexCPE(t *testing.T) {
	ix := NewIndex()
	ix.PutSBOM("router", []renkei.Component{
		{Name: "firmware", Version: "2.4.1", CPEs: []string{"cpe:2.3:o:example_networks:ex-router_firmware:*:*:*:*:*:*:*:*"}},
		{Name: "web console", Version: "2.10", CPEs: []string{"cpe:2.3:a:example_networks:web_console:2.10:*:*:*:*:*:*:*"}},
		// Matched by its purl, never by its guessed CPE.
		{PURL: "pkg:npm/ex-router-firmware@2.4.1", CPEs: []string{"cpe:2.3:o:example_networks:ex-router_firmware:2.4.1:*:*:*:*:*:*:*"}},
	})
	ix.PutSBOM("old", []renkei.Component{{CPEs: []string{"cpe:/o:Example_Networks:EX-Router_Firmware:1.9.8"}}})
	ix.PutSBOM("fixed", []renkei.Component{{Version: "2.4.5", CPEs: []string{"cpe:2.3:o:example_networks:ex-router_firmware:*:*:*:*:*:*:*:*"}}})
	_, fs := ix.PutAdvisory(renkei.Advisory{ID: "EXJV-2026-000123", Modified: day(1), Affected: []renkei.AffectedPackage{
		{Ecosystem: renkei.EcoCPE, Name: "o:example_networks:ex-router_firmware", Versions: []string{"1.9.8"},
			Ranges: []renkei.Range{rng("ECOSYSTEM", intro("2.0"), fix("2.4.5"))}},
		// 2.10 is after 2.9 as numbers, not before it as text.
		{Ecosystem: renkei.EcoCPE, Name: "a:example_networks:web_console", Ranges: []renkei.Range{rng("ECOSYSTEM", intro("0"), fix("2.9"))}},
	}})
	want := []string{
		"old cpe:2.3:o:example_networks:ex-router_firmware:1.9.8:*:*:*:*:*:*:* EXJV-2026-000123 fixed=",
		"router cpe:2.3:o:example_networks:ex-router_firmware:2.4.1:*:*:*:*:*:*:* EXJV-2026-000123 fixed=2.4.5",
	}
	got := ids(fs)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("findings:\n%v\nwant\n%v", got, want)
	}
	// A later SBOM's CPE component is matched on arrival.
	if fs := ix.PutSBOM("new", []renkei.Component{{Version: "2.0", CPEs: []string{"cpe:2.3:o:example_networks:ex-router_firmware:-:*:*:*:*:*:*:*"}}}); len(fs) != 1 {
		t.Fatalf("new SBOM: %v", ids(fs))
	}
}
