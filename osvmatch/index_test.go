package osvmatch

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/renkei/renkei"
)

func comp(purl string) renkei.Component { return renkei.Component{PURL: purl} }

func day(n int) time.Time { return time.Date(2024, 1, n, 0, 0, 0, 0, time.UTC) }

func ids(fs []renkei.VulnFinding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.SBOMID+" "+f.PURL+" "+f.AdvisoryID+" fixed="+f.Fixed)
	}
	return out
}

func TestIndexBothWays(t *testing.T) {
	ix := NewIndex()
	// An SBOM before any advisory: no findings.
	if fs := ix.PutSBOM("s1", []renkei.Component{
		comp("pkg:npm/lodash@4.17.20"), comp("pkg:npm/express@4.18.2"), {Name: "no purl"},
	}); len(fs) != 0 {
		t.Fatalf("findings before advisories: %v", ids(fs))
	}
	// An advisory arrives: s1's lodash is affected at once.
	a := renkei.Advisory{ID: "GHSA-lodash", Modified: day(1), Affected: []renkei.AffectedPackage{{
		Ecosystem: "npm", Name: "lodash", Ranges: []renkei.Range{rng("SEMVER", intro("0"), fix("4.17.21"))}}},
		Aliases: []string{"CVE-2021-23337"}, Severity: []renkei.Severity{{Level: renkei.CVSSHigh}}}
	changed, fs := ix.PutAdvisory(a)
	if !changed || !slices.Equal(ids(fs), []string{"s1 pkg:npm/lodash@4.17.20 GHSA-lodash fixed=4.17.21"}) {
		t.Fatalf("PutAdvisory: %v %v", changed, ids(fs))
	}
	if fs[0].Level != renkei.CVSSHigh || fs[0].KEV {
		t.Fatalf("finding: %+v", fs[0])
	}
	// A second SBOM with the same version, and one with a fixed version.
	if fs := ix.PutSBOM("s2", []renkei.Component{comp("pkg:npm/lodash@4.17.20")}); len(fs) != 1 {
		t.Fatalf("s2: %v", ids(fs))
	}
	ix.PutSBOM("s3", []renkei.Component{comp("pkg:npm/lodash@4.17.21")})
	if got := ids(ix.AffectedBy("GHSA-lodash")); len(got) != 2 || got[0][:2] != "s1" || got[1][:2] != "s2" {
		t.Fatalf("AffectedBy: %v", got)
	}
	if n := ix.AffectedCount("GHSA-lodash"); n != 2 {
		t.Fatalf("AffectedCount = %d", n)
	}
	// KEV marks findings of advisories with the CVE as alias.
	ix.PutKEV([]renkei.KEVEntry{{CVE: "CVE-2021-23337"}})
	if fs := ix.FindingsForSBOM("s2"); len(fs) != 1 || !fs[0].KEV {
		t.Fatalf("KEV: %+v", fs)
	}
	// The same record again changes nothing; an older one is ignored.
	if changed, _ := ix.PutAdvisory(a); changed {
		t.Fatal("same record changed the index")
	}
	older := a
	older.Modified = day(0)
	older.Affected = nil
	if changed, _ := ix.PutAdvisory(older); changed || len(ix.AffectedBy("GHSA-lodash")) != 2 {
		t.Fatal("older record replaced the newer")
	}
	// A newer record with a narrower range replaces it.
	newer := a
	newer.Modified = day(2)
	newer.Affected = []renkei.AffectedPackage{{Ecosystem: "npm", Name: "lodash",
		Ranges: []renkei.Range{rng("SEMVER", intro("0"), fix("4.17.20"))}}}
	if changed, fs := ix.PutAdvisory(newer); !changed || len(fs) != 0 {
		t.Fatalf("newer: %v %v", changed, ids(fs))
	}
	if fs := ix.FindingsForSBOM("s1"); len(fs) != 0 {
		t.Fatalf("s1 after the newer record: %v", ids(fs))
	}
	// Back to the wide range, then withdrawn.
	wide := a
	wide.Modified = day(3)
	ix.PutAdvisory(wide)
	if len(ix.AffectedBy("GHSA-lodash")) != 2 {
		t.Fatal("wide again")
	}
	gone := wide
	gone.Modified, gone.Withdrawn = day(4), day(4)
	if changed, fs := ix.PutAdvisory(gone); !changed || len(fs) != 0 {
		t.Fatalf("withdrawn: %v %v", changed, ids(fs))
	}
	if fs := ix.FindingsForSBOM("s1"); len(fs) != 0 {
		t.Fatal("withdrawn advisory still found")
	}
	// An older, non-withdrawn copy does not bring it back.
	if changed, _ := ix.PutAdvisory(wide); changed {
		t.Fatal("older copy revived a withdrawn advisory")
	}
	// Removing SBOMs.
	wider := wide
	wider.Modified = day(5)
	ix.PutAdvisory(wider)
	ix.RemoveSBOM("s1")
	if got := ids(ix.AffectedBy("GHSA-lodash")); len(got) != 1 || got[0][:2] != "s2" {
		t.Fatalf("after removing s1: %v", got)
	}
	ix.RemoveSBOM("s2")
	ix.RemoveSBOM("s3")
	ix.RemoveAdvisory("GHSA-lodash")
	if s := ix.Stats(); s.Advisories != 0 || s.SBOMs != 0 || s.Hits != 0 || s.Packages != 0 || s.Versions != 0 {
		t.Fatalf("stats after removing everything: %+v", s)
	}
}

