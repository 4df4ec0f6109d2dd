package sqlstore_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// importRows builds n valid rows (lines 2…n+1) with external IDs V-1…
// and, for every other row, a Corporate Number.
func importRows(n int) []renkei.ImportRow {
	rows := make([]renkei.ImportRow, n)
	for i := range rows {
		p := renkei.Partner{ExternalID: fmt.Sprintf("V-%d", i+1), Type: renkei.PartnerSupplier,
			Company: renkei.Company{Name: fmt.Sprintf("取引先%03d株式会社", i+1), Industry: "d", Employees: 10 * (i + 1)}}
		if i%2 == 0 {
			p.Company.CorporateNumber = corpNum(9000 + i)
		}
		if i%3 == 0 {
			p.Profile.Provides = []string{"saas"}
			p.Profile.ReachesInternalNetwork = true
		}
		rows[i] = renkei.ImportRow{Row: i + 2, Partner: p}
	}
	return rows
}

func historyCount(t *testing.T, db *sqlstore.DB, orgID string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(db.Rebind(`SELECT COUNT(*) FROM partner_risk_history WHERE org_id = ?`), orgID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportCreatesThenReimportCreatesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		rows := importRows(1200) // more than one chunk
		audit := auditCount(t, db, org.ID)
		res, err := db.ImportPartners(ctx, org.ID, rows, renkei.ImportAllOrNothing, false)
		if err != nil || res.Created != 1200 || res.Updated != 0 || len(res.Errors) != 0 {
			t.Fatalf("first import: %+v %v", res, err)
		}
		if n, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{}); n != 1200 {
			t.Fatalf("count %d", n)
		}
		if n, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{RequiredLevel: renkei.LevelStar4}); n != 400 {
			t.Fatalf("risk not evaluated on import: %d star4", n)
		}
		if n := historyCount(t, db, org.ID); n != 1200 {
			t.Fatalf("%d history rows", n)
		}
		if n := auditCount(t, db, org.ID); n != audit+1 {
			t.Fatalf("%d audit entries for one import", n-audit)
		}
		// A partner imported reads back like one created by hand.
		list, _, _ := db.ListPartners(ctx, org.ID, renkei.PartnerFilter{Query: "取引先001"}, renkei.Page{})
		if len(list) != 1 || list[0].ExternalID != "V-1" || list[0].Company.CorporateNumber != corpNum(9000) || list[0].Required != renkei.LevelStar4 ||
			list[0].Risk.Reasons[0].Factor != "reaches_internal_network" || list[0].RequiredReason.JA == "" {
			t.Fatalf("imported partner: %+v", list)
		}

		res, err = db.ImportPartners(ctx, org.ID, rows, renkei.ImportAllOrNothing, false)
		if err != nil || res.Created != 0 || res.Updated != 0 || len(res.Errors) != 0 {
			t.Fatalf("re-import: %+v %v", res, err)
		}
		if n, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{}); n != 1200 {
			t.Fatalf("count after re-import %d", n)
		}
		// Changed rows update; matched by external ID, or by Corporate
		// Number when the row has no external ID.
		rows[0].Partner.Company.Employees = 99999
		rows[6].Partner.ExternalID = "" // matched by number
		rows[6].Partner.Profile.ReachesInternalNetwork = false
		res, err = db.ImportPartners(ctx, org.ID, rows, renkei.ImportAllOrNothing, false)
		if err != nil || res.Created != 0 || res.Updated != 2 || len(res.Errors) != 0 {
			t.Fatalf("import with two changes: %+v %v", res, err)
		}
		seventh, _, _ := db.ListPartners(ctx, org.ID, renkei.PartnerFilter{Query: "取引先007"}, renkei.Page{})
		if len(seventh) != 1 || seventh[0].ExternalID != "V-7" || seventh[0].Required != renkei.LevelStar3 {
			t.Fatalf("row matched by number: %+v", seventh)
		}
		if n := historyCount(t, db, org.ID); n != 1202 {
			t.Fatalf("%d history rows after two risk-relevant updates", n)
		}
	})
}

