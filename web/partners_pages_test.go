package web_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/argon2id"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/sqlstore/storetest"
	"github.com/renkei/renkei/totp"
	"github.com/renkei/renkei/web"
)

// ---- seeding ----

// corpNum makes a valid Corporate Number from a 12-digit base.
func corpNum(base int) string {
	b := fmt.Sprintf("%012d", base)
	return string('0'+renkei.CorporateNumberCheckDigit(b)) + b
}

// seedNames are realistic, fictional partner names.
var seedNames = []string{
	"株式会社山田精工", "有限会社佐藤製作所", "東和物流株式会社", "株式会社クラウドワークス東京", "北斗電子工業株式会社",
	"株式会社みなと情報システム", "大和化成株式会社", "株式会社中部金型", "Renkei Vietnam Co., Ltd.", "株式会社さくら会計サービス",
	"関東梱包株式会社", "株式会社ネクストソフト", "Thai Precision Parts Co., Ltd.", "株式会社青葉印刷", "日本セキュア運用株式会社",
	"株式会社星野電機", "株式会社テクノ保守サービス", "Shanghai Renkei Trading Co., Ltd.", "株式会社小林塗装", "株式会社グループ物流",
	"株式会社東海ダイカスト", "株式会社データセンター北陸", "有限会社高橋鉄工", "株式会社人材ソリューションズ", "株式会社ひかり通信",
	"株式会社南海樹脂", "Renkei America Inc.", "株式会社森田商会", "株式会社白石システム開発", "株式会社ゆうあい清掃",
}

// seedPartner creates a partner through the store; change adjusts the
// defaults (a supplier with nothing that adds risk).
func seedPartner(t *testing.T, app *testApp, orgID, name string, change func(p *renkei.Partner)) *renkei.Partner {
	t.Helper()
	p := &renkei.Partner{OrgID: orgID, Type: renkei.PartnerSupplier, Company: renkei.Company{Name: name, Country: "JP", Industry: "d"}}
	if change != nil {
		change(p)
	}
	if err := app.DB.CreatePartner(storetest.System(), p); err != nil {
		t.Fatalf("seed %s: %v", name, err)
	}
	return p
}

// seedPartners creates n varied partners: every third overseas or group,
// a few that reach the internal network (star 4, high risk), some with an
// incident contact.
func seedPartners(t *testing.T, app *testApp, orgID string, n int) []*renkei.Partner {
	t.Helper()
	var out []*renkei.Partner
	industries := []string{"d", "f", "g", "h", "k", "p"}
	for i := 0; i < n; i++ {
		name := seedNames[i%len(seedNames)]
		if i >= len(seedNames) {
			name = fmt.Sprintf("%s 第%d工場", name, i/len(seedNames)+1)
		}
		out = append(out, seedPartner(t, app, orgID, name, func(p *renkei.Partner) {
			p.ExternalID = fmt.Sprintf("V%04d", i+1)
			p.Company.CorporateNumber = corpNum(100000000000 + i*7919)
			p.Company.Industry = industries[i%len(industries)]
			p.Company.Employees = 20 + i*37
			switch i % 3 {
			case 1:
				p.Type = renkei.PartnerGroup
			case 2:
				p.Type, p.Company.Country, p.Company.CorporateNumber = renkei.PartnerOverseas, "VN", ""
			}
			if i%5 == 0 {
				p.Profile.ReachesInternalNetwork = true
				p.Profile.NetworkAccess = []string{"remote_maintenance", "site_to_site"}
				p.Profile.Provides = []string{"it_operations", "saas"}
				p.Profile.HandlesConfidentialOnOwnIT = true
				p.Profile.PersonalDataCount = 5000
			}
			if i%4 == 0 {
				p.Contacts.Incident = renkei.Contact{Name: "情報システム課", Email: fmt.Sprintf("soc%d@example.jp", i)}
				p.Contacts.IncidentProcedure = "1時間以内に電話とメールで連絡する"
			}
			if i%2 == 0 {
				p.Department = "procurement"
			}
		}))
	}
	return out
}

// signIn signs a fresh browser in as user.
func signIn(t *testing.T, app *testApp, u *renkei.User) *http.Client {
	t.Helper()
	c := app.browser()
	login(t, app, c, u.Email, testPassword)
	return c
}

// toEnglish switches c to English.
func toEnglish(t *testing.T, app *testApp, c *http.Client) {
	t.Helper()
	tok := csrf(t, app, c, "/")
	post(t, app, c, "/lang", url.Values{"lang": {"en"}, "csrf_token": {tok}})
}

// listNames are the names of the list's rows.
func listNames(p *page) []string {
	return p.Doc.Find("table.partner-table tbody th.col-name a").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
}

func countText(p *page) string { return strings.TrimSpace(p.Doc.Find("#result-count").Text()) }

// checkPartnerPage holds a page to the rules every page keeps: no inline
// script or style, a CSRF field in every POST form, every input labelled.
func checkPartnerPage(t *testing.T, path string, p *page) {
	t.Helper()
	if p.Status >= 500 {
		t.Fatalf("%s: %d\n%s", path, p.Status, p.Body)
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
	p.Doc.Find(`form[method="post"]`).Each(func(_ int, f *goquery.Selection) {
		if f.Find(`input[name="csrf_token"]`).Length() != 1 {
			action, _ := f.Attr("action")
			t.Errorf("%s: form %s has no csrf_token", path, action)
		}
	})
	p.Doc.Find("input:not([type=hidden]), select, textarea").Each(func(_ int, in *goquery.Selection) {
		id, _ := in.Attr("id")
		if id == "" || p.Doc.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("%s: input %q without its label", path, id)
		}
	})
	// Every aria-describedby names elements that exist.
	p.Doc.Find("[aria-describedby]").Each(func(_ int, s *goquery.Selection) {
		ids, _ := s.Attr("aria-describedby")
		for _, id := range strings.Fields(ids) {
			if p.Doc.Find(`[id="`+id+`"]`).Length() != 1 {
				t.Errorf("%s: aria-describedby names %q, which is not on the page once", path, id)
			}
		}
	})
	// Ids are unique.
	seen := map[string]bool{}
	p.Doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if seen[id] {
			t.Errorf("%s: id %q twice", path, id)
		}
		seen[id] = true
	})
}

// ---- the list ----

