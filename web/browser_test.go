package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// chromium finds the browser for the browser tests: RENKEI_TEST_CHROMIUM,
// else /usr/bin/chromium. Without one the test is skipped, except in CI,
// where it must run.
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv("RENKEI_TEST_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but there is no Chromium at %q (set RENKEI_TEST_CHROMIUM): %v", path, err)
		}
		t.Skipf("no Chromium at %q (set RENKEI_TEST_CHROMIUM to run the browser tests)", path)
	}
	return path
}

// browserSession is a headless Chromium tab with its console watched.
type browserSession struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	problems []string // CSP violations and uncaught exceptions
}

func newBrowserSession(t *testing.T) *browserSession {
	t.Helper()
	path := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("accept-lang", "ja-JP,ja"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	// Generous bounds so a slow machine does not fail the test; nothing
	// here measures time.
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 120*time.Second)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc(); cancelTimeout() })

	b := &browserSession{t: t, ctx: bctx}
	if _, err := chromedp.Call(bctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	logs := chromedp.Events(bctx, cdplog.EntryAdded)
	exceptions := chromedp.Events(bctx, runtime.ExceptionThrown)
	dialogs := chromedp.Events(bctx, cdppage.JavascriptDialogOpening)
	go func() {
		for ev, err := range logs {
			if err != nil {
				return
			}
			if e := ev.Entry; e != nil && (strings.Contains(e.Text, "Content Security Policy") || e.Source == cdplog.EntrySourceSecurity) {
				b.problem("console: " + e.Text)
			}
		}
	}()
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			if d := ev.ExceptionDetails; d != nil {
				msg := d.Text
				if d.Exception != nil {
					msg += " " + d.Exception.Description
				}
				b.problem("exception: " + msg)
			}
		}
	}()
	// hx-confirm asks with window.confirm: say yes.
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(bctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return b
}

func (b *browserSession) problem(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, s)
}

func (b *browserSession) Problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...)
}

// do runs steps and fails the test with what was being done.
func (b *browserSession) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		b.t.Fatalf("%s (at %s): %v", what, loc, err)
	}
}

// newBrowserApp starts Chromium and a server on a fresh SQLite database
// named name.
func newBrowserApp(t *testing.T, name string) (*browserSession, *testApp) {
	t.Helper()
	b := newBrowserSession(t)
	return b, newApp(t, storetest.Open(t, "sqlite:"+filepath.Join(t.TempDir(), name)))
}

// text returns the visible text of the first element sel matches.
func (b *browserSession) text(sel string) string {
	b.t.Helper()
	var s string
	var err error
	// An htmx swap can replace the node between finding it and reading
	// it ("No node with given id found"): look it up again then.
	for try := 0; try < 5; try++ {
		if s, err = chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel))); err == nil || !strings.Contains(err.Error(), "No node with given id") {
			break
		}
	}
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (b *browserSession) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return loc
}

// login fills and sends the sign-in form on the current page.
func (b *browserSession) login(email, password string) {
	b.t.Helper()
	b.do("sign in",
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.Clear(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`main form[action="/login"] button[type="submit"]`)),
	)
}

func (b *browserSession) logout() {
	b.t.Helper()
	b.do("sign out",
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.ID("email")),
	)
}

