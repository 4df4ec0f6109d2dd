package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/argon2id"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
	"github.com/renkei/renkei/totp"
	"github.com/renkei/renkei/web"
)

// ---- helpers ----

// page is one response, its body read and parsed.
type page struct {
	Status int
	Header http.Header
	Body   string
	Doc    *goquery.Document
}

func readPage(t *testing.T, res *http.Response, err error) *page {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return &page{Status: res.StatusCode, Header: res.Header, Body: string(b), Doc: doc}
}

// get fetches path with a client that does not follow redirects.
func get(t *testing.T, app *testApp, c *http.Client, path string, header ...string) *page {
	t.Helper()
	req, _ := http.NewRequest("GET", app.Server.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	return readPage(t, res, err)
}

// post sends a form; header holds extra name, value pairs.
func post(t *testing.T, app *testApp, c *http.Client, path string, form url.Values, header ...string) *page {
	t.Helper()
	req, _ := http.NewRequest("POST", app.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	return readPage(t, res, err)
}

// csrf reads the CSRF token a page carries for its forms.
func csrf(t *testing.T, app *testApp, c *http.Client, path string) string {
	t.Helper()
	p := get(t, app, c, path)
	tok, ok := p.Doc.Find(`meta[name="csrf-token"]`).Attr("content")
	if !ok || tok == "" {
		t.Fatalf("GET %s (%d): no csrf-token meta", path, p.Status)
	}
	return tok
}

// login signs c in and checks it landed where a signed-in member lands.
func login(t *testing.T, app *testApp, c *http.Client, email, password string) *page {
	t.Helper()
	p := post(t, app, c, "/login", url.Values{"email": {email}, "password": {password}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("login %s: status %d\n%s", email, p.Status, text(p))
	}
	return p
}

// sessionCookie returns the session cookie c holds for the app.
func sessionCookie(app *testApp, c *http.Client) string {
	u, _ := url.Parse(app.Server.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "renkei_session" {
			return ck.Value
		}
	}
	return ""
}

// withCookie is a fresh client holding only the given session cookie.
func withCookie(app *testApp, secret string) *http.Client {
	c := app.browser()
	u, _ := url.Parse(app.Server.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "renkei_session", Value: secret, Path: "/"}})
	return c
}

// text is the visible text of the page's main element, squeezed.
func text(p *page) string {
	return strings.Join(strings.Fields(p.Doc.Find("main").Text()), " ")
}

func h1(p *page) string { return strings.TrimSpace(p.Doc.Find("main h1").First().Text()) }

func wantRedirect(t *testing.T, p *page, prefix string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), prefix) {
		t.Fatalf("want 303 to %s, got %d to %q", prefix, p.Status, p.Header.Get("Location"))
	}
}

func orgName(t *testing.T, app *testApp, id string) string {
	t.Helper()
	o, err := app.DB.OrganizationByID(storetest.System(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o.Name
}

func countRows(t *testing.T, app *testApp, table string) int {
	t.Helper()
	var n int
	if err := app.DB.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// clock is a settable test clock, safe to read from server goroutines.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// newClockApp is newApp with the accounts and server on clk.
func newClockApp(t *testing.T, db *sqlstore.DB, clk *clock) *testApp {
	t.Helper()
	acc := &renkei.Accounts{Store: db, Hasher: argon2id.New(argon2id.Fast), TOTP: totp.TOTP{}, Issuer: "Renkei test", Now: clk.Now}
	srv := web.New(web.Config{Store: db, Accounts: acc, Version: "test", Now: clk.Now, Logger: testLogger})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testApp{t: t, DB: db, Accounts: acc, Server: hs, Web: srv}
}

// ---- signing in ----

func TestLoginRotatesSession(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社ログイン", renkei.RoleAdmin)
		c := app.browser()
		// A cookie planted before sign-in (session fixation) is not the
		// one signed in.
		u, _ := url.Parse(app.Server.URL)
		c.Jar.SetCookies(u, []*http.Cookie{{Name: "renkei_session", Value: "PLANTED", Path: "/"}})
		p := login(t, app, c, tn.User.Email, testPassword)
		wantRedirect(t, p, "/")
		first := sessionCookie(app, c)
		if first == "" || first == "PLANTED" {
			t.Fatalf("session cookie after login: %q", first)
		}
		if p := get(t, app, c, "/"); p.Status != 200 || !strings.Contains(text(p), tn.Org.Name) {
			t.Fatalf("dashboard after login: %d %s", p.Status, text(p))
		}
		// Signing in again from the same browser gives a new session and
		// ends the old one.
		tok := csrf(t, app, c, "/")
		p = post(t, app, c, "/login", url.Values{"email": {tn.User.Email}, "password": {testPassword}, "csrf_token": {tok}})
		wantRedirect(t, p, "/")
		second := sessionCookie(app, c)
		if second == "" || second == first {
			t.Fatalf("session not rotated: %q then %q", first, second)
		}
		wantRedirect(t, get(t, app, withCookie(app, first), "/settings"), "/login")
		if p := get(t, app, withCookie(app, second), "/settings"); p.Status != 200 {
			t.Fatalf("new session: %d", p.Status)
		}
	})
}

func TestLoginNextStaysLocal(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社ネクスト", renkei.RoleAdmin)
		// The guard sends an anonymous visitor to sign in with next set.
		c := app.browser()
		p := get(t, app, c, "/settings/tokens?cursor=")
		wantRedirect(t, p, "/login?next=")
		loc, _ := url.Parse(p.Header.Get("Location"))
		if got := loc.Query().Get("next"); got != "/settings/tokens?cursor=" {
			t.Fatalf("next = %q", got)
		}
		for next, want := range map[string]string{
			"/settings/users":        "/settings/users",
			"//evil.example/x":       "/",
			"https://evil.example/":  "/",
			"/\\evil.example":        "/",
			"javascript:alert(1)":    "/",
			"/login?next=/settings":  "/",
			"":                       "/",
			"/settings?x=1#frag":     "/settings?x=1#frag",
			"/%2F%2Fevil.example/":   "/%2F%2Fevil.example/",
			"/ok\r\nSet-Cookie: x=1": "/",
		} {
			c := app.browser()
			p := post(t, app, c, "/login", url.Values{"email": {tn.User.Email}, "password": {testPassword}, "next": {next}})
			if p.Status != http.StatusSeeOther || p.Header.Get("Location") != want {
				t.Errorf("next %q: %d to %q, want %q", next, p.Status, p.Header.Get("Location"), want)
			}
		}
	})
}

