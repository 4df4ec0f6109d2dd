package web_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// Shapes of the sharing API the tests decode.
type (
	apiShareT struct {
		ID        string `json:"id"`
		PartnerID string `json:"partner_id"`
		Message   string `json:"message"`
		Status    string `json:"status"`
		ExpiresOn string `json:"expires_on"`
	}
	apiSharedAssessmentT struct {
		apiShareT
		Template   apiTemplateT `json:"template"`
		Assessment struct {
			Status string `json:"status"`
		} `json:"assessment"`
		Score *struct {
			Total float64 `json:"total"`
		} `json:"score"`
		Answers []struct {
			Question string `json:"question"`
			Answer   *struct {
				Value string `json:"value"`
			} `json:"answer"`
		} `json:"answers"`
	}
)

func apiShareID(s apiShareT) string { return s.ID }

// corpSeq makes Corporate Numbers unique within a test binary.
var corpSeq atomic.Int64

func nextCorporateNumber() string {
	base := fmt.Sprintf("%012d", 880000000000+corpSeq.Add(1))
	return string(rune('0'+renkei.CorporateNumberCheckDigit(base))) + base
}

// partnerActor is a user of company acting in the portal.
func partnerActor(companyID string) context.Context {
	return renkei.WithActor(context.Background(), &renkei.Actor{UserID: "partner-user-" + companyID[:8], Role: renkei.RolePartner, PartnerCompanyID: companyID})
}

// sharedCompany is one company that is a partner of two organizations:
// from sent it self-check-25, which it answered (one "no") and submitted;
// to asked for it.
type sharedCompany struct {
	companyID    string
	fromPartner  string
	toPartner    string
	assessmentID string
	requestID    string
}

func newSharedCompany(t *testing.T, app *testApp, from, to *tenant) sharedCompany {
	t.Helper()
	corp := nextCorporateNumber()
	company := map[string]any{"name": "共有工業株式会社", "corporate_number": corp}
	// A group company, so that the suppliers TestCrossTenantLists counts in
	// its coverage check stay the ones it made.
	pf := apiNewPartner(t, app, from.Token, map[string]any{"type": "group", "company": company})
	pt := apiNewPartner(t, app, to.Token, map[string]any{"type": "group", "company": company})
	sc := sharedCompany{fromPartner: pf.ID, toPartner: pt.ID}
	r := app.call(t, "POST", "/api/v1/campaigns", req{Token: from.Token, Body: map[string]any{"template": "self-check-25", "partner_ids": []string{pf.ID}, "due_date": "2099-06-30"}})
	mustStatus(t, r, 201, "campaign")
	var c apiCampaignT
	r.JSON(t, &c)
	as := listAll(t, app, from.Token, "/api/v1/assessments?campaign_id="+c.ID, 200, apiAssessmentID)
	sc.assessmentID = as[0].ID
	ans := selfCheckAnswers(25, "yes")
	ans[9]["value"] = "no"
	mustStatus(t, app.call(t, "PUT", "/api/v1/assessments/"+sc.assessmentID+"/answers", req{Token: from.Token, Body: map[string]any{"answers": ans}}), 200, "answers")
	mustStatus(t, app.call(t, "POST", "/api/v1/assessments/"+sc.assessmentID+"/submit", req{Token: from.Token}), 200, "submit")
	a, err := app.DB.Assessment(storetest.System(), from.Org.ID, sc.assessmentID)
	if err != nil {
		t.Fatal(err)
	}
	sc.companyID = a.CompanyID
	r = app.call(t, "POST", "/api/v1/partners/"+pt.ID+"/share_requests", req{Token: to.Token, Body: map[string]any{"message": "御社の自己診断を共有してください"}})
	mustStatus(t, r, 201, "share request")
	var s apiShareT
	r.JSON(t, &s)
	sc.requestID = s.ID
	return sc
}

// aYearAhead is a grant's expiry date a year from today (Tokyo).
func aYearAhead() string { return time.Now().In(renkei.Tokyo).AddDate(1, 0, 0).Format(time.DateOnly) }

