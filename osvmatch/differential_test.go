package osvmatch

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/package-url/packageurl-go"

	"github.com/renkei/renkei"
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

type diffEco struct {
	eco, purlType string
	names         []string
	versions      []string // ascending in the ecosystem's order
}

var diffEcos = []diffEco{
	{"npm", "npm", []string{"left-pad", "@scope/widget", "express-like", "tiny-merge"},
		[]string{"0.9.0", "1.0.0-alpha.1", "1.0.0-beta.2", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0-beta.1", "1.1.0", "2.0.0"}},
	{"PyPI", "pypi", []string{"requests-like", "example-parser", "django-thing"},
		[]string{"0.9", "1.0.dev1", "1.0a1", "1.0rc1", "1.0", "1.0.post1", "1.0.1", "1.1", "2.0"}},
	{"Maven", "maven", []string{"org.example:core", "org.example:web", "com.acme:util"},
		[]string{"1.0-alpha-1", "1.0-beta-1", "1.0-RC1", "1.0-SNAPSHOT", "1.0", "1.0.1", "1.1.0.RELEASE", "1.2-jre", "2.0"}},
	{"Go", "golang", []string{"github.com/example/mod", "golang.org/x/example"},
		[]string{"0.0.0-20200101000000-abcdefabcdef", "0.1.0", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "2.0.0+incompatible"}},
	{"crates.io", "cargo", []string{"tokio-like", "serde-thing"},
		[]string{"0.1.0", "0.9.9", "1.0.0-alpha", "1.0.0", "1.0.1", "1.1.0"}},
	{"RubyGems", "gem", []string{"rails-like", "nokogiri-thing"},
		[]string{"0.9", "1.0.0.pre", "1.0.0.rc1", "1.0.0", "1.0.1", "1.1"}},
	{"NuGet", "nuget", []string{"Example.Json", "Acme.Http"},
		[]string{"0.9.0", "1.0.0-beta", "1.0.0", "1.0.0.1", "1.0.1", "1.1.0"}},
	{"Packagist", "composer", []string{"example/http", "acme/kernel"},
		[]string{"0.9.0", "1.0.0-beta1", "1.0.0-RC1", "1.0.0", "1.0.0-p1", "1.0.1", "1.1.0"}},
	{"Debian", "deb", []string{"openssl-like", "libexample"},
		[]string{"1.0-1", "1.0-1+deb12u1", "1.0-2", "1.0.1~rc1-1", "1.0.1-1", "2.0~beta1-1", "2.0-1", "1:0.9-1"}},
	{"Alpine", "apk", []string{"busybox-like", "musl-thing"},
		[]string{"1.0_rc1-r0", "1.0-r0", "1.0-r1", "1.0_p1-r0", "1.0.1-r0", "1.1-r0", "2.0-r0"}},
}

// diffDistros are the distro qualifiers a deb or apk purl gets, and the
// releases advisories name; "" leaves the purl without one (it then
// matches every release).
var diffDistros = map[string][]string{
	"deb": {"debian-12", "bookworm", "debian-11", ""},
	"apk": {"3.18.4", "alpine-3.19.1", ""},
}

var diffReleases = map[string][]string{
	"Debian": {"Debian:12", "Debian:11"},
	"Alpine": {"Alpine:v3.18", "Alpine:v3.19"},
}

func diffPURL(e diffEco, name, version, distro string) string {
	switch e.purlType {
	case "maven":
		g, a, _ := strings.Cut(name, ":")
		return "pkg:maven/" + g + "/" + a + "@" + version
	case "golang":
		return "pkg:golang/" + name + "@v" + version
	case "npm":
		return "pkg:npm/" + strings.Replace(name, "@", "%40", 1) + "@" + version
	case "deb", "apk":
		ns := map[string]string{"deb": "debian", "apk": "alpine"}[e.purlType]
		p := "pkg:" + e.purlType + "/" + ns + "/" + name + "@" + version
		if distro != "" {
			p += "?distro=" + distro
		}
		return p
	}
	return "pkg:" + e.purlType + "/" + name + "@" + version
}

type osvOut struct {
	ID        string         `json:"id"`
	Modified  string         `json:"modified"`
	Withdrawn string         `json:"withdrawn,omitempty"`
	Affected  []osvOutAffect `json:"affected"`
}

type osvOutAffect struct {
	Package  map[string]string `json:"package"`
	Ranges   []osvOutRange     `json:"ranges,omitempty"`
	Versions []string          `json:"versions,omitempty"`
}

type osvOutRange struct {
	Type   string              `json:"type"`
	Events []map[string]string `json:"events"`
}

// diffCorpus returns SBOMs (file name → components) and records per
// ecosystem.
func diffCorpus() (map[string][]renkei.Component, map[string][]osvOut) {
	r := rand.New(rand.NewPCG(2024, 6))
	records := map[string][]osvOut{}
	n := 0
	for _, e := range diffEcos {
		for _, name := range e.names {
			for range 6 {
				n++
				v := e.versions
				lo := r.IntN(len(v) - 1)
				hi := lo + 1 + r.IntN(len(v)-1-lo)
				eco := e.eco
				if rels := diffReleases[e.eco]; rels != nil {
					eco = rels[r.IntN(len(rels))]
				}
				af := osvOutAffect{Package: map[string]string{"ecosystem": eco, "name": name}}
				typ := "ECOSYSTEM"
				if e.eco == "npm" || e.eco == "crates.io" || e.eco == "Go" {
					typ = "SEMVER"
				}
				switch r.IntN(5) {
				case 0:
					af.Ranges = []osvOutRange{{typ, []map[string]string{{"introduced": "0"}, {"fixed": v[hi]}}}}
				case 1:
					af.Ranges = []osvOutRange{{typ, []map[string]string{{"introduced": v[lo]}, {"last_affected": v[hi]}}}}
				case 2:
					af.Versions = []string{v[lo], v[hi]}
					if e.eco == "Go" {
						// As the SBOM writes them: osv-scanner compares
						// explicit versions exactly (departure 8).
						af.Versions = []string{"v" + v[lo], "v" + v[hi]}
					}
				case 3: // two ranges in one events list, unsorted
					mid := lo + (hi-lo)/2
					af.Ranges = []osvOutRange{{typ, []map[string]string{{"fixed": v[hi]}, {"introduced": v[lo]}}}}
					if mid > lo && mid < hi {
						af.Ranges = []osvOutRange{{typ, []map[string]string{
							{"introduced": v[lo]}, {"fixed": v[mid]}, {"introduced": v[hi]}}}}
					}
				default:
					af.Ranges = []osvOutRange{{typ, []map[string]string{{"introduced": v[lo]}, {"fixed": v[hi]}}}}
				}
				records[e.eco] = append(records[e.eco], osvOut{
					ID: fmt.Sprintf("RENKEI-DIFF-%04d", n), Modified: "2024-01-01T00:00:00Z", Affected: []osvOutAffect{af},
				})
			}
		}
	}
	sboms := map[string][]renkei.Component{}
	for i := range 40 {
		var cs []renkei.Component
		for _, e := range diffEcos {
			for _, name := range e.names {
				if r.IntN(3) == 0 {
					continue
				}
				// The name as OSV writes it and no group: osv-scanner
				// names a CycloneDX component by its name field alone
				// (a departure checked in TestDifferentialDepartures).
				distro := ""
				if ds := diffDistros[e.purlType]; ds != nil {
					distro = ds[r.IntN(len(ds))]
				}
				cs = append(cs, renkei.Component{Name: name, PURL: diffPURL(e, name, e.versions[r.IntN(len(e.versions))], distro)})
			}
		}
		sboms[fmt.Sprintf("sbom-%02d.cdx.json", i)] = cs
	}
	return sboms, records
}

// writeCycloneDX writes the components with the group and name they carry
// and the version as in the purl.
func writeCycloneDX(t *testing.T, path string, cs []renkei.Component) {
	t.Helper()
	type comp struct {
		BOMRef  string `json:"bom-ref"`
		Type    string `json:"type"`
		Group   string `json:"group,omitempty"`
		Name    string `json:"name"`
		Version string `json:"version"`
		PURL    string `json:"purl"`
	}
	doc := struct {
		BOMFormat   string `json:"bomFormat"`
		SpecVersion string `json:"specVersion"`
		Version     int    `json:"version"`
		Components  []comp `json:"components"`
	}{"CycloneDX", "1.5", 1, nil}
	for i, c := range cs {
		pu, err := packageurl.FromString(c.PURL)
		if err != nil {
			t.Fatal(err)
		}
		doc.Components = append(doc.Components, comp{fmt.Sprintf("c%d", i), "library", c.Group, c.Name, pu.Version, c.PURL})
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeDB(t *testing.T, dir string, records map[string][]osvOut) {
	t.Helper()
	for _, e := range diffEcos {
		d := filepath.Join(dir, "osv-scalibr", e.eco)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(filepath.Join(d, "all.zip"))
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(f)
		for _, rec := range records[e.eco] {
			w, _ := zw.Create(rec.ID + ".json")
			b, _ := json.Marshal(rec)
			w.Write(b)
		}
		zw.Close()
		f.Close()
	}
}

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

func osvScanner(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("RENKEI_OSV_SCANNER"); p != "" {
		return p
	}
	p, err := exec.LookPath("osv-scanner")
	if err != nil {
		if home, _ := os.UserHomeDir(); home != "" {
			if _, err := os.Stat(filepath.Join(home, "go", "bin", "osv-scanner")); err == nil {
				return filepath.Join(home, "go", "bin", "osv-scanner")
			}
		}
		t.Skip("osv-scanner is not installed (go install github.com/google/osv-scanner/v2/cmd/osv-scanner@v2.5.0)")
	}
	return p
}

// runOSVScanner returns osv-scanner's findings as "file ecosystem name
// version advisory" lines.
func runOSVScanner(t *testing.T, bin, dbDir string, files []string) []string {
	t.Helper()
	args := []string{"scan", "source", "--offline", "--local-db-path=" + dbDir, "--format=json"}
	for _, f := range files {
		args = append(args, "-L", f)
	}
	cmd := exec.Command(bin, args...)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		t.Fatalf("osv-scanner: %v\n%s", err, ee.Stderr)
	}
	var res struct {
		Results []struct {
			Source struct {
				Path string `json:"path"`
			} `json:"source"`
			Packages []struct {
				Package struct {
					Name      string `json:"name"`
					Version   string `json:"version"`
					Ecosystem string `json:"ecosystem"`
				} `json:"package"`
				Vulnerabilities []struct {
					ID string `json:"id"`
				} `json:"vulnerabilities"`
			} `json:"packages"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("osv-scanner output: %v\n%.2000s", err, out)
	}
	var lines []string
	for _, r := range res.Results {
		for _, p := range r.Packages {
			for _, v := range p.Vulnerabilities {
				lines = append(lines, strings.Join([]string{filepath.Base(r.Source.Path), p.Package.Ecosystem,
					renkei.NormalizePackageName(p.Package.Ecosystem, p.Package.Name),
					renkei.NormalizeVersion(p.Package.Ecosystem, p.Package.Version), v.ID}, " "))
			}
		}
	}
	slices.Sort(lines)
	return slices.Compact(lines)
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
	git := osvOutRange{"GIT", []map[string]string{{"introduced": "1111111111111111111111111111111111111111"}}}
	cases := []dcase{
		{doc: "1. limit events", eco: "npm", name: "d-limit", purl: "pkg:npm/d-limit@1.5.0",
			affected: osvOutAffect{Ranges: []osvOutRange{{"SEMVER", []map[string]string{{"introduced": "0"}, {"limit": "1.0.0"}}}}},
			ours:     false, theirs: true},
		{doc: "2. a GIT range before a SEMVER range", eco: "npm", name: "d-git", purl: "pkg:npm/d-git@1.0.0",
			affected: osvOutAffect{Ranges: []osvOutRange{git, {"SEMVER", []map[string]string{{"introduced": "0"}, {"fixed": "2.0.0"}}}}},
			ours:     true, theirs: false},
		{doc: "4. introduced and fixed at one version", eco: "npm", name: "d-tie", purl: "pkg:npm/d-tie@1.0.0",
			affected: osvOutAffect{Ranges: []osvOutRange{{"SEMVER", []map[string]string{{"introduced": "1.0.0"}, {"fixed": "1.0.0"}}}}},
			ours:     false, unpredicted: true},
		{doc: "8. explicit versions without the leading v of a Go version", eco: "Go", name: "github.com/example/vee",
			purl:     "pkg:golang/github.com/example/vee@v1.0.1",
			affected: osvOutAffect{Versions: []string{"1.0.1"}},
			ours:     true, theirs: false},
		{doc: "3. events introduced, introduced, fixed out of order (both: not affected)", eco: "PyPI", name: "d-twointro",
			purl:     "pkg:pypi/d-twointro@1.5",
			affected: osvOutAffect{Ranges: []osvOutRange{{"ECOSYSTEM", []map[string]string{{"introduced": "1.0"}, {"introduced": "2.0"}, {"fixed": "1.2"}}}}},
			ours:     false, theirs: false},
		{doc: "5. a SEMVER range in PyPI, a post-release", eco: "PyPI", name: "d-semrange", purl: "pkg:pypi/d-semrange@1.0.post1",
			affected: osvOutAffect{Ranges: []osvOutRange{{"SEMVER", []map[string]string{{"introduced": "1.0.0"}, {"fixed": "1.0.1"}}}}},
			ours:     false, theirs: true},
		{doc: "6. a fixed version that does not parse (both: not affected)", eco: "PyPI", name: "d-badfix", purl: "pkg:pypi/d-badfix@1.0",
			affected: osvOutAffect{Ranges: []osvOutRange{{"ECOSYSTEM", []map[string]string{{"introduced": "0"}, {"fixed": "not a version!"}}}}},
			ours:     false, theirs: false},
		{doc: "12. a withdrawn record (both: not affected)", eco: "npm", name: "d-withdrawn", purl: "pkg:npm/d-withdrawn@1.0.0",
			affected:  osvOutAffect{Ranges: []osvOutRange{{"SEMVER", []map[string]string{{"introduced": "0"}}}}},
			withdrawn: true, ours: false, theirs: false},
		{doc: "7. a component without a version (both: not affected)", eco: "npm", name: "d-nover", purl: "pkg:npm/d-nover",
			affected: osvOutAffect{Ranges: []osvOutRange{{"SEMVER", []map[string]string{{"introduced": "0"}, {"fixed": "2.0.0"}}}}},
			ours:     false, theirs: false},
		{doc: "9. an advisory's PyPI name not normalized", eco: "PyPI", name: "Example_Parser", purl: "pkg:pypi/example-parser@1.0",
			affected: osvOutAffect{Ranges: []osvOutRange{{"ECOSYSTEM", []map[string]string{{"introduced": "0"}}}}},
			ours:     true, theirs: false},
		{doc: "9. NuGet names in another case", eco: "NuGet", name: "Example.Json", purl: "pkg:nuget/example.json@1.0.0",
			affected: osvOutAffect{Ranges: []osvOutRange{{"ECOSYSTEM", []map[string]string{{"introduced": "0"}}}}},
			ours:     true, theirs: false},
		{doc: "13. a CycloneDX Maven component with group and name", eco: "Maven", name: "org.example:core",
			group: "org.example", cname: "core", purl: "pkg:maven/org.example/core@1.0",
			affected: osvOutAffect{Ranges: []osvOutRange{{"ECOSYSTEM", []map[string]string{{"introduced": "0"}}}}},
			ours:     true, theirs: false},
		{doc: "13. a scoped npm component with group and name", eco: "npm", name: "@scope/widget",
			group: "@scope", cname: "widget", purl: "pkg:npm/%40scope/widget@1.0.1",
			affected: osvOutAffect{Ranges: []osvOutRange{{"SEMVER", []map[string]string{{"introduced": "0"}}}}},
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