func TestLoginWrongPassword(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社パスワード", renkei.RoleAdmin)
		sessions := countRows(t, app, "sessions")
		c := app.browser()
		p := post(t, app, c, "/login", url.Values{"email": {tn.User.Email}, "password": {"wrong-password-123"}, "next": {"/settings"}})
		if p.Status != http.StatusUnauthorized {
			t.Fatalf("status %d", p.Status)
		}
		if alert := p.Doc.Find(`[role="alert"]`).Text(); !strings.Contains(alert, i18n.T("ja", "error.bad_credentials")) {
			t.Fatalf("no error shown: %q", alert)
		}
		if v, _ := p.Doc.Find("input#email").Attr("value"); v != tn.User.Email {
			t.Fatalf("email not kept: %q", v)
		}
		if v, _ := p.Doc.Find(`input[name="next"]`).Attr("value"); v != "/settings" {
			t.Fatalf("next not kept: %q", v)
		}
		if _, has := p.Doc.Find("input#password").Attr("value"); has {
			t.Fatal("password echoed back")
		}
		if sessionCookie(app, c) != "" || countRows(t, app, "sessions") != sessions {
			t.Fatal("a wrong password started a session")
		}
		wantRedirect(t, get(t, app, c, "/"), "/login")
		// Empty fields are named, and cost no attempt.
		p = post(t, app, c, "/login", url.Values{"email": {""}, "password": {""}})
		if p.Status != http.StatusBadRequest || p.Doc.Find("#email-error").Length() != 1 || p.Doc.Find("#password-error").Length() != 1 {
			t.Fatalf("empty form: %d %s", p.Status, text(p))
		}
		if d, _ := p.Doc.Find("input#email").Attr("aria-describedby"); d != "email-error" {
			t.Fatalf("email error not tied to the field: %q", d)
		}
	})
}

func TestLockoutAfterFiveWrongPasswords(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社ロック", renkei.RoleAdmin)
		c := app.browser()
		for i := 1; i <= renkei.MaxFailedLogins; i++ {
			p := post(t, app, c, "/login", url.Values{"email": {tn.User.Email}, "password": {"not-the-password"}})
			want := http.StatusUnauthorized
			if i == renkei.MaxFailedLogins {
				want = http.StatusLocked
			}
			if p.Status != want {
				t.Fatalf("attempt %d: status %d, want %d", i, p.Status, want)
			}
		}
		p := post(t, app, c, "/login", url.Values{"email": {tn.User.Email}, "password": {testPassword}})
		if p.Status != http.StatusLocked {
			t.Fatalf("right password on a locked account: %d", p.Status)
		}
		if !strings.Contains(p.Doc.Find(`[role="alert"]`).Text(), strings.SplitN(i18n.T("ja", "error.account_locked"), "%", 2)[0]) {
			t.Fatalf("no lock message: %s", text(p))
		}
		if sessionCookie(app, c) != "" {
			t.Fatal("locked account got a session")
		}
		// Per-address rate limit: the burst runs out, then 429.
		limited := false
		for i := 0; i < 20 && !limited; i++ {
			limited = post(t, app, c, "/login", url.Values{"email": {"nobody@example.jp"}, "password": {"whatever-password"}}).Status == http.StatusTooManyRequests
		}
		if !limited {
			t.Fatal("no 429 after many attempts from one address")
		}
	})
}

func TestExpiredSessionShowsNotice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := &clock{}
		app := newClockApp(t, db, clk)
		tn := app.newTenant("株式会社期限", renkei.RoleViewer)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		if p := get(t, app, c, "/settings"); p.Status != 200 {
			t.Fatalf("before: %d", p.Status)
		}
		clk.Advance(renkei.SessionIdleTimeout + time.Minute)
		p := get(t, app, c, "/settings")
		wantRedirect(t, p, "/login?")
		loc, _ := url.Parse(p.Header.Get("Location"))
		if loc.Query().Get("notice") != "expired" || loc.Query().Get("next") != "/settings" {
			t.Fatalf("redirect %s", loc)
		}
		p = get(t, app, c, loc.RequestURI())
		if p.Status != 200 || !strings.Contains(p.Doc.Find("#flash").Text(), i18n.T("ja", "page.notice.expired")) {
			t.Fatalf("login page: %d %s", p.Status, text(p))
		}
		// Signing in again goes back to where the visitor was.
		p = post(t, app, c, "/login", url.Values{"email": {tn.User.Email}, "password": {testPassword}, "next": {loc.Query().Get("next")}})
		wantRedirect(t, p, "/settings")
	})
}

func TestLogout(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社ログアウト", renkei.RoleAdmin)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		secret := sessionCookie(app, c)
		tok := csrf(t, app, c, "/")
		p := post(t, app, c, "/logout", url.Values{"csrf_token": {tok}})
		wantRedirect(t, p, "/login?notice=signed_out")
		if sessionCookie(app, c) != "" {
			t.Fatal("cookie kept")
		}
		p = get(t, app, c, p.Header.Get("Location"))
		if !strings.Contains(p.Doc.Find("#flash").Text(), i18n.T("ja", "page.notice.signed_out")) {
			t.Fatalf("no notice: %s", text(p))
		}
		// The session itself is gone, not only the cookie.
		wantRedirect(t, get(t, app, withCookie(app, secret), "/"), "/login")
	})
}

// ---- protections ----