// grant is the company's consent, given as the portal gives it.
func (sc sharedCompany) grant(t *testing.T, app *testApp, expires string) {
	t.Helper()
	if _, err := app.DB.GrantShare(partnerActor(sc.companyID), sc.requestID, sc.assessmentID, expires); err != nil {
		t.Fatal(err)
	}
}

func TestAPISharing(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲社", renkei.RoleAdmin)
		b := app.newTenant("乙社", renkei.RoleAdmin)
		c := app.newTenant("丙社", renkei.RoleAdmin)
		viewerB := app.addUserToken(b, renkei.RoleViewer)
		sc := newSharedCompany(t, app, a, b)
		// A's reviewer leaves a comment and an internal note.
		if _, err := app.DB.Review(renkei.WithActor(context.Background(), &renkei.Actor{UserID: a.User.ID, OrgID: a.Org.ID, Role: renkei.RoleAdmin}), a.Org.ID, sc.assessmentID,
			[]renkei.AnswerReview{{QuestionRef: "10", Status: renkei.ReviewAccepted, Comment: "改善計画を確認", InternalNote: "甲社だけのメモ"}}); err != nil {
			t.Fatal(err)
		}

		// Before consent: nothing listed, the copy is 404.
		if got := listAll(t, app, viewerB, "/api/v1/shared_assessments", 50, apiShareID); len(got) != 0 {
			t.Fatalf("listed before consent: %+v", got)
		}
		mustStatus(t, app.call(t, "GET", "/api/v1/shared_assessments/"+sc.requestID, req{Token: viewerB}), 404, "before consent")

		sc.grant(t, app, time.Now().In(renkei.Tokyo).AddDate(0, 1, 0).Format(time.DateOnly))
		got := listAll(t, app, viewerB, "/api/v1/shared_assessments", 50, apiShareID)
		if len(got) != 1 || got[0].ID != sc.requestID || got[0].Status != renkei.ShareGranted || got[0].PartnerID != sc.toPartner {
			t.Fatalf("list: %+v", got)
		}
		r := app.call(t, "GET", "/api/v1/shared_assessments/"+sc.requestID, req{Token: viewerB})
		mustStatus(t, r, 200, "copy")
		var cp apiSharedAssessmentT
		r.JSON(t, &cp)
		if cp.Template.Slug != "self-check-25" || len(cp.Answers) != 25 || cp.Score == nil || cp.Score.Total != 96 ||
			cp.Answers[9].Answer == nil || cp.Answers[9].Answer.Value != "no" {
			t.Fatalf("copy: %+v", cp)
		}
		for _, secret := range []string{"甲社だけのメモ", "改善計画を確認", a.Org.ID, a.Org.Name, sc.fromPartner, "internal_note", "review"} {
			if strings.Contains(string(r.Body), secret) {
				t.Errorf("copy holds %q", secret)
			}
		}
		// C sees nothing; B does not reach A's assessment itself.
		if got := listAll(t, app, c.Token, "/api/v1/shared_assessments", 50, apiShareID); len(got) != 0 {
			t.Fatalf("C's list: %+v", got)
		}
		mustStatus(t, app.call(t, "GET", "/api/v1/shared_assessments/"+sc.requestID, req{Token: c.Token}), 404, "C")
		mustStatus(t, app.call(t, "GET", "/api/v1/assessments/"+sc.assessmentID, req{Token: b.Token}), 404, "B on A's assessment")

		// Revoked: 410 with a message that says so.
		if _, err := app.DB.RevokeShare(partnerActor(sc.companyID), sc.requestID); err != nil {
			t.Fatal(err)
		}
		r = app.call(t, "GET", "/api/v1/shared_assessments/"+sc.requestID, req{Token: viewerB, Header: map[string]string{"Accept-Language": "en"}})
		mustStatus(t, r, 410, "revoked")
		if e := r.Err(t); e.Error.Code != renkei.EGONE || !strings.Contains(e.Error.Message, "revoked") {
			t.Fatalf("revoked: %+v", e)
		}
		if got := listAll(t, app, viewerB, "/api/v1/shared_assessments", 50, apiShareID); len(got) != 1 || got[0].Status != renkei.ShareRevoked {
			t.Fatalf("list after revocation: %+v", got)
		}
		for _, action := range []string{"share.request", "share.grant", "share.revoke"} {
			if len(auditFor(t, app, b, action)) != 1 {
				t.Errorf("B's audit has no %s", action)
			}
		}
		if len(auditFor(t, app, a, "share.grant")) != 1 || len(auditFor(t, app, a, "share.revoke")) != 1 {
			t.Error("A's audit does not record the grant and revocation")
		}

		// Bad requests change nothing.
		app.refused(t, b, "POST", "/api/v1/partners/"+sc.toPartner+"/share_requests", req{Token: b.Token, Body: map[string]any{"message": strings.Repeat("長", 2001)}}, 400, "invalid")
		app.refused(t, b, "POST", "/api/v1/partners/"+sc.toPartner+"/share_requests", req{Token: b.Token, Body: map[string]any{"msg": "x"}}, 400, "invalid")
		app.refused(t, b, "POST", "/api/v1/partners/"+sc.toPartner+"/share_requests", req{Token: viewerB, Body: map[string]any{}}, 403, "forbidden")
	})
}

