package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// TestVulnIndexAnswersAsSQL checks the in-memory index against the SQL
// reads on a generated portfolio, on both databases: every advisory's and
// alias's affected products, every package and version searched, the
// portfolio's and each SBOM's findings must be the same. Then another
// handle on the same database (another replica) changes SBOMs, advisories
// and the KEV catalog, and the indexed handle's next answers must follow.
func TestVulnIndexAnswersAsSQL(t *testing.T) {
	for dialect, dsn := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			plain := storetest.Open(t, dsn) // migrates; reads by SQL
			indexed := storetest.Open(t, dsn)
			indexed.KeepVulnIndex()
			sys := storetest.System()
			a := storetest.Org(t, plain, "A")
			b := storetest.Org(t, plain, "B")
			pa := mustCreate(t, plain, newPartner(a.ID, "部品工業", corpNum(11), renkei.PartnerSupplier))
			r := rand.New(rand.NewPCG(1, 26))
			gen := portfolioGen{r: r, t0: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}

			advs := gen.advisories(60)
			importAdvisories(t, plain, advs...)
			if err := plain.ImportKEV(sys, []renkei.KEVEntry{{CVE: "CVE-2024-0003", DateAdded: gen.t0}}); err != nil {
				t.Fatal(err)
			}
			var sboms []string
			for i := range 12 {
				org, partner := a.ID, ""
				switch i % 3 {
				case 1:
					partner = pa.ID
				case 2:
					org = b.ID
				}
				for _, s := range importSBOM(t, plain, org, partner, fmt.Sprintf("p%02d", i), "1.0", gen.purls(40)...) {
					sboms = append(sboms, s.ID)
				}
			}
			compareReads(t, plain, indexed, []string{a.ID, b.ID}, advs, sboms)
			if st, err := indexed.WarmVulnIndex(sys); err != nil || st.SBOMs != 12 || st.Advisories == 0 {
				t.Fatalf("index loaded: %+v %v", st, err)
			}

			// Another replica changes things; the indexed handle follows.
			importSBOM(t, plain, a.ID, "", "p00", "1.0", gen.purls(40)...)                                  // replaced
			importSBOM(t, plain, b.ID, "", "new", "2.0", "pkg:npm/lib-1@1.0.0-rc.1", "pkg:npm/lib-2@2.0.0") // added
			newer := advs[0]
			newer.Modified = newer.Modified.Add(time.Hour)
			newer.Affected[0].Ranges[0].Events = []renkei.Event{{Introduced: "0"}} // every version
			gone := advs[1]
			gone.Modified, gone.Withdrawn = gone.Modified.Add(time.Hour), gone.Modified.Add(time.Hour)
			extra := gen.advisories(65)[60:]
			importAdvisories(t, plain, append([]renkei.Advisory{newer, gone}, extra...)...)
			if err := plain.ImportKEV(sys, []renkei.KEVEntry{{CVE: "CVE-2024-0005", DateAdded: gen.t0}}); err != nil {
				t.Fatal(err)
			}
			sboms = sboms[:0]
			for _, org := range []string{a.ID, b.ID} {
				ps, err := plain.Products(sys, org)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range ps {
					ss, _ := plain.SBOMs(sys, org, p.ID)
					for _, s := range ss {
						sboms = append(sboms, s.ID)
					}
				}
			}
			compareReads(t, plain, indexed, []string{a.ID, b.ID}, append(advs, extra...), sboms)
			got, err := indexed.AffectedByAdvisory(sys, a.ID, gone.ID)
			if err != nil || len(got) != 0 {
				t.Fatalf("a withdrawn advisory still affects: %v %v", affectedKeys(got), err)
			}
			if _, err := indexed.AffectedByAdvisory(sys, a.ID, "GHSA-none"); renkei.ErrorCode(err) != renkei.ENOTFOUND {
				t.Fatalf("an unknown advisory: %v", err)
			}
		})
	}
}

