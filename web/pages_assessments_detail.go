package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// /assessments/{id}: one assessment as its reviewers see it — the score by
// section and overall, each level's achievement, the band's advice and the
// gap to the partner's required level; every answer by section with its
// review (accept, or return with a comment the partner sees, and an
// internal note the partner never sees), inline with htmx; a form to answer
// on the partner's behalf while it is open; the findings with suggested
// support and a "create remediation" action.

type scoreView struct {
	Total, Band, Advice string
	Sections            []sectionScore
	Levels              []levelScore
}

type sectionScore struct {
	Title, Score, Bar string
	Achievement       int
	Met, Applicable   int
}

type levelScore struct {
	Label, Bar      string
	Achievement     int
	Met, Applicable int
	Reached         bool
}

// answerRow is one question with its answer and review.
type answerRow struct {
	AssessmentID, Ref, ID, Text, Help, Answer string
	Answered, OnBehalf, Reused                bool
	ReviewStatus, ReviewLabel                 string
	Comment, Note                             string
	CanReview, CanAnswer                      bool
	Kind                                      string
	Choices                                   []option // single choice and yes/no, for the on-behalf form
	Value                                     string   // the current answer as the on-behalf form shows it
	Error                                     string   // what is wrong with the last review of it
	CSRF                                      string   // the review form's token (the row is also drawn alone)
}

type answerSection struct {
	Title     string
	Questions []answerRow
}

type findingRow struct {
	Ref, Text, Severity, SeverityLabel, AnswerLabel string
	Support                                         []supportLink
	Remediations                                    []string
}

type supportLink struct{ Name, URL, Description string }

type assessmentView struct {
	csrf                               string
	A                                  *renkei.Assessment
	PartnerName, Template, StatusLabel string
	Overdue                            bool
	Score                              *scoreView
	Required, Gap                      string
	Sections                           []answerSection
	CanReview, CanAnswer               bool
	Findings                           []findingRow
	FindingsLater                      bool // not submitted yet: no findings to show
	Owners                             []string
}

// pathAssessment reads the {id} assessment of the actor's organization.
func (s *Server) pathAssessment(r *http.Request, a *renkei.Actor) (*renkei.Assessment, error) {
	id, err := pathID(r, "assessment")
	if err != nil {
		return nil, err
	}
	return s.cfg.Store.Assessment(r.Context(), a.OrgID, id)
}

// answerText says an answer in words.
func answerText(lang string, q *renkei.Question, ans renkei.Answer) string {
	var parts []string
	switch q.Kind {
	case renkei.QuestionYesNo:
		if ans.Value != "" {
			parts = append(parts, i18n.T(lang, "review.value."+ans.Value))
		}
	case renkei.QuestionSingle, renkei.QuestionMulti:
		vals := ans.Values
		if ans.Value != "" {
			vals = []string{ans.Value}
		}
		for _, v := range vals {
			label := v
			for _, c := range q.Choices {
				if c.Value == v {
					label = c.Label.Label(lang)
				}
			}
			parts = append(parts, label)
		}
	case renkei.QuestionNumber:
		if ans.Number != nil {
			parts = append(parts, num(*ans.Number))
		}
	case renkei.QuestionDate:
		parts = append(parts, ans.Date)
	case renkei.QuestionText:
		parts = append(parts, ans.Text)
	}
	if ans.Files > 0 {
		parts = append(parts, i18n.T(lang, "review.files", ans.Files))
	}
	return strings.Join(parts, "、")
}

// formValue is an answer as the on-behalf form's input shows it.
func formValue(q *renkei.Question, ans renkei.Answer) string {
	switch q.Kind {
	case renkei.QuestionNumber:
		if ans.Number != nil {
			return num(*ans.Number)
		}
		return ""
	case renkei.QuestionDate:
		return ans.Date
	case renkei.QuestionText:
		return ans.Text
	}
	return ans.Value
}