func TestAPISharingExpiry(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲社", renkei.RoleAdmin)
		b := app.newTenant("乙社", renkei.RoleAdmin)
		sc := newSharedCompany(t, app, a, b)
		today := time.Now().In(renkei.Tokyo)
		sc.grant(t, app, today.Format(time.DateOnly)) // shared through today
		mustStatus(t, app.call(t, "GET", "/api/v1/shared_assessments/"+sc.requestID, req{Token: b.Token}), 200, "on the last day")
		app.DB.Now = func() time.Time { return today.AddDate(0, 0, 1) }
		r := app.call(t, "GET", "/api/v1/shared_assessments/"+sc.requestID, req{Token: b.Token})
		mustStatus(t, r, 410, "expired")
		if e := r.Err(t); !strings.Contains(e.Error.Message, today.Format(time.DateOnly)) {
			t.Fatalf("expired message: %+v", e)
		}
	})
}

// TestShareRequestMailsThePartner: a request is mailed, in the contact's
// language, to the partner's security contact, pointing at the portal's
// requests; a partner without an address gets the request and no mail.
func TestShareRequestMailsThePartner(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		b := app.newTenant("乙商事株式会社", renkei.RoleAdmin)
		to := "security-" + nextCorporateNumber() + "@partner.example.jp"
		p := apiNewPartner(t, app, b.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "X Manufacturing Co."},
			"contacts": map[string]any{"security": map[string]any{"email": to, "locale": "en"}}})
		mustStatus(t, app.call(t, "POST", "/api/v1/partners/"+p.ID+"/share_requests", req{Token: b.Token, Body: map[string]any{"message": "For our supplier review."}}), 201, "request")
		m := app.mailTo(t, to)
		if m.Locale != "en" || m.Template != "share_request" || !strings.Contains(m.Subject, b.Org.Name) ||
			!strings.Contains(m.Text, app.Server.URL+"/portal/shares") || !strings.Contains(m.Text, "For our supplier review.") {
			t.Fatalf("mail: %+v", m)
		}
		if e := auditFor(t, app, b, "share.request"); len(e) != 1 || e[0].Detail["mailed"] != true {
			t.Fatalf("audit: %+v", e)
		}
		silent := apiNewPartner(t, app, b.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "連絡先なし株式会社"}})
		mustStatus(t, app.call(t, "POST", "/api/v1/partners/"+silent.ID+"/share_requests", req{Token: b.Token, Body: map[string]any{}}), 201, "request without contact")
		if e := auditFor(t, app, b, "share.request"); len(e) != 2 {
			t.Fatalf("audit: %+v", e)
		}
	})
}