func TestCSRFTokenRequired(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社元の名前", renkei.RoleAdmin)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		tok := csrf(t, app, c, "/settings/organization")
		for name, form := range map[string]url.Values{
			"missing": {"name": {"株式会社乗っ取り"}},
			"wrong":   {"name": {"株式会社乗っ取り"}, "csrf_token": {"NOT" + tok}},
		} {
			p := post(t, app, c, "/settings/organization", form)
			if p.Status != http.StatusForbidden {
				t.Fatalf("%s token: status %d", name, p.Status)
			}
			if !strings.Contains(text(p), i18n.T("ja", "error.csrf")) {
				t.Fatalf("%s token: page %s", name, text(p))
			}
			if got := orgName(t, app, tn.Org.ID); got != "株式会社元の名前" {
				t.Fatalf("%s token changed the name to %q", name, got)
			}
		}
		// The header works as well as the field (htmx sends the header).
		p := post(t, app, c, "/settings/organization", url.Values{"name": {"株式会社新しい名前"}}, "X-CSRF-Token", tok)
		wantRedirect(t, p, "/settings/organization?notice=org_saved")
		if got := orgName(t, app, tn.Org.ID); got != "株式会社新しい名前" {
			t.Fatalf("name = %q", got)
		}
	})
}

func TestCrossSitePostRefused(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社クロス", renkei.RoleAdmin)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		tok := csrf(t, app, c, "/settings/organization")
		p := post(t, app, c, "/settings/organization", url.Values{"name": {"株式会社よそ"}, "csrf_token": {tok}}, "Sec-Fetch-Site", "cross-site")
		if p.Status != http.StatusForbidden || orgName(t, app, tn.Org.ID) != "株式会社クロス" {
			t.Fatalf("cross-site post: %d, name %q", p.Status, orgName(t, app, tn.Org.ID))
		}
		// Sign-in forms too: no login from another site's page.
		p = post(t, app, app.browser(), "/login", url.Values{"email": {tn.User.Email}, "password": {testPassword}}, "Sec-Fetch-Site", "cross-site")
		if p.Status != http.StatusForbidden {
			t.Fatalf("cross-site login: %d", p.Status)
		}
		p = post(t, app, app.browser(), "/login", url.Values{"email": {tn.User.Email}, "password": {testPassword}}, "Origin", "https://evil.example")
		if p.Status != http.StatusForbidden {
			t.Fatalf("login with a foreign Origin: %d", p.Status)
		}
	})
}

func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社シーエスピー", renkei.RoleAdmin)
		c := app.browser()
		check := func(path string, p *page) {
			t.Helper()
			if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "style-src 'self'") {
				t.Errorf("%s: CSP %q", path, csp)
			}
			p.Doc.Find("[style], style").Each(func(_ int, s *goquery.Selection) {
				t.Errorf("%s: inline style in %s", path, goquery.NodeName(s))
			})
			p.Doc.Find("script").Each(func(_ int, s *goquery.Selection) {
				if src, ok := s.Attr("src"); !ok || !strings.HasPrefix(src, "/static/") {
					t.Errorf("%s: script not from /static/: %q", path, src)
				}
			})
			p.Doc.Find("*").Each(func(_ int, s *goquery.Selection) {
				for _, a := range s.Nodes[0].Attr {
					if strings.HasPrefix(a.Key, "on") || strings.HasPrefix(a.Key, "hx-on") {
						t.Errorf("%s: inline handler %s", path, a.Key)
					}
				}
			})
			// Every POST form carries the CSRF field.
			p.Doc.Find(`form[method="post"]`).Each(func(_ int, f *goquery.Selection) {
				if f.Find(`input[name="csrf_token"]`).Length() != 1 {
					action, _ := f.Attr("action")
					t.Errorf("%s: form %s has no csrf_token", path, action)
				}
			})
			// Every input is labelled.
			p.Doc.Find("input:not([type=hidden]), select").Each(func(_ int, in *goquery.Selection) {
				id, _ := in.Attr("id")
				if id == "" || p.Doc.Find(`label[for="`+id+`"]`).Length() != 1 {
					t.Errorf("%s: input %q without its label", path, id)
				}
			})
		}
		check("/login", get(t, app, c, "/login"))
		login(t, app, c, tn.User.Email, testPassword)
		for _, path := range []string{"/", "/partners", "/settings", "/settings/organization", "/settings/users", "/settings/tokens", "/settings/account", "/settings/audit", "/no-such-page"} {
			check(path, get(t, app, c, path))
		}
		tok := csrf(t, app, c, "/")
		post(t, app, c, "/settings/account/totp/begin", url.Values{"csrf_token": {tok}})
		check("/settings/account/totp", get(t, app, c, "/settings/account/totp"))
		check("token created", post(t, app, c, "/settings/tokens", url.Values{"name": {"CI"}, "csrf_token": {tok}}))
		// The vendored htmx and our script are served.
		for _, path := range []string{"/static/vendor/htmx-2.0.11.min.js", "/static/vendor/idiomorph-ext-0.7.4.min.js", "/static/renkei.js", "/static/renkei.css"} {
			if p := get(t, app, c, path); p.Status != 200 || len(p.Body) < 100 {
				t.Errorf("%s: %d", path, p.Status)
			}
		}
	})
}

// ---- language ----

