package renkei

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// TemplateByRequiredLevel is the campaign template that picks, per
// partner, supply-chain-star3 or supply-chain-star4 by its required level.
const TemplateByRequiredLevel = "by_required_level"

// DefaultReminders are the days before the due date a reminder goes out.
var DefaultReminders = []int{14, 7, 3, 1}

// Campaign sends one template to many partners with a due date.
type Campaign struct {
	ID           string    `json:"id"`
	OrgID        string    `json:"org_id"`
	Name         string    `json:"name"`
	TemplateSlug string    `json:"template"` // a template slug or TemplateByRequiredLevel
	DueDate      string    `json:"due_date"` // YYYY-MM-DD
	Reminders    []int     `json:"reminders"`
	Status       string    `json:"status"` // "active"
	CreatedAt    time.Time `json:"created_at"`
	CreatedBy    string    `json:"created_by"`
	// Filter chose the partners when it is set; nil when they were listed.
	Filter *CampaignFilter `json:"filter"`
	// Recurrence is "", RecurYearly or RecurHalfYearly.
	Recurrence string `json:"recurrence"`
	// NextRunOn is the Tokyo date the next campaign of a recurring one is
	// created ("" when it does not recur).
	NextRunOn string `json:"next_run_on"`
	// PreviousID is the campaign this one recurs from ("" for the first).
	PreviousID string `json:"previous_id"`
	// Mailed and NoContact count the invitations queued and the partners
	// that had no address to send one to.
	Mailed    int `json:"mailed"`
	NoContact int `json:"no_contact"`
}

// CampaignResult says what CreateCampaign made.
type CampaignResult struct {
	Assessments int `json:"assessments"`
	Prefilled   int `json:"prefilled"` // answers prefilled over all assessments
	Mailed      int `json:"mailed"`    // invitation mails queued
	NoContact   int `json:"no_contact"`
	// NoContactPartners are the partners without a contact address, so
	// that staff can fix them and send again.
	NoContactPartners []string `json:"no_contact_partner_ids"`
}

// CampaignProgress counts a campaign's assessments by status.
type CampaignProgress struct {
	Total    int            `json:"total"`
	ByStatus map[string]int `json:"by_status"`
	Overdue  int            `json:"overdue"`
	// ResponseRate is submitted or later (submitted, returned, reviewed)
	// over all, in percent rounded down.
	ResponseRate int `json:"response_rate"`
}

// CampaignTemplateFor returns the template slug a campaign sends to a
// partner with the given required level.
func CampaignTemplateFor(slug, requiredLevel string) string {
	if slug != TemplateByRequiredLevel {
		return slug
	}
	if requiredLevel == LevelStar4 {
		return "supply-chain-star4"
	}
	return "supply-chain-star3"
}

// MaxReminders is how many reminder days a campaign may have.
const MaxReminders = 10

// Prepare normalizes the campaign's own fields before it is created and
// returns field errors keyed as the API names them: the name trimmed, the
// due date a date, the reminders whole days from 0 to 365 (the defaults
// when nil; sorted from the earliest, duplicates dropped), the recurrence
// known and the filter's values known. The template and the partners are
// the store's to check.
func (c *Campaign) Prepare() map[string]string {
	fields := map[string]string{}
	c.Name = strings.TrimSpace(c.Name)
	if utf8.RuneCountInString(c.Name) > 200 {
		fields["name"] = "field.too_long"
	} else if hasControl(c.Name) {
		fields["name"] = "field.text"
	}
	if !ValidDate(c.DueDate) {
		fields["due_date"] = "field.date"
	}
	if c.Reminders == nil {
		c.Reminders = slices.Clone(DefaultReminders)
	}
	for _, d := range c.Reminders {
		if d < 0 || d > 365 {
			fields["reminders"] = "field.reminders"
		}
	}
	slices.Sort(c.Reminders)
	c.Reminders = slices.Compact(c.Reminders)
	slices.Reverse(c.Reminders)
	if len(c.Reminders) > MaxReminders {
		fields["reminders"] = "field.reminders"
	}
	if _, ok := recurrenceMonths[c.Recurrence]; !ok {
		fields["recurrence"] = "field.recurrence"
	}
	if c.Filter != nil {
		for k, v := range c.Filter.Validate() {
			fields["filter."+k] = v
		}
	}
	return fields
}

// ParseReminderDays reads reminder days as people type them: whole numbers
// separated by commas, 、 or spaces, in half- or full-width digits
// ("14, 7, 3, 1", "１４、７"). Empty means no reminders. ok is false for
// anything else; the values' range is Prepare's to check.
func ParseReminderDays(s string) (days []int, ok bool) {
	days = []int{}
	fields := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ',', '、', '，', '､', ' ', '　', '\t', '\n', '\r':
			return true
		}
		return false
	})
	if len(fields) > MaxReminders*4 {
		return nil, false
	}
	for _, f := range fields {
		n := 0
		for _, r := range f {
			switch {
			case r >= '0' && r <= '9':
				n = n*10 + int(r-'0')
			case r >= '０' && r <= '９':
				n = n*10 + int(r-'０')
			default:
				return nil, false
			}
			if n > 100_000 {
				return nil, false
			}
		}
		days = append(days, n)
	}
	return days, true
}
