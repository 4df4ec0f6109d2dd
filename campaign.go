package renkei

import "time"

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
}

// CampaignResult says what CreateCampaign made.
type CampaignResult struct {
	Assessments int `json:"assessments"`
	Prefilled   int `json:"prefilled"` // answers prefilled over all assessments
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