func TestBrowserScenario(t *testing.T) {
	b := newBrowserSession(t)
	app := newApp(t, storetest.Open(t, "sqlite:"+filepath.Join(t.TempDir(), "browser.db")))
	tn := app.newTenant("株式会社ブラウザ", renkei.RoleAdmin)

	// Open the site: it sends us to sign in, in Japanese.
	b.do("open /", chromedp.Navigate(app.Server.URL+"/"), chromedp.WaitVisible(chromedp.ID("email")))
	if loc := b.location(); !strings.HasSuffix(loc, "/login") {
		t.Fatalf("landed on %s", loc)
	}
	if h := b.text("main h1"); h != "ログイン" {
		t.Fatalf("login heading %q", h)
	}
	// A wrong password shows the error by the form.
	b.login(tn.User.Email, "wrong-password-xx")
	b.do("see the error", chromedp.WaitVisible(chromedp.CSS(`.error-summary[role="alert"]`)))
	b.shot("login-error-1280-ja.png")
	b.login(tn.User.Email, testPassword)
	b.do("dashboard", chromedp.WaitVisible(chromedp.CSS(".stats")))

	// Switch to English.
	b.do("switch to English",
		chromedp.Click(chromedp.CSS(`button[name="lang"][value="en"]`)),
		chromedp.WaitReady(chromedp.CSS(`html[lang="en"]`)),
		chromedp.WaitVisible(chromedp.CSS(".stats")),
	)
	if nav := b.text(`nav.primary-nav a[href="/partners"]`); nav != "Partners" {
		t.Fatalf("English nav: %q", nav)
	}

	// Visit every section through the navigation.
	for _, sec := range []struct{ href, heading string }{
		{"/partners", "Partners"},
		{"/assessments", "Assessments"},
		{"/incidents", "Incidents"},
		{"/advisories", "Advisories"},
		{"/sbom", "SBOM"},
		{"/reports", "Reports"},
		{"/settings", "Settings"},
		{"/", "Hello, " + tn.User.Name},
	} {
		b.do("open "+sec.href,
			chromedp.Click(chromedp.CSS(`nav.primary-nav a[href="`+sec.href+`"]`)),
			chromedp.WaitVisible(chromedp.CSS(`nav.primary-nav a[href="`+sec.href+`"][aria-current="page"]`)),
		)
		if h := b.text("main h1"); h != sec.heading {
			t.Errorf("%s: heading %q, want %q", sec.href, h, sec.heading)
		}
	}

	// htmx: create a token, then revoke it in place (hx-confirm is
	// accepted). The page stays where it is: no full reload with a notice.
	b.do("create a token",
		chromedp.Navigate(app.Server.URL+"/settings/tokens"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), "browser"),
		chromedp.Click(chromedp.CSS(`form[action="/settings/tokens"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("token-secret")),
	)
	b.shot("token-created-1280-en.png")
	b.do("back to the tokens",
		// The copy button appears only with the script running.
		chromedp.WaitVisible(chromedp.CSS(`button[data-copy="token-secret"]`)),
		chromedp.Navigate(app.Server.URL+"/settings/tokens"),
		chromedp.WaitVisible(chromedp.CSS(`#tokens form[action$="/revoke"]`)),
	)
	b.shot("tokens-1280-en.png")
	before := b.location()
	rows, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#tokens form[action$="/revoke"]').length`))
	b.do("revoke in place",
		chromedp.Click(chromedp.CSS(`#tokens form[action$="/revoke"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#flash .notice`)),
	)
	after, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#tokens form[action$="/revoke"]').length`))
	if after != rows-1 || b.location() != before {
		t.Fatalf("htmx revoke: %d revoke forms before, %d after; %s then %s", rows, after, before, b.location())
	}
	if n := b.text("#flash .notice"); n != "The API token is revoked." {
		t.Fatalf("notice %q", n)
	}

	// Change the password in account settings.
	const newPassword = "browser-new-passphrase"
	b.do("change password",
		chromedp.Click(chromedp.CSS(`nav.primary-nav a[href="/settings"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/settings/account"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/settings/account"]`)),
		chromedp.WaitVisible(chromedp.ID("current_password")),
	)
	b.shot("account-1280-en.png")
	b.do("fill the password form",
		chromedp.SendKeys(chromedp.ID("current_password"), testPassword),
		chromedp.SendKeys(chromedp.ID("new_password"), newPassword),
		chromedp.SendKeys(chromedp.ID("confirm_password"), newPassword),
		chromedp.Click(chromedp.CSS(`form[action="/settings/account/password"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#flash .notice`)),
	)
	if n := b.text("#flash .notice"); !strings.HasPrefix(n, "Your password is changed") {
		t.Fatalf("after the change: %q", n)
	}

	// Out, and back in with the new password; the old one is refused.
	b.logout()
	if n := b.text("#flash .notice"); n != "You are signed out." {
		t.Fatalf("after sign-out: %q", n)
	}
	b.login(tn.User.Email, testPassword)
	b.do("old password refused", chromedp.WaitVisible(chromedp.CSS(`.error-summary[role="alert"]`)))
	b.login(tn.User.Email, newPassword)
	b.do("in with the new password", chromedp.WaitVisible(chromedp.CSS(".stats")))
	b.shot("dashboard-1280-en.png")
	b.logout()

	// The watch on the console works: an inline script is refused by the
	// CSP, and reported.
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("CSP violations or script errors during the scenario:\n%s", strings.Join(p, "\n"))
	}
	b.do("inject an inline script", chromedp.Evaluate[chromedp.Void](`(function(){var s=document.createElement('script');s.textContent='window.renkeiInline=1';document.body.appendChild(s);})()`))
	ran, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.renkeiInline === 1`))
	if ran {
		t.Fatal("an inline script ran: the CSP does not hold")
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(b.Problems()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if len(b.Problems()) == 0 {
		t.Fatal("the CSP violation was not reported: the console watch is blind")
	}
}

func TestBrowserPhoneLayout(t *testing.T) {
	b := newBrowserSession(t)
	app := newApp(t, storetest.Open(t, "sqlite:"+filepath.Join(t.TempDir(), "phone.db")))
	tn := app.newTenant("株式会社スマートフォン表示確認用の少し長い組織名", renkei.RoleAdmin)
	for i := 0; i < 3; i++ {
		app.addUser(tn, renkei.RoleProcurement)
	}
	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.do("open", chromedp.Navigate(app.Server.URL+"/"))
	b.login(tn.User.Email, testPassword)
	b.do("dashboard", chromedp.WaitVisible(chromedp.CSS(".stats")))

	noOverflow := func(what string) {
		t.Helper()
		w, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		vw, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`window.innerWidth`))
		if vw != 390 {
			wide, _ := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 392).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + Math.round(e.getBoundingClientRect().width)).slice(0, 30)`))
			t.Logf("wide elements:\n%s", strings.Join(wide, "\n"))
			t.Fatalf("%s: viewport is %d px wide, not 390", what, vw)
		}
		if w > 390 {
			t.Errorf("%s: the page is %d px wide on a 390 px phone", what, w)
		}
	}
	noOverflow("dashboard")
	b.shot("dashboard-390-ja.png")

	b.do("members page", chromedp.Navigate(app.Server.URL+"/settings/users"), chromedp.WaitVisible(chromedp.ID("members")))
	noOverflow("members page")
	// The wide table scrolls inside its box instead of widening the page.
	inner, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelector('#members .table-wrap').scrollWidth`))
	box, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelector('#members .table-wrap').clientWidth`))
	if inner <= box {
		t.Logf("members table fits without scrolling (%d <= %d)", inner, box)
	}
	b.shot("users-390-ja.png")

	// Buttons are at least 44 px tall on a touch screen.
	small, _ := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('button, .btn, select, input:not([type=hidden])')).filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))`))
	if len(small) > 0 {
		t.Errorf("controls under 44 px on a touch screen:\n%s", strings.Join(small, "\n"))
	}
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("CSP violations or script errors:\n%s", strings.Join(p, "\n"))
	}
}

// shot saves a screenshot of the whole page.
func (b *browserSession) shot(name string) {
	b.t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	saveShot(b.t, name, buf)
}

// saveShot writes a screenshot to /tmp/renkei-shots for a person to look
// at; it is not compared with anything.
func saveShot(t *testing.T, name string, png []byte) {
	t.Helper()
	dir := filepath.Join(os.TempDir(), "renkei-shots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Log(err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Log(err)
		return
	}
	t.Log("screenshot:", filepath.Join(dir, name), fmt.Sprintf("(%d bytes)", len(png)))
}
