package web

import (
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// One assessment in the portal: its sections with a progress bar, each
// shown question with its plain-words help and the control of its kind,
// answers saved one at a time as the partner goes (htmx re-renders the
// sections, since an answer may show or hide later questions), reused
// answers to confirm, returned answers with the reviewer's comment,
// evidence files and handoffs. The store decides what the partner user may
// see and change; this file only draws it.

// portalAssessmentView is the assessment page.
type portalAssessmentView struct {
	A        *renkei.Assessment
	OrgName  string
	Title    renkei.Bilingual
	Progress renkei.AssessmentProgress
	Sections []portalSection
	Editable bool // not submitted (or returned)
	Handoffs []portalHandoff
	// Section is the handed-over section the visitor came for ("" for all).
	Section  string
	Accept   string // the evidence input's accept attribute
	MaxFiles int
	Reused   int // answers still to confirm
	Returned int // answers returned by the reviewer
	// HelpLabel and SaveLabel are words every question repeats.
	HelpLabel, SaveLabel string
}

// portalHandoff is a handoff as the page lists it, with its section's title.
type portalHandoff struct {
	renkei.Handoff
	SectionTitle string
}

// portalSection is one section of the page.
type portalSection struct {
	Ref       string
	Title     renkei.Bilingual
	Questions []portalQuestion
	Answered  int
	Total     int
	HandedTo  []string // colleagues it was handed to
}

// portalQuestion is one shown question with its answer. Its words are
// resolved in the page's language here rather than in the template: a
// 153-question page draws some 800 controls, and each template function
// call is a reflective call.
type portalQuestion struct {
	Ref      string
	Kind     string
	Text     string
	Help     string
	Required bool
	Choice   bool // answered by picking options
	Takes    bool // files may be attached
	Asks     bool // evidence is asked for (not a file question)
	Answer   renkei.Answer
	Answered bool
	Reused   bool          // prefilled, not yet confirmed
	Returned bool          // the reviewer returned it
	Comment  string        // the reviewer's comment (never the internal note)
	Error    string        // message key of a refused save
	Options  template.HTML // the choices' inputs, each in its label (portalOptions)
	Evidence []portalFile
}

// portalFile is an evidence file as the page lists it.
type portalFile struct {
	renkei.Evidence
	SizeText string
}

// pathPortalAssessment reads the assessment named in the path: one of the
// partner user's company, whichever organization sent it.
func (s *Server) pathPortalAssessment(r *http.Request) (*renkei.Assessment, error) {
	id, err := pathID(r, "assessment")
	if err != nil {
		return nil, err
	}
	return s.cfg.Store.PartnerAssessment(r.Context(), id)
}

// portalAssessmentPage is GET /portal/assessments/{id}. The first view by
// a partner user marks a sent assessment opened.
func (s *Server) portalAssessmentPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathPortalAssessment(r)
	if err != nil {
		return err
	}
	if as.Status == renkei.AssessmentSent {
		if err := s.cfg.Store.MarkOpened(r.Context(), as.OrgID, as.ID); err != nil {
			return err
		}
		as.Status = renkei.AssessmentOpened
	}
	v, err := s.portalAssessmentView(r, as, nil)
	if err != nil {
		return err
	}
	v.Section = r.URL.Query().Get("section")
	s.render(w, r, http.StatusOK, "portal_assessment", &pageData{Title: "portal.assessment.title", Data: v, Flash: portalNotice(r)})
	return nil
}

// portalNotice is the notice a redirect back to a portal page asks for.
func portalNotice(r *http.Request) string {
	switch n := r.URL.Query().Get("notice"); n {
	case "evidence_added", "evidence_deleted", "handed_off", "submitted", "password_saved", "profile_saved":
		return "portal.notice." + n
	}
	return noticeOf(r)
}

