package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

func TestSupportProgramsSeededOnceAndScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		other := storetest.Org(t, db, "乙社")
		staff, staffB := asUser(org.ID, renkei.RoleAdmin), asUser(other.ID, renkei.RoleAdmin)
		viewer := asUser(org.ID, renkei.RoleViewer)
		ps, err := db.SupportPrograms(viewer, org.ID)
		if err != nil || len(ps) != len(renkei.SeedSupportPrograms()) || ps[0].Code != "ipa-sme-guideline" || ps[0].Name.JA == "" || ps[0].OrgID != org.ID {
			t.Fatalf("seeded: %v %+v", err, ps)
		}
		again, _ := db.SupportPrograms(staff, org.ID)
		if len(again) != len(ps) || again[0].ID != ps[0].ID {
			t.Fatalf("seeded twice: %d", len(again))
		}
		// Another organization: its own copy, A's IDs name nothing.
		bs, _ := db.SupportPrograms(staffB, other.ID)
		if len(bs) != len(ps) || bs[0].ID == ps[0].ID {
			t.Fatalf("B's catalog: %+v", bs)
		}
		_, err = db.SupportProgram(staffB, other.ID, ps[0].ID)
		wantCode(t, "B reads A's", err, renkei.ENOTFOUND)
		wantCode(t, "B updates A's", db.UpdateSupportProgram(staffB, &renkei.SupportProgram{ID: ps[0].ID, OrgID: other.ID, Name: renkei.Bilingual{JA: "乗っ取り"}}), renkei.ENOTFOUND)
		wantCode(t, "B deletes A's", db.DeleteSupportProgram(staffB, other.ID, ps[0].ID), renkei.ENOTFOUND)
		wantCode(t, "viewer adds", db.CreateSupportProgram(viewer, &renkei.SupportProgram{OrgID: org.ID, Name: renkei.Bilingual{JA: "x"}}), renkei.EFORBIDDEN)
		wantCode(t, "bad group", db.CreateSupportProgram(staff, &renkei.SupportProgram{OrgID: org.ID, Name: renkei.Bilingual{JA: "x"}, Groups: []string{"zz"}}), renkei.EINVALID)
		partner := renkei.WithActor(context.Background(), &renkei.Actor{UserID: "px", Role: renkei.RolePartner, PartnerCompanyID: "c"})
		_, err = db.SupportPrograms(partner, org.ID)
		wantCode(t, "partner user", err, renkei.ENOTFOUND)

		own := &renkei.SupportProgram{OrgID: org.ID, Name: renkei.Bilingual{JA: "県の専門家派遣"}, URL: "https://example.jp/haken", Groups: []string{"rs"}, MaxEmployees: 50}
		if err := db.CreateSupportProgram(staff, own); err != nil || own.ID == "" || own.Code != "" {
			t.Fatalf("create: %v %+v", err, own)
		}
		own.MaxEmployees, own.Severities = 100, []string{renkei.SeverityHigh}
		if err := db.UpdateSupportProgram(staff, own); err != nil {
			t.Fatal(err)
		}
		got, err := db.SupportProgram(staff, org.ID, own.ID)
		if err != nil || got.MaxEmployees != 100 || !slices.Equal(got.Severities, []string{"high"}) || !slices.Equal(got.Groups, []string{"rs"}) {
			t.Fatalf("updated: %v %+v", err, got)
		}
		// Emptied on purpose, it stays empty.
		all, _ := db.SupportPrograms(staff, org.ID)
		for _, p := range all {
			if err := db.DeleteSupportProgram(staff, org.ID, p.ID); err != nil {
				t.Fatal(err)
			}
		}
		if left, err := db.SupportPrograms(staff, org.ID); err != nil || len(left) != 0 {
			t.Fatalf("after emptying: %v %d", err, len(left))
		}
		if bs2, _ := db.SupportPrograms(staffB, other.ID); len(bs2) != len(bs) {
			t.Fatal("A's deletes touched B")
		}
	})
}

func TestPartnerResidualAndOverdueFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		staff := asUser(org.ID, renkei.RoleAdmin)
		p := newPartner(org.ID, "丁精機", corpNum(901), renkei.PartnerSupplier)
		p.Profile.ReachesInternalNetwork = true
		mustCreate(t, db, p)
		inherent := p.Risk.Tier
		rr, err := db.PartnerResidual(staff, org.ID, p.ID, "2026-11-26")
		if err != nil || rr.Result != renkei.ResultNotAssessed || rr.Tier != inherent || rr.Reasons[len(rr.Reasons)-1].Key != "residual.reason.not_assessed" {
			t.Fatalf("not assessed: %v %+v", err, rr)
		}
		// star4 required; a star4 assessment, all yes but two no: level
		// missed, 2 high findings open.
		c, _ := campaign(t, db, staff, org.ID, "supply-chain-star4", p.ID)
		a := onlyAssessment(t, db, staff, org.ID, c.ID)
		all := allAnswers(t, "supply-chain-star4", renkei.AnswerYes)
		all[0].Value, all[len(all)-1].Value = renkei.AnswerNo, renkei.AnswerNo
		if err := db.SaveAnswers(staff, org.ID, a.ID, all, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Submit(staff, org.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		rr, err = db.PartnerResidual(staff, org.ID, p.ID, "2026-11-26")
		if err != nil || rr.AssessmentID != a.ID || rr.Result != renkei.ResultPoor || !rr.Gap.Measured || rr.Gap.Met || rr.Gap.Unmet != 2 || rr.OpenHigh != 2 || rr.Overdue != 0 {
			t.Fatalf("assessed: %v %+v", err, rr)
		}
		// Remediate one finding (done) and leave the other overdue.
		fs, _ := db.Findings(staff, org.ID, a.ID)
		done := &renkei.Remediation{OrgID: org.ID, AssessmentID: a.ID, QuestionRef: fs[0].QuestionRef, Status: renkei.RemediationDone}
		late := &renkei.Remediation{OrgID: org.ID, AssessmentID: a.ID, QuestionRef: fs[1].QuestionRef, Owner: "sato@example.jp", DueDate: "2026-11-01"}
		for _, m := range []*renkei.Remediation{done, late} {
			if err := db.CreateRemediation(staff, m); err != nil {
				t.Fatal(err)
			}
		}
		rr, _ = db.PartnerResidual(staff, org.ID, p.ID, "2026-11-26")
		if rr.OpenHigh != 1 || rr.Overdue != 1 || rr.Result != renkei.ResultPoor {
			t.Fatalf("with items: %+v", rr)
		}
		items, _, err := db.ListRemediations(staff, org.ID, renkei.RemediationFilter{OverdueOn: "2026-11-26"}, renkei.Page{})
		if err != nil || len(items) != 1 || items[0].ID != late.ID {
			t.Fatalf("overdue filter: %v %+v", err, items)
		}
		if items, _, _ := db.ListRemediations(staff, org.ID, renkei.RemediationFilter{OverdueOn: "2026-10-31"}, renkei.Page{}); len(items) != 0 {
			t.Fatalf("not yet overdue: %+v", items)
		}
		if items, _, _ := db.ListRemediations(staff, org.ID, renkei.RemediationFilter{Owner: "sato@example.jp"}, renkei.Page{}); len(items) != 1 || items[0].ID != late.ID {
			t.Fatalf("owner filter: %+v", items)
		}
		_, err = db.PartnerResidual(asUser(storetest.Org(t, db, "乙社").ID, renkei.RoleAdmin), org.ID, p.ID, "2026-11-26")
		wantCode(t, "B reads A's residual", err, renkei.EFORBIDDEN)
	})
}
