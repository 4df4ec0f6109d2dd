package sqlstore_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// Run with:
//
//	go test ./sqlstore -run '^$' -bench 'IncidentList100k' -benchtime 200x
//
// (RENKEI_TEST_POSTGRES set for the PostgreSQL figures;
// RENKEI_BENCH_INCIDENTS changes the size). The list benchmarks report
// p95-ms: one page of 50 cases with each case's nearest deadline, as the
// incidents page reads it.

// seedIncidents writes n cases of org (spread over 200 partners, all kinds
// and statuses, a third with APPI duties) straight into the tables, with
// their duties evaluated by the core as the store would.
func seedIncidents(b *testing.B, db *sqlstore.DB, orgID string, partners []string, n int) {
	b.Helper()
	r := rand.New(rand.NewPCG(5, 2026))
	rules := renkei.DefaultObligationRules()
	tx, err := db.SQL().Begin()
	if err != nil {
		b.Fatal(err)
	}
	insInc, err := tx.Prepare(db.Rebind(`INSERT INTO incidents (id, org_id, ref, partner_id, company_id, type, aware_at, persons,
		pd_sensitive, status, source, created_at, updated_at) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, 'staff', ?, ?)`))
	if err != nil {
		b.Fatal(err)
	}
	insDuty, err := tx.Prepare(db.Rebind(`INSERT INTO incident_obligations (incident_id, org_id, code, title, basis, reasons, due_at, status,
		rule_version, position) VALUES (?, ?, ?, '{}', '{}', '[]', ?, 'open', 1, ?)`))
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now().Add(-365 * 24 * time.Hour)
	for i := 0; i < n; i++ {
		aware := start.Add(time.Duration(i) * 300 * time.Second).UTC()
		in := &renkei.Incident{Type: renkei.IncidentTypes[r.IntN(len(renkei.IncidentTypes))], AwareAt: aware,
			Status: renkei.IncidentStatuses[r.IntN(len(renkei.IncidentStatuses))], PartnerID: partners[r.IntN(len(partners))]}
		if r.IntN(3) == 0 {
			in.PersonalData = renkei.PersonalData{Persons: r.IntN(5000), Sensitive: r.IntN(4) == 0}
		}
		id := sqlstore.NewID()
		if _, err := insInc.Exec(id, orgID, fmt.Sprintf("INC-B-%07d", i), in.PartnerID, in.Type, aware, in.PersonalData.Persons,
			in.PersonalData.Sensitive, in.Status, aware, aware); err != nil {
			b.Fatal(err)
		}
		for k, ob := range rules.Evaluate(renkei.IncidentFacts{Incident: in}) {
			if _, err := insDuty.Exec(id, orgID, ob.Code, ob.DueAt, k); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkIncidentList100k(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("RENKEI_BENCH_INCIDENTS")); err == nil && v > 0 {
		n = v
	}
	for dialect, dsn := range storetest.DSNs(b) {
		b.Run(dialect, func(b *testing.B) { benchIncidentList(b, storetest.Open(b, dsn), dialect, n) })
	}
}

func benchIncidentList(b *testing.B, db *sqlstore.DB, dialect string, n int) {
	{
		org := storetest.Org(b, db, "甲社")
		sys := storetest.System()
		var partners []string
		for i := 0; i < 200; i++ {
			p := &renkei.Partner{OrgID: org.ID, Type: renkei.PartnerSupplier, Company: renkei.Company{Name: fmt.Sprintf("取引先%03d株式会社", i)}}
			if err := db.CreatePartner(sys, p); err != nil {
				b.Fatal(err)
			}
			partners = append(partners, p.ID)
		}
		t0 := time.Now()
		seedIncidents(b, db, org.ID, partners, n)
		b.Logf("%s: seeded %d incidents in %s", dialect, n, time.Since(t0).Round(time.Millisecond))
		if dialect == sqlstore.Postgres {
			if _, err := db.SQL().Exec(`VACUUM ANALYZE`); err != nil {
				b.Fatal(err)
			}
		}
		staff := asUser(org.ID, renkei.RoleSecurity)
		filters := map[string]renkei.IncidentFilter{
			"all": {}, "open": {Open: true}, "status": {Status: renkei.IncidentInvestigating},
			"partner": {PartnerID: partners[7]}, "type": {Type: "ransomware", Open: true},
		}
		for name, f := range filters {
			b.Run(name, func(b *testing.B) {
				var ds []time.Duration
				for b.Loop() {
					t := time.Now()
					items, _, err := db.ListIncidents(staff, org.ID, f, renkei.Page{Limit: 50})
					if err != nil {
						b.Fatal(err)
					}
					ids := make([]string, len(items))
					for i := range items {
						ids[i] = items[i].ID
					}
					if _, err := db.Clocks(staff, org.ID, ids); err != nil {
						b.Fatal(err)
					}
					ds = append(ds, time.Since(t))
				}
				b.ReportMetric(p95(ds), "p95-ms")
			})
		}
	}
}
