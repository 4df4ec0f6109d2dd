package osvmatch

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/package-url/packageurl-go"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/internal/osvcorpus"
)

// The differential test: the same SBOMs and the same OSV records given to
// osv-scanner (offline, with a local database laid out as
// <dir>/osv-scalibr/<Ecosystem>/all.zip) and to the Index must give the
// same findings. It runs when osv-scanner is installed (on PATH, or named by
// RENKEI_OSV_SCANNER):
//
//	go install github.com/google/osv-scanner/v2/cmd/osv-scanner@v2.5.0
//
// The corpus is generated (seeded, so every run is the same): eight
// ecosystems, versions with prereleases, post-releases and qualifiers, and
// records with introduced/fixed, last_affected and explicit versions. The
// cases where we read the OSV schema differently from osv-scanner
// (docs/sbom-and-vulnerabilities.md) are kept out of the equality and
// checked by TestDifferentialDepartures.

// The corpus and osv-scanner's runner are shared with cmd/renkei's
// differential test (internal/osvcorpus).
type (
	osvOut       = osvcorpus.Record
	osvOutAffect = osvcorpus.Affected
	osvOutRange  = osvcorpus.Range
)

var (
	diffCorpus     = osvcorpus.Corpus
	writeCycloneDX = osvcorpus.WriteCycloneDX
	writeDB        = osvcorpus.WriteDB
	osvScanner     = osvcorpus.Scanner
	runOSVScanner  = osvcorpus.RunScanner
)

