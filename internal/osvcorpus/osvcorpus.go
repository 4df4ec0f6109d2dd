// Package osvcorpus generates the seeded corpus of the differential tests
// against osv-scanner (SBOMs and OSV records over ten ecosystems, with
// prereleases, post-releases and qualifiers), writes it as CycloneDX files
// and as osv-scanner's offline database (<dir>/osv-scalibr/<Ecosystem>/all.zip),
// and runs osv-scanner. osvmatch's and cmd/renkei's differential tests share
// it. Only tests import it.
package osvcorpus

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

	"github.com/package-url/packageurl-go"

	"github.com/renkei/renkei"
)

type Ecosystem struct {
	Eco, PURLType string
	Names         []string
	Versions      []string // ascending in the ecosystem's order
}

var Ecosystems = []Ecosystem{
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

// Distros are the distro qualifiers a deb or apk purl gets, and the
// releases advisories name; "" leaves the purl without one (it then
// matches every release).
var Distros = map[string][]string{
	"deb": {"debian-12", "bookworm", "debian-11", ""},
	"apk": {"3.18.4", "alpine-3.19.1", ""},
}

var Releases = map[string][]string{
	"Debian": {"Debian:12", "Debian:11"},
	"Alpine": {"Alpine:v3.18", "Alpine:v3.19"},
}

func PURL(e Ecosystem, name, version, distro string) string {
	switch e.PURLType {
	case "maven":
		g, a, _ := strings.Cut(name, ":")
		return "pkg:maven/" + g + "/" + a + "@" + version
	case "golang":
		return "pkg:golang/" + name + "@v" + version
	case "npm":
		return "pkg:npm/" + strings.Replace(name, "@", "%40", 1) + "@" + version
	case "deb", "apk":
		ns := map[string]string{"deb": "debian", "apk": "alpine"}[e.PURLType]
		p := "pkg:" + e.PURLType + "/" + ns + "/" + name + "@" + version
		if distro != "" {
			p += "?distro=" + distro
		}
		return p
	}
	return "pkg:" + e.PURLType + "/" + name + "@" + version
}

type Record struct {
	ID        string     `json:"id"`
	Modified  string     `json:"modified"`
	Withdrawn string     `json:"withdrawn,omitempty"`
	Affected  []Affected `json:"affected"`
}

type Affected struct {
	Package  map[string]string `json:"package"`
	Ranges   []Range           `json:"ranges,omitempty"`
	Versions []string          `json:"versions,omitempty"`
}

type Range struct {
	Type   string              `json:"type"`
	Events []map[string]string `json:"events"`
}

// diffCorpus returns SBOMs (file name → components) and records per
// ecosystem.
func Corpus() (map[string][]renkei.Component, map[string][]Record) {
	return Generate(Size{SBOMs: 40, RecordsPerName: 6})
}

// Size scales the corpus: ExtraNames more packages per ecosystem (named
// like the ecosystem's first ones), RecordsPerName records per package,
// SBOMs files (each holds about two thirds of all packages). The zero
// ExtraNames with 40 SBOMs and 6 records per name is Corpus.
type Size struct {
	SBOMs, ExtraNames, RecordsPerName int
}

// names returns the ecosystem's package names, the extra ones included.
func (e Ecosystem) names(extra int) []string {
	out := slices.Clone(e.Names)
	for i := range extra {
		n := fmt.Sprintf("perf-%04d", i)
		switch e.PURLType {
		case "maven":
			n = "org.perf:" + n
		case "golang":
			n = "github.com/perf/" + n
		case "composer":
			n = "perf/" + n
		}
		out = append(out, n)
	}
	return out
}

// Generate returns a seeded corpus of the given size.
func Generate(size Size) (map[string][]renkei.Component, map[string][]Record) {
	r := rand.New(rand.NewPCG(2024, 6))
	records := map[string][]Record{}
	n := 0
	for _, e := range Ecosystems {
		for _, name := range e.names(size.ExtraNames) {
			for range size.RecordsPerName {
				n++
				v := e.Versions
				lo := r.IntN(len(v) - 1)
				hi := lo + 1 + r.IntN(len(v)-1-lo)
				eco := e.Eco
				if rels := Releases[e.Eco]; rels != nil {
					eco = rels[r.IntN(len(rels))]
				}
				af := Affected{Package: map[string]string{"ecosystem": eco, "name": name}}
				typ := "ECOSYSTEM"
				if e.Eco == "npm" || e.Eco == "crates.io" || e.Eco == "Go" {
					typ = "SEMVER"
				}
				switch r.IntN(5) {
				case 0:
					af.Ranges = []Range{{typ, []map[string]string{{"introduced": "0"}, {"fixed": v[hi]}}}}
				case 1:
					af.Ranges = []Range{{typ, []map[string]string{{"introduced": v[lo]}, {"last_affected": v[hi]}}}}
				case 2:
					af.Versions = []string{v[lo], v[hi]}
					if e.Eco == "Go" {
						// As the SBOM writes them: osv-scanner compares
						// explicit versions exactly (departure 8).
						af.Versions = []string{"v" + v[lo], "v" + v[hi]}
					}
				case 3: // two ranges in one events list, unsorted
					mid := lo + (hi-lo)/2
					af.Ranges = []Range{{typ, []map[string]string{{"fixed": v[hi]}, {"introduced": v[lo]}}}}
					if mid > lo && mid < hi {
						af.Ranges = []Range{{typ, []map[string]string{
							{"introduced": v[lo]}, {"fixed": v[mid]}, {"introduced": v[hi]}}}}
					}
				default:
					af.Ranges = []Range{{typ, []map[string]string{{"introduced": v[lo]}, {"fixed": v[hi]}}}}
				}
				records[e.Eco] = append(records[e.Eco], Record{
					ID: fmt.Sprintf("RENKEI-DIFF-%04d", n), Modified: "2024-01-01T00:00:00Z", Affected: []Affected{af},
				})
			}
		}
	}
	sboms := map[string][]renkei.Component{}
	for i := range size.SBOMs {
		var cs []renkei.Component
		for _, e := range Ecosystems {
			for _, name := range e.names(size.ExtraNames) {
				if r.IntN(3) == 0 {
					continue
				}
				// The name as OSV writes it and no group: osv-scanner
				// names a CycloneDX component by its name field alone
				// (a departure checked in TestDifferentialDepartures).
				distro := ""
				if ds := Distros[e.PURLType]; ds != nil {
					distro = ds[r.IntN(len(ds))]
				}
				cs = append(cs, renkei.Component{Name: name, PURL: PURL(e, name, e.Versions[r.IntN(len(e.Versions))], distro)})
			}
		}
		sboms[fmt.Sprintf("sbom-%03d.cdx.json", i)] = cs
	}
	return sboms, records
}

// writeCycloneDX writes the components with the group and name they carry
// and the version as in the purl.
func WriteCycloneDX(t testing.TB, path string, cs []renkei.Component) {
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

func WriteDB(t testing.TB, dir string, records map[string][]Record) {
	t.Helper()
	for _, e := range Ecosystems {
		d := filepath.Join(dir, "osv-scalibr", e.Eco)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(filepath.Join(d, "all.zip"))
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(f)
		for _, rec := range records[e.Eco] {
			w, _ := zw.Create(rec.ID + ".json")
			b, _ := json.Marshal(rec)
			w.Write(b)
		}
		zw.Close()
		f.Close()
	}
}

func Scanner(t testing.TB) string {
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
func RunScanner(t testing.TB, bin, dbDir string, files []string) []string {
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