func TestPartnerListFiltersAndCounts(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社一覧", renkei.RoleSecurity)
		ps := seedPartners(t, app, tn.Org.ID, 12)
		other := app.newTenant("株式会社よそ", renkei.RoleAdmin)
		seedPartner(t, app, other.Org.ID, "株式会社よその取引先", nil)
		c := signIn(t, app, tn.User)

		p := get(t, app, c, "/partners")
		checkPartnerPage(t, "/partners", p)
		if p.Status != 200 || h1(p) != i18n.T("ja", "nav.partners") {
			t.Fatalf("list: %d %q", p.Status, h1(p))
		}
		if got := countText(p); !strings.HasPrefix(got, i18n.T("ja", "partners_web.list.count", "12")) {
			t.Fatalf("count %q", got)
		}
		if names := listNames(p); len(names) != 12 || strings.Contains(strings.Join(names, ","), "よその") {
			t.Fatalf("rows %v", names)
		}
		// The default sort is the highest risk first; star 4 shows as ★4.
		first := p.Doc.Find("table.partner-table tbody tr").First()
		if lvl := strings.TrimSpace(first.Find("td.level").Text()); lvl != "★4" {
			t.Fatalf("first row's level %q", lvl)
		}
		if tier := first.Find("td .tier").Text(); tier != i18n.T("ja", "partners_web.tier.high") {
			t.Fatalf("first row's tier %q", tier)
		}

		want := func(query string, n int) *page {
			t.Helper()
			p := get(t, app, c, "/partners?"+query)
			if p.Status != 200 {
				t.Fatalf("%s: %d", query, p.Status)
			}
			if got := countText(p); !strings.HasPrefix(got, i18n.T("ja", "partners_web.list.count", strconv.Itoa(n))) {
				t.Fatalf("%s: count %q, want %d", query, got, n)
			}
			if rows := len(listNames(p)); rows != n {
				t.Fatalf("%s: %d rows, want %d", query, rows, n)
			}
			return p
		}
		over := want("type=overseas", 4)
		over.Doc.Find("table.partner-table tbody tr").Each(func(_ int, s *goquery.Selection) {
			if typ := strings.TrimSpace(s.Find("td").Eq(1).Text()); typ != renkei.Terms(renkei.ListPartnerType)[2].JA {
				t.Errorf("type=overseas shows %q", typ)
			}
		})
		// The filter's select keeps the choice.
		if v, _ := over.Doc.Find(`#f-type option[selected]`).Attr("value"); v != "overseas" {
			t.Fatalf("type select shows %q", v)
		}
		want("required_level=star4", 3)
		want("tier=high", 3)
		want("type=group&required_level=star3", 3)
		want("missing_incident_contact=1", 9)
		want("department=procurement", 6)
		want("industry=f", 2)
		want("q="+url.QueryEscape("山田"), 1)
		want("q="+url.QueryEscape(ps[2].ExternalID), 1)
		want("q=nothing-like-this", 0)
		// Unknown values are dropped, not an error; so are control
		// characters in the search.
		want("type=bogus&tier=extreme", 12)
		want("q="+url.QueryEscape("山田\x00\u202e"), 1)
		want("q="+url.QueryEscape(strings.Repeat("長", 300)), 0)

		// Missing agreement: one partner has confidentiality agreed.
		ag := &renkei.Agreement{OrgID: tn.Org.ID, PartnerID: ps[1].ID, Requirement: "confidentiality"}
		if err := app.DB.CreateAgreement(storetest.System(), ag); err != nil {
			t.Fatal(err)
		}
		miss := want("missing_agreement=confidentiality", 11)
		if strings.Contains(strings.Join(listNames(miss), ","), ps[1].Company.Name) {
			t.Fatal("the partner with the agreement is listed as missing it")
		}

		// Sorting by name.
		byName := get(t, app, c, "/partners?sort=name")
		names := listNames(byName)
		if len(names) != 12 || names[0] == listNames(p)[0] && names[11] == listNames(p)[11] {
			t.Logf("name order %v", names)
		}

		// htmx asks for the results only, with the count out of band.
		frag := get(t, app, c, "/partners?q=&type=overseas&tier=&sort=-risk", "HX-Request", "true", "HX-Target", "results")
		if frag.Doc.Find("html head title").Length() != 0 || frag.Doc.Find("nav.primary-nav").Length() != 0 {
			t.Fatal("htmx got the whole page")
		}
		if frag.Doc.Find(`#result-count[hx-swap-oob="true"]`).Length() != 1 || len(listNames(frag)) != 4 {
			t.Fatalf("fragment: %s", frag.Body)
		}
		if push := frag.Header.Get("HX-Push-Url"); push != "/partners?type=overseas" {
			t.Fatalf("HX-Push-Url %q", push)
		}
		if !strings.Contains(frag.Header.Get("Vary"), "HX-Request") {
			t.Fatalf("Vary %q", frag.Header.Get("Vary"))
		}
		// A history restore gets the whole page.
		hist := get(t, app, c, "/partners?type=overseas", "HX-Request", "true", "HX-Target", "results", "HX-History-Restore-Request", "true")
		if hist.Doc.Find("nav.primary-nav").Length() != 1 {
			t.Fatal("history restore got a fragment")
		}
		// Writers see the new button, the bulk form and the export links
		// carrying the filter.
		if over.Doc.Find(`a[href="/partners/new"]`).Length() == 0 || over.Doc.Find(`form#bulk input[name="id"]`).Length() != 4 {
			t.Fatal("writer's list has no new button or row checkboxes")
		}
		href, _ := over.Doc.Find(`.export-links a`).First().Attr("href")
		if !strings.HasPrefix(href, "/api/v1/partners/export?") || !strings.Contains(href, "type=overseas") || !strings.Contains(href, "format=xlsx") {
			t.Fatalf("export link %q", href)
		}
	})
}

func TestPartnerListPaging(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社ページ", renkei.RoleViewer)
		for i := 0; i < 55; i++ {
			seedPartner(t, app, tn.Org.ID, fmt.Sprintf("株式会社ページ送り%02d", i), nil)
		}
		c := signIn(t, app, tn.User)
		p := get(t, app, c, "/partners?sort=name")
		if n := len(listNames(p)); n != 50 {
			t.Fatalf("first page: %d rows", n)
		}
		if got := countText(p); !strings.Contains(got, i18n.T("ja", "partners_web.list.showing", 1, 50)) {
			t.Fatalf("count %q", got)
		}
		next, ok := p.Doc.Find(`nav.pager a`).Last().Attr("href")
		if !ok || !strings.Contains(next, "cursor=") || !strings.Contains(next, "sort=name") {
			t.Fatalf("next link %q", next)
		}
		p2 := get(t, app, c, next)
		names := listNames(p2)
		if len(names) != 5 || names[0] != "株式会社ページ送り50" {
			t.Fatalf("second page %v", names)
		}
		if got := countText(p2); !strings.Contains(got, i18n.T("ja", "partners_web.list.showing", 51, 55)) || !strings.Contains(got, "55") {
			t.Fatalf("count %q", got)
		}
		// A broken cursor from an old bookmark opens the first page.
		if p := get(t, app, c, "/partners?cursor=garbage&sort=name"); p.Status != 200 || len(listNames(p)) != 50 {
			t.Fatalf("bad cursor: %d", p.Status)
		}
		// The viewer sees no write controls.
		if p.Doc.Find(`form#bulk, a[href="/partners/new"], a[href="/partners/import"]`).Length() != 0 {
			t.Fatal("viewer sees write controls")
		}
	})
}

// ---- the partner page ----

