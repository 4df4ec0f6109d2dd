package web_test

import (
	"strconv"
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// Shapes of the assessments API the tests decode.
type (
	apiTemplateT struct {
		Slug      string           `json:"slug"`
		Version   int              `json:"version"`
		Kind      string           `json:"kind"`
		Title     renkei.Bilingual `json:"title"`
		Questions int              `json:"questions"`
	}
	apiCampaignT struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Template    string `json:"template"`
		DueDate     string `json:"due_date"`
		Reminders   []int  `json:"reminders"`
		Status      string `json:"status"`
		Assessments int    `json:"assessments"`
		Prefilled   int    `json:"prefilled"`
		Progress    struct {
			Total        int            `json:"total"`
			ByStatus     map[string]int `json:"by_status"`
			Overdue      int            `json:"overdue"`
			ResponseRate int            `json:"response_rate"`
		} `json:"progress"`
	}
)

func apiTemplateSlug(t apiTemplateT) string { return t.Slug }
func apiCampaignID(c apiCampaignT) string   { return c.ID }

func TestAPITemplates(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		ts := listAll(t, app, viewer, "/api/v1/templates", 2, apiTemplateSlug)
		if len(ts) != len(renkei.BuiltinTemplates()) {
			t.Fatalf("templates: %+v", ts)
		}
		bySlug := map[string]apiTemplateT{}
		for _, x := range ts {
			bySlug[x.Slug] = x
		}
		if sc := bySlug["self-check-25"]; sc.Kind != renkei.TemplateBuiltin || sc.Questions != 25 || sc.Version < 1 || sc.Title.JA == "" || sc.Title.EN == "" {
			t.Fatalf("self-check-25: %+v", sc)
		}
		if bySlug["supply-chain-star4"].Questions != 44 {
			t.Fatalf("star4: %+v", bySlug["supply-chain-star4"])
		}
		// An organization's own template, twice saved: its latest version
		// is listed, after the built-ins, and only to it.
		own, _ := renkei.BuiltinTemplate("self-check-25")
		own = own.Clone()
		own.Slug = "own-check"
		for range 2 {
			if _, err := app.DB.SaveTemplate(storetest.System(), tn.Org.ID, own.Clone()); err != nil {
				t.Fatal(err)
			}
		}
		ts = listAll(t, app, tn.Token, "/api/v1/templates", 200, apiTemplateSlug)
		last := ts[len(ts)-1]
		if len(ts) != len(renkei.BuiltinTemplates())+1 || last.Slug != "own-check" || last.Kind != renkei.TemplateOrg || last.Version != 2 || last.Questions != 25 {
			t.Fatalf("with own template: %+v", ts)
		}
		other := app.newTenant("乙社", renkei.RoleAdmin)
		for _, x := range listAll(t, app, other.Token, "/api/v1/templates", 200, apiTemplateSlug) {
			if x.Slug == "own-check" {
				t.Fatalf("B sees A's template: %+v", x)
			}
		}
		app.refused(t, tn, "GET", "/api/v1/templates?limit=0", req{Token: tn.Token}, 400, "invalid")
	})
}

