package renkei

import (
	"strconv"
	"time"
)

// Campaign mails, by kind. Each is sent at most once per assessment: the
// store keeps a log keyed by (assessment, key) where the key is the kind,
// or "reminder_N" for the reminder N days before the due date.
const (
	CampaignMailInvite     = "invite"
	CampaignMailReminder   = "reminder"
	CampaignMailOverdue    = "overdue"
	CampaignMailEscalation = "escalation"
)

// EscalateAfterDays is how many days after the due date an assessment
// still open is escalated to the owning department.
const EscalateAfterDays = 3

// ScheduledMail is one mail the schedule says is due for an assessment.
type ScheduledMail struct {
	Kind string // CampaignMailReminder, CampaignMailOverdue or CampaignMailEscalation
	Key  string // the log key: "reminder_7", "overdue", "escalation"
	// Days is, for a reminder, the days left until the due date; for an
	// overdue notice or an escalation, the days past it.
	Days int
}

// CampaignMailsDue returns the mails due on day today for an assessment
// still open, sent on sentOn and due on due (all Tokyo calendar dates,
// YYYY-MM-DD; reminders are days before due).
//
// Only dates after the day it was sent count: the invitation already says
// everything a reminder would on that day. Of the partner's mails (the
// reminders, then the overdue notice the day after due) only the latest
// whose date has come is returned, so a job that did not run for some days
// sends one mail that fits the day rather than every one it missed. The
// escalation to the owning department comes EscalateAfterDays after due,
// besides. The caller drops what its log says was sent.
func CampaignMailsDue(sentOn, due, today string, reminders []int) []ScheduledMail {
	sent, err1 := time.Parse(time.DateOnly, sentOn)
	d, err2 := time.Parse(time.DateOnly, due)
	now, err3 := time.Parse(time.DateOnly, today)
	if err1 != nil || err2 != nil || err3 != nil {
		return nil
	}
	counts := func(at time.Time) bool { return at.After(sent) && !at.After(now) }
	var out []ScheduledMail
	var latest time.Time
	var partner *ScheduledMail
	for _, r := range reminders {
		at := d.AddDate(0, 0, -r)
		if counts(at) && (partner == nil || at.After(latest)) {
			latest, partner = at, &ScheduledMail{Kind: CampaignMailReminder, Key: CampaignMailReminder + "_" + strconv.Itoa(r), Days: r}
		}
	}
	if at := d.AddDate(0, 0, 1); counts(at) {
		partner = &ScheduledMail{Kind: CampaignMailOverdue, Key: CampaignMailOverdue, Days: daysBetween(d, now)}
	}
	if partner != nil {
		out = append(out, *partner)
	}
	if at := d.AddDate(0, 0, EscalateAfterDays); counts(at) {
		out = append(out, ScheduledMail{Kind: CampaignMailEscalation, Key: CampaignMailEscalation, Days: daysBetween(d, now)})
	}
	return out
}

func daysBetween(from, to time.Time) int { return int(to.Sub(from).Hours() / 24) }