func TestPartnerPageReasonsInBothLanguages(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社理由", renkei.RoleViewer)
		p := seedPartner(t, app, tn.Org.ID, "株式会社ネットワーク保守", func(p *renkei.Partner) {
			p.Profile.ReachesInternalNetwork = true
			p.Profile.NetworkAccess = []string{"remote_maintenance"}
			p.Profile.PersonalDataCount = 3000
		})
		c := signIn(t, app, tn.User)
		pg := get(t, app, c, "/partners/"+p.ID)
		checkPartnerPage(t, "/partners/{id}", pg)
		if pg.Status != 200 || h1(pg) != "株式会社ネットワーク保守" {
			t.Fatalf("%d %q", pg.Status, h1(pg))
		}
		reasons := pg.Doc.Find("#risk-reasons li .reason-text").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		if len(reasons) != len(p.Risk.Reasons) || len(reasons) < 3 {
			t.Fatalf("reasons %v, want %d", reasons, len(p.Risk.Reasons))
		}
		for i, r := range p.Risk.Reasons {
			if reasons[i] != r.JA {
				t.Errorf("reason %d: %q, want %q", i, reasons[i], r.JA)
			}
		}
		if lvl := pg.Doc.Find("#required-level").Text(); lvl != "★4" {
			t.Fatalf("level %q", lvl)
		}
		if why := pg.Doc.Find("#required-reason").Text(); why != p.RequiredReason.JA || !strings.Contains(why, "社内ネットワークに到達できる") {
			t.Fatalf("level reason %q", why)
		}
		if score := pg.Doc.Find("#risk-score").Text(); score != strconv.Itoa(p.Risk.Score) {
			t.Fatalf("score %q, want %d", score, p.Risk.Score)
		}
		// No incident contact: the page says so plainly.
		if pg.Doc.Find("#incident-warning").Length() != 1 {
			t.Fatal("no warning about the missing incident contact")
		}
		// A viewer gets no forms but the header's.
		if n := pg.Doc.Find("main form").Length(); n != 0 {
			t.Fatalf("viewer sees %d forms on the partner page", n)
		}
		// History: one entry, in Tokyo time.
		if rows := pg.Doc.Find("#history tbody tr"); rows.Length() != 1 {
			t.Fatalf("history rows %d", rows.Length())
		} else if at := strings.TrimSpace(rows.First().Find("td").First().Text()); at != p.CreatedAt.In(renkei.Tokyo).Format("2006-01-02 15:04") {
			t.Fatalf("history time %q", at)
		}

		toEnglish(t, app, c)
		en := get(t, app, c, "/partners/"+p.ID)
		enReasons := en.Doc.Find("#risk-reasons li .reason-text").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		for i, r := range p.Risk.Reasons {
			if i >= len(enReasons) || enReasons[i] != r.EN {
				t.Fatalf("English reasons %v", enReasons)
			}
		}
		if why := en.Doc.Find("#required-reason").Text(); why != p.RequiredReason.EN {
			t.Fatalf("English level reason %q", why)
		}
		if h := en.Doc.Find("#risk-h").Text(); h != "Risk and required level" {
			t.Fatalf("English heading %q", h)
		}
	})
}

// ---- the form ----

// partnerForm is a complete, valid form for a new partner.
func partnerForm(tok, name string) url.Values {
	return url.Values{
		"csrf_token": {tok}, "company.name": {name}, "company.country": {"JP"}, "type": {"supplier"},
		"company.industry": {"d"}, "company.employees": {"1,200"}, "department": {"procurement"},
		"profile.provides":                       {"direct_materials", "logistics"},
		"profile.handles_confidential_on_own_it": {"no"}, "profile.outage_unacceptable": {"no"}, "profile.reaches_internal_network": {"no"},
		"contacts.incident.email": {"soc@example.jp"}, "contacts.incident_procedure": {"電話で1時間以内"},
	}
}

func TestPartnerFormCorporateNumberError(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社フォーム", renkei.RoleProcurement)
		c := signIn(t, app, tn.User)
		p := get(t, app, c, "/partners/new")
		checkPartnerPage(t, "/partners/new", p)
		// The three METI questions are explicit yes/no, in fieldsets with
		// legends, none answered yet.
		for _, q := range []string{"handles_confidential_on_own_it", "outage_unacceptable", "reaches_internal_network"} {
			fs := p.Doc.Find(`fieldset#profile-` + q)
			if fs.Find("legend").Length() != 1 || fs.Find(`input[type="radio"]`).Length() != 2 || fs.Find(`input[checked]`).Length() != 0 {
				t.Fatalf("METI question %s: %d radios", q, fs.Find(`input[type="radio"]`).Length())
			}
		}
		tok := csrf(t, app, c, "/partners/new")
		form := partnerForm(tok, "株式会社番号違い")
		form.Set("company.corporate_number", "1000012050002")
		res := post(t, app, c, "/partners/new", form)
		checkPartnerPage(t, "POST /partners/new", res)
		if res.Status != http.StatusBadRequest {
			t.Fatalf("status %d", res.Status)
		}
		msg := strings.TrimSpace(res.Doc.Find("#company-corporate_number-error").Text())
		if msg != i18n.T("ja", "field.corporate_number") {
			t.Fatalf("field message %q", msg)
		}
		in := res.Doc.Find("input#company-corporate_number")
		if v, _ := in.Attr("aria-invalid"); v != "true" {
			t.Fatal("the field is not marked invalid")
		}
		if d, _ := in.Attr("aria-describedby"); !strings.Contains(d, "company-corporate_number-error") {
			t.Fatalf("aria-describedby %q", d)
		}
		if href, _ := res.Doc.Find(".error-summary a").First().Attr("href"); href != "#company-corporate_number" {
			t.Fatalf("summary link %q", href)
		}
		// What was typed is kept.
		if v, _ := res.Doc.Find("input#company-name").Attr("value"); v != "株式会社番号違い" {
			t.Fatalf("name not kept: %q", v)
		}
		if res.Doc.Find(`input#profile-provides-logistics[checked]`).Length() != 1 || res.Doc.Find(`input#profile-reaches_internal_network-no[checked]`).Length() != 1 {
			t.Fatal("choices not kept")
		}
		if n, _ := app.DB.CountPartners(storetest.System(), tn.Org.ID, renkei.PartnerFilter{}); n != 0 {
			t.Fatalf("%d partners created", n)
		}

		// Inline validation answers the field's message, or nothing.
		v := post(t, app, c, "/partners/validate?field=company.corporate_number", form, "HX-Request", "true")
		if v.Status != 200 || strings.TrimSpace(v.Doc.Text()) != i18n.T("ja", "field.corporate_number") {
			t.Fatalf("inline: %d %q", v.Status, v.Body)
		}
		form.Set("company.corporate_number", "7000012050002")
		if v := post(t, app, c, "/partners/validate?field=company.corporate_number", form, "HX-Request", "true"); strings.TrimSpace(v.Body) != "" {
			t.Fatalf("inline on a valid number: %q", v.Body)
		}
		if v := post(t, app, c, "/partners/validate?field=nope", form, "HX-Request", "true"); v.Status != http.StatusBadRequest {
			t.Fatalf("unknown field: %d", v.Status)
		}

		// In English too, and a METI question left unanswered is named.
		toEnglish(t, app, c)
		form.Set("company.corporate_number", "1234567890123")
		form.Del("profile.outage_unacceptable")
		res = post(t, app, c, "/partners/new", form)
		if msg := strings.TrimSpace(res.Doc.Find("#company-corporate_number-error").Text()); msg != i18n.T("en", "field.corporate_number") {
			t.Fatalf("English message %q", msg)
		}
		if msg := strings.TrimSpace(res.Doc.Find("#profile-outage_unacceptable-error").Text()); msg != i18n.T("en", "partners_web.meti.required") {
			t.Fatalf("METI unanswered: %q", msg)
		}
		// Numbers that are not: named too.
		form.Set("company.corporate_number", "")
		form.Set("profile.outage_unacceptable", "no")
		form.Set("company.employees", "many")
		form.Set("contacts.incident.email", "not-an-address")
		res = post(t, app, c, "/partners/new", form)
		if res.Doc.Find("#company-employees-error").Text() == "" || res.Doc.Find("#contacts-incident-email-error").Text() != i18n.T("en", "field.email") {
			t.Fatalf("errors: %s", res.Doc.Find(".error-summary").Text())
		}

		// A valid form creates the partner and shows it.
		form.Set("company.employees", "1,200")
		form.Set("contacts.incident.email", "soc@example.jp")
		form.Set("company.corporate_number", "7000012050002")
		res = post(t, app, c, "/partners/new", form)
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/partners/") {
			t.Fatalf("create: %d %s", res.Status, text(res))
		}
		pg := get(t, app, c, res.Header.Get("Location"))
		if h1(pg) != "株式会社番号違い" || pg.Doc.Find("#required-level").Text() != "★3" || pg.Doc.Find("#incident-warning").Length() != 0 {
			t.Fatalf("created page: %q %q", h1(pg), pg.Doc.Find("#required-level").Text())
		}
		if !strings.Contains(pg.Doc.Find("#flash").Text(), i18n.T("en", "partners_web.done.created")) {
			t.Fatalf("notice %q", pg.Doc.Find("#flash").Text())
		}
	})
}

