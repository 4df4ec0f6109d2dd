package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei/internal/osvcorpus"
)

// TestDifferentialScan gives `renkei sbom scan` (after `renkei vulndb
// import` of the same zips) and `osv-scanner scan source --offline -L`
// the same generated SBOMs and OSV database, and wants the same findings.
// It runs when osv-scanner is installed (see internal/osvcorpus); the
// times are logged, not asserted (docs/performance.md).
func TestDifferentialScan(t *testing.T) {
	diffScan(t, t.TempDir(), osvcorpus.Size{SBOMs: 40, RecordsPerName: 6})
}

// TestDifferentialScanLarge is the same on the performance corpus (50
// SBOMs of about 220 components, about 3,300 OSV records), written to the
// directory RENKEI_PERF_CORPUS names and kept there, so that the two
// commands can be timed from the shell (docs/performance.md).
func TestDifferentialScanLarge(t *testing.T) {
	dir := os.Getenv("RENKEI_PERF_CORPUS")
	if dir == "" {
		t.Skip("RENKEI_PERF_CORPUS is not set")
	}
	diffScan(t, dir, osvcorpus.Size{SBOMs: 50, ExtraNames: 30, RecordsPerName: 10})
}

func diffScan(t *testing.T, dir string, size osvcorpus.Size) {
	bin := osvcorpus.Scanner(t)
	sboms, records := osvcorpus.Generate(size)
	dbDir := filepath.Join(dir, "db")
	osvcorpus.WriteDB(t, dbDir, records)
	var files, zips []string
	for name, cs := range sboms {
		p := filepath.Join(dir, name)
		osvcorpus.WriteCycloneDX(t, p, cs)
		files = append(files, p)
	}
	slices.Sort(files)
	for _, e := range osvcorpus.Ecosystems {
		zips = append(zips, filepath.Join(dbDir, "osv-scalibr", e.Eco, "all.zip"))
	}
	env := map[string]string{"RENKEI_DB": "sqlite:" + filepath.Join(dir, "renkei.db")}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(filepath.Join(dir, "renkei.db"+suffix))
	}
	if r := renkeiCmd(t, env, "", append([]string{"vulndb", "import"}, zips...)...); r.code != 0 {
		t.Fatalf("vulndb import: %+v", r)
	}
	start := time.Now()
	r := renkeiCmd(t, env, "", append([]string{"sbom", "scan"}, files...)...)
	ourTime := time.Since(start)
	if r.code != 0 {
		t.Fatalf("sbom scan: %+v", r)
	}
	var ours []string
	for _, m := range jsonLines(t, r.stdout) {
		ours = append(ours, strings.Join([]string{filepath.Base(m["file"].(string)), m["ecosystem"].(string),
			m["component"].(string), m["version"].(string), m["advisory"].(string)}, " "))
	}
	slices.Sort(ours)
	start = time.Now()
	theirs := osvcorpus.RunScanner(t, bin, dbDir, files)
	theirTime := time.Since(start)
	if len(ours) == 0 {
		t.Fatal("the corpus gives no findings")
	}
	inTheirs := map[string]bool{}
	for _, l := range theirs {
		inTheirs[l] = true
	}
	inOurs := map[string]bool{}
	for _, l := range ours {
		inOurs[l] = true
		if !inTheirs[l] {
			t.Errorf("only renkei sbom scan: %s", l)
		}
	}
	for _, l := range theirs {
		if !inOurs[l] {
			t.Errorf("only osv-scanner: %s", l)
		}
	}
	t.Logf("%d files, %d findings from renkei sbom scan in %v, %d from osv-scanner in %v", len(files), len(ours), ourTime, len(theirs), theirTime)
}
