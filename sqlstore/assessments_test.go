package sqlstore_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

func allAnswers(t *testing.T, slug, value string) []renkei.AnswerInput {
	t.Helper()
	tpl, ok := renkei.BuiltinTemplate(slug)
	if !ok {
		t.Fatalf("no template %s", slug)
	}
	var out []renkei.AnswerInput
	for _, q := range tpl.Questions() {
		a := renkei.AnswerInput{QuestionRef: q.Ref}
		switch q.Kind {
		case renkei.QuestionYesNo:
			a.Value = value
		case renkei.QuestionSingle:
			a.Value = q.Choices[0].Value
		case renkei.QuestionMulti:
			a.Values = []string{q.Choices[0].Value}
		case renkei.QuestionNumber:
			n := 1.0
			a.Number = &n
		case renkei.QuestionDate:
			a.Date = "2026-01-01"
		case renkei.QuestionText:
			a.Text = "ok"
		}
		if q.Evidence || q.Kind == renkei.QuestionFile {
			a.Files = 1
		}
		out = append(out, a)
	}
	return out
}

func campaign(t *testing.T, db *sqlstore.DB, ctx context.Context, orgID, slug string, partners ...string) (*renkei.Campaign, renkei.CampaignResult) {
	t.Helper()
	c := &renkei.Campaign{OrgID: orgID, Name: "2026年度 点検", TemplateSlug: slug, DueDate: "2026-12-31"}
	res, err := db.CreateCampaign(ctx, c, partners, nil)
	if err != nil {
		t.Fatalf("create campaign: %v", err)
	}
	return c, res
}

func onlyAssessment(t *testing.T, db *sqlstore.DB, ctx context.Context, orgID, campaignID string) renkei.Assessment {
	t.Helper()
	items, _, err := db.ListAssessments(ctx, orgID, renkei.AssessmentFilter{CampaignID: campaignID}, renkei.Page{})
	if err != nil || len(items) != 1 {
		t.Fatalf("list assessments: %v %d", err, len(items))
	}
	return items[0]
}

func TestCampaignAnswerSubmitReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		staff := asUser(org.ID, renkei.RoleAdmin)
		p1 := mustCreate(t, db, newPartner(org.ID, "乙製作所", corpNum(101), renkei.PartnerSupplier))
		p2 := mustCreate(t, db, newPartner(org.ID, "丙工業", corpNum(102), renkei.PartnerSupplier))
		before := auditCount(t, db, org.ID)
		c, res := campaign(t, db, staff, org.ID, "self-check-25", p1.ID, p2.ID, p1.ID)
		if res.Assessments != 2 || res.Prefilled != 0 {
			t.Fatalf("result %+v", res)
		}
		if auditCount(t, db, org.ID) != before+1 {
			t.Fatal("campaign not audited")
		}
		got, err := db.Campaign(staff, org.ID, c.ID)
		if err != nil || !reflect.DeepEqual(got.Reminders, []int{14, 7, 3, 1}) || got.DueDate != "2026-12-31" {
			t.Fatalf("campaign %+v %v", got, err)
		}
		items, next, err := db.ListAssessments(staff, org.ID, renkei.AssessmentFilter{CampaignID: c.ID}, renkei.Page{Limit: 1})
		if err != nil || len(items) != 1 || next == "" {
			t.Fatalf("page 1: %v %d %q", err, len(items), next)
		}
		rest, next2, err := db.ListAssessments(staff, org.ID, renkei.AssessmentFilter{CampaignID: c.ID}, renkei.Page{Limit: 1, Cursor: next})
		if err != nil || len(rest) != 1 || next2 != "" || rest[0].ID == items[0].ID {
			t.Fatalf("page 2: %v %d %q", err, len(rest), next2)
		}
		a := items[0]
		if a.Status != renkei.AssessmentSent || a.TemplateSlug != "self-check-25" || a.TemplateVersion != 1 || a.DueDate != "2026-12-31" {
			t.Fatalf("assessment %+v", a)
		}
		tpl, err := db.AssessmentTemplate(staff, org.ID, a.ID)
		builtin, _ := renkei.BuiltinTemplate("self-check-25")
		if err != nil || !reflect.DeepEqual(tpl, builtin) {
			t.Fatalf("snapshot differs from the builtin: %v", err)
		}

		// An invalid value: an error keyed by the ref, nothing saved.
		bad := []renkei.AnswerInput{{QuestionRef: "1", Answer: renkei.Answer{Value: "yes"}}, {QuestionRef: "2", Answer: renkei.Answer{Value: "maybe"}}}
		err = db.SaveAnswers(staff, org.ID, a.ID, bad, true)
		wantCode(t, "invalid value", err, renkei.EINVALID)
		if e := err.(*renkei.Error); e.Fields["2"] == "" || len(e.Fields) != 1 {
			t.Fatalf("fields %v", e.Fields)
		}
		if ans, _ := db.Answers(staff, org.ID, a.ID); len(ans) != 0 {
			t.Fatalf("saved %d answers", len(ans))
		}

		// Incomplete submit.
		all := allAnswers(t, "self-check-25", renkei.AnswerYes)
		all[3].Value = renkei.AnswerNo
		if err := db.SaveAnswers(staff, org.ID, a.ID, all[:10], true); err != nil {
			t.Fatal(err)
		}
		_, err = db.Submit(staff, org.ID, a.ID)
		wantCode(t, "incomplete submit", err, renkei.EINVALID)
		if cur, _ := db.Assessment(staff, org.ID, a.ID); cur.Status != renkei.AssessmentInProgress {
			t.Fatalf("status %s", cur.Status)
		}
		if err := db.SaveAnswers(staff, org.ID, a.ID, all[10:], true); err != nil {
			t.Fatal(err)
		}
		sub, err := db.Submit(staff, org.ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]renkei.Answer{}
		for _, in := range all {
			m[in.QuestionRef] = in.Answer
		}
		want := renkei.Score(builtin, m)
		if sub.Status != renkei.AssessmentSubmitted || sub.SubmittedAt == nil || sub.Score == nil || !reflect.DeepEqual(*sub.Score, want) {
			t.Fatalf("submitted %+v score %+v want %+v", sub, sub.Score, want)
		}
		if again, _ := db.Assessment(staff, org.ID, a.ID); !reflect.DeepEqual(again.Score, sub.Score) {
			t.Fatal("stored score differs")
		}
		err = db.SaveAnswers(staff, org.ID, a.ID, all[:1], true)
		wantCode(t, "answer after submit", err, renkei.ECONFLICT)

		// Review: return one answer.
		_, err = db.Review(staff, org.ID, a.ID, []renkei.AnswerReview{{QuestionRef: "1", Status: "maybe"}})
		wantCode(t, "bad review", err, renkei.EINVALID)
		rv, err := db.Review(staff, org.ID, a.ID, []renkei.AnswerReview{
			{QuestionRef: "1", Status: renkei.ReviewAccepted},
			{QuestionRef: "4", Status: renkei.ReviewReturned, Comment: "手順書を確認させてください", InternalNote: "前年も同じ回答"},
		})
		if err != nil || rv.Status != renkei.AssessmentReturned {
			t.Fatalf("review %+v %v", rv, err)
		}
		partner := renkei.WithActor(context.Background(), &renkei.Actor{UserID: "pu", Role: renkei.RolePartner, PartnerCompanyID: a.CompanyID})
		pans, err := db.Answers(partner, org.ID, a.ID)
		if err != nil || len(pans) != 25 {
			t.Fatalf("partner answers %v %d", err, len(pans))
		}
		sans, _ := db.Answers(staff, org.ID, a.ID)
		for i := range pans {
			if pans[i].InternalNote != "" {
				t.Fatal("internal note shown to the partner")
			}
			if pans[i].QuestionRef == "4" && (pans[i].ReviewComment != "手順書を確認させてください" || pans[i].ReviewStatus != renkei.ReviewReturned || sans[i].InternalNote != "前年も同じ回答") {
				t.Fatalf("review of 4: partner %+v staff %+v", pans[i], sans[i])
			}
		}
		// The partner answers again and resubmits; all accepted → reviewed.
		fix := []renkei.AnswerInput{{QuestionRef: "4", Answer: renkei.Answer{Value: renkei.AnswerYes}}}
		if err := db.SaveAnswers(partner, org.ID, a.ID, fix, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Submit(partner, org.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		rv, err = db.Review(staff, org.ID, a.ID, []renkei.AnswerReview{{QuestionRef: "4", Status: renkei.ReviewAccepted}})
		if err == nil && rv.Status != renkei.AssessmentSubmitted {
			t.Fatalf("partly reviewed: %s", rv.Status)
		}
		var acc []renkei.AnswerReview
		for _, in := range all {
			acc = append(acc, renkei.AnswerReview{QuestionRef: in.QuestionRef, Status: renkei.ReviewAccepted})
		}
		rv, err = db.Review(staff, org.ID, a.ID, acc)
		if err != nil || rv.Status != renkei.AssessmentReviewed || rv.ReviewedAt == nil {
			t.Fatalf("reviewed %+v %v", rv, err)
		}

		prog, err := db.CampaignProgress(staff, org.ID, c.ID)
		if err != nil || prog.Total != 2 || prog.ByStatus[renkei.AssessmentReviewed] != 1 || prog.ByStatus[renkei.AssessmentSent] != 1 || prog.ResponseRate != 50 {
			t.Fatalf("progress %+v %v", prog, err)
		}
	})
}

