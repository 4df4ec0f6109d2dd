package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// postFile sends a multipart form with fields and, when name is not empty,
// a file part.
func postFile(t *testing.T, app *testApp, c *http.Client, path string, fields map[string]string, name string, content []byte, header ...string) *page {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", app.Server.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	return readPage(t, res, err)
}

// download fetches a file with the signed-in client.
func download(t *testing.T, app *testApp, c *http.Client, path string) (*http.Response, []byte) {
	t.Helper()
	res, err := c.Get(app.Server.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestTemplatePages(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社様式", renkei.RoleAdmin)
		c := signIn(t, app, tn.User)
		if _, err := app.DB.SaveTemplate(storetest.System(), tn.Org.ID, mustParse(t, ownTemplateFile(t, "own-check"))); err != nil {
			t.Fatal(err)
		}
		p := get(t, app, c, "/templates")
		checkPartnerPage(t, "/templates", p)
		rows := p.Doc.Find("table.templates tbody tr")
		if rows.Length() != len(renkei.BuiltinSlugs)+1 || !strings.Contains(text(p), "own-check") || !strings.Contains(text(p), "自社の点検表") {
			t.Fatalf("/templates: %d rows\n%s", rows.Length(), text(p))
		}
		star4 := p.Doc.Find(`a[href="/templates/supply-chain-star4"]`).Closest("tr")
		if !strings.Contains(star4.Text(), "44") {
			t.Fatalf("star4 row: %q", star4.Text())
		}

		// The detail page shows every question with its help, the bands and
		// the controls; the JSON download parses back.
		p = get(t, app, c, "/templates/self-check-25")
		checkPartnerPage(t, "/templates/self-check-25", p)
		sc, _ := renkei.BuiltinTemplate(renkei.TemplateSelfCheck25)
		if n := p.Doc.Find("li.question").Length(); n != 25 {
			t.Fatalf("questions shown: %d", n)
		}
		q1, _ := sc.Question("1")
		if !strings.Contains(text(p), q1.Text.JA) || !strings.Contains(text(p), q1.Help.JA) || !strings.Contains(text(p), sc.Bands[0].Advice.JA) {
			t.Fatalf("detail lacks question 1, its help or the advice:\n%s", text(p))
		}
		star4p := get(t, app, c, "/templates/supply-chain-star4")
		if !strings.Contains(text(star4p), "ctl.") || star4p.Doc.Find("li.question").Length() != 44 {
			t.Fatalf("star4 detail without controls:\n%s", text(star4p))
		}
		href, _ := p.Doc.Find(`a[href^="/templates/self-check-25/json"]`).Attr("href")
		res, b := download(t, app, c, href)
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "self-check-25-v") {
			t.Fatalf("download: %d %v", res.StatusCode, res.Header)
		}
		if got, err := renkei.ParseTemplate(b); err != nil || got.QuestionCount() != 25 {
			t.Fatalf("downloaded file: %v", err)
		}
		if p := get(t, app, c, "/templates/no-such-template"); p.Status != 404 {
			t.Fatalf("missing template: %d", p.Status)
		}
		other := app.newTenant("株式会社他人", renkei.RoleAdmin)
		if p := get(t, app, signIn(t, app, other.User), "/templates/own-check"); p.Status != 404 {
			t.Fatalf("another organization's template: %d", p.Status)
		}
	})
}

