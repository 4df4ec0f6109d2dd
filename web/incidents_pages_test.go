package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// TestIncidentPages: staff record a case from a partner's page, see its
// clocks and the impact on us, mark a duty done, add a task and a
// message, record the decision, and cannot close without the cause.
func TestIncidentPages(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		p := seedPartner(t, app, tn.Org.ID, "株式会社山田精工", func(p *renkei.Partner) {
			p.Profile.PersonalData, p.Profile.PersonalDataCount = true, 2400
			p.Profile.NetworkAccess = []string{"remote_maintenance"}
		})
		c := signIn(t, app, tn.User)
		form := get(t, app, c, "/incidents/new?partner_id="+p.ID)
		if form.Status != 200 || !strings.Contains(form.Body, "株式会社山田精工") {
			t.Fatalf("new form %d", form.Status)
		}
		checkPartnerPage(t, "/incidents/new", form)
		tok := csrf(t, app, c, "/incidents/new")
		aware := time.Now().Add(-2 * time.Hour).In(renkei.Japan).Format("2006-01-02T15:04")
		vals := url.Values{"csrf_token": {tok}, "partner_id": {p.ID}, "type": {"ransomware"}, "aware_at": {aware},
			"description": {"保守用PCが暗号化された"}, "personal_data.persons": {"2400"},
			"contact.name": {"山田 太郎"}, "contact.phone": {"03-1234-5678"}, "systems": {"保守用PC"}, "containment": {"in_progress"}}
		// Without a kind: the form comes back with the error at the field.
		bad := url.Values{}
		for k, v := range vals {
			bad[k] = v
		}
		bad.Del("type")
		if pg := post(t, app, c, "/incidents/new?partner_id="+p.ID, bad); pg.Status != 400 || pg.Doc.Find("#type-error").Length() != 1 {
			t.Fatalf("missing kind: %d", pg.Status)
		}
		pg := post(t, app, c, "/incidents/new?partner_id="+p.ID, vals)
		loc := pg.Header.Get("Location")
		if pg.Status != 303 || !strings.HasPrefix(loc, "/incidents/") {
			t.Fatalf("create: %d %s", pg.Status, pg.Body)
		}
		pg = get(t, app, c, loc)
		checkPartnerPage(t, loc, pg)
		var rec renkei.Incident
		app.call(t, "GET", "/api/v1"+loc, req{Token: tn.Token}).JSON(t, &rec)
		if rec.Contact.Name != "山田 太郎" || rec.Contact.Phone != "03-1234-5678" || rec.Systems != "保守用PC" || rec.Containment != "in_progress" {
			t.Fatalf("recorded %+v", rec)
		}
		final := pg.Doc.Find("#duty-appi_final")
		if final.Length() != 1 || !strings.Contains(final.Text(), "あと") || !strings.Contains(final.Text(), "個人情報保護法") {
			t.Fatalf("APPI clock: %q", final.Text())
		}
		if !strings.Contains(pg.Body, "2400人分") || !strings.Contains(pg.Body, "リモート保守") {
			t.Fatalf("impact on us missing")
		}

		tok = csrf(t, app, c, loc)
		if pg := post(t, app, c, loc+"/obligations/appi_preliminary", url.Values{"csrf_token": {tok}, "status": {"done"}}); pg.Status != 303 {
			t.Fatalf("mark done: %d", pg.Status)
		}
		if pg := post(t, app, c, loc+"/tasks", url.Values{"csrf_token": {tok}, "task_title": {"保守回線の遮断"}, "task_owner": {"情報システム部"}}); pg.Status != 303 {
			t.Fatalf("task: %d %s", pg.Status, pg.Body)
		}
		if pg := post(t, app, c, loc+"/messages", url.Values{"csrf_token": {tok}, "body": {"<img src=x onerror=alert(1)>被害状況を教えてください"}, "shared": {"on"}}); pg.Status != 303 {
			t.Fatalf("message: %d", pg.Status)
		}
		if pg := post(t, app, c, loc+"/decision", url.Values{"csrf_token": {tok}, "disclose": {"1"}, "reason": {"個人情報の悪用を防ぐため"}}); pg.Status != 303 {
			t.Fatalf("decision: %d", pg.Status)
		}
		pg = get(t, app, c, loc)
		if !strings.Contains(pg.Doc.Find("#duty-appi_preliminary").Text(), "対応済み") || !strings.Contains(pg.Body, "保守回線の遮断") ||
			strings.Contains(pg.Body, "<img src=x") || pg.Doc.Find("#decision").Length() != 1 {
			t.Fatalf("after the forms: %s", pg.Doc.Find("main").Text())
		}
		// Closing without the cause: refused at the fields.
		close := url.Values{"csrf_token": {tok}, "status": {"closed"}, "type": {"ransomware"}, "aware_at": {aware}}
		if pg := post(t, app, c, loc, close); pg.Status != 400 || pg.Doc.Find("#root_cause-error").Length() != 1 {
			t.Fatalf("close without cause: %d", pg.Status)
		}
		close.Set("root_cause", "保守用PCのOSが古かった")
		close.Set("prevention", "保守用PCの更新とEDRの導入")
		if pg := post(t, app, c, loc, close); pg.Status != 303 {
			t.Fatalf("close: %d %s", pg.Status, pg.Body)
		}
		// The list shows the case only with closed ones included.
		if l := get(t, app, c, "/incidents"); strings.Contains(l.Body, loc) {
			t.Fatal("closed case in the open list")
		}
		if l := get(t, app, c, "/incidents?all=1"); !strings.Contains(l.Body, loc) {
			t.Fatal("closed case missing with all=1")
		}
		// English.
		toEnglish(t, app, c)
		if pg := get(t, app, c, loc); !strings.Contains(pg.Body, "APPI Art. 26") || !strings.Contains(pg.Body, "Duties and deadlines") {
			t.Fatalf("English case page")
		}
		// A viewer sees the page without the forms; another tenant gets 404.
		viewer := signIn(t, app, app.addUser(tn, renkei.RoleViewer))
		if pg := get(t, app, viewer, loc); pg.Status != 200 || pg.Doc.Find(`form[action$="/tasks"]`).Length() != 0 {
			t.Fatalf("viewer: %d", pg.Status)
		}
		other := app.newTenant("乙社", renkei.RoleAdmin)
		oc := signIn(t, app, other.User)
		if pg := get(t, app, oc, loc); pg.Status != 404 {
			t.Fatalf("other tenant: %d", pg.Status)
		}
		otok := csrf(t, app, oc, "/incidents")
		if pg := post(t, app, oc, loc+"/messages", url.Values{"csrf_token": {otok}, "body": {"乗っ取り"}}); pg.Status != 404 {
			t.Fatalf("other tenant posts: %d", pg.Status)
		}
	})
}

