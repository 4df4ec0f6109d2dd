package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// formOf reads a page's form as a browser would submit it.
func formOf(p *page, selector string) url.Values {
	form := url.Values{}
	p.Doc.Find(selector + " input, " + selector + " select, " + selector + " textarea").Each(func(_ int, s *goquery.Selection) {
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
	return form
}

func TestCampaignNewPage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("連携工業", renkei.RoleProcurement)
		other := app.newTenant("他社", renkei.RoleAdmin)
		seedPartner(t, app, other.Org.ID, "他社の取引先", nil)
		for i, typ := range []string{renkei.PartnerSupplier, renkei.PartnerSupplier, renkei.PartnerGroup} {
			seedPartner(t, app, tn.Org.ID, []string{"山田製作所", "佐藤商事", "連携グループ"}[i], func(p *renkei.Partner) {
				p.Type = typ
				p.Company.CorporateNumber = corpNum(840001 + i)
				p.Contacts.Business = renkei.Contact{Email: "c" + string(rune('a'+i)) + "@example.jp"}
			})
		}
		c := signIn(t, app, tn.User)
		page := get(t, app, c, "/campaigns/new")
		checkPartnerPage(t, "/campaigns/new", page)
		if page.Status != http.StatusOK || page.Doc.Find(`#template option[value="self-check-25"]`).Length() != 1 ||
			page.Doc.Find(`#template option[value="by_required_level"]`).Length() != 1 {
			t.Fatalf("page %d %s", page.Status, text(page))
		}
		if got := strings.TrimSpace(page.Doc.Find("#match-count").Text()); !strings.Contains(got, "3") {
			t.Fatalf("count with no filter: %q", got)
		}
		// The live count: groups only.
		form := formOf(page, "#campaign-form")
		form.Set("filter.types", renkei.PartnerGroup)
		frag := post(t, app, c, "/campaigns/new/count", form, "HX-Request", "true")
		if frag.Status != http.StatusOK || !strings.Contains(frag.Doc.Find("#match-count").Text(), "1") {
			t.Fatalf("count fragment %d %q", frag.Status, frag.Body)
		}

		// Bad input: the form again with every error at its field, in
		// Japanese, and nothing created.
		bad := formOf(page, "#campaign-form")
		bad.Set("due_date", "2026-02-30")
		bad.Set("reminders", "7, 明日")
		bad.Set("filter.tiers", "extreme")
		again := post(t, app, c, "/campaigns/new", bad)
		checkPartnerPage(t, "POST /campaigns/new", again)
		if again.Status != http.StatusBadRequest {
			t.Fatalf("bad form: %d", again.Status)
		}
		for _, id := range []string{"template-error", "due_date-error", "reminders-error"} {
			if strings.TrimSpace(again.Doc.Find("#"+id).Text()) == "" {
				t.Errorf("no message at %s: %s", id, text(again))
			}
		}
		if again.Doc.Find(`#error-summary a[href="#template"]`).Length() != 1 || !strings.Contains(text(again), "チェックシート") {
			t.Fatalf("summary: %s", again.Doc.Find("#error-summary").Text())
		}
		if cs, _, _ := app.DB.ListCampaigns(staffCtx(tn), tn.Org.ID, renkei.Page{}); len(cs) != 0 {
			t.Fatalf("bad input made %d campaigns", len(cs))
		}
		// An unknown filter value is its own field error (once the rest is right).
		bad.Set("template", "self-check-25")
		bad.Set("due_date", "2026-12-31")
		bad.Set("reminders", "１４、７")
		again = post(t, app, c, "/campaigns/new", bad)
		if again.Status != http.StatusBadRequest || strings.TrimSpace(again.Doc.Find("#filter-tiers .field-error").Text()) == "" {
			t.Fatalf("bad tier: %d %s", again.Status, text(again))
		}

		// Good: suppliers, half-yearly; the campaign's page next.
		good := formOf(page, "#campaign-form")
		good.Set("name", "2026年度 取引先点検")
		good.Set("template", "self-check-25")
		good.Set("due_date", "2026-12-31")
		good.Set("reminders", "１４、７")
		good.Set("recurrence", renkei.RecurHalfYearly)
		good.Set("filter.types", renkei.PartnerSupplier)
		done := post(t, app, c, "/campaigns/new", good)
		wantRedirect(t, done, "/campaigns/")
		id := strings.TrimPrefix(done.Header.Get("Location"), "/campaigns/")
		cp, err := app.DB.Campaign(staffCtx(tn), tn.Org.ID, id)
		if err != nil || cp.Name != "2026年度 取引先点検" || cp.Recurrence != renkei.RecurHalfYearly || cp.Mailed != 2 ||
			cp.Filter == nil || strings.Join(cp.Filter.Types, ",") != "supplier" || fmt.Sprint(cp.Reminders) != "[14 7]" {
			t.Fatalf("campaign %+v %v", cp, err)
		}

		// In English.
		toEnglish(t, app, c)
		en := get(t, app, c, "/campaigns/new")
		if !strings.Contains(text(en), "Send an assessment") || !strings.Contains(text(en), "Partners matching") {
			t.Fatalf("English page: %s", text(en))
		}
		// A viewer cannot start a campaign.
		viewer := app.addUser(tn, renkei.RoleViewer)
		if p := get(t, app, signIn(t, app, viewer), "/campaigns/new"); p.Status != http.StatusForbidden {
			t.Fatalf("viewer: %d", p.Status)
		}
	})
}

