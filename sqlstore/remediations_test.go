package sqlstore_test

import (
	"context"
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

func TestFindingsRemediationsRecompute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		other := storetest.Org(t, db, "乙社")
		staff, staffB := asUser(org.ID, renkei.RoleAdmin), asUser(other.ID, renkei.RoleAdmin)
		p := mustCreate(t, db, newPartner(org.ID, "X製作所", corpNum(700), renkei.PartnerSupplier))
		c, _ := campaign(t, db, staff, org.ID, "self-check-25", p.ID)
		a := onlyAssessment(t, db, staff, org.ID, c.ID)
		_, err := db.Findings(staff, org.ID, a.ID)
		wantCode(t, "findings before submit", err, renkei.ECONFLICT)
		all := allAnswers(t, "self-check-25", renkei.AnswerYes)
		all[1].Value, all[2].Value, all[3].Value = renkei.AnswerNo, renkei.AnswerPartly, renkei.AnswerUnknown
		if err := db.SaveAnswers(staff, org.ID, a.ID, all, true); err != nil {
			t.Fatal(err)
		}
		sub, err := db.Submit(staff, org.ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		f, err := db.Findings(staff, org.ID, a.ID)
		if err != nil || len(f) != 3 || f[0].QuestionRef != "2" || f[0].Severity != renkei.SeverityHigh || f[1].Severity != renkei.SeverityMedium || f[2].Answer != renkei.AnswerUnknown {
			t.Fatalf("findings %+v %v", f, err)
		}
		_, err = db.Findings(staffB, other.ID, a.ID)
		wantCode(t, "B's findings", err, renkei.ENOTFOUND)

		wantCode(t, "not a finding", db.CreateRemediation(staff, &renkei.Remediation{OrgID: org.ID, AssessmentID: a.ID, QuestionRef: "1"}), renkei.EINVALID)
		wantCode(t, "bad due date", db.CreateRemediation(staff, &renkei.Remediation{OrgID: org.ID, AssessmentID: a.ID, QuestionRef: "2", DueDate: "tomorrow"}), renkei.EINVALID)
		wantCode(t, "viewer", db.CreateRemediation(asUser(org.ID, renkei.RoleViewer), &renkei.Remediation{OrgID: org.ID, AssessmentID: a.ID, QuestionRef: "2"}), renkei.EFORBIDDEN)
		wantCode(t, "B creates on A's", db.CreateRemediation(staffB, &renkei.Remediation{OrgID: other.ID, AssessmentID: a.ID, QuestionRef: "2"}), renkei.ENOTFOUND)
		before := auditCount(t, db, org.ID)
		r := &renkei.Remediation{OrgID: org.ID, AssessmentID: a.ID, QuestionRef: "2", Owner: "調達部 佐藤", DueDate: "2027-03-31"}
		if err := db.CreateRemediation(staff, r); err != nil {
			t.Fatal(err)
		}
		if r.PartnerID != p.ID || r.Severity != renkei.SeverityHigh || r.Title == "" || r.Status != renkei.RemediationOpen || auditCount(t, db, org.ID) != before+1 {
			t.Fatalf("created %+v", r)
		}
		if _, err := db.SetRemediationEvidence(staff, org.ID, r.ID, "orgs/x/remediations/y/z", "証跡.pdf", "application/pdf", 10); err != nil {
			t.Fatal(err)
		}
		r.Status, r.ClosureEvidence, r.ClosureEvidenceKey = renkei.RemediationDone, "パッチ適用の記録", "ignored"
		if err := db.UpdateRemediation(staff, r); err != nil {
			t.Fatal(err)
		}
		got, err := db.Remediation(staff, org.ID, r.ID)
		if err != nil || got.Status != renkei.RemediationDone || got.ClosedAt == nil || got.ClosureEvidenceKey != "orgs/x/remediations/y/z" ||
			got.EvidenceName != "証跡.pdf" || got.ClosureEvidence != "パッチ適用の記録" || got.QuestionRef != "2" {
			t.Fatalf("updated %+v %v", got, err)
		}
		r.Status = "finished"
		wantCode(t, "bad status", db.UpdateRemediation(staff, r), renkei.EINVALID)
		items, _, err := db.ListRemediations(staff, org.ID, renkei.RemediationFilter{PartnerID: p.ID, Status: renkei.RemediationDone}, renkei.Page{})
		if err != nil || len(items) != 1 {
			t.Fatalf("list %v %d", err, len(items))
		}
		// Another tenant and a partner user see nothing.
		_, err = db.Remediation(staffB, other.ID, r.ID)
		wantCode(t, "B reads A's remediation", err, renkei.ENOTFOUND)
		wantCode(t, "B updates A's remediation", db.UpdateRemediation(staffB, &renkei.Remediation{ID: r.ID, OrgID: other.ID, Status: renkei.RemediationOpen}), renkei.ENOTFOUND)
		if items, _, _ := db.ListRemediations(staffB, other.ID, renkei.RemediationFilter{}, renkei.Page{}); len(items) != 0 {
			t.Fatal("B lists A's remediations")
		}
		partner := renkei.WithActor(context.Background(), &renkei.Actor{UserID: "px", Role: renkei.RolePartner, PartnerCompanyID: p.Company.ID})
		_, err = db.Remediation(partner, org.ID, r.ID)
		wantCode(t, "partner reads remediation", err, renkei.ENOTFOUND)

		// Recompute: a stale score is rewritten to renkei.Score's.
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE assessments SET score = '{"total":1}' WHERE id = ?`), a.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.RecomputeScores(staffB, org.ID)
		wantCode(t, "B recomputes A", err, renkei.EFORBIDDEN)
		n, err := db.RecomputeScores(staff, org.ID)
		if err != nil || n != 1 {
			t.Fatalf("recompute %d %v", n, err)
		}
		again, _ := db.Assessment(staff, org.ID, a.ID)
		if again.Score.Total != sub.Score.Total || again.Score.Band.Code != sub.Score.Band.Code {
			t.Fatalf("recomputed %+v want %+v", again.Score, sub.Score)
		}
	})
}