// answerChoices are the choices the on-behalf form offers for q.
func answerChoices(lang string, q *renkei.Question, selected string) []option {
	var out []option
	switch q.Kind {
	case renkei.QuestionYesNo:
		for _, v := range []string{renkei.AnswerYes, renkei.AnswerPartly, renkei.AnswerNo, renkei.AnswerUnknown, renkei.AnswerNA} {
			out = append(out, option{Value: v, Label: i18n.T(lang, "review.value."+v), Selected: v == selected})
		}
	case renkei.QuestionSingle:
		for _, c := range q.Choices {
			out = append(out, option{Value: c.Value, Label: c.Label.Label(lang), Selected: c.Value == selected})
		}
	}
	return out
}

// onBehalfKinds are the kinds the staff form answers; multiple choice and
// files are answered in the portal or the workbook.
func onBehalfKind(kind string) bool {
	switch kind {
	case renkei.QuestionYesNo, renkei.QuestionSingle, renkei.QuestionNumber, renkei.QuestionDate, renkei.QuestionText:
		return true
	}
	return false
}

func (s *Server) loadAssessmentView(r *http.Request, a *renkei.Actor, as *renkei.Assessment) (*assessmentView, error) {
	ctx, lang := r.Context(), langOf(r)
	tpl, err := s.cfg.Store.AssessmentTemplate(ctx, a.OrgID, as.ID)
	if err != nil {
		return nil, err
	}
	recs, err := s.cfg.Store.Answers(ctx, a.OrgID, as.ID)
	if err != nil {
		return nil, err
	}
	p, err := s.cfg.Store.Partner(ctx, a.OrgID, as.PartnerID)
	if err != nil {
		return nil, err
	}
	v := &assessmentView{A: as, PartnerName: p.Company.Name, Template: tpl.Title.Label(lang), StatusLabel: i18n.T(lang, "review.status."+as.Status),
		Overdue: as.SubmittedAt == nil && as.DueDate < renkei.TokyoDay(s.now()), Required: levelLabel(p.Required)}
	v.csrf = csrfOf(r)
	write := a.Role.Can(renkei.PermWrite)
	v.CanReview = write && renkei.ReviewOpen(as.Status, recs)
	v.CanAnswer = write && (as.Status == renkei.AssessmentSent || as.Status == renkei.AssessmentOpened ||
		as.Status == renkei.AssessmentInProgress || as.Status == renkei.AssessmentReturned)
	if as.Score != nil {
		v.Score = scoreViewOf(lang, tpl, as.Score)
		v.Gap = gapText(lang, renkei.Gap(p.Required, tpl.Levels, as.Score.Levels), true)
	} else {
		v.Gap = gapText(lang, renkei.LevelGap{Required: p.Required}, false)
	}
	byRef := map[string]renkei.AnswerRecord{}
	answers := map[string]renkei.Answer{}
	for _, rec := range recs {
		byRef[rec.QuestionRef] = rec
		answers[rec.QuestionRef] = rec.Answer
	}
	shown := map[string]bool{}
	for _, q := range renkei.VisibleQuestions(tpl, answers) {
		shown[q.Ref] = true
	}
	for _, sec := range tpl.Sections {
		as := answerSection{Title: sec.Title.Label(lang)}
		for i := range sec.Questions {
			q := &sec.Questions[i]
			if !shown[q.Ref] {
				continue
			}
			as.Questions = append(as.Questions, v.answerRow(lang, q, byRef[q.Ref]))
		}
		v.Sections = append(v.Sections, as)
	}
	if as.Score == nil {
		v.FindingsLater = true
	} else {
		fs, err := s.findingsWithSupport(r, a.OrgID, as.ID)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			row := findingRow{Ref: f.Question, Text: f.Text.Label(lang), Severity: f.Severity, SeverityLabel: i18n.T(lang, "review.severity."+f.Severity),
				AnswerLabel: i18n.T(lang, "review.value."+f.Answer), Remediations: f.RemediationIDs}
			for _, sp := range f.Support {
				row.Support = append(row.Support, supportLink{Name: sp.Name.Label(lang), URL: sp.URL, Description: sp.Description.Label(lang)})
			}
			v.Findings = append(v.Findings, row)
		}
		v.Owners = s.memberEmails(ctx, a.OrgID)
	}
	return v, nil
}

