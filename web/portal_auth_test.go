package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// Partner sign-in and the walls between partner users and staff.

func TestPortalLinkContinueThenSingleUse(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sa := app.sendAssessment(t, tn, "株式会社乙製作所", 810001, "self-check-25")
		email := partnerEmail("tanaka")
		path := app.portalLink(t, &renkei.PortalLink{OrgID: tn.Org.ID, CompanyID: sa.CompanyID, AssessmentID: sa.Assessment.ID, Email: email, Purpose: renkei.PortalInvite})

		// A mail scanner's GET uses nothing up: the page only offers a
		// button, any number of times.
		c := app.browser()
		for range 2 {
			p := get(t, app, c, path)
			if p.Status != 200 || p.Doc.Find(`form[action="`+path+`"] button[type="submit"]`).Length() != 1 {
				t.Fatalf("link page: %d %s", p.Status, text(p))
			}
		}
		if _, err := app.DB.UserByEmail(storetest.System(), email); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("GET made a user: %v", err)
		}
		// A cookie planted before is not the session signed in.
		u, _ := url.Parse(app.Server.URL)
		c.Jar.SetCookies(u, []*http.Cookie{{Name: "renkei_session", Value: "PLANTED", Path: "/"}})
		p := post(t, app, c, path, url.Values{})
		wantRedirect(t, p, "/portal/assessments/"+sa.Assessment.ID)
		if ck := sessionCookie(app, c); ck == "" || ck == "PLANTED" {
			t.Fatalf("session cookie %q", ck)
		}
		home := get(t, app, c, "/portal")
		if home.Status != 200 || !strings.Contains(text(home), "甲社") || !strings.Contains(text(home), "セキュリティ") {
			t.Fatalf("portal home: %d %s", home.Status, text(home))
		}
		if home.Doc.Find(`a[href="/portal/assessments/`+sa.Assessment.ID+`"]`).Length() == 0 {
			t.Fatal("the assessment is not linked from the portal home")
		}

		// The link is used: another browser gets the clear page with a
		// form for a new sign-in link, the address filled in.
		again := post(t, app, app.browser(), path, url.Values{})
		if again.Status != http.StatusGone || again.Doc.Find(`form[action="/portal/login"] input[name="email"]`).AttrOr("value", "") != email {
			t.Fatalf("used link: %d %s", again.Status, text(again))
		}
		if !strings.Contains(text(again), "すでに使われています") {
			t.Fatalf("used link says: %s", text(again))
		}
	})
}

func TestPortalLinkTamperedOrExpired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := &clock{}
		app := newClockApp(t, db, clk)
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sa := app.sendAssessment(t, tn, "株式会社乙製作所", 810002, "self-check-25")
		db.Now = clk.Now
		path := app.portalLink(t, &renkei.PortalLink{CompanyID: sa.CompanyID, Email: partnerEmail("sato"), Purpose: renkei.PortalSignIn})
		secret := strings.TrimPrefix(path, "/portal/link/")
		tampered := []string{
			"/portal/link/" + secret[:len(secret)-1] + "A",
			"/portal/link/" + strings.ToLower(secret),
			"/portal/link/" + secret + "A",
			"/portal/link/%3Cscript%3E",
		}
		if secret[len(secret)-1] == 'A' {
			tampered[0] = "/portal/link/" + secret[:len(secret)-1] + "B"
		}
		for _, p := range tampered {
			for _, res := range []*page{get(t, app, app.browser(), p), post(t, app, app.browser(), p, url.Values{})} {
				if res.Status != http.StatusGone || sessionCookie(app, app.browser()) != "" {
					t.Fatalf("%s: %d", p, res.Status)
				}
			}
		}
		clk.Advance(renkei.PortalSignInTTL + time.Second)
		c := app.browser()
		if p := get(t, app, c, path); p.Status != http.StatusGone {
			t.Fatalf("expired link page: %d", p.Status)
		}
		if p := post(t, app, c, path, url.Values{}); p.Status != http.StatusGone || sessionCookie(app, c) != "" {
			t.Fatalf("expired link used: %d", p.Status)
		}
	})
}