func TestPartnerEditReachesInternalNetwork(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社編集", renkei.RoleSecurity)
		p := seedPartner(t, app, tn.Org.ID, "株式会社リモート保守", func(p *renkei.Partner) {
			p.Company.CorporateNumber = "7000012050002"
			p.Profile.Provides = []string{"it_operations"}
			p.Contacts.Security = renkei.Contact{Name: "鈴木", Email: "suzuki@example.jp"}
		})
		if p.Required != renkei.LevelStar3 {
			t.Fatalf("seeded at %s", p.Required)
		}
		c := signIn(t, app, tn.User)
		edit := get(t, app, c, "/partners/"+p.ID+"/edit")
		checkPartnerPage(t, "/partners/{id}/edit", edit)
		// The form holds the partner as stored.
		form := url.Values{}
		edit.Doc.Find("#partner-form input, #partner-form select, #partner-form textarea").Each(func(_ int, s *goquery.Selection) {
			name, _ := s.Attr("name")
			typ, _ := s.Attr("type")
			switch {
			case name == "":
			case goquery.NodeName(s) == "select":
				v, _ := s.Find("option[selected]").Attr("value")
				form.Add(name, v)
			case goquery.NodeName(s) == "textarea":
				form.Add(name, s.Text())
			case typ == "checkbox" || typ == "radio":
				if _, on := s.Attr("checked"); on {
					v, _ := s.Attr("value")
					form.Add(name, v)
				}
			default:
				v, _ := s.Attr("value")
				form.Add(name, v)
			}
		})
		if form.Get("company.corporate_number") != "7000012050002" || form.Get("profile.reaches_internal_network") != "no" ||
			form.Get("contacts.security.email") != "suzuki@example.jp" || form.Get("profile.provides") != "it_operations" {
			t.Fatalf("edit form: %v", form)
		}
		form.Set("profile.reaches_internal_network", "yes")
		res := post(t, app, c, "/partners/"+p.ID+"/edit", form)
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/partners/"+p.ID+"?done=saved" {
			t.Fatalf("save: %d %q %s", res.Status, res.Header.Get("Location"), text(res))
		}
		pg := get(t, app, c, res.Header.Get("Location"))
		if lvl := pg.Doc.Find("#required-level").Text(); lvl != "★4" {
			t.Fatalf("level after the change %q", lvl)
		}
		if why := pg.Doc.Find("#required-reason").Text(); !strings.Contains(why, "社内ネットワークに到達できる") || !strings.HasPrefix(why, "★4") {
			t.Fatalf("reason %q", why)
		}
		if !strings.Contains(pg.Doc.Find("#risk-reasons").Text(), "取引先の環境から自社の社内ネットワークやシステムに到達できる") {
			t.Fatalf("risk reasons %q", pg.Doc.Find("#risk-reasons").Text())
		}
		if rows := pg.Doc.Find("#history tbody tr").Length(); rows != 2 {
			t.Fatalf("history rows %d", rows)
		}
		// The rest is as it was.
		got, _ := app.DB.Partner(storetest.System(), tn.Org.ID, p.ID)
		if got.Company.CorporateNumber != "7000012050002" || got.Contacts.Security.Email != "suzuki@example.jp" || got.Required != renkei.LevelStar4 {
			t.Fatalf("stored %+v", got)
		}
	})
}

// ---- agreements and support ----

func TestPartnerAgreementsAddEditDelete(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社合意", renkei.RoleLegal)
		p := seedPartner(t, app, tn.Org.ID, "株式会社契約先", nil)
		c := signIn(t, app, tn.User)
		base := "/partners/" + p.ID
		tok := csrf(t, app, c, base)
		pg := get(t, app, c, base)
		if pg.Doc.Find(`#agreement-requirement option[value="confidentiality"]`).Length() != 1 || pg.Doc.Find(`#agreement-requirement option[value="sbom"]`).Length() != 1 {
			t.Fatal("the requirement select lacks the catalog")
		}
		// An end before the start is refused, by its field.
		res := post(t, app, c, base+"/agreements", url.Values{"csrf_token": {tok}, "agreement.requirement": {"confidentiality"},
			"agreement.contract": {"取引基本契約書"}, "agreement.valid_from": {"2026-04-01"}, "agreement.valid_until": {"2025-03-31"}})
		checkPartnerPage(t, "POST agreements", res)
		if res.Status != http.StatusBadRequest || res.Doc.Find("#agreement-valid_until-error").Text() != i18n.T("ja", "field.date_order") {
			t.Fatalf("date order: %d %q", res.Status, res.Doc.Find("#agreement-valid_until-error").Text())
		}
		if _, open := res.Doc.Find("details.add-form").First().Attr("open"); !open {
			t.Fatal("the form with the error is closed")
		}
		if res := post(t, app, c, base+"/agreements", url.Values{"csrf_token": {tok}, "agreement.requirement": {"made-up"}}); res.Status != http.StatusBadRequest ||
			res.Doc.Find("#agreement-requirement-error").Text() == "" {
			t.Fatalf("unknown requirement: %d", res.Status)
		}
		// One in force for long, one ending within 90 days.
		soon := time.Now().In(renkei.Tokyo).AddDate(0, 0, 30).Format("2006-01-02")
		for _, f := range []url.Values{
			{"agreement.requirement": {"confidentiality"}, "agreement.contract": {"秘密保持契約"}, "agreement.valid_from": {"2024-04-01"}},
			{"agreement.requirement": {"incident_handling"}, "agreement.contract": {"覚書"}, "agreement.valid_from": {"2024-04-01"}, "agreement.valid_until": {soon}},
		} {
			f.Set("csrf_token", tok)
			wantRedirect(t, post(t, app, c, base+"/agreements", f), base+"?done=agreement_added")
		}
		pg = get(t, app, c, base)
		rows := pg.Doc.Find("#agreements tbody tr")
		if rows.Length() != 2 {
			t.Fatalf("%d agreements shown", rows.Length())
		}
		expiring := pg.Doc.Find("#agreements tr.agreement-expiring")
		if expiring.Length() != 1 || !strings.Contains(expiring.Text(), soon) || !strings.Contains(expiring.Text(), i18n.T("ja", "partners_web.agreement.status.expiring")) {
			t.Fatalf("expiring row: %q", expiring.Text())
		}
		if pg.Doc.Find("#agreements tr.agreement-active").Length() != 1 {
			t.Fatal("no active row")
		}
		list, _ := app.DB.Agreements(storetest.System(), tn.Org.ID, p.ID)
		if len(list) != 2 {
			t.Fatalf("%d stored", len(list))
		}
		// The end date is the last day in force: the store keeps the
		// start of the next day in Tokyo.
		var inc renkei.Agreement
		for _, a := range list {
			if a.Requirement == "incident_handling" {
				inc = a
			}
		}
		if inc.ValidUntil == nil || inc.ValidUntil.In(renkei.Tokyo).Format("2006-01-02 15:04") != time.Now().In(renkei.Tokyo).AddDate(0, 0, 31).Format("2006-01-02")+" 00:00" {
			t.Fatalf("valid_until stored as %v", inc.ValidUntil)
		}
		// Edit: the form opens on the partner page, filled in.
		ed := get(t, app, c, base+"/agreements/"+inc.ID+"/edit")
		checkPartnerPage(t, "edit agreement", ed)
		if v, _ := ed.Doc.Find("#agreement-valid_until").Attr("value"); v != soon {
			t.Fatalf("edit form's end %q", v)
		}
		wantRedirect(t, post(t, app, c, base+"/agreements/"+inc.ID+"/edit", url.Values{"csrf_token": {tok}, "agreement.requirement": {"incident_handling"},
			"agreement.contract": {"覚書（改定）"}, "agreement.valid_from": {"2024-04-01"}}), base+"?done=agreement_saved")
		if !strings.Contains(get(t, app, c, base).Doc.Find("#agreements").Text(), "覚書（改定）") {
			t.Fatal("edit not shown")
		}
		// Delete.
		wantRedirect(t, post(t, app, c, base+"/agreements/"+inc.ID+"/delete", url.Values{"csrf_token": {tok}}), base+"?done=agreement_deleted")
		if n := get(t, app, c, base).Doc.Find("#agreements tbody tr").Length(); n != 1 {
			t.Fatalf("%d agreements after delete", n)
		}
		if res := post(t, app, c, base+"/agreements/"+inc.ID+"/delete", url.Values{"csrf_token": {tok}}); res.Status != http.StatusNotFound {
			t.Fatalf("delete twice: %d", res.Status)
		}

		// Support records.
		res = post(t, app, c, base+"/support", url.Values{"csrf_token": {tok}, "support.kind": {"education"}, "support.date": {"2026-02-03"},
			"support.description": {"標的型メール訓練を実施"}, "support.amount_yen": {"50,000"}})
		wantRedirect(t, res, base+"?done=support_added")
		pg = get(t, app, c, base)
		if txt := pg.Doc.Find("#support tbody").Text(); !strings.Contains(txt, "標的型メール訓練を実施") || !strings.Contains(txt, "50,000") || !strings.Contains(txt, "2026-02-03") {
			t.Fatalf("support row %q", txt)
		}
		if res := post(t, app, c, base+"/support", url.Values{"csrf_token": {tok}, "support.kind": {"bogus"}, "support.date": {"yesterday"}}); res.Status != http.StatusBadRequest ||
			res.Doc.Find("#support-date-error").Text() == "" || res.Doc.Find("#support-kind-error").Text() == "" {
			t.Fatalf("bad support: %d", res.Status)
		}
	})
}