// answerRow builds one question's row; rec is zero when unanswered.
func (v *assessmentView) answerRow(lang string, q *renkei.Question, rec renkei.AnswerRecord) answerRow {
	row := answerRow{AssessmentID: v.A.ID, Ref: q.Ref, ID: "q-" + fieldID(q.Ref), Text: q.Text.Label(lang), Help: q.Help.Label(lang), Kind: q.Kind,
		Answered: rec.QuestionRef != "", OnBehalf: rec.OnBehalf, Reused: rec.Reused, ReviewStatus: rec.ReviewStatus,
		Comment: rec.ReviewComment, Note: rec.InternalNote, CanReview: v.CanReview && rec.QuestionRef != "",
		CanAnswer: v.CanAnswer && onBehalfKind(q.Kind), CSRF: v.csrf}
	if row.Answered {
		row.Answer = answerText(lang, q, rec.Answer)
		row.ReviewLabel = i18n.T(lang, "review.answer."+rec.ReviewStatus)
	}
	row.Value = formValue(q, rec.Answer)
	row.Choices = answerChoices(lang, q, row.Value)
	return row
}

func scoreViewOf(lang string, tpl *renkei.Template, res *renkei.Result) *scoreView {
	sv := &scoreView{Total: scoreText(res), Band: res.Band.Label.Label(lang), Advice: res.Band.Advice.Label(lang)}
	titles := map[string]string{}
	for _, sec := range tpl.Sections {
		titles[sec.Ref] = sec.Title.Label(lang)
	}
	for _, sr := range res.Sections {
		sv.Sections = append(sv.Sections, sectionScore{Title: titles[sr.Ref], Score: num(sr.Score) + " / " + num(sr.Max),
			Achievement: int(sr.Achievement), Bar: barClass(int(sr.Achievement)), Met: sr.Met, Applicable: sr.Applicable})
	}
	names := map[string]string{}
	for _, l := range tpl.Levels {
		names[l.Code] = l.Name.Label(lang)
	}
	for _, lr := range res.Levels {
		label := names[lr.Level]
		if label == "" {
			label = renkei.LevelLabel(lr.Level)
		}
		sv.Levels = append(sv.Levels, levelScore{Label: label, Achievement: int(lr.Achievement), Bar: barClass(int(lr.Achievement)),
			Met: lr.Met, Applicable: lr.Applicable, Reached: lr.Reached})
	}
	return sv
}

// memberEmails are the organization's members' addresses, offered as
// remediation owners (they get the reminders).
func (s *Server) memberEmails(ctx context.Context, orgID string) []string {
	ms, _, err := s.cfg.Store.ListMembers(ctx, orgID, renkei.Page{Limit: renkei.MaxPageLimit})
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Email)
	}
	return out
}

// assessmentPage is GET /assessments/{id}.
func (s *Server) assessmentPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathAssessment(r, a)
	if err != nil {
		return err
	}
	return s.renderAssessment(w, r, a, as, http.StatusOK, nil)
}

func (s *Server) renderAssessment(w http.ResponseWriter, r *http.Request, a *renkei.Actor, as *renkei.Assessment, status int, e *renkei.Error) error {
	v, err := s.loadAssessmentView(r, a, as)
	if err != nil {
		return err
	}
	s.render(w, r, status, "assessment", &pageData{Title: "review.assessment.title", Section: "assessments", Data: v, Error: e, Flash: reviewNotice(r)})
	return nil
}

// reviewedRow is what an inline review answers: the row, and the
// assessment's status for the page's heading (swapped out of band).
type reviewedRow struct {
	Row                 answerRow
	Status, StatusLabel string
}