func TestCampaignInvalid(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		other := storetest.Org(t, db, "丁社")
		staff := asUser(org.ID, renkei.RoleAdmin)
		p := mustCreate(t, db, newPartner(org.ID, "乙製作所", corpNum(101), renkei.PartnerSupplier))
		q := mustCreate(t, db, newPartner(other.ID, "戊商事", corpNum(102), renkei.PartnerSupplier))
		for name, c := range map[string]*renkei.Campaign{
			"template": {OrgID: org.ID, TemplateSlug: "nope", DueDate: "2026-12-31"},
			"due":      {OrgID: org.ID, TemplateSlug: "self-check-25", DueDate: "2026-13-01"},
		} {
			_, err := db.CreateCampaign(staff, c, []string{p.ID}, nil)
			wantCode(t, name, err, renkei.EINVALID)
		}
		// Another organization's partner: invalid, nothing created.
		_, err := db.CreateCampaign(staff, &renkei.Campaign{OrgID: org.ID, TemplateSlug: "self-check-25", DueDate: "2026-12-31"}, []string{p.ID, q.ID}, nil)
		wantCode(t, "other org's partner", err, renkei.EINVALID)
		if items, _, _ := db.ListCampaigns(staff, org.ID, renkei.Page{}); len(items) != 0 {
			t.Fatal("campaign left behind")
		}
		_, err = db.CreateCampaign(asUser(org.ID, renkei.RoleViewer), &renkei.Campaign{OrgID: org.ID, TemplateSlug: "self-check-25", DueDate: "2026-12-31"}, []string{p.ID}, nil)
		wantCode(t, "viewer", err, renkei.EFORBIDDEN)
		// By required level.
		c, res := campaign(t, db, staff, org.ID, renkei.TemplateByRequiredLevel, p.ID)
		a := onlyAssessment(t, db, staff, org.ID, c.ID)
		if res.Assessments != 1 || a.TemplateSlug != renkei.CampaignTemplateFor(renkei.TemplateByRequiredLevel, p.Required) {
			t.Fatalf("by level: %s for %s", a.TemplateSlug, p.Required)
		}
	})
}

