package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/renkei/renkei"
)

// submit clicks a form's button and waits for the page that answers it:
// a mark left on the old document is gone once the new one has loaded.
func (b *browserSession) submit(what, button string) {
	b.t.Helper()
	_ = evalJS[bool](b, `window.__renkeiOld = true`)
	b.do(what, chromedp.Click(chromedp.CSS(button)))
	// Evaluating while the page navigates fails ("target navigated"): ask
	// again until the new document answers. The bound is generous and
	// nothing measures how long it took.
	for range 1200 {
		done, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.__renkeiOld !== true && document.readyState === "complete"`))
		if err == nil && done {
			return
		}
		if b.ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("%s: the next page did not load", what)
}

// TestBrowserIncident: a partner user reports an incident in the portal on
// a phone; staff triage it, the duty clocks appear, a duty is marked done,
// and the case closes only with its root cause and prevention.
func TestBrowserIncident(t *testing.T) {
	b, app := newBrowserApp(t, "incident.db")
	tn := app.newTenant("株式会社発注元", renkei.RoleAdmin)
	sent := app.sendAssessment(t, tn, "株式会社協力工業", 771, "self-check-25")
	link := app.Server.URL + app.portalLink(t, &renkei.PortalLink{CompanyID: sent.CompanyID, Email: "it@kyoryoku.example.jp", Purpose: renkei.PortalSignIn})

	// The partner, on a phone.
	b.do("phone width", chromedp.EmulateViewport(390, 844))
	b.do("open the sign-in link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`main form[action^="/portal/link/"] button`)))
	b.submit("continue", `main form[action^="/portal/link/"] button`)
	b.do("to the incident reports", chromedp.Click(chromedp.CSS(`a[href="/portal/incidents"]`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/portal/incidents/new"]`)))
	b.do("report", chromedp.Click(chromedp.CSS(`a[href="/portal/incidents/new"]`)), chromedp.WaitVisible(chromedp.ID("description")))
	b.do("fill the report",
		chromedp.Click(chromedp.ID("type-ransomware")),
		chromedp.SendKeys(chromedp.ID("description"), "生産管理サーバーが暗号化された。顧客名簿を含む。"),
		chromedp.SendKeys(chromedp.CSS(`[id="personal_data.persons"]`), "1500"),
		chromedp.Click(chromedp.ID("affects-our-data")),
	)
	b.submit("send the report", `main form[action="/portal/incidents/new"] button[type="submit"]`)
	ref := b.text("#receipt")
	if !strings.HasPrefix(ref, "INC-") {
		t.Fatalf("receipt %q", ref)
	}
	if scrollW, clientW := evalJS[int](b, `document.documentElement.scrollWidth`), evalJS[int](b, `document.documentElement.clientWidth`); scrollW > clientW {
		t.Errorf("the case page scrolls sideways at 390 px: %d > %d", scrollW, clientW)
	}
	b.shot("incident-portal-390.png")

	// Staff, on a desktop: the case is in the list with its nearest deadline.
	if _, err := chromedp.Call(b.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatalf("forget the partner's session: %v", err)
	}
	b.do("desktop width", chromedp.EmulateViewport(1280, 900))
	b.do("staff sign-in page", chromedp.Navigate(app.Server.URL+"/login"), chromedp.WaitVisible(chromedp.ID("email")))
	b.login(tn.User.Email, testPassword)
	b.do("signed in", chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))
	b.do("incidents list", chromedp.Navigate(app.Server.URL+"/incidents"), chromedp.WaitVisible(chromedp.CSS("table.incident-table")))
	if row := b.text("table.incident-table tbody tr"); !strings.Contains(row, ref) || !strings.Contains(row, "株式会社協力工業") || !strings.Contains(row, "あと") {
		t.Fatalf("list row %q", row)
	}
	b.submit("open the case", `table.incident-table tbody a`)
	if c := b.text("#duty-appi_preliminary"); !strings.Contains(c, "個人情報保護委員会への速報") || !strings.Contains(c, "あと") {
		t.Fatalf("preliminary clock %q", c)
	}
	if c := b.text("#duty-appi_final"); !strings.Contains(c, "確報") {
		t.Fatalf("final clock %q", c)
	}
	b.shot("incident-case.png")

	// Triage.
	b.do("triage",
		chromedp.SetValue(chromedp.ID("status"), "triaged"),
		chromedp.SetValue(chromedp.ID("severity"), "critical"),
		chromedp.SendKeys(chromedp.ID("owner"), "情報セキュリティ室"),
	)
	b.submit("save the triage", `section[aria-labelledby="triage-h"] button[type="submit"]`)
	if lead := b.text(".page-head .lead"); !strings.Contains(lead, "トリアージ済み") || !strings.Contains(lead, "重大") {
		t.Fatalf("after triage: %q", lead)
	}
	b.submit("mark the preliminary report done", `#duty-appi_preliminary form.inline-form button`)
	if c := b.text("#duty-appi_preliminary"); !strings.Contains(c, "対応済み") {
		t.Fatalf("preliminary after marking %q", c)
	}

	// Closing without the cause is refused at the fields, then done.
	b.do("choose closed", chromedp.SetValue(chromedp.ID("status"), "closed"))
	b.submit("close without cause", `section[aria-labelledby="triage-h"] button[type="submit"]`)
	b.do("the cause is asked for", chromedp.WaitVisible(chromedp.ID("root_cause-error")))
	b.do("close with cause and prevention",
		chromedp.SetValue(chromedp.ID("status"), "closed"),
		chromedp.SendKeys(chromedp.ID("root_cause"), "VPN装置の未修正の脆弱性から侵入された"),
		chromedp.SendKeys(chromedp.ID("prevention"), "装置の更新、多要素認証、バックアップの分離"),
	)
	b.submit("close with cause and prevention", `section[aria-labelledby="triage-h"] button[type="submit"]`)
	if lead := b.text(".page-head .lead"); !strings.Contains(lead, "完了") {
		t.Fatalf("after closing: %q", lead)
	}
	if tl := b.text("section[aria-labelledby=\"timeline-h\"]"); !strings.Contains(tl, "状態の変更") || !strings.Contains(tl, "報告") {
		t.Fatalf("timeline %q", tl)
	}
	// The case page on a phone: nothing scrolls sideways.
	b.do("phone width for staff", chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("clocks")))
	if scrollW, clientW := evalJS[int](b, `document.documentElement.scrollWidth`), evalJS[int](b, `document.documentElement.clientWidth`); scrollW > clientW {
		t.Errorf("the staff case page scrolls sideways at 390 px: %d > %d", scrollW, clientW)
	}
	b.shot("incident-case-390.png")
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("browser problems: %v", p)
	}
}
