package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// osvRecord is a small OSV record for one npm package.
func osvRecord(id, modified, pkg, introduced, fixed string, aliases ...string) string {
	al, _ := json.Marshal(aliases)
	return fmt.Sprintf(`{"id":%q,"modified":%q,"aliases":%s,"summary":"test","database_specific":{"severity":"HIGH"},
"affected":[{"package":{"ecosystem":"npm","name":%q},"ranges":[{"type":"SEMVER","events":[{"introduced":%q},{"fixed":%q}]}]}]}`,
		id, modified, al, pkg, introduced, fixed)
}

// cdx writes a CycloneDX 1.5 JSON SBOM of npm packages ("name@version").
func cdx(t *testing.T, path string, pkgs ...string) string {
	t.Helper()
	var comps []string
	for i, p := range pkgs {
		name, ver, _ := strings.Cut(p, "@")
		comps = append(comps, fmt.Sprintf(`{"type":"library","bom-ref":"c%d","name":%q,"version":%q,"purl":"pkg:npm/%s@%s"}`, i, name, ver, name, ver))
	}
	writeFile(t, path, `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[`+strings.Join(comps, ",")+`]}`)
	return path
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeZip(t *testing.T, path string, entries map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range entries {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// jsonLines decodes one JSON object per line.
func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON line: %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// keys renders the named fields of each line.
func keys(lines []map[string]any, fields ...string) []string {
	var out []string
	for _, m := range lines {
		var parts []string
		for _, f := range fields {
			parts = append(parts, fmt.Sprint(m[f]))
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out
}

const kevCatalog = `{"title":"CISA Catalog of Known Exploited Vulnerabilities","catalogVersion":"2024.06.01","dateReleased":"2024-06-01T00:00:00.000Z","count":1,
"vulnerabilities":[{"cveID":"CVE-2024-0002","vendorProject":"x","product":"minimist","vulnerabilityName":"proto pollution","dateAdded":"2024-06-01","shortDescription":"d","requiredAction":"update","dueDate":"2024-06-22","knownRansomwareCampaignUse":"Unknown","notes":""}]}`

func TestSBOMCommands(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		env := map[string]string{"RENKEI_DB": dsn}
		must := func(r cmdResult, what string) cmdResult {
			t.Helper()
			if r.code != 0 {
				t.Fatalf("%s: %+v", what, r)
			}
			return r
		}
		// Vulnerability data: a file, a directory, a zip and the KEV catalog.
		writeFile(t, filepath.Join(dir, "osv", "GHSA-1111.json"), osvRecord("GHSA-1111", "2024-01-01T00:00:00Z", "lodash", "0", "4.17.21", "CVE-2024-0001"))
		writeFile(t, filepath.Join(dir, "tree", "a", "GHSA-2222.json"), osvRecord("GHSA-2222", "2024-01-01T00:00:00Z", "minimist", "1.0.0", "1.2.9", "CVE-2024-0002"))
		writeFile(t, filepath.Join(dir, "tree", "b", "GHSA-3333.json"), osvRecord("GHSA-3333", "2024-01-01T00:00:00Z", "express", "4.0.0", "4.19.2"))
		writeZip(t, filepath.Join(dir, "all.zip"), map[string]string{
			"GHSA-4444.json": osvRecord("GHSA-4444", "2024-01-01T00:00:00Z", "@scope/widget", "0", "2.0.0"),
			"README.txt":     "not a record",
		})
		writeFile(t, filepath.Join(dir, "kev.json"), kevCatalog)
		r := must(renkeiCmd(t, env, "", "vulndb", "import", filepath.Join(dir, "osv", "GHSA-1111.json"), filepath.Join(dir, "tree"), filepath.Join(dir, "all.zip"), filepath.Join(dir, "kev.json")), "vulndb import")
		if !strings.Contains(r.stdout, "4 read, 4 added") || !strings.Contains(r.stdout, "kev: 1 entries") {
			t.Fatalf("vulndb import counts: %q", r.stdout)
		}
		r = must(renkeiCmd(t, env, "", "vulndb", "import", filepath.Join(dir, "tree")), "again")
		if !strings.Contains(r.stdout, "0 added, 0 replaced, 2 unchanged") {
			t.Fatalf("same data again: %q", r.stdout)
		}

		must(renkeiCmd(t, env, "", "org", "create", "--name", "連携工業", "--slug", "renkei-kogyo"), "org")
		must(renkeiCmd(t, env, "", "org", "create", "--name", "Other", "--slug", "other"), "org")
		app := cdx(t, filepath.Join(dir, "app.cdx.json"), "lodash@4.17.20", "minimist@1.2.8", "express@4.19.2")
		fw := cdx(t, filepath.Join(dir, "fw.cdx.json"), "lodash@4.17.21", "@scope/widget@1.5.0")
		r = must(renkeiCmd(t, env, "", "sbom", "import", "--org", "renkei-kogyo", "--product", "App", "--version", "1.0", app), "sbom import")
		if !strings.Contains(r.stdout, "imported 1 SBOM(s), 3 components") || !strings.Contains(r.stdout, "2 finding(s)") {
			t.Fatalf("sbom import: %q", r.stdout)
		}
		must(renkeiCmd(t, env, "", "sbom", "import", "--org", "renkei-kogyo", "--product", "Firmware", "--version", "2.0", fw, app), "two files")
		must(renkeiCmd(t, env, "", "sbom", "import", "--org", "other", "--product", "Theirs", "--version", "9", app), "other org")

		r = must(renkeiCmd(t, env, "", "sbom", "affected", "--org", "renkei-kogyo", "--advisory", "CVE-2024-0001"), "affected")
		got := keys(jsonLines(t, r.stdout), "product", "version", "purl", "advisory", "fixed", "severity", "kev", "partner")
		want := []string{
			"App 1.0 pkg:npm/lodash@4.17.20 GHSA-1111 4.17.21 high false ",
			"Firmware 2.0 pkg:npm/lodash@4.17.20 GHSA-1111 4.17.21 high false ",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("affected by CVE:\n got %q\nwant %q", got, want)
		}
		r = must(renkeiCmd(t, env, "", "sbom", "affected", "--org", "renkei-kogyo", "--purl", "pkg:npm/minimist@1.2.8", "--db", dsn), "by purl")
		got = keys(jsonLines(t, r.stdout), "product", "purl", "advisory", "kev", "component")
		want = []string{"App pkg:npm/minimist@1.2.8 GHSA-2222 true minimist", "Firmware pkg:npm/minimist@1.2.8 GHSA-2222 true minimist"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("affected by purl:\n got %q\nwant %q", got, want)
		}
		r = must(renkeiCmd(t, env, "", "sbom", "affected", "--org", "other", "--advisory", "GHSA-4444"), "nothing")
		if r.stdout != "" {
			t.Fatalf("the other organization has no widget: %q", r.stdout)
		}

		// A new advisory: the affected products exist at once.
		writeFile(t, filepath.Join(dir, "new.json"), osvRecord("GHSA-5555", "2024-02-01T00:00:00Z", "express", "4.19.0", "4.19.3"))
		must(renkeiCmd(t, env, "", "vulndb", "import", filepath.Join(dir, "new.json")), "new advisory")
		r = must(renkeiCmd(t, env, "", "sbom", "affected", "--org", "other", "--advisory", "GHSA-5555"), "new")
		if got := keys(jsonLines(t, r.stdout), "product", "purl"); fmt.Sprint(got) != "[Theirs pkg:npm/express@4.19.2]" {
			t.Fatalf("new advisory's affected: %q", got)
		}

		// Scan: the path as given, nothing stored.
		wd, _ := os.Getwd()
		rel, err := filepath.Rel(wd, fw)
		if err != nil {
			t.Fatal(err)
		}
		r = must(renkeiCmd(t, env, "", "sbom", "scan", rel), "scan")
		got = keys(jsonLines(t, r.stdout), "file", "purl", "advisory", "fixed")
		if fmt.Sprint(got) != fmt.Sprint([]string{rel + " pkg:npm/%40scope/widget@1.5.0 GHSA-4444 2.0.0"}) {
			t.Fatalf("scan: %q", got)
		}
		before := must(renkeiCmd(t, env, "", "sbom", "affected", "--org", "renkei-kogyo", "--purl", "pkg:npm/lodash"), "before").stdout

		// Bad files change nothing and say where.
		bad := filepath.Join(dir, "bad.json")
		writeFile(t, bad, `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[`)
		r = renkeiCmd(t, env, "", "sbom", "import", "--org", "renkei-kogyo", "--product", "App", "--version", "1.0", bad)
		if r.code != 1 || !strings.Contains(r.stderr, bad+":") || !strings.Contains(r.stderr, "line") {
			t.Fatalf("bad SBOM: %+v", r)
		}
		r = renkeiCmd(t, env, "", "sbom", "import", "--org", "renkei-kogyo", "--product", "App", "--version", "1.0", cdx(t, filepath.Join(dir, "empty.json")), bad)
		if r.code != 1 {
			t.Fatalf("a good and a bad file: %+v", r)
		}
		r = renkeiCmd(t, env, "", "sbom", "scan", fw, bad)
		if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, bad) {
			t.Fatalf("scan of a bad file: %+v", r)
		}
		r = renkeiCmd(t, env, "", "sbom", "import", "--org", "nobody", "--product", "App", "--version", "1.0", app)
		if r.code != 1 || !strings.Contains(r.stderr, "nobody") {
			t.Fatalf("unknown org: %+v", r)
		}
		r = renkeiCmd(t, env, "", "sbom", "import", "--org", "renkei-kogyo", "--partner", "not-a-partner", "--product", "App", "--version", "1.0", app)
		if r.code != 1 || !strings.Contains(r.stderr, "--partner") {
			t.Fatalf("unknown partner: %+v", r)
		}
		writeZip(t, filepath.Join(dir, "bad.zip"), map[string]string{
			"GHSA-6666.json": osvRecord("GHSA-6666", "2024-01-01T00:00:00Z", "lodash", "0", "9.9.9"),
			"broken.json":    `{"id":"GHSA-7777"}`,
		})
		r = renkeiCmd(t, env, "", "vulndb", "import", filepath.Join(dir, "new.json"), filepath.Join(dir, "bad.zip"))
		if r.code != 1 || !strings.Contains(r.stderr, "bad.zip") || !strings.Contains(r.stderr, "broken.json") {
			t.Fatalf("zip with a bad record: %+v", r)
		}
		r = renkeiCmd(t, env, "", "vulndb", "import", bad)
		if r.code != 1 || !strings.Contains(r.stderr, bad) {
			t.Fatalf("not vulnerability data: %+v", r)
		}
		after := must(renkeiCmd(t, env, "", "sbom", "affected", "--org", "renkei-kogyo", "--purl", "pkg:npm/lodash"), "after").stdout
		if after != before {
			t.Fatalf("bad files changed something:\n%s\n%s", before, after)
		}
		r = must(renkeiCmd(t, env, "", "vulndb", "import", "--skip-invalid", filepath.Join(dir, "bad.zip")), "skip invalid")
		if !strings.Contains(r.stdout, "1 added") || !strings.Contains(r.stdout, "1 skipped") || !strings.Contains(r.stderr, "broken.json") {
			t.Fatalf("--skip-invalid: %+v", r)
		}

		// Re-importing a product version replaces its SBOMs.
		must(renkeiCmd(t, env, "", "sbom", "import", "--org", "renkei-kogyo", "--product", "Firmware", "--version", "2.0", cdx(t, filepath.Join(dir, "clean.json"), "lodash@4.17.21")), "replace")
		r = must(renkeiCmd(t, env, "", "sbom", "affected", "--org", "renkei-kogyo", "--advisory", "GHSA-1111"), "after replace")
		if got := keys(jsonLines(t, r.stdout), "product"); fmt.Sprint(got) != "[App]" {
			t.Fatalf("after replacing Firmware's SBOMs: %q", got)
		}

		// Usage mistakes.
		for _, args := range [][]string{
			{"sbom", "affected", "--org", "renkei-kogyo"},
			{"sbom", "affected", "--org", "renkei-kogyo", "--advisory", "X", "--purl", "pkg:npm/a"},
			{"sbom", "scan"},
			{"vulndb", "import"},
			{"sbom", "import", "--product", "A", "--version", "1", app},
		} {
			if r := renkeiCmd(t, env, "", args...); r.code != 2 {
				t.Fatalf("%v: %+v", args, r)
			}
		}
	})
}

// TestSBOMCommandsCSAFAndSPDX imports a CSAF 2.0 advisory (a vers range)
// and an SPDX tag-value SBOM, and finds one in the other.
func TestSBOMCommandsCSAFAndSPDX(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		env := map[string]string{"RENKEI_DB": dsn}
		importTestdata(t, env, "csaf-advisory.json", "2 read, 2 added")
		spdx, err := os.ReadFile(filepath.Join("..", "..", "sbomfile", "testdata", "spdx-2.3.spdx"))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "gateway.spdx")
		writeFile(t, file, strings.Replace(string(spdx), "pkg:pypi/requests@2.30.0", "pkg:npm/example-merge@1.2.0", 1))
		if r := renkeiCmd(t, env, "", "org", "create", "--name", "連携工業", "--slug", "renkei-kogyo"); r.code != 0 {
			t.Fatal(r)
		}
		if r := renkeiCmd(t, env, "", "sbom", "import", "--org", "renkei-kogyo", "--product", "Gateway", "--version", "3", file); r.code != 0 {
			t.Fatalf("SPDX import: %+v", r)
		}
		r := renkeiCmd(t, env, "", "sbom", "affected", "--org", "renkei-kogyo", "--advisory", "CVE-2024-90001")
		got := keys(jsonLines(t, r.stdout), "product", "version", "purl", "advisory", "fixed")
		if r.code != 0 || fmt.Sprint(got) != "[Gateway 3 pkg:npm/example-merge@1.2.0 RKSA-2024-0007/CVE-2024-90001 1.2.3]" {
			t.Fatalf("affected by the CSAF advisory: %q %+v", got, r)
		}
		r = renkeiCmd(t, env, "", "sbom", "scan", file)
		got = keys(jsonLines(t, r.stdout), "purl", "advisory")
		if r.code != 0 || fmt.Sprint(got) != "[pkg:npm/example-merge@1.2.0 RKSA-2024-0007/CVE-2024-90001]" {
			t.Fatalf("scan: %q %+v", got, r)
		}
	})
}

