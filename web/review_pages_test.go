package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// TestAssessmentPagesReviewAndScore: the list shows the campaign's
// progress, the assessment page its score by section and overall, and a
// reviewer returns one answer with a comment for the partner and an
// internal note, then accepts it after the partner answers again.
func TestAssessmentPagesReviewAndScore(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		a, m := apiSubmittedWithRemediation(t, app, tn, "")
		open := apiTenancyAssessment(t, app, tn, false)

		list := get(t, app, c, "/assessments")
		if list.Status != 200 || h1(list) != i18n.T("ja", "nav.assessments") || list.Doc.Find("#campaigns tbody tr").Length() != 2 {
			t.Fatalf("list: %d %q, %d campaigns", list.Status, h1(list), list.Doc.Find("#campaigns tbody tr").Length())
		}
		rates := list.Doc.Find("#campaigns [data-rate]").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		if strings.Join(rates, ",") != "0%,100%" {
			t.Fatalf("response rates %v", rates)
		}
		if list.Doc.Find(`a[href="/campaigns/new"]`).Length() == 0 || list.Doc.Find(`#assessment-list a[href="/assessments/`+a.ID+`"]`).Length() != 1 {
			t.Fatal("links to the new campaign page or the assessment missing")
		}
		if f := get(t, app, c, "/assessments?status=submitted"); f.Doc.Find("#assessment-list tbody tr").Length() != 1 {
			t.Fatalf("status filter: %d rows", f.Doc.Find("#assessment-list tbody tr").Length())
		}
		camp := get(t, app, c, "/campaigns/"+a.CampaignID)
		if camp.Status != 200 || strings.TrimSpace(camp.Doc.Find(`[data-count="submitted"]`).Text()) != "1" || strings.TrimSpace(camp.Doc.Find(`[data-count="rate"]`).Text()) != "100%" {
			t.Fatalf("campaign page: %d %s", camp.Status, camp.Doc.Find("#campaign-progress").Text())
		}

		path := "/assessments/" + a.ID
		p := get(t, app, c, path)
		if p.Status != 200 || strings.TrimSpace(p.Doc.Find("#score-total").Text()) != "96 / 100" || p.Doc.Find("#section-scores tbody tr").Length() != 3 ||
			p.Doc.Find("#score-band").Length() != 1 || p.Doc.Find("#band-advice").Text() == "" {
			t.Fatalf("score: %d %q", p.Status, p.Doc.Find("#score").Text())
		}
		if p.Doc.Find("li.answer").Length() != 25 || p.Doc.Find("li.answer form.review-form").Length() != 25 || p.Doc.Find("li.answer .on-behalf").Length() != 25 {
			t.Fatalf("answers: %d rows, %d review forms", p.Doc.Find("li.answer").Length(), p.Doc.Find("form.review-form").Length())
		}
		if !strings.Contains(p.Doc.Find("#gap").Text(), "★3") || p.Doc.Find(`a[href="`+path+`/xlsx"]`).Length() != 1 {
			t.Fatalf("gap %q or xlsx link missing", p.Doc.Find("#gap").Text())
		}
		if f := p.Doc.Find(`[data-finding="25"]`); f.Length() != 1 || f.Find(`a[href="/remediations/`+m.ID+`"]`).Length() != 1 || f.Find(".support-list li").Length() == 0 {
			t.Fatalf("finding 25: %s", f.Text())
		}
		// Which text the partner sees is said on the form.
		form := p.Doc.Find("#q-25 form.review-form")
		if !strings.Contains(form.Find(`label[for="comment-q-25"]`).Text(), "取引先に表示されます") || !strings.Contains(form.Find(`label[for="note-q-25"]`).Text(), "表示されません") {
			t.Fatalf("labels: %s", form.Text())
		}
		token := csrf(t, app, c, path)

		// Returning without a comment is refused and changes nothing.
		bad := post(t, app, c, path+"/review/25", url.Values{"csrf_token": {token}, "status": {"returned"}})
		if bad.Status != 400 || !strings.Contains(text(bad), "コメント") {
			t.Fatalf("return without comment: %d", bad.Status)
		}
		reviewUnchanged(app, tn, a.ID)(t)
		// With htmx: the row comes back with the decision; the partner's
		// comment and the internal note are told apart.
		row := post(t, app, c, path+"/review/25", url.Values{"status": {"returned"}, "comment": {"訓練の記録を添えてください。"}, "internal_note": {"社外秘: 昨年も未実施"}},
			"HX-Request", "true", "X-CSRF-Token", token)
		if row.Status != 200 || row.Doc.Find("li#q-25").Length() != 1 || row.Doc.Find("html").Length() != 1 && row.Doc.Find("main").Length() != 0 {
			t.Fatalf("htmx row: %d %s", row.Status, row.Body)
		}
		if !strings.Contains(row.Doc.Find(".partner-sees").Text(), "訓練の記録を添えてください。") || !strings.Contains(row.Doc.Find(".internal-only").Text(), "社外秘") {
			t.Fatalf("row after return: %s", row.Body)
		}
		if !strings.Contains(row.Body, "差し戻しました") {
			t.Fatalf("no notice: %s", row.Body)
		}
		st, _ := app.DB.Assessment(storetest.System(), tn.Org.ID, a.ID)
		if st.Status != renkei.AssessmentReturned || !strings.Contains(row.Doc.Find("#assessment-status").Text(), "差し戻し中") {
			t.Fatalf("status %s", st.Status)
		}
		// The review goes on: the other rows keep their forms, and taking
		// the return back (24 still to review) makes it submitted again.
		p = get(t, app, c, path)
		if p.Doc.Find("#q-24 form.review-form").Length() != 1 {
			t.Fatal("the review stopped at the first return")
		}
		back := post(t, app, c, path+"/review/25", url.Values{"status": {"accepted"}}, "HX-Request", "true", "X-CSRF-Token", token)
		if !strings.Contains(back.Doc.Find("#assessment-status").Text(), "提出済み") {
			t.Fatalf("taken back: %s", back.Body)
		}
		row = post(t, app, c, path+"/review/25", url.Values{"status": {"returned"}, "comment": {"訓練の記録を添えてください。"}, "internal_note": {"社外秘: 昨年も未実施"}},
			"HX-Request", "true", "X-CSRF-Token", token)
		mustStatus(t, reply{Status: row.Status}, 200, "return again")
		// The partner answers again and submits; accepted without htmx.
		partner := renkei.WithActor(context.Background(), reviewPartnerActor(t, app, tn, a.ID))
		if err := app.DB.SaveAnswers(partner, tn.Org.ID, a.ID, []renkei.AnswerInput{{QuestionRef: "25", Answer: renkei.Answer{Value: renkei.AnswerYes}}}, false); err != nil {
			t.Fatal(err)
		}
		if _, err := app.DB.Submit(partner, tn.Org.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		ok := post(t, app, c, path+"/review/25", url.Values{"csrf_token": {token}, "status": {"accepted"}})
		wantRedirect(t, ok, path+"#q-25")
		p = get(t, app, c, path)
		// 24 answers are still to review: submitted, 25 accepted.
		if strings.TrimSpace(p.Doc.Find("#score-total").Text()) != "100 / 100" || !strings.Contains(p.Doc.Find("#assessment-status").Text(), "提出済み") ||
			!strings.Contains(p.Doc.Find("#q-25 .review-status").Text(), "承認") || !strings.Contains(p.Doc.Find("#q-24 .review-status").Text(), "未確認") {
			t.Fatalf("after accept: %q %q", p.Doc.Find("#score-total").Text(), p.Doc.Find("#assessment-status").Text())
		}
		var rest []map[string]any
		for i := 1; i <= 24; i++ {
			rest = append(rest, map[string]any{"question": strconv.Itoa(i), "status": "accepted"})
		}
		mustStatus(t, app.call(t, "POST", "/api/v1"+path+"/review", req{Token: tn.Token, Body: map[string]any{"reviews": rest}}), 200, "accept the rest")
		if p = get(t, app, c, path); !strings.Contains(p.Doc.Find("#assessment-status").Text(), "確認済み") || p.Doc.Find("form.review-form").Length() != 0 {
			t.Fatalf("reviewed: %q", p.Doc.Find("#assessment-status").Text())
		}

		// Answering on the partner's behalf while the assessment is open.
		op := get(t, app, c, "/assessments/"+open)
		if op.Doc.Find("form#on-behalf select[name='answer.1']").Length() != 1 || op.Doc.Find("form.review-form").Length() != 0 {
			t.Fatal("open assessment: no on-behalf form, or review forms")
		}
		saved := post(t, app, c, "/assessments/"+open+"/answers", url.Values{"csrf_token": {token}, "answer.1": {"partly"}, "answer.2": {""}})
		wantRedirect(t, saved, "/assessments/"+open+"?done=answered")
		op = get(t, app, c, "/assessments/"+open)
		if !strings.Contains(op.Doc.Find("#q-1").Text(), "一部") || op.Doc.Find("#q-1 .on-behalf").Length() != 1 || op.Doc.Find("#q-2 .given").Length() != 0 {
			t.Fatalf("on behalf: %s", op.Doc.Find("#q-1").Text())
		}
		badAns := post(t, app, c, "/assessments/"+open+"/answers", url.Values{"csrf_token": {token}, "answer.1": {"maybe"}})
		if badAns.Status != 400 {
			t.Fatalf("bad on-behalf answer: %d", badAns.Status)
		}
		// Another organization's assessment is not found.
		other := app.newTenant("乙社", renkei.RoleAdmin)
		oc := app.browser()
		login(t, app, oc, other.User.Email, testPassword)
		if nf := get(t, app, oc, path); nf.Status != 404 {
			t.Fatalf("B sees A's assessment: %d", nf.Status)
		}
	})
}

