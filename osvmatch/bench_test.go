package osvmatch

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/renkei/renkei"
)

// The portfolio benchmark: RENKEI_BENCH_SBOMS SBOMs (default 10,000) of
// RENKEI_BENCH_COMPONENTS components (default 200) drawn from 20,000 npm,
// PyPI and Maven packages with ten versions each (popular packages appear
// in many SBOMs: a Zipf draw), and RENKEI_BENCH_ADVISORIES advisories
// (default 50,000) spread evenly over the same packages. Run it with
//
//	go test ./osvmatch/ -run '^$' -bench BenchmarkPortfolio -benchtime 1x
//
// It reports the time to build the index, the heap it holds, and the
// latency of matching a new advisory (all affected SBOMs) and a new SBOM
// (all its findings), p50 and p95 over 1,000 of each.

type portfolio struct {
	ix         *Index
	build      time.Duration
	buildAdvs  time.Duration // of build, the advisories
	heapMiB    float64
	pkgs       []benchPkg
	zipf       *rand.Zipf
	r          *rand.Rand
	advisories int
	sboms      int
}

type benchPkg struct {
	eco, purlType, name string
}

var (
	portfolioOnce sync.Once
	thePortfolio  *portfolio
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func benchVersion(eco string, i int) string {
	major, minor := 1+i/5, i%5
	switch eco {
	case "PyPI":
		if i == 9 {
			return fmt.Sprintf("%d.%drc1", major, minor)
		}
		return fmt.Sprintf("%d.%d", major, minor)
	case "Maven":
		if i == 9 {
			return fmt.Sprintf("%d.%d.0-beta-1", major, minor)
		}
		return fmt.Sprintf("%d.%d.0", major, minor)
	}
	if i == 9 {
		return fmt.Sprintf("%d.%d.0-rc.1", major, minor)
	}
	return fmt.Sprintf("%d.%d.0", major, minor)
}

func (p *portfolio) component() renkei.Component {
	pk := p.pkgs[p.zipf.Uint64()]
	v := benchVersion(pk.eco, p.r.IntN(10))
	return renkei.Component{PURL: "pkg:" + pk.purlType + "/" + pk.name + "@" + v}
}

func (p *portfolio) sbom() []renkei.Component {
	n := envInt("RENKEI_BENCH_COMPONENTS", 200)
	cs := make([]renkei.Component, 0, n)
	for range n {
		cs = append(cs, p.component())
	}
	return cs
}

func (p *portfolio) advisory(id string) renkei.Advisory {
	// Advisories fall on packages evenly; components favor popular ones.
	pk := p.pkgs[p.r.IntN(len(p.pkgs))]
	lo := p.r.IntN(8)
	hi := lo + 1 + p.r.IntN(9-lo)
	a := renkei.Advisory{ID: id, Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Severity: []renkei.Severity{{Level: renkei.CVSSHigh}}}
	ap := renkei.AffectedPackage{Ecosystem: pk.eco, Name: pk.name}
	if pk.eco == "Maven" {
		ap.Name = pk.name[:len("g")] + ":" + pk.name[2:]
	}
	if p.r.IntN(10) == 0 {
		ap.Versions = []string{benchVersion(pk.eco, lo), benchVersion(pk.eco, hi)}
	} else {
		typ := renkei.RangeEcosystem
		if pk.eco == "npm" {
			typ = renkei.RangeSemver
		}
		ap.Ranges = []renkei.Range{{Type: typ, Events: []renkei.Event{
			{Introduced: benchVersion(pk.eco, lo)}, {Fixed: benchVersion(pk.eco, hi)}}}}
	}
	a.Affected = []renkei.AffectedPackage{ap}
	return a
}

func loadPortfolio() *portfolio {
	portfolioOnce.Do(func() {
		r := rand.New(rand.NewPCG(42, 7))
		p := &portfolio{r: r, advisories: envInt("RENKEI_BENCH_ADVISORIES", 50_000), sboms: envInt("RENKEI_BENCH_SBOMS", 10_000)}
		for i := range 20_000 {
			switch {
			case i%10 < 5:
				p.pkgs = append(p.pkgs, benchPkg{"npm", "npm", fmt.Sprintf("pkg-%d", i)})
			case i%10 < 8:
				p.pkgs = append(p.pkgs, benchPkg{"PyPI", "pypi", fmt.Sprintf("py-pkg-%d", i)})
			default:
				p.pkgs = append(p.pkgs, benchPkg{"Maven", "maven", fmt.Sprintf("g/artifact-%d", i)})
			}
		}
		p.zipf = rand.NewZipf(r, 1.1, 8, uint64(len(p.pkgs)-1))
		runtime.GC()
		start := time.Now()
		p.ix = NewIndex()
		for i := range p.sboms {
			p.ix.PutSBOM("sbom-"+strconv.Itoa(i), p.sbom())
		}
		advStart := time.Now()
		for i := range p.advisories {
			p.ix.PutAdvisory(p.advisory("ADV-" + strconv.Itoa(i)))
		}
		p.buildAdvs = time.Since(advStart)
		p.build = time.Since(start)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		p.heapMiB = float64(ms.HeapInuse) / (1 << 20)
		thePortfolio = p
	})
	return thePortfolio
}

func percentile(ds []time.Duration, q float64) float64 {
	slices.Sort(ds)
	return float64(ds[int(float64(len(ds)-1)*q)].Microseconds()) / 1000
}

func BenchmarkPortfolio(b *testing.B) {
	p := loadPortfolio()
	s := p.ix.Stats()
	b.Logf("SBOMs %d, distinct packages %d, distinct versions %d, advisories %d, affected versions %d",
		s.SBOMs, s.Packages, s.Versions, s.Advisories, s.Hits)
	b.Logf("build (all SBOMs then all advisories): %v, of which the advisories %v; heap in use after GC: %.0f MiB",
		p.build.Round(time.Millisecond), p.buildAdvs.Round(time.Millisecond), p.heapMiB)
	for b.Loop() {
		const n = 1000
		adv := make([]time.Duration, 0, n)
		found := 0
		for i := range n {
			a := p.advisory(fmt.Sprintf("NEW-%d-%d", time.Now().UnixNano(), i))
			start := time.Now()
			_, fs := p.ix.PutAdvisory(a)
			adv = append(adv, time.Since(start))
			found += len(fs)
			p.ix.RemoveAdvisory(a.ID)
		}
		sb := make([]time.Duration, 0, n)
		findings := 0
		for i := range n {
			cs := p.sbom()
			id := fmt.Sprintf("new-sbom-%d", i)
			start := time.Now()
			fs := p.ix.PutSBOM(id, cs)
			sb = append(sb, time.Since(start))
			findings += len(fs)
			p.ix.RemoveSBOM(id)
		}
		b.ReportMetric(percentile(adv, 0.5), "adv-p50-ms")
		b.ReportMetric(percentile(adv, 0.95), "adv-p95-ms")
		b.ReportMetric(percentile(sb, 0.5), "sbom-p50-ms")
		b.ReportMetric(percentile(sb, 0.95), "sbom-p95-ms")
		b.ReportMetric(p.heapMiB, "heap-MiB")
		b.ReportMetric(p.build.Seconds(), "build-s")
		b.ReportMetric(p.buildAdvs.Seconds(), "advs-s")
		b.Logf("new advisory: %.1f findings on average; new SBOM: %.1f findings on average",
			float64(found)/n, float64(findings)/n)
	}
}
