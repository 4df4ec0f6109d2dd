package sqlstore_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// shareWorld is company X, a partner of A and of B, with an assessment A
// sent, answered and submitted, its answers reviewed with a comment and an
// internal note, and a request from B for it.
type shareWorld struct {
	orgA, orgB, orgC *renkei.Organization
	staffA, staffB   context.Context
	staffC, partnerX context.Context
	partnerY         context.Context
	pa, pb           *renkei.Partner
	submitted, draft renkei.Assessment
	request          *renkei.Share
}

func newShareWorld(t *testing.T, db *sqlstore.DB) *shareWorld {
	t.Helper()
	w := &shareWorld{orgA: storetest.Org(t, db, "甲社"), orgB: storetest.Org(t, db, "乙社"), orgC: storetest.Org(t, db, "丙社")}
	w.staffA, w.staffB, w.staffC = asUser(w.orgA.ID, renkei.RoleAdmin), asUser(w.orgB.ID, renkei.RoleAdmin), asUser(w.orgC.ID, renkei.RoleAdmin)
	w.pa = mustCreate(t, db, newPartner(w.orgA.ID, "X製作所", corpNum(700), renkei.PartnerSupplier))
	w.pb = mustCreate(t, db, newPartner(w.orgB.ID, "X製作所", corpNum(700), renkei.PartnerSupplier))
	py := mustCreate(t, db, newPartner(w.orgA.ID, "Y工業", corpNum(701), renkei.PartnerSupplier))
	w.partnerX = renkei.WithActor(context.Background(), &renkei.Actor{UserID: "px", Role: renkei.RolePartner, PartnerCompanyID: w.pa.Company.ID})
	w.partnerY = renkei.WithActor(context.Background(), &renkei.Actor{UserID: "py", Role: renkei.RolePartner, PartnerCompanyID: py.Company.ID})

	c, _ := campaign(t, db, w.staffA, w.orgA.ID, "self-check-25", w.pa.ID)
	w.submitted = onlyAssessment(t, db, w.staffA, w.orgA.ID, c.ID)
	answers := allAnswers(t, "self-check-25", renkei.AnswerYes)
	answers[4].Value = renkei.AnswerNo
	if err := db.SaveAnswers(w.partnerX, w.orgA.ID, w.submitted.ID, answers, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Submit(w.partnerX, w.orgA.ID, w.submitted.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Review(w.staffA, w.orgA.ID, w.submitted.ID, []renkei.AnswerReview{
		{QuestionRef: "1", Status: renkei.ReviewAccepted, Comment: "確認しました", InternalNote: "甲社の内部メモ：取引見直し候補"}}); err != nil {
		t.Fatal(err)
	}
	c2, _ := campaign(t, db, w.staffA, w.orgA.ID, "supply-chain-star3", w.pa.ID)
	w.draft = onlyAssessment(t, db, w.staffA, w.orgA.ID, c2.ID)

	var err error
	w.request, err = db.RequestShare(w.staffB, w.orgB.ID, w.pb.ID, "  貴社の自己診断の結果を共有いただけますか。  ", nil)
	if err != nil {
		t.Fatal(err)
	}
	if w.request.Status != renkei.ShareRequested || w.request.CompanyID != w.pa.Company.ID || w.request.Message != "貴社の自己診断の結果を共有いただけますか。" {
		t.Fatalf("request: %+v", w.request)
	}
	return w
}

func TestShareConsentExpiryRevocation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newShareWorld(t, db)
		now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }

		// Consent is needed: before the grant B sees nothing.
		if list, _, err := db.SharedAssessments(w.staffB, w.orgB.ID, renkei.Page{}); err != nil || len(list) != 0 {
			t.Fatalf("B's list before consent: %+v, %v", list, err)
		}
		if _, err := db.SharedAssessment(w.staffB, w.orgB.ID, w.request.ID); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("B reads before consent: %v", err)
		}
		// B's requests list it as requested; C's has nothing.
		if reqs, _, err := db.ShareRequests(w.staffB, w.orgB.ID, renkei.Page{}); err != nil || len(reqs) != 1 || reqs[0].Status != renkei.ShareRequested {
			t.Fatalf("B's requests: %+v, %v", reqs, err)
		}
		if reqs, _, err := db.ShareRequests(w.staffC, w.orgC.ID, renkei.Page{}); err != nil || len(reqs) != 0 {
			t.Fatalf("C's requests: %+v, %v", reqs, err)
		}
		// The company sees the request with the asking organization's name.
		mine, err := db.PartnerShares(w.partnerX)
		if err != nil || len(mine) != 1 || mine[0].ID != w.request.ID || mine[0].OrgName != w.orgB.Name {
			t.Fatalf("X's requests: %+v, %v", mine, err)
		}
		if other, err := db.PartnerShares(w.partnerY); err != nil || len(other) != 0 {
			t.Fatalf("Y sees X's requests: %+v, %v", other, err)
		}

		// Refused grants change nothing: a draft, another company's user,
		// a past date, staff instead of the company.
		refused := []struct {
			ctx                context.Context
			assessment, expiry string
			code               string
		}{
			{w.partnerX, w.draft.ID, "2027-03-31", renkei.EINVALID},
			{w.partnerX, w.submitted.ID, "2026-11-25", renkei.EINVALID},
			{w.partnerX, sqlstore.NewID(), "2027-03-31", renkei.EINVALID},
			{w.partnerY, w.submitted.ID, "2027-03-31", renkei.ENOTFOUND},
			{w.staffA, w.submitted.ID, "2027-03-31", renkei.EFORBIDDEN},
			{w.staffB, w.submitted.ID, "2027-03-31", renkei.EFORBIDDEN},
		}
		before := auditCount(t, db, w.orgB.ID)
		for i, r := range refused {
			if _, err := db.GrantShare(r.ctx, w.request.ID, r.assessment, r.expiry); renkei.ErrorCode(err) != r.code {
				t.Errorf("refused grant %d: %v, want %s", i, err, r.code)
			}
		}
		if auditCount(t, db, w.orgB.ID) != before {
			t.Fatal("a refused grant was audited")
		}

		g, err := db.GrantShare(w.partnerX, w.request.ID, w.submitted.ID, "2026-12-31")
		if err != nil || g.Status != renkei.ShareGranted || g.AssessmentID != w.submitted.ID || g.DecidedBy != "px" {
			t.Fatalf("grant: %+v, %v", g, err)
		}
		if _, err := db.GrantShare(w.partnerX, w.request.ID, w.submitted.ID, "2026-12-31"); renkei.ErrorCode(err) != renkei.ECONFLICT {
			t.Fatalf("grant twice: %v", err)
		}
		if _, err := db.DeclineShare(w.partnerX, w.request.ID); renkei.ErrorCode(err) != renkei.ECONFLICT {
			t.Fatalf("decline a grant: %v", err)
		}

		// B sees the copy: questions, answers, score; nothing of A's review.
		cp, err := db.SharedAssessment(w.staffB, w.orgB.ID, w.request.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cp.Template.Slug != "self-check-25" || len(cp.Answers) != 25 || cp.Score == nil || cp.Score.Total != 96 || cp.Status != renkei.AssessmentReviewed && cp.Status != renkei.AssessmentSubmitted {
			t.Fatalf("copy: %s %d answers, score %+v, status %s", cp.Template.Slug, len(cp.Answers), cp.Score, cp.Status)
		}
		b, _ := json.Marshal(cp)
		for _, secret := range []string{"内部メモ", "確認しました", w.orgA.ID, w.orgA.Name, w.submitted.CampaignID} {
			if strings.Contains(string(b), secret) {
				t.Errorf("the copy holds %q", secret)
			}
		}
		// Listed for B; a third organization sees nothing and cannot read it.
		if list, _, _ := db.SharedAssessments(w.staffB, w.orgB.ID, renkei.Page{}); len(list) != 1 || list[0].ID != w.request.ID {
			t.Fatalf("B's list: %+v", list)
		}
		if list, _, _ := db.SharedAssessments(w.staffC, w.orgC.ID, renkei.Page{}); len(list) != 0 {
			t.Fatalf("C's list: %+v", list)
		}
		if _, err := db.SharedAssessment(w.staffC, w.orgC.ID, w.request.ID); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("C reads B's share: %v", err)
		}
		if _, err := db.SharedAssessment(w.staffC, w.orgB.ID, w.request.ID); renkei.ErrorCode(err) != renkei.EFORBIDDEN {
			t.Fatalf("C names B's organization: %v", err)
		}
		// B still cannot read A's assessments themselves, shared or not.
		if _, err := db.Assessment(w.staffB, w.orgA.ID, w.submitted.ID); err == nil {
			t.Fatal("B reads A's assessment")
		}
		if _, err := db.Answers(w.staffB, w.orgA.ID, w.draft.ID); err == nil {
			t.Fatal("B reads A's other assessment")
		}
		// Grant and request are in both logs.
		if auditCount(t, db, w.orgB.ID) != before+1 {
			t.Fatalf("B's log: %d entries after the grant, want %d", auditCount(t, db, w.orgB.ID), before+1)
		}

		// The day after expiry (Tokyo), B gets "gone".
		now = time.Date(2026, 12, 31, 14, 59, 0, 0, time.UTC) // 23:59 in Tokyo
		if _, err := db.SharedAssessment(w.staffB, w.orgB.ID, w.request.ID); err != nil {
			t.Fatalf("on the last day: %v", err)
		}
		now = time.Date(2026, 12, 31, 15, 0, 0, 0, time.UTC) // midnight in Tokyo
		if _, err := db.SharedAssessment(w.staffB, w.orgB.ID, w.request.ID); renkei.ErrorCode(err) != renkei.EGONE {
			t.Fatalf("after expiry: %v", err)
		}

		// Revocation, at any time; then gone; another company cannot.
		now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		if _, err := db.RevokeShare(w.partnerY, w.request.ID); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("Y revokes X's grant: %v", err)
		}
		if s, err := db.RevokeShare(w.partnerX, w.request.ID); err != nil || s.Status != renkei.ShareRevoked || s.RevokedAt == nil {
			t.Fatalf("revoke: %+v, %v", s, err)
		}
		if _, err := db.SharedAssessment(w.staffB, w.orgB.ID, w.request.ID); renkei.ErrorCode(err) != renkei.EGONE {
			t.Fatalf("after revocation: %v", err)
		}
		if _, err := db.RevokeShare(w.partnerX, w.request.ID); renkei.ErrorCode(err) != renkei.ECONFLICT {
			t.Fatalf("revoke twice: %v", err)
		}
	})
}