// reviewPartnerActor is a partner user of the assessment's company.
func reviewPartnerActor(t *testing.T, app *testApp, tn *tenant, id string) *renkei.Actor {
	t.Helper()
	a, err := app.DB.Assessment(storetest.System(), tn.Org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return &renkei.Actor{UserID: "partner-user", Role: renkei.RolePartner, PartnerCompanyID: a.CompanyID}
}

func TestRemediationAndSupportPages(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		p := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社町工場", "employees": 8}})
		a, m := apiSubmittedWithRemediation(t, app, tn, p.ID)
		token := csrf(t, app, c, "/remediations")

		list := get(t, app, c, "/remediations")
		if list.Status != 200 || list.Doc.Find("#remediation-list tbody tr").Length() != 1 {
			t.Fatalf("list: %d", list.Status)
		}
		mp := "/remediations/" + m.ID
		saved := post(t, app, c, mp, url.Values{"csrf_token": {token}, "title": {m.Title}, "owner": {"sato@example.jp"}, "due_date": {"2000-01-31"},
			"status": {"in_progress"}, "closure_evidence": {""}, "notes": {"見積もり待ち"}})
		wantRedirect(t, saved, mp+"?done=remediation_saved")
		if got := get(t, app, c, "/remediations?overdue=1"); got.Doc.Find("#remediation-list tbody tr").Length() != 1 {
			t.Fatal("overdue filter")
		}
		if got := get(t, app, c, "/remediations?owner=nobody@example.jp"); got.Doc.Find("#remediation-list tbody tr").Length() != 0 {
			t.Fatal("owner filter")
		}
		bad := post(t, app, c, mp, url.Values{"csrf_token": {token}, "title": {m.Title}, "status": {"finished"}})
		if bad.Status != 400 || bad.Doc.Find(".has-error #status").Length() != 1 {
			t.Fatalf("bad status: %d", bad.Status)
		}
		// The evidence file through the form.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("csrf_token", token)
		fw, _ := mw.CreateFormFile("document", "訓練記録.pdf")
		fw.Write(evidencePDF)
		mw.Close()
		req, _ := http.NewRequest("POST", app.Server.URL+mp+"/evidence", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := c.Do(req)
		up := readPage(t, res, err)
		wantRedirect(t, up, mp+"?done=evidence_saved")
		item := get(t, app, c, mp)
		if item.Doc.Find("#evidence-link").Text() != "訓練記録.pdf" || item.Doc.Find("#owner").AttrOr("value", "") != "sato@example.jp" {
			t.Fatalf("item page: %s", item.Doc.Find("main").Text())
		}
		if dl := get(t, app, c, mp+"/evidence"); dl.Status != 200 || dl.Body != string(evidencePDF) {
			t.Fatalf("download: %d", dl.Status)
		}

		// Support programs: the seeded catalog, one added, one refused.
		sp := get(t, app, c, "/settings/support-programs")
		n := sp.Doc.Find("#program-list > li").Length()
		if sp.Status != 200 || n != len(renkei.SeedSupportPrograms()) {
			t.Fatalf("catalog page: %d, %d programs", sp.Status, n)
		}
		refused := post(t, app, c, "/settings/support-programs", url.Values{"csrf_token": {token}, "name_ja": {"x"}, "url": {"javascript:alert(1)"}})
		if refused.Status != 400 || refused.Doc.Find(".has-error #url-new").Length() != 1 {
			t.Fatalf("bad url: %d", refused.Status)
		}
		added := post(t, app, c, "/settings/support-programs", url.Values{"csrf_token": {token}, "name_ja": {"町の相談窓口"}, "url": {"https://example.jp/soudan"},
			"groups": {"rs", "rc"}, "max_employees": {"20"}})
		wantRedirect(t, added, "/settings/support-programs?done=program_added")
		if got := get(t, app, c, "/settings/support-programs").Doc.Find("#program-list > li").Length(); got != n+1 {
			t.Fatalf("after add: %d", got)
		}

		// The partner page shows the residual risk.
		pp := get(t, app, c, "/partners/"+p.ID)
		if pp.Doc.Find("#residual #residual-tier").Length() != 1 || pp.Doc.Find("#residual-reasons li").Length() < 3 ||
			pp.Doc.Find(`#residual a[href="/assessments/`+a.ID+`"]`).Length() != 1 {
			t.Fatalf("residual: %s", pp.Doc.Find("#residual").Text())
		}
		// Another organization reaches none of it, by page or by form.
		other := app.newTenant("乙社", renkei.RoleAdmin)
		oc := app.browser()
		login(t, app, oc, other.User.Email, testPassword)
		otoken := csrf(t, app, oc, "/remediations")
		before := app.state(t, tn)
		progs, _ := app.DB.SupportPrograms(storetest.System(), tn.Org.ID)
		for _, tc := range []struct {
			method, path string
			form         url.Values
		}{
			{"GET", mp, nil}, {"GET", mp + "/evidence", nil}, {"GET", "/campaigns/" + a.CampaignID, nil}, {"GET", "/assessments/" + a.ID, nil},
			{"POST", mp, url.Values{"csrf_token": {otoken}, "title": {"乗っ取り"}, "status": {"done"}}},
			{"POST", "/assessments/" + a.ID + "/review/25", url.Values{"csrf_token": {otoken}, "status": {"accepted"}}},
			{"POST", "/assessments/" + a.ID + "/remediations", url.Values{"csrf_token": {otoken}, "question": {"25"}}},
			{"POST", "/settings/support-programs/" + progs[0].ID, url.Values{"csrf_token": {otoken}, "name_ja": {"乗っ取り"}}},
			{"POST", "/settings/support-programs/" + progs[0].ID + "/delete", url.Values{"csrf_token": {otoken}}},
		} {
			var got *page
			if tc.method == "GET" {
				got = get(t, app, oc, tc.path)
			} else {
				got = post(t, app, oc, tc.path, tc.form)
			}
			if got.Status != 404 {
				t.Errorf("B %s %s: %d", tc.method, tc.path, got.Status)
			}
		}
		if after := app.state(t, tn); after.AuditSeq != before.AuditSeq {
			t.Fatal("B's requests changed something")
		}

		// In English too.
		en := get(t, app, c, "/assessments/"+a.ID, "Accept-Language", "en")
		if !strings.Contains(en.Doc.Find("#answers-h").Text(), "Answers and review") {
			t.Fatalf("english: %q", en.Doc.Find("#answers-h").Text())
		}
	})
}
