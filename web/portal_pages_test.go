package web_test

import (
	"github.com/PuerkitoBio/goquery"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/renkei/renkei"
)

// The portal's assessment page, read with goquery as a browser would.

// portalAnswer posts one answer as htmx does.
func portalAnswer(t *testing.T, app *testApp, c *http.Client, id, ref string, form url.Values) *page {
	t.Helper()
	tok := csrf(t, app, c, "/portal")
	return post(t, app, c, "/portal/assessments/"+id+"/answers/"+ref, form, "HX-Request", "true", "X-CSRF-Token", tok)
}

func portalStoredAnswers(t *testing.T, app *testApp, sa sentAssessment) map[string]renkei.AnswerRecord {
	t.Helper()
	recs, err := app.DB.Answers(staffCtx(sa.Tenant), sa.Tenant.Org.ID, sa.Assessment.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]renkei.AnswerRecord{}
	for _, r := range recs {
		out[r.QuestionRef] = r
	}
	return out
}

func assessmentStatus(t *testing.T, app *testApp, sa sentAssessment) string {
	t.Helper()
	a, err := app.DB.Assessment(staffCtx(sa.Tenant), sa.Tenant.Org.ID, sa.Assessment.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a.Status
}

func TestPortalAssessmentPageAnswersAndProgress(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sa := app.sendAssessment(t, tn, "株式会社乙製作所", 820001, "self-check-25")
		c := app.partnerSession(t, sa.CompanyID, partnerEmail("yamada"))
		path := "/portal/assessments/" + sa.Assessment.ID

		p := get(t, app, c, path)
		if p.Status != 200 {
			t.Fatalf("page: %d %s", p.Status, text(p))
		}
		if st := assessmentStatus(t, app, sa); st != renkei.AssessmentOpened {
			t.Fatalf("first view: status %s, want opened", st)
		}
		if n := p.Doc.Find(".question").Length(); n != 25 {
			t.Fatalf("%d questions shown", n)
		}
		// Every radio has its own label, and each question its help.
		q1 := p.Doc.Find("#q-1")
		if q1.Find("legend").Length() != 1 || q1.Find("details.help p").Text() == "" {
			t.Fatal("question 1 has no legend or no help")
		}
		q1.Find(`input[type="radio"]`).Each(func(_ int, in *goquery.Selection) {
			if in.Parent().Is("label") && strings.TrimSpace(in.Parent().Text()) != "" {
				return
			}
			id, _ := in.Attr("id")
			if p.Doc.Find(`label[for="`+id+`"]`).Length() != 1 {
				t.Fatalf("radio %s has no label", id)
			}
		})
		if got := q1.Find(`#q-1-0`).Parent().Text(); !strings.Contains(got, "はい") {
			t.Fatalf("first choice says %q", got)
		}
		if p.Doc.Find("#portal-progress progress").AttrOr("value", "") != "0" {
			t.Fatal("progress is not 0 before any answer")
		}

		// An answer saves at once and comes back with the progress.
		res := portalAnswer(t, app, c, sa.Assessment.ID, "1", url.Values{"value": {"yes"}})
		if res.Status != 200 || res.Doc.Find(`#q-1-0[checked]`).Length() != 1 {
			t.Fatalf("save: %d %s", res.Status, res.Body)
		}
		if res.Doc.Find(`#portal-progress[hx-swap-oob]`).Length() != 1 {
			t.Fatal("no progress bar out of band")
		}
		if got := portalStoredAnswers(t, app, sa)["1"]; got.Value != "yes" || got.OnBehalf || got.AnsweredBy == "" {
			t.Fatalf("stored %+v", got)
		}
		if st := assessmentStatus(t, app, sa); st != renkei.AssessmentInProgress {
			t.Fatalf("after an answer: %s", st)
		}

		// A value the question does not take: said by the question,
		// nothing saved.
		for _, bad := range []url.Values{{"value": {"maybe"}}, {"value": {"<script>alert(1)</script>"}}, {"value": {""}}} {
			res = portalAnswer(t, app, c, sa.Assessment.ID, "2", bad)
			if res.Status != http.StatusUnprocessableEntity || res.Header.Get("HX-Retarget") != "#portal-sections" {
				t.Fatalf("bad value %v: %d", bad, res.Status)
			}
			if res.Doc.Find("#q-2-error").Text() == "" || strings.Contains(res.Body, "<script>alert") {
				t.Fatalf("bad value %v: message %q", bad, res.Doc.Find("#q-2-error").Text())
			}
		}
		if _, saved := portalStoredAnswers(t, app, sa)["2"]; saved {
			t.Fatal("a refused value was saved")
		}
		// An unknown question is not found.
		if res := portalAnswer(t, app, c, sa.Assessment.ID, "99", url.Values{"value": {"yes"}}); res.Status != http.StatusNotFound {
			t.Fatalf("unknown question: %d", res.Status)
		}
		p = get(t, app, c, path)
		if p.Doc.Find("#portal-progress progress").AttrOr("value", "") != "4" {
			t.Fatalf("progress after one of 25: %s", p.Doc.Find("#portal-progress progress").AttrOr("value", ""))
		}
	})
}

func TestPortalConditionalQuestionAppearsWhenItsConditionHolds(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sa := app.sendAssessment(t, tn, "株式会社乙製作所", 820002, "contract-requirements")
		c := app.partnerSession(t, sa.CompanyID, partnerEmail("mori"))
		p := get(t, app, c, "/portal/assessments/"+sa.Assessment.ID)
		if p.Doc.Find("#q-other-detail").Length() != 0 {
			t.Fatal("the conditional question is shown before its condition holds")
		}
		res := portalAnswer(t, app, c, sa.Assessment.ID, "other", url.Values{"value": {"yes"}})
		if res.Status != 200 || res.Doc.Find(`#q-other-detail textarea[name="text"]`).Length() != 1 {
			t.Fatalf("after yes: %d, detail shown %d", res.Status, res.Doc.Find("#q-other-detail").Length())
		}
		if res.Doc.Find(`label[for="a-other-detail"]`).Length() != 1 {
			t.Fatal("the text box has no label")
		}
		// Hostile text is refused by the question and nothing is saved;
		// plain Japanese text is kept as written.
		for _, bad := range []string{"見た目を\u202e反転", "制御\x00文字", strings.Repeat("長", 4001)} {
			res := portalAnswer(t, app, c, sa.Assessment.ID, "other-detail", url.Values{"text": {bad}})
			if res.Status != http.StatusUnprocessableEntity || res.Doc.Find("#q-other-detail-error").Text() == "" {
				t.Fatalf("hostile text %q: %d", bad[:min(len(bad), 20)], res.Status)
			}
		}
		if _, saved := portalStoredAnswers(t, app, sa)["other-detail"]; saved {
			t.Fatal("hostile text was saved")
		}
		res = portalAnswer(t, app, c, sa.Assessment.ID, "other-detail", url.Values{"text": {"<b>秘密保持</b>の条項を追加"}})
		if res.Status != 200 || res.Doc.Find("#a-other-detail").Text() != "<b>秘密保持</b>の条項を追加" || strings.Contains(res.Body, "<b>秘密保持</b>") {
			t.Fatalf("text answer: %d %q", res.Status, res.Doc.Find("#a-other-detail").Text())
		}
		res = portalAnswer(t, app, c, sa.Assessment.ID, "other", url.Values{"value": {"no"}})
		if res.Doc.Find("#q-other-detail").Length() != 0 {
			t.Fatal("the conditional question stays after no")
		}
	})
}
