package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/smtpmail/smtptest"
	"github.com/renkei/renkei/sqlstore/storetest"
	"github.com/renkei/renkei/web"
)

// TestIncidentDutyRemindersOnceEach runs the duty reminder job at fixed
// moments and delivers its mail to a real SMTP server: 24 hours before a
// duty falls due and when it is overdue, once each, to the case's owner in
// their language; a case without an owner goes to admins and security.
func TestIncidentDutyRemindersOnceEach(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		owner := app.addNamedUser(tn, renkei.RoleSecurity, "csirt", "CSIRT", "en")
		staff := staffCtx(tn)
		in := &renkei.Incident{OrgID: tn.Org.ID, Type: "lost_device", AwareAt: time.Now().Add(-time.Hour), Title: "ノートPCの紛失",
			Owner: owner.Email, PersonalData: renkei.PersonalData{Persons: 1500}}
		if err := app.DB.CreateIncident(staff, in); err != nil {
			t.Fatal(err)
		}
		d := dutyByCode(t, app, tn, in.ID)
		pre, final := *d["appi_preliminary"].DueAt, *d["appi_final"].DueAt
		render := web.IncidentReminderMail("https://renkei.example.jp/")
		run := func(now time.Time) int {
			t.Helper()
			n, err := renkei.SendDutyReminders(storetest.System(), app.DB, render, now)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, c := range []struct {
			at   time.Time
			want int
		}{
			{pre.Add(-25 * time.Hour), 0},
			{pre.Add(-23 * time.Hour), 1}, // the preliminary report: 24 hours left
			{pre.Add(-22 * time.Hour), 0}, // told once
			{pre.Add(time.Hour), 1},       // overdue
			{pre.Add(48 * time.Hour), 0},  // still overdue: told once
			{final.Add(-time.Hour), 1},    // the final report: 24 hours left
		} {
			if got := run(c.at); got != c.want {
				t.Fatalf("at %s: %d reminders, want %d", c.at, got, c.want)
			}
		}
		// A duty marked done is not reminded of; a closed case neither.
		if err := app.DB.SetObligationStatus(staff, tn.Org.ID, in.ID, "appi_final", renkei.ObligationDone, ""); err != nil {
			t.Fatal(err)
		}
		if got := run(final.Add(time.Hour)); got != 0 {
			t.Fatalf("done duty reminded: %d", got)
		}
		// A case without an owner: admins and security staff (the tenant's
		// admin and the CSIRT member).
		other := &renkei.Incident{OrgID: tn.Org.ID, Type: "ransomware", AwareAt: time.Now().Add(-time.Hour), PersonalData: renkei.PersonalData{Sensitive: true, Persons: 1}}
		if err := app.DB.CreateIncident(staff, other); err != nil {
			t.Fatal(err)
		}
		opre := *dutyByCode(t, app, tn, other.ID)["appi_preliminary"].DueAt
		if got := run(opre.Add(-time.Hour)); got != 2 {
			t.Fatalf("ownerless case: %d reminders, want 2", got)
		}

		srv := deliverOutbox(t, app)
		var toOwner []smtptest.Message
		for _, m := range srv.Messages() {
			if len(m.To) == 1 && strings.EqualFold(m.To[0], owner.Email) {
				toOwner = append(toOwner, m)
			}
		}
		// Three for the owned case, one for the ownerless one.
		if len(toOwner) != 4 || len(srv.Messages()) != 5 {
			t.Fatalf("%d mails to the owner, %d in all", len(toOwner), len(srv.Messages()))
		}
		link := "https://renkei.example.jp/incidents/" + in.ID
		if !strings.Contains(toOwner[0].Subject, "falls due soon") || !strings.Contains(toOwner[0].Text, link) ||
			!strings.Contains(toOwner[0].Text, "Preliminary report to the PPC") || !strings.Contains(toOwner[1].Subject, "overdue") {
			t.Fatalf("owner's mail: %q\n%s", toOwner[0].Subject, toOwner[0].Text)
		}
		for _, m := range srv.Messages() {
			if strings.EqualFold(m.To[0], tn.User.Email) && !strings.Contains(m.Subject, "報告義務の期限が近づいています") {
				t.Fatalf("admin's mail in Japanese: %q", m.Subject)
			}
		}
	})
}

func dutyByCode(t *testing.T, app *testApp, tn *tenant, id string) map[string]renkei.Obligation {
	t.Helper()
	obs, err := app.DB.Obligations(staffCtx(tn), tn.Org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]renkei.Obligation{}
	for _, ob := range obs {
		out[ob.Code] = ob
	}
	return out
}
