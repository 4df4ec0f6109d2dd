package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/renkei/renkei"
)

// The portal's incident pages join the cross-company harness: a case of
// company Y's, recorded by organization B, is tried by another company's
// partner user and another organization's staff.
func init() {
	portalCrossFixtures["GET /portal/incidents/{id}"] = func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		id := portalVictimIncident(t, app, y)
		return portalCase{Method: "GET", Path: "/portal/incidents/" + id, OwnStatus: 200, Unchanged: incidentMessagesStay(app, y, id, 1)}
	}
	portalCrossFixtures["POST /portal/incidents/{id}/files"] = func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		id := portalVictimIncident(t, app, y)
		return portalCase{Method: "POST", Path: "/portal/incidents/" + id + "/files", File: &portalUpload{Name: "log.txt", Content: []byte("乗っ取りのログ")},
			OwnStatus: http.StatusSeeOther, Unchanged: incidentFilesStay(app, y, id, 0)}
	}
	portalCrossFixtures["GET /portal/incidents/{id}/files/{fid}"] = func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		id := portalVictimIncident(t, app, y)
		fid := staffIncidentFile(t, app, y.Sent.Tenant, id, "ログ.txt", "Yのログ", true)
		return portalCase{Method: "GET", Path: "/portal/incidents/" + id + "/files/" + fid, OwnStatus: 200, Unchanged: incidentFilesStay(app, y, id, 1)}
	}
	portalCrossFixtures["POST /portal/incidents/{id}/tasks/{tid}"] = func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		id := portalVictimIncident(t, app, y)
		tid := partnerTask(t, app, y.Sent.Tenant, id, "VPN装置を更新する")
		return portalCase{Method: "POST", Path: "/portal/incidents/" + id + "/tasks/" + tid, Form: url.Values{"done": {"on"}, "note": {"乗っ取り"}},
			OwnStatus: http.StatusSeeOther, Unchanged: func(t *testing.T) {
				t.Helper()
				tasks, err := app.DB.Tasks(staffCtx(y.Sent.Tenant), y.Sent.Tenant.Org.ID, id)
				if err != nil || len(tasks) != 1 || tasks[0].Done || tasks[0].PartnerNote != "" {
					t.Fatalf("Y's task changed: %+v %v", tasks, err)
				}
			}}
	}
	portalCrossFixtures["POST /portal/incidents/{id}/messages"] = func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		id := portalVictimIncident(t, app, y)
		return portalCase{Method: "POST", Path: "/portal/incidents/" + id + "/messages", Form: url.Values{"body": {"乗っ取り"}},
			OwnStatus: http.StatusSeeOther, Unchanged: incidentMessagesStay(app, y, id, 1)}
	}
}

// portalVictimIncident records, as organization B, a case for Y with one
// shared message.
func portalVictimIncident(t *testing.T, app *testApp, y *portalVictim) string {
	t.Helper()
	tn := y.Sent.Tenant
	r := app.call(t, "POST", "/api/v1/incidents", req{Token: tn.Token, Body: map[string]any{
		"partner_id": y.Sent.PartnerID, "type": "vpn", "aware_at": "2026-04-01T10:00:00+09:00"}})
	mustStatus(t, r, 201, "victim incident")
	var in struct {
		ID string `json:"id"`
	}
	r.JSON(t, &in)
	mustStatus(t, app.call(t, "POST", "/api/v1/incidents/"+in.ID+"/messages", req{Token: tn.Token, Body: map[string]any{"body": "状況を教えてください", "shared": true}}), 201, "message")
	return in.ID
}

func incidentMessagesStay(app *testApp, y *portalVictim, id string, n int) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		msgs, err := app.DB.Messages(staffCtx(y.Sent.Tenant), y.Sent.Tenant.Org.ID, id)
		if err != nil || len(msgs) != n {
			t.Fatalf("Y's case has %d messages (%v), want %d", len(msgs), err, n)
		}
	}
}