// ---- permissions, CSRF, tenants ----

// writeRoutes are the partner pages' POST routes, with {id} and {aid}.
var writeRoutes = []string{
	"/partners/new", "/partners/validate?field=company.name", "/partners/import", "/partners/bulk",
	"/partners/{id}/edit", "/partners/{id}/archive", "/partners/{id}/agreements", "/partners/{id}/agreements/{aid}/edit",
	"/partners/{id}/agreements/{aid}/delete", "/partners/{id}/agreements/{aid}/document", "/partners/{id}/agreements/{aid}/document/delete",
	"/partners/{id}/support",
}

func routeFor(route string, p *renkei.Partner, aid string) string {
	return strings.NewReplacer("{id}", p.ID, "{aid}", aid).Replace(route)
}

func seedAgreement(t *testing.T, app *testApp, p *renkei.Partner) *renkei.Agreement {
	t.Helper()
	ag := &renkei.Agreement{OrgID: p.OrgID, PartnerID: p.ID, Requirement: "confidentiality", Contract: "NDA"}
	if err := app.DB.CreateAgreement(storetest.System(), ag); err != nil {
		t.Fatal(err)
	}
	return ag
}

func TestPartnerPagesViewerReadOnly(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社閲覧専用", renkei.RoleAdmin)
		p := seedPartner(t, app, tn.Org.ID, "株式会社見るだけ", nil)
		ag := seedAgreement(t, app, p)
		viewer := app.addUser(tn, renkei.RoleViewer)
		c := signIn(t, app, viewer)
		for _, path := range []string{"/partners", "/partners/" + p.ID, "/partners/coverage", "/settings/risk"} {
			pg := get(t, app, c, path)
			checkPartnerPage(t, path, pg)
			if pg.Status != 200 {
				t.Fatalf("%s: %d", path, pg.Status)
			}
			if n := pg.Doc.Find(`main form[method="post"]`).Length(); n != 0 {
				t.Errorf("%s: the viewer sees %d write forms", path, n)
			}
			if pg.Doc.Find(`a[href$="/edit"], a[href="/partners/new"]`).Length() != 0 {
				t.Errorf("%s: the viewer sees edit links", path)
			}
		}
		for _, path := range []string{"/partners/new", "/partners/" + p.ID + "/edit", "/partners/import", "/partners/" + p.ID + "/agreements/" + ag.ID + "/edit"} {
			if pg := get(t, app, c, path); pg.Status != http.StatusForbidden {
				t.Errorf("viewer GET %s: %d", path, pg.Status)
			}
		}
		tok := csrf(t, app, c, "/partners")
		for _, route := range append(writeRoutes, "/settings/risk") {
			form := partnerForm(tok, "株式会社改ざん")
			form.Set("id", p.ID)
			form.Set("action", "archive")
			form.Set("confirm", "1")
			form.Set("archived", "1")
			if pg := post(t, app, c, routeFor(route, p, ag.ID), form); pg.Status != http.StatusForbidden {
				t.Errorf("viewer POST %s: %d", route, pg.Status)
			}
		}
		got, _ := app.DB.Partner(storetest.System(), tn.Org.ID, p.ID)
		if got.Company.Name != "株式会社見るだけ" || got.ArchivedAt != nil {
			t.Fatal("the viewer changed the partner")
		}
		if n, _ := app.DB.CountPartners(storetest.System(), tn.Org.ID, renkei.PartnerFilter{}); n != 1 {
			t.Fatalf("%d partners", n)
		}
		if list, _ := app.DB.Agreements(storetest.System(), tn.Org.ID, p.ID); len(list) != 1 {
			t.Fatal("the viewer changed the agreements")
		}
	})
}

func TestPartnerPagesNeedCSRF(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社トークン", renkei.RoleAdmin)
		p := seedPartner(t, app, tn.Org.ID, "株式会社守られる", nil)
		ag := seedAgreement(t, app, p)
		c := signIn(t, app, tn.User)
		for _, route := range append(writeRoutes, "/settings/risk") {
			form := partnerForm("", "株式会社改ざん")
			form.Del("csrf_token")
			form.Set("id", p.ID)
			form.Set("action", "archive")
			form.Set("confirm", "1")
			form.Set("archived", "1")
			pg := post(t, app, c, routeFor(route, p, ag.ID), form)
			if pg.Status != http.StatusForbidden {
				t.Errorf("POST %s without the CSRF token: %d", route, pg.Status)
			}
			form.Set("csrf_token", "wrong")
			if pg := post(t, app, c, routeFor(route, p, ag.ID), form); pg.Status != http.StatusForbidden {
				t.Errorf("POST %s with a wrong CSRF token: %d", route, pg.Status)
			}
		}
		got, _ := app.DB.Partner(storetest.System(), tn.Org.ID, p.ID)
		if got.Company.Name != "株式会社守られる" || got.ArchivedAt != nil {
			t.Fatal("a POST without the token changed the partner")
		}
	})
}

