package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/renkei/renkei"
)

// The demo's assessments, made through the same store methods the product
// uses, so that every score, finding and status is computed, not typed in:
//
//   - a campaign of self-check-25 to SelfCheckPartners suppliers, with
//     assessments in every status: sent, opened, in progress, submitted,
//     returned with a comment, reviewed (with an internal note), and
//     findings of the reviewed ones turned into remediation items (open, in
//     progress, done, one overdue);
//   - a campaign "by required level" (supply-chain-star3 or -star4 per
//     partner), just sent, a few opened;
//   - one sharing grant: a second demo organization sent one of the demo
//     partners the self-check, which it answered; the demo organization
//     asked for it and the partner granted it, so /shared shows a copy.
//
// Partner users' steps (opening, answering, submitting, granting) are
// taken as a partner user of that company would in the portal.

// SelfCheckPartners is how many partners the self-check campaign goes to.
const SelfCheckPartners = 36

// statusPlan is how many of the self-check's assessments end in each
// status, in the order they are made.
var statusPlan = []struct {
	status string
	n      int
}{
	{renkei.AssessmentSent, 8},
	{renkei.AssessmentOpened, 5},
	{renkei.AssessmentInProgress, 7},
	{renkei.AssessmentSubmitted, 6},
	{renkei.AssessmentReturned, 4},
	{renkei.AssessmentReviewed, 6},
}

// AssessmentStore is what the assessments demo needs besides Store's.
type AssessmentStore interface {
	renkei.AssessmentStore
	renkei.ShareStore
	// MarkOpened is the portal's (renkei.PortalStore): a partner user
	// opened the assessment.
	MarkOpened(ctx context.Context, orgID, id string) error
}

// partnerCtx acts as a user of the company in the portal.
func partnerCtx(ctx context.Context, companyID string) context.Context {
	return renkei.WithActor(ctx, &renkei.Actor{UserID: "demo-partner-user", Role: renkei.RolePartner, PartnerCompanyID: companyID, Label: "demo partner user"})
}

// loadAssessments adds the demo's campaigns unless the organization has
// one already. It returns how many assessments the demo organization has.
func loadAssessments(ctx context.Context, store Store, org *renkei.Organization, now time.Time) (int, error) {
	if cs, _, err := store.ListCampaigns(ctx, org.ID, renkei.Page{Limit: 1}); err != nil || len(cs) > 0 {
		return 0, err
	}
	suppliers, _, err := store.ListPartners(ctx, org.ID, renkei.PartnerFilter{Type: renkei.PartnerSupplier, Sort: "created"}, renkei.Page{Limit: SelfCheckPartners + 12})
	if err != nil {
		return 0, err
	}
	if len(suppliers) < SelfCheckPartners+12 {
		return 0, fmt.Errorf("demo: %d suppliers, %d needed", len(suppliers), SelfCheckPartners+12)
	}
	rng := rand.New(rand.NewPCG(2026, 25))
	n, err := selfCheckCampaign(ctx, store, org, suppliers[:SelfCheckPartners], now, rng)
	if err != nil {
		return 0, err
	}
	m, err := levelCampaign(ctx, store, org, suppliers[SelfCheckPartners:], now)
	if err != nil {
		return 0, err
	}
	if err := sharingGrant(ctx, store, org, &suppliers[0], now, rng); err != nil {
		return 0, err
	}
	return n + m, nil
}

// campaignAssessments creates the campaign and returns its assessments.
func campaignAssessments(ctx context.Context, store Store, c *renkei.Campaign, partners []renkei.Partner) ([]renkei.Assessment, error) {
	ids := make([]string, len(partners))
	for i := range partners {
		ids[i] = partners[i].ID
	}
	if _, err := store.CreateCampaign(ctx, c, ids, nil); err != nil {
		return nil, fmt.Errorf("demo campaign %s: %w", c.Name, err)
	}
	as, _, err := store.ListAssessments(ctx, c.OrgID, renkei.AssessmentFilter{CampaignID: c.ID}, renkei.Page{Limit: renkei.MaxPageLimit})
	return as, err
}