// TestIncidentMessagesComplete: every code the pages show has words in
// both languages.
func TestIncidentMessagesComplete(t *testing.T) {
	var keys []string
	add := func(prefix string, codes ...string) {
		for _, c := range codes {
			if c == "" {
				c = "unknown"
			}
			keys = append(keys, prefix+c)
		}
	}
	add("incident.type.", renkei.IncidentTypes...)
	add("incident.type_help.", renkei.IncidentTypes...)
	add("incident.status.", renkei.IncidentStatuses...)
	add("incident.severity.", renkei.IncidentSeverities...)
	add("incident.impact.", renkei.ServiceImpacts...)
	add("incident.containment.", renkei.ContainmentStates...)
	add("incidents.duty.", renkei.ObligationOpen, renkei.ObligationOverdue, renkei.ObligationDone, renkei.ObligationWaived, renkei.ObligationMissed)
	add("incidents.rec.", renkei.RecommendDisclose, renkei.RecommendConsider, renkei.RecommendNotNeeded)
	add("incidents.source.", renkei.IncidentSourceStaff, renkei.IncidentSourcePortal, renkei.IncidentSourceLink)
	add("incidents.event.", "reported", "updated", "status", "obligation", "task", "message", "decision", "file")
	for _, k := range keys {
		for _, lang := range i18n.Languages {
			if !i18n.Has(lang, k) {
				t.Errorf("%q missing in %s", k, lang)
			}
		}
	}
}

// TestIncidentSettingsPage: the preliminary report is set to 5 days (6 is
// refused at its field), flags saved, and a report link made and shown once.
func TestIncidentSettingsPage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		c := signIn(t, app, tn.User)
		pg := get(t, app, c, "/settings/incidents")
		checkPartnerPage(t, "/settings/incidents", pg)
		tok := csrf(t, app, c, "/settings/incidents")
		form := url.Values{"csrf_token": {tok}, "industry": {"i"}, "flags": {"cyber_insurance"}, "for": {"personal_data_misuse", "large_effect"},
			"against": {"secondary_harm"}, "days.appi_preliminary": {"6"}}
		for _, r := range renkei.DefaultObligationRules().Rules {
			form.Set("enabled."+r.Code, "on")
		}
		if pg := post(t, app, c, "/settings/incidents", form); pg.Status != 400 || pg.Doc.Find("#days-appi_preliminary-error").Length() != 1 {
			t.Fatalf("6 days: %d", pg.Status)
		}
		form.Set("days.appi_preliminary", "5")
		if pg := post(t, app, c, "/settings/incidents", form); pg.Status != 303 {
			t.Fatalf("save: %d %s", pg.Status, pg.Body)
		}
		var st renkei.IncidentSettings
		app.call(t, "GET", "/api/v1/incident_settings", req{Token: tn.Token}).JSON(t, &st)
		if st.Industry != "i" || len(st.Flags) != 1 || st.Rules.Version != 2 || st.Rules.Rules[0].Clock.Days != 5 || len(st.Policy.For) != 2 || st.Policy.Version != 2 {
			t.Fatalf("saved %+v", st)
		}
		pg = post(t, app, c, "/settings/incidents/report-link", url.Values{"csrf_token": {tok}})
		u := strings.TrimSpace(pg.Doc.Find("#report-link-url").Text())
		if pg.Status != 200 || !strings.Contains(u, "/report/") {
			t.Fatalf("link: %d %q", pg.Status, u)
		}
		if again := get(t, app, c, "/settings/incidents"); again.Doc.Find("#report-link-url").Length() != 0 {
			t.Fatal("the link is shown again")
		}
		// A security member reads but cannot change.
		sec := signIn(t, app, app.addUser(tn, renkei.RoleSecurity))
		stok := csrf(t, app, sec, "/settings/incidents")
		if pg := post(t, app, sec, "/settings/incidents/report-link", url.Values{"csrf_token": {stok}}); pg.Status != 403 {
			t.Fatalf("security rotates: %d", pg.Status)
		}
	})
}

