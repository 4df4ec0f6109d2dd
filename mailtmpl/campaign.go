package mailtmpl

import (
	"strconv"
	"strings"
	"time"

	"github.com/renkei/renkei"
)

// Assessment is the data of the assessment_invite, assessment_reminder,
// assessment_overdue and assessment_escalation templates. Every value is
// already in the mail's language; a template shows AskedBy and Campaign
// only when they are set.
type Assessment struct {
	OrgName       string // who asks
	AskedBy       string // the person who started the campaign
	Partner       string
	Campaign      string
	Template      string // the checklist's title
	DueDate       string // formatted (DueDateText)
	Days          string // days left or past due, as digits
	URL           string // the portal link, or the campaign page for staff
	LoginURL      string // the portal's sign-in page
	LinkExpiresAt string // Japan time, formatted
	Overdue       string // escalation: the partners still open, one per line
	Count         string // escalation: how many
}

// CampaignMailer renders campaign mail (renkei.CampaignMailer) with links
// under BaseURL (e.g. https://renkei.example.co.jp).
type CampaignMailer struct {
	BaseURL string
}

// RenderCampaignMail implements renkei.CampaignMailer.
func (c CampaignMailer) RenderCampaignMail(m *renkei.CampaignMail) (*renkei.Mail, error) {
	loc := Locale(m.Locale)
	base := strings.TrimRight(c.BaseURL, "/")
	d := Assessment{
		OrgName: m.OrgName, AskedBy: m.AskedBy, Partner: m.Partner, Campaign: m.Campaign,
		Template: m.Template.Label(loc), DueDate: DueDateText(loc, m.DueDate), Days: strconv.Itoa(m.Days),
		LoginURL: base + "/portal/login",
	}
	if m.LinkPath != "" {
		d.URL = base + m.LinkPath
		d.LinkExpiresAt = m.LinkExpiresAt.In(renkei.Tokyo).Format("2006-01-02 15:04")
	}
	if m.Kind == renkei.CampaignMailEscalation {
		d.URL = base + "/campaigns/" + m.CampaignID
		bullet := "・"
		if loc == "en" {
			bullet = "- "
		}
		d.Overdue = bullet + strings.Join(m.Overdue, "\n"+bullet)
		d.Count = strconv.Itoa(len(m.Overdue))
	}
	subject, text, html, err := Render("assessment_"+m.Kind, loc, d)
	if err != nil {
		return nil, err
	}
	return &renkei.Mail{Subject: subject, Text: text, HTML: html, Locale: loc}, nil
}

var weekdaysJA = []string{"日", "月", "火", "水", "木", "金", "土"}

// DueDateText writes a YYYY-MM-DD date as people read it: 2026年12月31日（木）
// or Thursday, 31 December 2026. A date it cannot read is returned as is.
func DueDateText(locale, date string) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	if Locale(locale) == "en" {
		return d.Format("Monday, 2 January 2006")
	}
	return d.Format("2006年1月2日") + "（" + weekdaysJA[d.Weekday()] + "）"
}
