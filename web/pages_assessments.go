package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/google/uuid"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// /assessments: the organization's campaigns with their progress (sent,
// opened, in progress, submitted, reviewed, overdue, the response rate) and
// its assessments, filtered by campaign and status. New campaigns are made
// on /campaigns/new (pages of the campaign mail area).

// assessmentStatuses are the statuses in the order an assessment goes
// through them, as the filter offers them.
var assessmentStatuses = []string{renkei.AssessmentSent, renkei.AssessmentOpened, renkei.AssessmentInProgress,
	renkei.AssessmentSubmitted, renkei.AssessmentReturned, renkei.AssessmentReviewed}

// reviewNotices are the confirmations the review pages show after a
// redirect (?done=NAME); anything else is ignored.
var reviewNotices = map[string]bool{"answered": true, "remediation_created": true, "remediation_saved": true,
	"evidence_saved": true, "program_added": true, "program_saved": true, "program_deleted": true}

// reviewNotice is the message key of the request's confirmation, or "".
func reviewNotice(r *http.Request) string {
	if n := r.URL.Query().Get("done"); reviewNotices[n] {
		return "review.done." + n
	}
	return ""
}

// progressView is a campaign's progress as the pages show it.
type progressView struct {
	Total, Sent, Opened, InProgress, Submitted, Returned, Reviewed, Overdue, ResponseRate int
}

func toProgressView(p renkei.CampaignProgress) progressView {
	return progressView{Total: p.Total, Sent: p.ByStatus[renkei.AssessmentSent], Opened: p.ByStatus[renkei.AssessmentOpened],
		InProgress: p.ByStatus[renkei.AssessmentInProgress], Submitted: p.ByStatus[renkei.AssessmentSubmitted],
		Returned: p.ByStatus[renkei.AssessmentReturned], Reviewed: p.ByStatus[renkei.AssessmentReviewed],
		Overdue: p.Overdue, ResponseRate: p.ResponseRate}
}

// Bar is the response rate as the width class of a bar (bar-w-0 … bar-w-100).
func (p progressView) Bar() string { return barClass(p.ResponseRate) }

func barClass(pct int) string {
	pct = max(0, min(100, pct)) / 5 * 5
	return "bar-w-" + strconv.Itoa(pct)
}

// num is a score without trailing zeros: 88, 87.5.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

type campaignRow struct {
	ID, Name, Template, DueDate string
	Progress                    progressView
}

// assessmentRow is one assessment in a list.
type assessmentRow struct {
	ID, PartnerID, PartnerName, Template, Status, StatusLabel, DueDate string
	Overdue                                                            bool
	Total                                                              string // the score, "" until submitted
	Prefilled                                                          int
}

type assessmentsView struct {
	Campaigns  []campaignRow
	MoreCamps  bool
	Rows       []assessmentRow
	Next       string // the next page's URL, "" when none
	Campaign   string
	Status     string
	Statuses   []option
	CampaignOp []option
	Filtered   bool
}

// templateName is a template's title in lang, by slug (built-in or the
// organization's own); the slug when it has none.
func (s *Server) templateName(ctx context.Context, lang, orgID, slug string) string {
	if t, ok := renkei.BuiltinTemplate(slug); ok {
		return t.Title.Label(lang)
	}
	if st, err := s.cfg.Store.OrgTemplate(ctx, orgID, slug, 0); err == nil && st.Template != nil {
		return st.Template.Title.Label(lang)
	}
	return slug
}

// partnerNames looks partners up once per page.
type partnerNames struct {
	s     *Server
	ctx   context.Context
	orgID string
	seen  map[string]string
}

func (s *Server) partnerNames(ctx context.Context, orgID string) *partnerNames {
	return &partnerNames{s: s, ctx: ctx, orgID: orgID, seen: map[string]string{}}
}

func (n *partnerNames) name(id string) string {
	if v, ok := n.seen[id]; ok {
		return v
	}
	v := id
	if p, err := n.s.cfg.Store.Partner(n.ctx, n.orgID, id); err == nil {
		v = p.Company.Name
	}
	n.seen[id] = v
	return v
}

