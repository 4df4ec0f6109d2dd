package sqlstore_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// corpNum returns a valid Corporate Number built on n.
func corpNum(n int) string {
	base := fmt.Sprintf("%012d", n)
	return string(rune('0'+renkei.CorporateNumberCheckDigit(base))) + base
}

func newPartner(orgID, name, corp, typ string) *renkei.Partner {
	return &renkei.Partner{OrgID: orgID, Type: typ, Company: renkei.Company{Name: name, CorporateNumber: corp}}
}

func mustCreate(t *testing.T, db *sqlstore.DB, p *renkei.Partner) *renkei.Partner {
	t.Helper()
	if err := db.CreatePartner(storetest.System(), p); err != nil {
		t.Fatalf("create %s: %v", p.Company.Name, err)
	}
	return p
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if renkei.ErrorCode(err) != code {
		t.Fatalf("%s: want %s, got %v", what, code, err)
	}
}

// asUser acts as a member of org with a role.
func asUser(orgID string, role renkei.Role) context.Context {
	return renkei.WithActor(context.Background(), &renkei.Actor{UserID: sqlstore.NewID(), OrgID: orgID, Role: role, Email: "member@example.jp"})
}

func auditCount(t *testing.T, db *sqlstore.DB, orgID string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(db.Rebind(`SELECT COUNT(*) FROM audit_log WHERE org_id = ?`), orgID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func fullPartner(orgID string) *renkei.Partner {
	return &renkei.Partner{
		OrgID: orgID, ExternalID: " V-0001 ", Type: renkei.PartnerSupplier, Department: "procurement",
		Company: renkei.Company{Name: "株式会社 ＡＢＣ製作所", NameKana: "エービーシーセイサクショ", CorporateNumber: "７０１０００１００８８４４",
			Industry: "d", Employees: 250, RevenueBand: "1b_10b", Listed: true, WebDomain: "https://ABC.example.jp/", MailDomain: "abc.example.jp"},
		Profile: renkei.Profile{Provides: []string{"it_operations", "saas"}, PersonalDataCount: 5000, ConfidentialTechnical: true,
			NetworkAccess: []string{"remote_maintenance"}, OutageStopsBusiness: true, Region: "関東", ReachesInternalNetwork: true},
		Contacts: renkei.Contacts{Business: renkei.Contact{Name: "営業 太郎", Email: "Sales@ABC.example.jp"},
			Incident: renkei.Contact{Name: "CSIRT", Email: "csirt@abc.example.jp", Phone: "03-0000-0000"}, IncidentProcedure: "電話の後、1時間以内にメールで報告"},
		Notes: "年次監査あり",
	}
}

func TestPartnerRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		p := mustCreate(t, db, fullPartner(org.ID))
		if p.ID == "" || p.Company.ID == "" || p.CreatedAt.IsZero() || p.Company.CorporateNumber != "7010001008844" || p.ExternalID != "V-0001" {
			t.Fatalf("create did not fill in: %+v", p)
		}
		if p.Required != renkei.LevelStar4 || p.Risk.Score == 0 || len(p.Risk.Reasons) == 0 || p.RequiredReason.JA == "" {
			t.Fatalf("risk not evaluated: %+v %s %+v", p.Risk, p.Required, p.RequiredReason)
		}
		got, err := db.Partner(ctx, org.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, p) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, p)
		}
		if got.ArchivedAt != nil || !got.Company.Listed || got.Company.WebDomain != "abc.example.jp" || got.Contacts.Business.Email != "sales@abc.example.jp" {
			t.Fatalf("fields: %+v", got)
		}

		// Update: a new name, no METI question any more.
		got.Company.Name = "ABC製作所株式会社"
		got.Profile.ReachesInternalNetwork = false
		got.Profile.NetworkAccess = nil
		got.Contacts.IncidentProcedure = ""
		if err := db.UpdatePartner(ctx, got); err != nil {
			t.Fatal(err)
		}
		again, err := db.Partner(ctx, org.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.Company.Name != "ABC製作所株式会社" || again.Required != renkei.LevelStar3 || again.Risk.Score >= p.Risk.Score ||
			!again.CreatedAt.Equal(p.CreatedAt) || again.Company.ID != p.Company.ID || len(again.Profile.NetworkAccess) != 0 {
			t.Fatalf("after update: %+v", again)
		}
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("update result differs from stored:\n got %+v\nwant %+v", again, got)
		}

		// Archive and back.
		if err := db.ArchivePartner(ctx, org.ID, p.ID, true); err != nil {
			t.Fatal(err)
		}
		arch, _ := db.Partner(ctx, org.ID, p.ID)
		if arch.ArchivedAt == nil {
			t.Fatal("archived_at not set")
		}
		if n, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{}); n != 0 {
			t.Fatalf("archived partner counted as active: %d", n)
		}
		if n, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{Archived: true}); n != 1 {
			t.Fatalf("archived count %d", n)
		}
		if err := db.ArchivePartner(ctx, org.ID, p.ID, false); err != nil {
			t.Fatal(err)
		}
		if back, _ := db.Partner(ctx, org.ID, p.ID); back.ArchivedAt != nil {
			t.Fatal("unarchive kept archived_at")
		}

		// The same company cannot be tied twice; the external ID is unique.
		dup := newPartner(org.ID, "別名", "7010001008844", renkei.PartnerGroup)
		err = db.CreatePartner(ctx, dup)
		wantCode(t, "second tie to the company", err, renkei.ECONFLICT)
		if e := err.(*renkei.Error); e.Fields["company.corporate_number"] == "" {
			t.Fatalf("conflict without field: %+v", e)
		}
		other := newPartner(org.ID, "別会社", "", renkei.PartnerSupplier)
		other.ExternalID = "V-0001"
		err = db.CreatePartner(ctx, other)
		wantCode(t, "external ID taken", err, renkei.ECONFLICT)
		if e := err.(*renkei.Error); e.Fields["external_id"] == "" {
			t.Fatalf("conflict without field: %+v", e)
		}
		// Invalid input never reaches the database.
		bad := newPartner(org.ID, "誤り", "1234567890123", renkei.PartnerSupplier)
		err = db.CreatePartner(ctx, bad)
		wantCode(t, "bad corporate number", err, renkei.EINVALID)
		if e := err.(*renkei.Error); e.Fields["company.corporate_number"] == "" {
			t.Fatalf("no field error: %+v", e)
		}
		if n, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{}); n != 1 {
			t.Fatalf("count %d after refused creates", n)
		}
	})
}

