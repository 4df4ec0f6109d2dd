package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// TestBrowserReviewerReturnsAnswer: on a phone, a reviewer opens a
// submitted assessment from the list and returns one answer inline (htmx)
// with a comment for the partner and an internal note; the row says which
// text the partner will see, and the assessment is returned.
func TestBrowserReviewerReturnsAnswer(t *testing.T) {
	b, app := newBrowserApp(t, "review.db")
	tn := app.newTenant("株式会社ブラウザ確認", renkei.RoleSecurity)
	a, m := apiSubmittedWithRemediation(t, app, tn, "")

	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.do("open", chromedp.Navigate(app.Server.URL+"/"))
	b.login(tn.User.Email, testPassword)
	b.do("dashboard", chromedp.WaitVisible(chromedp.CSS(".stats")))
	b.do("open Assessments", chromedp.Navigate(app.Server.URL+"/assessments"), chromedp.WaitVisible(chromedp.ID("campaigns")))
	b.noHorizontalOverflow("assessments at 390", 390)
	b.do("open the assessment",
		chromedp.Click(chromedp.CSS(`#assessment-list a[href="/assessments/`+a.ID+`"]`)),
		chromedp.WaitVisible(chromedp.ID("score-total")),
	)
	if got := b.text("#score-total"); got != "96 / 100" {
		t.Fatalf("score %q", got)
	}
	b.noHorizontalOverflow("assessment at 390", 390)
	b.touchTargets("assessment at 390")
	b.shot("review-assessment-390.png")

	b.do("write the comment and the note",
		chromedp.ScrollIntoView(chromedp.CSS("#q-25 details.review-more > summary")),
		chromedp.Click(chromedp.CSS("#q-25 details.review-more > summary")),
		chromedp.WaitVisible(chromedp.ID("comment-q-25")),
		chromedp.SendKeys(chromedp.ID("comment-q-25"), "避難訓練の記録を添えてください。"),
		chromedp.SendKeys(chromedp.ID("note-q-25"), "社外秘: 昨年も未実施"),
		chromedp.Click(chromedp.CSS(`#q-25 button[value="returned"]`)),
	)
	b.waitJS("the returned row", `(document.querySelector('#q-25 .partner-sees')?.textContent || '').includes('避難訓練の記録')`)
	if note := b.text("#q-25 .internal-only"); !strings.Contains(note, "社外秘") || !strings.Contains(note, "社内のみ") {
		t.Fatalf("internal note row %q", note)
	}
	b.waitJS("the notice", `(document.getElementById('flash')?.textContent || '').includes('差し戻しました')`)
	b.shot("review-returned-390.png")
	got, err := app.DB.Assessment(storetest.System(), tn.Org.ID, a.ID)
	if err != nil || got.Status != renkei.AssessmentReturned {
		t.Fatalf("stored %+v %v", got, err)
	}
	// The other review pages fit a phone too.
	for _, pg := range []struct{ path, ready string }{
		{"/remediations", "#remediation-list"}, {"/remediations/" + m.ID, "#evidence"}, {"/settings/support-programs", "#program-list"},
		{"/campaigns/" + a.CampaignID, "#campaign-progress"},
	} {
		b.do("open "+pg.path, chromedp.Navigate(app.Server.URL+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.ready)))
		b.noHorizontalOverflow(pg.path+" at 390", 390)
		b.touchTargets(pg.path + " at 390")
	}
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("browser problems: %v", p)
	}
}