// assessmentRows turns assessments into rows, judged overdue on today.
func (s *Server) assessmentRows(ctx context.Context, lang, orgID, today string, as []renkei.Assessment) []assessmentRow {
	names := s.partnerNames(ctx, orgID)
	titles := map[string]string{}
	rows := make([]assessmentRow, len(as))
	for i, a := range as {
		if _, ok := titles[a.TemplateSlug]; !ok {
			titles[a.TemplateSlug] = s.templateName(ctx, lang, orgID, a.TemplateSlug)
		}
		row := assessmentRow{ID: a.ID, PartnerID: a.PartnerID, PartnerName: names.name(a.PartnerID), Template: titles[a.TemplateSlug],
			Status: a.Status, StatusLabel: i18n.T(lang, "review.status."+a.Status), DueDate: a.DueDate, Prefilled: a.Prefilled}
		row.Overdue = a.SubmittedAt == nil && a.DueDate < today
		if a.Score != nil {
			row.Total = scoreText(a.Score)
		}
		rows[i] = row
	}
	return rows
}

// scoreText is a total as "88 / 100".
func scoreText(r *renkei.Result) string { return num(r.Total) + " / " + num(r.Max) }

// assessmentsPage is GET /assessments.
func (s *Server) assessmentsPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	ctx, lang := r.Context(), langOf(r)
	q := r.URL.Query()
	v := &assessmentsView{Status: q.Get("status")}
	if id := q.Get("campaign"); id != "" {
		if u, err := uuid.Parse(id); err == nil {
			v.Campaign = u.String()
		}
	}
	if !hasString(assessmentStatuses, v.Status) {
		v.Status = ""
	}
	v.Filtered = v.Campaign != "" || v.Status != ""
	camps, next, err := s.cfg.Store.ListCampaigns(ctx, a.OrgID, renkei.Page{Limit: renkei.MaxPageLimit})
	if err != nil {
		return err
	}
	v.MoreCamps = next != ""
	// Newest first: the campaign being worked on is the one to see.
	for i := len(camps) - 1; i >= 0; i-- {
		c := camps[i]
		p, err := s.cfg.Store.CampaignProgress(ctx, a.OrgID, c.ID)
		if err != nil {
			return err
		}
		name := c.Name
		if name == "" {
			name = i18n.T(lang, "review.campaign.unnamed", c.DueDate)
		}
		v.Campaigns = append(v.Campaigns, campaignRow{ID: c.ID, Name: name, Template: s.campaignTemplateName(ctx, lang, a.OrgID, c.TemplateSlug),
			DueDate: c.DueDate, Progress: toProgressView(p)})
		v.CampaignOp = append(v.CampaignOp, option{Value: c.ID, Label: name, Selected: c.ID == v.Campaign})
	}
	v.Statuses = msgOptions(lang, "review.status.", assessmentStatuses, v.Status)
	page := renkei.Page{Limit: listPageSize, Cursor: q.Get("cursor")}
	if _, err := renkei.DecodeCursor(page.Cursor); err != nil {
		page.Cursor = ""
	}
	as, nextA, err := s.cfg.Store.ListAssessments(ctx, a.OrgID, renkei.AssessmentFilter{CampaignID: v.Campaign, Status: v.Status}, page)
	if err != nil {
		return err
	}
	v.Rows = s.assessmentRows(ctx, lang, a.OrgID, renkei.TokyoDay(s.now()), as)
	if nextA != "" {
		nq := url.Values{"cursor": {nextA}}
		if v.Campaign != "" {
			nq.Set("campaign", v.Campaign)
		}
		if v.Status != "" {
			nq.Set("status", v.Status)
		}
		v.Next = "/assessments?" + nq.Encode()
	}
	s.render(w, r, http.StatusOK, "assessments", &pageData{Title: "nav.assessments", Section: "assessments", Data: v})
	return nil
}

// campaignTemplateName names a campaign's template ("by required level"
// in words).
func (s *Server) campaignTemplateName(ctx context.Context, lang, orgID, slug string) string {
	if slug == renkei.TemplateByRequiredLevel {
		return i18n.T(lang, "review.campaign.by_level")
	}
	return s.templateName(ctx, lang, orgID, slug)
}
