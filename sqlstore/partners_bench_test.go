package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// Run with:
//
//	go test ./sqlstore -run '^$' -bench 'ListPartners100k|Import100k' -benchtime 200x
//
// (RENKEI_TEST_POSTGRES set for the PostgreSQL figures). Besides ns/op,
// the list benchmarks report p95-ms: the 95th percentile of the calls'
// durations.

var (
	benchNames = []string{"精密", "電機", "部品", "化成", "物流", "システム", "ソフト", "商事", "製作所", "工業", "通信", "データ", "印刷", "建設", "食品"}
	benchPlace = []string{"東京", "大阪", "名古屋", "札幌", "福岡", "横浜", "神戸", "京都", "仙台", "広島", "北陸", "信州", "湘南", "瀬戸内"}
)

// benchRows makes n partners as a large manufacturer might have them: most
// suppliers, some group companies and overseas bases; every industry;
// half with a Corporate Number; profiles that give every tier and level.
func benchRows(n int, seed uint64) []renkei.ImportRow {
	r := rand.New(rand.NewPCG(seed, 2026))
	industries := renkei.Terms(renkei.ListIndustry)
	depts := []string{"", "business", "procurement", "procurement", "it_security", "legal"}
	rows := make([]renkei.ImportRow, n)
	for i := range rows {
		typ := renkei.PartnerSupplier
		switch x := r.IntN(100); {
		case x >= 92:
			typ = renkei.PartnerOverseas
		case x >= 80:
			typ = renkei.PartnerGroup
		}
		p := renkei.Partner{
			ExternalID: fmt.Sprintf("V%06d", i+1),
			Type:       typ,
			Department: depts[r.IntN(len(depts))],
			Company: renkei.Company{
				Name:      fmt.Sprintf("%s%s%s%d株式会社", benchPlace[r.IntN(len(benchPlace))], benchNames[r.IntN(len(benchNames))], benchNames[r.IntN(len(benchNames))], i+1),
				Industry:  industries[r.IntN(len(industries))].Code,
				Employees: 5 + r.IntN(3000),
			},
		}
		if typ == renkei.PartnerOverseas {
			p.Company.Country = []string{"CN", "VN", "TH", "US", "DE"}[r.IntN(5)]
		} else if r.IntN(2) == 0 {
			p.Company.CorporateNumber = corpNum(100000 + i)
		}
		pr := &p.Profile
		for _, code := range renkei.ProvidesCodes {
			if r.IntN(8) == 0 {
				pr.Provides = append(pr.Provides, code)
			}
		}
		pr.PersonalData = r.IntN(4) == 0
		if pr.PersonalData && r.IntN(3) == 0 {
			pr.PersonalDataCount = 500 + r.IntN(20000)
		}
		pr.ConfidentialTechnical = r.IntN(4) == 0
		pr.OutageStopsBusiness = r.IntN(5) == 0
		pr.HasAlternative = r.IntN(2) == 0
		pr.HandlesConfidentialOnOwnIT = r.IntN(10) == 0
		pr.OutageUnacceptable = r.IntN(12) == 0
		pr.ReachesInternalNetwork = r.IntN(10) == 0
		if r.IntN(6) == 0 {
			pr.NetworkAccess = []string{"remote_maintenance"}
		}
		if r.IntN(10) < 6 {
			p.Contacts.Incident = renkei.Contact{Name: "担当", Email: fmt.Sprintf("csirt%d@example.jp", i)}
			p.Contacts.IncidentProcedure = "電話で一報の後、24時間以内にメールで報告"
		}
		rows[i] = renkei.ImportRow{Row: i + 2, Partner: p}
	}
	return rows
}