func TestPartnerPagesOtherTenant(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		mine := app.newTenant("株式会社自社", renkei.RoleAdmin)
		theirs := app.newTenant("株式会社他社", renkei.RoleAdmin)
		p := seedPartner(t, app, theirs.Org.ID, "株式会社他社の取引先", nil)
		ag := seedAgreement(t, app, p)
		c := signIn(t, app, mine.User)
		for _, path := range []string{"/partners/" + p.ID, "/partners/" + p.ID + "/edit", "/partners/" + p.ID + "/agreements/" + ag.ID + "/edit",
			"/partners/" + p.ID + "/agreements/" + ag.ID + "/document", "/partners/not-a-uuid", "/partners/" + strings.Repeat("0", 8) + "-0000-7000-8000-000000000000"} {
			pg := get(t, app, c, path)
			if pg.Status != http.StatusNotFound || h1(pg) != i18n.T("ja", "page.error.not_found") {
				t.Errorf("GET %s: %d %q", path, pg.Status, h1(pg))
			}
			if strings.Contains(pg.Body, "株式会社他社の取引先") {
				t.Errorf("GET %s shows the other tenant's partner", path)
			}
		}
		tok := csrf(t, app, c, "/partners")
		for _, route := range writeRoutes {
			if !strings.Contains(route, "{id}") && route != "/partners/bulk" {
				continue
			}
			form := partnerForm(tok, "株式会社乗っ取り")
			form.Set("id", p.ID)
			form.Set("action", "archive")
			form.Set("confirm", "1")
			form.Set("archived", "1")
			form.Set("agreement.requirement", "confidentiality")
			form.Set("support.kind", "education")
			form.Set("support.date", "2026-01-01")
			if pg := post(t, app, c, routeFor(route, p, ag.ID), form); pg.Status != http.StatusNotFound {
				t.Errorf("POST %s on another tenant's partner: %d", route, pg.Status)
			}
		}
		got, _ := app.DB.Partner(storetest.System(), theirs.Org.ID, p.ID)
		if got.Company.Name != "株式会社他社の取引先" || got.ArchivedAt != nil {
			t.Fatal("another tenant changed the partner")
		}
		if list, _ := app.DB.Agreements(storetest.System(), theirs.Org.ID, p.ID); len(list) != 1 {
			t.Fatal("another tenant changed the agreements")
		}
		if recs, _ := app.DB.SupportRecords(storetest.System(), theirs.Org.ID, p.ID); len(recs) != 0 {
			t.Fatal("another tenant added support")
		}
	})
}

// ---- bulk actions ----

func TestPartnerBulkActions(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社一括", renkei.RoleBusiness)
		ps := seedPartners(t, app, tn.Org.ID, 5)
		c := signIn(t, app, tn.User)
		tok := csrf(t, app, c, "/partners")
		back := "/partners?type=supplier"
		// First the confirmation, with the count and the names.
		res := post(t, app, c, "/partners/bulk", url.Values{"csrf_token": {tok}, "action": {"archive"}, "id": {ps[0].ID, ps[3].ID}, "back": {back}})
		checkPartnerPage(t, "bulk confirm", res)
		if res.Status != 200 || !strings.Contains(res.Doc.Find("#confirm-h").Text(), i18n.T("ja", "partners_web.bulk.confirm_archive", 2)) {
			t.Fatalf("confirm: %d %q", res.Status, res.Doc.Find("#confirm-h").Text())
		}
		if txt := res.Doc.Find(".bulk-list").Text(); !strings.Contains(txt, ps[0].Company.Name) || !strings.Contains(txt, ps[3].Company.Name) {
			t.Fatalf("names: %q", txt)
		}
		if n, _ := app.DB.CountPartners(storetest.System(), tn.Org.ID, renkei.PartnerFilter{Archived: true}); n != 0 {
			t.Fatal("archived before the confirmation")
		}
		res = post(t, app, c, "/partners/bulk", url.Values{"csrf_token": {tok}, "action": {"archive"}, "id": {ps[0].ID, ps[3].ID}, "back": {back}, "confirm": {"1"}})
		wantRedirect(t, res, "/partners?")
		if loc := res.Header.Get("Location"); !strings.Contains(loc, "type=supplier") || !strings.Contains(loc, "done=archived") {
			t.Fatalf("back to %q", loc)
		}
		archived := get(t, app, c, "/partners?archived=1")
		if names := listNames(archived); len(names) != 2 {
			t.Fatalf("archived list %v", names)
		}
		if !strings.Contains(get(t, app, c, res.Header.Get("Location")).Doc.Find("#flash").Text(), i18n.T("ja", "partners_web.done.archived")) {
			t.Fatal("no notice")
		}
		// Set the department.
		res = post(t, app, c, "/partners/bulk", url.Values{"csrf_token": {tok}, "action": {"set_department"}, "department": {"legal"}, "id": {ps[1].ID, ps[2].ID}})
		if !strings.Contains(res.Doc.Find("#confirm-h").Text(), i18n.T("ja", "partners_web.bulk.confirm_department", 2, "法務部門")) {
			t.Fatalf("department confirm %q", res.Doc.Find("#confirm-h").Text())
		}
		wantRedirect(t, post(t, app, c, "/partners/bulk", url.Values{"csrf_token": {tok}, "action": {"set_department"}, "department": {"legal"}, "id": {ps[1].ID, ps[2].ID}, "confirm": {"1"}}), "/partners?done=department_set")
		if n := len(listNames(get(t, app, c, "/partners?department=legal"))); n != 2 {
			t.Fatalf("%d partners in legal", n)
		}
		// Nothing selected, or a foreign back address.
		if res := post(t, app, c, "/partners/bulk", url.Values{"csrf_token": {tok}, "action": {"archive"}}); res.Status != http.StatusBadRequest ||
			!strings.Contains(text(res), i18n.T("ja", "partners_web.bulk.none_selected")) {
			t.Fatalf("none selected: %d %s", res.Status, text(res))
		}
		res = post(t, app, c, "/partners/bulk", url.Values{"csrf_token": {tok}, "action": {"unarchive"}, "id": {ps[0].ID}, "back": {"https://evil.example/"}, "confirm": {"1"}})
		wantRedirect(t, res, "/partners?done=unarchived")
	})
}

// ---- coverage ----

func TestPartnerCoverage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社網羅", renkei.RoleViewer)
		ps := seedPartners(t, app, tn.Org.ID, 6) // suppliers 0 and 3, groups 1 and 4, overseas 2 and 5
		seedAgreement(t, app, ps[0])
		until := time.Now().AddDate(0, 0, 20)
		if err := app.DB.CreateAgreement(storetest.System(), &renkei.Agreement{OrgID: tn.Org.ID, PartnerID: ps[1].ID, Requirement: "sbom", Contract: "SBOM覚書", ValidUntil: &until}); err != nil {
			t.Fatal(err)
		}
		c := signIn(t, app, tn.User)
		pg := get(t, app, c, "/partners/coverage")
		checkPartnerPage(t, "/partners/coverage", pg)
		if pg.Status != 200 || h1(pg) != i18n.T("ja", "partners_web.coverage.title") {
			t.Fatalf("%d %q", pg.Status, h1(pg))
		}
		row := pg.Doc.Find("table.coverage tbody tr").First()
		if kind := strings.TrimSpace(row.Find("th").Text()); kind != "秘密保持" {
			t.Fatalf("first row %q", kind)
		}
		if pct := row.Find("td .pct").First().Text(); pct != "50.0%" {
			t.Fatalf("suppliers with confidentiality: %q", pct)
		}
		if row.Find("td .bar-fill.bar-w-50").Length() != 1 {
			t.Fatal("no 50% bar")
		}
		if exp := pg.Doc.Find("#expiring tbody"); !strings.Contains(exp.Text(), ps[1].Company.Name) || !strings.Contains(exp.Text(), "SBOM覚書") {
			t.Fatalf("expiring: %q", exp.Text())
		}
		link, _ := pg.Doc.Find("#no-incident-link").Attr("href")
		if link != "/partners?missing_incident_contact=1" {
			t.Fatalf("no-incident link %q", link)
		}
		if !strings.Contains(pg.Doc.Find(".warning-text").Text(), "4") {
			t.Fatalf("no-incident count %q", pg.Doc.Find(".warning-text").Text())
		}
		if n := len(listNames(get(t, app, c, link))); n != 4 {
			t.Fatalf("the link lists %d", n)
		}
	})
}

