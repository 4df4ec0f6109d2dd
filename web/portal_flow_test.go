package web_test

import (
	"bytes"
	"github.com/PuerkitoBio/goquery"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/renkei/renkei"
)

// The portal from the partner's side, end to end over HTTP: submitting with
// the confirmation page and the receipt, a returned answer and its comment,
// evidence files and bad ones, handing a section over, reused answers, and a
// password.

// answerAll saves every answer of the self-check as the partner, by the
// page's own route, all "yes".
func answerAll(t *testing.T, app *testApp, c *http.Client, id string, skip ...string) {
	t.Helper()
	tpl, _ := renkei.BuiltinTemplate("self-check-25")
	for _, q := range tpl.Questions() {
		if contains(skip, q.Ref) {
			continue
		}
		if p := portalAnswer(t, app, c, id, q.Ref, url.Values{"value": {"yes"}}); p.Status != 200 {
			t.Fatalf("answer %s: %d", q.Ref, p.Status)
		}
	}
}

func portalForm(t *testing.T, app *testApp, c *http.Client, path string, form url.Values) *page {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", csrf(t, app, c, "/portal"))
	return post(t, app, c, path, form)
}

func TestPortalSubmitConfirmReceiptReturnAndFix(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sa := app.sendAssessment(t, tn, "株式会社乙製作所", 840001, "self-check-25")
		c := app.partnerSession(t, sa.CompanyID, partnerEmail("abe"))
		id := sa.Assessment.ID
		base := "/portal/assessments/" + id

		answerAll(t, app, c, id, "7")
		// The confirmation page lists what is missing, linked to it, and
		// offers no submit button.
		p := get(t, app, c, base+"/submit")
		if p.Status != 200 || p.Doc.Find(`.portal-missing a[href="`+base+`#q-7"]`).Length() != 1 || p.Doc.Find(`form[action="`+base+`/submit"]`).Length() != 0 {
			t.Fatalf("submit page with one missing: %d %s", p.Status, text(p))
		}
		p = portalForm(t, app, c, base+"/submit", nil)
		if p.Status != http.StatusUnprocessableEntity || p.Doc.Find(`.portal-missing li`).Length() != 1 {
			t.Fatalf("submit with one missing: %d", p.Status)
		}
		if st := assessmentStatus(t, app, sa); st != renkei.AssessmentInProgress {
			t.Fatalf("refused submit changed the status to %s", st)
		}
		portalAnswer(t, app, c, id, "7", url.Values{"value": {"partly"}})
		p = get(t, app, c, base+"/submit")
		if p.Doc.Find(`.portal-missing li`).Length() != 0 || p.Doc.Find(`form[action="`+base+`/submit"] button`).Length() != 1 {
			t.Fatalf("submit page when complete: %s", text(p))
		}
		wantRedirect(t, portalForm(t, app, c, base+"/submit", nil), base+"?notice=submitted")
		p = get(t, app, c, base+"?notice=submitted")
		a, _ := app.DB.Assessment(staffCtx(tn), tn.Org.ID, id)
		tokyo := a.SubmittedAt.In(renkei.Tokyo).Format("2006-01-02 15:04")
		if a.Status != renkei.AssessmentSubmitted || !strings.Contains(p.Doc.Find(".receipt").Text(), tokyo) {
			t.Fatalf("receipt: %s %q want %s", a.Status, p.Doc.Find(".receipt").Text(), tokyo)
		}
		if p.Doc.Find(`#q-1 input[disabled], #q-1 fieldset[disabled]`).Length() == 0 {
			t.Fatal("a submitted assessment still takes answers")
		}
		if res := portalAnswer(t, app, c, id, "1", url.Values{"value": {"no"}}); res.Status == 200 {
			t.Fatalf("answer after submit: %d", res.Status)
		}

		// The reviewer returns one answer, with a comment for the partner
		// and a note that stays inside the organization.
		var out map[string]any
		st := app.api(tn.Token, "POST", "/api/v1/assessments/"+id+"/review", map[string]any{"reviews": []map[string]string{
			{"question": "7", "status": "returned", "comment": "対応の範囲を具体的に書いてください。", "internal_note": "社内メモ：この会社は前回も曖昧"},
			{"question": "1", "status": "accepted"},
		}}, &out)
		if st != 200 {
			t.Fatalf("review: %d %v", st, out)
		}
		p = get(t, app, c, base)
		if !strings.Contains(p.Doc.Find("#q-7 .returned").Text(), "対応の範囲を具体的に書いてください。") {
			t.Fatalf("the comment is not by question 7: %s", p.Doc.Find("#q-7").Text())
		}
		if strings.Contains(p.Body, "社内メモ") {
			t.Fatal("the internal note reached the partner")
		}
		if portalAnswer(t, app, c, id, "7", url.Values{"value": {"yes"}}).Status != 200 {
			t.Fatal("fixing the returned answer")
		}
		wantRedirect(t, portalForm(t, app, c, base+"/submit", nil), base+"?notice=submitted")
		if st := assessmentStatus(t, app, sa); st != renkei.AssessmentSubmitted {
			t.Fatalf("after the fix: %s", st)
		}
	})
}