// portalAssessmentView reads everything the page shows; errs are refused
// saves by question ref.
func (s *Server) portalAssessmentView(r *http.Request, as *renkei.Assessment, errs map[string]string) (*portalAssessmentView, error) {
	ctx := r.Context()
	org, err := s.cfg.Store.OrganizationByID(ctx, as.OrgID)
	if err != nil {
		return nil, err
	}
	tpl, recs, err := s.portalAnswers(ctx, as)
	if err != nil {
		return nil, err
	}
	ev, err := s.cfg.Store.ListEvidence(ctx, as.OrgID, as.ID)
	if err != nil {
		return nil, err
	}
	hs, err := s.cfg.Store.Handoffs(ctx, as.OrgID, as.ID)
	if err != nil {
		return nil, err
	}
	answers := answerMap(recs)
	lang := langOf(r)
	v := &portalAssessmentView{
		A: as, OrgName: org.Name, Title: tpl.Title, Progress: renkei.Progress(tpl, answers),
		Editable: as.Status != renkei.AssessmentSubmitted && as.Status != renkei.AssessmentReviewed,
		Accept:   documentAccept, MaxFiles: renkei.MaxEvidenceFiles,
		HelpLabel: i18n.T(lang, "portal.help"), SaveLabel: i18n.T(lang, "portal.save"),
	}
	byRef := make(map[string]*renkei.AnswerRecord, len(recs))
	for i := range recs {
		byRef[recs[i].QuestionRef] = &recs[i]
	}
	files := map[string][]portalFile{}
	for _, e := range ev {
		files[e.QuestionRef] = append(files[e.QuestionRef], portalFile{Evidence: e, SizeText: humanFileSize(e.Size)})
	}
	for _, h := range hs { // oldest first, each with its section's title
		title := h.SectionRef
		for _, sec := range tpl.Sections {
			if sec.Ref == h.SectionRef {
				title = sec.Title.Label(lang)
			}
		}
		v.Handoffs = append(v.Handoffs, portalHandoff{Handoff: h, SectionTitle: title})
	}
	shown := map[string]bool{}
	for _, q := range renkei.VisibleQuestions(tpl, answers) {
		shown[q.Ref] = true
	}
	for si := range tpl.Sections {
		sec := &tpl.Sections[si]
		ps := portalSection{Ref: sec.Ref, Title: sec.Title}
		for _, h := range hs {
			if h.SectionRef == sec.Ref {
				ps.HandedTo = append(ps.HandedTo, h.ToEmail)
			}
		}
		for qi := range sec.Questions {
			q := &sec.Questions[qi]
			if !shown[q.Ref] {
				continue
			}
			pq := newPortalQuestion(lang, q)
			pq.Error, pq.Evidence = errs[q.Ref], files[q.Ref]
			if rec := byRef[q.Ref]; rec != nil {
				pq.Answer = rec.Answer
				pq.Answered = tpl.CheckAnswer(q, rec.Answer) == nil
				pq.Reused = rec.Reused
				pq.Returned = rec.ReviewStatus == renkei.ReviewReturned
				pq.Comment = rec.ReviewComment
			}
			if pq.Reused {
				v.Reused++
			}
			if pq.Returned {
				v.Returned++
			}
			pq.Options = portalOptions(lang, tpl, q, pq.Answer)
			ps.Total++
			if pq.Answered {
				ps.Answered++
			}
			ps.Questions = append(ps.Questions, pq)
		}
		v.Sections = append(v.Sections, ps)
	}
	return v, nil
}

// newPortalQuestion is q as the page shows it, without its answer.
func newPortalQuestion(lang string, q *renkei.Question) portalQuestion {
	pq := portalQuestion{Ref: q.Ref, Kind: q.Kind, Text: q.Text.Label(lang), Help: q.Help.Label(lang), Required: q.Required,
		Takes: q.TakesEvidence(), Asks: q.Evidence && q.Kind != renkei.QuestionFile}
	switch q.Kind {
	case renkei.QuestionYesNo, renkei.QuestionSingle, renkei.QuestionMulti:
		pq.Choice = true
	}
	return pq
}