// Replacing an SBOM under the same ID drops its old components.
func TestIndexReplaceSBOM(t *testing.T) {
	ix := NewIndex()
	ix.PutAdvisory(*adv("PyPI", "requests", []renkei.Range{rng("ECOSYSTEM", intro("0"), fix("2.31.0"))}))
	if fs := ix.PutSBOM("p", []renkei.Component{comp("pkg:pypi/Requests@2.30.0")}); len(fs) != 1 || fs[0].Package != "requests" {
		t.Fatalf("first: %+v", fs)
	}
	if fs := ix.PutSBOM("p", []renkei.Component{comp("pkg:pypi/requests@2.31.0")}); len(fs) != 0 {
		t.Fatalf("replaced: %v", ids(fs))
	}
	if len(ix.AffectedBy("TEST-1")) != 0 {
		t.Fatal("old components still affected")
	}
}

// After any sequence of changes the index answers exactly what evaluating
// every advisory against every SBOM component from scratch answers.
func TestIndexAgreesWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	names := []string{"a", "b", "c", "d"}
	ver := func() string { return fmt.Sprintf("%d.%d.%d", r.IntN(3), r.IntN(3), r.IntN(3)) }
	randomAdvisory := func(id string, mod int) renkei.Advisory {
		a := renkei.Advisory{ID: id, Modified: day(mod)}
		for range 1 + r.IntN(2) {
			ap := renkei.AffectedPackage{Ecosystem: "npm", Name: names[r.IntN(len(names))]}
			switch r.IntN(4) {
			case 0:
				ap.Versions = []string{ver(), ver()}
			case 1:
				ap.Ranges = []renkei.Range{rng("SEMVER", intro(ver()), fix(ver()))}
			case 2:
				ap.Ranges = []renkei.Range{rng("ECOSYSTEM", intro("0"), last(ver()))}
			default:
				ap.Ranges = []renkei.Range{rng("SEMVER", intro(ver()), limit(ver()))}
			}
			a.Affected = append(a.Affected, ap)
		}
		if r.IntN(8) == 0 {
			a.Withdrawn = day(mod)
		}
		return a
	}
	sboms := map[string][]renkei.Component{}
	advs := map[string]renkei.Advisory{}
	ix := NewIndex()
	for step := range 600 {
		switch op := r.IntN(10); {
		case op < 4:
			id := fmt.Sprintf("s%d", r.IntN(15))
			var cs []renkei.Component
			for range r.IntN(5) {
				cs = append(cs, comp(fmt.Sprintf("pkg:npm/%s@%s", names[r.IntN(len(names))], ver())))
			}
			sboms[id] = cs
			ix.PutSBOM(id, cs)
		case op < 5:
			id := fmt.Sprintf("s%d", r.IntN(15))
			delete(sboms, id)
			ix.RemoveSBOM(id)
		case op < 9:
			id := fmt.Sprintf("A%d", r.IntN(20))
			a := randomAdvisory(id, step+1)
			if old, ok := advs[id]; !ok || a.Supersedes(&old) {
				advs[id] = a
			}
			ix.PutAdvisory(a)
		default:
			id := fmt.Sprintf("A%d", r.IntN(20))
			delete(advs, id)
			ix.RemoveAdvisory(id)
		}
		if step%50 != 49 {
			continue
		}
		for sid, cs := range sboms {
			var want []string
			seen := map[string]bool{}
			for _, c := range cs {
				if seen[c.PURL] {
					continue
				}
				seen[c.PURL] = true
				p, _ := FromRef(c.PURL)
				for _, a := range advs {
					if hit, fixed := Affects(&a, p); hit {
						want = append(want, sid+" "+c.PURL+" "+a.ID+" fixed="+fixed)
					}
				}
			}
			got := ids(ix.FindingsForSBOM(sid))
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("step %d, %s:\n got %v\nwant %v", step, sid, got, want)
			}
		}
		for aid := range advs {
			n := 0
			for _, f := range ix.AffectedBy(aid) {
				if f.AdvisoryID != aid {
					t.Fatalf("AffectedBy(%s) returned %s", aid, f.AdvisoryID)
				}
				n++
			}
			if n != ix.AffectedCount(aid) {
				t.Fatalf("AffectedCount(%s) = %d, AffectedBy has %d", aid, ix.AffectedCount(aid), n)
			}
		}
	}
}

// Readers and writers at once (run with -race).
func TestIndexConcurrent(t *testing.T) {
	ix := NewIndex()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				id := fmt.Sprintf("s%d-%d", w, i%10)
				ix.PutSBOM(id, []renkei.Component{comp(fmt.Sprintf("pkg:npm/a@1.%d.0", i%5)), comp("pkg:pypi/b@2.0")})
				ix.PutAdvisory(renkei.Advisory{ID: fmt.Sprintf("A%d", i%7), Modified: day(1 + i),
					Affected: []renkei.AffectedPackage{{Ecosystem: "npm", Name: "a",
						Ranges: []renkei.Range{rng("SEMVER", intro("1.1.0"), fix("1.3.0"))}}}})
				ix.FindingsForSBOM(id)
				ix.AffectedBy(fmt.Sprintf("A%d", i%7))
				ix.Stats()
				if i%13 == 0 {
					ix.RemoveSBOM(id)
				}
			}
		})
	}
	wg.Wait()
	for _, f := range ix.AffectedBy("A1") {
		if f.Version != "1.1.0" && f.Version != "1.2.0" {
			t.Fatalf("finding %+v", f)
		}
	}
}
