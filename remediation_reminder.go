package renkei

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// Remediation reminders: the owner of an open remediation item gets one
// mail RemindBeforeDays before its due date and one when it is overdue,
// each once per item and due date (a moved due date earns new ones). The
// job runs hourly (KindRemediationReminders); the log of sent reminders has
// a unique key, so replicas and retries never send one twice.

// KindRemediationReminders is the periodic job that sends them.
const KindRemediationReminders = "remediation.reminders"

// RemindBeforeDays is how many days before the due date the first
// reminder goes out.
const RemindBeforeDays = 7

// Reminder kinds.
const (
	ReminderBefore  = "before"
	ReminderOverdue = "overdue"
)

// RemediationReminder is one reminder to send.
type RemediationReminder struct {
	Kind        string // ReminderBefore or ReminderOverdue
	Remediation Remediation
	OrgName     string
	PartnerName string
	To          string // the owner's address
	Locale      string // the owner's language when a member, else "ja"
}

// Key is the reminder's unique key in the log.
func (r RemediationReminder) Key() string {
	return r.Remediation.ID + "/" + r.Kind + "/" + r.Remediation.DueDate
}

// OwnerEmail returns owner as an e-mail address, or "" when it is not one
// (a department's name, say), in which case no reminder is sent.
func OwnerEmail(owner string) string {
	owner = strings.TrimSpace(owner)
	a, err := mail.ParseAddress(owner)
	if err != nil || a.Name != "" || !strings.Contains(a.Address, "@") {
		return ""
	}
	return a.Address
}

// ReminderKind says which reminder, if any, an open item with dueDate is
// due on today (both YYYY-MM-DD).
func ReminderKind(dueDate, today string) string {
	due, err := time.Parse(time.DateOnly, dueDate)
	if err != nil {
		return ""
	}
	switch {
	case dueDate < today:
		return ReminderOverdue
	case due.AddDate(0, 0, -RemindBeforeDays).Format(time.DateOnly) <= today:
		return ReminderBefore
	}
	return ""
}

// TokyoDay is the day of t in Japan (YYYY-MM-DD): due dates are Japanese
// days.
func TokyoDay(t time.Time) string {
	return t.In(tokyo).Format(time.DateOnly)
}

var tokyo = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Tokyo"); err == nil {
		return l
	}
	return time.FixedZone("JST", 9*60*60) // Japan has no daylight saving
}()

// SendRemediationReminders is the handler of KindRemediationReminders:
// it renders and queues every reminder due now. A failure to render one is
// joined to the result (the job is retried; the ones sent stay sent).
func SendRemediationReminders(ctx context.Context, store ReviewStore, render func(RemediationReminder) (*Mail, error), now time.Time) (int, error) {
	due, err := store.DueRemediationReminders(ctx, TokyoDay(now))
	if err != nil {
		return 0, err
	}
	return sendReminders(due, render, func(r RemediationReminder, m *Mail) (bool, error) {
		m.OrgID, m.To, m.Locale = r.Remediation.OrgID, r.To, r.Locale
		return store.SendRemediationReminder(ctx, r, m)
	})
}