// portalOptions draws the choices of a yes/no or choice question as radio
// buttons or checkboxes, each inside its label (which ties them without a
// for attribute), the answer's ticked; yes/no answers in plain words. They
// are the bulk of a long page (a 153-question checklist has some 770), so
// they are written here with every value escaped, rather than by the
// template, where each of their attributes would be a reflective escaper
// call: it halves the page's rendering time.
func portalOptions(lang string, tpl *renkei.Template, q *renkei.Question, a renkei.Answer) template.HTML {
	input, name := "radio", "value"
	chosen := map[string]bool{a.Value: a.Value != ""}
	for _, v := range a.Values {
		chosen[v] = true
	}
	var values, texts []string
	switch q.Kind {
	case renkei.QuestionYesNo:
		values = q.AnswerValues(&tpl.Scoring)
		for _, v := range values {
			texts = append(texts, i18n.T(lang, "portal.answer."+v))
		}
	case renkei.QuestionSingle, renkei.QuestionMulti:
		if q.Kind == renkei.QuestionMulti {
			input, name = "checkbox", "values"
		}
		for _, c := range q.Choices {
			values, texts = append(values, c.Value), append(texts, c.Label.Label(lang))
		}
	default:
		return ""
	}
	var b strings.Builder
	for i, v := range values {
		b.WriteString(`<label class="choice"><input id="q-`)
		b.WriteString(html.EscapeString(q.Ref))
		b.WriteString("-" + strconv.Itoa(i) + `" type="` + input + `" name="` + name + `" value="`)
		b.WriteString(html.EscapeString(v))
		b.WriteString(`"`)
		if chosen[v] {
			b.WriteString(" checked")
		}
		b.WriteString("> <span>")
		b.WriteString(html.EscapeString(texts[i]))
		b.WriteString("</span></label>\n")
	}
	return template.HTML(b.String())
}

// portalSaveAnswer is POST /portal/assessments/{id}/answers/{ref}: one
// answer from its form. A value the form cannot carry or the template
// refuses is shown by the question and nothing of it is saved.
func (s *Server) portalSaveAnswer(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathPortalAssessment(r)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	ref := r.PathValue("ref")
	tpl, err := s.cfg.Store.AssessmentTemplate(r.Context(), as.OrgID, as.ID)
	if err != nil {
		return err
	}
	q, ok := tpl.Question(ref)
	if !ok {
		return renkei.ErrNotFound("question")
	}
	ans, key := parsePortalAnswer(q, r.PostForm)
	if key == "" {
		err = s.savePortalAnswer(r, as, q, ans)
		if e := formError(err); e != nil && e.Code == renkei.EINVALID {
			key = e.Fields[q.Ref]
			if key == "" {
				key = "answer.value"
			}
		} else if err != nil {
			return err
		}
	}
	var errs map[string]string
	if key != "" {
		errs = map[string]string{q.Ref: key}
	}
	return s.portalSectionsAfterSave(w, r, as, errs, "#q-"+q.Ref)
}

// savePortalAnswer saves one answer as the partner's own, with the files
// already attached to it counted (they are kept apart from the form).
func (s *Server) savePortalAnswer(r *http.Request, as *renkei.Assessment, q *renkei.Question, ans renkei.Answer) error {
	if q.TakesEvidence() {
		ev, err := s.cfg.Store.ListEvidence(r.Context(), as.OrgID, as.ID)
		if err != nil {
			return err
		}
		ans.Files = 0
		for _, e := range ev {
			if e.QuestionRef == q.Ref {
				ans.Files++
			}
		}
	}
	return s.cfg.Store.SaveAnswers(r.Context(), as.OrgID, as.ID, []renkei.AnswerInput{{QuestionRef: q.Ref, Answer: ans}}, false)
}