func selfCheckCampaign(ctx context.Context, store Store, org *renkei.Organization, partners []renkei.Partner, now time.Time, rng *rand.Rand) (int, error) {
	c := &renkei.Campaign{OrgID: org.ID, Name: "2026年度 取引先セキュリティ自己診断（デモ）", TemplateSlug: renkei.TemplateSelfCheck25,
		DueDate: now.In(renkei.Tokyo).AddDate(0, 0, 21).Format(time.DateOnly)}
	as, err := campaignAssessments(ctx, store, c, partners)
	if err != nil {
		return 0, err
	}
	tpl, _ := renkei.BuiltinTemplate(renkei.TemplateSelfCheck25)
	i := 0
	for _, step := range statusPlan {
		for k := 0; k < step.n && i < len(as); k, i = k+1, i+1 {
			if err := bringTo(ctx, store, &as[i], tpl, step.status, k, rng); err != nil {
				return 0, fmt.Errorf("demo assessment %d (%s): %w", i, step.status, err)
			}
		}
	}
	return len(as), remediate(ctx, store, org, now)
}

// bringTo takes a sent assessment to status the way people would: the
// partner opens it, answers (a few answers entered by staff on the
// partner's behalf), submits; a reviewer returns one answer with a comment
// or accepts them all, leaving an internal note.
func bringTo(ctx context.Context, store Store, a *renkei.Assessment, tpl *renkei.Template, status string, k int, rng *rand.Rand) error {
	if status == renkei.AssessmentSent {
		return nil
	}
	pctx := partnerCtx(ctx, a.CompanyID)
	if err := store.MarkOpened(pctx, a.OrgID, a.ID); err != nil {
		return err
	}
	if status == renkei.AssessmentOpened {
		return nil
	}
	answers := demoAnswers(tpl, rng)
	if status == renkei.AssessmentInProgress {
		answers = answers[:8+rng.IntN(12)]
	}
	if k%3 == 2 && len(answers) > 3 {
		// Staff typed the last three in from a phone call.
		if err := store.SaveAnswers(ctx, a.OrgID, a.ID, answers[len(answers)-3:], true); err != nil {
			return err
		}
		answers = answers[:len(answers)-3]
	}
	if err := store.SaveAnswers(pctx, a.OrgID, a.ID, answers, false); err != nil {
		return err
	}
	if status == renkei.AssessmentInProgress {
		return nil
	}
	if _, err := store.Submit(pctx, a.OrgID, a.ID); err != nil {
		return err
	}
	switch status {
	case renkei.AssessmentReturned:
		_, err := store.Review(ctx, a.OrgID, a.ID, []renkei.AnswerReview{{QuestionRef: "3", Status: renkei.ReviewReturned,
			Comment:      "「はい」の根拠として、パスワードの決まりを書いた社内ルールの写しを添付してください。",
			InternalNote: "昨年度も同じ指摘。次回の定例で購買から一言伝える。"}})
		return err
	case renkei.AssessmentReviewed:
		reviews := make([]renkei.AnswerReview, 0, tpl.QuestionCount())
		for _, q := range tpl.Questions() {
			reviews = append(reviews, renkei.AnswerReview{QuestionRef: q.Ref, Status: renkei.ReviewAccepted})
		}
		reviews[0].InternalNote = "回答内容は訪問時の確認と一致。社内限りのメモ。"
		_, err := store.Review(ctx, a.OrgID, a.ID, reviews)
		return err
	}
	return nil
}

// demoAnswers answers every question as a small supplier might: mostly
// yes, some partly or no, now and then "don't know" or not applicable.
func demoAnswers(tpl *renkei.Template, rng *rand.Rand) []renkei.AnswerInput {
	var out []renkei.AnswerInput
	for _, q := range tpl.Questions() {
		v := renkei.AnswerYes
		switch r := rng.IntN(100); {
		case r < 15:
			v = renkei.AnswerPartly
		case r < 25:
			v = renkei.AnswerNo
		case r < 29:
			v = renkei.AnswerUnknown
		case r < 31 && q.NAAs(&tpl.Scoring) != renkei.NANotAllowed:
			v = renkei.AnswerNA
		}
		out = append(out, renkei.AnswerInput{QuestionRef: q.Ref, Answer: renkei.Answer{Value: v}})
	}
	return out
}