// TestSBOMCommandsCPE imports a CSAF advisory that names products by CPE
// alone (as JVN's do) and a CycloneDX SBOM whose firmware components carry
// only CPEs, and finds one in the other, by advisory, by CPE and by scan.
func TestSBOMCommandsCPE(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		env := map[string]string{"RENKEI_DB": dsn}
		importTestdata(t, env, "csaf-cpe.json", "1 read, 1 added")
		file := filepath.Join(dir, "router.cdx.json")
		writeFile(t, file, `{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
			{"type": "firmware", "bom-ref": "fw", "name": "EX-Router firmware", "version": "2.4.1",
			 "cpe": "cpe:2.3:o:example_networks:ex-router_firmware:*:*:*:*:*:*:*:*"},
			{"type": "firmware", "bom-ref": "fw-new", "name": "EX-Router firmware", "version": "2.4.5",
			 "cpe": "cpe:2.3:o:example_networks:ex-router_firmware:2.4.5:*:*:*:*:*:*:*"}]}`)
		if r := renkeiCmd(t, env, "", "org", "create", "--name", "連携工業", "--slug", "renkei-kogyo"); r.code != 0 {
			t.Fatal(r)
		}
		if r := renkeiCmd(t, env, "", "sbom", "import", "--org", "renkei-kogyo", "--product", "EX-Router", "--version", "2026", file); r.code != 0 || !strings.Contains(r.stdout, "1 finding(s)") {
			t.Fatalf("SBOM import: %+v", r)
		}
		const ref = "cpe:2.3:o:example_networks:ex-router_firmware:2.4.1:*:*:*:*:*:*:*"
		var r cmdResult
		for _, args := range [][]string{
			{"sbom", "affected", "--org", "renkei-kogyo", "--advisory", "CVE-2026-99001"},
			{"sbom", "affected", "--org", "renkei-kogyo", "--purl", "cpe:/o:example_networks:ex-router_firmware"},
		} {
			r = renkeiCmd(t, env, "", args...)
			got := keys(jsonLines(t, r.stdout), "product", "purl", "advisory", "fixed")
			if r.code != 0 || fmt.Sprint(got) != "[EX-Router "+ref+" EXJV-2026-000123 2.4.5]" {
				t.Fatalf("%v: %q %+v", args, got, r)
			}
		}
		r = renkeiCmd(t, env, "", "sbom", "scan", file)
		if got := keys(jsonLines(t, r.stdout), "purl", "advisory"); r.code != 0 || fmt.Sprint(got) != "["+ref+" EXJV-2026-000123]" {
			t.Fatalf("scan: %q %+v", got, r)
		}
	})
}

