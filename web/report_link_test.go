package web_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/web"
)

func reportForm(company, description string) url.Values {
	return url.Values{"company": {company}, "contact.email": {"soc@partner.example.jp"}, "type": {"ransomware"},
		"description": {description}, "occurred_at": {"2026-11-20T08:30"}, "personal_data.persons": {"12"},
		"affects.our_data": {"on"}}
}

// TestReportLink: anyone with the organization's link reports without an
// account and gets a receipt number; hostile text is shown escaped; a
// flood from one address is refused; oversize bodies and unknown links
// change nothing.
func TestReportLink(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		other := app.newTenant("乙社", renkei.RoleAdmin)
		// The clock stands still, so the rate limit below does not depend
		// on how fast the machine is.
		now := time.Now()
		srv := web.New(web.Config{Store: app.DB, Accounts: app.Accounts, Logger: testLogger, Now: func() time.Time { return now }})
		ts := httptest.NewServer(srv)
		defer ts.Close()
		app.Server = ts

		mustStatus(t, app.call(t, "GET", "/api/v1/report_link", req{Token: tn.Token}), 200, "no link yet")
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		mustStatus(t, app.call(t, "POST", "/api/v1/report_link", req{Token: viewer}), 403, "viewer rotates")
		r := app.call(t, "POST", "/api/v1/report_link", req{Token: tn.Token})
		mustStatus(t, r, 201, "rotate")
		var link struct {
			URL string `json:"url"`
		}
		r.JSON(t, &link)
		path := strings.TrimPrefix(link.URL, ts.URL)
		if !strings.HasPrefix(path, "/report/") {
			t.Fatalf("link %q", link.URL)
		}
		c := app.browser()
		p := get(t, app, c, path)
		if p.Status != 200 || !strings.Contains(p.Body, "甲社") || p.Doc.Find(`input[name="type"]`).Length() != len(renkei.IncidentTypes) {
			t.Fatalf("form: %d %s", p.Status, p.Body)
		}

		// Missing description: the form comes back with the hostile
		// company name escaped, and nothing is recorded.
		p = post(t, app, c, path, reportForm("<script>alert(1)</script>", ""))
		if p.Status != 400 || strings.Contains(p.Body, "<script>alert(1)") || !strings.Contains(p.Body, "&lt;script&gt;") {
			t.Fatalf("error page %d: %s", p.Status, p.Body)
		}
		if p.Doc.Find("#description-error").Length() != 1 {
			t.Fatalf("no field error for description")
		}
		sys := renkei.WithActor(context.Background(), renkei.SystemActor("test"))
		list, _, _ := app.DB.ListIncidents(sys, tn.Org.ID, renkei.IncidentFilter{}, renkei.Page{})
		if len(list) != 0 {
			t.Fatalf("refused report recorded: %+v", list)
		}

		p = post(t, app, c, path, reportForm("株式会社<b>山田</b>精工", "ファイルサーバーが暗号化されました。\n身代金の要求あり。"))
		if p.Status != 201 {
			t.Fatalf("submit %d: %s", p.Status, p.Body)
		}
		receipt := strings.TrimSpace(p.Doc.Find(".receipt strong").Text())
		if !strings.HasPrefix(receipt, "INC-") {
			t.Fatalf("receipt %q", receipt)
		}
		list, _, _ = app.DB.ListIncidents(sys, tn.Org.ID, renkei.IncidentFilter{}, renkei.Page{})
		if len(list) != 1 || list[0].Ref != receipt || list[0].Source != renkei.IncidentSourceLink || !strings.Contains(list[0].Title, "<b>山田</b>") ||
			list[0].PersonalData.Persons != 12 || !list[0].Affects.OurData || list[0].OccurredAt == nil || !list[0].AwareAt.Equal(now.UTC().Truncate(time.Microsecond)) {
			t.Fatalf("recorded %+v", list)
		}
		if l, _, _ := app.DB.ListIncidents(sys, other.Org.ID, renkei.IncidentFilter{}, renkei.Page{}); len(l) != 0 {
			t.Fatalf("another organization got the report: %+v", l)
		}

		// Oversize body: refused before anything is read.
		big := reportForm("大きな会社", strings.Repeat("あ", 30000))
		if p := post(t, app, c, path, big); p.Status != 413 {
			t.Fatalf("oversize: %d", p.Status)
		}
		// Unknown or rotated links are 404.
		if p := get(t, app, c, "/report/not-a-secret"); p.Status != 404 {
			t.Fatalf("unknown link: %d", p.Status)
		}
		mustStatus(t, app.call(t, "POST", "/api/v1/report_link", req{Token: tn.Token}), 201, "rotate again")
		if p := post(t, app, c, path, reportForm("X", "old link")); p.Status != 404 {
			t.Fatalf("old link after rotation: %d", p.Status)
		}

		// A flood from one address: the limiter stops it (the clock does
		// not move, so no token comes back).
		r = app.call(t, "POST", "/api/v1/report_link", req{Token: tn.Token})
		r.JSON(t, &link)
		path = strings.TrimPrefix(link.URL, ts.URL)
		limited := false
		for i := 0; i < 15 && !limited; i++ {
			limited = post(t, app, c, path, reportForm("連投株式会社", "テスト")).Status == 429
		}
		if !limited {
			t.Fatal("15 reports in a row were all accepted")
		}
	})
}