// ---- import ----

// upload posts a file to the import page.
func upload(t *testing.T, app *testApp, c *http.Client, tok, name, content, step, mode string, header ...string) *page {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf_token", tok)
	_ = mw.WriteField("mode", mode)
	_ = mw.WriteField("step", step)
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = io.WriteString(fw, content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", app.Server.URL+"/partners/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	return readPage(t, res, err)
}

func TestPartnerImportPreviewThenConfirm(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社取り込み", renkei.RoleProcurement)
		c := signIn(t, app, tn.User)
		pg := get(t, app, c, "/partners/import")
		checkPartnerPage(t, "/partners/import", pg)
		tok := csrf(t, app, c, "/partners/import")
		count := func() int {
			n, err := app.DB.CountPartners(storetest.System(), tn.Org.ID, renkei.PartnerFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		bad := "企業名,法人番号,種別,業種\n株式会社取込一号,7000012050002,仕入先,製造業\n株式会社取込二号,1234567890123,仕入先,製造業\n株式会社取込三号,,海外拠点,宇宙業\n"
		res := upload(t, app, c, tok, "partners.csv", bad, "preview", "all_or_nothing")
		checkPartnerPage(t, "import preview", res)
		if res.Status != 200 {
			t.Fatalf("preview: %d %s", res.Status, text(res))
		}
		errs := res.Doc.Find("table.import-errors tbody tr")
		if errs.Length() != 2 {
			t.Fatalf("%d errors: %s", errs.Length(), text(res))
		}
		cells := func(i int) []string {
			return errs.Eq(i).Find("td").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
		}
		if e := cells(0); e[0] != "3" || e[1] != "法人番号" || !strings.Contains(e[2], "1234567890123") {
			t.Fatalf("first error %v", e)
		}
		if e := cells(1); e[0] != "4" || e[1] != "業種" || !strings.Contains(e[2], "宇宙業") {
			t.Fatalf("second error %v", e)
		}
		if got := res.Doc.Find(".result-counts").Text(); got != i18n.T("ja", "partners_web.import.would", 1, 0) {
			t.Fatalf("counts %q", got)
		}
		if count() != 0 {
			t.Fatal("the preview created partners")
		}
		if res.Doc.Find(`button[form="import-form"][name="step"][value="confirm"]`).Length() != 1 {
			t.Fatal("no confirm button")
		}
		// Confirmed in all-or-nothing mode: refused, nothing created.
		res = upload(t, app, c, tok, "partners.csv", bad, "confirm", "all_or_nothing")
		if count() != 0 || res.Doc.Find("#result-h").Text() != i18n.T("ja", "partners_web.import.refused_title") {
			t.Fatalf("all or nothing with errors: %d partners, %q", count(), res.Doc.Find("#result-h").Text())
		}
		// Skip invalid: the good row only.
		res = upload(t, app, c, tok, "partners.csv", bad, "confirm", "skip_invalid")
		if count() != 1 || res.Doc.Find(".result-counts").Text() != i18n.T("ja", "partners_web.import.done", 1, 0) {
			t.Fatalf("skip invalid: %d partners, %q", count(), res.Doc.Find(".result-counts").Text())
		}
		// The fixed file: preview says 2 new, 1 unchanged; then import.
		good := "企業名,法人番号,種別,業種\n株式会社取込一号,7000012050002,仕入先,製造業\n株式会社取込二号,2021001052596,仕入先,製造業\n株式会社取込三号,,海外拠点,情報通信業\n"
		res = upload(t, app, c, tok, "partners.csv", good, "preview", "all_or_nothing", "HX-Request", "true", "HX-Target", "import-result")
		if res.Doc.Find("nav.primary-nav").Length() != 0 || res.Doc.Find("table.import-errors").Length() != 0 {
			t.Fatalf("htmx preview: %s", res.Body)
		}
		if got := res.Doc.Find(".result-counts").Text(); got != i18n.T("ja", "partners_web.import.would", 2, 0) {
			t.Fatalf("counts %q", got)
		}
		if res.Doc.Find(".confirm-step .hint").Length() != 0 {
			t.Fatal("htmx preview asks to choose the file again")
		}
		if count() != 1 {
			t.Fatal("the preview created partners")
		}
		res = upload(t, app, c, tok, "partners.csv", good, "confirm", "all_or_nothing")
		if count() != 3 || res.Doc.Find(".result-counts").Text() != i18n.T("ja", "partners_web.import.done", 2, 0) {
			t.Fatalf("import: %d partners, %q", count(), res.Doc.Find(".result-counts").Text())
		}
		// Problems with the file as a whole, and no file.
		if res := upload(t, app, c, tok, "empty.csv", "", "preview", "all_or_nothing"); res.Status != http.StatusBadRequest || res.Doc.Find(".error-summary").Length() != 1 {
			t.Fatalf("empty file: %d", res.Status)
		}
		if res := upload(t, app, c, tok, "", "", "preview", "all_or_nothing"); res.Status != http.StatusBadRequest ||
			!strings.Contains(res.Doc.Find(".error-summary").Text(), i18n.T("ja", "partners_web.import.no_file")) {
			t.Fatalf("no file: %d", res.Status)
		}
	})
}

// ---- risk policy ----

func TestRiskPolicyPage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社方針", renkei.RoleAdmin)
		p := seedPartner(t, app, tn.Org.ID, "株式会社保守", func(p *renkei.Partner) { p.Profile.Provides = []string{"it_operations"} })
		if p.Risk.Score != 10 {
			t.Fatalf("seeded score %d", p.Risk.Score)
		}
		c := signIn(t, app, tn.User)
		pg := get(t, app, c, "/settings/risk")
		checkPartnerPage(t, "/settings/risk", pg)
		if v, _ := pg.Doc.Find("#weights-it_operations").Attr("value"); v != "10" {
			t.Fatalf("it_operations weight %q", v)
		}
		if lbl := pg.Doc.Find(`label[for="weights-it_operations"]`).Text(); lbl != "自社のITの運用・保守を担っている" {
			t.Fatalf("label %q", lbl)
		}
		if !strings.Contains(text(pg), i18n.T("ja", "partners_web.risk.reevaluate")) {
			t.Fatal("the page does not say saving re-evaluates")
		}
		tok := csrf(t, app, c, "/settings/risk")
		form := url.Values{"csrf_token": {tok}, "high_at": {"60"}, "medium_at": {"30"}, "weights.it_operations": {"40"}}
		wantRedirect(t, post(t, app, c, "/settings/risk", form), "/settings/risk?done=risk_saved")
		got, _ := app.DB.Partner(storetest.System(), tn.Org.ID, p.ID)
		if got.Risk.Score != 40 || got.Risk.Tier != renkei.TierMedium {
			t.Fatalf("after the change: %d %s", got.Risk.Score, got.Risk.Tier)
		}
		// Thresholds out of order are named.
		form.Set("medium_at", "70")
		res := post(t, app, c, "/settings/risk", form)
		if res.Status != http.StatusBadRequest || res.Doc.Find("#high_at-error").Text() != i18n.T("ja", "field.thresholds") {
			t.Fatalf("thresholds: %d %q", res.Status, res.Doc.Find("#high_at-error").Text())
		}
		form.Set("medium_at", "30")
		form.Set("weights.saas", "500")
		if res := post(t, app, c, "/settings/risk", form); res.Doc.Find("#weights-saas-error").Text() != i18n.T("ja", "field.weight") {
			t.Fatalf("weight: %q", res.Doc.Find("#weights-saas-error").Text())
		}
		// A department role reads the policy but cannot change it.
		sec := app.addUser(tn, renkei.RoleSecurity)
		sc := signIn(t, app, sec)
		if pg := get(t, app, sc, "/settings/risk"); pg.Status != 200 || pg.Doc.Find(`form[action="/settings/risk"]`).Length() != 0 {
			t.Fatalf("security role: %d", pg.Status)
		}
		stok := csrf(t, app, sc, "/settings/risk")
		form.Set("csrf_token", stok)
		form.Set("weights.saas", "5")
		if res := post(t, app, sc, "/settings/risk", form); res.Status != http.StatusForbidden {
			t.Fatalf("security role POST: %d", res.Status)
		}
	})
}