func TestLanguage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社言語", renkei.RoleAdmin)
		c := app.browser()
		lang := func(p *page) string { l, _ := p.Doc.Find("html").Attr("lang"); return l }
		p := get(t, app, c, "/login")
		if lang(p) != "ja" || h1(p) != i18n.T("ja", "page.login.title") {
			t.Fatalf("default: lang %q, h1 %q", lang(p), h1(p))
		}
		p = get(t, app, c, "/login", "Accept-Language", "en-US,en;q=0.9")
		if lang(p) != "en" || h1(p) != "Sign in" {
			t.Fatalf("Accept-Language en: lang %q, h1 %q", lang(p), h1(p))
		}
		// Error pages speak the language too.
		if p := get(t, app, c, "/nowhere", "Accept-Language", "en"); p.Status != 404 || h1(p) != "Page not found" {
			t.Fatalf("404 in English: %d %q", p.Status, h1(p))
		}
		// The switch keeps the choice in a cookie for a year and returns
		// to the page it was pressed on.
		p = post(t, app, c, "/lang", url.Values{"lang": {"en"}}, "Referer", app.Server.URL+"/login?next=%2Fsettings")
		wantRedirect(t, p, "/login?next=%2Fsettings")
		if ck := p.Header.Get("Set-Cookie"); !strings.Contains(ck, "renkei_lang=en") || !strings.Contains(ck, "Max-Age=31536000") {
			t.Fatalf("cookie %q", ck)
		}
		if p := get(t, app, c, "/login", "Accept-Language", "ja"); lang(p) != "en" {
			t.Fatal("the chosen language did not stick")
		}
		if p := post(t, app, c, "/lang", url.Values{"lang": {"fr"}}); p.Status != http.StatusBadRequest {
			t.Fatalf("unknown language: %d", p.Status)
		}
		// Signed in, the choice is also saved in the profile.
		login(t, app, c, tn.User.Email, testPassword)
		p = get(t, app, c, "/")
		if p.Doc.Find(`nav a[href="/partners"]`).Text() != "Partners" {
			t.Fatalf("English nav: %q", p.Doc.Find("nav").Text())
		}
		tok := csrf(t, app, c, "/")
		wantRedirect(t, post(t, app, c, "/lang", url.Values{"lang": {"ja"}, "csrf_token": {tok}}), "/")
		u, _ := app.DB.UserByID(storetest.System(), tn.User.ID)
		if u.Locale != "ja" {
			t.Fatalf("profile locale %q", u.Locale)
		}
		wantRedirect(t, post(t, app, c, "/lang", url.Values{"lang": {"en"}, "csrf_token": {tok}}), "/")
		if u, _ := app.DB.UserByID(storetest.System(), tn.User.ID); u.Locale != "en" {
			t.Fatalf("profile locale %q", u.Locale)
		}
		if p := get(t, app, c, "/settings"); h1(p) != "Settings" {
			t.Fatalf("h1 %q", h1(p))
		}
	})
}

func TestTemplatesUseOnlyKnownMessages(t *testing.T) {
	files, err := filepath.Glob("templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v", err)
	}
	key := regexp.MustCompile(`\{\{[^}]*?\bt "([a-z0-9_.]+)"`)
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			n++
			for _, lang := range i18n.Languages {
				if !i18n.Has(lang, m[1]) {
					t.Errorf("%s: %q missing in %s", f, m[1], lang)
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("found only %d message uses: the pattern is broken", n)
	}
	// Keys the code builds from names.
	var built []string
	for _, r := range renkei.StaffRoles {
		built = append(built, "role."+string(r), "page.role_help."+string(r))
	}
	for _, s := range []string{"partners", "assessments", "incidents", "advisories", "sbom", "reports", "dashboard", "settings"} {
		built = append(built, "nav."+s)
	}
	for _, s := range []string{"partners", "assessments", "incidents", "advisories", "sbom", "reports"} {
		built = append(built, "page.pending."+s)
	}
	for _, n := range []string{"signed_out", "expired", "password_changed", "profile_saved", "totp_on", "totp_off", "org_saved", "invited", "role_changed", "member_removed", "token_revoked", "invitation_revoked"} {
		built = append(built, "page.notice."+n)
	}
	for _, k := range built {
		for _, lang := range i18n.Languages {
			if !i18n.Has(lang, k) {
				t.Errorf("%q missing in %s", k, lang)
			}
		}
	}
}

// ---- sections ----

func TestEverySectionReachable(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社セクション", renkei.RoleViewer)
		anon := app.browser()
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		dash := get(t, app, c, "/")
		links := dash.Doc.Find(`nav.primary-nav a`)
		if links.Length() != 8 {
			t.Fatalf("%d nav links", links.Length())
		}
		if cur, _ := dash.Doc.Find(`nav a[aria-current]`).Attr("href"); cur != "/" {
			t.Fatalf("current on the dashboard: %q", cur)
		}
		links.Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			p := get(t, app, c, href)
			if p.Status != 200 {
				t.Errorf("%s: %d", href, p.Status)
				return
			}
			if h1(p) != strings.TrimSpace(a.Text()) && href != "/" {
				t.Errorf("%s: h1 %q, nav %q", href, h1(p), a.Text())
			}
			if cur, _ := p.Doc.Find(`nav a[aria-current="page"]`).Attr("href"); cur != href {
				t.Errorf("%s: aria-current on %q", href, cur)
			}
			if p.Doc.Find("main#main").Length() != 1 || p.Doc.Find(`a.skip-link[href="#main"]`).Length() != 1 || p.Doc.Find("header").Length() != 1 {
				t.Errorf("%s: landmarks or skip link missing", href)
			}
			wantRedirect(t, get(t, app, anon, href), "/login")
		})
		// A section not built says so plainly, with no made-up data.
		p := get(t, app, c, "/advisories")
		if !strings.Contains(text(p), i18n.T("ja", "page.pending.lead")) || !strings.Contains(text(p), i18n.T("ja", "page.pending.advisories")) {
			t.Fatalf("pending page: %s", text(p))
		}
		// The dashboard shows real counts: one member, no invitations, one
		// token, and no partners of any kind yet.
		nums := dash.Doc.Find(".stat-num").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		if strings.Join(nums, ",") != "1,0,1,0,0,0,0" {
			t.Fatalf("dashboard counts %v", nums)
		}
		if !strings.Contains(text(dash), tn.Org.Name) || !strings.Contains(text(dash), i18n.T("ja", "role.viewer")) {
			t.Fatalf("dashboard: %s", text(dash))
		}
	})
}

func TestUserWithoutOrganization(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		h, _ := app.Accounts.Hasher.Hash(testPassword)
		u := &renkei.User{Email: "alone-" + sqlstore.NewID()[30:] + "@example.jp", PasswordHash: h}
		if err := app.DB.CreateUser(storetest.System(), u); err != nil {
			t.Fatal(err)
		}
		c := app.browser()
		login(t, app, c, u.Email, testPassword)
		p := get(t, app, c, "/")
		if p.Status != http.StatusForbidden || h1(p) != i18n.T("ja", "page.no_org.title") {
			t.Fatalf("%d %q", p.Status, h1(p))
		}
		if p.Doc.Find("nav.primary-nav").Length() != 0 || p.Doc.Find(`form[action="/logout"]`).Length() == 0 {
			t.Fatal("no-organization page: navigation shown or no sign-out")
		}
	})
}

func TestNotFoundPage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		p := get(t, app, app.browser(), "/no/such/page")
		if p.Status != 404 || h1(p) != i18n.T("ja", "page.error.not_found") || !strings.Contains(p.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%d %q", p.Status, h1(p))
		}
	})
}