func mustParse(t *testing.T, b []byte) *renkei.Template {
	t.Helper()
	tpl, err := renkei.ParseTemplate(b)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func TestTemplateImportPage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社取込様式", renkei.RoleAdmin)
		c := signIn(t, app, tn.User)
		tok := csrf(t, app, c, "/templates/import")
		checkPartnerPage(t, "/templates/import", get(t, app, c, "/templates/import"))
		good := ownTemplateFile(t, "page-check")
		bad := bytes.Replace(good, []byte(`"kind": "yesno"`), []byte(`"kind": "essay"`), 1)

		// Errors by JSON path; nothing saved.
		p := postFile(t, app, c, "/templates/import", map[string]string{"csrf_token": tok, "step": "preview"}, "bad.json", bad)
		checkPartnerPage(t, "import errors", p)
		if p.Status != 400 || !strings.Contains(p.Doc.Find("#import-errors").Text(), "sections[0].questions[0].kind") {
			t.Fatalf("bad file: %d\n%s", p.Status, text(p))
		}
		// A good file: preview, then save (the htmx form sends the file again).
		p = postFile(t, app, c, "/templates/import", map[string]string{"csrf_token": tok, "step": "preview"}, "good.json", good)
		if p.Status != 200 || !strings.Contains(p.Doc.Find("#import-preview").Text(), "page-check") {
			t.Fatalf("preview: %d\n%s", p.Status, text(p))
		}
		if _, err := app.DB.OrgTemplate(storetest.System(), tn.Org.ID, "page-check", 0); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("the preview saved: %v", err)
		}
		p = postFile(t, app, c, "/templates/import", map[string]string{"csrf_token": tok, "step": "save"}, "good.json", good, "HX-Request", "true", "HX-Target", "import-result")
		if p.Status != 200 || p.Doc.Find("#import-saved").Length() != 1 {
			t.Fatalf("save: %d\n%s", p.Status, p.Body)
		}
		if st, err := app.DB.OrgTemplate(storetest.System(), tn.Org.ID, "page-check", 0); err != nil || st.Version != 1 {
			t.Fatalf("saved: %+v, %v", st, err)
		}
		// Not JSON at all, no file: said above the form.
		p = postFile(t, app, c, "/templates/import", map[string]string{"csrf_token": tok, "step": "preview"}, "x.json", []byte("\x00garbage"))
		if p.Status != 400 || p.Doc.Find(".error-summary").Length() != 1 {
			t.Fatalf("garbage: %d\n%s", p.Status, text(p))
		}
		if p := postFile(t, app, c, "/templates/import", map[string]string{"csrf_token": tok, "step": "preview"}, "", nil); p.Status != 400 {
			t.Fatalf("no file: %d", p.Status)
		}
	})
}

