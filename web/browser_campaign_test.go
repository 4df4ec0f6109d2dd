package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/renkei/renkei"
)

// TestBrowserCampaignNew starts a campaign in Chromium on a phone: ticking
// a filter box updates the count of matching partners (htmx), and sending
// leads to the campaign's page.
func TestBrowserCampaignNew(t *testing.T) {
	b, app := newBrowserApp(t, "campaign.db")
	tn := app.newTenant("株式会社ブラウザ依頼", renkei.RoleProcurement)
	ps := seedPartners(t, app, tn.Org.ID, 12)
	overseas := 0
	for _, p := range ps {
		if p.Type == renkei.PartnerOverseas {
			overseas++
		}
	}
	if overseas == 0 || overseas == len(ps) {
		t.Fatalf("%d overseas partners of %d", overseas, len(ps))
	}

	b.do("open", chromedp.Navigate(app.Server.URL+"/"))
	b.login(tn.User.Email, testPassword)
	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.do("the form", chromedp.WaitVisible(chromedp.CSS(".stats")),
		chromedp.Navigate(app.Server.URL+"/campaigns/new"), chromedp.WaitVisible(chromedp.ID("campaign-form")))
	if got := b.text("#match-count"); !strings.Contains(got, fmt.Sprint(len(ps))) {
		t.Fatalf("count before filtering: %q", got)
	}
	b.noHorizontalOverflow("campaign form at 390", 390)
	b.touchTargets("campaign form at 390")
	b.shot("campaign-new-390.png")

	b.do("tick overseas", chromedp.Click(chromedp.CSS(`#filter-types input[value="overseas"]`)))
	b.waitJS("the count of overseas partners", fmt.Sprintf(`document.querySelector('#match-count').textContent.includes(' %d ')`, overseas))

	b.settled() // the count of matching partners is swapped in
	b.do("fill and send",
		chromedp.SetValue(chromedp.ID("template"), "self-check-25"),
		chromedp.SetValue(chromedp.ID("name"), "海外拠点の点検"),
		chromedp.Click(chromedp.CSS(`#campaign-form button[type="submit"]`)),
		chromedp.WaitNotPresent(chromedp.ID("campaign-form")),
	)
	b.waitJS("the campaign's page", `/\/campaigns\/[0-9a-f-]{36}$/.test(location.pathname)`)
	id := strings.TrimPrefix(b.location(), app.Server.URL+"/campaigns/")
	items, _, err := app.DB.ListAssessments(staffCtx(tn), tn.Org.ID, renkei.AssessmentFilter{CampaignID: id}, renkei.Page{})
	if err != nil || len(items) != overseas {
		t.Fatalf("%d assessments for %d overseas partners (%v)", len(items), overseas, err)
	}
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("CSP violations or script errors:\n%s", strings.Join(p, "\n"))
	}
}
