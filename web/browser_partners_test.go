package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// waitJS waits until a JavaScript expression is truthy; the bound is
// generous, and nothing measures how long it took.
func (b *browserSession) waitJS(what, expr string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		b.t.Fatalf("waiting for %s (at %s): %v", what, loc, err)
	}
}

// settled waits until htmx has no request, swap or settle under way.
// htmx scrolls the swapped part into view as it settles, so a click
// aimed before that lands where the button used to be and does nothing.
func (b *browserSession) settled() {
	b.t.Helper()
	b.waitJS("htmx to settle", `!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')`)
}

// eval runs a JavaScript expression and returns its value.
func evalJS[T any](b *browserSession, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// noHorizontalOverflow fails when the page is wider than the viewport:
// wide tables must scroll inside their own box.
func (b *browserSession) noHorizontalOverflow(what string, width int) {
	b.t.Helper()
	vw := evalJS[int](b, `window.innerWidth`)
	if vw != width {
		b.t.Fatalf("%s: the viewport is %d px wide, not %d", what, vw, width)
	}
	if w := evalJS[int](b, `document.documentElement.scrollWidth`); w > width {
		wide := evalJS[[]string](b, `Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > `+
			`window.innerWidth + 2 && !e.closest('.table-wrap')).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 20)`)
		b.t.Errorf("%s: the page is %d px wide on a %d px screen; too wide:\n%s", what, w, width, strings.Join(wide, "\n"))
	}
}

// touchTargets fails when a visible control is too small for a finger:
// buttons, selects and text inputs under 44 px tall, checkboxes and radios
// under 24 px (their labels widen the target).
func (b *browserSession) touchTargets(what string) {
	b.t.Helper()
	small := evalJS[[]string](b, `Array.from(document.querySelectorAll('button, .btn, select, input:not([type=hidden]), summary')).filter(e => {
		if (e.offsetParent === null) return false;
		const r = e.getBoundingClientRect();
		const box = e.type === 'checkbox' || e.type === 'radio';
		return box ? (r.height < 24 || r.width < 24) : r.height < 44;
	}).map(e => e.outerHTML.slice(0, 100))`)
	if len(small) > 0 {
		b.t.Errorf("%s: controls too small to touch:\n%s", what, strings.Join(small, "\n"))
	}
}

func rowCount(b *browserSession) int {
	return evalJS[int](b, `document.querySelectorAll('table.partner-table tbody tr').length`)
}

// TestBrowserPartners filters the list, opens a partner, answers yes to
// reaches_internal_network and sees star 4 with its reason; and checks
// the list and the partner page on a phone.
func TestBrowserPartners(t *testing.T) {
	b, app := newBrowserApp(t, "partners.db")
	tn := app.newTenant("株式会社ブラウザ取引先", renkei.RoleSecurity)
	ps := seedPartners(t, app, tn.Org.ID, 30)
	soon := time.Now().AddDate(0, 0, 20)
	for i, p := range ps {
		var kinds []string
		if i%3 != 0 {
			kinds = append(kinds, "confidentiality")
		}
		if i%4 == 0 {
			kinds = append(kinds, "incident_handling")
		}
		if i%7 == 0 {
			kinds = append(kinds, "subcontracting", "audit_rights")
		}
		for j, k := range kinds {
			ag := &renkei.Agreement{OrgID: tn.Org.ID, PartnerID: p.ID, Requirement: k, Contract: "取引基本契約書 " + p.ExternalID}
			if i == 4 && j == 0 {
				ag.ValidUntil = &soon
			}
			if err := app.DB.CreateAgreement(storetest.System(), ag); err != nil {
				t.Fatal(err)
			}
		}
	}
	target := ps[1] // 有限会社佐藤製作所: a group company at star 3
	if target.Required != renkei.LevelStar3 {
		t.Fatalf("target seeded at %s", target.Required)
	}

	b.do("open", chromedp.Navigate(app.Server.URL+"/"))
	b.login(tn.User.Email, testPassword)
	b.do("dashboard", chromedp.WaitVisible(chromedp.CSS(".stats")))
	b.do("open Partners",
		chromedp.Click(chromedp.CSS(`nav.primary-nav a[href="/partners"]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.partner-table`)),
	)
	if h := b.text("main h1"); h != "取引先" {
		t.Fatalf("heading %q", h)
	}
	if n := rowCount(b); n != 30 {
		t.Fatalf("%d rows", n)
	}
	b.noHorizontalOverflow("list at 1280", 1280)
	b.shot("partners-list-1280.png")

	// Filter by type with the form's button: htmx swaps the results and
	// the address bar keeps the filter.
	b.do("filter overseas",
		chromedp.SetValue(chromedp.ID("f-type"), "overseas"),
		chromedp.Click(chromedp.CSS(`#filters button[type="submit"]`)),
	)
	b.waitJS("ten overseas rows", `document.querySelectorAll('table.partner-table tbody tr').length === 10`)
	if loc := b.location(); !strings.HasSuffix(loc, "/partners?type=overseas") {
		t.Fatalf("the address does not keep the filter: %s", loc)
	}
	// The count is swapped out of band, after the rows: wait for it too.
	b.waitJS("the count of ten", `(document.getElementById('result-count')?.textContent || '').includes('10')`)
	// A select changes the list by itself (no button): tier high.
	b.do("filter high", chromedp.SetValue(chromedp.ID("f-tier"), "high"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('f-tier').dispatchEvent(new Event('change', {bubbles: true}))`))
	b.waitJS("two high-risk overseas rows", `document.querySelectorAll('table.partner-table tbody tr').length === 2`)
	if loc := b.location(); !strings.Contains(loc, "tier=high") {
		t.Fatalf("the address does not keep the tier: %s", loc)
	}
	b.do("the whole page again", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`table.partner-table`)))
	if n := rowCount(b); n != 2 {
		t.Fatalf("reloaded filtered list: %d rows", n)
	}

	// Search by typing: the list follows.
	b.do("clear the filters", chromedp.Click(chromedp.CSS(`#filters a[href="/partners"]`)), chromedp.WaitVisible(chromedp.ID("q")))
	b.waitJS("all rows back", `document.querySelectorAll('table.partner-table tbody tr').length === 30`)
	b.do("search", chromedp.SendKeys(chromedp.ID("q"), "佐藤製作所"))
	b.waitJS("one row", `document.querySelectorAll('table.partner-table tbody tr').length === 1`)

	// Open the partner once the search for the whole name has come back:
	// typing sends a search after each pause, so a part of the name can
	// already give one row while the last search is still to be sent,
	// and its swap would replace the row under the click.
	b.waitJS("the search for the whole name", `new URLSearchParams(location.search).get('q') === '佐藤製作所'`)
	b.settled()
	b.do("open the partner",
		chromedp.Click(chromedp.CSS(`table.partner-table a[href="/partners/`+target.ID+`"]`)),
		chromedp.WaitVisible(chromedp.ID("required-level")),
	)
	if h := b.text("main h1"); h != target.Company.Name {
		t.Fatalf("partner heading %q", h)
	}
	if lvl := b.text("#required-level"); lvl != "★3" {
		t.Fatalf("level before %q", lvl)
	}

	// Edit: an invalid Corporate Number is named as soon as the field is
	// left; then answer yes to the METI question and save.
	b.do("edit",
		chromedp.Click(chromedp.CSS(`a[href="/partners/`+target.ID+`/edit"]`)),
		chromedp.WaitVisible(chromedp.ID("company-corporate_number")),
	)
	b.shot("partners-form-1280.png")
	b.do("type a wrong number",
		chromedp.Evaluate[chromedp.Void](`document.getElementById('company-corporate_number').value = ''`),
		chromedp.SendKeys(chromedp.ID("company-corporate_number"), "1234567890123"),
		chromedp.Focus(chromedp.ID("company-country")),
	)
	b.waitJS("the inline message", `document.getElementById('company-corporate_number-error').textContent.includes('法人番号')`)
	if v := evalJS[string](b, `document.getElementById('company-corporate_number').getAttribute('aria-invalid') || ''`); v != "true" {
		t.Fatalf("aria-invalid after the inline check: %q", v)
	}
	b.do("fix the number",
		chromedp.Evaluate[chromedp.Void](`document.getElementById('company-corporate_number').value = ''`),
		chromedp.SendKeys(chromedp.ID("company-corporate_number"), target.Company.CorporateNumber),
		chromedp.Focus(chromedp.ID("company-country")),
	)
	b.waitJS("the message gone", `document.getElementById('company-corporate_number-error').textContent.trim() === ''`)
	b.settled()
	b.do("answer yes and save",
		chromedp.Click(chromedp.ID("profile-reaches_internal_network-yes")),
		chromedp.Click(chromedp.CSS(`#partner-form .form-actions button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("required-level")),
	)
	b.waitJS("star 4", `document.getElementById('required-level').textContent.trim() === '★4'`)
	if why := b.text("#required-reason"); !strings.HasPrefix(why, "★4") || !strings.Contains(why, "社内ネットワークに到達できる") {
		t.Fatalf("reason %q", why)
	}
	if reasons := b.text("#risk-reasons"); !strings.Contains(reasons, "取引先の環境から自社の社内ネットワークやシステムに到達できる") {
		t.Fatalf("risk reasons %q", reasons)
	}
	if got, _ := app.DB.Partner(storetest.System(), tn.Org.ID, target.ID); got.Required != renkei.LevelStar4 || !got.Profile.ReachesInternalNetwork {
		t.Fatalf("stored %s", got.Required)
	}
	// Attach the signed document of the partner's agreement with the
	// page's form: the page comes back with the download link.
	ags, err := app.DB.Agreements(storetest.System(), tn.Org.ID, target.ID)
	if err != nil || len(ags) == 0 {
		t.Fatalf("the target's agreements: %v %v", ags, err)
	}
	pdfPath := filepath.Join(t.TempDir(), "秘密保持契約書.pdf")
	if err := os.WriteFile(pdfPath, testPDF(20_000), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("attach a document",
		chromedp.SetUploadFiles(chromedp.ID("document-"+ags[0].ID), []string{pdfPath}),
		chromedp.Click(chromedp.CSS(`form[action$="/agreements/`+ags[0].ID+`/document"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#agreements a.document-link`)),
	)
	if link := b.text("#agreements a.document-link"); !strings.Contains(link, "秘密保持契約書.pdf") {
		t.Fatalf("document link %q", link)
	}
	if got, _ := app.DB.Agreements(storetest.System(), tn.Org.ID, target.ID); !got[0].HasDocument() || got[0].DocumentName != "秘密保持契約書.pdf" || got[0].DocumentSize != 20_000 {
		t.Fatalf("stored %+v", got[0])
	}
	b.noHorizontalOverflow("partner page at 1280", 1280)
	b.shot("partners-page-1280.png")
	partnerURL := strings.Split(b.location(), "?")[0]

	b.do("in English",
		chromedp.Click(chromedp.CSS(`button[name="lang"][value="en"]`)),
		chromedp.WaitReady(chromedp.CSS(`html[lang="en"]`)),
		chromedp.WaitVisible(chromedp.ID("required-level")),
	)
	if why := b.text("#required-reason"); !strings.HasPrefix(why, "star 4 is required") {
		t.Fatalf("English reason %q", why)
	}
	b.shot("partners-page-1280-en.png")
	b.do("back to Japanese",
		chromedp.Click(chromedp.CSS(`button[name="lang"][value="ja"]`)),
		chromedp.WaitReady(chromedp.CSS(`html[lang="ja"]`)),
	)

	b.do("coverage", chromedp.Navigate(app.Server.URL+"/partners/coverage"), chromedp.WaitVisible(chromedp.CSS("table.coverage")))
	b.shot("partners-coverage-1280.png")

	// Import with the script: check the file, then import the same file
	// with the confirmation button (the form keeps the file).
	csvPath := filepath.Join(t.TempDir(), "取引先.csv")
	csv := "企業名,種別,業種,法人番号\n株式会社ブラウザ取込,仕入先,製造業,7000012050002\n株式会社誤り,仕入先,宇宙業,\n"
	if err := os.WriteFile(csvPath, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("import page", chromedp.Navigate(app.Server.URL+"/partners/import"), chromedp.WaitVisible(chromedp.ID("import-file")))
	b.do("check the file",
		chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{csvPath}),
		chromedp.Click(chromedp.CSS(`#import-form button[value="preview"]`)),
		chromedp.WaitVisible(chromedp.ID("import-summary")),
	)
	if errs := evalJS[int](b, `document.querySelectorAll('table.import-errors tbody tr').length`); errs != 1 {
		t.Fatalf("%d import errors shown", errs)
	}
	if loc := b.location(); !strings.HasSuffix(loc, "/partners/import") {
		t.Fatalf("the preview left the page: %s", loc)
	}
	b.shot("partners-import-1280.png")
	b.settled() // the preview scrolls itself into view as it settles
	b.do("skip the bad row and import",
		chromedp.Click(chromedp.ID("mode-skip")),
		chromedp.Click(chromedp.CSS(`button[form="import-form"][value="confirm"]`)),
	)
	b.waitJS("the import done", `!!document.querySelector('#import-summary .result-counts') && !document.querySelector('button[form="import-form"][value="confirm"]')`)
	if n, _ := app.DB.CountPartners(storetest.System(), tn.Org.ID, renkei.PartnerFilter{Query: "ブラウザ取込"}); n != 1 {
		t.Fatalf("imported %d", n)
	}

	b.do("risk policy", chromedp.Navigate(app.Server.URL+"/settings/risk"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	b.shot("partners-risk-1280.png")

	// On a phone: no sideways scrolling of the page.
	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.do("list on a phone", chromedp.Navigate(app.Server.URL+"/partners"), chromedp.WaitVisible(chromedp.CSS(`table.partner-table`)))
	b.noHorizontalOverflow("list at 390", 390)
	b.shot("partners-list-390.png")
	b.touchTargets("list at 390")
	b.do("partner on a phone", chromedp.Navigate(partnerURL), chromedp.WaitVisible(chromedp.ID("required-level")))
	b.noHorizontalOverflow("partner page at 390", 390)
	b.shot("partners-page-390.png")
	b.do("form on a phone", chromedp.Navigate(app.Server.URL+"/partners/"+target.ID+"/edit"), chromedp.WaitVisible(chromedp.ID("company-name")))
	b.noHorizontalOverflow("form at 390", 390)
	b.shot("partners-form-390.png")
	b.touchTargets("form at 390")
	b.do("coverage on a phone", chromedp.Navigate(app.Server.URL+"/partners/coverage"), chromedp.WaitVisible(chromedp.CSS("table.coverage")))
	b.noHorizontalOverflow("coverage at 390", 390)

	// An admin's risk policy form, on the phone.
	admin := app.addUser(tn, renkei.RoleAdmin)
	b.logout()
	b.login(admin.Email, testPassword)
	b.do("risk policy form", chromedp.WaitVisible(chromedp.CSS(".stats")),
		chromedp.Navigate(app.Server.URL+"/settings/risk"), chromedp.WaitVisible(chromedp.ID("weights-reaches_internal_network")))
	b.noHorizontalOverflow("risk policy at 390", 390)
	b.touchTargets("risk policy at 390")
	b.shot("partners-risk-390.png")

	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("CSP violations or script errors:\n%s", strings.Join(p, "\n"))
	}
}