// compareReads asks both handles the same questions.
func compareReads(t *testing.T, plain, indexed *sqlstore.DB, orgs []string, advs []renkei.Advisory, sboms []string) {
	t.Helper()
	sys := storetest.System()
	type read func(db *sqlstore.DB) (any, error)
	same := func(what string, fn read) {
		t.Helper()
		want, werr := fn(plain)
		got, gerr := fn(indexed)
		if renkei.ErrorCode(werr) != renkei.ErrorCode(gerr) || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s:\nindex %v %v\n  sql %v %v", what, got, gerr, want, werr)
		}
	}
	nonEmpty := 0
	for _, org := range orgs {
		same("findings of "+org, func(db *sqlstore.DB) (any, error) {
			fs, err := db.OrgFindings(sys, org)
			if len(fs) > 0 {
				nonEmpty++
			}
			return affectedKeys(fs), err
		})
		// Lists: counts, filters, a Keep that reads aliases, pages.
		for _, q := range []renkei.FindingQuery{
			{}, {KEVOnly: true}, {Offset: 3, Limit: 5}, {Limit: 1}, {Offset: 37, Limit: 11}, {KEVOnly: true, Offset: 1, Limit: 2}, {Offset: 100000},
			{Keep: func(f *renkei.Affected, aliases []string) bool { return len(aliases) > 0 && f.PURL < "pkg:npm/lib-5" }},
		} {
			same(fmt.Sprintf("list of %s from %d (%d)", org, q.Offset, q.Limit), func(db *sqlstore.DB) (any, error) {
				l, err := db.ListFindings(sys, org, q)
				if err != nil {
					return nil, err
				}
				return fmt.Sprint(affectedKeys(l.Items), l.Listed, l.Total, l.KEV, l.PerProduct), nil
			})
		}
		for _, adv := range advs {
			for _, id := range append([]string{adv.ID}, adv.Aliases...) {
				same("affected by "+id, func(db *sqlstore.DB) (any, error) {
					fs, err := db.AffectedByAdvisory(sys, org, id)
					return affectedKeys(fs), err
				})
			}
		}
		for i := range 12 {
			for _, purl := range []string{fmt.Sprintf("pkg:npm/lib-%d", i), fmt.Sprintf("pkg:npm/lib-%d@1.%d.0", i, i%4), fmt.Sprintf("pkg:pypi/Py_Lib-%d", i)} {
				same("by purl "+purl, func(db *sqlstore.DB) (any, error) {
					fs, err := db.AffectedByPURL(sys, org, purl)
					return affectedKeys(fs), err
				})
				same("uses of "+purl, func(db *sqlstore.DB) (any, error) {
					return db.ComponentUsage(sys, org, purl)
				})
			}
		}
		for _, s := range sboms {
			same("findings of SBOM "+s, func(db *sqlstore.DB) (any, error) {
				return db.FindingsForSBOM(sys, org, s) // another organization's: not found
			})
		}
	}
	if nonEmpty < 2 {
		t.Fatalf("the generated portfolio gives findings to %d of the checks: the comparison proves little", nonEmpty)
	}
}

// portfolioGen draws npm and PyPI purls (prereleases and qualifiers
// included) and advisories over the same packages.
type portfolioGen struct {
	r  *rand.Rand
	t0 time.Time
}

func (g portfolioGen) purls(n int) []string {
	var out []string
	for range n {
		i := g.r.IntN(12)
		switch g.r.IntN(5) {
		case 0:
			out = append(out, fmt.Sprintf("pkg:pypi/py-lib-%d@1.%d.post1", i, g.r.IntN(4)))
		case 1:
			out = append(out, fmt.Sprintf("pkg:npm/lib-%d@1.%d.0-beta.1", i, g.r.IntN(4)))
		case 2:
			out = append(out, fmt.Sprintf("pkg:npm/lib-%d@1.%d.0?arch=x64", i, g.r.IntN(4)))
		default:
			out = append(out, fmt.Sprintf("pkg:npm/lib-%d@1.%d.0", i, g.r.IntN(4)))
		}
	}
	return out
}

// advisories returns n advisories, the same for the same n on every call
// of a generator made with the same seed (ids by position).
func (g portfolioGen) advisories(n int) []renkei.Advisory {
	r := rand.New(rand.NewPCG(2, 26))
	var out []renkei.Advisory
	for i := range n {
		lo := r.IntN(3)
		a := npmAdvisory(fmt.Sprintf("GHSA-t%03d", i), g.t0, fmt.Sprintf("lib-%d", r.IntN(12)), fmt.Sprintf("1.%d.0", lo), fmt.Sprintf("1.%d.0", lo+1+r.IntN(2)),
			fmt.Sprintf("CVE-2024-%04d", i%7))
		if i%4 == 0 {
			a.Affected[0].Ecosystem, a.Affected[0].Name = "PyPI", fmt.Sprintf("Py_Lib-%d", r.IntN(12))
			a.Affected[0].Ranges[0].Type = renkei.RangeEcosystem
		}
		out = append(out, a)
	}
	return out
}

// TestVulnIndexAfterPrune: change rows an index never applied are pruned;
// its next read notices the gap, loads everything again and answers as
// the database stands. Pruning keeps the newest row, so the sequence
// goes on.
func TestVulnIndexAfterPrune(t *testing.T) {
	for dialect, dsn := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) { pruneCase(t, dsn) })
	}
}

