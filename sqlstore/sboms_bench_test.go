package sqlstore_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// BenchmarkSBOMPortfolio stores a portfolio of products (each one SBOM of
// npm components drawn from a Zipf distribution over packages with ten
// versions each) and advisories spread over the same packages, then times
// the reads that must be "at once": an advisory's affected products, a
// new advisory imported and its affected products read, and a purl
// search. Sizes: RENKEI_BENCH_PRODUCTS (default 200), RENKEI_BENCH_COMPONENTS
// (200), RENKEI_BENCH_PACKAGES (20000), RENKEI_BENCH_ADVISORIES (5000).
// With RENKEI_BENCH_SQLITE_FILE set, only SQLite runs, on that file, and a
// portfolio stored there by an earlier run with the same sizes is reused
// (storing 10 M component rows takes minutes; the reads are the figures).
// Figures are reported, not asserted (docs/performance.md):
//
//	go test ./sqlstore -run '^$' -bench SBOMPortfolio -benchtime 1x
func BenchmarkSBOMPortfolio(b *testing.B) {
	size := func(env string, def int) int {
		if n, err := strconv.Atoi(os.Getenv(env)); err == nil && n > 0 {
			return n
		}
		return def
	}
	products, comps := size("RENKEI_BENCH_PRODUCTS", 200), size("RENKEI_BENCH_COMPONENTS", 200)
	pkgs, advs := size("RENKEI_BENCH_PACKAGES", 20000), size("RENKEI_BENCH_ADVISORIES", 5000)
	dsns := storetest.DSNs(b)
	if f := os.Getenv("RENKEI_BENCH_SQLITE_FILE"); f != "" {
		dsns = map[string]string{sqlstore.SQLite: "sqlite:" + f}
	}
	for dialect, dsn := range dsns {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dsn)
			benchPortfolio(b, db, dsn, products, comps, pkgs, advs)
		})
	}
}