// ---- messages ----

// TestPartnerMessagesComplete checks the keys the partner pages build
// from codes.
func TestPartnerMessagesComplete(t *testing.T) {
	var keys []string
	add := func(prefix string, codes ...string) {
		for _, c := range codes {
			keys = append(keys, prefix+c)
		}
	}
	add("partners_web.tier.", "high", "medium", "low")
	add("partners_web.type_short.", renkei.PartnerSupplier, renkei.PartnerGroup, renkei.PartnerOverseas)
	add("partners_web.sort.", renkei.PartnerSorts...)
	add("partners_web.provides.", renkei.ProvidesCodes...)
	add("partners_web.network.", renkei.NetworkAccessCodes...)
	add("partners_web.revenue.", renkei.RevenueBands[1:]...)
	add("partners_web.agreement.status.", "active", "expiring", "expired", "pending")
	add("partners_web.done.", "archived", "unarchived", "department_set", "created", "saved", "agreement_added", "agreement_saved", "agreement_deleted", "support_added",
		"document_attached", "document_removed")
	add("partners_web.f.", "company.name", "company.name_kana", "company.corporate_number", "company.country", "company.industry",
		"company.employees", "company.revenue_band", "company.listed", "company.web_domain", "company.mail_domain", "type", "department",
		"external_id", "notes", "profile.provides", "profile.personal_data", "profile.personal_data_count", "profile.sensitive_personal_data",
		"profile.confidential_technical", "profile.financial_data", "profile.network_access", "profile.outage_stops_business",
		"profile.has_alternative", "profile.critical_infrastructure", "profile.subcontracts", "profile.region",
		"profile.handles_confidential_on_own_it", "profile.outage_unacceptable", "profile.reaches_internal_network",
		"contacts.incident_procedure")
	for _, who := range []string{"business", "security", "incident"} {
		add("partners_web.f.contacts."+who+".", "name", "email", "phone")
	}
	add("partners_web.h.profile.", "handles_confidential_on_own_it", "outage_unacceptable", "reaches_internal_network")
	placeholder := regexp.MustCompile(`%(\[\d\])?v`)
	for _, k := range keys {
		for _, lang := range i18n.Languages {
			if !i18n.Has(lang, k) {
				t.Errorf("%q missing in %s", k, lang)
			}
		}
	}
	// The two languages agree on the placeholders of every key.
	for _, k := range i18n.Keys("ja") {
		if !strings.HasPrefix(k, "partners_web.") {
			continue
		}
		ja, en := len(placeholder.FindAllString(i18n.T("ja", k), -1)), len(placeholder.FindAllString(i18n.T("en", k), -1))
		if ja != en {
			t.Errorf("%s: %d placeholders in Japanese, %d in English", k, ja, en)
		}
	}
}

// ---- scale ----

// BenchmarkPartnerListPage serves the list over HTTP at 100,000 partners
// on SQLite (RENKEI_BENCH_PARTNERS overrides the size), one filter per
// sub-benchmark. Each page is one ListPartners and one CountPartners.
func BenchmarkPartnerListPage(b *testing.B) {
	n := 100_000
	if s := os.Getenv("RENKEI_BENCH_PARTNERS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	db := storetest.Open(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
	acc := &renkei.Accounts{Store: db, Hasher: argon2id.New(argon2id.Fast), TOTP: totp.TOTP{}, Issuer: "Renkei bench"}
	hs := httptest.NewServer(web.New(web.Config{Store: db, Accounts: acc, Logger: slog.New(slog.DiscardHandler)}))
	b.Cleanup(hs.Close)
	org := storetest.Org(b, db, "株式会社ベンチ")
	u := &renkei.User{Email: "bench@example.jp"}
	if err := acc.CreateUser(storetest.System(), org.ID, u, renkei.RoleViewer, testPassword); err != nil {
		b.Fatal(err)
	}
	rows := make([]renkei.ImportRow, n)
	types := []string{renkei.PartnerSupplier, renkei.PartnerSupplier, renkei.PartnerGroup, renkei.PartnerOverseas}
	for i := range rows {
		p := renkei.Partner{Type: types[i%4], ExternalID: fmt.Sprintf("B%06d", i), Company: renkei.Company{
			Name: fmt.Sprintf("株式会社ベンチ商事%06d", i), Country: "JP", Industry: "d", Employees: i % 3000}}
		p.Profile.ReachesInternalNetwork = i%9 == 0
		if i%5 == 0 {
			p.Profile.Provides = []string{"saas"}
		}
		if i%3 == 0 {
			p.Contacts.Incident = renkei.Contact{Email: "soc@example.jp"}
			p.Contacts.IncidentProcedure = "電話"
		}
		rows[i] = renkei.ImportRow{Row: i + 2, Partner: p}
	}
	if res, err := db.ImportPartners(storetest.System(), org.ID, rows, renkei.ImportAllOrNothing, false); err != nil || res.Created != n {
		b.Fatalf("seed: %v, %d errors", err, len(res.Errors))
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(hs.URL+"/login", url.Values{"email": {u.Email}, "password": {testPassword}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		b.Fatalf("login: %v", err)
	}
	res.Body.Close()
	for _, q := range []string{"", "type=overseas&tier=high", "required_level=star4&missing_incident_contact=1",
		"q=" + url.QueryEscape("商事0421"), "sort=name", "missing_agreement=confidentiality", "industry=d&department=legal"} {
		b.Run("q="+q, func(b *testing.B) {
			for b.Loop() {
				res, err := c.Get(hs.URL + "/partners?" + q)
				if err != nil || res.StatusCode != 200 {
					b.Fatalf("%v", err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		})
	}
}

// The dashboard's partner figures are the store's counts, each linking to
// the list filtered the same way.
func TestDashboardPartnerCounts(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("ダッシュボード", renkei.RoleAdmin)
		ctx := renkei.WithActor(storetest.System(), renkei.SystemActor("test"))
		for i, prof := range []renkei.Profile{{ReachesInternalNetwork: true}, {}, {}} {
			p := &renkei.Partner{OrgID: tn.Org.ID, Type: renkei.PartnerSupplier, Profile: prof,
				Company: renkei.Company{Name: fmt.Sprintf("集計テスト%d工業", i)}}
			if i == 2 {
				p.Contacts = renkei.Contacts{Incident: renkei.Contact{Email: "ir@example.jp"}, IncidentProcedure: "電話で即時"}
			}
			if err := app.DB.CreatePartner(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		c := app.browser()
		login(t, app, c, tn.User.Email, testPassword)
		dash := get(t, app, c, "/")
		got := map[string]string{}
		dash.Doc.Find(`a[href^="/partners"] .stat-num`).Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Parent().Attr("href")
			got[href] = s.Text()
		})
		want := map[string]string{"/partners": "3", "/partners?tier=high": "0", "/partners?required_level=star4": "1", "/partners?missing_incident_contact=1": "2"}
		for href, n := range want {
			if got[href] != n {
				t.Errorf("%s: %q, want %q (all: %v)", href, got[href], n, got)
			}
		}
	})
}