func pruneCase(t *testing.T, dsn string) {
	plain := storetest.Open(t, dsn)
	sys := storetest.System()
	org := storetest.Org(t, plain, "A")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	importAdvisories(t, plain, npmAdvisory("GHSA-p1", t0, "lodash", "0", "4.17.21"))
	importSBOM(t, plain, org.ID, "", "app", "1", "pkg:npm/lodash@4.17.20")
	indexed := storetest.Open(t, dsn)
	indexed.KeepVulnIndex()
	if got, _ := indexed.AffectedByAdvisory(sys, org.ID, "GHSA-p1"); len(got) != 1 {
		t.Fatalf("before: %v", affectedKeys(got))
	}
	// Changes the index has not seen, then every row but the newest pruned.
	importSBOM(t, plain, org.ID, "", "app", "2", "pkg:npm/lodash@4.17.19")
	importAdvisories(t, plain, npmAdvisory("GHSA-p2", t0, "minimist", "0", "1.2.6"))
	importSBOM(t, plain, org.ID, "", "tool", "1", "pkg:npm/minimist@1.2.5")
	n, err := plain.PruneVulnChanges(sys, time.Now().Add(time.Hour))
	if err != nil || n == 0 {
		t.Fatalf("pruned %d: %v", n, err)
	}
	got, err := indexed.AffectedByAdvisory(sys, org.ID, "GHSA-p1")
	wantList(t, "after the prune", affectedKeys(got), []string{
		"app 1  pkg:npm/lodash@4.17.20 GHSA-p1 4.17.21 kev=false",
		"app 2  pkg:npm/lodash@4.17.19 GHSA-p1 4.17.21 kev=false",
	})
	if err != nil {
		t.Fatal(err)
	}
	// The sequence goes on from the row kept: a later change is seen.
	importAdvisories(t, plain, npmAdvisory("GHSA-p3", t0, "lodash", "4.17.19", "4.17.20"))
	got, _ = indexed.AffectedByAdvisory(sys, org.ID, "GHSA-p3")
	wantList(t, "a change after the prune", affectedKeys(got), []string{"app 2  pkg:npm/lodash@4.17.19 GHSA-p3 4.17.20 kev=false"})
	if got, _ := indexed.AffectedByAdvisory(sys, org.ID, "GHSA-p2"); len(got) != 1 || got[0].Product != "tool" {
		t.Fatalf("minimist: %v", affectedKeys(got))
	}
	// Only the system prunes.
	if _, err := plain.PruneVulnChanges(renkei.WithActor(context.Background(), &renkei.Actor{UserID: "u"}), time.Now()); renkei.ErrorCode(err) != renkei.EFORBIDDEN {
		t.Fatalf("a user prunes: %v", err)
	}
}

// TestVulnIndexConcurrentReadsAndChanges: readers of one handle's index
// run while another handle imports SBOMs and advisories and prunes the
// change log (so that a reader's catch-up also reloads everything). Run
// with -race it shows the index's locking; afterwards the index answers as
// the SQL path does.
func TestVulnIndexConcurrentReadsAndChanges(t *testing.T) {
	dsn := storetest.DSNs(t)[sqlstore.SQLite]
	plain := storetest.Open(t, dsn)
	indexed := storetest.Open(t, dsn)
	indexed.KeepVulnIndex()
	sys := storetest.System()
	org := storetest.Org(t, plain, "A")
	gen := portfolioGen{r: rand.New(rand.NewPCG(3, 26)), t0: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	advs := gen.advisories(20)
	importAdvisories(t, plain, advs...)
	purls := make([][]string, 12)
	for i := range purls {
		purls[i] = gen.purls(30)
	}
	importSBOM(t, plain, org.ID, "", "p0", "1", purls[0]...)

	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 16)
	for r := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				switch (i + r) % 3 {
				case 0:
					_, err = indexed.AffectedByAdvisory(sys, org.ID, advs[i%len(advs)].ID)
				case 1:
					_, err = indexed.ListFindings(sys, org.ID, renkei.FindingQuery{Limit: 10})
				default:
					_, err = indexed.ComponentUsage(sys, org.ID, fmt.Sprintf("pkg:npm/lib-%d", i%12))
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := 1; i < len(purls); i++ {
		importSBOM(t, plain, org.ID, "", fmt.Sprintf("p%d", i%4), "1", purls[i]...)
		if i%4 == 0 {
			if _, err := plain.PruneVulnChanges(sys, time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want, err := plain.OrgFindings(sys, org.ID)
	if err != nil || len(want) == 0 {
		t.Fatalf("the SQL path's findings: %d %v", len(want), err)
	}
	got, err := indexed.OrgFindings(sys, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantList(t, "after the changes", affectedKeys(got), affectedKeys(want))
}