func TestPortalWallsBetweenPartnersAndStaff(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sa := app.sendAssessment(t, tn, "株式会社乙製作所", 810003, "self-check-25")
		partner := app.partnerSession(t, sa.CompanyID, partnerEmail("kato"))

		// A partner user reaches no staff page (they are sent to the
		// portal) and no staff API route.
		for _, path := range []string{"/", "/partners", "/settings", "/settings/account", "/partners/" + sa.PartnerID} {
			wantRedirect(t, get(t, app, partner, path), "/portal")
		}
		for _, path := range []string{"/api/v1/me", "/api/v1/assessments", "/api/v1/assessments/" + sa.Assessment.ID, "/api/v1/partners"} {
			if p := get(t, app, partner, path); p.Status != http.StatusForbidden {
				t.Fatalf("partner GET %s: %d", path, p.Status)
			}
		}
		tok := csrf(t, app, partner, "/portal")
		p := post(t, app, partner, "/partners/new", url.Values{"csrf_token": {tok}, "name": {"x"}})
		if p.Status != http.StatusForbidden {
			t.Fatalf("partner POST /partners/new: %d", p.Status)
		}

		// Staff never reach the portal as a partner.
		staff := app.browser()
		login(t, app, staff, tn.User.Email, testPassword)
		for _, path := range []string{"/portal"} {
			if p := get(t, app, staff, path); p.Status != http.StatusForbidden {
				t.Fatalf("staff GET %s: %d", path, p.Status)
			}
		}
		// Nobody signed in goes to the portal's sign-in, back after.
		wantRedirect(t, get(t, app, app.browser(), "/portal"), "/portal/login")
	})
}

func TestPortalSignInByMailSaysTheSameForEveryAddress(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sa := app.sendAssessment(t, tn, "株式会社乙製作所", 810004, "self-check-25")
		known := partnerEmail("ito")
		app.partnerSession(t, sa.CompanyID, known)
		answers := map[string]string{}
		for _, email := range []string{known, "nobody@partner.example.jp", tn.User.Email} {
			p := post(t, app, app.browser(), "/portal/login", url.Values{"email": {email}})
			if p.Status != 200 {
				t.Fatalf("%s: %d %s", email, p.Status, text(p))
			}
			answers[email] = strings.ReplaceAll(text(p), email, "ADDRESS")
		}
		if answers[known] != answers["nobody@partner.example.jp"] || answers[known] != answers[tn.User.Email] {
			t.Fatalf("answers differ: %q", answers)
		}
		// Only the partner user got a mail; its link signs in.
		m := app.mailTo(t, known)
		if m.Template != "portal_signin" || m.Locale != "ja" {
			t.Fatalf("mail %+v", m)
		}
		i := strings.Index(m.Text, "/portal/link/")
		if i < 0 {
			t.Fatalf("no link in %q", m.Text)
		}
		path := strings.Fields(m.Text[i:])[0]
		c := app.browser()
		wantRedirect(t, post(t, app, c, path, url.Values{}), "/portal")
		if p := get(t, app, c, "/portal"); p.Status != 200 {
			t.Fatalf("after the mailed link: %d", p.Status)
		}
		if n := countRowsWhere(t, app, "mail_outbox", "to_addr", "nobody@partner.example.jp"); n != 0 {
			t.Fatalf("mail to an unknown address: %d", n)
		}
		// A malformed address is said so.
		if p := post(t, app, app.browser(), "/portal/login", url.Values{"email": {"not-an-address\u202e"}}); p.Status != http.StatusBadRequest {
			t.Fatalf("bad address: %d", p.Status)
		}
	})
}

func countRowsWhere(t *testing.T, app *testApp, table, column, value string) int {
	t.Helper()
	var n int
	if err := app.DB.SQL().QueryRow(app.DB.Rebind(`SELECT COUNT(*) FROM `+table+` WHERE `+column+` = ?`), value).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