// portalSectionsAfterSave answers a save: htmx gets the sections again
// (and the progress bar out of band), with a refused save's message by its
// question (422); a plain form post goes back to the question.
func (s *Server) portalSectionsAfterSave(w http.ResponseWriter, r *http.Request, as *renkei.Assessment, errs map[string]string, anchor string) error {
	cur, err := s.cfg.Store.PartnerAssessment(r.Context(), as.ID)
	if err != nil {
		return err
	}
	v, err := s.portalAssessmentView(r, cur, errs)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	if isHTMX(r) {
		if status != http.StatusOK {
			// renkei.js swaps an error answer that names its target.
			w.Header().Set("HX-Retarget", "#portal-sections")
			w.Header().Set("HX-Reswap", "outerHTML")
		}
		s.renderFragment(w, r, status, "portal_assessment", "portal_sections_swap", &pageData{Data: v})
		return nil
	}
	if status != http.StatusOK {
		s.render(w, r, status, "portal_assessment", &pageData{Title: "portal.assessment.title", Data: v})
		return nil
	}
	seeOther(w, r, "/portal/assessments/"+as.ID+anchor)
	return nil
}

// parsePortalAnswer reads one question's answer from its form fields:
// "value" (yes/no, single choice), "values" (multiple choice), "number",
// "date" and "text". It returns the message key of a value the form cannot
// carry (a number that is not one); the template's own checks come later,
// in the store.
func parsePortalAnswer(q *renkei.Question, form map[string][]string) (renkei.Answer, string) {
	first := func(name string) string {
		if v := form[name]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	var a renkei.Answer
	switch q.Kind {
	case renkei.QuestionYesNo, renkei.QuestionSingle:
		a.Value = strings.TrimSpace(first("value"))
	case renkei.QuestionMulti:
		if len(form["values"]) > renkei.MaxQuestionChoices {
			return a, "answer.value"
		}
		for _, v := range form["values"] {
			if v = strings.TrimSpace(v); v != "" {
				a.Values = append(a.Values, v)
			}
		}
	case renkei.QuestionNumber:
		raw := strings.TrimSpace(strings.ReplaceAll(first("number"), ",", ""))
		if raw == "" {
			return a, "answer.required"
		}
		n, err := strconv.ParseFloat(toHalfWidthDigits(raw), 64)
		if err != nil {
			return a, "answer.number"
		}
		a.Number = &n
	case renkei.QuestionDate:
		a.Date = strings.TrimSpace(first("date"))
	case renkei.QuestionText:
		a.Text = strings.TrimSpace(first("text"))
	case renkei.QuestionFile:
		return a, "portal.answer.file_by_upload"
	}
	return a, ""
}

// toHalfWidthDigits turns full-width digits, signs and points (as Japanese
// input methods type them) into ASCII.
func toHalfWidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '．':
			return '.'
		case r == '－' || r == 'ー' || r == '−':
			return '-'
		case r == '＋':
			return '+'
		}
		return r
	}, s)
}

// portalConfirmAnswer is POST /portal/assessments/{id}/answers/{ref}/confirm:
// the partner confirms a reused answer as it is (saving it as theirs).
func (s *Server) portalConfirmAnswer(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathPortalAssessment(r)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	ref := r.PathValue("ref")
	recs, err := s.cfg.Store.Answers(r.Context(), as.OrgID, as.ID)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if rec.QuestionRef != ref {
			continue
		}
		err := s.cfg.Store.SaveAnswers(r.Context(), as.OrgID, as.ID, []renkei.AnswerInput{{QuestionRef: ref, Answer: rec.Answer}}, false)
		if e := formError(err); e != nil && e.Code == renkei.EINVALID {
			return s.portalSectionsAfterSave(w, r, as, map[string]string{ref: e.Fields[ref]}, "#q-"+ref)
		} else if err != nil {
			return err
		}
		return s.portalSectionsAfterSave(w, r, as, nil, "#q-"+ref)
	}
	return renkei.ErrNotFound("answer")
}

// NumberText is the number answer as the input shows it.
func (q portalQuestion) NumberText() string {
	if q.Answer.Number == nil {
		return ""
	}
	return strconv.FormatFloat(*q.Answer.Number, 'f', -1, 64)
}