// ---- settings ----

func TestViewerIsReadOnly(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社閲覧", renkei.RoleAdmin)
		viewer := app.addUser(tn, renkei.RoleViewer)
		c := app.browser()
		login(t, app, c, viewer.Email, testPassword)
		p := get(t, app, c, "/settings/organization")
		if p.Status != 200 || p.Doc.Find(`form[action="/settings/organization"]`).Length() != 0 {
			t.Fatalf("viewer sees the rename form (%d)", p.Status)
		}
		tok := csrf(t, app, c, "/settings/organization")
		p = post(t, app, c, "/settings/organization", url.Values{"name": {"株式会社改名"}, "csrf_token": {tok}})
		if p.Status != http.StatusForbidden || h1(p) != i18n.T("ja", "page.error.forbidden") {
			t.Fatalf("viewer rename: %d %q", p.Status, h1(p))
		}
		if orgName(t, app, tn.Org.ID) != "株式会社閲覧" {
			t.Fatal("viewer renamed the organization")
		}
		users := get(t, app, c, "/settings/users")
		if users.Status != 200 || users.Doc.Find("form").Length() != 2 { // language and sign-out only
			t.Fatalf("viewer's members page: %d, %d forms", users.Status, users.Doc.Find("form").Length())
		}
		for _, path := range []string{"/settings/users/invite", "/settings/users/" + tn.User.ID + "/role", "/settings/users/" + tn.User.ID + "/remove", "/settings/tokens"} {
			if p := post(t, app, c, path, url.Values{"csrf_token": {tok}, "email": {"x@example.jp"}, "role": {"viewer"}, "name": {"x"}}); p.Status != http.StatusForbidden {
				t.Errorf("viewer POST %s: %d", path, p.Status)
			}
		}
		if p := get(t, app, c, "/settings/audit"); p.Status != http.StatusForbidden {
			t.Fatalf("viewer audit log: %d", p.Status)
		}
		if m, _ := app.DB.Membership(storetest.System(), tn.Org.ID, tn.User.ID); m.Role != renkei.RoleAdmin {
			t.Fatal("viewer changed a role")
		}
		// The viewer still manages their own account.
		if p := get(t, app, c, "/settings/account"); p.Status != 200 {
			t.Fatalf("viewer account page: %d", p.Status)
		}
	})
}

func TestOrganizationRename(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社改名前", renkei.RoleAdmin)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		tok := csrf(t, app, c, "/settings/organization")
		p := post(t, app, c, "/settings/organization", url.Values{"name": {"  "}, "csrf_token": {tok}})
		if p.Status != http.StatusBadRequest || p.Doc.Find("#name-error").Length() != 1 {
			t.Fatalf("empty name: %d", p.Status)
		}
		if inv, _ := p.Doc.Find("input#name").Attr("aria-invalid"); inv != "true" {
			t.Fatal("empty name: field not marked invalid")
		}
		wantRedirect(t, post(t, app, c, "/settings/organization", url.Values{"name": {"株式会社改名後"}, "csrf_token": {tok}}), "/settings/organization")
		if p := get(t, app, c, "/settings/organization?notice=org_saved"); p.Doc.Find(".org-name").Text() != "組織: 株式会社改名後" {
			t.Fatalf("header: %q", p.Doc.Find(".org-name").Text())
		}
	})
}

func TestChangePassword(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社変更", renkei.RoleSecurity)
		c, other := app.browser(), app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		login(t, app, other, tn.User.Email, testPassword)
		tok := csrf(t, app, c, "/settings/account")
		const next = "a-brand-new-passphrase"
		for name, tc := range map[string]struct {
			form  url.Values
			field string
		}{
			"mismatch":      {url.Values{"current_password": {testPassword}, "new_password": {next}, "confirm_password": {next + "x"}}, "confirm_password"},
			"wrong current": {url.Values{"current_password": {"not-my-password"}, "new_password": {next}, "confirm_password": {next}}, "current_password"},
			"too short":     {url.Values{"current_password": {testPassword}, "new_password": {"short"}, "confirm_password": {"short"}}, "new_password"},
		} {
			tc.form.Set("csrf_token", tok)
			p := post(t, app, c, "/settings/account/password", tc.form)
			if p.Status != http.StatusBadRequest {
				t.Fatalf("%s: %d", name, p.Status)
			}
			if p.Doc.Find("#"+tc.field+"-error").Length() != 1 {
				t.Fatalf("%s: no error by %s: %s", name, tc.field, text(p))
			}
			if d, _ := p.Doc.Find("input#" + tc.field).Attr("aria-describedby"); !strings.Contains(d, tc.field+"-error") {
				t.Fatalf("%s: error not tied to the field: %q", name, d)
			}
			if p.Doc.Find(`.error-summary[role="alert"]`).Length() != 1 {
				t.Fatalf("%s: no error summary", name)
			}
		}
		if get(t, app, other, "/").Status != 200 {
			t.Fatal("a failed change ended the other session")
		}
		p := post(t, app, c, "/settings/account/password", url.Values{"current_password": {testPassword}, "new_password": {next}, "confirm_password": {next}, "csrf_token": {tok}})
		wantRedirect(t, p, "/settings/account?notice=password_changed")
		if get(t, app, c, "/settings/account").Status != 200 {
			t.Fatal("the session that changed the password ended")
		}
		wantRedirect(t, get(t, app, other, "/"), "/login")
		if p := post(t, app, app.browser(), "/login", url.Values{"email": {tn.User.Email}, "password": {testPassword}}); p.Status != http.StatusUnauthorized {
			t.Fatalf("old password: %d", p.Status)
		}
		login(t, app, app.browser(), tn.User.Email, next)
	})
}