// TestIncidentReportDraft: the printable draft and the workbook carry the
// case's facts; another tenant gets neither.
func TestIncidentReportDraft(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		id, _ := apiTenancyIncident(t, app, tn)
		c := signIn(t, app, tn.User)
		pg := get(t, app, c, "/incidents/"+id+"/report")
		checkPartnerPage(t, "report", pg)
		if pg.Status != 200 || !strings.Contains(pg.Body, "本人の数") || !strings.Contains(pg.Body, "1500（おそれを含む）") {
			t.Fatalf("draft page %d", pg.Status)
		}
		res, err := c.Get(app.Server.URL + "/incidents/" + id + "/report.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		f, err := excelize.OpenReader(res.Body)
		if err != nil || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Fatalf("workbook: %v %s", err, res.Header.Get("Content-Type"))
		}
		rows, _ := f.GetRows("報告書案")
		found := false
		for _, row := range rows {
			if len(row) > 1 && row[0] == "本人の数" && strings.HasPrefix(row[1], "1500") {
				found = true
			}
		}
		if !found {
			t.Fatalf("rows %q", rows)
		}
		other := app.newTenant("乙社", renkei.RoleAdmin)
		oc := signIn(t, app, other.User)
		if pg := get(t, app, oc, "/incidents/"+id+"/report.xlsx"); pg.Status != 404 {
			t.Fatalf("other tenant's workbook: %d", pg.Status)
		}
	})
}

func TestIncidentMeasuresPage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		apiTenancyIncident(t, app, tn)
		c := signIn(t, app, tn.User)
		pg := get(t, app, c, "/incidents/measures?since=2026-01-01")
		checkPartnerPage(t, "/incidents/measures", pg)
		// The fixture case: occurred 30 March 09:00, discovered 31 March 09:00,
		// aware 1 April 10:00 — 24 and 25 hours.
		if row := pg.Doc.Find("#stage-occurred_to_discovered").Text(); !strings.Contains(row, "24.0時間") {
			t.Fatalf("discovery row %q", row)
		}
		if row := pg.Doc.Find("#stage-discovered_to_aware").Text(); !strings.Contains(row, "25.0時間") {
			t.Fatalf("reporting row %q", row)
		}
		var m renkei.IncidentMeasures
		r := app.call(t, "GET", "/api/v1/incident_measures?since=2026-01-01", req{Token: tn.Token})
		mustStatus(t, r, 200, "measures")
		r.JSON(t, &m)
		if m.Cases != 1 || m.OverdueDuties == 0 {
			t.Fatalf("api measures %+v", m)
		}
		mustStatus(t, app.call(t, "GET", "/api/v1/incident_measures?since=yesterday", req{Token: tn.Token}), 400, "bad since")
	})
}

// TestIncidentSameServiceFlagged: cases at other partners about the same
// shared service (written with other widths) are flagged on a case's page;
// another service's case is not.
func TestIncidentSameServiceFlagged(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		mk := func(name, service string) string {
			p := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": name}})
			r := app.call(t, "POST", "/api/v1/incidents", req{Token: tn.Token, Body: map[string]any{
				"partner_id": p.ID, "type": "shared_service", "service": service, "aware_at": "2026-11-20T10:00:00+09:00"}})
			mustStatus(t, r, 201, "incident")
			var in renkei.Incident
			r.JSON(t, &in)
			return in.Ref
		}
		first := mk("株式会社一号", "ファイル転送サービスX")
		second := mk("株式会社二号", "ﾌｧｲﾙ転送サービスＸ ")
		other := mk("株式会社三号", "クラウドストレージY")
		c := signIn(t, app, tn.User)
		list := get(t, app, c, "/incidents")
		var firstID string
		list.Doc.Find("table.incident-table tbody a").Each(func(_ int, a *goquery.Selection) {
			if strings.TrimSpace(a.Text()) == first {
				firstID, _ = a.Attr("href")
			}
		})
		pg := get(t, app, c, firstID)
		flag := pg.Doc.Find("#same-service").Text()
		if !strings.Contains(flag, second) || strings.Contains(flag, other) || strings.Contains(flag, first) {
			t.Fatalf("same-service flag: %q", flag)
		}
	})
}