// assessmentReview is POST /assessments/{id}/review/{ref}: accept or
// return one answer. With htmx it answers the answer's row; without, it
// goes back to the page at the answer.
func (s *Server) assessmentReview(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathAssessment(r, a)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	ref := r.PathValue("ref")
	rv := renkei.AnswerReview{QuestionRef: ref, Status: r.PostFormValue("status"),
		Comment: strings.TrimSpace(r.PostFormValue("comment")), InternalNote: strings.TrimSpace(r.PostFormValue("internal_note"))}
	fields := map[string]string{}
	checkMultiline(fields, ref, rv.Comment)
	checkMultiline(fields, ref, rv.InternalNote)
	if rv.Status == renkei.ReviewReturned && rv.Comment == "" {
		fields[ref] = "review.comment_required"
	}
	err = invalid(fields)
	if err == nil {
		_, err = s.cfg.Store.Review(r.Context(), a.OrgID, as.ID, []renkei.AnswerReview{rv})
	}
	e := formError(err)
	if err != nil && e == nil {
		return err
	}
	if !isHTMX(r) {
		if e != nil {
			return s.renderAssessment(w, r, a, as, statusOf(e.Code), e)
		}
		seeOther(w, r, "/assessments/"+as.ID+"#q-"+fieldID(ref))
		return nil
	}
	// The row again, as it now stands (or with what was wrong).
	if as, err = s.cfg.Store.Assessment(r.Context(), a.OrgID, as.ID); err != nil {
		return err
	}
	v, err := s.loadAssessmentView(r, a, as)
	if err != nil {
		return err
	}
	for _, sec := range v.Sections {
		for _, row := range sec.Questions {
			if row.Ref != ref {
				continue
			}
			if e != nil {
				row.Error = i18n.T(langOf(r), e.Key, e.Args...)
				if k := e.Fields[ref]; k != "" {
					row.Error = fieldMessage(langOf(r), k)
				}
				row.Comment, row.Note = rv.Comment, rv.InternalNote
			}
			pd := &pageData{Data: reviewedRow{Row: row, Status: as.Status, StatusLabel: v.StatusLabel}}
			if e == nil && as.Status != renkei.AssessmentSubmitted {
				pd.Flash = "review.done.status_" + as.Status
			}
			s.renderFragment(w, r, http.StatusOK, "assessment", "answer_row", pd)
			return nil
		}
	}
	return renkei.ErrNotFound("question")
}

// assessmentAnswer is POST /assessments/{id}/answers: staff answer
// questions on the partner's behalf (recorded as such). The form sends
// answer.REF for every question it shows; empty ones are left alone.
func (s *Server) assessmentAnswer(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathAssessment(r, a)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	tpl, err := s.cfg.Store.AssessmentTemplate(r.Context(), a.OrgID, as.ID)
	if err != nil {
		return err
	}
	var in []renkei.AnswerInput
	fields := map[string]string{}
	for _, q := range tpl.Questions() {
		raw := strings.TrimSpace(r.PostFormValue("answer." + q.Ref))
		if raw == "" || !onBehalfKind(q.Kind) {
			continue
		}
		checkMultiline(fields, q.Ref, raw)
		ans := renkei.Answer{}
		switch q.Kind {
		case renkei.QuestionNumber:
			n, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				fields[q.Ref] = "answer.number"
				continue
			}
			ans.Number = &n
		case renkei.QuestionDate:
			ans.Date = raw
		case renkei.QuestionText:
			ans.Text = raw
		default:
			ans.Value = raw
		}
		in = append(in, renkei.AnswerInput{QuestionRef: q.Ref, Answer: ans})
	}
	err = invalid(fields)
	if err == nil && len(in) > 0 {
		err = s.cfg.Store.SaveAnswers(r.Context(), a.OrgID, as.ID, in, true)
	}
	if e := formError(err); e != nil {
		return s.renderAssessment(w, r, a, as, statusOf(e.Code), e)
	} else if err != nil {
		return err
	}
	seeOther(w, r, "/assessments/"+as.ID+"?done=answered")
	return nil
}

// assessmentRemediate is POST /assessments/{id}/remediations: a
// remediation item for one finding, then its page.
func (s *Server) assessmentRemediate(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathAssessment(r, a)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	m := &renkei.Remediation{OrgID: a.OrgID, AssessmentID: as.ID, QuestionRef: r.PostFormValue("question"),
		Owner: strings.TrimSpace(r.PostFormValue("owner")), DueDate: strings.TrimSpace(r.PostFormValue("due_date"))}
	fields := map[string]string{}
	checkText(fields, "owner", m.Owner)
	err = invalid(fields)
	if err == nil {
		err = s.cfg.Store.CreateRemediation(r.Context(), m)
	}
	if e := formError(err); e != nil {
		return s.renderAssessment(w, r, a, as, statusOf(e.Code), e)
	} else if err != nil {
		return err
	}
	seeOther(w, r, "/remediations/"+m.ID+"?done=remediation_created")
	return nil
}
