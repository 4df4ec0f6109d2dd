package renkei

import (
	"slices"
	"time"
)

// Campaign recurrences.
const (
	RecurNone       = ""
	RecurYearly     = "yearly"
	RecurHalfYearly = "half_yearly"
)

// recurrenceMonths is the period of each recurrence, 0 for none.
var recurrenceMonths = map[string]int{RecurNone: 0, RecurYearly: 12, RecurHalfYearly: 6}

// RecurrenceMonths is the period of a recurrence in months, 0 for none.
func RecurrenceMonths(r string) int { return recurrenceMonths[r] }

// AddMonths moves a YYYY-MM-DD date by months, keeping the day of the
// month or, where the month is shorter, its last day (2027-08-31 plus six
// months is 2028-02-29, not a day in March). It returns "" for a date it
// cannot read.
func AddMonths(date string, months int) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// ScheduleRecurrence sets NextRunOn: the Tokyo date the campaign was
// created on, moved by its period ("" when it does not recur).
func (c *Campaign) ScheduleRecurrence() {
	c.NextRunOn = ""
	if m := recurrenceMonths[c.Recurrence]; m > 0 {
		c.NextRunOn = AddMonths(TokyoDay(c.CreatedAt), m)
	}
}

// NextCampaign is the campaign a recurring campaign c creates when its
// NextRunOn comes: the same name, template, filter, reminders and
// recurrence, its due date and next run moved by the period (so that a job
// that runs late does not shift the series), and PreviousID naming c. Its
// ID and creation time are the store's to set.
func (c *Campaign) NextCampaign() *Campaign {
	m := recurrenceMonths[c.Recurrence]
	if m == 0 {
		return nil
	}
	next := &Campaign{
		OrgID: c.OrgID, Name: c.Name, TemplateSlug: c.TemplateSlug, DueDate: AddMonths(c.DueDate, m),
		Reminders: append([]int{}, c.Reminders...), Recurrence: c.Recurrence, PreviousID: c.ID, CreatedBy: c.CreatedBy,
		NextRunOn: AddMonths(c.NextRunOn, m),
	}
	if f := c.Filter; f != nil {
		next.Filter = &CampaignFilter{Types: slices.Clone(f.Types), Tiers: slices.Clone(f.Tiers),
			RequiredLevels: slices.Clone(f.RequiredLevels), Industries: slices.Clone(f.Industries), Departments: slices.Clone(f.Departments)}
	}
	return next
}
