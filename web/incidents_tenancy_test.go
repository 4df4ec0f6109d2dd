package web_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/renkei/renkei"
)

// The incidents routes join the cross-tenant harness (tenancy_test.go):
// each fixture is a fresh case of A's with a task and a message, and
// Unchanged reads the whole case back from the store.
func init() {
	for route, fixture := range map[string]func(t *testing.T, app *testApp, a *tenant) crossTenantCase{
		"GET /api/v1/incidents/{id}": incidentCase("", nil, 200),
		"PATCH /api/v1/incidents/{id}": incidentCase("", map[string]any{"status": "triaged", "severity": "critical",
			"personal_data": map[string]any{"persons": 5000}}, 200),
		"GET /api/v1/incidents/{id}/obligations":        incidentCase("/obligations", nil, 200),
		"PUT /api/v1/incidents/{id}/obligations/{code}": incidentCase("/obligations/appi_preliminary", map[string]any{"status": "done", "note": "乗っ取り"}, 200),
		"GET /api/v1/incidents/{id}/tasks":              incidentCase("/tasks", nil, 200),
		"POST /api/v1/incidents/{id}/tasks":             incidentCase("/tasks", map[string]any{"title": "乗っ取り"}, 201),
		"PATCH /api/v1/incidents/{id}/tasks/{task_id}":  incidentCase("/tasks/{task}", map[string]any{"done": true}, 200),
		"GET /api/v1/incidents/{id}/timeline":           incidentCase("/timeline", nil, 200),
		"GET /api/v1/incidents/{id}/messages":           incidentCase("/messages", nil, 200),
		"POST /api/v1/incidents/{id}/messages":          incidentCase("/messages", map[string]any{"body": "乗っ取り", "shared": true}, 201),
		"GET /api/v1/incidents/{id}/files":              incidentCase("/files", nil, 200),
		"GET /api/v1/incidents/{id}/report":             incidentCase("/report", nil, 200),
		"GET /api/v1/incidents/{id}/decision":           incidentCase("/decision", nil, 200),
		"PUT /api/v1/incidents/{id}/decision":           incidentCase("/decision", map[string]any{"disclose": true, "reason": "乗っ取り"}, 200),
	} {
		crossTenantFixtures[route] = fixture
	}
	for _, p := range []string{"/api/v1/incident_settings", "/api/v1/report_link", "/api/v1/incident_measures"} {
		nonListGETs[p] = true
	}
	listFixtures = append(listFixtures, func(t *testing.T, app *testApp, tn *tenant, partnerID string) {
		mustStatus(t, app.call(t, "POST", "/api/v1/incidents", req{Token: tn.Token, Body: map[string]any{
			"partner_id": partnerID, "type": "emotet", "aware_at": "2026-04-01T10:00:00+09:00"}}), 201, "incident")
	})
}

// incidentState is everything of a case the store keeps.
type incidentState struct {
	Incident    *renkei.Incident
	Obligations []renkei.Obligation
	Tasks       []renkei.IncidentTask
	Messages    []renkei.IncidentMessage
	Events      int
	Decision    *renkei.DisclosureDecision
}

func readIncidentState(t *testing.T, app *testApp, a *tenant, id string) incidentState {
	t.Helper()
	ctx := renkei.WithActor(context.Background(), renkei.SystemActor("test"))
	var st incidentState
	var err error
	if st.Incident, err = app.DB.Incident(ctx, a.Org.ID, id); err != nil {
		t.Fatal(err)
	}
	if st.Obligations, err = app.DB.Obligations(ctx, a.Org.ID, id); err != nil {
		t.Fatal(err)
	}
	if st.Tasks, err = app.DB.Tasks(ctx, a.Org.ID, id); err != nil {
		t.Fatal(err)
	}
	if st.Messages, err = app.DB.Messages(ctx, a.Org.ID, id); err != nil {
		t.Fatal(err)
	}
	events, err := app.DB.Timeline(ctx, a.Org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	st.Events = len(events)
	if st.Decision, err = app.DB.Decision(ctx, a.Org.ID, id); err != nil {
		t.Fatal(err)
	}
	return st
}

// apiTenancyIncident records a case of A's (1,500 persons: the APPI
// duties apply) with a task and a message, and returns its ID and task ID.
func apiTenancyIncident(t *testing.T, app *testApp, a *tenant) (string, string) {
	t.Helper()
	p := apiTenancyPartner(t, app, a)
	r := app.call(t, "POST", "/api/v1/incidents", req{Token: a.Token, Body: map[string]any{
		"partner_id": p.ID, "type": "ransomware", "occurred_at": "2026-03-30T09:00:00+09:00",
		"discovered_at": "2026-03-31T09:00:00+09:00", "aware_at": "2026-04-01T10:00:00+09:00",
		"personal_data": map[string]any{"persons": 1500, "sensitive": false, "financial": false, "unauthorized_purpose": false}}})
	mustStatus(t, r, 201, "fixture incident")
	var in struct {
		ID string `json:"id"`
	}
	r.JSON(t, &in)
	r = app.call(t, "POST", "/api/v1/incidents/"+in.ID+"/tasks", req{Token: a.Token, Body: map[string]any{"title": "影響範囲の調査", "owner": "情報システム部"}})
	mustStatus(t, r, 201, "fixture task")
	var task struct {
		ID string `json:"id"`
	}
	r.JSON(t, &task)
	mustStatus(t, app.call(t, "POST", "/api/v1/incidents/"+in.ID+"/messages", req{Token: a.Token, Body: map[string]any{"body": "社内メモ"}}), 201, "fixture message")
	return in.ID, task.ID
}

// incidentCase is a fixture for a route under /api/v1/incidents/{id};
// "{task}" in suffix is the fixture's task ID.
func incidentCase(suffix string, body any, own int) func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
	return func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		id, taskID := apiTenancyIncident(t, app, a)
		path := "/api/v1/incidents/" + id + suffix
		if suffix == "/tasks/{task}" {
			path = "/api/v1/incidents/" + id + "/tasks/" + taskID
		}
		before := readIncidentState(t, app, a, id)
		return crossTenantCase{Path: path, Body: body, OwnStatus: own, Unchanged: func(t *testing.T) {
			t.Helper()
			if after := readIncidentState(t, app, a, id); !reflect.DeepEqual(before, after) {
				t.Fatalf("A's incident changed:\n before %+v\n after  %+v", before, after)
			}
		}}
	}
}