// checksheetFile is an own checksheet: a header row, then rows of
// number, section, question, choices and weight; bad puts a weight that is
// not a number in E4.
func checksheetFile(t *testing.T, bad bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := "チェックシート"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	weight := "2"
	if bad {
		weight = "重要"
	}
	rows := [][]any{
		{"番号", "分類", "設問", "回答", "配点"},
		{"1", "基本方針", "情報セキュリティの方針を定めていますか", "はい/いいえ", "1"},
		{"2", "基本方針", "責任者を決めていますか", "はい/いいえ", "1"},
		{"3", "技術対策", "パソコンにウイルス対策ソフトを入れていますか", "はい/一部/いいえ", weight},
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("メモ"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestChecksheetImportPage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社自社表", renkei.RoleAdmin)
		c := signIn(t, app, tn.User)
		checkPartnerPage(t, "/templates/checksheet", get(t, app, c, "/templates/checksheet"))
		tok := csrf(t, app, c, "/templates/checksheet")
		form := func(p *page) map[string]string {
			out := map[string]string{"csrf_token": tok}
			p.Doc.Find("#cs-steps input, #cs-steps select").Each(func(_ int, s *goquery.Selection) {
				name, _ := s.Attr("name")
				if goquery.NodeName(s) == "select" {
					out[name], _ = s.Find("option[selected]").Attr("value")
					return
				}
				out[name], _ = s.Attr("value")
			})
			return out
		}
		// Inspect: the sheets, the first rows, the guessed columns.
		p := postFile(t, app, c, "/templates/checksheet", map[string]string{"csrf_token": tok, "step": "inspect"}, "自社チェック.xlsx", checksheetFile(t, true))
		checkPartnerPage(t, "checksheet inspect", p)
		if p.Status != 200 || p.Doc.Find("#cs-sheet-name option").Length() != 2 || !strings.Contains(p.Doc.Find("table.sheet-preview").Text(), "責任者を決めていますか") {
			t.Fatalf("inspect: %d\n%s", p.Status, text(p))
		}
		if v, _ := p.Doc.Find("#cs-col-question").Attr("value"); v != "C" {
			t.Fatalf("question column guessed %q", v)
		}
		if v, _ := p.Doc.Find("#cs-col-weight").Attr("value"); v != "E" {
			t.Fatalf("weight column guessed %q", v)
		}
		// With htmx the answer is the steps alone, swapped into the form
		// that still holds the file.
		hx := postFile(t, app, c, "/templates/checksheet", map[string]string{"csrf_token": tok, "step": "inspect"}, "自社チェック.xlsx", checksheetFile(t, true),
			"HX-Request", "true", "HX-Target", "cs-steps")
		if hx.Status != 200 || hx.Doc.Find("html header, #cs-form").Length() != 0 || hx.Doc.Find("#cs-sheet-name").Length() != 1 {
			t.Fatalf("htmx inspect: %d\n%s", hx.Status, hx.Body)
		}
		// Preview with the bad weight: the problem by cell, nothing saved.
		f := form(p)
		f["step"], f["slug"], f["title_ja"] = "preview", "own-sheet", "自社チェック"
		p = postFile(t, app, c, "/templates/checksheet", f, "自社チェック.xlsx", checksheetFile(t, true))
		checkPartnerPage(t, "checksheet preview", p)
		if p.Status != 400 || !strings.Contains(p.Doc.Find("#cs-problems").Text(), "E4") {
			t.Fatalf("preview with a bad cell: %d\n%s", p.Status, text(p))
		}
		if p.Doc.Find(`#cs-result button[value="save"]`).Length() != 0 {
			t.Fatal("a sheet with problems offers to save")
		}
		// Fixed: preview shows the questions, save keeps the template.
		f = form(p)
		f["step"] = "preview"
		p = postFile(t, app, c, "/templates/checksheet", f, "自社チェック.xlsx", checksheetFile(t, false))
		if p.Status != 200 || p.Doc.Find("#cs-result li").Length() != 3 {
			t.Fatalf("preview: %d\n%s", p.Status, text(p))
		}
		f = form(p)
		f["step"] = "save"
		p = postFile(t, app, c, "/templates/checksheet", f, "自社チェック.xlsx", checksheetFile(t, false))
		if p.Status != 200 || p.Doc.Find("#cs-saved").Length() != 1 {
			t.Fatalf("save: %d\n%s", p.Status, text(p))
		}
		st, err := app.DB.OrgTemplate(storetest.System(), tn.Org.ID, "own-sheet", 0)
		if err != nil || st.Template.QuestionCount() != 3 || st.Template.Title.JA != "自社チェック" {
			t.Fatalf("saved: %+v, %v", st, err)
		}
		// A file that is not a workbook.
		p = postFile(t, app, c, "/templates/checksheet", map[string]string{"csrf_token": tok, "step": "inspect"}, "sheet.xlsx", []byte("番号,設問\n1,方針\n"))
		if p.Status != 400 || p.Doc.Find(".error-summary").Length() != 1 {
			t.Fatalf("not a workbook: %d\n%s", p.Status, text(p))
		}
		// A viewer may not import.
		viewer := app.addUser(tn, renkei.RoleViewer)
		if p := get(t, app, signIn(t, app, viewer), "/templates/checksheet"); p.Status != 403 {
			t.Fatalf("viewer: %d", p.Status)
		}
	})
}

func TestAssessmentXLSXPage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社表計算", renkei.RoleAdmin)
		c := signIn(t, app, tn.User)
		id := apiTenancyAssessment(t, app, tn, false)
		p := get(t, app, c, "/assessments/"+id+"/xlsx/upload")
		checkPartnerPage(t, "xlsx page", p)
		href, _ := p.Doc.Find(`a[href$="/xlsx"]`).Attr("href")
		res, file := download(t, app, c, href)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), xlsxType) {
			t.Fatalf("download: %d %v", res.StatusCode, res.Header)
		}
		tok := csrf(t, app, c, "/assessments/"+id+"/xlsx/upload")
		filled := fillXLSX(t, file, map[string]string{"1": "はい", "2": "たぶん", "3": "いいえ"})
		p = postFile(t, app, c, "/assessments/"+id+"/xlsx", map[string]string{"csrf_token": tok}, "回答.xlsx", filled)
		checkPartnerPage(t, "xlsx upload", p)
		if p.Status != 400 || !strings.Contains(p.Doc.Find("#xlsx-result").Text(), "D") || p.Doc.Find("#xlsx-result tbody tr").Length() != 1 {
			t.Fatalf("upload: %d\n%s", p.Status, text(p))
		}
		got := storedAnswers(t, app, tn, id)
		if len(got) != 2 || got["1"].Value != "yes" || got["3"].Value != "no" || !got["1"].OnBehalf {
			t.Fatalf("saved: %+v", got)
		}
		// Not a workbook: nothing saved, said plainly.
		p = postFile(t, app, c, "/assessments/"+id+"/xlsx", map[string]string{"csrf_token": tok}, "回答.xlsx", []byte("hello"))
		if p.Status != 400 || p.Doc.Find(".error-summary").Length() != 1 || len(storedAnswers(t, app, tn, id)) != 2 {
			t.Fatalf("garbage upload: %d\n%s", p.Status, text(p))
		}
		// Another organization's assessment is not found.
		other := app.newTenant("株式会社他社表", renkei.RoleAdmin)
		if p := get(t, app, signIn(t, app, other.User), "/assessments/"+id+"/xlsx"); p.Status != 404 {
			t.Fatalf("other org download: %d", p.Status)
		}
	})
}

