package web_test

import (
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/renkei/renkei"
)

// TestBrowserPortalTapAfterTyping: a partner types a text answer and taps
// the next question's answer at once. The tap's press moves the focus, so
// the text answer is saved and the sections are swapped in while the
// finger is still down; the release must still choose the answer. The
// test holds the press until the swap has settled, which is the slow
// network's case made certain: with a swap that replaces the nodes, the
// radio pressed is gone at the release and the tap is lost; the morphing
// swap keeps it.
func TestBrowserPortalTapAfterTyping(t *testing.T) {
	b, app := newBrowserApp(t, "portal-tap.db")
	tn := app.newTenant("連携工業株式会社", renkei.RoleAdmin)
	own := ownSelfCheck(t, app, tn, "self-check-25-text", func(q map[string]*renkei.Question) {
		q["1"].Kind, q["1"].Choices, q["1"].Points, q["1"].NA = renkei.QuestionText, nil, nil, ""
	})
	link, items := invitePartner(t, app, tn, own.Slug, "tanaka@yamada-seisakusho.example.jp")

	b.do("open the invitation link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`main form[action^="/portal/link/"] button`)))
	b.do("continue", chromedp.Click(chromedp.CSS(`main form[action^="/portal/link/"] button`)))
	b.do("the assessment", chromedp.WaitVisible(chromedp.ID("q-25")))
	b.do("type the text answer", chromedp.SendKeys("#a-1", "毎週金曜に外付けディスクへ"))
	evalJS[bool](b, `document.querySelector('#q-2-0').scrollIntoView({block: 'center'}), `+
		`window.swaps = 0, document.body.addEventListener('htmx:afterSettle', () => window.swaps++), true`)
	at := evalJS[[]float64](b, `(r => [r.x + r.width / 2, r.y + r.height / 2])(document.querySelector('#q-2-0').getBoundingClientRect())`)
	b.do("press on question 2's first answer", chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, at[0], at[1], chromedp.ButtonLeft, chromedp.ClickCount(1)))
	b.waitJS("the text answer saved and the sections swapped in", `window.swaps > 0 && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')`)
	b.do("release", chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, at[0], at[1], chromedp.ButtonLeft, chromedp.ClickCount(1)))
	b.waitJS("answer 2 saved", savedJS("#q-2-0"))

	got := portalStoredAnswers(t, app, sentAssessment{Tenant: tn, Assessment: items[0]})
	if got["1"].Text != "毎週金曜に外付けディスクへ" || got["2"].Value != "yes" {
		t.Fatalf("answers 1 %+v, 2 %+v", got["1"], got["2"])
	}
	if probs := b.Problems(); len(probs) > 0 {
		t.Fatalf("browser problems: %v", probs)
	}
}