// portalUploadFile posts a file to a question's evidence form.
func portalUploadFile(t *testing.T, app *testApp, c *http.Client, id, ref, name string, content []byte) *page {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf_token", csrf(t, app, c, "/portal"))
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", app.Server.URL+"/portal/assessments/"+id+"/evidence?question="+url.QueryEscape(ref), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	return readPage(t, res, err)
}

func TestPortalEvidenceUploadDownloadDeleteAndBadFiles(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sa := app.sendAssessment(t, tn, "株式会社乙製作所", 840002, "supply-chain-star4")
		c := app.partnerSession(t, sa.CompanyID, partnerEmail("ueda"))
		id := sa.Assessment.ID
		filesBefore := len(app.dataFiles(t))

		bad := []struct {
			what, ref, name string
			content         []byte
			status          int
		}{
			{"a program named .pdf", "gov.5", "規程.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00"), http.StatusBadRequest},
			{"an HTML page", "gov.5", "page.txt", []byte("<html><script>alert(1)</script>\x00"), http.StatusBadRequest},
			{"a type not allowed", "gov.5", "tool.exe", []byte("MZ"), http.StatusBadRequest},
			{"an empty file", "gov.5", "empty.pdf", nil, http.StatusBadRequest},
			{"a name that turns around", "gov.5", "report\u202efdp.exe", []byte("%PDF-1.7\n"), http.StatusBadRequest},
			{"too large", "gov.5", "big.pdf", append([]byte("%PDF-1.7\n"), make([]byte, renkei.MaxDocumentBytes)...), http.StatusRequestEntityTooLarge},
			{"a question without files", "gov.1", "ok.pdf", []byte("%PDF-1.7\n"), http.StatusBadRequest},
			{"an unknown question", "<script>", "ok.pdf", []byte("%PDF-1.7\n"), http.StatusBadRequest},
		}
		for _, b := range bad {
			p := portalUploadFile(t, app, c, id, b.ref, b.name, b.content)
			if p.Status != b.status {
				t.Fatalf("%s: %d, want %d", b.what, p.Status, b.status)
			}
			if b.ref == "gov.5" && p.Doc.Find("#q-gov\\.5 .field-error").Text() == "" {
				t.Fatalf("%s: no message by the question", b.what)
			}
			if strings.Contains(p.Body, "<script>alert") {
				t.Fatalf("%s: hostile text echoed", b.what)
			}
		}
		if n := len(app.dataFiles(t)); n != filesBefore || countRowsWhere(t, app, "assessment_evidence", "assessment_id", id) != 0 {
			t.Fatalf("refused files left %d files", n-filesBefore)
		}

		doc := []byte("%PDF-1.7\n情報セキュリティ基本方針\n%%EOF\n")
		wantRedirect(t, portalUploadFile(t, app, c, id, "gov.5", "基本方針.pdf", doc), "/portal/assessments/"+id+"?notice=evidence_added#q-gov.5")
		p := get(t, app, c, "/portal/assessments/"+id)
		link := p.Doc.Find("#q-gov\\.5 .evidence li a")
		href, _ := link.Attr("href")
		if link.Text() != "基本方針.pdf" || href == "" {
			t.Fatalf("evidence listed as %q %q", link.Text(), href)
		}
		for _, f := range app.dataFiles(t) {
			if strings.Contains(f, "基本方針") {
				t.Fatalf("the user's file name is in the storage key: %s", f)
			}
		}
		res, err := c.Get(app.Server.URL + href)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !bytes.Equal(got, doc) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || res.Header.Get("Content-Type") != renkei.ContentTypePDF {
			t.Fatalf("download: %d %q %q", res.StatusCode, res.Header.Get("Content-Disposition"), res.Header.Get("Content-Type"))
		}
		del := p.Doc.Find("#q-gov\\.5 .evidence li form").AttrOr("action", "")
		wantRedirect(t, portalForm(t, app, c, del, nil), "/portal/assessments/"+id+"?notice=evidence_deleted")
		if n := len(app.dataFiles(t)); n != filesBefore || countRowsWhere(t, app, "assessment_evidence", "assessment_id", id) != 0 {
			t.Fatal("the deleted file is still there")
		}
	})
}