func TestPartnerCorporateNumberChangeMovesTie(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		a, b := storetest.Org(t, db, "甲社"), storetest.Org(t, db, "乙社")
		shared := mustCreate(t, db, newPartner(b.ID, "共有", corpNum(7), renkei.PartnerSupplier))
		p := mustCreate(t, db, newPartner(a.ID, "番号なし", "", renkei.PartnerSupplier))
		private := p.Company.ID
		p.Company.CorporateNumber = corpNum(7)
		if err := db.UpdatePartner(ctx, p); err != nil {
			t.Fatal(err)
		}
		if p.Company.ID != shared.Company.ID {
			t.Fatalf("tie not moved to the company with the number: %s != %s", p.Company.ID, shared.Company.ID)
		}
		var n int
		if err := db.SQL().QueryRow(db.Rebind(`SELECT COUNT(*) FROM companies WHERE id = ?`), private).Scan(&n); err != nil || n != 0 {
			t.Fatalf("orphaned private company row kept: %d %v", n, err)
		}
		// Another partner of a cannot take the same company.
		q := mustCreate(t, db, newPartner(a.ID, "別", "", renkei.PartnerSupplier))
		q.Company.CorporateNumber = corpNum(7)
		wantCode(t, "second tie by update", db.UpdatePartner(ctx, q), renkei.ECONFLICT)
		// Dropping the number moves a's partner to a private row; b keeps
		// the shared one.
		p.Company.CorporateNumber = ""
		if err := db.UpdatePartner(ctx, p); err != nil {
			t.Fatal(err)
		}
		if p.Company.ID == shared.Company.ID {
			t.Fatal("partner still on the shared row without a number")
		}
		if got, _ := db.Partner(ctx, b.ID, shared.ID); got.Company.CorporateNumber != corpNum(7) || got.Company.ID != shared.Company.ID {
			t.Fatalf("b's partner changed: %+v", got.Company)
		}
	})
}

