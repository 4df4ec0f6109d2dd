package sqlstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

func TestAgreementRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		p := mustCreate(t, db, newPartner(org.ID, "委託先", "", renkei.PartnerSupplier))
		from := time.Date(2026, 4, 1, 0, 0, 0, 0, time.FixedZone("JST", 9*3600))
		until := from.AddDate(1, 0, 0)
		a := &renkei.Agreement{OrgID: org.ID, PartnerID: p.ID, Requirement: "incident_handling", Contract: " 業務委託契約 第3条 ",
			ValidFrom: &from, ValidUntil: &until, DocumentKey: "org/x/doc.pdf", DocumentName: "契約書.pdf", Notes: "72時間以内に報告"}
		if err := db.CreateAgreement(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.RequirementID == "" || a.Requirement != "incident_handling" || a.Contract != "業務委託契約 第3条" {
			t.Fatalf("created: %+v", a)
		}
		list, err := db.Agreements(ctx, org.ID, p.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("list: %+v %v", list, err)
		}
		if !reflect.DeepEqual(&list[0], a) || !list[0].ValidFrom.Equal(from) || list[0].ValidFrom.Location() != time.UTC {
			t.Fatalf("round trip:\n got %+v\nwant %+v", list[0], *a)
		}
		a.ValidUntil = nil
		a.Requirement, a.RequirementID = "confidentiality", ""
		if err := db.UpdateAgreement(ctx, a); err != nil {
			t.Fatal(err)
		}
		list, _ = db.Agreements(ctx, org.ID, p.ID)
		if list[0].ValidUntil != nil || list[0].Requirement != "confidentiality" || !list[0].CreatedAt.Equal(a.CreatedAt) {
			t.Fatalf("after update: %+v", list[0])
		}
		wantCode(t, "unknown kind", db.CreateAgreement(ctx, &renkei.Agreement{OrgID: org.ID, PartnerID: p.ID, Requirement: "nope"}), renkei.ENOTFOUND)
		wantCode(t, "unknown partner", db.CreateAgreement(ctx, &renkei.Agreement{OrgID: org.ID, PartnerID: sqlstore.NewID(), Requirement: "sbom"}), renkei.ENOTFOUND)
		wantCode(t, "no kind at all", db.CreateAgreement(ctx, &renkei.Agreement{OrgID: org.ID, PartnerID: p.ID}), renkei.EINVALID)
		back := from.AddDate(0, 0, -1)
		wantCode(t, "dates in the wrong order", db.CreateAgreement(ctx, &renkei.Agreement{OrgID: org.ID, PartnerID: p.ID, Requirement: "sbom", ValidFrom: &from, ValidUntil: &back}), renkei.EINVALID)
		if err := db.DeleteAgreement(ctx, org.ID, p.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "delete twice", db.DeleteAgreement(ctx, org.ID, p.ID, a.ID), renkei.ENOTFOUND)
		if list, _ := db.Agreements(ctx, org.ID, p.ID); len(list) != 0 {
			t.Fatalf("left after delete: %+v", list)
		}
	})
}

func TestExpiringAgreements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		p := mustCreate(t, db, newPartner(org.ID, "委託先", "", renkei.PartnerSupplier))
		gone := mustCreate(t, db, newPartner(org.ID, "旧委託先", "", renkei.PartnerSupplier))
		day := 24 * time.Hour
		at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
		mk := func(who *renkei.Partner, code, contract string, from, until *time.Time) {
			t.Helper()
			if err := db.CreateAgreement(ctx, &renkei.Agreement{OrgID: org.ID, PartnerID: who.ID, Requirement: code, Contract: contract, ValidFrom: from, ValidUntil: until}); err != nil {
				t.Fatal(err)
			}
		}
		mk(p, "confidentiality", "in 10 days", at(-300*day), at(10*day))
		mk(p, "incident_handling", "in 3 days", nil, at(3*day))
		mk(p, "sbom", "in 20 days", at(-day), at(20*day))
		mk(p, "education", "in 29 days", at(-day), at(29*day))
		mk(p, "audit_rights", "in 31 days", at(-day), at(31*day))     // outside the window
		mk(p, "other", "ended yesterday", at(-300*day), at(-day))     // no longer in force
		mk(p, "threat_sharing", "open-ended", at(-day), nil)          // never expires
		mk(p, "subcontracting", "not started", at(2*day), at(9*day))  // not in force yet
		mk(gone, "confidentiality", "archived partner", nil, at(day)) // partner archived
		if err := db.ArchivePartner(ctx, org.ID, gone.ID, true); err != nil {
			t.Fatal(err)
		}
		var got []string
		cursor := ""
		for i := 0; i < 5; i++ {
			list, next, err := db.ExpiringAgreements(ctx, org.ID, 30*day, renkei.Page{Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				got = append(got, a.Contract)
			}
			if cursor = next; cursor == "" {
				break
			}
		}
		want := []string{"in 3 days", "in 10 days", "in 20 days", "in 29 days"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("expiring: %q, want %q", got, want)
		}
		_, _, err := db.ExpiringAgreements(ctx, org.ID, day, renkei.Page{Cursor: renkei.EncodeCursor("x|y")})
		wantCode(t, "bad cursor", err, renkei.EINVALID)
	})
}