// TestPortalIncidentReport: a partner user reports to the organization
// their company works for, sees the receipt, reads only the shared
// messages and answers; staff see the case with its duties.
func TestPortalIncidentReport(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sent := app.sendAssessment(t, tn, "株式会社山田精工", 881, "self-check-25")
		c := app.partnerSession(t, sent.CompanyID, "yamada@seiko.example.jp")
		pg := get(t, app, c, "/portal/incidents/new")
		checkPartnerPage(t, "/portal/incidents/new", pg)
		if !strings.Contains(pg.Body, "甲社") {
			t.Fatalf("the organization is not named: %d", pg.Status)
		}
		tok := csrf(t, app, c, "/portal/incidents/new")
		form := url.Values{"csrf_token": {tok}, "type": {"unauthorized_access"}, "description": {"メールサーバーに不正ログイン"},
			"personal_data.persons": {"1200"}, "affects.our_data": {"on"}}
		pg = post(t, app, c, "/portal/incidents/new", form)
		loc := pg.Header.Get("Location")
		if pg.Status != 303 || !strings.HasPrefix(loc, "/portal/incidents/") {
			t.Fatalf("report: %d %s", pg.Status, pg.Body)
		}
		pg = get(t, app, c, loc)
		ref := strings.TrimSpace(pg.Doc.Find("#receipt").Text())
		if !strings.HasPrefix(ref, "INC-") {
			t.Fatalf("receipt %q", ref)
		}
		id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/portal/incidents/")
		// Staff: the case is the partner's, reported in the portal, with
		// the APPI duties (1,200 persons).
		var in renkei.Incident
		app.call(t, "GET", "/api/v1/incidents/"+id, req{Token: tn.Token}).JSON(t, &in)
		if in.PartnerID != sent.PartnerID || in.Source != renkei.IncidentSourcePortal || in.Contact.Email != "yamada@seiko.example.jp" {
			t.Fatalf("staff view %+v", in)
		}
		if _, ok := obligationsOf(t, app, tn.Token, id)["appi_preliminary"]; !ok {
			t.Fatal("no APPI duty")
		}
		mustStatus(t, app.call(t, "POST", "/api/v1/incidents/"+id+"/messages", req{Token: tn.Token, Body: map[string]any{"body": "社内検討メモ"}}), 201, "internal")
		mustStatus(t, app.call(t, "POST", "/api/v1/incidents/"+id+"/messages", req{Token: tn.Token, Body: map[string]any{"body": "ログを保全してください", "shared": true}}), 201, "shared")
		pg = get(t, app, c, "/portal/incidents/"+id)
		if !strings.Contains(pg.Body, "ログを保全してください") || strings.Contains(pg.Body, "社内検討メモ") {
			t.Fatalf("partner's messages: %s", pg.Doc.Find(".messages").Text())
		}
		tok = csrf(t, app, c, "/portal/incidents/"+id)
		if pg := post(t, app, c, "/portal/incidents/"+id+"/messages", url.Values{"csrf_token": {tok}, "body": {"保全しました"}}); pg.Status != 303 {
			t.Fatalf("partner message: %d", pg.Status)
		}
		if l := get(t, app, c, "/portal/incidents"); !strings.Contains(l.Body, ref) {
			t.Fatal("the list lacks the report")
		}
		// Without a description: the error is at the field, nothing recorded.
		bad := url.Values{"csrf_token": {tok}, "type": {"ddos"}}
		if pg := post(t, app, c, "/portal/incidents/new", bad); pg.Status != 400 || pg.Doc.Find("#description-error").Length() != 1 {
			t.Fatalf("missing description: %d", pg.Status)
		}
		// Staff sessions cannot use the portal's pages.
		sc := signIn(t, app, tn.User)
		if pg := get(t, app, sc, "/portal/incidents/"+id); pg.Status != 403 {
			t.Fatalf("staff in the portal: %d", pg.Status)
		}
	})
}

func incidentFilesStay(app *testApp, y *portalVictim, id string, n int) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		files, err := app.DB.IncidentFiles(staffCtx(y.Sent.Tenant), y.Sent.Tenant.Org.ID, id)
		if err != nil || len(files) != n {
			t.Fatalf("Y's case has %d files (%v), want %d", len(files), err, n)
		}
	}
}

// staffIncidentFile attaches a file to a case as the tenant's staff,
// through the case page's form, and returns its ID.
func staffIncidentFile(t *testing.T, app *testApp, tn *tenant, id, name, content string, shared bool) string {
	t.Helper()
	c := signIn(t, app, tn.User)
	fields := map[string]string{"csrf_token": csrf(t, app, c, "/incidents/"+id)}
	if shared {
		fields["shared"] = "on"
	}
	if pg := postFile(t, app, c, "/incidents/"+id+"/files", fields, name, []byte(content)); pg.Status != 303 {
		t.Fatalf("attach %s: %d %s", name, pg.Status, pg.Body)
	}
	files, err := app.DB.IncidentFiles(staffCtx(tn), tn.Org.ID, id)
	if err != nil || len(files) == 0 {
		t.Fatalf("files %v %v", files, err)
	}
	return files[len(files)-1].ID
}