// seedAgreements gives about 70% of the organization's partners an
// agreement in force on confidentiality, and 10% one on incident handling
// ending within 90 days (test-only bulk SQL).
func seedAgreements(b testing.TB, db *sqlstore.DB, orgID string) {
	ctx := storetest.System()
	kinds, err := db.RequirementKinds(ctx, orgID)
	if err != nil {
		b.Fatal(err)
	}
	rows, err := db.SQL().Query(db.Rebind(`SELECT id FROM partners WHERE org_id = ?`), orgID)
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	tx, err := db.SQL().Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(db.Rebind(`INSERT INTO agreements (id, org_id, partner_id, requirement_id, contract, valid_from, valid_until, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	from := now.AddDate(-1, 0, 0)
	for i, id := range ids {
		if i%10 < 7 {
			if _, err := stmt.Exec(sqlstore.NewID(), orgID, id, kinds[0].ID, "基本契約", from, nil, now, now); err != nil {
				b.Fatal(err)
			}
		}
		if i%10 == 3 {
			until := now.Add(time.Duration(i%90) * 24 * time.Hour)
			if _, err := stmt.Exec(sqlstore.NewID(), orgID, id, kinds[2].ID, "覚書", from, until, now, now); err != nil {
				b.Fatal(err)
			}
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// cpuTime is the CPU time this process has used (user and system): on a
// shared machine it says more about the work done than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func p95(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return float64(ds[(len(ds)*95+99)/100-1]) / float64(time.Millisecond)
}

func BenchmarkListPartners100k(b *testing.B) {
	const n = 100_000
	for dialect, dsn := range storetest.DSNs(b) {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dsn)
			ctx := storetest.System()
			org := storetest.Org(b, db, "大手製造")
			start := time.Now()
			res, err := db.ImportPartners(ctx, org.ID, benchRows(n, 1), renkei.ImportAllOrNothing, false)
			if err != nil || res.Created != n {
				b.Fatalf("seed: %+v %v", res.Errors[:min(3, len(res.Errors))], err)
			}
			b.Logf("%s: imported %d partners in %s", dialect, n, time.Since(start).Round(time.Millisecond))
			seedAgreements(b, db, org.ID)
			if dialect == sqlstore.Postgres {
				// What autovacuum does shortly after a bulk load: statistics
				// for the planner, and the visibility map that lets
				// index-only scans skip the table.
				if _, err := db.SQL().Exec(`VACUUM ANALYZE`); err != nil {
					b.Fatal(err)
				}
			}
			// A cursor half-way down the default sort.
			var score int
			var id string
			if err := db.SQL().QueryRow(db.Rebind(`SELECT risk_score, id FROM partners WHERE org_id = ? AND archived = ? ORDER BY risk_score DESC, id DESC LIMIT 1 OFFSET 50000`), org.ID, false).Scan(&score, &id); err != nil {
				b.Fatal(err)
			}
			deep := renkei.EncodeCursor("-risk|" + strconv.Itoa(score) + "|" + id)
			cases := []struct {
				name   string
				f      renkei.PartnerFilter
				cursor string
			}{
				{"first_page", renkei.PartnerFilter{}, ""},
				{"deep_page_50000", renkei.PartnerFilter{}, deep},
				{"type_group", renkei.PartnerFilter{Type: "group"}, ""},
				{"tier_low", renkei.PartnerFilter{Tier: "low"}, ""},
				{"tier_high", renkei.PartnerFilter{Tier: "high"}, ""},
				{"level_star4", renkei.PartnerFilter{RequiredLevel: "star4"}, ""},
				{"industry_d", renkei.PartnerFilter{Industry: "d"}, ""},
				{"department_legal", renkei.PartnerFilter{Department: "legal"}, ""},
				{"missing_incident", renkei.PartnerFilter{MissingIncidentInfo: true}, ""},
				{"missing_agreement", renkei.PartnerFilter{MissingAgreement: "confidentiality"}, ""},
				{"missing_agreement_rare", renkei.PartnerFilter{MissingAgreement: "confidentiality", Tier: "high", Type: "overseas"}, ""},
				{"query_common", renkei.PartnerFilter{Query: "精密"}, ""},
				{"query_one", renkei.PartnerFilter{Query: "V054321"}, ""},
				{"query_none", renkei.PartnerFilter{Query: "存在しない会社"}, ""},
				{"sort_name", renkei.PartnerFilter{Sort: "name"}, ""},
				{"sort_created_desc", renkei.PartnerFilter{Sort: "-created"}, ""},
				{"type_tier_sort_name", renkei.PartnerFilter{Type: "supplier", Tier: "medium", Sort: "name"}, ""},
				{"industry_dept_sort_created", renkei.PartnerFilter{Industry: "f", Department: "it_security", Sort: "-created"}, ""},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					ds := make([]time.Duration, 0, b.N)
					for b.Loop() {
						t0 := time.Now()
						list, _, err := db.ListPartners(ctx, org.ID, c.f, renkei.Page{Limit: 50, Cursor: c.cursor})
						ds = append(ds, time.Since(t0))
						if err != nil {
							b.Fatal(err)
						}
						_ = list
					}
					b.ReportMetric(p95(ds), "p95-ms")
				})
			}
			for _, c := range []struct {
				name string
				f    renkei.PartnerFilter
			}{
				{"count_all", renkei.PartnerFilter{}},
				{"count_tier_high", renkei.PartnerFilter{Tier: "high"}},
				{"count_missing_agreement", renkei.PartnerFilter{MissingAgreement: "confidentiality"}},
				{"count_query", renkei.PartnerFilter{Query: "精密"}},
			} {
				b.Run(c.name, func(b *testing.B) {
					ds := make([]time.Duration, 0, b.N)
					for b.Loop() {
						t0 := time.Now()
						_, err := db.CountPartners(ctx, org.ID, c.f)
						ds = append(ds, time.Since(t0))
						if err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(p95(ds), "p95-ms")
				})
			}
			b.Run("expiring_agreements", func(b *testing.B) {
				ds := make([]time.Duration, 0, b.N)
				for b.Loop() {
					t0 := time.Now()
					_, _, err := db.ExpiringAgreements(ctx, org.ID, 30*24*time.Hour, renkei.Page{Limit: 50})
					ds = append(ds, time.Since(t0))
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(p95(ds), "p95-ms")
			})
			b.Run("coverage", func(b *testing.B) {
				ds := make([]time.Duration, 0, b.N)
				for b.Loop() {
					t0 := time.Now()
					_, err := db.Coverage(ctx, org.ID)
					ds = append(ds, time.Since(t0))
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(p95(ds), "p95-ms")
			})
		})
	}
}

// BenchmarkImport100k measures the store's part of an import: 100,000
// parsed rows into a new organization, then the same rows again (nothing
// to create or update).
func BenchmarkImport100k(b *testing.B) {
	const n = 100_000
	rows := benchRows(n, 7)
	for dialect, dsn := range storetest.DSNs(b) {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dsn)
			ctx := context.Background()
			ctx = renkei.WithActor(ctx, renkei.SystemActor("bench"))
			var first, second, cpu time.Duration
			for b.Loop() {
				org := storetest.Org(b, db, "取込")
				t0, c0 := time.Now(), cpuTime()
				res, err := db.ImportPartners(ctx, org.ID, rows, renkei.ImportAllOrNothing, false)
				first += time.Since(t0)
				cpu += cpuTime() - c0
				if err != nil || res.Created != n {
					b.Fatalf("%+v %v", len(res.Errors), err)
				}
				t0 = time.Now()
				res, err = db.ImportPartners(ctx, org.ID, rows, renkei.ImportAllOrNothing, false)
				second += time.Since(t0)
				if err != nil || res.Created != 0 || res.Updated != 0 {
					b.Fatalf("re-import: %+v %v", res.Created, err)
				}
			}
			b.ReportMetric(first.Seconds()/float64(b.N), "import-s")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "import-cpu-s")
			b.ReportMetric(second.Seconds()/float64(b.N), "reimport-s")
		})
	}
}
