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

// TestRemediationRemindersOnceEach runs the reminder job on fixed days and
// delivers its mail through the outbox to a real SMTP server: one mail
// before the due date and one when it has passed, each once, in the
// owner's language; items without an address or closed get none.
func TestRemediationRemindersOnceEach(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		owner := app.addNamedUser(tn, renkei.RoleSecurity, "owner", "Owner", "en")
		_, mailed := apiSubmittedWithRemediation(t, app, tn, "")
		mailed.Owner, mailed.DueDate, mailed.Title = strings.ToUpper(owner.Email), "2099-09-30", "訓練を年1回行う"
		if err := app.DB.UpdateRemediation(storetest.System(), mailed); err != nil {
			t.Fatal(err)
		}
		// No address, and closed: never mailed.
		_, dept := apiSubmittedWithRemediation(t, app, tn, "")
		dept.Owner, dept.DueDate = "情報システム部", "2099-09-30"
		_, closed := apiSubmittedWithRemediation(t, app, tn, "")
		closed.Owner, closed.DueDate, closed.Status = "closed@example.jp", "2099-09-30", renkei.RemediationDone
		for _, m := range []*renkei.Remediation{dept, closed} {
			if err := app.DB.UpdateRemediation(storetest.System(), m); err != nil {
				t.Fatal(err)
			}
		}

		render := web.RemediationReminderMail("https://renkei.example.jp/")
		run := func(day string) int {
			t.Helper()
			// 03:00 UTC is noon in Japan: the day is the same in both.
			now, _ := time.Parse(time.RFC3339, day+"T03:00:00Z")
			n, err := renkei.SendRemediationReminders(storetest.System(), app.DB, render, now)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, c := range []struct {
			day  string
			want int
		}{
			{"2099-09-22", 0}, // more than 7 days before
			{"2099-09-23", 1}, // 7 days before
			{"2099-09-23", 0}, // the same day again
			{"2099-09-30", 0}, // due today: already reminded
			{"2099-10-01", 1}, // overdue
			{"2099-10-15", 0}, // still overdue: told once
		} {
			if got := run(c.day); got != c.want {
				t.Fatalf("%s: %d reminders, want %d", c.day, got, c.want)
			}
		}

		// The outbox to a real SMTP server.
		srv := deliverOutbox(t, app)
		var got []smtptest.Message
		for _, m := range srv.Messages() {
			if len(m.To) == 1 && strings.EqualFold(m.To[0], owner.Email) {
				got = append(got, m)
			}
		}
		if len(got) != 2 || len(srv.Messages()) != 2 {
			t.Fatalf("%d mails to the owner, %d in all; want 2", len(got), len(srv.Messages()))
		}
		if !strings.Contains(got[0].Subject, "due soon") || !strings.Contains(got[1].Subject, "overdue") {
			t.Fatalf("subjects %q, %q", got[0].Subject, got[1].Subject)
		}
		link := "https://renkei.example.jp/remediations/" + mailed.ID
		for _, m := range got {
			if !strings.Contains(m.Text, link) || !strings.Contains(m.Text, "訓練を年1回行う") || !strings.Contains(m.Text, "2099-09-30") {
				t.Fatalf("text: %s", m.Text)
			}
		}
	})
}
