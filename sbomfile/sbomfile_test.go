package sbomfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
)

func parseFile(t *testing.T, name string) *Result {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Limits{}.ParseBytes(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

func purls(s *renkei.SBOM) []string {
	var out []string
	for _, c := range s.Components {
		out = append(out, c.PURL)
	}
	slices.Sort(out)
	return out
}

func edges(s *renkei.SBOM) []string {
	var out []string
	for _, d := range s.Dependencies {
		out = append(out, d.From+" "+d.Kind+" "+d.To)
	}
	slices.Sort(out)
	return out
}

func TestCycloneDXExamples(t *testing.T) {
	for _, v := range []string{"1.4", "1.5", "1.6"} {
		for _, ext := range []string{"json", "xml"} {
			name := "cyclonedx-" + v + "." + ext
			res := parseFile(t, name)
			s := res.SBOM
			wantFormat := renkei.FormatCycloneDXJSON
			if ext == "xml" {
				wantFormat = renkei.FormatCycloneDXXML
			}
			if s.Format != wantFormat || s.SpecVersion != v {
				t.Errorf("%s: format %s %s", name, s.Format, s.SpecVersion)
			}
			if s.Subject == nil || s.Subject.Name != "renkei-demo-app" || s.Subject.Version != "2.3.0" || s.Name != "renkei-demo-app" {
				t.Errorf("%s: subject %+v", name, s.Subject)
			}
			want := []string{
				"pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
				"pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1",
				"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
				"pkg:npm/%40babel/core@7.22.0",
				"pkg:npm/lodash@4.17.20",
				"pkg:pypi/django@3.2", // purl normalization: pypi names are lower case
			}
			if got := purls(s); !slices.Equal(got, want) {
				t.Errorf("%s: purls\n got %v\nwant %v", name, got, want)
			}
			wantEdges := []string{
				"app depends_on babel", "app depends_on django", "app depends_on lodash",
				"app depends_on log4j", "app depends_on openssl", "babel depends_on lodash",
				"log4j contains log4j-api", "log4j depends_on log4j-api",
			}
			if got := edges(s); !slices.Equal(got, wantEdges) {
				t.Errorf("%s: edges\n got %v\nwant %v", name, got, wantEdges)
			}
			log4j, _ := s.ComponentByRef("log4j")
			if log4j.Ecosystem != "Maven" || log4j.Group != "org.apache.logging.log4j" ||
				!slices.Equal(log4j.CPEs, []string{"cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"}) ||
				!slices.Equal(log4j.Licenses, []string{"Apache-2.0"}) || len(log4j.Hashes) != 1 || log4j.Hashes[0].Algorithm != "SHA-256" {
				t.Errorf("%s: log4j %+v", name, log4j)
			}
			api, _ := s.ComponentByRef("log4j-api")
			if api.Parent != "log4j" {
				t.Errorf("%s: nested component's parent %q", name, api.Parent)
			}
			ssl, _ := s.ComponentByRef("openssl")
			if ssl.Ecosystem != "Debian:12" {
				t.Errorf("%s: openssl ecosystem %q", name, ssl.Ecosystem)
			}
			babel, _ := s.ComponentByRef("babel")
			if !slices.Equal(babel.Licenses, []string{"MIT"}) || babel.Ecosystem != "npm" {
				t.Errorf("%s: babel %+v", name, babel)
			}
			if len(res.Warnings) != 0 {
				t.Errorf("%s: warnings %v", name, res.Warnings)
			}
		}
	}
}

func TestSPDXExamples(t *testing.T) {
	for _, c := range []struct{ file, format, version string }{
		{"spdx-2.2.json", renkei.FormatSPDXJSON, "2.2"},
		{"spdx-2.3.json", renkei.FormatSPDXJSON, "2.3"},
		{"spdx-2.2.spdx", renkei.FormatSPDXTagValue, "2.2"},
		{"spdx-2.3.spdx", renkei.FormatSPDXTagValue, "2.3"},
	} {
		res := parseFile(t, c.file)
		s := res.SBOM
		if s.Format != c.format || s.SpecVersion != c.version || s.Name != "renkei-demo-app-2.3.0" {
			t.Errorf("%s: %s %s %q", c.file, s.Format, s.SpecVersion, s.Name)
		}
		if s.Subject == nil || s.Subject.BOMRef != "SPDXRef-Package-app" {
			t.Errorf("%s: subject %+v", c.file, s.Subject)
		}
		want := []string{
			"pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64&distro=3.18.4",
			"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
			"pkg:pypi/requests@2.30.0",
		}
		if got := purls(s); !slices.Equal(got, want) {
			t.Errorf("%s: purls %v", c.file, got)
		}
		wantEdges := []string{
			"SPDXRef-Package-app contains SPDXRef-Package-busybox",
			"SPDXRef-Package-app depends_on SPDXRef-Package-log4j-core",
			"SPDXRef-Package-app depends_on SPDXRef-Package-requests",
		}
		if got := edges(s); !slices.Equal(got, wantEdges) {
			t.Errorf("%s: edges %v", c.file, got)
		}
		log4j, _ := s.ComponentByRef("SPDXRef-Package-log4j-core")
		if !slices.Equal(log4j.CPEs, []string{"cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"}) ||
			!slices.Equal(log4j.Licenses, []string{"Apache-2.0"}) || len(log4j.Hashes) != 1 || log4j.Ecosystem != "Maven" {
			t.Errorf("%s: log4j %+v", c.file, log4j)
		}
		req, _ := s.ComponentByRef("SPDXRef-Package-requests")
		if !slices.Equal(req.Licenses, []string{"Apache-2.0"}) { // concluded NOASSERTION → declared
			t.Errorf("%s: requests licenses %v", c.file, req.Licenses)
		}
		bb, _ := s.ComponentByRef("SPDXRef-Package-busybox")
		if bb.Ecosystem != "Alpine:v3.18" {
			t.Errorf("%s: busybox ecosystem %q", c.file, bb.Ecosystem)
		}
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"bomFormat":"CycloneDX","specVersion":"1.6"}`, renkei.FormatCycloneDXJSON},
		{"\xef\xbb\xbf  {\"spdxVersion\":\"SPDX-2.3\"}", renkei.FormatSPDXJSON},
		{`<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>`, renkei.FormatCycloneDXXML},
		{"# comment\nSPDXVersion: SPDX-2.3\n", renkei.FormatSPDXTagValue},
		{`{"bomFormat":"CycloneDX", "components": [`, renkei.FormatCycloneDXJSON}, // truncated: detected, then refused by the parse
	} {
		got, err := Detect([]byte(c.in))
		if err != nil || got != c.want {
			t.Errorf("Detect(%.40q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"", "   ", `{"hello":"world"}`, `[1,2]`, `<html></html>`, "PackageName: x\n", "\x00\x01"} {
		if _, err := Detect([]byte(in)); err == nil {
			t.Errorf("Detect(%q): no error", in)
		}
	}
}

func wantKey(t *testing.T, name string, err error, code, key string) *renkei.Error {
	t.Helper()
	var e *renkei.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: err = %v, want %s", name, err, key)
		return nil
	}
	if e.Code != code || e.Key != key {
		t.Errorf("%s: err = %v, want %s %s", name, e, code, key)
	}
	return e
}

func TestRejected(t *testing.T) {
	cdx16, _ := os.ReadFile("testdata/cyclonedx-1.6.json")
	cdx16xml, _ := os.ReadFile("testdata/cyclonedx-1.6.xml")
	spdx23, _ := os.ReadFile("testdata/spdx-2.3.json")
	laughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>&lol3;</name></component></components></bom>`
	xxe := `<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components><component type="library"><name>&xxe;</name></component></components></bom>`
	deepJSON := `{"bomFormat":"CycloneDX","specVersion":"1.6","x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`
	var nested strings.Builder
	nested.WriteString(`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[`)
	for i := range 40 {
		fmt.Fprintf(&nested, `{"type":"library","name":"c%d","components":[`, i)
	}
	nested.WriteString(strings.Repeat("]}", 40) + "]}")
	deepXML := `<bom xmlns="http://cyclonedx.org/schema/bom/1.6">` + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + `</bom>`
	for _, c := range []struct {
		name   string
		in     string
		limits Limits
		code   string
		key    string
	}{
		{"empty", "", Limits{}, renkei.EINVALID, KeyEmpty},
		{"truncated CycloneDX JSON", string(cdx16[:len(cdx16)/2]), Limits{}, renkei.EINVALID, KeyMalformedJSON},
		{"truncated CycloneDX XML", string(cdx16xml[:len(cdx16xml)/2]), Limits{}, renkei.EINVALID, KeyMalformedXML},
		{"truncated SPDX JSON", string(spdx23[:len(spdx23)/2]), Limits{}, renkei.EINVALID, KeyMalformedJSON},
		{"wrong type: components is an object", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":{"name":"x"}}`, Limits{}, renkei.EINVALID, KeyWrongType},
		{"wrong type: name is a number", `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","name":42}]}`, Limits{}, renkei.EINVALID, KeyWrongType},
		{"wrong type: SPDX packages is a string", `{"spdxVersion":"SPDX-2.3","packages":"none"}`, Limits{}, renkei.EINVALID, KeyWrongType},
		{"CycloneDX 1.3", `{"bomFormat":"CycloneDX","specVersion":"1.3","components":[]}`, Limits{}, renkei.EINVALID, KeyVersionUnsupported},
		{"CycloneDX 1.3 XML", `<bom xmlns="http://cyclonedx.org/schema/bom/1.3" version="1"/>`, Limits{}, renkei.EINVALID, KeyVersionUnsupported},
		{"CycloneDX spec version not a string", `{"bomFormat":"CycloneDX","specVersion":1.6}`, Limits{}, renkei.EINVALID, KeyVersionUnsupported},
		{"SPDX 2.1", `{"spdxVersion":"SPDX-2.1","packages":[]}`, Limits{}, renkei.EINVALID, KeyVersionUnsupported},
		{"SPDX 3.0 tag-value", "SPDXVersion: SPDX-3.0\n", Limits{}, renkei.EINVALID, KeyVersionUnsupported},
		{"billion laughs", laughs, Limits{}, renkei.EINVALID, KeyDoctype},
		{"external entity", xxe, Limits{}, renkei.EINVALID, KeyDoctype},
		{"deep JSON", deepJSON, Limits{}, renkei.EINVALID, KeyTooDeep},
		{"deep nested components", nested.String(), Limits{MaxDepth: 30}, renkei.EINVALID, KeyTooDeep},
		{"deep XML", deepXML, Limits{}, renkei.EINVALID, KeyTooDeep},
		{"huge", string(cdx16), Limits{MaxBytes: 1000}, renkei.ETOOLARGE, KeyTooLarge},
		{"too many components", string(cdx16), Limits{MaxComponents: 3}, renkei.EINVALID, KeyTooManyComponents},
		{"too many SPDX packages", string(spdx23), Limits{MaxComponents: 2}, renkei.EINVALID, KeyTooManyComponents},
		{"trailing data", `{"bomFormat":"CycloneDX","specVersion":"1.6"} {}`, Limits{}, renkei.EINVALID, KeyMalformedJSON},
		{"two XML roots", `<bom xmlns="http://cyclonedx.org/schema/bom/1.6"/><bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>`, Limits{}, renkei.EINVALID, KeyMalformedXML},
		{"not UTF-8", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"x\":\"\xff\"}", Limits{}, renkei.EINVALID, KeyNotUTF8},
		{"SPDX tag-value broken", "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nPackageName: a\nPackageName\n", Limits{}, renkei.EINVALID, KeySPDXInvalid},
	} {
		_, err := c.limits.ParseBytes([]byte(c.in))
		wantKey(t, c.name, err, c.code, c.key)
	}
}

// Errors say where: the line of a syntax error and of a wrong type.
func TestErrorsSayWhere(t *testing.T) {
	in := "{\n\"bomFormat\": \"CycloneDX\",\n\"specVersion\": \"1.6\",\n\"components\": [\n{\"type\": \"library\", \"name\": 42}\n]\n}"
	_, err := Limits{}.ParseBytes([]byte(in))
	if e := wantKey(t, "wrong type", err, renkei.EINVALID, KeyWrongType); e != nil {
		if len(e.Args) != 3 || !strings.Contains(fmt.Sprint(e.Args[0]), "name") || e.Args[1] != 5 {
			t.Errorf("wrong type args: %v", e.Args)
		}
	}
	in = "{\n\"bomFormat\": \"CycloneDX\",\n\"specVersion\": \"1.6\",\n\"components\": [\n{\"type\": \"library\" \"name\": \"x\"}\n]\n}"
	_, err = Limits{}.ParseBytes([]byte(in))
	if e := wantKey(t, "syntax", err, renkei.EINVALID, KeyMalformedJSON); e != nil && e.Args[0] != 5 {
		t.Errorf("syntax error line: %v", e.Args)
	}
	in = "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n<components>\n<component type=\"library\"><name>x</nam></component>\n</components></bom>"
	_, err = Limits{}.ParseBytes([]byte(in))
	if e := wantKey(t, "xml", err, renkei.EINVALID, KeyMalformedXML); e != nil && e.Args[0] != 4 {
		t.Errorf("XML error line: %v", e.Args)
	}
}

func TestWarnings(t *testing.T) {
	in := `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
		{"bom-ref":"a","type":"library","name":"a","version":"1","purl":"not a purl"},
		{"bom-ref":"a","type":"library","name":"b","purl":"pkg:npm/b"}],
		"dependencies":[{"ref":"a","dependsOn":["ghost"]}]}`
	res, err := Limits{}.ParseBytes([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, w := range res.Warnings {
		keys = append(keys, w.Key)
	}
	slices.Sort(keys)
	want := []string{KeyComponentNoVersion, KeyDependencyUnknown, KeyDuplicateRef, KeyPURLInvalid}
	if !slices.Equal(keys, want) {
		t.Fatalf("warnings %v, want %v", keys, want)
	}
	if res.SBOM.Components[0].PURL != "" || res.SBOM.Components[1].PURL != "pkg:npm/b" {
		t.Fatalf("components %+v", res.SBOM.Components)
	}
}

// Components without a bom-ref get one so that edges can name them.
func TestGeneratedRefs(t *testing.T) {
	in := `{"bomFormat":"CycloneDX","specVersion":"1.4","components":[{"type":"library","name":"a","version":"1","purl":"pkg:cargo/a@1"},{"type":"library","name":"b","version":"2"}]}`
	res, err := Limits{}.ParseBytes([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	cs := res.SBOM.Components
	if len(cs) != 2 || cs[0].BOMRef == "" || cs[0].BOMRef == cs[1].BOMRef || cs[0].Ecosystem != "crates.io" {
		t.Fatalf("%+v", cs)
	}
}

func TestNormalizePURL(t *testing.T) {
	for in, want := range map[string]string{
		"pkg:NPM/lodash@4.17.21":                          "pkg:npm/lodash@4.17.21",
		"pkg:pypi/Django_Rest@3.0":                        "pkg:pypi/django-rest@3.0",
		"pkg:maven/g/a@1?type=jar&classifier=sources":     "pkg:maven/g/a@1?classifier=sources&type=jar",
		"pkg:npm/@babel/core@7.0.0":                       "pkg:npm/%40babel/core@7.0.0",
		"pkg:golang/github.com/BurntSushi/toml@v1.3.2":    "pkg:golang/github.com/BurntSushi/toml@v1.3.2", // module paths keep their case
		"pkg:GOLANG/github.com/BurntSushi/toml@v1.3.2":    "pkg:golang/github.com/BurntSushi/toml@v1.3.2",
		" pkg:deb/debian/curl@7.88.1-10?distro=debian-12": "pkg:deb/debian/curl@7.88.1-10?distro=debian-12",
	} {
		got, _, err := NormalizePURL(in)
		if err != nil || got != want {
			t.Errorf("NormalizePURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "lodash@1", "pkg:", "pkg:npm/"} {
		if _, _, err := NormalizePURL(bad); err == nil {
			t.Errorf("NormalizePURL(%q): no error", bad)
		}
	}
}

func TestCycloneDXVEX(t *testing.T) {
	res := parseFile(t, "cyclonedx-1.6-vex.json")
	got := map[string]renkei.VEXStatement{}
	for _, s := range res.VEX {
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", s.Vulnerability, err)
		}
		got[s.Vulnerability] = s
	}
	if len(res.VEX) != 4 {
		t.Fatalf("%d statements: %+v", len(res.VEX), res.VEX)
	}
	if s := got["CVE-2021-44228"]; s.Status != renkei.VEXNotAffected || s.Justification != renkei.JustVulnerableCodeNotInExecPath ||
		s.PURL != "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" || s.CPE == "" || s.ImpactStatement == "" ||
		!s.Timestamp.Equal(time.Date(2024, 5, 3, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("not_affected: %+v", s)
	}
	if s := got["CVE-2021-23337"]; s.Status != renkei.VEXAffected || s.ActionStatement != "Upgrade lodash to 4.17.21." || s.PURL != "pkg:npm/lodash@4.17.20" {
		t.Errorf("exploitable: %+v", s)
	}
	if s := got["CVE-2024-90003"]; s.Status != renkei.VEXUnderInvestigation || s.PURL != "" || !strings.HasPrefix(s.ProductID, "urn:cdx:") {
		t.Errorf("in_triage with a BOM-Link: %+v", s)
	}
	if s := got["CVE-2020-28500"]; s.Status != renkei.VEXFixed {
		t.Errorf("resolved: %+v", s)
	}

	x := parseFile(t, "cyclonedx-1.5-vex.xml")
	if len(x.SBOM.Components) != 0 || len(x.VEX) != 2 {
		t.Fatalf("standalone XML VEX: %+v", x.VEX)
	}
	if s := x.VEX[0]; s.Status != renkei.VEXNotAffected || s.ImpactStatement != "The product does not use Spring MVC." {
		t.Errorf("false_positive: %+v", s)
	}
	if s := x.VEX[1]; s.Justification != renkei.JustComponentNotPresent {
		t.Errorf("requires_dependency: %+v", s)
	}
}

// Parse reads no more than the limit from the reader.
func TestParseReaderLimit(t *testing.T) {
	r := &countingReader{r: strings.NewReader(`{"bomFormat":"CycloneDX","specVersion":"1.6","x":"` + strings.Repeat("a", 10000) + `"}`)}
	_, err := Limits{MaxBytes: 100}.Parse(r)
	wantKey(t, "reader over the limit", err, renkei.ETOOLARGE, KeyTooLarge)
	if r.n > 101 {
		t.Fatalf("read %d bytes with a limit of 100", r.n)
	}
	f, _ := os.Open("testdata/cyclonedx-1.5.json")
	defer f.Close()
	if res, err := Parse(f); err != nil || len(res.SBOM.Components) != 6 {
		t.Fatalf("Parse: %v", err)
	}
}

type countingReader struct {
	r interface{ Read([]byte) (int, error) }
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// The component limit is enforced while walking the file, before the
// library decodes anything: elements that would not even decode are
// counted, and the count is what is reported.
func TestComponentLimitBeforeDecoding(t *testing.T) {
	lim := Limits{MaxComponents: 3}
	many := `{"bomFormat":"CycloneDX","specVersion":"1.6","metadata":{"component":{"type":"application","name":"x","components":[{"name":1}]}},"components":[` +
		strings.TrimSuffix(strings.Repeat(`{"name":1},`, 3), ",") + `]}`
	_, err := lim.ParseBytes([]byte(many))
	wantKey(t, "CycloneDX JSON", err, renkei.EINVALID, KeyTooManyComponents)
	xmlMany := `<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>` + strings.Repeat(`<component type="library"><name>a</name></component>`, 4) + `</components></bom>`
	_, err = lim.ParseBytes([]byte(xmlMany))
	wantKey(t, "CycloneDX XML", err, renkei.EINVALID, KeyTooManyComponents)
	tv := "SPDXVersion: SPDX-2.3\n" + strings.Repeat("PackageName: a\nSPDXID: SPDXRef-a\n", 4)
	_, err = lim.ParseBytes([]byte(tv))
	wantKey(t, "SPDX tag-value", err, renkei.EINVALID, KeyTooManyComponents)
	_, err = Limits{MaxRelations: 2}.ParseBytes([]byte("SPDXVersion: SPDX-2.3\n" + strings.Repeat("Relationship: SPDXRef-a DEPENDS_ON SPDXRef-b\n", 3)))
	wantKey(t, "SPDX tag-value relations", err, renkei.EINVALID, KeyTooManyRelations)
	spdx := `{"spdxVersion":"SPDX-2.3","packages":[{"SPDXID":1},{},{},{}]}`
	_, err = lim.ParseBytes([]byte(spdx))
	wantKey(t, "SPDX JSON", err, renkei.EINVALID, KeyTooManyComponents)
	// Arrays under other keys are not counted.
	other := `{"bomFormat":"CycloneDX","specVersion":"1.6","properties":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}],"components":[{"type":"library","name":"a","version":"1"}]}`
	if _, err := lim.ParseBytes([]byte(other)); err != nil {
		t.Errorf("other arrays counted: %v", err)
	}
}
