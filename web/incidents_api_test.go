package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
)

type apiObligationT struct {
	Code    string     `json:"code"`
	DueAt   *time.Time `json:"due_at"`
	Basis   string     `json:"basis"`
	Status  string     `json:"status"`
	Reasons []string   `json:"reasons"`
}

func obligationsOf(t *testing.T, app *testApp, token, id string) map[string]apiObligationT {
	t.Helper()
	r := app.call(t, "GET", "/api/v1/incidents/"+id+"/obligations", req{Token: token})
	mustStatus(t, r, 200, "obligations")
	var out struct {
		Items []apiObligationT `json:"items"`
	}
	r.JSON(t, &out)
	m := map[string]apiObligationT{}
	for _, ob := range out.Items {
		m[ob.Code] = ob
	}
	return m
}

// TestAPIIncidents follows the acceptance check: the body as the
// issue writes it, the duties with code, due_at, basis and status.
func TestAPIIncidents(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		p := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "委託先株式会社"}})
		aware := time.Now().Add(-time.Hour).Truncate(time.Second).In(renkei.Japan)
		r := app.call(t, "POST", "/api/v1/incidents", req{Token: tn.Token, Body: map[string]any{
			"partner_id": p.ID, "type": "unauthorized_access", "occurred_at": aware.AddDate(0, 0, -4).Format(time.RFC3339),
			"discovered_at": aware.AddDate(0, 0, -1).Format(time.RFC3339), "aware_at": aware.Format(time.RFC3339),
			"personal_data": map[string]any{"persons": 20, "sensitive": false, "financial": false, "unauthorized_purpose": true}}})
		mustStatus(t, r, 201, "create")
		var in renkei.Incident
		r.JSON(t, &in)
		if in.ID == "" || !strings.HasPrefix(in.Ref, "INC-") || in.Status != "reported" || in.Source != "staff" {
			t.Fatalf("created %+v", in)
		}
		obs := obligationsOf(t, app, tn.Token, in.ID)
		final := obs["appi_final"]
		// Unauthorized purpose: 60 days, the day of awareness as day one.
		want := time.Date(aware.Year(), aware.Month(), aware.Day()+60, 0, 0, 0, 0, renkei.Japan).Add(-time.Second)
		if final.DueAt == nil || !final.DueAt.Equal(want) || final.Basis == "" || final.Status != "open" || len(final.Reasons) == 0 {
			t.Fatalf("appi_final %+v", final)
		}
		if !strings.Contains(final.Basis, "個人情報保護法") {
			t.Fatalf("basis not in Japanese by default: %q", final.Basis)
		}
		r = app.call(t, "GET", "/api/v1/incidents/"+in.ID+"/obligations", req{Token: tn.Token, Header: map[string]string{"Accept-Language": "en"}})
		if !strings.Contains(string(r.Body), "APPI Art. 26") {
			t.Fatalf("basis in English: %s", r.Body)
		}

		// Mark the preliminary report done; triage; the timeline shows both.
		mustStatus(t, app.call(t, "PUT", "/api/v1/incidents/"+in.ID+"/obligations/appi_preliminary", req{Token: tn.Token,
			Body: map[string]any{"status": "done", "note": "PPCへ速報済み"}}), 200, "mark done")
		if s := obligationsOf(t, app, tn.Token, in.ID)["appi_preliminary"].Status; s != "done" {
			t.Fatalf("preliminary %s", s)
		}
		mustStatus(t, app.call(t, "PATCH", "/api/v1/incidents/"+in.ID, req{Token: tn.Token, Body: map[string]any{
			"status": "triaged", "severity": "high", "owner": "情報セキュリティ室"}}), 200, "triage")
		var tl struct {
			Items []renkei.IncidentEvent `json:"items"`
		}
		app.call(t, "GET", "/api/v1/incidents/"+in.ID+"/timeline", req{Token: tn.Token}).JSON(t, &tl)
		if len(tl.Items) != 3 || tl.Items[1].Kind != "obligation" || tl.Items[2].Kind != "status" {
			t.Fatalf("timeline %+v", tl.Items)
		}
		// Closing without the root cause is refused and changes nothing.
		e := app.refused(t, tn, "PATCH", "/api/v1/incidents/"+in.ID, req{Token: tn.Token, Body: map[string]any{"status": "closed"}}, 400, "invalid")
		if e.Error.Fields["root_cause"] == "" || e.Error.Fields["prevention"] == "" {
			t.Fatalf("close errors %v", e.Error.Fields)
		}
		mustStatus(t, app.call(t, "PATCH", "/api/v1/incidents/"+in.ID, req{Token: tn.Token, Body: map[string]any{
			"status": "closed", "root_cause": "VPN装置の脆弱性", "prevention": "装置の更新と多要素認証"}}), 200, "close")

		// Decision: the recommendation with reasons, then the decision.
		r = app.call(t, "PUT", "/api/v1/incidents/"+in.ID+"/decision", req{Token: tn.Token, Body: map[string]any{"disclose": true, "reason": "悪用のおそれ"}})
		mustStatus(t, r, 200, "decide")
		var dec struct {
			Recommendation struct {
				Outcome string   `json:"outcome"`
				For     []string `json:"for"`
				ForText []string `json:"for_text"`
			} `json:"recommendation"`
			Decision *renkei.DisclosureDecision `json:"decision"`
		}
		r.JSON(t, &dec)
		if dec.Decision == nil || !dec.Decision.Disclose || len(dec.Recommendation.For) == 0 || dec.Recommendation.ForText[0] == "" {
			t.Fatalf("decision %+v", dec)
		}

		// Tasks and messages.
		r = app.call(t, "POST", "/api/v1/incidents/"+in.ID+"/tasks", req{Token: tn.Token, Body: map[string]any{"title": "ログの保全", "due_date": "2026-04-03"}})
		mustStatus(t, r, 201, "task")
		var task renkei.IncidentTask
		r.JSON(t, &task)
		r = app.call(t, "PATCH", "/api/v1/incidents/"+in.ID+"/tasks/"+task.ID, req{Token: tn.Token, Body: map[string]any{"done": true}})
		mustStatus(t, r, 200, "task done")
		r.JSON(t, &task)
		if !task.Done || task.DoneAt == nil {
			t.Fatalf("task %+v", task)
		}
		mustStatus(t, app.call(t, "POST", "/api/v1/incidents/"+in.ID+"/messages", req{Token: tn.Token, Body: map[string]any{"body": "報告書を共有してください", "shared": true}}), 201, "message")

		// The viewer reads but cannot write.
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		mustStatus(t, app.call(t, "GET", "/api/v1/incidents/"+in.ID, req{Token: viewer}), 200, "viewer reads")
		app.refused(t, tn, "PATCH", "/api/v1/incidents/"+in.ID, req{Token: viewer, Body: map[string]any{"owner": "x"}}, 403, "forbidden")
		var list struct {
			Items []renkei.Incident `json:"items"`
		}
		app.call(t, "GET", "/api/v1/incidents?status=closed", req{Token: viewer}).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != in.ID {
			t.Fatalf("closed list %+v", list.Items)
		}
	})
}