func TestCompanySharedByTwoOrganizationsStaysPrivate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		a, b := storetest.Org(t, db, "甲社"), storetest.Org(t, db, "乙社")
		pa := newPartner(a.ID, "株式会社東西電機", corpNum(42), renkei.PartnerSupplier)
		pa.Company.Industry, pa.Company.Employees, pa.Notes = "d", 300, "甲社のメモ"
		mustCreate(t, db, pa)
		pb := newPartner(b.ID, "東西電機(株)", corpNum(42), renkei.PartnerGroup)
		pb.Company.Industry, pb.Company.Employees = "f", 12
		mustCreate(t, db, pb)
		if pa.Company.ID != pb.Company.ID {
			t.Fatalf("one company, two rows: %s %s", pa.Company.ID, pb.Company.ID)
		}
		var companies int
		db.SQL().QueryRow(`SELECT COUNT(*) FROM companies`).Scan(&companies)
		if companies != 1 {
			t.Fatalf("%d company rows", companies)
		}
		// b changes its view; a's stays as a recorded it.
		pb.Company.Name, pb.Company.Employees = "東西電機ホールディングス", 5000
		if err := db.UpdatePartner(ctx, pb); err != nil {
			t.Fatal(err)
		}
		got, err := db.Partner(ctx, a.ID, pa.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Company.Name != "株式会社東西電機" || got.Company.Employees != 300 || got.Company.Industry != "d" || got.Type != renkei.PartnerSupplier || got.Notes != "甲社のメモ" {
			t.Fatalf("b's update leaked into a's view: %+v", got)
		}
		gb, _ := db.Partner(ctx, b.ID, pb.ID)
		if gb.Company.Name != "東西電機ホールディングス" || gb.Notes != "" || !gb.CreatedAt.Equal(pb.CreatedAt) {
			t.Fatalf("b's view: %+v", gb)
		}
		// Neither sees the other's partner; the company's timestamps are
		// the organization's own (they do not tell that another
		// organization registered it first).
		if _, err := db.Partner(ctx, b.ID, pa.ID); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("a's partner seen by b: %v", err)
		}
		if !gb.Company.CreatedAt.Equal(gb.CreatedAt) {
			t.Fatalf("company created_at %v is not the partner's %v", gb.Company.CreatedAt, gb.CreatedAt)
		}
		// Both list only their own.
		for _, o := range []*renkei.Organization{a, b} {
			list, _, err := db.ListPartners(ctx, o.ID, renkei.PartnerFilter{}, renkei.Page{})
			if err != nil || len(list) != 1 || list[0].OrgID != o.ID {
				t.Fatalf("list of %s: %+v %v", o.Name, list, err)
			}
		}
	})
}

func TestPossibleDuplicatesStayInTheOrganization(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		a, b := storetest.Org(t, db, "甲社"), storetest.Org(t, db, "乙社")
		p := mustCreate(t, db, newPartner(a.ID, "株式会社 ＡＢＣ製作所", corpNum(1), renkei.PartnerSupplier))
		sameNoNumber := mustCreate(t, db, newPartner(a.ID, "ABC製作所(株)", "", renkei.PartnerSupplier))
		otherNumber := mustCreate(t, db, newPartner(a.ID, "abc製作所", corpNum(2), renkei.PartnerGroup))
		overseas := newPartner(a.ID, "ABC製作所", "", renkei.PartnerOverseas)
		overseas.Company.Country = "US"
		mustCreate(t, db, overseas)
		mustCreate(t, db, newPartner(a.ID, "XYZ製作所", "", renkei.PartnerSupplier))
		// Another tenant's partner with the same name must never show.
		mustCreate(t, db, newPartner(b.ID, "ABC製作所", "", renkei.PartnerSupplier))

		dups, err := db.PossibleDuplicates(ctx, a.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for _, c := range dups {
			ids[c.ID] = c.Name
		}
		if len(dups) != 2 || ids[sameNoNumber.Company.ID] != "ABC製作所(株)" || ids[otherNumber.Company.ID] != "abc製作所" {
			t.Fatalf("duplicates: %+v", dups)
		}
		if _, err := db.PossibleDuplicates(ctx, b.ID, p.ID); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("duplicates from another org: %v", err)
		}
	})
}

