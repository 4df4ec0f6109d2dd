package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/renkei/renkei"
)

// apiTemplate is a template as GET /api/v1/templates lists it.
type apiTemplate struct {
	Slug      string           `json:"slug"`
	Version   int              `json:"version"`
	Kind      string           `json:"kind"`
	Title     renkei.Bilingual `json:"title"`
	Questions int              `json:"questions"`
}

func toAPITemplate(t *renkei.Template) apiTemplate {
	return apiTemplate{Slug: t.Slug, Version: t.Version, Kind: t.Kind, Title: t.Title, Questions: t.QuestionCount()}
}

// apiListTemplates is GET /api/v1/templates: the built-in templates in
// their order, then the latest version of each of the organization's own,
// by slug.
func (s *Server) apiListTemplates(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	var all []apiTemplate
	for _, t := range renkei.BuiltinTemplates() {
		all = append(all, toAPITemplate(t))
	}
	own, err := s.cfg.Store.ListOrgTemplates(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	for i := range own {
		if t := own[i].Template; t != nil {
			at := toAPITemplate(t)
			at.Slug, at.Version, at.Kind = own[i].Slug, own[i].Version, renkei.TemplateOrg
			all = append(all, at)
		}
	}
	items, next, err := apiPageSlice(all, func(t *apiTemplate) string { return t.Slug }, page)
	if err != nil {
		return err
	}
	writeList(w, items, next)
	return nil
}

// apiCampaign is a campaign as the API shows it.
type apiCampaign struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Template  string    `json:"template"`
	DueDate   string    `json:"due_date"`
	Reminders []int     `json:"reminders"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	// Filter chose the partners (null when they were listed); Mailed
	// counts the invitations queued, NoContact the partners without an
	// address to send one to.
	Filter     *renkei.CampaignFilter `json:"filter"`
	Recurrence string                 `json:"recurrence"`
	NextRunOn  string                 `json:"next_run_on"`
	Mailed     int                    `json:"mailed"`
	NoContact  int                    `json:"no_contact"`
}

func toAPICampaign(c *renkei.Campaign) apiCampaign {
	rem := c.Reminders
	if rem == nil {
		rem = []int{}
	}
	return apiCampaign{ID: c.ID, Name: c.Name, Template: c.TemplateSlug, DueDate: c.DueDate, Reminders: rem,
		Status: c.Status, CreatedAt: utc(c.CreatedAt), CreatedBy: c.CreatedBy,
		Filter: c.Filter, Recurrence: c.Recurrence, NextRunOn: c.NextRunOn, Mailed: c.Mailed, NoContact: c.NoContact}
}

// apiCampaignCreated is POST /api/v1/campaigns's answer.
type apiCampaignCreated struct {
	apiCampaign
	Assessments int `json:"assessments"`
	Prefilled   int `json:"prefilled"`
	// NoContactPartnerIDs lists the partners without a contact address,
	// for staff to fix.
	NoContactPartnerIDs []string `json:"no_contact_partner_ids"`
}

// apiCampaignDetail is GET /api/v1/campaigns/{id}.
type apiCampaignDetail struct {
	apiCampaign
	Progress apiCampaignProgress `json:"progress"`
}

type apiCampaignProgress struct {
	Total        int            `json:"total"`
	ByStatus     map[string]int `json:"by_status"`
	Overdue      int            `json:"overdue"`
	ResponseRate int            `json:"response_rate"`
}

type campaignCreate struct {
	Template   string                 `json:"template"`
	PartnerIDs []string               `json:"partner_ids"`
	DueDate    string                 `json:"due_date"`
	Name       string                 `json:"name"`
	Reminders  []int                  `json:"reminders"`
	Filter     *renkei.CampaignFilter `json:"filter"`
	Recurrence string                 `json:"recurrence"`
}

// apiCreateCampaign is POST /api/v1/campaigns: one assessment per partner
// (listed, or chosen by the filter) and an invitation mail to each.
func (s *Server) apiCreateCampaign(w http.ResponseWriter, r *http.Request) error {
	var in campaignCreate
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	checkText(fields, "name", in.Name)
	checkText(fields, "template", in.Template)
	if in.Template == "" {
		fields["template"] = "field.required"
	}
	for _, id := range in.PartnerIDs {
		checkText(fields, "partner_ids", id)
	}
	if err := invalid(fields); err != nil {
		return err
	}
	c := &renkei.Campaign{OrgID: actor(r).OrgID, Name: in.Name, TemplateSlug: in.Template, DueDate: in.DueDate, Reminders: in.Reminders,
		Filter: in.Filter, Recurrence: in.Recurrence}
	res, err := s.createCampaign(r, c, in.PartnerIDs)
	if err != nil {
		return err
	}
	ids := res.NoContactPartners
	if ids == nil {
		ids = []string{}
	}
	ac := toAPICampaign(c)
	ac.Mailed, ac.NoContact = res.Mailed, res.NoContact
	created(w, apiCampaignCreated{apiCampaign: ac, Assessments: res.Assessments, Prefilled: res.Prefilled, NoContactPartnerIDs: ids})
	return nil
}

// apiListCampaigns is GET /api/v1/campaigns.
func (s *Server) apiListCampaigns(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	cs, next, err := s.cfg.Store.ListCampaigns(r.Context(), actor(r).OrgID, page)
	if err != nil {
		return err
	}
	out := make([]apiCampaign, len(cs))
	for i := range cs {
		out[i] = toAPICampaign(&cs[i])
	}
	writeList(w, out, next)
	return nil
}

// apiGetCampaign is GET /api/v1/campaigns/{id}, with its progress.
func (s *Server) apiGetCampaign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "campaign")
	if err != nil {
		return err
	}
	orgID := actor(r).OrgID
	c, err := s.cfg.Store.Campaign(r.Context(), orgID, id)
	if err != nil {
		return err
	}
	p, err := s.cfg.Store.CampaignProgress(r.Context(), orgID, id)
	if err != nil {
		return err
	}
	by := p.ByStatus
	if by == nil {
		by = map[string]int{}
	}
	writeJSON(w, http.StatusOK, apiCampaignDetail{apiCampaign: toAPICampaign(c),
		Progress: apiCampaignProgress{Total: p.Total, ByStatus: by, Overdue: p.Overdue, ResponseRate: p.ResponseRate}})
	return nil
}

// apiAssessment is an assessment as the API lists it.
type apiAssessment struct {
	ID              string     `json:"id"`
	CampaignID      string     `json:"campaign_id"`
	PartnerID       string     `json:"partner_id"`
	CompanyID       string     `json:"company_id"`
	Template        string     `json:"template"`
	TemplateVersion int        `json:"template_version"`
	Status          string     `json:"status"`
	DueDate         string     `json:"due_date"`
	Prefilled       int        `json:"prefilled"`
	SubmittedAt     *time.Time `json:"submitted_at"`
	ReviewedAt      *time.Time `json:"reviewed_at"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

func toAPIAssessment(a *renkei.Assessment) apiAssessment {
	return apiAssessment{ID: a.ID, CampaignID: a.CampaignID, PartnerID: a.PartnerID, CompanyID: a.CompanyID,
		Template: a.TemplateSlug, TemplateVersion: a.TemplateVersion, Status: a.Status, DueDate: a.DueDate,
		Prefilled: a.Prefilled, SubmittedAt: utcPtr(a.SubmittedAt), ReviewedAt: utcPtr(a.ReviewedAt),
		CreatedAt: utc(a.CreatedAt), UpdatedAt: utc(a.UpdatedAt)}
}

// apiScore is an assessment's score as the API shows it.
type apiScore struct {
	Method   string                 `json:"method"`
	Total    float64                `json:"total"`
	Max      float64                `json:"max"`
	Band     *renkei.ResultBand     `json:"band"` // null when the template has no bands
	Sections []renkei.SectionResult `json:"sections"`
	Levels   []renkei.LevelResult   `json:"levels"`
}

func toAPIScore(r *renkei.Result) *apiScore {
	if r == nil {
		return nil
	}
	s := &apiScore{Method: r.Method, Total: r.Total, Max: r.Max, Sections: r.Sections, Levels: r.Levels}
	if r.Band.Code != "" {
		b := r.Band
		s.Band = &b
	}
	if s.Sections == nil {
		s.Sections = []renkei.SectionResult{}
	}
	if s.Levels == nil {
		s.Levels = []renkei.LevelResult{}
	}
	return s
}

// apiAssessmentDetail is GET /api/v1/assessments/{id}.
type apiAssessmentDetail struct {
	apiAssessment
	Score    *apiScore                 `json:"score"` // null until submitted
	Progress renkei.AssessmentProgress `json:"progress"`
}

// assessmentDetail reads the assessment with its progress.
func (s *Server) assessmentDetail(r *http.Request, orgID, id string) (*apiAssessmentDetail, error) {
	a, err := s.cfg.Store.Assessment(r.Context(), orgID, id)
	if err != nil {
		return nil, err
	}
	t, err := s.cfg.Store.AssessmentTemplate(r.Context(), orgID, id)
	if err != nil {
		return nil, err
	}
	recs, err := s.cfg.Store.Answers(r.Context(), orgID, id)
	if err != nil {
		return nil, err
	}
	answers := make(map[string]renkei.Answer, len(recs))
	for _, rec := range recs {
		answers[rec.QuestionRef] = rec.Answer
	}
	return &apiAssessmentDetail{apiAssessment: toAPIAssessment(a), Score: toAPIScore(a.Score), Progress: renkei.Progress(t, answers)}, nil
}

// apiListAssessments is GET /api/v1/assessments, filtered by campaign_id,
// partner_id and status.
func (s *Server) apiListAssessments(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := renkei.AssessmentFilter{Status: q.Get("status")}
	fields := idFilters(q, map[string]*string{"campaign_id": &f.CampaignID, "partner_id": &f.PartnerID})
	switch f.Status {
	case "", renkei.AssessmentSent, renkei.AssessmentOpened, renkei.AssessmentInProgress,
		renkei.AssessmentSubmitted, renkei.AssessmentReturned, renkei.AssessmentReviewed:
	default:
		fields["status"] = "field.status"
	}
	if err := invalid(fields); err != nil {
		return err
	}
	as, next, err := s.cfg.Store.ListAssessments(r.Context(), actor(r).OrgID, f, page)
	if err != nil {
		return err
	}
	out := make([]apiAssessment, len(as))
	for i := range as {
		out[i] = toAPIAssessment(&as[i])
	}
	writeList(w, out, next)
	return nil
}

// apiGetAssessment is GET /api/v1/assessments/{id}: the assessment, its
// score (null until submitted) and its progress.
func (s *Server) apiGetAssessment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "assessment")
	if err != nil {
		return err
	}
	d, err := s.assessmentDetail(r, actor(r).OrgID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// answerPut is one answer of PUT /api/v1/assessments/{id}/answers: value
// is a string for yes/no, single choice, date and text questions, an
// array of strings for multiple choice, a number for number questions.
type answerPut struct {
	Question string          `json:"question"`
	Value    json.RawMessage `json:"value"`
}

type answersPut struct {
	Answers []answerPut `json:"answers"`
}

// toAnswer reads v as an answer to q; false when v has the wrong JSON
// type for the question's kind. A null or missing value is no answer.
func toAnswer(q *renkei.Question, v json.RawMessage) (renkei.Answer, bool) {
	var a renkei.Answer
	if len(v) == 0 || string(v) == "null" {
		return a, true
	}
	var s string
	switch q.Kind {
	case renkei.QuestionYesNo, renkei.QuestionSingle:
		if json.Unmarshal(v, &s) != nil {
			return a, false
		}
		a.Value = s
	case renkei.QuestionDate:
		if json.Unmarshal(v, &s) != nil {
			return a, false
		}
		a.Date = s
	case renkei.QuestionText:
		if json.Unmarshal(v, &s) != nil {
			return a, false
		}
		a.Text = s
	case renkei.QuestionMulti:
		var vs []string
		if json.Unmarshal(v, &vs) != nil {
			return a, false
		}
		a.Values = vs
	case renkei.QuestionNumber:
		var n float64
		if json.Unmarshal(v, &n) != nil {
			return a, false
		}
		a.Number = &n
	default: // file questions take evidence files, not a value
		return a, false
	}
	return a, true
}

// apiPutAnswers is PUT /api/v1/assessments/{id}/answers: organization
// staff answering on the partner's behalf (recorded as such). Every answer
// is checked against the assessment's template; when one is wrong nothing
// is saved and the errors are keyed by question ref.
func (s *Server) apiPutAnswers(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "assessment")
	if err != nil {
		return err
	}
	var in answersPut
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	orgID := actor(r).OrgID
	t, err := s.cfg.Store.AssessmentTemplate(r.Context(), orgID, id)
	if err != nil {
		return err
	}
	fields := map[string]string{}
	if len(in.Answers) == 0 {
		fields["answers"] = "field.required"
	}
	answers := make([]renkei.AnswerInput, 0, len(in.Answers))
	for _, a := range in.Answers {
		checkText(fields, "answers", a.Question)
		q, ok := t.Question(a.Question)
		if !ok {
			answers = append(answers, renkei.AnswerInput{QuestionRef: a.Question}) // the store names it unknown
			continue
		}
		ans, ok := toAnswer(q, a.Value)
		if !ok {
			fields[a.Question] = "answer.value"
			continue
		}
		answers = append(answers, renkei.AnswerInput{QuestionRef: a.Question, Answer: ans})
	}
	if err := invalid(fields); err != nil {
		return err
	}
	if err := s.cfg.Store.SaveAnswers(r.Context(), orgID, id, answers, true); err != nil {
		return err
	}
	d, err := s.assessmentDetail(r, orgID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// apiSubmitAssessment is POST /api/v1/assessments/{id}/submit: requires
// every shown required question answered (400 with the missing ones keyed
// by question ref) and scores the assessment.
func (s *Server) apiSubmitAssessment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "assessment")
	if err != nil {
		return err
	}
	orgID := actor(r).OrgID
	if _, err := s.cfg.Store.Submit(r.Context(), orgID, id); err != nil {
		return err
	}
	d, err := s.assessmentDetail(r, orgID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// apiRemediation is a remediation item as the API shows it.
type apiRemediation struct {
	ID                 string     `json:"id"`
	AssessmentID       string     `json:"assessment_id"`
	PartnerID          string     `json:"partner_id"`
	Question           string     `json:"question"`
	Severity           string     `json:"severity"`
	Title              string     `json:"title"`
	Owner              string     `json:"owner"`
	DueDate            string     `json:"due_date"`
	Status             string     `json:"status"`
	ClosureEvidenceKey string     `json:"closure_evidence_key"`
	ClosureEvidence    string     `json:"closure_evidence"`
	EvidenceName       string     `json:"evidence_name"`
	EvidenceType       string     `json:"evidence_content_type"`
	EvidenceSize       int64      `json:"evidence_size"`
	Notes              string     `json:"notes"`
	ClosedAt           *time.Time `json:"closed_at"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

func toAPIRemediation(m *renkei.Remediation) apiRemediation {
	return apiRemediation{ID: m.ID, AssessmentID: m.AssessmentID, PartnerID: m.PartnerID, Question: m.QuestionRef,
		Severity: m.Severity, Title: m.Title, Owner: m.Owner, DueDate: m.DueDate, Status: m.Status,
		ClosureEvidenceKey: m.ClosureEvidenceKey, ClosureEvidence: m.ClosureEvidence, EvidenceName: m.EvidenceName,
		EvidenceType: m.EvidenceType, EvidenceSize: m.EvidenceSize, Notes: m.Notes, ClosedAt: utcPtr(m.ClosedAt),
		CreatedAt: utc(m.CreatedAt), UpdatedAt: utc(m.UpdatedAt)}
}

// apiListRemediations is GET /api/v1/remediations, filtered by
// assessment_id, partner_id and status.
func (s *Server) apiListRemediations(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := renkei.RemediationFilter{Status: q.Get("status"), Owner: q.Get("owner")}
	fields := idFilters(q, map[string]*string{"assessment_id": &f.AssessmentID, "partner_id": &f.PartnerID})
	if f.Status != "" && !renkei.ValidRemediationStatus(f.Status) {
		fields["status"] = "field.status"
	}
	checkText(fields, "owner", f.Owner)
	switch q.Get("overdue") {
	case "":
	case "true":
		f.OverdueOn = renkei.TokyoDay(s.now())
	default:
		fields["overdue"] = "field.boolean"
	}
	if err := invalid(fields); err != nil {
		return err
	}
	ms, next, err := s.cfg.Store.ListRemediations(r.Context(), actor(r).OrgID, f, page)
	if err != nil {
		return err
	}
	out := make([]apiRemediation, len(ms))
	for i := range ms {
		out[i] = toAPIRemediation(&ms[i])
	}
	writeList(w, out, next)
	return nil
}

// idFilters reads the ID-valued query parameters into their targets and
// returns a field error for each one that is not a UUID.
func idFilters(q url.Values, targets map[string]*string) map[string]string {
	fields := map[string]string{}
	for name, dst := range targets {
		if v := q.Get(name); v != "" {
			id, err := uuid.Parse(v)
			if err != nil {
				fields[name] = "field.assessment_filter_id"
				continue
			}
			*dst = id.String()
		}
	}
	return fields
}
