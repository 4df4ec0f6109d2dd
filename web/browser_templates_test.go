package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// TestBrowserChecksheetImport drives the own-checksheet import in a real
// browser with the script on: the form keeps the file, so each step
// (read, preview, save) sends it again without the person choosing it
// anew, and the page never leaves /templates/checksheet.
func TestBrowserChecksheetImport(t *testing.T) {
	b, app := newBrowserApp(t, "checksheet.db")
	tn := app.newTenant("株式会社ブラウザ様式", renkei.RoleAdmin)
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "自社チェック_誤り.xlsx"), filepath.Join(dir, "自社チェック.xlsx")
	if err := os.WriteFile(bad, checksheetFile(t, true), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, checksheetFile(t, false), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("sign-in page", chromedp.Navigate(app.Server.URL+"/login"))
	b.login(tn.User.Email, testPassword)
	b.do("templates", chromedp.WaitVisible(chromedp.CSS(".stats")), chromedp.Navigate(app.Server.URL+"/templates"), chromedp.WaitVisible(chromedp.CSS(`a[href="/templates/checksheet"]`)))
	b.do("checksheet page", chromedp.Click(chromedp.CSS(`a[href="/templates/checksheet"]`)), chromedp.WaitVisible(chromedp.ID("cs-file")))

	b.do("read the file",
		chromedp.SetUploadFiles(chromedp.ID("cs-file"), []string{bad}),
		chromedp.Click(chromedp.CSS(`#cs-form button[value="inspect"]`)),
		chromedp.WaitVisible(chromedp.ID("cs-col-question")),
	)
	if q := evalJS[string](b, `document.getElementById('cs-col-question').value`); q != "C" {
		t.Fatalf("guessed question column %q", q)
	}
	b.settled()
	b.do("name it and preview",
		chromedp.SendKeys(chromedp.ID("cs-slug"), "browser-sheet"),
		chromedp.SendKeys(chromedp.ID("cs-title_ja"), "ブラウザ点検表"),
		chromedp.Click(chromedp.CSS(`#cs-map button[value="preview"]`)),
		chromedp.WaitVisible(chromedp.ID("cs-problems")),
	)
	if cells := b.text("#cs-problems tbody"); !strings.Contains(cells, "E4") {
		t.Fatalf("problems: %q", cells)
	}
	// The workbook fixed in Excel: choose it again, preview, save. The
	// names typed stay in the form.
	b.settled()
	b.do("preview the fixed file",
		chromedp.SetUploadFiles(chromedp.ID("cs-file"), []string{good}),
		chromedp.Click(chromedp.CSS(`#cs-map button[value="preview"]`)),
		chromedp.WaitVisible(chromedp.ID("cs-result")),
	)
	if n := evalJS[int](b, `document.querySelectorAll('#cs-result li').length`); n != 3 {
		t.Fatalf("%d questions previewed", n)
	}
	b.settled()
	b.do("save", chromedp.Click(chromedp.CSS(`#cs-result button[value="save"]`)), chromedp.WaitVisible(chromedp.ID("cs-saved")))
	if loc := b.location(); !strings.HasSuffix(loc, "/templates/checksheet") {
		t.Fatalf("the steps left the page: %s", loc)
	}
	st, err := app.DB.OrgTemplate(storetest.System(), tn.Org.ID, "browser-sheet", 0)
	if err != nil || st.Template.QuestionCount() != 3 || st.Template.Title.JA != "ブラウザ点検表" {
		t.Fatalf("saved: %+v %v", st, err)
	}
	// Follow the saved notice's link once htmx has settled: a click while
	// the swap settles can land on a node that is about to be replaced.
	b.settled()
	href := evalJS[string](b, `document.querySelector('#cs-saved a').getAttribute('href')`)
	if !strings.HasPrefix(href, "/templates/browser-sheet") {
		t.Fatalf("the saved notice links to %q", href)
	}
	b.do("the new template", chromedp.Navigate(app.Server.URL+href), chromedp.WaitVisible(chromedp.CSS("li.question")))
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("browser problems: %v", p)
	}
}