func TestImportAllOrNothingKeepsNothingOnOneBadRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		rows := importRows(10)
		rows[4].Partner.Company.CorporateNumber = "1234567890123" // bad check digit
		rows[7].Partner.Type = "vendor"
		audit := auditCount(t, db, org.ID)
		res, err := db.ImportPartners(ctx, org.ID, rows, renkei.ImportAllOrNothing, false)
		if err != nil {
			t.Fatal(err)
		}
		want := []renkei.ImportError{{Row: 6, Column: "company.corporate_number", Key: "field.corporate_number"}, {Row: 9, Column: "type", Key: "field.partner_type"}}
		if res.Created != 0 || res.Updated != 0 || !reflect.DeepEqual(res.Errors, want) {
			t.Fatalf("result: %+v", res)
		}
		if n, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{}); n != 0 {
			t.Fatalf("%d partners kept", n)
		}
		var companies int
		db.SQL().QueryRow(`SELECT COUNT(*) FROM companies`).Scan(&companies)
		if companies != 0 || historyCount(t, db, org.ID) != 0 || auditCount(t, db, org.ID) != audit {
			t.Fatalf("left behind: %d companies, history, or audit", companies)
		}
	})
}

func TestImportSkipInvalidKeepsTheGoodRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		existing := mustCreate(t, db, newPartner(org.ID, "既存", corpNum(777), renkei.PartnerGroup))
		existing.ExternalID = "G-1"
		if err := db.UpdatePartner(ctx, existing); err != nil {
			t.Fatal(err)
		}
		rows := importRows(6)
		rows[1].Partner.Company.Name = "" // required
		rows[2].Partner.Contacts.Incident.Email = "not an address"
		// The same partner twice in the file.
		rows = append(rows, renkei.ImportRow{Row: 8, Partner: rows[0].Partner})
		// Another external ID for the company already tied as G-1.
		rows = append(rows, renkei.ImportRow{Row: 9, Partner: renkei.Partner{ExternalID: "V-new", Type: "supplier", Company: renkei.Company{Name: "既存の別名", CorporateNumber: corpNum(777)}}})
		res, err := db.ImportPartners(ctx, org.ID, rows, renkei.ImportSkipInvalid, false)
		if err != nil {
			t.Fatal(err)
		}
		want := []renkei.ImportError{
			{Row: 3, Column: "company.name", Key: "field.required"},
			{Row: 4, Column: "contacts.incident.email", Key: "field.email"},
			{Row: 8, Column: "external_id", Key: "import.duplicate_row", Args: []any{2}},
			{Row: 9, Column: "company.corporate_number", Key: "import.corporate_number_taken", Args: []any{"G-1"}},
		}
		if res.Created != 4 || res.Updated != 0 || !reflect.DeepEqual(res.Errors, want) {
			t.Fatalf("result: %+v", res)
		}
		if n, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{}); n != 5 {
			t.Fatalf("count %d", n)
		}
		got, _ := db.Partner(ctx, org.ID, existing.ID)
		if got.Company.Name != "既存" || got.ExternalID != "G-1" {
			t.Fatalf("existing partner changed: %+v", got)
		}
	})
}

func TestImportDryRunKeepsNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		rows := importRows(5)
		if res, err := db.ImportPartners(ctx, org.ID, rows[:2], renkei.ImportAllOrNothing, false); err != nil || res.Created != 2 {
			t.Fatalf("setup: %+v %v", res, err)
		}
		rows[0].Partner.Notes = "変更"
		rows[4].Partner.Type = ""
		audit := auditCount(t, db, org.ID)
		res, err := db.ImportPartners(ctx, org.ID, rows, renkei.ImportSkipInvalid, true)
		if err != nil || res.Created != 2 || res.Updated != 1 || len(res.Errors) != 1 || res.Errors[0].Row != 6 {
			t.Fatalf("dry run: %+v %v", res, err)
		}
		if n, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{}); n != 2 {
			t.Fatalf("dry run kept partners: %d", n)
		}
		list, _, _ := db.ListPartners(ctx, org.ID, renkei.PartnerFilter{Query: "V-1"}, renkei.Page{})
		if len(list) != 1 || list[0].Notes != "" {
			t.Fatalf("dry run kept an update: %+v", list)
		}
		if auditCount(t, db, org.ID) != audit || historyCount(t, db, org.ID) != 2 {
			t.Fatal("dry run left audit or history entries")
		}
		// The same dry run in all-or-nothing mode reports the error and
		// counts nothing.
		res, err = db.ImportPartners(ctx, org.ID, rows, renkei.ImportAllOrNothing, true)
		if err != nil || res.Created != 0 || res.Updated != 0 || len(res.Errors) != 1 {
			t.Fatalf("all-or-nothing dry run: %+v %v", res, err)
		}
		_, err = db.ImportPartners(ctx, org.ID, rows, "best_effort", false)
		wantCode(t, "unknown mode", err, renkei.EINVALID)
	})
}

// TestImportUpdatesOnlyTheFileColumns: a file with a few columns must not
// blank what the organization recorded in the others.
func TestImportUpdatesOnlyTheFileColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org, other := storetest.Org(t, db, "甲社"), storetest.Org(t, db, "乙社")
		p := mustCreate(t, db, fullPartner(org.ID))
		// Another organization already registered a company the file
		// names: it is reused, as a company, not as data.
		theirs := newPartner(other.ID, "乙社の呼び名", corpNum(31337), renkei.PartnerSupplier)
		theirs.Company.Employees = 5
		mustCreate(t, db, theirs)
		cols := []string{"external_id", "company.name", "company.corporate_number", "type", "company.industry", "company.country", "company.employees"}
		rows := []renkei.ImportRow{
			{Row: 2, Columns: cols, Partner: renkei.Partner{ExternalID: "V-0001", Type: "group", Company: renkei.Company{Name: "ABC製作所", Industry: "f", Employees: 300}}},
			{Row: 3, Columns: cols, Partner: renkei.Partner{ExternalID: "N-1", Type: "supplier", Company: renkei.Company{Name: "甲社の呼び名", CorporateNumber: corpNum(31337), Industry: "h"}}},
		}
		res, err := db.ImportPartners(ctx, org.ID, rows, renkei.ImportAllOrNothing, false)
		if err != nil || res.Created != 1 || res.Updated != 1 || len(res.Errors) != 0 {
			t.Fatalf("import: %+v %v", res, err)
		}
		got, _ := db.Partner(ctx, org.ID, p.ID)
		if got.Type != "group" || got.Company.Name != "ABC製作所" || got.Company.Industry != "f" || got.Company.Employees != 300 {
			t.Fatalf("columns not applied: %+v", got)
		}
		if got.Company.CorporateNumber != p.Company.CorporateNumber || got.Company.ID != p.Company.ID {
			t.Fatalf("an empty Corporate Number cell cleared the number: %+v", got.Company)
		}
		if got.Contacts != p.Contacts || !reflect.DeepEqual(got.Profile, p.Profile) || got.Notes != p.Notes || got.Company.WebDomain != p.Company.WebDomain || got.Department != p.Department {
			t.Fatalf("fields without a column changed:\n got %+v\nwant %+v", got, p)
		}
		list, _, _ := db.ListPartners(ctx, org.ID, renkei.PartnerFilter{Query: "N-1"}, renkei.Page{})
		if len(list) != 1 || list[0].Company.ID != theirs.Company.ID || list[0].Company.Name != "甲社の呼び名" || list[0].Company.Employees != 0 {
			t.Fatalf("new partner on the shared company: %+v", list)
		}
		if g, _ := db.Partner(ctx, other.ID, theirs.ID); g.Company.Name != "乙社の呼び名" || g.Company.Employees != 5 {
			t.Fatalf("the other organization's view changed: %+v", g.Company)
		}
	})
}