func TestProfileSettings(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社プロフィール", renkei.RoleViewer)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		tok := csrf(t, app, c, "/settings/account")
		p := post(t, app, c, "/settings/account/profile", url.Values{"name": {"Tanaka"}, "locale": {"en"}, "time_zone": {"Mars/Olympus"}, "csrf_token": {tok}})
		if p.Status != http.StatusBadRequest || p.Doc.Find("#time_zone-error").Length() != 1 {
			t.Fatalf("bad zone: %d", p.Status)
		}
		p = post(t, app, c, "/settings/account/profile", url.Values{"name": {"Tanaka"}, "locale": {"en"}, "time_zone": {"America/Los_Angeles"}, "csrf_token": {tok}})
		wantRedirect(t, p, "/settings/account?notice=profile_saved")
		u, _ := app.DB.UserByID(storetest.System(), tn.User.ID)
		if u.Name != "Tanaka" || u.Locale != "en" || u.TimeZone != "America/Los_Angeles" {
			t.Fatalf("saved %+v", u)
		}
		// The page follows: English, and times in the chosen zone.
		p = get(t, app, c, "/settings/organization")
		if h1(p) != "Organization" || !strings.Contains(p.Doc.Find("footer").Text(), "America/Los_Angeles") {
			t.Fatalf("after saving: %q / %q", h1(p), p.Doc.Find("footer").Text())
		}
		want := tn.Org.CreatedAt.In(u.Location()).Format("2006-01-02 15:04")
		if !strings.Contains(text(p), want) {
			t.Fatalf("created time not in the user's zone (%s): %s", want, text(p))
		}
	})
}

func TestTOTPEnableAndSignIn(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社二要素", renkei.RoleAdmin)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		tok := csrf(t, app, c, "/settings/account")
		wantRedirect(t, post(t, app, c, "/settings/account/totp/begin", url.Values{"csrf_token": {tok}}), "/settings/account/totp")
		setup := get(t, app, c, "/settings/account/totp")
		src, _ := setup.Doc.Find(".qr img").Attr("src")
		alt, _ := setup.Doc.Find(".qr img").Attr("alt")
		if setup.Status != 200 || !strings.HasPrefix(src, "data:image/png;base64,") || alt == "" {
			t.Fatalf("setup page: %d, img %.40q alt %q", setup.Status, src, alt)
		}
		secret := strings.ReplaceAll(setup.Doc.Find("#totp-secret").Text(), " ", "")
		if u, _ := app.DB.UserByID(storetest.System(), tn.User.ID); u.TOTPSecret != secret || u.TOTPEnabled {
			t.Fatalf("shown secret %q is not the pending one", secret)
		}
		p := post(t, app, c, "/settings/account/totp/confirm", url.Values{"code": {"000000"}, "csrf_token": {tok}})
		if p.Status != http.StatusBadRequest || p.Doc.Find("#code-error").Length() != 1 {
			t.Fatalf("wrong code: %d", p.Status)
		}
		code, _ := totp.Code(secret, time.Now())
		wantRedirect(t, post(t, app, c, "/settings/account/totp/confirm", url.Values{"code": {code}, "csrf_token": {tok}}), "/settings/account?notice=totp_on")

		// Signing in now asks for the code.
		b := app.browser()
		p = post(t, app, b, "/login", url.Values{"email": {tn.User.Email}, "password": {testPassword}, "next": {"/settings"}})
		wantRedirect(t, p, "/login/totp?next=%2Fsettings")
		pending := sessionCookie(app, b)
		wantRedirect(t, get(t, app, b, "/settings"), "/login/totp")
		form := get(t, app, b, "/login/totp?next=%2Fsettings")
		ptok, _ := form.Doc.Find(`input[name="csrf_token"]`).Attr("value")
		if form.Status != 200 || ptok == "" {
			t.Fatalf("code page: %d", form.Status)
		}
		if ac, _ := form.Doc.Find("input#code").Attr("autocomplete"); ac != "one-time-code" {
			t.Fatalf("code input autocomplete %q", ac)
		}
		p = post(t, app, b, "/login/totp", url.Values{"code": {"123456"}, "next": {"/settings"}, "csrf_token": {ptok}})
		if p.Status != http.StatusBadRequest || p.Doc.Find("#code-error").Length() != 1 {
			t.Fatalf("wrong code at sign-in: %d", p.Status)
		}
		code, _ = totp.Code(secret, time.Now())
		wantRedirect(t, post(t, app, b, "/login/totp", url.Values{"code": {code}, "next": {"/settings"}, "csrf_token": {ptok}}), "/settings")
		if full := sessionCookie(app, b); full == "" || full == pending {
			t.Fatal("session not rotated after the code")
		}
		if get(t, app, b, "/settings").Status != 200 {
			t.Fatal("signed in with the code but not let in")
		}

		// Turning it off needs the password.
		p = post(t, app, c, "/settings/account/totp/disable", url.Values{"totp_password": {"wrong-password-1"}, "csrf_token": {tok}})
		if p.Status != http.StatusBadRequest || p.Doc.Find("#totp_password-error").Length() != 1 {
			t.Fatalf("disable with a wrong password: %d", p.Status)
		}
		wantRedirect(t, post(t, app, c, "/settings/account/totp/disable", url.Values{"totp_password": {testPassword}, "csrf_token": {tok}}), "/settings/account?notice=totp_off")
		wantRedirect(t, post(t, app, app.browser(), "/login", url.Values{"email": {tn.User.Email}, "password": {testPassword}}), "/")
	})
}

