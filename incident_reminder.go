package renkei

import (
	"context"
	"errors"
	"time"
)

// Duty reminders: before an incident's duty falls due, and when it is
// overdue, the case's owner (when the owner is a member's address) or else
// the organization's admins and security staff get a mail — each reminder
// once per duty, deadline and recipient. The job runs hourly
// (KindIncidentReminders); the log has a unique key, so replicas and
// retries never send one twice.

// KindIncidentReminders is the periodic job that sends them.
const KindIncidentReminders = "incident.reminders"

// DutyRemindBefore is how long before a deadline the first reminder goes.
const DutyRemindBefore = 24 * time.Hour

// DutyReminder is one reminder to send to one person.
type DutyReminder struct {
	Kind       string // ReminderBefore or ReminderOverdue
	OrgID      string
	OrgName    string
	IncidentID string
	Ref        string
	Title      string
	Code       string
	Duty       Bilingual
	DueAt      time.Time
	To         string
	Locale     string
}

// Key is the reminder's unique key in the log: a moved deadline earns new
// reminders.
func (r DutyReminder) Key() string {
	return r.IncidentID + "/" + r.Code + "/" + r.Kind + "/" + r.DueAt.UTC().Format(time.RFC3339) + "/" + r.To
}

// DutyReminderKind says which reminder, if any, an open duty due at due
// calls for at now.
func DutyReminderKind(due, now time.Time) string {
	switch {
	case now.After(due):
		return ReminderOverdue
	case due.Sub(now) <= DutyRemindBefore:
		return ReminderBefore
	}
	return ""
}

// DutyReminderStore is what the job needs from storage. Both methods are
// for the system actor only.
type DutyReminderStore interface {
	// DueDutyReminders lists the reminders due at now not yet sent.
	DueDutyReminders(ctx context.Context, now time.Time) ([]DutyReminder, error)
	// SendDutyReminder logs the reminder and queues its mail in one
	// transaction; false when it was already sent.
	SendDutyReminder(ctx context.Context, r DutyReminder, m *Mail) (bool, error)
}

// SendDutyReminders is the handler of KindIncidentReminders.
func SendDutyReminders(ctx context.Context, store DutyReminderStore, render func(DutyReminder) (*Mail, error), now time.Time) (int, error) {
	due, err := store.DueDutyReminders(ctx, now)
	if err != nil {
		return 0, err
	}
	return sendReminders(due, render, func(r DutyReminder, m *Mail) (bool, error) {
		m.OrgID, m.To, m.Locale = r.OrgID, r.To, r.Locale
		return store.SendDutyReminder(ctx, r, m)
	})
}

// sendReminders renders and queues each reminder due, and counts those
// sent (false from send: already sent). A reminder that fails is joined
// to the error and the others still go: the job is retried, and what was
// sent stays sent.
func sendReminders[R any](due []R, render func(R) (*Mail, error), send func(R, *Mail) (bool, error)) (int, error) {
	sent := 0
	var errs []error
	for _, r := range due {
		m, err := render(r)
		if err == nil {
			var ok bool
			if ok, err = send(r, m); ok {
				sent++
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return sent, errors.Join(errs...)
}