func TestAPICampaigns(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		p1 := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社一番"}})
		p2 := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社二番"}})
		r := app.call(t, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: map[string]any{
			"template": "self-check-25", "partner_ids": []string{p1.ID, p2.ID}, "due_date": "2099-06-30", "name": "2099年度 自己診断"}})
		mustStatus(t, r, 201, "create campaign")
		var c apiCampaignT
		r.JSON(t, &c)
		if c.ID == "" || c.Assessments != 2 || c.Prefilled != 0 || c.Template != "self-check-25" || c.DueDate != "2099-06-30" ||
			c.Name != "2099年度 自己診断" || len(c.Reminders) != len(renkei.DefaultReminders) || c.Status != "active" {
			t.Fatalf("created: %+v", c)
		}
		var got apiCampaignT
		mustStatus(t, app.call(t, "GET", "/api/v1/campaigns/"+c.ID, req{Token: viewer}), 200, "get campaign")
		app.call(t, "GET", "/api/v1/campaigns/"+c.ID, req{Token: viewer}).JSON(t, &got)
		if got.ID != c.ID || got.Progress.Total != 2 || got.Progress.ByStatus[renkei.AssessmentSent] != 2 || got.Progress.ResponseRate != 0 {
			t.Fatalf("get: %+v", got)
		}
		// by_required_level and own reminders.
		r = app.call(t, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: map[string]any{
			"template": renkei.TemplateByRequiredLevel, "partner_ids": []string{p1.ID}, "due_date": "2099-07-31", "reminders": []int{10, 2}}})
		mustStatus(t, r, 201, "by required level")
		var c2 apiCampaignT
		r.JSON(t, &c2)
		if c2.Assessments != 1 || len(c2.Reminders) != 2 || c2.Reminders[0] != 10 {
			t.Fatalf("by level: %+v", c2)
		}
		cs := listAll(t, app, viewer, "/api/v1/campaigns", 1, apiCampaignID)
		if len(cs) != 2 {
			t.Fatalf("list: %+v", cs)
		}

		// Bad input: nothing is created.
		other := app.newTenant("乙社", renkei.RoleAdmin)
		q := apiNewPartner(t, app, other.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社他社"}})
		for field, body := range map[string]map[string]any{
			"template":    {"template": "no-such-template", "partner_ids": []string{p1.ID}, "due_date": "2099-06-30"},
			"due_date":    {"template": "self-check-25", "partner_ids": []string{p1.ID}, "due_date": "2099/06/30"},
			"partner_ids": {"template": "self-check-25", "partner_ids": []string{}, "due_date": "2099-06-30"},
			"reminders":   {"template": "self-check-25", "partner_ids": []string{p1.ID}, "due_date": "2099-06-30", "reminders": []int{-1}},
			"name":        {"template": "self-check-25", "partner_ids": []string{p1.ID}, "due_date": "2099-06-30", "name": "a\u202eb"},
		} {
			if e := app.refused(t, tn, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: body}, 400, "invalid"); e.Error.Fields[field] == "" {
				t.Errorf("%s: fields %v", field, e.Error.Fields)
			}
		}
		// Another organization's partner is not one of the organization's.
		if e := app.refused(t, tn, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: map[string]any{
			"template": "self-check-25", "partner_ids": []string{q.ID}, "due_date": "2099-06-30"}}, 400, "invalid"); e.Error.Fields["partner_ids"] == "" {
			t.Errorf("other's partner: fields %v", e.Error.Fields)
		}
		app.refused(t, tn, "POST", "/api/v1/campaigns", req{Token: viewer, Body: map[string]any{
			"template": "self-check-25", "partner_ids": []string{p1.ID}, "due_date": "2099-06-30"}}, 403, "forbidden")
		if cs := listAll(t, app, tn.Token, "/api/v1/campaigns", 200, apiCampaignID); len(cs) != 2 {
			t.Fatalf("after refusals: %+v", cs)
		}
		app.refused(t, tn, "GET", "/api/v1/campaigns/not-a-uuid", req{Token: tn.Token}, 404, "not_found")
	})
}

type apiAssessmentT struct {
	ID              string `json:"id"`
	CampaignID      string `json:"campaign_id"`
	PartnerID       string `json:"partner_id"`
	Template        string `json:"template"`
	TemplateVersion int    `json:"template_version"`
	Status          string `json:"status"`
	DueDate         string `json:"due_date"`
	Prefilled       int    `json:"prefilled"`
	Score           *struct {
		Total float64 `json:"total"`
		Max   float64 `json:"max"`
		Band  *struct {
			Code  string           `json:"code"`
			Label renkei.Bilingual `json:"label"`
		} `json:"band"`
		Sections []renkei.SectionResult `json:"sections"`
	} `json:"score"`
	Progress *renkei.AssessmentProgress `json:"progress"`
}

func apiAssessmentID(a apiAssessmentT) string { return a.ID }