// TestPartnerMethodsAreScopedToTheOrganization calls every method with
// another organization's ID and one of a's IDs: each answers not found
// and changes nothing.
func TestPartnerMethodsAreScopedToTheOrganization(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		a, b := storetest.Org(t, db, "甲社"), storetest.Org(t, db, "乙社")
		p := mustCreate(t, db, fullPartner(a.ID))
		kinds, err := db.RequirementKinds(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		from := time.Now().Add(-time.Hour)
		ag := &renkei.Agreement{OrgID: a.ID, PartnerID: p.ID, RequirementID: kinds[0].ID, Contract: "基本契約", ValidFrom: &from}
		if err := db.CreateAgreement(ctx, ag); err != nil {
			t.Fatal(err)
		}
		sr := &renkei.SupportRecord{OrgID: a.ID, PartnerID: p.ID, Kind: "education", Date: time.Now(), Description: "研修"}
		if err := db.CreateSupportRecord(ctx, sr); err != nil {
			t.Fatal(err)
		}
		bKinds, err := db.RequirementKinds(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		before, _ := db.Partner(ctx, a.ID, p.ID)
		auditA := auditCount(t, db, a.ID)

		nf := func(what string, err error) {
			t.Helper()
			wantCode(t, what, err, renkei.ENOTFOUND)
		}
		_, err = db.Partner(ctx, b.ID, p.ID)
		nf("Partner", err)
		upd := *before
		upd.OrgID, upd.Notes = b.ID, "乗っ取り"
		nf("UpdatePartner", db.UpdatePartner(ctx, &upd))
		nf("ArchivePartner", db.ArchivePartner(ctx, b.ID, p.ID, true))
		_, err = db.RiskHistory(ctx, b.ID, p.ID)
		nf("RiskHistory", err)
		_, err = db.PossibleDuplicates(ctx, b.ID, p.ID)
		nf("PossibleDuplicates", err)
		_, err = db.Agreements(ctx, b.ID, p.ID)
		nf("Agreements", err)
		nf("CreateAgreement (b's kind on a's partner)", db.CreateAgreement(ctx, &renkei.Agreement{OrgID: b.ID, PartnerID: p.ID, RequirementID: bKinds[0].ID}))
		// a's partner with b's requirement kind, in a.
		nf("CreateAgreement (a's partner, b's kind)", db.CreateAgreement(ctx, &renkei.Agreement{OrgID: a.ID, PartnerID: p.ID, RequirementID: bKinds[0].ID}))
		agB := *ag
		agB.OrgID, agB.Contract = b.ID, "改ざん"
		nf("UpdateAgreement", db.UpdateAgreement(ctx, &agB))
		nf("DeleteAgreement", db.DeleteAgreement(ctx, b.ID, p.ID, ag.ID))
		_, err = db.SupportRecords(ctx, b.ID, p.ID)
		nf("SupportRecords", err)
		nf("CreateSupportRecord", db.CreateSupportRecord(ctx, &renkei.SupportRecord{OrgID: b.ID, PartnerID: p.ID, Kind: "education", Date: time.Now()}))

		// Lists of b see none of a's.
		if list, _, err := db.ListPartners(ctx, b.ID, renkei.PartnerFilter{}, renkei.Page{}); err != nil || len(list) != 0 {
			t.Fatalf("b lists %d partners, %v", len(list), err)
		}
		if n, _ := db.CountPartners(ctx, b.ID, renkei.PartnerFilter{}); n != 0 {
			t.Fatalf("b counts %d", n)
		}
		if list, _, _ := db.ExpiringAgreements(ctx, b.ID, 10000*24*time.Hour, renkei.Page{}); len(list) != 0 {
			t.Fatalf("b sees a's agreements: %+v", list)
		}
		cov, _ := db.Coverage(ctx, b.ID)
		for _, c := range cov {
			if c.Partners != 0 || c.Covered != 0 {
				t.Fatalf("b's coverage counts a's partners: %+v", c)
			}
		}
		// An import into b with a's external ID creates b's own partner
		// and leaves a's alone.
		res, err := db.ImportPartners(ctx, b.ID, []renkei.ImportRow{{Row: 2, Partner: renkei.Partner{ExternalID: "V-0001", Type: "group",
			Company: renkei.Company{Name: "乙の取引先"}}}}, renkei.ImportAllOrNothing, false)
		if err != nil || res.Created != 1 || res.Updated != 0 {
			t.Fatalf("import into b: %+v %v", res, err)
		}

		after, err := db.Partner(ctx, a.ID, p.ID)
		if err != nil || !reflect.DeepEqual(before, after) {
			t.Fatalf("a's partner changed:\n%+v\n%+v (%v)", before, after, err)
		}
		ags, _ := db.Agreements(ctx, a.ID, p.ID)
		if len(ags) != 1 || ags[0].Contract != "基本契約" {
			t.Fatalf("a's agreements changed: %+v", ags)
		}
		if srs, _ := db.SupportRecords(ctx, a.ID, p.ID); len(srs) != 1 {
			t.Fatalf("a's support records: %+v", srs)
		}
		if n := auditCount(t, db, a.ID); n != auditA {
			t.Fatalf("audit entries in a went from %d to %d", auditA, n)
		}
	})
}