// TestIncidentFiles: staff attach an internal and a shared file; the
// partner sees and downloads only the shared one and adds its own; a
// file of a refused type changes nothing.
func TestIncidentFiles(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sent := app.sendAssessment(t, tn, "株式会社ファイル工業", 882, "self-check-25")
		y := &portalVictim{Sent: sent}
		id := portalVictimIncident(t, app, y)
		staffIncidentFile(t, app, tn, id, "社内メモ.txt", "社内だけ", false)
		shared := staffIncidentFile(t, app, tn, id, "依頼事項.txt", "ログを送ってください", true)
		c := app.partnerSession(t, sent.CompanyID, "file@kogyo.example.jp")
		pg := get(t, app, c, "/portal/incidents/"+id)
		if !strings.Contains(pg.Body, "依頼事項.txt") || strings.Contains(pg.Body, "社内メモ.txt") {
			t.Fatalf("partner's files: %s", pg.Doc.Find(".files").Text())
		}
		if dl := get(t, app, c, "/portal/incidents/"+id+"/files/"+shared); dl.Status != 200 || dl.Body != "ログを送ってください" {
			t.Fatalf("download %d %q", dl.Status, dl.Body)
		}
		tok := csrf(t, app, c, "/portal/incidents/"+id)
		if pg := postFile(t, app, c, "/portal/incidents/"+id+"/files", map[string]string{"csrf_token": tok}, "firewall.log.txt", []byte("deny 10.0.0.1")); pg.Status != 303 {
			t.Fatalf("partner upload %d %s", pg.Status, pg.Body)
		}
		if pg := postFile(t, app, c, "/portal/incidents/"+id+"/files", map[string]string{"csrf_token": tok}, "tool.exe", []byte("MZ\x90\x00")); pg.Status != 400 || pg.Doc.Find("#file-error").Length() != 1 {
			t.Fatalf("exe upload %d", pg.Status)
		}
		files, _ := app.DB.IncidentFiles(staffCtx(tn), tn.Org.ID, id)
		if len(files) != 3 || files[2].FromParty != "partner" || !files[2].Shared {
			t.Fatalf("files %+v", files)
		}
		var tl struct {
			Items []renkei.IncidentEvent `json:"items"`
		}
		app.call(t, "GET", "/api/v1/incidents/"+id+"/timeline", req{Token: tn.Token}).JSON(t, &tl)
		n := 0
		for _, e := range tl.Items {
			if e.Kind == "file" {
				n++
			}
		}
		if n != 3 {
			t.Fatalf("%d file events", n)
		}
	})
}

// partnerTask adds, as the tenant's staff, a remediation item asked of
// the case's partner and returns its ID.
func partnerTask(t *testing.T, app *testApp, tn *tenant, id, title string) string {
	t.Helper()
	r := app.call(t, "POST", "/api/v1/incidents/"+id+"/tasks", req{Token: tn.Token, Body: map[string]any{"title": title, "for_partner": true, "due_date": "2026-12-31"}})
	mustStatus(t, r, 201, "partner task")
	var task renkei.IncidentTask
	r.JSON(t, &task)
	return task.ID
}

// TestPortalIncidentRemediation: at closure staff ask the partner for a
// remediation item; the partner sees it (not the internal tasks), marks it
// done with what it did, and staff read the answer.
func TestPortalIncidentRemediation(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sent := app.sendAssessment(t, tn, "株式会社是正工業", 883, "self-check-25")
		id := portalVictimIncident(t, app, &portalVictim{Sent: sent})
		mustStatus(t, app.call(t, "POST", "/api/v1/incidents/"+id+"/tasks", req{Token: tn.Token, Body: map[string]any{"title": "社内の影響調査"}}), 201, "internal task")
		tid := partnerTask(t, app, tn, id, "VPN装置のファームウェアを更新する")
		c := app.partnerSession(t, sent.CompanyID, "ops@zesei.example.jp")
		pg := get(t, app, c, "/portal/incidents/"+id)
		checkPartnerPage(t, "/portal/incidents/{id}", pg)
		if !strings.Contains(pg.Body, "VPN装置のファームウェアを更新する") || strings.Contains(pg.Body, "社内の影響調査") {
			t.Fatalf("partner's tasks: %s", pg.Doc.Find("#tasks-h").Parent().Text())
		}
		tok := csrf(t, app, c, "/portal/incidents/"+id)
		if pg := post(t, app, c, "/portal/incidents/"+id+"/tasks/"+tid, url.Values{"csrf_token": {tok}, "done": {"on"}, "note": {"11月30日に更新済み"}}); pg.Status != 303 {
			t.Fatalf("mark done: %d %s", pg.Status, pg.Body)
		}
		var tasks struct {
			Items []renkei.IncidentTask `json:"items"`
		}
		app.call(t, "GET", "/api/v1/incidents/"+id+"/tasks", req{Token: tn.Token}).JSON(t, &tasks)
		var got *renkei.IncidentTask
		for i := range tasks.Items {
			if tasks.Items[i].ID == tid {
				got = &tasks.Items[i]
			}
		}
		if got == nil || !got.Done || got.DoneAt == nil || got.PartnerNote != "11月30日に更新済み" || !got.ForPartner {
			t.Fatalf("staff view of the partner's answer: %+v", got)
		}
		// The internal task cannot be answered by the partner.
		internal := tasks.Items[0].ID
		if pg := post(t, app, c, "/portal/incidents/"+id+"/tasks/"+internal, url.Values{"csrf_token": {tok}, "done": {"on"}}); pg.Status != 404 {
			t.Fatalf("partner answers an internal task: %d", pg.Status)
		}
	})
}