func TestAPIAssessmentsListAndGet(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		var ps []apiPartnerT
		var ids []string
		for _, name := range []string{"株式会社一番", "株式会社二番", "株式会社三番"} {
			p := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": name}})
			ps, ids = append(ps, p), append(ids, p.ID)
		}
		var c, c2 apiCampaignT
		r := app.call(t, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: map[string]any{"template": "self-check-25", "partner_ids": ids, "due_date": "2099-06-30"}})
		mustStatus(t, r, 201, "campaign")
		r.JSON(t, &c)
		r = app.call(t, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: map[string]any{"template": "supply-chain-star3", "partner_ids": ids[:1], "due_date": "2099-06-30"}})
		mustStatus(t, r, 201, "campaign 2")
		r.JSON(t, &c2)

		as := listAll(t, app, viewer, "/api/v1/assessments?campaign_id="+c.ID, 1, apiAssessmentID)
		if len(as) != 3 {
			t.Fatalf("campaign's assessments: %+v", as)
		}
		seen := map[string]bool{}
		for _, a := range as {
			if a.CampaignID != c.ID || a.Status != renkei.AssessmentSent || a.Prefilled != 0 || a.Template != "self-check-25" || a.DueDate != "2099-06-30" {
				t.Fatalf("assessment: %+v", a)
			}
			seen[a.PartnerID] = true
		}
		if len(seen) != 3 {
			t.Fatalf("partners: %v", seen)
		}
		if all := listAll(t, app, viewer, "/api/v1/assessments", 200, apiAssessmentID); len(all) != 4 {
			t.Fatalf("all: %d", len(all))
		}
		if byP := listAll(t, app, viewer, "/api/v1/assessments?partner_id="+ps[0].ID, 200, apiAssessmentID); len(byP) != 2 {
			t.Fatalf("by partner: %+v", byP)
		}
		if sent := listAll(t, app, viewer, "/api/v1/assessments?status=sent&campaign_id="+c2.ID, 200, apiAssessmentID); len(sent) != 1 || sent[0].Template != "supply-chain-star3" {
			t.Fatalf("by status: %+v", sent)
		}
		if none := listAll(t, app, viewer, "/api/v1/assessments?status=submitted", 200, apiAssessmentID); len(none) != 0 {
			t.Fatalf("submitted: %+v", none)
		}

		// Before submit: no score, progress at 0.
		var a apiAssessmentT
		r = app.call(t, "GET", "/api/v1/assessments/"+as[0].ID, req{Token: viewer})
		mustStatus(t, r, 200, "get")
		r.JSON(t, &a)
		if a.ID != as[0].ID || a.Score != nil || a.Progress == nil || a.Progress.Questions != 25 || a.Progress.Answered != 0 || a.Progress.Percent != 0 {
			t.Fatalf("before submit: %+v", a)
		}
		// Answered and submitted (through the store): the score, its band
		// and the sections.
		var in []renkei.AnswerInput
		for i := 1; i <= 25; i++ {
			v := renkei.AnswerYes
			if i == 25 {
				v = renkei.AnswerNo
			}
			in = append(in, renkei.AnswerInput{QuestionRef: strconv.Itoa(i), Answer: renkei.Answer{Value: v}})
		}
		ctx := storetest.System()
		if err := app.DB.SaveAnswers(ctx, tn.Org.ID, a.ID, in, true); err != nil {
			t.Fatal(err)
		}
		if _, err := app.DB.Submit(ctx, tn.Org.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		a = apiAssessmentT{}
		app.call(t, "GET", "/api/v1/assessments/"+as[0].ID, req{Token: viewer}).JSON(t, &a)
		if a.Status != renkei.AssessmentSubmitted || a.Score == nil || a.Score.Total != 96 || a.Score.Max != 100 || a.Score.Band == nil || a.Score.Band.Code == "" ||
			len(a.Score.Sections) != 3 || a.Progress.Answered != 25 || a.Progress.Percent != 100 {
			t.Fatalf("after submit: %+v", a)
		}

		// Bad filters.
		for field, q := range map[string]string{"campaign_id": "campaign_id=nope", "partner_id": "partner_id=1", "status": "status=done"} {
			if e := app.refused(t, tn, "GET", "/api/v1/assessments?"+q, req{Token: tn.Token}, 400, "invalid"); e.Error.Fields[field] == "" {
				t.Errorf("%s: fields %v", q, e.Error.Fields)
			}
		}
		app.refused(t, tn, "GET", "/api/v1/assessments/nope", req{Token: tn.Token}, 404, "not_found")
	})
}

// selfCheckAnswers answers questions 1..n of self-check-25 with v.
func selfCheckAnswers(n int, v string) []map[string]any {
	out := make([]map[string]any, n)
	for i := range n {
		out[i] = map[string]any{"question": strconv.Itoa(i + 1), "value": v}
	}
	return out
}