func toAdvisory(rec osvOut) renkei.Advisory {
	a := renkei.Advisory{ID: rec.ID, Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	if rec.Withdrawn != "" {
		a.Withdrawn = a.Modified
	}
	for _, af := range rec.Affected {
		ap := renkei.AffectedPackage{Ecosystem: af.Package["ecosystem"], Name: af.Package["name"], Versions: af.Versions}
		for _, rg := range af.Ranges {
			out := renkei.Range{Type: rg.Type}
			for _, e := range rg.Events {
				out.Events = append(out.Events, renkei.Event{Introduced: e["introduced"], Fixed: e["fixed"],
					LastAffected: e["last_affected"], Limit: e["limit"]})
			}
			ap.Ranges = append(ap.Ranges, out)
		}
		a.Affected = append(a.Affected, ap)
	}
	return a
}

func indexFindings(sboms map[string][]renkei.Component, advs []renkei.Advisory) []string {
	ix := NewIndex()
	for _, a := range advs {
		ix.PutAdvisory(a)
	}
	var lines []string
	for file, cs := range sboms {
		for _, f := range ix.PutSBOM(file, cs) {
			lines = append(lines, strings.Join([]string{file, f.Ecosystem, f.Package, f.Version, f.AdvisoryID}, " "))
		}
	}
	slices.Sort(lines)
	return lines
}

func TestDifferentialOSVScanner(t *testing.T) {
	bin := osvScanner(t)
	dir := t.TempDir()
	sboms, records := diffCorpus()
	writeDB(t, filepath.Join(dir, "db"), records)
	var files []string
	for name, cs := range sboms {
		p := filepath.Join(dir, name)
		writeCycloneDX(t, p, cs)
		files = append(files, p)
	}
	slices.Sort(files)
	var advs []renkei.Advisory
	for _, rs := range records {
		for _, rec := range rs {
			advs = append(advs, toAdvisory(rec))
		}
	}
	theirs := runOSVScanner(t, bin, filepath.Join(dir, "db"), files)
	ours := indexFindings(sboms, advs)
	if len(ours) == 0 {
		t.Fatal("the corpus gives no findings")
	}
	onlyOurs, onlyTheirs := diffLines(ours, theirs)
	for _, l := range onlyOurs {
		t.Errorf("only Renkei: %s", l)
	}
	for _, l := range onlyTheirs {
		t.Errorf("only osv-scanner: %s", l)
	}
	t.Logf("%d findings, %d only ours, %d only osv-scanner's", len(ours), len(onlyOurs), len(onlyTheirs))
}

func diffLines(a, b []string) (onlyA, onlyB []string) {
	inB := map[string]bool{}
	for _, l := range b {
		inB[l] = true
	}
	inA := map[string]bool{}
	for _, l := range a {
		inA[l] = true
		if !inB[l] {
			onlyA = append(onlyA, l)
		}
	}
	for _, l := range b {
		if !inA[l] {
			onlyB = append(onlyB, l)
		}
	}
	return onlyA, onlyB
}

// TestDifferentialDepartures runs the places where
// docs/sbom-and-vulnerabilities.md says our reading of the OSV schema
// differs from osv-scanner's, and checks that osv-scanner does what the
// document predicts. A failure means the document is wrong about
// osv-scanner, not that the matcher is.
func TestDifferentialDepartures(t *testing.T) {
	bin := osvScanner(t)
	type dcase struct {
		doc         string // the item in the document
		eco, name   string // the advisory's package
		group       string // the CycloneDX component's group and name
		cname       string // (default: no group, the advisory's name)
		purl        string
		affected    osvOutAffect
		withdrawn   bool
		ours        bool
		theirs      bool
		unpredicted bool // only logged
	}
	git := osvOutRange{Type: "GIT", Events: []map[string]string{{"introduced": "1111111111111111111111111111111111111111"}}}
	cases := []dcase{
		{doc: "1. limit events", eco: "npm", name: "d-limit", purl: "pkg:npm/d-limit@1.5.0",
			affected: osvOutAffect{Ranges: []osvOutRange{{Type: "SEMVER", Events: []map[string]string{{"introduced": "0"}, {"limit": "1.0.0"}}}}},
			ours:     false, theirs: true},
		{doc: "2. a GIT range before a SEMVER range", eco: "npm", name: "d-git", purl: "pkg:npm/d-git@1.0.0",
			affected: osvOutAffect{Ranges: []osvOutRange{git, {Type: "SEMVER", Events: []map[string]string{{"introduced": "0"}, {"fixed": "2.0.0"}}}}},
			ours:     true, theirs: false},
		{doc: "4. introduced and fixed at one version", eco: "npm", name: "d-tie", purl: "pkg:npm/d-tie@1.0.0",
			affected: osvOutAffect{Ranges: []osvOutRange{{Type: "SEMVER", Events: []map[string]string{{"introduced": "1.0.0"}, {"fixed": "1.0.0"}}}}},
			ours:     false, unpredicted: true},
		{doc: "8. explicit versions without the leading v of a Go version", eco: "Go", name: "github.com/example/vee",
			purl:     "pkg:golang/github.com/example/vee@v1.0.1",
			affected: osvOutAffect{Versions: []string{"1.0.1"}},
			ours:     true, theirs: false},
		{doc: "3. events introduced, introduced, fixed out of order (both: not affected)", eco: "PyPI", name: "d-twointro",
			purl:     "pkg:pypi/d-twointro@1.5",
			affected: osvOutAffect{Ranges: []osvOutRange{{Type: "ECOSYSTEM", Events: []map[string]string{{"introduced": "1.0"}, {"introduced": "2.0"}, {"fixed": "1.2"}}}}},
			ours:     false, theirs: false},
		{doc: "5. a SEMVER range in PyPI, a post-release", eco: "PyPI", name: "d-semrange", purl: "pkg:pypi/d-semrange@1.0.post1",
			affected: osvOutAffect{Ranges: []osvOutRange{{Type: "SEMVER", Events: []map[string]string{{"introduced": "1.0.0"}, {"fixed": "1.0.1"}}}}},
			ours:     false, theirs: true},
		{doc: "6. a fixed version that does not parse (both: not affected)", eco: "PyPI", name: "d-badfix", purl: "pkg:pypi/d-badfix@1.0",
			affected: osvOutAffect{Ranges: []osvOutRange{{Type: "ECOSYSTEM", Events: []map[string]string{{"introduced": "0"}, {"fixed": "not a version!"}}}}},
			ours:     false, theirs: false},
		{doc: "12. a withdrawn record (both: not affected)", eco: "npm", name: "d-withdrawn", purl: "pkg:npm/d-withdrawn@1.0.0",
			affected:  osvOutAffect{Ranges: []osvOutRange{{Type: "SEMVER", Events: []map[string]string{{"introduced": "0"}}}}},
			withdrawn: true, ours: false, theirs: false},
		{doc: "7. a component without a version (both: not affected)", eco: "npm", name: "d-nover", purl: "pkg:npm/d-nover",
			affected: osvOutAffect{Ranges: []osvOutRange{{Type: "SEMVER", Events: []map[string]string{{"introduced": "0"}, {"fixed": "2.0.0"}}}}},
			ours:     false, theirs: false},
		{doc: "9. an advisory's PyPI name not normalized", eco: "PyPI", name: "Example_Parser", purl: "pkg:pypi/example-parser@1.0",
			affected: osvOutAffect{Ranges: []osvOutRange{{Type: "ECOSYSTEM", Events: []map[string]string{{"introduced": "0"}}}}},
			ours:     true, theirs: false},
		{doc: "9. NuGet names in another case", eco: "NuGet", name: "Example.Json", purl: "pkg:nuget/example.json@1.0.0",
			affected: osvOutAffect{Ranges: []osvOutRange{{Type: "ECOSYSTEM", Events: []map[string]string{{"introduced": "0"}}}}},
			ours:     true, theirs: false},
		{doc: "13. a CycloneDX Maven component with group and name", eco: "Maven", name: "org.example:core",
			group: "org.example", cname: "core", purl: "pkg:maven/org.example/core@1.0",
			affected: osvOutAffect{Ranges: []osvOutRange{{Type: "ECOSYSTEM", Events: []map[string]string{{"introduced": "0"}}}}},
			ours:     true, theirs: false},
		{doc: "13. a scoped npm component with group and name", eco: "npm", name: "@scope/widget",
			group: "@scope", cname: "widget", purl: "pkg:npm/%40scope/widget@1.0.1",
			affected: osvOutAffect{Ranges: []osvOutRange{{Type: "SEMVER", Events: []map[string]string{{"introduced": "0"}}}}},
			ours:     true, theirs: false},
	}
	dir := t.TempDir()
	records := map[string][]osvOut{}
	var advs []renkei.Advisory
	var cs []renkei.Component
	for i, c := range cases {
		c.affected.Package = map[string]string{"ecosystem": c.eco, "name": c.name}
		rec := osvOut{ID: fmt.Sprintf("RENKEI-DEP-%d", i+1), Modified: "2024-01-01T00:00:00Z", Affected: []osvOutAffect{c.affected}}
		if c.withdrawn {
			rec.Withdrawn = rec.Modified
		}
		records[c.eco] = append(records[c.eco], rec)
		advs = append(advs, toAdvisory(rec))
		cname := c.cname
		if cname == "" {
			pu, _ := packageurl.FromString(c.purl)
			cname = renkei.PackageNameForPURL(pu.Type, pu.Namespace, pu.Name)
		}
		cs = append(cs, renkei.Component{Group: c.group, Name: cname, PURL: c.purl})
	}
	writeDB(t, filepath.Join(dir, "db"), records)
	file := filepath.Join(dir, "departures.cdx.json")
	writeCycloneDX(t, file, cs)
	theirs := runOSVScanner(t, bin, filepath.Join(dir, "db"), []string{file})
	ours := indexFindings(map[string][]renkei.Component{"departures.cdx.json": cs}, advs)
	has := func(lines []string, id string) bool {
		for _, l := range lines {
			if strings.HasSuffix(l, " "+id) {
				return true
			}
		}
		return false
	}
	for i, c := range cases {
		id := fmt.Sprintf("RENKEI-DEP-%d", i+1)
		o, th := has(ours, id), has(theirs, id)
		t.Logf("%s: Renkei %v, osv-scanner %v", c.doc, o, th)
		if o != c.ours {
			t.Errorf("%s: Renkei says %v, the document says %v", c.doc, o, c.ours)
		}
		if !c.unpredicted && th != c.theirs {
			t.Errorf("%s: osv-scanner says %v, the document predicts %v: update docs/sbom-and-vulnerabilities.md", c.doc, th, c.theirs)
		}
	}
}