// importTestdata imports one of vulnfile's test files with `vulndb import`
// and fails unless the summary says what it should.
func importTestdata(t *testing.T, env map[string]string, name, summary string) {
	t.Helper()
	r := renkeiCmd(t, env, "", "vulndb", "import", filepath.Join("..", "..", "vulnfile", "testdata", name))
	if r.code != 0 || !strings.Contains(r.stdout, summary) {
		t.Fatalf("import %s: %+v", name, r)
	}
}

// A large file is stored while it is parsed; one that breaks after its
// first components were written is refused with the place, and the
// product is not there afterwards.
func TestSBOMImportBrokenLate(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		env := map[string]string{"RENKEI_DB": dsn}
		if r := renkeiCmd(t, env, "", "org", "create", "--name", "連携工業", "--slug", "renkei-kogyo"); r.code != 0 {
			t.Fatal(r)
		}
		var b strings.Builder
		b.WriteString(`{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [`)
		for i := range 6000 {
			if i > 0 {
				b.WriteString(",\n")
			}
			name := fmt.Sprintf("%q", fmt.Sprintf("lib-%d", i))
			if i == 5000 {
				name = "5000"
			}
			fmt.Fprintf(&b, `{"type": "library", "bom-ref": "c%d", "name": %s, "version": "1.0.0", "purl": "pkg:npm/lib-%d@1.0.0"}`, i, name, i)
		}
		b.WriteString("]}")
		file := filepath.Join(t.TempDir(), "late.cdx.json")
		writeFile(t, file, b.String())
		r := renkeiCmd(t, env, "", "sbom", "import", "--org", "renkei-kogyo", "--product", "App", "--version", "1", file)
		if r.code != 1 || !strings.Contains(r.stderr, file+":") || !strings.Contains(r.stderr, "line 5001") {
			t.Fatalf("broken late: %+v", r)
		}
		osv := filepath.Join(t.TempDir(), "GHSA-late.json")
		writeFile(t, osv, `{"id": "GHSA-late", "modified": "2024-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "npm", "name": "lib-1"},
			"ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}`)
		if r := renkeiCmd(t, env, "", "vulndb", "import", osv); r.code != 0 {
			t.Fatal(r)
		}
		affected := func() string {
			t.Helper()
			r := renkeiCmd(t, env, "", "sbom", "affected", "--org", "renkei-kogyo", "--purl", "pkg:npm/lib-1")
			if r.code != 0 {
				t.Fatal(r)
			}
			return r.stdout
		}
		if out := affected(); out != "" {
			t.Fatalf("components of the refused file: %s", out)
		}
		writeFile(t, file, strings.Replace(b.String(), `"name": 5000`, `"name": "lib-5000"`, 1))
		if r := renkeiCmd(t, env, "", "sbom", "import", "--org", "renkei-kogyo", "--product", "App", "--version", "1", file); r.code != 0 || !strings.Contains(r.stdout, "6000 components") {
			t.Fatalf("the mended file: %+v", r)
		}
		if out := affected(); strings.Count(out, "\n") != 1 || !strings.Contains(out, "GHSA-late") {
			t.Fatalf("components of the mended file: %s", out)
		}
	})
}