func TestAPIAnswerAndSubmit(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		p := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社回答先"}})
		var c apiCampaignT
		r := app.call(t, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: map[string]any{"template": "self-check-25", "partner_ids": []string{p.ID}, "due_date": "2099-06-30"}})
		mustStatus(t, r, 201, "campaign")
		r.JSON(t, &c)
		as := listAll(t, app, tn.Token, "/api/v1/assessments?campaign_id="+c.ID, 200, apiAssessmentID)
		id := as[0].ID
		path := "/api/v1/assessments/" + id

		// Incomplete: 400 with the missing questions, nothing submitted.
		e := app.refused(t, tn, "POST", path+"/submit", req{Token: tn.Token}, 400, "invalid")
		if e.Error.Fields["1"] == "" || e.Error.Fields["25"] == "" {
			t.Fatalf("incomplete: %v", e.Error.Fields)
		}
		// 24 answers: 18 yes, 6 partly.
		ans := selfCheckAnswers(24, "yes")
		for i := 18; i < 24; i++ {
			ans[i]["value"] = "partly"
		}
		var a apiAssessmentT
		r = app.call(t, "PUT", path+"/answers", req{Token: tn.Token, Body: map[string]any{"answers": ans}})
		mustStatus(t, r, 200, "answers")
		r.JSON(t, &a)
		if a.Status != renkei.AssessmentInProgress || a.Score != nil || a.Progress.Answered != 24 {
			t.Fatalf("after answers: %+v", a)
		}
		if e := app.refused(t, tn, "POST", path+"/submit", req{Token: tn.Token}, 400, "invalid"); e.Error.Fields["25"] == "" || e.Error.Fields["1"] != "" {
			t.Fatalf("one missing: %v", e.Error.Fields)
		}
		// Invalid answers: keyed by question ref, nothing saved.
		for ref, body := range map[string]string{
			"1":  `{"answers":[{"question":"25","value":"yes"},{"question":"1","value":"maybe"}]}`,
			"2":  `{"answers":[{"question":"25","value":"yes"},{"question":"2","value":["yes"]}]}`,
			"3":  `{"answers":[{"question":"25","value":"yes"},{"question":"3","value":4}]}`,
			"99": `{"answers":[{"question":"25","value":"yes"},{"question":"99","value":"yes"}]}`,
		} {
			if e := app.refused(t, tn, "PUT", path+"/answers", req{Token: tn.Token, Body: body}, 400, "invalid"); e.Error.Fields[ref] == "" {
				t.Errorf("bad %s: fields %v", ref, e.Error.Fields)
			}
		}
		app.refused(t, tn, "PUT", path+"/answers", req{Token: tn.Token, Body: `{"answers":[]}`}, 400, "invalid")
		app.refused(t, tn, "PUT", path+"/answers", req{Token: viewer, Body: `{"answers":[{"question":"25","value":"yes"}]}`}, 403, "forbidden")
		app.refused(t, tn, "POST", path+"/submit", req{Token: viewer}, 403, "forbidden")
		a = apiAssessmentT{}
		app.call(t, "GET", path, req{Token: tn.Token}).JSON(t, &a)
		if a.Progress.Answered != 24 {
			t.Fatalf("a refused PUT saved something: %+v", a.Progress)
		}

		mustStatus(t, app.call(t, "PUT", path+"/answers", req{Token: tn.Token, Body: `{"answers":[{"question":"25","value":"na"}]}`}), 200, "last answer")
		r = app.call(t, "POST", path+"/submit", req{Token: tn.Token})
		mustStatus(t, r, 200, "submit")
		a = apiAssessmentT{}
		r.JSON(t, &a)
		// 19 × 4 (na counts as yes) + 6 × 2 = 88.
		if a.Status != renkei.AssessmentSubmitted || a.Score == nil || a.Score.Total != 88 || a.Score.Band == nil || len(a.Score.Sections) != 3 {
			t.Fatalf("submitted: %+v", a)
		}
		// Once submitted, answers and a second submit are 409.
		app.refused(t, tn, "PUT", path+"/answers", req{Token: tn.Token, Body: `{"answers":[{"question":"1","value":"no"}]}`}, 409, "conflict")
		app.refused(t, tn, "POST", path+"/submit", req{Token: tn.Token}, 409, "conflict")
		if sub := listAll(t, app, viewer, "/api/v1/assessments?status=submitted", 200, apiAssessmentID); len(sub) != 1 || sub[0].ID != id {
			t.Fatalf("submitted list: %+v", sub)
		}
		var got apiCampaignT
		app.call(t, "GET", "/api/v1/campaigns/"+c.ID, req{Token: viewer}).JSON(t, &got)
		if got.Progress.ResponseRate != 100 || got.Progress.ByStatus[renkei.AssessmentSubmitted] != 1 {
			t.Fatalf("campaign progress: %+v", got.Progress)
		}
		// Answer once, share many: the next campaign to the same partner is
		// prefilled from these answers.
		var c2 apiCampaignT
		r = app.call(t, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: map[string]any{"template": "self-check-25", "partner_ids": []string{p.ID}, "due_date": "2100-06-30"}})
		mustStatus(t, r, 201, "second campaign")
		r.JSON(t, &c2)
		as2 := listAll(t, app, viewer, "/api/v1/assessments?campaign_id="+c2.ID, 200, apiAssessmentID)
		if c2.Prefilled == 0 || len(as2) != 1 || as2[0].Prefilled != c2.Prefilled || as2[0].Status != renkei.AssessmentSent {
			t.Fatalf("prefilled: campaign %+v, assessments %+v", c2, as2)
		}
	})
}