func TestCampaignFromPartnersList(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("連携工業", renkei.RoleProcurement)
		other := app.newTenant("他社", renkei.RoleAdmin)
		foreign := seedPartner(t, app, other.Org.ID, "他社の取引先", nil)
		a := seedPartner(t, app, tn.Org.ID, "山田製作所", func(p *renkei.Partner) { p.Company.CorporateNumber = corpNum(850001) })
		b := seedPartner(t, app, tn.Org.ID, "佐藤商事", func(p *renkei.Partner) { p.Company.CorporateNumber = corpNum(850002) })
		seedPartner(t, app, tn.Org.ID, "選ばない会社", func(p *renkei.Partner) { p.Company.CorporateNumber = corpNum(850003) })
		c := signIn(t, app, tn.User)
		list := get(t, app, c, "/partners")
		if list.Doc.Find(`button[formaction="/campaigns/new"][name="step"][value="pick"]`).Length() != 1 {
			t.Fatal("no send button on the partners list")
		}
		tok := csrf(t, app, c, "/partners")
		pick := post(t, app, c, "/campaigns/new", url.Values{"csrf_token": {tok}, "step": {"pick"}, "id": {a.ID, b.ID}})
		checkPartnerPage(t, "pick", pick)
		if pick.Status != http.StatusOK || pick.Doc.Find(`#picked input[name="id"]`).Length() != 2 || pick.Doc.Find("#match-count").Length() != 0 {
			t.Fatalf("picked page %d %s", pick.Status, text(pick))
		}
		form := formOf(pick, "#campaign-form")
		form.Set("template", renkei.TemplateByRequiredLevel)
		done := post(t, app, c, "/campaigns/new", form)
		wantRedirect(t, done, "/campaigns/")
		id := strings.TrimPrefix(done.Header.Get("Location"), "/campaigns/")
		items, _, err := app.DB.ListAssessments(staffCtx(tn), tn.Org.ID, renkei.AssessmentFilter{CampaignID: id}, renkei.Page{})
		if err != nil || len(items) != 2 {
			t.Fatalf("%d assessments %v", len(items), err)
		}
		// Another organization's partner smuggled into the form: a field
		// error, nothing created.
		form.Add("id", foreign.ID)
		bad := post(t, app, c, "/campaigns/new", form)
		if bad.Status != http.StatusBadRequest || strings.TrimSpace(bad.Doc.Find("#partner_ids").Text()) == "" {
			t.Fatalf("foreign partner: %d %s", bad.Status, text(bad))
		}
		if cs, _, _ := app.DB.ListCampaigns(staffCtx(tn), tn.Org.ID, renkei.Page{}); len(cs) != 1 {
			t.Fatalf("%d campaigns", len(cs))
		}
	})
}

func TestPartnerFormContactLanguage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("連携工業", renkei.RoleSecurity)
		p := seedPartner(t, app, tn.Org.ID, "Global Parts", func(p *renkei.Partner) {
			p.Contacts.Security = renkei.Contact{Email: "sec@global.example.com"}
		})
		c := signIn(t, app, tn.User)
		edit := get(t, app, c, "/partners/"+p.ID+"/edit")
		form := formOf(edit, "#partner-form")
		if form.Get("contacts.security.locale") != "ja" {
			t.Fatalf("default language %q", form.Get("contacts.security.locale"))
		}
		form.Set("contacts.security.locale", "fr")
		bad := post(t, app, c, "/partners/"+p.ID+"/edit", form)
		if bad.Status != http.StatusBadRequest || strings.TrimSpace(bad.Doc.Find("#contacts-security-locale-error").Text()) == "" {
			t.Fatalf("bad language: %d %s", bad.Status, text(bad))
		}
		form.Set("contacts.security.locale", "en")
		wantRedirect(t, post(t, app, c, "/partners/"+p.ID+"/edit", form), "/partners/"+p.ID)
		got, err := app.DB.Partner(storetest.System(), tn.Org.ID, p.ID)
		if err != nil || got.Contacts.Security.Locale != "en" || got.Contacts.Business.Locale != "ja" {
			t.Fatalf("stored %+v %v", got.Contacts, err)
		}
	})
}