// TestAPIIncidentsBadInput: wrong types, wrong times, unknown kinds and
// hostile text are refused with the field named, and nothing changes.
func TestAPIIncidentsBadInput(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		good := func() map[string]any {
			return map[string]any{"type": "ransomware", "aware_at": "2026-04-01T10:00:00+09:00"}
		}
		cases := []struct {
			field string
			set   func(b map[string]any)
		}{
			{"type", func(b map[string]any) { b["type"] = "aliens" }},
			{"aware_at", func(b map[string]any) { delete(b, "aware_at") }},
			{"aware_at", func(b map[string]any) { b["aware_at"] = "2999-01-01T00:00:00Z" }},
			{"discovered_at", func(b map[string]any) {
				b["occurred_at"], b["discovered_at"] = "2026-03-31T00:00:00Z", "2026-03-30T00:00:00Z"
			}},
			{"personal_data.persons", func(b map[string]any) { b["personal_data"] = map[string]any{"persons": -3} }},
			{"description", func(b map[string]any) { b["description"] = "見た目を\u202e偽装" }},
			{"title", func(b map[string]any) { b["title"] = strings.Repeat("長", 201) }},
			{"partner_id", func(b map[string]any) { b["partner_id"] = "01900000-0000-7000-8000-000000000000" }},
		}
		for _, c := range cases {
			b := good()
			c.set(b)
			e := app.refused(t, tn, "POST", "/api/v1/incidents", req{Token: tn.Token, Body: b}, 400, "invalid")
			if e.Error.Fields[c.field] == "" {
				t.Errorf("%s: fields %v", c.field, e.Error.Fields)
			}
		}
		// Wrong JSON types and malformed times are 400 before any rule.
		for _, body := range []string{`{"type": 3, "aware_at": "2026-04-01T10:00:00Z"}`, `{"type": "ddos", "aware_at": "yesterday"}`,
			`{"type": "ddos", "aware_at": "2026-04-01T10:00:00Z", "personal_data": {"persons": "many"}}`, `{"type": "ddos", "colour": "red"}`} {
			app.refused(t, tn, "POST", "/api/v1/incidents", req{Token: tn.Token, Body: body}, 400, "")
		}
		// Settings: the preliminary report may not be set beyond 5 days.
		var st map[string]any
		app.call(t, "GET", "/api/v1/incident_settings", req{Token: tn.Token}).JSON(t, &st)
		rules := st["obligation_rules"].(map[string]any)["rules"].([]any)
		rules[0].(map[string]any)["clock"].(map[string]any)["days"] = 6
		e := app.refused(t, tn, "PUT", "/api/v1/incident_settings", req{Token: tn.Token, Body: st}, 400, "invalid")
		if e.Error.Fields["obligation_rules.rules[0].clock.days"] == "" {
			t.Fatalf("fields %v", e.Error.Fields)
		}
	})
}