func TestPortalHandOffASection(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sa := app.sendAssessment(t, tn, "株式会社乙製作所", 840003, "self-check-25")
		from := partnerEmail("okada")
		c := app.partnerSession(t, sa.CompanyID, from)
		id := sa.Assessment.ID
		colleague := partnerEmail("colleague")
		for _, bad := range []string{"not-an-address", "a\u202e@example.jp", ""} {
			if p := portalForm(t, app, c, "/portal/assessments/"+id+"/handoff", url.Values{"section": {"basics"}, "email": {bad}}); p.Status != http.StatusBadRequest {
				t.Fatalf("handoff to %q: %d", bad, p.Status)
			}
		}
		if p := portalForm(t, app, c, "/portal/assessments/"+id+"/handoff", url.Values{"section": {"no-such"}, "email": {colleague}}); p.Status != http.StatusBadRequest {
			t.Fatalf("handoff of an unknown section: %d", p.Status)
		}
		wantRedirect(t, portalForm(t, app, c, "/portal/assessments/"+id+"/handoff", url.Values{"section": {"basics"}, "email": {colleague}}), "/portal/assessments/"+id+"?notice=handed_off")
		m := app.mailTo(t, colleague)
		if m.Template != "portal_handoff" || m.Locale != "ja" || !strings.Contains(m.Text, "株式会社乙製作所") || !strings.Contains(m.Text, "甲社") {
			t.Fatalf("mail %+v", m)
		}
		i := strings.Index(m.Text, "/portal/link/")
		path := strings.Fields(m.Text[i:])[0]
		cc := app.browser()
		wantRedirect(t, post(t, app, cc, path, url.Values{}), "/portal/assessments/"+id+"?section=basics#section-basics")
		p := get(t, app, cc, "/portal/assessments/"+id+"?section=basics")
		if p.Status != 200 || !strings.Contains(p.Doc.Find(".handoffs").Text(), colleague) || !strings.Contains(p.Doc.Find(".handoffs").Text(), from) {
			t.Fatalf("the colleague's page: %d %q", p.Status, p.Doc.Find(".handoffs").Text())
		}
	})
}

func TestPortalReusedAnswersConfirmedOnThePage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲社", renkei.RoleAdmin)
		first := app.sendAssessment(t, a, "株式会社乙製作所", 840004, "self-check-25")
		email := partnerEmail("ishii")
		c := app.partnerSession(t, first.CompanyID, email)
		answerAll(t, app, c, first.Assessment.ID)
		wantRedirect(t, portalForm(t, app, c, "/portal/assessments/"+first.Assessment.ID+"/submit", nil), "/portal/assessments/")
		// Another organization sends the same company the same checklist.
		b := app.newTenant("丙社", renkei.RoleAdmin)
		second := app.sendAssessment(t, b, "株式会社乙製作所", 840004, "self-check-25")
		if second.CompanyID != first.CompanyID {
			t.Fatal("not the same company")
		}
		if second.Assessment.Prefilled == 0 {
			t.Skip("nothing prefilled")
		}
		base := "/portal/assessments/" + second.Assessment.ID
		p := get(t, app, c, base)
		reused := p.Doc.Find(".reused")
		if reused.Length() != second.Assessment.Prefilled || !strings.Contains(reused.First().Text(), "前回の回答です — 確認してください") {
			t.Fatalf("%d reused marks for %d prefilled", reused.Length(), second.Assessment.Prefilled)
		}
		p = portalForm(t, app, c, base+"/submit", nil)
		if p.Status != http.StatusUnprocessableEntity || p.Doc.Find(".portal-missing li").Length() < second.Assessment.Prefilled {
			t.Fatalf("submit with unconfirmed: %d", p.Status)
		}
		// Confirm each as it is.
		p = get(t, app, c, base)
		p.Doc.Find(".reused form").Each(func(_ int, f *goquery.Selection) {
			action, _ := f.Attr("action")
			if r := portalForm(t, app, c, action, nil); r.Status != http.StatusSeeOther {
				t.Fatalf("confirm %s: %d", action, r.Status)
			}
		})
		if get(t, app, c, base).Doc.Find(".reused").Length() != 0 {
			t.Fatal("reused marks after confirming")
		}
	})
}