// TestCoverage checks the coverage view on a small fixture computed by
// hand.
func TestCoverage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		past, future := time.Now().Add(-24*time.Hour), time.Now().Add(24*time.Hour)
		var sup, grp []*renkei.Partner
		for i := 0; i < 3; i++ {
			sup = append(sup, mustCreate(t, db, newPartner(org.ID, "仕入先"+string(rune('A'+i)), "", renkei.PartnerSupplier)))
		}
		for i := 0; i < 2; i++ {
			grp = append(grp, mustCreate(t, db, newPartner(org.ID, "子会社"+string(rune('A'+i)), "", renkei.PartnerGroup)))
		}
		archived := mustCreate(t, db, newPartner(org.ID, "旧仕入先", "", renkei.PartnerSupplier))
		custom := &renkei.RequirementKind{OrgID: org.ID, Code: "org-vpn", NameJA: "VPN機器の更新"}
		if err := db.CreateRequirementKind(ctx, custom); err != nil {
			t.Fatal(err)
		}
		mk := func(p *renkei.Partner, code string, from, until *time.Time) {
			t.Helper()
			if err := db.CreateAgreement(ctx, &renkei.Agreement{OrgID: org.ID, PartnerID: p.ID, Requirement: code, ValidFrom: from, ValidUntil: until}); err != nil {
				t.Fatal(err)
			}
		}
		// confidentiality: suppliers A and B (B twice: counted once); C's expired.
		mk(sup[0], "confidentiality", nil, nil)
		mk(sup[1], "confidentiality", &past, nil)
		mk(sup[1], "confidentiality", nil, &future)
		mk(sup[2], "confidentiality", nil, &past)
		// incident_handling: one group company; the other's starts tomorrow.
		mk(grp[0], "incident_handling", nil, nil)
		mk(grp[1], "incident_handling", &future, nil)
		// org-vpn: every group company, and the archived supplier (not counted).
		mk(grp[0], "org-vpn", nil, nil)
		mk(grp[1], "org-vpn", nil, nil)
		mk(archived, "org-vpn", nil, nil)
		if err := db.ArchivePartner(ctx, org.ID, archived.ID, true); err != nil {
			t.Fatal(err)
		}

		cells, err := db.Coverage(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		kinds, _ := db.RequirementKinds(ctx, org.ID)
		if len(cells) != 3*len(kinds) {
			t.Fatalf("%d cells for %d kinds", len(cells), len(kinds))
		}
		if cells[0].PartnerType != "supplier" || cells[0].Requirement != "confidentiality" || cells[len(cells)-1].PartnerType != "overseas" || cells[len(cells)-1].Requirement != "org-vpn" {
			t.Fatalf("order: first %+v last %+v", cells[0], cells[len(cells)-1])
		}
		got := map[[2]string]renkei.CoverageCell{}
		for _, c := range cells {
			got[[2]string{c.PartnerType, c.Requirement}] = c
		}
		for _, w := range []renkei.CoverageCell{
			{PartnerType: "supplier", Requirement: "confidentiality", Partners: 3, Covered: 2, Percent: 66.7},
			{PartnerType: "supplier", Requirement: "org-vpn", Partners: 3, Covered: 0, Percent: 0},
			{PartnerType: "supplier", Requirement: "sbom", Partners: 3, Covered: 0, Percent: 0},
			{PartnerType: "group", Requirement: "incident_handling", Partners: 2, Covered: 1, Percent: 50},
			{PartnerType: "group", Requirement: "org-vpn", Partners: 2, Covered: 2, Percent: 100},
			{PartnerType: "group", Requirement: "confidentiality", Partners: 2, Covered: 0, Percent: 0},
			{PartnerType: "overseas", Requirement: "confidentiality", Partners: 0, Covered: 0, Percent: 0},
		} {
			if g := got[[2]string{w.PartnerType, w.Requirement}]; g != w {
				t.Errorf("cell %s × %s: got %+v, want %+v", w.PartnerType, w.Requirement, g, w)
			}
		}
	})
}

func TestSupportRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		p := mustCreate(t, db, newPartner(org.ID, "委託先", "", renkei.PartnerSupplier))
		d1 := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
		d2 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		first := &renkei.SupportRecord{OrgID: org.ID, PartnerID: p.ID, Kind: "cost_sharing", Date: d1, Description: "EDR導入費用の半額を負担\n2026年度", AmountYen: 1_500_000}
		second := &renkei.SupportRecord{OrgID: org.ID, PartnerID: p.ID, Kind: "education", Date: d2, Description: "標的型メール訓練"}
		for _, s := range []*renkei.SupportRecord{first, second} {
			if err := db.CreateSupportRecord(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, "unknown kind", db.CreateSupportRecord(ctx, &renkei.SupportRecord{OrgID: org.ID, PartnerID: p.ID, Kind: "bribes", Date: d1}), renkei.EINVALID)
		list, err := db.SupportRecords(ctx, org.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || !reflect.DeepEqual(list[0], *second) || !reflect.DeepEqual(list[1], *first) {
			t.Fatalf("support records:\n%+v\nwant %+v, %+v", list, *second, *first)
		}
	})
}

func TestRequirementKinds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		// The first reads race to seed the kinds: each gets them all, once.
		done := make(chan int, 4)
		for i := 0; i < 4; i++ {
			go func() {
				k, err := db.RequirementKinds(ctx, org.ID)
				if err != nil {
					t.Error(err)
				}
				done <- len(k)
			}()
		}
		terms := renkei.Terms(renkei.ListRequirement)
		for i := 0; i < 4; i++ {
			if n := <-done; n != len(terms) {
				t.Fatalf("a racing read got %d kinds", n)
			}
		}
		kinds, err := db.RequirementKinds(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(kinds) != len(terms) {
			t.Fatalf("%d kinds seeded, want %d", len(kinds), len(terms))
		}
		for i, k := range kinds {
			if k.Code != terms[i].Code || !k.Builtin || k.NameJA != terms[i].JA || k.OrgID != org.ID {
				t.Fatalf("kind %d: %+v", i, k)
			}
		}
		var seeds int
		db.SQL().QueryRow(db.Rebind(`SELECT COUNT(*) FROM audit_log WHERE org_id = ? AND action = 'requirement.seed'`), org.ID).Scan(&seeds)
		if seeds != 1 {
			t.Fatalf("%d seed audit entries", seeds)
		}
		custom := &renkei.RequirementKind{OrgID: org.ID, Code: "org-vpn", NameJA: "VPN機器の更新", NameEN: "VPN appliance updates"}
		if err := db.CreateRequirementKind(ctx, custom); err != nil {
			t.Fatal(err)
		}
		err = db.CreateRequirementKind(ctx, &renkei.RequirementKind{OrgID: org.ID, Code: "org-vpn", NameJA: "重複"})
		wantCode(t, "own code twice", err, renkei.ECONFLICT)
		if e := err.(*renkei.Error); e.Fields["code"] == "" {
			t.Fatalf("no field: %+v", e)
		}
		// A builtin code clashes too, even in an organization whose kinds
		// were not seeded yet.
		fresh := storetest.Org(t, db, "乙社")
		wantCode(t, "builtin code", db.CreateRequirementKind(ctx, &renkei.RequirementKind{OrgID: fresh.ID, Code: "sbom", NameJA: "SBOM"}), renkei.ECONFLICT)
		// Another organization may use the same code of its own.
		if err := db.CreateRequirementKind(ctx, &renkei.RequirementKind{OrgID: fresh.ID, Code: "org-vpn", NameJA: "別のVPN"}); err != nil {
			t.Fatal(err)
		}
		kinds, _ = db.RequirementKinds(ctx, org.ID)
		if len(kinds) != len(terms)+1 || kinds[len(kinds)-1].Code != "org-vpn" || kinds[len(kinds)-1].Builtin || kinds[len(kinds)-1].NameEN != "VPN appliance updates" {
			t.Fatalf("after adding: %+v", kinds[len(kinds)-1])
		}
		wantCode(t, "bad code", db.CreateRequirementKind(ctx, &renkei.RequirementKind{OrgID: org.ID, Code: "Bad Code", NameJA: "x"}), renkei.EINVALID)
		_, err = db.RequirementKinds(ctx, sqlstore.NewID())
		wantCode(t, "unknown organization", err, renkei.ENOTFOUND)
	})
}

