package sqlstore_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
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
	for dialect, dsn := range storetest.DSNs(b) {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dsn)
			benchPortfolio(b, db, products, comps, pkgs, advs)
		})
	}
}

func benchPortfolio(b *testing.B, db *sqlstore.DB, products, comps, pkgs, nadv int) {
	sys := storetest.System()
	org := storetest.Org(b, db, "Bench")
	r := rand.New(rand.NewPCG(6, 2026))
	zipf := rand.NewZipf(r, 1.1, 1, uint64(pkgs-1))
	version := func(i int) string { return fmt.Sprintf("1.%d.0", i) }
	start := time.Now()
	for p := range products {
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
	if _, err := db.ImportAdvisories(sys, list); err != nil {
		b.Fatal(err)
	}
	advTime := time.Since(start)
	if os.Getenv("RENKEI_BENCH_ANALYZE") != "" && db.Dialect() == sqlstore.Postgres {
		if _, err := db.SQL().Exec(`ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}

	var byAdv, newAdv, byPURL []time.Duration
	found := 0
	for i := range 200 {
		// An advisory of a popular package half of the time.
		id := i * 7919 % nadv
		if i%2 == 0 {
			id = int(zipf.Uint64()) % nadv
		}
		s := time.Now()
		got, err := db.AffectedByAdvisory(sys, org.ID, list[id].ID)
		if err != nil {
			b.Fatal(err)
		}
		byAdv = append(byAdv, time.Since(s))
		found += len(got)

		a := adv(nadv + i)
		a.Affected[0].Name = fmt.Sprintf("bench-%05d", zipf.Uint64())
		s = time.Now()
		if _, err := db.ImportAdvisories(sys, []renkei.Advisory{a}); err != nil {
			b.Fatal(err)
		}
		if _, err := db.AffectedByAdvisory(sys, org.ID, a.ID); err != nil {
			b.Fatal(err)
		}
		newAdv = append(newAdv, time.Since(s))

		s = time.Now()
		if _, err := db.AffectedByPURL(sys, org.ID, fmt.Sprintf("pkg:npm/bench-%05d@%s", zipf.Uint64(), version(r.IntN(10)))); err != nil {
			b.Fatal(err)
		}
		byPURL = append(byPURL, time.Since(s))
	}
	// The whole portfolio matched again against every stored advisory:
	// what a full re-analysis would cost (Renkei never needs one — reads
	// compute — but the figure bounds it).
	s := time.Now()
	all, err := db.OrgFindings(sys, org.ID)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("re-match of the whole portfolio against %d advisories: %v, %d findings", nadv+200, time.Since(s).Round(time.Millisecond), len(all))
	pct := func(d []time.Duration, p int) float64 {
		slices.Sort(d)
		return float64(d[(len(d)-1)*p/100].Microseconds()) / 1000
	}
	b.Logf("%d products × %d components stored in %v; %d advisories imported in %v", products, comps, stored.Round(time.Millisecond), nadv, advTime.Round(time.Millisecond))
	b.Logf("affected by advisory: p50 %.2f ms, p95 %.2f ms (%.1f findings on average)", pct(byAdv, 50), pct(byAdv, 95), float64(found)/200)
	b.Logf("new advisory imported, then its affected products: p50 %.2f ms, p95 %.2f ms", pct(newAdv, 50), pct(newAdv, 95))
	b.Logf("purl search (package and version): p50 %.2f ms, p95 %.2f ms", pct(byPURL, 50), pct(byPURL, 95))
	b.ReportMetric(pct(byAdv, 95), "affected-p95-ms")
	b.ReportMetric(pct(byPURL, 95), "purl-p95-ms")
}