func TestPortalPasswordThenSignInWithIt(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sa := app.sendAssessment(t, tn, "株式会社乙製作所", 840005, "self-check-25")
		email := partnerEmail("noda")
		c := app.partnerSession(t, sa.CompanyID, email)
		// Without a password, a password sign-in fails like any other.
		p := post(t, app, app.browser(), "/portal/login", url.Values{"email": {email}, "password": {"anything-at-all"}})
		if p.Status != http.StatusUnauthorized {
			t.Fatalf("password sign-in without one: %d", p.Status)
		}
		if p := portalForm(t, app, c, "/portal/account/password", url.Values{"new_password": {"short"}, "confirm_password": {"short"}}); p.Status != http.StatusBadRequest {
			t.Fatalf("short password: %d", p.Status)
		}
		wantRedirect(t, portalForm(t, app, c, "/portal/account/password", url.Values{"new_password": {testPassword}, "confirm_password": {testPassword}}), "/portal/account?notice=password_saved")
		// Changing it now asks for the current one.
		if p := portalForm(t, app, c, "/portal/account/password", url.Values{"new_password": {"another-long-pass"}, "confirm_password": {"another-long-pass"}, "current_password": {"wrong-wrong-wrong"}}); p.Status != http.StatusBadRequest {
			t.Fatalf("change with a wrong current password: %d", p.Status)
		}
		b := app.browser()
		wantRedirect(t, post(t, app, b, "/portal/login", url.Values{"email": {email}, "password": {testPassword}, "next": {"https://evil.example/"}}), "/portal")
		if p := get(t, app, b, "/portal"); p.Status != 200 {
			t.Fatalf("after password sign-in: %d", p.Status)
		}
		// A staff member's password opens no portal session.
		if p := post(t, app, app.browser(), "/portal/login", url.Values{"email": {tn.User.Email}, "password": {testPassword}}); p.Status != http.StatusUnauthorized {
			t.Fatalf("staff password on the portal: %d", p.Status)
		}
		// Signing out ends the session.
		tok := csrf(t, app, b, "/portal")
		wantRedirect(t, post(t, app, b, "/portal/logout", url.Values{"csrf_token": {tok}}), "/portal/login")
		wantRedirect(t, get(t, app, b, "/portal"), "/portal/login")
	})
}

func TestPortalPartnerSeesOnlyTheirCompany(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		x := app.sendAssessment(t, tn, "株式会社エックス", 840006, "self-check-25")
		y := app.sendAssessment(t, tn, "株式会社ワイ", 840007, "self-check-25")
		other := app.newTenant("丙社", renkei.RoleAdmin)
		x2 := app.sendAssessment(t, other, "株式会社エックス", 840006, "contract-requirements")
		email := partnerEmail("x")
		c := app.partnerSession(t, x.CompanyID, email)
		p := get(t, app, c, "/portal")
		links := p.Doc.Find(".portal-item h2 a")
		if links.Length() != 2 || p.Doc.Find(`a[href="/portal/assessments/`+y.Assessment.ID+`"]`).Length() != 0 {
			t.Fatalf("X's list: %d items %s", links.Length(), text(p))
		}
		if p.Doc.Find(`h2 a[href="/portal/assessments/`+x2.Assessment.ID+`"]`).Length() != 1 || !strings.Contains(text(p), "丙社") {
			t.Fatal("X's assessment from the other organization is missing")
		}
		if strings.Contains(text(p), "株式会社ワイ") {
			t.Fatal("Y's name on X's page")
		}
		// The same person tied to Y too picks the company.
		app.partnerSession(t, y.CompanyID, email)
		p = get(t, app, c, "/portal")
		if p.Doc.Find(`select[name="company_id"] option`).Length() != 2 {
			t.Fatalf("company picker: %s", text(p))
		}
		wantRedirect(t, portalForm(t, app, c, "/portal/company", url.Values{"company_id": {y.CompanyID}}), "/portal")
		p = get(t, app, c, "/portal")
		if p.Doc.Find(`h2 a[href="/portal/assessments/`+y.Assessment.ID+`"]`).Length() != 1 || p.Doc.Find(`a[href="/portal/assessments/`+x.Assessment.ID+`"]`).Length() != 0 {
			t.Fatalf("after switching to Y: %s", text(p))
		}
	})
}