// apiSubmittedWithRemediation sends self-check-25 to a new partner of
// tn's (or to partnerID), answers it (25 no, the rest yes), submits it and records a
// remediation item for question 25; it returns the assessment and the item.
func apiSubmittedWithRemediation(t *testing.T, app *testApp, tn *tenant, partnerID string) (apiAssessmentT, *renkei.Remediation) {
	t.Helper()
	if partnerID == "" {
		partnerID = apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社是正先 " + sqlstoreID()}}).ID
	}
	var c apiCampaignT
	r := app.call(t, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: map[string]any{"template": "self-check-25", "partner_ids": []string{partnerID}, "due_date": "2099-06-30"}})
	mustStatus(t, r, 201, "campaign")
	r.JSON(t, &c)
	as := listAll(t, app, tn.Token, "/api/v1/assessments?campaign_id="+c.ID, 200, apiAssessmentID)
	ans := selfCheckAnswers(25, "yes")
	ans[24]["value"] = "no"
	path := "/api/v1/assessments/" + as[0].ID
	mustStatus(t, app.call(t, "PUT", path+"/answers", req{Token: tn.Token, Body: map[string]any{"answers": ans}}), 200, "answers")
	var a apiAssessmentT
	r = app.call(t, "POST", path+"/submit", req{Token: tn.Token})
	mustStatus(t, r, 200, "submit")
	r.JSON(t, &a)
	m := &renkei.Remediation{OrgID: tn.Org.ID, AssessmentID: a.ID, QuestionRef: "25", Owner: "情報システム部", DueDate: "2099-09-30"}
	if err := app.DB.CreateRemediation(storetest.System(), m); err != nil {
		t.Fatal(err)
	}
	return a, m
}

type apiRemediationT struct {
	ID           string `json:"id"`
	AssessmentID string `json:"assessment_id"`
	PartnerID    string `json:"partner_id"`
	Question     string `json:"question"`
	Severity     string `json:"severity"`
	Title        string `json:"title"`
	Owner        string `json:"owner"`
	DueDate      string `json:"due_date"`
	Status       string `json:"status"`
}

func apiRemediationID(m apiRemediationT) string { return m.ID }

func TestAPIRemediations(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		if ms := listAll(t, app, viewer, "/api/v1/remediations", 200, apiRemediationID); len(ms) != 0 {
			t.Fatalf("none yet: %+v", ms)
		}
		a1, m1 := apiSubmittedWithRemediation(t, app, tn, "")
		a2, m2 := apiSubmittedWithRemediation(t, app, tn, "")
		m2.Status = renkei.RemediationDone
		if err := app.DB.UpdateRemediation(storetest.System(), m2); err != nil {
			t.Fatal(err)
		}
		ms := listAll(t, app, viewer, "/api/v1/remediations", 1, apiRemediationID)
		if len(ms) != 2 {
			t.Fatalf("all: %+v", ms)
		}
		got := listAll(t, app, viewer, "/api/v1/remediations?assessment_id="+a1.ID, 200, apiRemediationID)
		if len(got) != 1 || got[0].ID != m1.ID || got[0].PartnerID != a1.PartnerID || got[0].Question != "25" || got[0].Severity != renkei.SeverityHigh ||
			got[0].Status != renkei.RemediationOpen || got[0].Owner != "情報システム部" || got[0].DueDate != "2099-09-30" || got[0].Title == "" {
			t.Fatalf("by assessment: %+v", got)
		}
		if got := listAll(t, app, viewer, "/api/v1/remediations?partner_id="+a2.PartnerID, 200, apiRemediationID); len(got) != 1 || got[0].ID != m2.ID {
			t.Fatalf("by partner: %+v", got)
		}
		if got := listAll(t, app, viewer, "/api/v1/remediations?status=done", 200, apiRemediationID); len(got) != 1 || got[0].ID != m2.ID {
			t.Fatalf("by status: %+v", got)
		}
		for field, q := range map[string]string{"assessment_id": "assessment_id=x", "partner_id": "partner_id=1", "status": "status=closed"} {
			if e := app.refused(t, tn, "GET", "/api/v1/remediations?"+q, req{Token: tn.Token}, 400, "invalid"); e.Error.Fields[field] == "" {
				t.Errorf("%s: fields %v", q, e.Error.Fields)
			}
		}
	})
}

func sqlstoreID() string { return sqlstore.NewID()[24:] }
