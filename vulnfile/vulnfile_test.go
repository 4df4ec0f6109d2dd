package vulnfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func wantKey(t *testing.T, name string, err error, key string) {
	t.Helper()
	var e *renkei.Error
	if !errors.As(err, &e) || e.Key != key {
		t.Errorf("%s: err = %v, want %s", name, err, key)
	}
}

func TestParseOSV(t *testing.T) {
	a, err := ParseOSV("GHSA", read(t, "osv/npm/GHSA-r3nk-ei00-0001.json"))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "GHSA-r3nk-ei00-0001" || a.Source != renkei.SourceOSV || !slices.Equal(a.Aliases, []string{"CVE-2024-90001"}) {
		t.Errorf("ids: %+v", a)
	}
	if !a.Modified.Equal(time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)) || !a.Published.Equal(time.Date(2024, 2, 20, 8, 30, 0, 0, time.UTC)) || a.IsWithdrawn() {
		t.Errorf("times: %v %v %v", a.Modified, a.Published, a.Withdrawn)
	}
	if len(a.Severity) != 1 || a.Severity[0].Type != "CVSS_V3" || !strings.HasPrefix(a.Severity[0].Vector, "CVSS:3.1/") || a.MaxLevel() != renkei.CVSSCritical {
		t.Errorf("severity: %+v", a.Severity)
	}
	if len(a.Affected) != 1 {
		t.Fatalf("affected: %+v", a.Affected)
	}
	ap := a.Affected[0]
	if ap.Ecosystem != "npm" || ap.Name != "example-merge" || ap.PURL != "pkg:npm/example-merge" ||
		!slices.Equal(ap.Versions, []string{"1.0.0", "1.2.2"}) || len(ap.Ranges) != 2 {
		t.Errorf("affected: %+v", ap)
	}
	if ap.Ranges[1].Events[1].LastAffected != "2.0.1" || ap.Ranges[0].Events[0].Introduced != "0" {
		t.Errorf("events: %+v", ap.Ranges)
	}
	if len(a.References) != 2 {
		t.Errorf("references: %v", a.References)
	}

	p, err := ParseOSV("PYSEC", read(t, "osv/PyPI/PYSEC-2024-9001.json"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Summary != "Example_Parser 2.x mishandles a header." || p.Affected[0].Ranges[0].Events[2].Limit != "3.0" {
		t.Errorf("PYSEC: %+v", p)
	}
	w, err := ParseOSV("withdrawn", read(t, "osv/withdrawn.json"))
	if err != nil || !w.IsWithdrawn() {
		t.Errorf("withdrawn: %v %v", w.Withdrawn, err)
	}
}

func TestParseOSVRejects(t *testing.T) {
	for _, c := range []struct{ name, in, key string }{
		{"truncated", `{"id":"X","modified":"2024-01-01T00:00:00Z"`, KeyMalformedJSON},
		{"not an object", `[1,2]`, KeyMalformedJSON},
		{"wrong type", `{"id":"X","modified":"2024-01-01T00:00:00Z","affected":{"a":1}}`, KeyMalformedJSON},
		{"no id", `{"modified":"2024-01-01T00:00:00Z"}`, KeyOSVInvalid},
		{"no modified", `{"id":"X"}`, KeyOSVInvalid},
		{"bad modified", `{"id":"X","modified":"yesterday"}`, KeyOSVInvalid},
		{"two fields in one event", `{"id":"X","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0","fixed":"1.0.2"}]}]}]}`, KeyOSVInvalid},
		{"unknown range type", `{"id":"X","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVERISH","events":[{"introduced":"0"}]}]}]}`, KeyOSVInvalid},
		{"deep", `{"id":"X","x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, KeyTooDeep},
		{"trailing", `{"id":"X","modified":"2024-01-01T00:00:00Z"}{}`, KeyMalformedJSON},
	} {
		_, err := ParseOSV(c.name, []byte(c.in))
		wantKey(t, c.name, err, c.key)
	}
	// Kept: a range without introduced, or with both fixed and
	// last_affected; evaluation handles them as the schema says.
	if _, err := ParseOSV("lenient", []byte(`{"id":"X","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"fixed":"1.0.2"}]}]}]}`)); err != nil {
		t.Errorf("range without introduced: %v", err)
	}
}

func TestReadOSVDir(t *testing.T) {
	var names []string
	var bad []string
	err := ReadOSVDir(filepath.Join("testdata", "osv"), func(r Record) error {
		if r.Err != nil {
			bad = append(bad, r.Name)
			return nil
		}
		names = append(names, r.Advisory.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{"PYSEC-2024-9001", "GHSA-r3nk-ei00-0001", "GHSA-r3nk-ei00-0002"}) || !slices.Equal(bad, []string{"broken.json"}) {
		t.Fatalf("names %v, bad %v", names, bad)
	}
}

type zipEntry struct {
	name string
	body []byte
}

func makeZip(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadOSVZip(t *testing.T) {
	z := makeZip(t,
		zipEntry{"GHSA-r3nk-ei00-0001.json", read(t, "osv/npm/GHSA-r3nk-ei00-0001.json")},
		zipEntry{"PYSEC-2024-9001.json", read(t, "osv/PyPI/PYSEC-2024-9001.json")},
		zipEntry{"notes.txt", []byte("skipped")},
		zipEntry{"broken.json", []byte("{")},
	)
	var ids, bad []string
	err := ReadOSVZip(bytes.NewReader(z), int64(len(z)), func(r Record) error {
		if r.Err != nil {
			bad = append(bad, r.Name)
		} else {
			ids = append(ids, r.Advisory.ID)
		}
		return nil
	})
	if err != nil || !slices.Equal(ids, []string{"GHSA-r3nk-ei00-0001", "PYSEC-2024-9001"}) || !slices.Equal(bad, []string{"broken.json"}) {
		t.Fatalf("err %v ids %v bad %v", err, ids, bad)
	}
	// fn's error stops the reading.
	stop := errors.New("stop")
	if err := ReadOSVZip(bytes.NewReader(z), int64(len(z)), func(Record) error { return stop }); err != stop {
		t.Fatalf("stop: %v", err)
	}
}

func TestReadOSVZipRejects(t *testing.T) {
	ok := read(t, "osv/PyPI/PYSEC-2024-9001.json")
	bomb := bytes.Repeat([]byte(" "), 4<<20) // 4 MiB of spaces deflates to a few KiB
	// Over the record limit without a suspicious ratio: letters that do
	// not repeat compress only a little.
	r := rand.New(rand.NewPCG(3, 4))
	huge := []byte(`{"id":"X","modified":"2024-01-01T00:00:00Z","details":"`)
	for len(huge) <= MaxRecordBytes {
		huge = append(huge, byte('a'+r.IntN(26)))
	}
	for _, c := range []struct {
		name string
		zip  []byte
		key  string
	}{
		{"climbs out", makeZip(t, zipEntry{"../evil.json", ok}), KeyZipEntryName},
		{"climbs out deeper", makeZip(t, zipEntry{"a/../../evil.json", ok}), KeyZipEntryName},
		{"absolute", makeZip(t, zipEntry{"/etc/evil.json", ok}), KeyZipEntryName},
		{"backslash", makeZip(t, zipEntry{`a\..\evil.json`, ok}), KeyZipEntryName},
		{"drive letter", makeZip(t, zipEntry{"C:evil.json", ok}), KeyZipEntryName},
		{"compression bomb", makeZip(t, zipEntry{"bomb.json", bomb}), KeyZipRatio},
		{"entry over the record limit", makeZip(t, zipEntry{"huge.json", huge}), KeyZipEntrySize},
		{"not a zip", []byte("PK\x03\x04 but not really"), KeyZipInvalid},
	} {
		err := ReadOSVZip(bytes.NewReader(c.zip), int64(len(c.zip)), func(Record) error { return nil })
		wantKey(t, c.name, err, c.key)
	}
}

func TestParseKEV(t *testing.T) {
	cat, err := ParseKEV(read(t, "kev.json"))
	if err != nil {
		t.Fatal(err)
	}
	if cat.Version != "2024.05.01" || len(cat.Entries) != 2 || cat.ReleasedAt.IsZero() {
		t.Fatalf("catalog: %+v", cat)
	}
	e := cat.Entries[0]
	if e.CVE != "CVE-2021-44228" || !e.KnownRansomware || e.VendorProject != "Apache" ||
		!e.DateAdded.Equal(time.Date(2021, 12, 10, 0, 0, 0, 0, time.UTC)) ||
		!e.DueDate.Equal(time.Date(2021, 12, 24, 0, 0, 0, 0, time.UTC)) || len(e.CWEs) != 3 {
		t.Errorf("entry: %+v", e)
	}
	if cat.Entries[1].KnownRansomware {
		t.Error("Unknown read as known ransomware use")
	}
	for _, c := range []struct{ name, in string }{
		{"no vulnerabilities", `{"title":"x"}`},
		{"count mismatch", `{"count":3,"vulnerabilities":[]}`},
		{"bad CVE", `{"vulnerabilities":[{"cveID":"CVE-21-1","dateAdded":"2021-12-10"}]}`},
		{"no dateAdded", `{"vulnerabilities":[{"cveID":"CVE-2021-44228"}]}`},
		{"bad dueDate", `{"vulnerabilities":[{"cveID":"CVE-2021-44228","dateAdded":"2021-12-10","dueDate":"soon"}]}`},
	} {
		_, err := ParseKEV([]byte(c.in))
		wantKey(t, c.name, err, KeyKEVInvalid)
	}
	_, err = ParseKEV([]byte(`{"vulnerabilities":[{"cveID":5}]}`))
	wantKey(t, "wrong type", err, KeyMalformedJSON)
}

func TestParseCSAF(t *testing.T) {
	res, err := ParseCSAF(read(t, "csaf-advisory.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Advisories) != 2 || len(res.VEX) != 0 {
		t.Fatalf("advisories %d, vex %d", len(res.Advisories), len(res.VEX))
	}
	a := res.Advisories[0]
	if a.ID != "RKSA-2024-0007/CVE-2024-90001" || !slices.Equal(a.Aliases, []string{"CVE-2024-90001"}) ||
		a.Source != renkei.SourceCSAF || !a.Modified.Equal(time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("advisory: %+v", a)
	}
	if a.MaxLevel() != renkei.CVSSCritical || a.Severity[0].Score != 9.8 {
		t.Errorf("severity: %+v", a.Severity)
	}
	// The vers range becomes OSV events; the CPE-only gateway is a
	// product named by its CPE.
	if len(a.Affected) != 2 {
		t.Fatalf("affected: %+v", a.Affected)
	}
	if gw := a.Affected[1]; gw.Ecosystem != renkei.EcoCPE || gw.Name != "h:renkei:gateway" || !slices.Equal(gw.Versions, []string{"4.1"}) {
		t.Errorf("the gateway: %+v", gw)
	}
	ap := a.Affected[0]
	want := renkei.Range{Type: renkei.RangeEcosystem, Events: []renkei.Event{{Introduced: "1.0.0"}, {Fixed: "1.2.3"}}}
	if ap.Ecosystem != "npm" || ap.Name != "example-merge" || len(ap.Ranges) != 1 ||
		!slices.Equal(ap.Ranges[0].Events, want.Events) || ap.Ranges[0].Type != want.Type {
		t.Errorf("affected package: %+v", ap)
	}
	if len(a.Remediations) != 1 || a.Remediations[0].Category != "vendor_fix" ||
		!slices.Equal(a.Remediations[0].PURLs, []string{"pkg:npm/example-merge"}) {
		t.Errorf("remediations: %+v", a.Remediations)
	}
	if len(res.Unmatched) != 0 {
		t.Errorf("unmatched: %+v", res.Unmatched)
	}
	// A relationship's product is its component: the PyPI package.
	b := res.Advisories[1]
	if len(b.Affected) != 1 || b.Affected[0].Ecosystem != "PyPI" || b.Affected[0].Name != "example-parser" ||
		!slices.Equal(b.Affected[0].Versions, []string{"2.3.0"}) {
		t.Errorf("relationship: %+v", b.Affected)
	}
	if b.MaxLevel() != renkei.CVSSHigh { // aggregate_severity "Important"
		t.Errorf("aggregate severity: %q", b.MaxLevel())
	}
}

// Products named by CPE alone, as JVN's advisories name them: a vers
// range with the product's CPE, a version's CPE 2.2 URI (its generic purl
// names no OSV package, so the CPE is used), and a CPE for one target
// hardware, which says more than matching compares and stays unmatched.
func TestParseCSAFCPE(t *testing.T) {
	res, err := ParseCSAF(read(t, "csaf-cpe.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Advisories) != 1 || len(res.Advisories[0].Affected) != 1 {
		t.Fatalf("%+v", res.Advisories)
	}
	ap := res.Advisories[0].Affected[0]
	if ap.Ecosystem != renkei.EcoCPE || ap.Name != "o:example_networks:ex-router_firmware" ||
		!slices.Equal(ap.Versions, []string{"1.9.8"}) || len(ap.Ranges) != 1 ||
		!slices.Equal(ap.Ranges[0].Events, []renkei.Event{{Introduced: "2.0"}, {Fixed: "2.4.5"}}) {
		t.Errorf("affected: %+v", ap)
	}
	if len(res.Unmatched) != 1 || res.Unmatched[0].ProductID != "R-3" || res.Unmatched[0].Reason != "vulnfile.csaf_cpe_qualified" {
		t.Errorf("unmatched: %+v", res.Unmatched)
	}
}

func TestParseCSAFVEX(t *testing.T) {
	res, err := ParseCSAF(read(t, "csaf-vex.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]renkei.VEXStatement{}
	for _, s := range res.VEX {
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", s.ProductID, err)
		}
		got[s.ProductID] = s
	}
	if s := got["GW-4.1"]; s.Status != renkei.VEXNotAffected || s.Justification != renkei.JustVulnerableCodeNotInExecPath ||
		s.ImpactStatement == "" || s.PURL != "pkg:generic/renkei-kogyo/gateway@4.1" || s.Vulnerability != "CVE-2021-44228" {
		t.Errorf("not affected: %+v", s)
	}
	if s := got["GW-4.2"]; s.Status != renkei.VEXFixed {
		t.Errorf("fixed: %+v", s)
	}
	if s := got["LOG4J-2.14.1"]; s.Status != renkei.VEXAffected || s.ActionStatement != "Upgrade to 2.17.1." {
		t.Errorf("affected: %+v", s)
	}
	if s := got["GW-5.0"]; s.Status != renkei.VEXUnderInvestigation || s.PURL != "" {
		t.Errorf("under investigation: %+v", s)
	}
	if len(res.Advisories) != 1 || res.Advisories[0].ID != "RKVEX-2024-0001" {
		t.Errorf("advisories: %+v", res.Advisories)
	}
}

func TestParseCSAFRejects(t *testing.T) {
	for _, c := range []struct{ name, in, key string }{
		{"CSAF 1.2", `{"document":{"csaf_version":"1.2"}}`, KeyCSAFVersion},
		{"no tracking id", `{"document":{"csaf_version":"2.0","tracking":{"current_release_date":"2024-01-01T00:00:00Z"}}}`, KeyCSAFInvalid},
		{"no release date", `{"document":{"csaf_version":"2.0","tracking":{"id":"X"}}}`, KeyCSAFInvalid},
		{"unknown product", `{"document":{"csaf_version":"2.0","tracking":{"id":"X","current_release_date":"2024-01-01T00:00:00Z"}},"vulnerabilities":[{"product_status":{"known_affected":["nope"]}}]}`, KeyCSAFInvalid},
		{"wrong type", `{"document":{"csaf_version":"2.0"},"vulnerabilities":{}}`, KeyMalformedJSON},
	} {
		_, err := ParseCSAF([]byte(c.in))
		wantKey(t, c.name, err, c.key)
	}
}

func TestParseVers(t *testing.T) {
	ev := func(es ...renkei.Event) []renkei.Event { return es }
	for _, c := range []struct {
		in       string
		ranges   [][]renkei.Event
		versions []string
	}{
		{"vers:npm/>=1.0.0|<1.2.3", [][]renkei.Event{ev(renkei.Event{Introduced: "1.0.0"}, renkei.Event{Fixed: "1.2.3"})}, nil},
		{"vers:npm/<1.2.3", [][]renkei.Event{ev(renkei.Event{Introduced: "0"}, renkei.Event{Fixed: "1.2.3"})}, nil},
		{"vers:pypi/>=2.0|<=2.4", [][]renkei.Event{ev(renkei.Event{Introduced: "2.0"}, renkei.Event{LastAffected: "2.4"})}, nil},
		{"vers:npm/>=1.0.0|<1.0.5|>=2.0.0|<2.1.0", [][]renkei.Event{
			ev(renkei.Event{Introduced: "1.0.0"}, renkei.Event{Fixed: "1.0.5"}),
			ev(renkei.Event{Introduced: "2.0.0"}, renkei.Event{Fixed: "2.1.0"})}, nil},
		{"vers:maven/>=2.0|<2.5|3.0.1", [][]renkei.Event{ev(renkei.Event{Introduced: "2.0"}, renkei.Event{Fixed: "2.5"})}, []string{"3.0.1"}},
		{"vers:gem/=1.2.3", nil, []string{"1.2.3"}},
		{"vers:deb/*", [][]renkei.Event{ev(renkei.Event{Introduced: "0"})}, nil},
		{"vers:npm/>=3.0.0", [][]renkei.Event{ev(renkei.Event{Introduced: "3.0.0"})}, nil},
		{"vers:npm/1.0.0%2Bbuild", nil, []string{"1.0.0+build"}},
	} {
		vr, err := ParseVers(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		var got [][]renkei.Event
		for _, r := range vr.Ranges {
			got = append(got, r.Events)
		}
		if !slices.EqualFunc(got, c.ranges, func(a, b []renkei.Event) bool { return slices.Equal(a, b) }) || !slices.Equal(vr.Versions, c.versions) {
			t.Errorf("%s: ranges %v versions %v", c.in, got, vr.Versions)
		}
	}
	for in, key := range map[string]string{
		"npm/>=1.0.0":              KeyVersInvalid,
		"vers:npm":                 KeyVersInvalid,
		"vers:npm/":                KeyVersInvalid,
		"vers:npm/>=":              KeyVersInvalid,
		"vers:npm/>1.0.0":          KeyVersUnsupported,
		"vers:npm/!=1.0.0":         KeyVersUnsupported,
		"vers:npm/>=1.0.0|>=2.0.0": KeyVersUnsupported,
	} {
		_, err := ParseVers(in)
		wantKey(t, in, err, key)
	}
}

func TestParseOpenVEX(t *testing.T) {
	sts, err := ParseOpenVEX(read(t, "openvex-0.2.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 4 {
		t.Fatalf("%d statements: %+v", len(sts), sts)
	}
	if s := sts[0]; s.Vulnerability != "CVE-2021-44228" || s.Status != renkei.VEXNotAffected ||
		s.PURL != "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" || s.ProductID != "pkg:generic/renkei-kogyo/gateway@4.1" ||
		!s.Timestamp.Equal(time.Date(2024, 5, 4, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("subcomponent: %+v", s)
	}
	if s := sts[1]; s.Status != renkei.VEXAffected || s.PURL != "pkg:npm/lodash@4.17.20" || s.CPE == "" || s.ActionStatement == "" ||
		!s.Timestamp.Equal(time.Date(2024, 5, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("identifiers: %+v", s)
	}
	if sts[2].PURL != "pkg:npm/example-merge@1.2.2" || sts[3].PURL != "pkg:npm/example-merge@1.2.3" || sts[3].Status != renkei.VEXUnderInvestigation {
		t.Errorf("two products: %+v %+v", sts[2], sts[3])
	}
	old, err := ParseOpenVEX(read(t, "openvex-0.0.2.json"))
	if err != nil || len(old) != 1 || old[0].Vulnerability != "CVE-2022-42889" || old[0].Status != renkei.VEXFixed ||
		old[0].PURL != "pkg:maven/org.apache.commons/commons-text@1.9" {
		t.Fatalf("v0.0.2: %+v %v", old, err)
	}
	for _, c := range []struct{ name, in, key string }{
		{"not OpenVEX", `{"@context":"https://example.com","statements":[]}`, KeyOpenVEXInvalid},
		{"no vulnerability", `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"products":["pkg:npm/a@1"],"status":"fixed"}]}`, KeyOpenVEXInvalid},
		{"no products", `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-2024-1"},"status":"fixed"}]}`, KeyOpenVEXInvalid},
		{"bad timestamp", `{"@context":"https://openvex.dev/ns/v0.2.0","timestamp":"soon","statements":[]}`, KeyOpenVEXInvalid},
		{"not_affected without justification", `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-2024-1"},"products":[{"@id":"pkg:npm/a@1"}],"status":"not_affected"}]}`, "error.invalid_fields"},
		{"unknown status", `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-2024-1"},"products":[{"@id":"pkg:npm/a@1"}],"status":"maybe"}]}`, "error.invalid_fields"},
		{"wrong type", `{"@context":"https://openvex.dev/ns/v0.2.0","statements":{}}`, KeyMalformedJSON},
	} {
		_, err := ParseOpenVEX([]byte(c.in))
		wantKey(t, c.name, err, c.key)
	}
}

func TestDetect(t *testing.T) {
	z := makeZip(t, zipEntry{"A.json", read(t, "osv/PyPI/PYSEC-2024-9001.json")})
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"osv", read(t, "osv/npm/GHSA-r3nk-ei00-0001.json"), KindOSV},
		{"csaf", read(t, "csaf-advisory.json"), KindCSAF},
		{"csaf vex", read(t, "csaf-vex.json"), KindCSAF},
		{"kev", read(t, "kev.json"), KindKEV},
		{"openvex", read(t, "openvex-0.2.0.json"), KindOpenVEX},
		{"openvex 0.0.2", read(t, "openvex-0.0.2.json"), KindOpenVEX},
		{"zip", z, KindZip},
	} {
		got, err := Detect(c.in)
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v", c.name, got, err)
		}
	}
	for _, in := range []string{`{"hello":"world"}`, `[1]`, `{"@context":"https://schema.org"}`, `not json`} {
		_, err := Detect([]byte(in))
		if err == nil {
			t.Errorf("Detect(%q): no error", in)
		}
	}
}