func TestTokenCreatedOnPage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社トークン", renkei.RoleAdmin)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		tok := csrf(t, app, c, "/settings/tokens")
		p := post(t, app, c, "/settings/tokens", url.Values{"name": {""}, "csrf_token": {tok}})
		if p.Status != http.StatusBadRequest || p.Doc.Find("#name-error").Length() != 1 {
			t.Fatalf("empty name: %d", p.Status)
		}
		p = post(t, app, c, "/settings/tokens", url.Values{"name": {"資産管理システム"}, "csrf_token": {tok}})
		secret, _ := p.Doc.Find("#token-secret").Attr("value")
		if p.Status != http.StatusCreated || !strings.HasPrefix(secret, renkei.TokenPrefix) {
			t.Fatalf("create: %d, secret %q", p.Status, secret)
		}
		if cc := p.Header.Get("Cache-Control"); cc != "no-store" {
			t.Fatalf("secret page cacheable: %q", cc)
		}
		var me struct {
			User struct{ Email string } `json:"user"`
		}
		if st := app.api(secret, "GET", "/api/v1/me", nil, &me); st != 200 || me.User.Email != tn.User.Email {
			t.Fatalf("token from the page: %d %+v", st, me)
		}
		list := get(t, app, c, "/settings/tokens")
		if strings.Contains(list.Body, secret) || strings.Contains(list.Body, secret[9:]) {
			t.Fatal("the secret is shown again")
		}
		row := list.Doc.Find("#tokens tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), "資産管理システム")
		})
		if row.Length() != 1 || !strings.Contains(row.Text(), secret[:9]) {
			t.Fatalf("token row: %q", row.Text())
		}
		// Revoke in place (htmx): the list comes back with the token
		// revoked, and the token stops working.
		action, _ := row.Find("form").Attr("action")
		p = post(t, app, c, action, url.Values{}, "HX-Request", "true", "X-CSRF-Token", tok)
		if p.Status != 200 || p.Doc.Find("#tokens").Length() != 1 || p.Doc.Find("html head title").Length() != 0 && strings.Contains(p.Body, "<header") {
			t.Fatalf("htmx revoke: %d %s", p.Status, p.Body)
		}
		if !strings.Contains(p.Doc.Find("#flash").Text(), i18n.T("ja", "page.notice.token_revoked")) {
			t.Fatal("no notice in the fragment")
		}
		if st := app.api(secret, "GET", "/api/v1/me", nil, nil); st != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", st)
		}
		// Revoking again fails; htmx gets the error as a notice.
		p = post(t, app, c, action, url.Values{}, "HX-Request", "true", "X-CSRF-Token", tok)
		if p.Status != http.StatusNotFound || p.Header.Get("HX-Retarget") != "#flash" || p.Doc.Find(`[role="alert"]`).Length() != 1 {
			t.Fatalf("second revoke: %d %q", p.Status, p.Header.Get("HX-Retarget"))
		}
		// Without JavaScript the form redirects back.
		_, secret2, _ := app.Accounts.CreateToken(storetest.System(), tn.Org.ID, tn.User.ID, "plain")
		list = get(t, app, c, "/settings/tokens")
		action, _ = list.Doc.Find("#tokens tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), "plain")
		}).Find("form").Attr("action")
		wantRedirect(t, post(t, app, c, action, url.Values{"csrf_token": {tok}}), "/settings/tokens?notice=token_revoked")
		if st := app.api(secret2, "GET", "/api/v1/me", nil, nil); st != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", st)
		}
	})
}

var inviteLink = regexp.MustCompile(`/invite/([A-Za-z0-9_-]+)`)

func TestInviteAndMembers(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社招待", renkei.RoleAdmin)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		tok := csrf(t, app, c, "/settings/users")
		p := post(t, app, c, "/settings/users/invite", url.Values{"email": {"not an address"}, "role": {"security"}, "csrf_token": {tok}})
		if p.Status != http.StatusBadRequest || p.Doc.Find("#email-error").Length() != 1 {
			t.Fatalf("bad address: %d", p.Status)
		}
		if sel, _ := p.Doc.Find(`select#role option[selected]`).Attr("value"); sel != "security" {
			t.Fatalf("role not kept: %q", sel)
		}
		p = post(t, app, c, "/settings/users/invite", url.Values{"email": {tn.User.Email}, "role": {"viewer"}, "csrf_token": {tok}})
		if p.Status != http.StatusConflict || p.Doc.Find("#email-error").Length() != 1 {
			t.Fatalf("inviting a member: %d", p.Status)
		}
		const email = "new.person@example.jp"
		wantRedirect(t, post(t, app, c, "/settings/users/invite", url.Values{"email": {email}, "role": {"procurement"}, "csrf_token": {tok}}), "/settings/users?notice=invited")
		users := get(t, app, c, "/settings/users")
		if !strings.Contains(users.Doc.Find("#invitations").Text(), email) {
			t.Fatal("pending invitation not listed")
		}
		var body string
		if err := app.DB.SQL().QueryRow(app.DB.Rebind(`SELECT body_text FROM mail_outbox WHERE to_addr = ?`), email).Scan(&body); err != nil {
			t.Fatal(err)
		}
		m := inviteLink.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no link in the mail: %q", body)
		}
		link := "/invite/" + m[1]

		// The invited person opens the link, sets a name and password.
		b := app.browser()
		p = get(t, app, b, link)
		if p.Status != 200 || !strings.Contains(text(p), tn.Org.Name) || !strings.Contains(text(p), i18n.T("ja", "role.procurement")) {
			t.Fatalf("invitation page: %d %s", p.Status, text(p))
		}
		p = post(t, app, b, link, url.Values{"name": {"新人"}, "password": {"long-enough-pass"}, "password_confirm": {"different-pass!!"}})
		if p.Status != http.StatusBadRequest || p.Doc.Find("#password_confirm-error").Length() != 1 {
			t.Fatalf("mismatch: %d", p.Status)
		}
		p = post(t, app, b, link, url.Values{"name": {"新人"}, "password": {"long-enough-pass"}, "password_confirm": {"long-enough-pass"}})
		if p.Status != 200 || h1(p) != i18n.T("ja", "page.invite.joined_title") {
			t.Fatalf("accept: %d %s", p.Status, text(p))
		}
		if p := get(t, app, b, link); p.Status != http.StatusNotFound {
			t.Fatalf("used link: %d", p.Status)
		}
		login(t, app, b, email, "long-enough-pass")
		if p := get(t, app, b, "/"); !strings.Contains(text(p), i18n.T("ja", "role.procurement")) {
			t.Fatalf("new member's dashboard: %s", text(p))
		}

		// The admin changes the new member's role in place, then removes them.
		u, _ := app.DB.UserByEmail(storetest.System(), email)
		p = post(t, app, c, "/settings/users/"+u.ID+"/role", url.Values{"role": {"legal"}}, "HX-Request", "true", "X-CSRF-Token", tok)
		if p.Status != 200 || p.Doc.Find("#members").Length() != 1 {
			t.Fatalf("htmx role change: %d", p.Status)
		}
		if m, _ := app.DB.Membership(storetest.System(), tn.Org.ID, u.ID); m.Role != renkei.RoleLegal {
			t.Fatalf("role %s", m.Role)
		}
		// The last admin cannot step down: the page says why.
		p = post(t, app, c, "/settings/users/"+tn.User.ID+"/role", url.Values{"role": {"viewer"}, "csrf_token": {tok}})
		if p.Status != http.StatusConflict || !strings.Contains(p.Doc.Find(".error-summary").Text(), i18n.T("ja", "error.last_admin")) {
			t.Fatalf("last admin: %d %s", p.Status, text(p))
		}
		wantRedirect(t, post(t, app, c, "/settings/users/"+u.ID+"/remove", url.Values{"csrf_token": {tok}}), "/settings/users?notice=member_removed")
		wantRedirect(t, get(t, app, b, "/"), "/login")

		// An invitation withdrawn in place.
		post(t, app, c, "/settings/users/invite", url.Values{"email": {"second@example.jp"}, "role": {"viewer"}, "csrf_token": {tok}})
		users = get(t, app, c, "/settings/users")
		action, _ := users.Doc.Find("#invitations form").Attr("action")
		p = post(t, app, c, action, url.Values{}, "HX-Request", "true", "X-CSRF-Token", tok)
		if p.Status != 200 || strings.Contains(p.Doc.Find("#invitations").Text(), "second@example.jp") {
			t.Fatalf("withdraw: %d %s", p.Status, p.Body)
		}
	})
}