// remediate turns findings of the reviewed assessments into remediation
// items: open, in progress, done, and one past its due date.
func remediate(ctx context.Context, store Store, org *renkei.Organization, now time.Time) error {
	reviewed, _, err := store.ListAssessments(ctx, org.ID, renkei.AssessmentFilter{Status: renkei.AssessmentReviewed}, renkei.Page{Limit: renkei.MaxPageLimit})
	if err != nil {
		return err
	}
	today := now.In(renkei.Tokyo)
	plan := []struct {
		status string
		days   int
		owner  string
	}{
		{renkei.RemediationOpen, 45, "調達 次郎"},
		{renkei.RemediationInProgress, 30, "情報 セキュリティ 花子"},
		{renkei.RemediationDone, -10, "情報 セキュリティ 花子"},
		{renkei.RemediationOpen, -7, "調達 次郎"}, // overdue
		{renkei.RemediationInProgress, 60, "事業 三郎"},
	}
	n := 0
	for _, a := range reviewed {
		fs, err := store.Findings(ctx, org.ID, a.ID)
		if err != nil {
			return err
		}
		for _, f := range fs {
			if n == len(plan) {
				return nil
			}
			p := plan[n]
			m := &renkei.Remediation{OrgID: org.ID, AssessmentID: a.ID, QuestionRef: f.QuestionRef, Owner: p.owner,
				DueDate: today.AddDate(0, 0, p.days).Format(time.DateOnly), Status: renkei.RemediationOpen,
				Notes: "デモ用の是正項目です。"}
			if err := store.CreateRemediation(ctx, m); err != nil {
				return err
			}
			if p.status != renkei.RemediationOpen {
				m.Status = p.status
				if p.status == renkei.RemediationDone {
					m.ClosureEvidence = "社内ルールの改訂版を受領し、内容を確認しました（デモ）。"
				}
				if err := store.UpdateRemediation(ctx, m); err != nil {
					return err
				}
			}
			n++
			break // one item per assessment, so they spread over partners
		}
	}
	return nil
}

// levelCampaign sends supply-chain-star3 or -star4 by each partner's
// required level; three partners have opened theirs.
func levelCampaign(ctx context.Context, store Store, org *renkei.Organization, partners []renkei.Partner, now time.Time) (int, error) {
	c := &renkei.Campaign{OrgID: org.ID, Name: "サプライチェーン対策評価（求める水準別・デモ）", TemplateSlug: renkei.TemplateByRequiredLevel,
		DueDate: now.In(renkei.Tokyo).AddDate(0, 2, 0).Format(time.DateOnly)}
	as, err := campaignAssessments(ctx, store, c, partners)
	if err != nil {
		return 0, err
	}
	for i := 0; i < 3 && i < len(as); i++ {
		if err := store.MarkOpened(partnerCtx(ctx, as[i].CompanyID), org.ID, as[i].ID); err != nil {
			return 0, err
		}
	}
	return len(as), nil
}

// Second demo organization: the one that sent the shared assessment.
const (
	OtherSlug = "demo-denki"
	otherName = "デモ電機株式会社"
)

// sharingGrant has a second demo organization send p's company the
// self-check, which the company answers and submits; the demo organization
// asks for it and the company grants it for six months.
func sharingGrant(ctx context.Context, store Store, org *renkei.Organization, p *renkei.Partner, now time.Time, rng *rand.Rand) error {
	other, err := store.OrganizationBySlug(ctx, OtherSlug)
	if renkei.ErrorCode(err) == renkei.ENOTFOUND {
		other = &renkei.Organization{Name: otherName, Slug: OtherSlug, Demo: true}
		err = store.CreateOrganization(ctx, other)
	}
	if err != nil {
		return err
	}
	if !other.Demo {
		return fmt.Errorf("an organization with slug %q exists and is not a demo", OtherSlug)
	}
	op := &renkei.Partner{OrgID: other.ID, Type: renkei.PartnerSupplier, ExternalID: "D-0001",
		Company: renkei.Company{Name: p.Company.Name, CorporateNumber: p.Company.CorporateNumber, Country: p.Company.Country}}
	if err := store.CreatePartner(ctx, op); err != nil {
		return err
	}
	c := &renkei.Campaign{OrgID: other.ID, Name: "2025年度 自己診断（デモ）", TemplateSlug: renkei.TemplateSelfCheck25,
		DueDate: now.In(renkei.Tokyo).AddDate(0, -2, 0).Format(time.DateOnly)}
	as, err := campaignAssessments(ctx, store, c, []renkei.Partner{*op})
	if err != nil {
		return err
	}
	tpl, _ := renkei.BuiltinTemplate(renkei.TemplateSelfCheck25)
	pctx := partnerCtx(ctx, op.Company.ID)
	if err := store.SaveAnswers(pctx, other.ID, as[0].ID, demoAnswers(tpl, rng), false); err != nil {
		return err
	}
	if _, err := store.Submit(pctx, other.ID, as[0].ID); err != nil {
		return err
	}
	// No mail: demo addresses are .example, and the grant follows at once.
	sh, err := store.RequestShare(ctx, org.ID, p.ID, "新規取引の審査のため、他社向けに回答済みの自己診断があれば共有をお願いします。", nil)
	if err != nil {
		return err
	}
	_, err = store.GrantShare(pctx, sh.ID, as[0].ID, now.In(renkei.Tokyo).AddDate(0, 6, 0).Format(time.DateOnly))
	return err
}