func TestPartnerWritesNeedPermission(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		p := mustCreate(t, db, fullPartner(org.ID))
		kinds, _ := db.RequirementKinds(storetest.System(), org.ID)
		ag := &renkei.Agreement{OrgID: org.ID, PartnerID: p.ID, RequirementID: kinds[0].ID}
		if err := db.CreateAgreement(storetest.System(), ag); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			ctx  context.Context
			code string
		}{
			{"viewer", asUser(org.ID, renkei.RoleViewer), renkei.EFORBIDDEN},
			{"legal of another org", asUser(sqlstore.NewID(), renkei.RoleLegal), renkei.EFORBIDDEN},
			{"partner user", asUser(org.ID, renkei.RolePartner), renkei.EFORBIDDEN},
			{"nobody", context.Background(), renkei.EUNAUTHORIZED},
		} {
			ctx := c.ctx
			cp := *p
			for what, err := range map[string]error{
				"CreatePartner":         db.CreatePartner(ctx, newPartner(org.ID, "新規", "", renkei.PartnerSupplier)),
				"UpdatePartner":         db.UpdatePartner(ctx, &cp),
				"ArchivePartner":        db.ArchivePartner(ctx, org.ID, p.ID, true),
				"SetRiskPolicy":         db.SetRiskPolicy(ctx, org.ID, renkei.DefaultRiskPolicy()),
				"CreateRequirementKind": db.CreateRequirementKind(ctx, &renkei.RequirementKind{OrgID: org.ID, Code: "org-x", NameJA: "独自"}),
				"CreateAgreement":       db.CreateAgreement(ctx, &renkei.Agreement{OrgID: org.ID, PartnerID: p.ID, RequirementID: kinds[1].ID}),
				"UpdateAgreement":       db.UpdateAgreement(ctx, ag),
				"DeleteAgreement":       db.DeleteAgreement(ctx, org.ID, p.ID, ag.ID),
				"CreateSupportRecord":   db.CreateSupportRecord(ctx, &renkei.SupportRecord{OrgID: org.ID, PartnerID: p.ID, Kind: "education", Date: time.Now()}),
			} {
				if renkei.ErrorCode(err) != c.code {
					t.Errorf("%s %s: want %s, got %v", c.name, what, c.code, err)
				}
			}
			_, err := db.ImportPartners(ctx, org.ID, []renkei.ImportRow{{Row: 2, Partner: *newPartner("", "新規", "", "supplier")}}, renkei.ImportSkipInvalid, false)
			if renkei.ErrorCode(err) != c.code {
				t.Errorf("%s ImportPartners: %v", c.name, err)
			}
		}
		// A viewer still reads.
		v := asUser(org.ID, renkei.RoleViewer)
		if _, err := db.Partner(v, org.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.CountPartners(v, org.ID, renkei.PartnerFilter{}); n != 1 {
			t.Fatalf("count %d", n)
		}
		// A member with write permission writes.
		w := asUser(org.ID, renkei.RoleProcurement)
		if err := db.CreatePartner(w, newPartner(org.ID, "調達が追加", "", renkei.PartnerSupplier)); err != nil {
			t.Fatal(err)
		}
	})
}