func TestSharedPages(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲社", renkei.RoleAdmin)
		b := app.newTenant("乙社", renkei.RoleAdmin)
		sc := newSharedCompany(t, app, a, b)
		sc.grant(t, app, aYearAhead())
		c := signIn(t, app, app.addUser(b, renkei.RoleViewer))
		p := get(t, app, c, "/shared")
		checkPartnerPage(t, "/shared", p)
		if p.Doc.Find(`a[href="/shared/`+sc.requestID+`"]`).Length() != 1 || p.Doc.Find("table.shares tbody tr").Length() != 1 {
			t.Fatalf("/shared:\n%s", text(p))
		}
		p = get(t, app, c, "/shared/"+sc.requestID)
		checkPartnerPage(t, "shared copy", p)
		if p.Status != 200 || p.Doc.Find("dl.answers dt").Length() != 25 || !strings.Contains(text(p), "96") || strings.Contains(p.Body, a.Org.Name) {
			t.Fatalf("copy: %d\n%s", p.Status, text(p))
		}
		if _, err := app.DB.RevokeShare(partnerActor(sc.companyID), sc.requestID); err != nil {
			t.Fatal(err)
		}
		p = get(t, app, c, "/shared/"+sc.requestID)
		if p.Status != 410 || !strings.Contains(text(p), "取り消") {
			t.Fatalf("revoked: %d\n%s", p.Status, text(p))
		}
		if p := get(t, app, signIn(t, app, a.User), "/shared/"+sc.requestID); p.Status != 404 {
			t.Fatalf("A on B's share: %d", p.Status)
		}

		// Asking from the partner's page: the link, the form, the request.
		admin := signIn(t, app, b.User)
		p = get(t, app, admin, "/partners/"+sc.toPartner)
		href, ok := p.Doc.Find(`a[href^="/shared/request"]`).Attr("href")
		if !ok {
			t.Fatalf("partner page has no request link:\n%s", text(p))
		}
		p = get(t, app, admin, href)
		checkPartnerPage(t, "share request page", p)
		tok := csrf(t, app, admin, href)
		before := len(auditFor(t, app, b, "share.request"))
		p = post(t, app, admin, "/shared/request", url.Values{"csrf_token": {tok}, "partner_id": {sc.toPartner}, "message": {"見て\u202eください"}})
		if p.Status != 400 || p.Doc.Find("#share-message-error").Length() != 1 || len(auditFor(t, app, b, "share.request")) != before {
			t.Fatalf("hostile message: %d\n%s", p.Status, text(p))
		}
		p = post(t, app, admin, "/shared/request", url.Values{"csrf_token": {tok}, "partner_id": {sc.toPartner}, "message": {"更新の審査のため共有をお願いします。"}})
		wantRedirect(t, p, "/shared?notice=requested")
		if len(auditFor(t, app, b, "share.request")) != before+1 {
			t.Fatal("the request was not recorded")
		}
		// The list shows the open request, without a link to a copy.
		p = get(t, app, admin, "/shared?notice=requested")
		rows := p.Doc.Find("table.shares tbody tr")
		if rows.Length() != 2 || !strings.Contains(rows.Last().Text(), i18n.T("ja", "sharing.status.requested")) || rows.Last().Find("a").Length() != 0 {
			t.Fatalf("/shared after the request:\n%s", text(p))
		}
		if p := get(t, app, admin, "/shared/request?partner_id="+sc.fromPartner); p.Status != 404 {
			t.Fatalf("request page for another organization's partner: %d", p.Status)
		}
		if p := get(t, app, c, href); p.Status != 403 {
			t.Fatalf("viewer on the request page: %d", p.Status)
		}
	})
}