func benchPortfolio(b *testing.B, db *sqlstore.DB, dsn string, products, comps, pkgs, nadv int) {
	sys := storetest.System()
	slug := fmt.Sprintf("bench-%d-%d-%d-%d", products, comps, pkgs, nadv)
	org, err := db.OrganizationBySlug(sys, slug)
	reuse := err == nil
	if !reuse {
		org = &renkei.Organization{Name: "Bench", Slug: slug}
		if err := db.CreateOrganization(sys, org); err != nil {
			b.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(6, 2026))
	zipf := rand.NewZipf(r, 1.1, 1, uint64(pkgs-1))
	version := func(i int) string { return fmt.Sprintf("1.%d.0", i) }
	start := time.Now()
	for p := range products {
		if reuse {
			break
		}
		seen := map[uint64]bool{}
		s := &renkei.SBOM{Format: renkei.FormatCycloneDXJSON, SpecVersion: "1.5"}
		for len(s.Components) < comps {
			k := zipf.Uint64()
			if seen[k] {
				k = uint64(r.IntN(pkgs))
				if seen[k] {
					continue
				}
			}
			seen[k] = true
			s.Components = append(s.Components, renkei.Component{
				BOMRef: strconv.Itoa(len(s.Components)), PURL: fmt.Sprintf("pkg:npm/bench-%05d@%s", k, version(r.IntN(10))),
			})
		}
		pr := &renkei.Product{OrgID: org.ID, Name: fmt.Sprintf("product-%05d", p), Version: "1.0"}
		if _, err := db.ImportSBOMs(sys, pr, []renkei.SBOMUpload{{FileName: "bom.json", SBOM: s}}); err != nil {
			b.Fatal(err)
		}
	}
	stored := time.Since(start)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	adv := func(i int) renkei.Advisory {
		lo := i % 9
		return npmAdvisory(fmt.Sprintf("GHSA-bench-%06d", i), t0, fmt.Sprintf("bench-%05d", i%pkgs), version(lo), version(lo+1+i%(9-lo)))
	}
	list := make([]renkei.Advisory, nadv)
	for i := range list {
		list[i] = adv(i)
	}
	start = time.Now()
	if !reuse {
		if _, err := db.ImportAdvisories(sys, list); err != nil {
			b.Fatal(err)
		}
	}
	advTime := time.Since(start)
	if os.Getenv("RENKEI_BENCH_ANALYZE") != "" && db.Dialect() == sqlstore.Postgres {
		if _, err := db.SQL().Exec(`ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}

	b.Logf("%d products × %d components stored in %v; %d advisories imported in %v", products, comps, stored.Round(time.Millisecond), nadv, advTime.Round(time.Millisecond))
	paths := os.Getenv("RENKEI_BENCH_PATHS")
	if paths == "" {
		paths = "sql,index"
	}
	for _, path := range strings.Split(paths, ",") {
		reader := db
		if path == "index" {
			// Another handle, as a server process holds it: the index is
			// loaded from the database, then kept current from the change
			// log. Loading evaluates every advisory against the distinct
			// versions held: the re-match of the whole portfolio.
			reader = storetest.Open(b, dsn)
			reader.KeepVulnIndex()
			st, err := reader.WarmVulnIndex(sys)
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.Logf("index: %d SBOMs, %d components read and indexed in %v; %d advisories read and matched against them in %v; heap in use after GC %d MiB; %s",
				st.SBOMs, st.Components, st.ComponentsTook.Round(time.Millisecond), st.Advisories, st.AdvisoriesTook.Round(time.Millisecond), ms.HeapInuse>>20, procMemory())
			if f := os.Getenv("RENKEI_BENCH_HEAPPROFILE"); f != "" {
				writeHeapProfile(b, f)
			}
		}
		benchReads(b, path, reader, org.ID, list, adv, pkgs, version)
	}
	b.Logf("%s", procMemory())
}

// benchReads times the reads on one path: an existing advisory's affected
// products, a new advisory imported and its affected products, a purl
// search, then the whole portfolio's findings.
func benchReads(b *testing.B, path string, db *sqlstore.DB, orgID string, list []renkei.Advisory, adv func(int) renkei.Advisory, pkgs int, version func(int) string) {
	sys := storetest.System()
	nadv := len(list)
	// The lookups draw from their own source, so that every path and a
	// run on a reused portfolio ask the same questions.
	r := rand.New(rand.NewPCG(7, 2026))
	zipf := rand.NewZipf(r, 1.1, 1, uint64(pkgs-1))
	// First reads only (existing advisories' affected products and purl
	// searches, as between imports), then new advisories, each imported
	// and its affected products read.
	var byAdv, newAdv, byPURL, newMatch []time.Duration
	found := 0
	for i := range 200 {
		// An advisory of a popular package half of the time.
		id := i * 7919 % nadv
		if i%2 == 0 {
			id = int(zipf.Uint64()) % nadv
		}
		s := time.Now()
		got, err := db.AffectedByAdvisory(sys, orgID, list[id].ID)
		if err != nil {
			b.Fatal(err)
		}
		byAdv = append(byAdv, time.Since(s))
		found += len(got)

		s = time.Now()
		if _, err := db.AffectedByPURL(sys, orgID, fmt.Sprintf("pkg:npm/bench-%05d@%s", zipf.Uint64(), version(r.IntN(10)))); err != nil {
			b.Fatal(err)
		}
		byPURL = append(byPURL, time.Since(s))
	}
	for i := range 200 {
		a := adv(nadv + i)
		a.Affected[0].Name = fmt.Sprintf("bench-%05d", zipf.Uint64())
		a.Modified = time.Now().UTC() // newer than an earlier path's or run's copy
		s := time.Now()
		if _, err := db.ImportAdvisories(sys, []renkei.Advisory{a}); err != nil {
			b.Fatal(err)
		}
		committed := time.Now()
		if _, err := db.AffectedByAdvisory(sys, orgID, a.ID); err != nil {
			b.Fatal(err)
		}
		newAdv = append(newAdv, time.Since(s))
		newMatch = append(newMatch, time.Since(committed))
	}
	// The findings page (the first 200 and the counts) and every finding
	// (what the exports hold): on the SQL path a re-match of the whole
	// portfolio against every stored advisory, on the index a walk.
	s := time.Now()
	page, err := db.ListFindings(sys, orgID, renkei.FindingQuery{Limit: 200})
	if err != nil {
		b.Fatal(err)
	}
	pageTook := time.Since(s)
	s = time.Now()
	visited := 0
	if _, err := db.ListFindings(sys, orgID, renkei.FindingQuery{Visit: func(*renkei.Affected, []string) { visited++ }}); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: the findings page (%d of %d): %v; every finding visited (an export's walk): %v, %d findings (%d advisories); %s", path, len(page.Items), page.Listed,
		pageTook.Round(time.Millisecond), time.Since(s).Round(time.Millisecond), visited, nadv+200, procMemory())
	pct := func(d []time.Duration, p int) float64 {
		slices.Sort(d)
		return float64(d[(len(d)-1)*p/100].Microseconds()) / 1000
	}
	b.Logf("%s: affected by advisory: p50 %.2f ms, p95 %.2f ms (%.1f findings on average)", path, pct(byAdv, 50), pct(byAdv, 95), float64(found)/200)
	b.Logf("%s: new advisory imported, then its affected products: p50 %.2f ms, p95 %.2f ms; from its commit: p50 %.2f ms, p95 %.2f ms", path, pct(newAdv, 50), pct(newAdv, 95), pct(newMatch, 50), pct(newMatch, 95))
	b.Logf("%s: purl search (package and version): p50 %.2f ms, p95 %.2f ms", path, pct(byPURL, 50), pct(byPURL, 95))
	b.ReportMetric(pct(byAdv, 95), path+"-affected-p95-ms")
	b.ReportMetric(pct(byPURL, 95), path+"-purl-p95-ms")
}

// writeHeapProfile writes what the heap holds now, for go tool pprof.
func writeHeapProfile(b *testing.B, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

// procMemory reads the process's resident memory now and at its peak.
func procMemory() string {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "RSS unknown"
	}
	var rss, hwm string
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			rss = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm = strings.TrimSpace(v)
		}
	}
	return "RSS " + rss + ", peak RSS " + hwm
}

// BenchmarkImportSBOM100k stores one SBOM of 100,000 npm components, the
// storage share of ingest (the parser's is sbomfile's
// BenchmarkParseCycloneDX100k). Each round replaces the previous round's
// rows, as a new upload of the same product version does.
//
//	go test ./sqlstore -run '^$' -bench ImportSBOM100k -benchtime 3x
func BenchmarkImportSBOM100k(b *testing.B) {
	s := &renkei.SBOM{Format: renkei.FormatCycloneDXJSON, SpecVersion: "1.5"}
	for i := range 100_000 {
		s.Components = append(s.Components, renkei.Component{
			BOMRef: fmt.Sprintf("c%d", i), Name: fmt.Sprintf("pkg-%d", i%20000), Version: fmt.Sprintf("1.%d.0", i%10),
			PURL: fmt.Sprintf("pkg:npm/pkg-%d@1.%d.0", i%20000, i%10), Ecosystem: "npm",
		})
	}
	for dialect, dsn := range storetest.DSNs(b) {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dsn)
			org := storetest.Org(b, db, "Ingest")
			b.ResetTimer()
			for b.Loop() {
				p := &renkei.Product{OrgID: org.ID, Name: "big", Version: "1"}
				if _, err := db.ImportSBOMs(storetest.System(), p, []renkei.SBOMUpload{{FileName: "big.json", SBOM: s}}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "components/s")
		})
	}
}