// listFixture creates partners that differ in every filtered field.
func listFixture(t *testing.T, db *sqlstore.DB, orgID string) map[string]*renkei.Partner {
	t.Helper()
	mk := func(name, typ, industry, dept string, prof renkei.Profile, incident bool) *renkei.Partner {
		p := newPartner(orgID, name, "", typ)
		p.Company.Industry, p.Department, p.Profile = industry, dept, prof
		if incident {
			p.Contacts.Incident.Email = "csirt@" + strings.ToLower(name[:1]) + ".example.jp"
			p.Contacts.IncidentProcedure = "24時間以内に報告"
		}
		return mustCreate(t, db, p)
	}
	return map[string]*renkei.Partner{
		// high: 20+15+15+10+5 = 65, star4
		"high": mk("Alpha 100%株式会社", renkei.PartnerSupplier, "d", "procurement",
			renkei.Profile{ReachesInternalNetwork: true, HandlesConfidentialOnOwnIT: true, OutageUnacceptable: true, OutageStopsBusiness: true}, true),
		// medium: 10+10+10 = 30, star3
		"medium": mk("Beta_Systems", renkei.PartnerGroup, "f", "it_security",
			renkei.Profile{Provides: []string{"it_operations"}, NetworkAccess: []string{"site_to_site"}, ConfidentialTechnical: true}, false),
		// low: 5, star3
		"low": mk("Gamma商事", renkei.PartnerSupplier, "h", "business", renkei.Profile{Provides: []string{"saas"}}, true),
		// low, overseas: 5
		"overseas": mk("Delta GmbH", renkei.PartnerOverseas, "d", "", renkei.Profile{}, false),
	}
}

func names(ps []renkei.Partner) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Company.Name)
	}
	return out
}

func TestPartnerFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		fx := listFixture(t, db, org.ID)
		if fx["high"].Risk.Tier != renkei.TierHigh || fx["medium"].Risk.Tier != renkei.TierMedium || fx["low"].Risk.Tier != renkei.TierLow {
			t.Fatalf("fixture tiers: %s %s %s", fx["high"].Risk.Tier, fx["medium"].Risk.Tier, fx["low"].Risk.Tier)
		}
		kinds, _ := db.RequirementKinds(ctx, org.ID)
		conf := kinds[0] // confidentiality
		past, future, longAgo := time.Now().Add(-24*time.Hour), time.Now().Add(24*time.Hour), time.Now().Add(-48*time.Hour)
		for _, a := range []*renkei.Agreement{
			{OrgID: org.ID, PartnerID: fx["high"].ID, RequirementID: conf.ID, ValidFrom: &past},                         // active
			{OrgID: org.ID, PartnerID: fx["medium"].ID, RequirementID: conf.ID, ValidFrom: &longAgo, ValidUntil: &past}, // expired
			{OrgID: org.ID, PartnerID: fx["low"].ID, RequirementID: conf.ID, ValidFrom: &future},                        // not yet
			{OrgID: org.ID, PartnerID: fx["overseas"].ID, RequirementID: kinds[1].ID},                                   // another kind
		} {
			if err := db.CreateAgreement(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		archived := mustCreate(t, db, newPartner(org.ID, "Omega archived", "", renkei.PartnerSupplier))
		if err := db.ArchivePartner(ctx, org.ID, archived.ID, true); err != nil {
			t.Fatal(err)
		}
		withNumber := newPartner(org.ID, "Epsilon", corpNum(555), renkei.PartnerGroup)
		withNumber.ExternalID = "EXT-77"
		withNumber.Company.NameKana = "イプシロン"
		mustCreate(t, db, withNumber)

		for _, c := range []struct {
			name string
			f    renkei.PartnerFilter
			want []string // in the default sort, -risk
		}{
			{"all", renkei.PartnerFilter{}, []string{"Alpha 100%株式会社", "Beta_Systems", "Delta GmbH", "Gamma商事", "Epsilon"}},
			{"type", renkei.PartnerFilter{Type: "supplier"}, []string{"Alpha 100%株式会社", "Gamma商事"}},
			{"tier", renkei.PartnerFilter{Tier: "medium"}, []string{"Beta_Systems"}},
			{"level", renkei.PartnerFilter{RequiredLevel: "star4"}, []string{"Alpha 100%株式会社"}},
			{"industry", renkei.PartnerFilter{Industry: "d"}, []string{"Alpha 100%株式会社", "Delta GmbH"}},
			{"department", renkei.PartnerFilter{Department: "it_security"}, []string{"Beta_Systems"}},
			{"missing agreement", renkei.PartnerFilter{MissingAgreement: "confidentiality"}, []string{"Beta_Systems", "Delta GmbH", "Gamma商事", "Epsilon"}},
			{"missing another kind", renkei.PartnerFilter{MissingAgreement: kinds[1].Code, Type: "overseas"}, []string{}},
			{"missing incident contact", renkei.PartnerFilter{MissingIncidentInfo: true}, []string{"Beta_Systems", "Delta GmbH", "Epsilon"}},
			{"query name", renkei.PartnerFilter{Query: "gamma"}, []string{"Gamma商事"}},
			{"query full-width", renkei.PartnerFilter{Query: "ＧＡＭＭＡ"}, []string{"Gamma商事"}},
			{"query percent", renkei.PartnerFilter{Query: "100%"}, []string{"Alpha 100%株式会社"}},
			{"query percent alone", renkei.PartnerFilter{Query: "%"}, []string{"Alpha 100%株式会社"}},
			{"query underscore", renkei.PartnerFilter{Query: "a_s"}, []string{"Beta_Systems"}},
			{"query underscore alone", renkei.PartnerFilter{Query: "_"}, []string{"Beta_Systems"}},
			{"query backslash", renkei.PartnerFilter{Query: `\`}, []string{}},
			{"query kana", renkei.PartnerFilter{Query: "イプシ"}, []string{"Epsilon"}},
			{"query corporate number", renkei.PartnerFilter{Query: corpNum(555)[3:9]}, []string{"Epsilon"}},
			{"query external id", renkei.PartnerFilter{Query: "ext-7"}, []string{"Epsilon"}},
			{"archived", renkei.PartnerFilter{Archived: true}, []string{"Omega archived"}},
			{"combined", renkei.PartnerFilter{Type: "supplier", MissingIncidentInfo: true}, []string{}},
		} {
			t.Run(c.name, func(t *testing.T) {
				list, next, err := db.ListPartners(ctx, org.ID, c.f, renkei.Page{Limit: 50})
				if err != nil {
					t.Fatal(err)
				}
				if got := names(list); !reflect.DeepEqual(got, c.want) || next != "" {
					t.Fatalf("got %q (next %q), want %q", got, next, c.want)
				}
				n, err := db.CountPartners(ctx, org.ID, c.f)
				if err != nil || n != len(c.want) {
					t.Fatalf("count %d, %v; want %d", n, err, len(c.want))
				}
			})
		}
		_, _, err := db.ListPartners(ctx, org.ID, renkei.PartnerFilter{MissingAgreement: "no-such-kind"}, renkei.Page{})
		wantCode(t, "unknown requirement code", err, renkei.EINVALID)
		// An organization whose kinds were never seeded misses every
		// builtin kind.
		fresh := storetest.Org(t, db, "新規")
		mustCreate(t, db, newPartner(fresh.ID, "Solo", "", renkei.PartnerSupplier))
		if n, err := db.CountPartners(ctx, fresh.ID, renkei.PartnerFilter{MissingAgreement: "sbom"}); n != 1 || err != nil {
			t.Fatalf("unseeded builtin: %d %v", n, err)
		}
		_, _, err = db.ListPartners(ctx, org.ID, renkei.PartnerFilter{Sort: "industry"}, renkei.Page{})
		wantCode(t, "unknown sort", err, renkei.EINVALID)
	})
}

func TestPartnerSortingAndKeysetPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		clock := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		// Seven partners with ties in every key: equal scores, equal
		// names (different kana), equal creation times.
		specs := []struct {
			name string
			prof renkei.Profile
			tick bool
		}{
			{"Kappa", renkei.Profile{ReachesInternalNetwork: true}, false},
			{"Alpha", renkei.Profile{}, false},
			{"Kappa", renkei.Profile{Subcontracts: true}, true},
			{"Zeta", renkei.Profile{ReachesInternalNetwork: true}, false},
			{"Beta", renkei.Profile{Subcontracts: true}, true},
			{"Alpha", renkei.Profile{ConfidentialTechnical: true}, false},
			{"Mu", renkei.Profile{}, true},
		}
		all := map[string]*renkei.Partner{}
		for i, s := range specs {
			if s.tick {
				clock = clock.Add(time.Minute)
			}
			p := newPartner(org.ID, s.name, "", renkei.PartnerSupplier)
			p.Company.NameKana = fmt.Sprint(i)
			p.Profile = s.prof
			mustCreate(t, db, p)
			all[p.ID] = p
		}
		key := func(sort string, p *renkei.Partner) []any {
			switch strings.TrimPrefix(sort, "-") {
			case "risk":
				return []any{p.Risk.Score, p.ID}
			case "name":
				return []any{p.Company.NameKey, p.ID}
			}
			return []any{p.CreatedAt.UnixMicro(), p.ID}
		}
		less := func(a, b []any) bool {
			switch x := a[0].(type) {
			case int:
				if x != b[0].(int) {
					return x < b[0].(int)
				}
			case int64:
				if x != b[0].(int64) {
					return x < b[0].(int64)
				}
			case string:
				if x != b[0].(string) {
					return x < b[0].(string)
				}
			}
			return a[1].(string) < b[1].(string)
		}
		for _, sort := range renkei.PartnerSorts {
			t.Run(sort, func(t *testing.T) {
				var got []string
				cursor, pages := "", 0
				for {
					list, next, err := db.ListPartners(ctx, org.ID, renkei.PartnerFilter{Sort: sort}, renkei.Page{Limit: 2, Cursor: cursor})
					if err != nil {
						t.Fatal(err)
					}
					pages++
					for _, p := range list {
						got = append(got, p.ID)
					}
					if next == "" {
						break
					}
					if len(list) != 2 || pages > 10 {
						t.Fatalf("page %d has %d items and a next cursor", pages, len(list))
					}
					cursor = next
				}
				if len(got) != 7 || pages != 4 {
					t.Fatalf("%d items in %d pages", len(got), pages)
				}
				seen := map[string]bool{}
				for i, id := range got {
					if seen[id] || all[id] == nil {
						t.Fatalf("duplicate or unknown %s", id)
					}
					seen[id] = true
					if i > 0 {
						prev, cur := key(sort, all[got[i-1]]), key(sort, all[id])
						if strings.HasPrefix(sort, "-") {
							prev, cur = cur, prev
						}
						if !less(prev, cur) {
							t.Fatalf("out of order at %d: %v then %v", i, key(sort, all[got[i-1]]), key(sort, all[id]))
						}
					}
				}
			})
		}
		// A cursor from another sort, or not made by us, is refused.
		_, next, _ := db.ListPartners(ctx, org.ID, renkei.PartnerFilter{Sort: "name"}, renkei.Page{Limit: 2})
		_, _, err := db.ListPartners(ctx, org.ID, renkei.PartnerFilter{Sort: "-risk"}, renkei.Page{Limit: 2, Cursor: next})
		wantCode(t, "cursor of another sort", err, renkei.EINVALID)
		for _, bad := range []struct{ sort, cursor string }{
			{"-risk", "garbage!"},
			{"-risk", renkei.EncodeCursor("-risk|x|" + sqlstore.NewID())},
			{"-risk", renkei.EncodeCursor("-risk|10")},
			{"-risk", renkei.EncodeCursor("-risk|10|not-an-id")},
			{"created", renkei.EncodeCursor("created|soon|" + sqlstore.NewID())},
			{"name", renkei.EncodeCursor("name|" + sqlstore.NewID())}, // no such partner
		} {
			_, _, err := db.ListPartners(ctx, org.ID, renkei.PartnerFilter{Sort: bad.sort}, renkei.Page{Cursor: bad.cursor})
			wantCode(t, "bad cursor "+bad.cursor, err, renkei.EINVALID)
		}
	})
}