func TestShareRequestAndDecline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newShareWorld(t, db)
		// Another organization's partner, a viewer, a partner user, a
		// hostile message: refused.
		if _, err := db.RequestShare(w.staffB, w.orgB.ID, w.pa.ID, "", nil); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("B asks A's partner: %v", err)
		}
		if _, err := db.RequestShare(asUser(w.orgB.ID, renkei.RoleViewer), w.orgB.ID, w.pb.ID, "", nil); renkei.ErrorCode(err) != renkei.EFORBIDDEN {
			t.Fatalf("viewer: %v", err)
		}
		if _, err := db.RequestShare(w.partnerX, w.orgB.ID, w.pb.ID, "", nil); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("partner user: %v", err)
		}
		if _, err := db.RequestShare(w.staffB, w.orgB.ID, w.pb.ID, "見て\u202eください", nil); renkei.ErrorCode(err) != renkei.EINVALID {
			t.Fatalf("hostile message: %v", err)
		}
		s, err := db.DeclineShare(w.partnerX, w.request.ID)
		if err != nil || s.Status != renkei.ShareDeclined || s.DecidedAt == nil {
			t.Fatalf("decline: %+v, %v", s, err)
		}
		if _, err := db.GrantShare(w.partnerX, w.request.ID, w.submitted.ID, "2099-01-01"); renkei.ErrorCode(err) != renkei.ECONFLICT {
			t.Fatalf("grant after decline: %v", err)
		}
		if _, err := db.SharedAssessment(w.staffB, w.orgB.ID, w.request.ID); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("declined read: %v", err)
		}
	})
}