func TestAgreementDocument(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		other := storetest.Org(t, db, "乙社")
		p := mustCreate(t, db, newPartner(org.ID, "委託先", "", renkei.PartnerSupplier))
		q := mustCreate(t, db, newPartner(org.ID, "別の委託先", "", renkei.PartnerSupplier))
		a := &renkei.Agreement{OrgID: org.ID, PartnerID: p.ID, Requirement: "confidentiality", Contract: "NDA"}
		if err := db.CreateAgreement(ctx, a); err != nil {
			t.Fatal(err)
		}
		get := func() renkei.Agreement {
			t.Helper()
			list, err := db.Agreements(ctx, org.ID, p.ID)
			if err != nil || len(list) != 1 {
				t.Fatalf("%+v %v", list, err)
			}
			return list[0]
		}
		if got := get(); got.HasDocument() || got.DocumentName != "" || got.DocumentContentType != "" || got.DocumentSize != 0 {
			t.Fatalf("new agreement has a document: %+v", got)
		}
		key1 := "orgs/" + org.ID + "/agreements/" + a.ID + "/" + sqlstore.NewID()
		old, err := db.SetAgreementDocument(ctx, org.ID, p.ID, a.ID, key1, "秘密保持契約書.pdf", renkei.ContentTypePDF, 12345)
		if err != nil || old != "" {
			t.Fatalf("first document: %q %v", old, err)
		}
		if got := get(); got.DocumentKey != key1 || got.DocumentName != "秘密保持契約書.pdf" || got.DocumentContentType != renkei.ContentTypePDF || got.DocumentSize != 12345 {
			t.Fatalf("after set: %+v", got)
		}
		// An edit of the agreement leaves the document, whatever the copy
		// it was made from says.
		stale := *a
		stale.Contract = "NDA（改定）"
		if err := db.UpdateAgreement(ctx, &stale); err != nil {
			t.Fatal(err)
		}
		if got := get(); got.DocumentKey != key1 || got.Contract != "NDA（改定）" || stale.DocumentKey != key1 || stale.DocumentSize != 12345 {
			t.Fatalf("after update: %+v (returned %+v)", got, stale)
		}
		// Replacing returns the key replaced.
		key2 := "orgs/" + org.ID + "/agreements/" + a.ID + "/" + sqlstore.NewID()
		if old, err := db.SetAgreementDocument(ctx, org.ID, p.ID, a.ID, key2, "scan.png", renkei.ContentTypePNG, 99); err != nil || old != key1 {
			t.Fatalf("replace: %q %v", old, err)
		}
		// Scoped by organization and partner: another's is not found and
		// changes nothing.
		for name, c := range map[string][2]string{"other org": {other.ID, p.ID}, "other partner": {org.ID, q.ID}, "no partner": {org.ID, sqlstore.NewID()}} {
			_, err := db.SetAgreementDocument(ctx, c[0], c[1], a.ID, "orgs/x/y", "x.pdf", renkei.ContentTypePDF, 1)
			wantCode(t, name, err, renkei.ENOTFOUND)
		}
		_, err = db.SetAgreementDocument(ctx, org.ID, p.ID, sqlstore.NewID(), "orgs/x/y", "x.pdf", renkei.ContentTypePDF, 1)
		wantCode(t, "no agreement", err, renkei.ENOTFOUND)
		_, err = db.SetAgreementDocument(ctx, org.ID, p.ID, a.ID, "orgs/x/y", "", "", 0)
		wantCode(t, "key without a name", err, renkei.EINVALID)
		viewer := renkei.WithActor(context.Background(), &renkei.Actor{UserID: sqlstore.NewID(), OrgID: org.ID, Role: renkei.RoleViewer})
		_, err = db.SetAgreementDocument(viewer, org.ID, p.ID, a.ID, "orgs/x/y", "x.pdf", renkei.ContentTypePDF, 1)
		wantCode(t, "viewer", err, renkei.EFORBIDDEN)
		if got := get(); got.DocumentKey != key2 || got.DocumentName != "scan.png" || got.DocumentContentType != renkei.ContentTypePNG || got.DocumentSize != 99 {
			t.Fatalf("after refusals: %+v", got)
		}
		// Removing returns the key removed; removing nothing is fine.
		if old, err := db.SetAgreementDocument(ctx, org.ID, p.ID, a.ID, "", "ignored.pdf", "x", 5); err != nil || old != key2 {
			t.Fatalf("remove: %q %v", old, err)
		}
		if got := get(); got.HasDocument() || got.DocumentName != "" || got.DocumentContentType != "" || got.DocumentSize != 0 {
			t.Fatalf("after remove: %+v", got)
		}
		if old, err := db.SetAgreementDocument(ctx, org.ID, p.ID, a.ID, "", "", "", 0); err != nil || old != "" {
			t.Fatalf("remove again: %q %v", old, err)
		}
		var n int
		db.SQL().QueryRow(db.Rebind(`SELECT COUNT(*) FROM audit_log WHERE org_id = ? AND action = 'agreement.document' AND object_id = ?`), org.ID, a.ID).Scan(&n)
		if n != 3 {
			t.Fatalf("%d agreement.document audit entries, want 3 (set, replace, remove)", n)
		}
	})
}