func TestPrefillAcrossTemplatesAndOrgs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		orgA := storetest.Org(t, db, "甲社")
		orgB := storetest.Org(t, db, "乙社")
		staffA, staffB := asUser(orgA.ID, renkei.RoleAdmin), asUser(orgB.ID, renkei.RoleAdmin)
		pa := mustCreate(t, db, newPartner(orgA.ID, "X製作所", corpNum(500), renkei.PartnerSupplier))
		pb := mustCreate(t, db, newPartner(orgB.ID, "X製作所", corpNum(500), renkei.PartnerSupplier))
		if pa.Company.ID != pb.Company.ID {
			t.Fatal("not the same company")
		}
		ca, _ := campaign(t, db, staffA, orgA.ID, "self-check-25", pa.ID)
		a := onlyAssessment(t, db, staffA, orgA.ID, ca.ID)
		partnerX := renkei.WithActor(context.Background(), &renkei.Actor{UserID: "px", Role: renkei.RolePartner, PartnerCompanyID: pa.Company.ID})
		if err := db.SaveAnswers(partnerX, orgA.ID, a.ID, allAnswers(t, "self-check-25", renkei.AnswerYes), false); err != nil {
			t.Fatal(err)
		}
		// Not submitted yet: nothing to reuse.
		cb0, res0 := campaign(t, db, staffB, orgB.ID, "supply-chain-star3", pb.ID)
		if res0.Prefilled != 0 {
			t.Fatalf("prefilled from a draft: %+v", res0)
		}
		_ = cb0
		if _, err := db.Review(staffA, orgA.ID, a.ID, []renkei.AnswerReview{{QuestionRef: "1", Status: renkei.ReviewReturned, InternalNote: "社外秘メモ"}}); err == nil {
			t.Fatal("review before submit")
		}
		if _, err := db.Submit(partnerX, orgA.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Review(staffA, orgA.ID, a.ID, []renkei.AnswerReview{{QuestionRef: "1", Status: renkei.ReviewReturned, Comment: "c", InternalNote: "社外秘メモ"}}); err != nil {
			t.Fatal(err)
		}
		cb, res := campaign(t, db, staffB, orgB.ID, "supply-chain-star3", pb.ID)
		b := onlyAssessment(t, db, staffB, orgB.ID, cb.ID)
		if res.Prefilled == 0 || b.Prefilled != res.Prefilled {
			t.Fatalf("prefill: %+v %d", res, b.Prefilled)
		}
		ans, err := db.Answers(staffB, orgB.ID, b.ID)
		if err != nil || len(ans) != b.Prefilled {
			t.Fatalf("answers %v %d", err, len(ans))
		}
		for _, r := range ans {
			if !r.Reused || r.Value != renkei.AnswerYes || r.InternalNote != "" || r.ReviewComment != "" || r.AnsweredBy != "" || r.ReviewStatus != renkei.ReviewPending {
				t.Fatalf("prefilled answer %+v", r)
			}
		}
		// The partner user of X sees both organizations' assessments.
		mine, _, err := db.PartnerAssessments(partnerX, renkei.Page{})
		if err != nil || len(mine) != 3 {
			t.Fatalf("partner's list %v %d", err, len(mine))
		}
		_, _, err = db.PartnerAssessments(staffA, renkei.Page{})
		wantCode(t, "staff uses the portal list", err, renkei.EFORBIDDEN)
		// Confirming clears the reused mark.
		if err := db.SaveAnswers(partnerX, orgB.ID, b.ID, []renkei.AnswerInput{{QuestionRef: ans[0].QuestionRef, Answer: ans[0].Answer}}, false); err != nil {
			t.Fatal(err)
		}
		ans2, _ := db.Answers(partnerX, orgB.ID, b.ID)
		for _, r := range ans2 {
			if r.QuestionRef == ans[0].QuestionRef && r.Reused {
				t.Fatal("still reused after confirming")
			}
		}
	})
}

func TestAssessmentIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		orgA := storetest.Org(t, db, "甲社")
		orgB := storetest.Org(t, db, "乙社")
		staffA, staffB := asUser(orgA.ID, renkei.RoleAdmin), asUser(orgB.ID, renkei.RoleAdmin)
		px := mustCreate(t, db, newPartner(orgA.ID, "X製作所", corpNum(600), renkei.PartnerSupplier))
		py := mustCreate(t, db, newPartner(orgA.ID, "Y製作所", corpNum(601), renkei.PartnerSupplier))
		c, _ := campaign(t, db, staffA, orgA.ID, "self-check-25", px.ID)
		a := onlyAssessment(t, db, staffA, orgA.ID, c.ID)
		one := []renkei.AnswerInput{{QuestionRef: "1", Answer: renkei.Answer{Value: renkei.AnswerYes}}}

		// Org B, with its own ID or with A's.
		for _, org := range []string{orgB.ID, orgA.ID} {
			_, err := db.Campaign(staffB, org, c.ID)
			if code := renkei.ErrorCode(err); code != renkei.ENOTFOUND && code != renkei.EFORBIDDEN {
				t.Fatalf("campaign via %s: %v", org, err)
			}
			_, err = db.Assessment(staffB, org, a.ID)
			if code := renkei.ErrorCode(err); code != renkei.ENOTFOUND && code != renkei.EFORBIDDEN {
				t.Fatalf("assessment via %s: %v", org, err)
			}
			err = db.SaveAnswers(staffB, org, a.ID, one, true)
			if code := renkei.ErrorCode(err); code != renkei.ENOTFOUND && code != renkei.EFORBIDDEN {
				t.Fatalf("answers via %s: %v", org, err)
			}
			_, err = db.Submit(staffB, org, a.ID)
			if code := renkei.ErrorCode(err); code != renkei.ENOTFOUND && code != renkei.EFORBIDDEN {
				t.Fatalf("submit via %s: %v", org, err)
			}
		}
		_, err := db.Assessment(staffB, orgB.ID, a.ID)
		wantCode(t, "B reads A's assessment", err, renkei.ENOTFOUND)
		if items, _, _ := db.ListAssessments(staffB, orgB.ID, renkei.AssessmentFilter{CampaignID: c.ID}, renkei.Page{}); len(items) != 0 {
			t.Fatal("B lists A's assessments")
		}
		_, err = db.CampaignProgress(staffB, orgB.ID, c.ID)
		wantCode(t, "B's progress of A's campaign", err, renkei.ENOTFOUND)

		// A partner user of company Y.
		partnerY := renkei.WithActor(context.Background(), &renkei.Actor{UserID: "py", Role: renkei.RolePartner, PartnerCompanyID: py.Company.ID})
		_, err = db.Assessment(partnerY, orgA.ID, a.ID)
		wantCode(t, "Y reads X's", err, renkei.ENOTFOUND)
		_, err = db.Answers(partnerY, orgA.ID, a.ID)
		wantCode(t, "Y reads X's answers", err, renkei.ENOTFOUND)
		wantCode(t, "Y answers X's", db.SaveAnswers(partnerY, orgA.ID, a.ID, one, false), renkei.ENOTFOUND)
		_, err = db.Submit(partnerY, orgA.ID, a.ID)
		wantCode(t, "Y submits X's", err, renkei.ENOTFOUND)
		if l, _, err := db.PartnerAssessments(partnerY, renkei.Page{}); err != nil || len(l) != 0 {
			t.Fatalf("Y's portal list: %v %d", err, len(l))
		}
		_, err = db.Campaign(partnerY, orgA.ID, c.ID)
		wantCode(t, "partner reads a campaign", err, renkei.ENOTFOUND)
		_, _, err = db.ListAssessments(partnerY, orgA.ID, renkei.AssessmentFilter{}, renkei.Page{})
		wantCode(t, "partner lists", err, renkei.ENOTFOUND)
		// A partner user of X may not review.
		partnerX := renkei.WithActor(context.Background(), &renkei.Actor{UserID: "px", Role: renkei.RolePartner, PartnerCompanyID: px.Company.ID})
		_, err = db.Review(partnerX, orgA.ID, a.ID, nil)
		wantCode(t, "partner reviews", err, renkei.ENOTFOUND)

		// A viewer reads but cannot write.
		viewer := asUser(orgA.ID, renkei.RoleViewer)
		if _, err := db.Assessment(viewer, orgA.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "viewer answers", db.SaveAnswers(viewer, orgA.ID, a.ID, one, true), renkei.EFORBIDDEN)
		_, err = db.Submit(viewer, orgA.ID, a.ID)
		wantCode(t, "viewer submits", err, renkei.EFORBIDDEN)
		_, err = db.Review(viewer, orgA.ID, a.ID, nil)
		wantCode(t, "viewer reviews", err, renkei.EFORBIDDEN)
	})
}

// A partner without a Corporate Number that gets one moves to the shared
// company row and its private row is dropped: assessments and the
// company's recorded answers must not stand in the way.
func TestAssessmentSurvivesCompanyMove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		staff := asUser(org.ID, renkei.RoleAdmin)
		p := mustCreate(t, db, newPartner(org.ID, "番号なし商店", "", renkei.PartnerSupplier))
		c, _ := campaign(t, db, staff, org.ID, "self-check-25", p.ID)
		a := onlyAssessment(t, db, staff, org.ID, c.ID)
		if err := db.SaveAnswers(staff, org.ID, a.ID, allAnswers(t, "self-check-25", renkei.AnswerYes), true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Submit(staff, org.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		p.Company.CorporateNumber = corpNum(900)
		if err := db.UpdatePartner(storetest.System(), p); err != nil {
			t.Fatalf("move to a numbered company: %v", err)
		}
		if _, err := db.Assessment(staff, org.ID, a.ID); err != nil {
			t.Fatal(err)
		}
	})
}