func TestAuditPage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社監査", renkei.RoleAdmin)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		for i := 0; i < 3; i++ {
			if _, _, err := app.Accounts.CreateToken(storetest.System(), tn.Org.ID, tn.User.ID, "t"); err != nil {
				t.Fatal(err)
			}
		}
		p := get(t, app, c, "/settings/audit?limit=2")
		rows := p.Doc.Find("tbody tr")
		if p.Status != 200 || rows.Length() != 2 {
			t.Fatalf("%d, %d rows", p.Status, rows.Length())
		}
		// Times are shown in Asia/Tokyo.
		rows.Each(func(_ int, r *goquery.Selection) {
			dt, _ := r.Find("time").Attr("datetime")
			at, err := time.Parse(time.RFC3339, dt)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := r.Find("time").Text(), at.In(renkei.Tokyo).Format("2006-01-02 15:04"); got != want {
				t.Errorf("shown %q, want %q (Tokyo)", got, want)
			}
		})
		if !strings.Contains(rows.First().Text(), i18n.T("ja", "page.audit.action.token.create")) {
			t.Fatalf("newest entry: %q", rows.First().Text())
		}
		older, ok := p.Doc.Find(`nav.pager a[href*="cursor="]`).Attr("href")
		if !ok {
			t.Fatal("no link to older entries")
		}
		p2 := get(t, app, c, older+"&limit=2")
		if p2.Status != 200 || p2.Doc.Find("tbody tr").Length() == 0 || p2.Doc.Find(`nav.pager a[href="/settings/audit"]`).Length() != 1 {
			t.Fatalf("older page: %d", p2.Status)
		}
		if p := get(t, app, c, "/settings/audit?cursor=garbage"); p.Status != http.StatusBadRequest {
			t.Fatalf("bad cursor: %d", p.Status)
		}
		// Another organization's entries never show.
		other := app.newTenant("株式会社よその組織", renkei.RoleAdmin)
		if strings.Contains(get(t, app, c, "/settings/audit").Body, other.User.Email) {
			t.Fatal("another organization's audit entries shown")
		}
	})
}

func TestInviteExistingAccount(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		home := app.newTenant("株式会社ホーム", renkei.RoleSecurity)
		host := app.newTenant("株式会社ホスト", renkei.RoleAdmin)
		c := app.browser()
		login(t, app, c, host.User.Email, testPassword)
		tok := csrf(t, app, c, "/settings/users")
		wantRedirect(t, post(t, app, c, "/settings/users/invite", url.Values{"email": {home.User.Email}, "role": {"viewer"}, "csrf_token": {tok}}), "/settings/users?notice=invited")
		var body string
		if err := app.DB.SQL().QueryRow(app.DB.Rebind(`SELECT body_text FROM mail_outbox WHERE to_addr = ?`), home.User.Email).Scan(&body); err != nil {
			t.Fatal(err)
		}
		link := "/invite/" + inviteLink.FindStringSubmatch(body)[1]
		b := app.browser()
		p := get(t, app, b, link)
		if p.Status != 200 || p.Doc.Find("input#password").Length() != 0 || !strings.Contains(text(p), i18n.T("ja", "page.invite.has_account")) {
			t.Fatalf("invitation for an existing account: %d %s", p.Status, text(p))
		}
		if p := post(t, app, b, link, url.Values{}); p.Status != 200 || h1(p) != i18n.T("ja", "page.invite.joined_title") {
			t.Fatalf("accept: %d %s", p.Status, text(p))
		}
		if m, err := app.DB.Membership(storetest.System(), host.Org.ID, home.User.ID); err != nil || m.Role != renkei.RoleViewer {
			t.Fatalf("membership %+v %v", m, err)
		}
		// Their password did not change.
		login(t, app, app.browser(), home.User.Email, testPassword)
	})
}

func TestDemoBadge(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社本番", renkei.RoleAdmin)
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		if get(t, app, c, "/").Doc.Find(".badge-demo").Length() != 0 {
			t.Fatal("demo badge on a real organization")
		}
		demo := &renkei.Organization{Name: "デモ株式会社", Slug: "demo-" + strings.ToLower(sqlstore.NewID()[30:]), Demo: true}
		if err := app.DB.CreateOrganization(storetest.System(), demo); err != nil {
			t.Fatal(err)
		}
		u := &renkei.User{Email: demo.Slug + "@example.jp"}
		if err := app.Accounts.CreateUser(storetest.System(), demo.ID, u, renkei.RoleViewer, testPassword); err != nil {
			t.Fatal(err)
		}
		d := app.browser()
		login(t, app, d, u.Email, testPassword)
		if b := get(t, app, d, "/").Doc.Find(".badge-demo").Text(); b != i18n.T("ja", "demo.badge") {
			t.Fatalf("demo badge %q", b)
		}
	})
}
