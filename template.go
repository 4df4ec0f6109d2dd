package renkei

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Template is a checklist sent to partners: sections of questions, the
// rule that scores the answers, the levels its questions belong to and the
// bands the total falls in. A sent assessment keeps the slug and version
// of its template. Templates are read and written in the format of
// docs/template-format.md (ParseTemplate, MarshalTemplate).
type Template struct {
	Slug        string    `json:"slug"`
	Version     int       `json:"version"`
	Kind        string    `json:"kind"` // builtin or org
	Title       Bilingual `json:"title"`
	Description Bilingual `json:"description,omitzero"`
	// Style says whose published list the template imitates and that it
	// is not that list ("in the style of METI's scheme; not the official
	// requirement list").
	Style    Bilingual `json:"style,omitzero"`
	Scoring  Scoring   `json:"scoring"`
	Levels   []Level   `json:"levels,omitempty"`
	Sections []Section `json:"sections"`
	Bands    []Band    `json:"bands,omitempty"`
}

// Bilingual is a text in Japanese and English.
type Bilingual struct {
	JA string `json:"ja,omitempty"`
	EN string `json:"en,omitempty"`
}

// Label returns the text in lang ("ja" by default), falling back to the
// other language when that one is empty.
func (b Bilingual) Label(lang string) string {
	if lang == "en" && b.EN != "" || b.JA == "" {
		return b.EN
	}
	return b.JA
}

// IsZero reports whether both languages are empty.
func (b Bilingual) IsZero() bool { return b.JA == "" && b.EN == "" }

// Template kinds.
const (
	TemplateBuiltin = "builtin" // shipped with Renkei (templates/builtin)
	TemplateOrg     = "org"     // an organization's own
)

// Scoring methods.
const (
	// ScoringPoints sums the points of the answers (times the weights);
	// with Scale set, the sum is scaled to 0..Scale.
	ScoringPoints = "points"
	// ScoringAchievement counts the share of questions met: a question is
	// met when its answer earns its full points.
	ScoringAchievement = "achievement"
)

// Question kinds.
const (
	QuestionYesNo  = "yesno"  // yes / partly / no / unknown / na
	QuestionSingle = "single" // one of the choices
	QuestionMulti  = "multi"  // any of the choices
	QuestionNumber = "number"
	QuestionDate   = "date" // YYYY-MM-DD
	QuestionText   = "text"
	QuestionFile   = "file" // evidence files only
)

// Answers to a yes/no question.
const (
	AnswerYes     = "yes"
	AnswerPartly  = "partly"
	AnswerNo      = "no"
	AnswerUnknown = "unknown" // don't know
	AnswerNA      = "na"      // not applicable: we do not use this
)

// How a "na" answer counts (Scoring.NA, Question.NA).
const (
	NANotAllowed = "none"    // na is not an answer (the default when Scoring.NA is empty)
	NAExclude    = "exclude" // the question leaves both the score and the maximum
	// NA may also name AnswerYes, AnswerPartly or AnswerNo: na scores as that answer.
)

// Scoring is the template's rule for turning answers into a result.
type Scoring struct {
	Method string `json:"method"` // points or achievement
	// Points gives each yes/no answer its points (keys yes, partly, no,
	// unknown); missing keys score 0. Empty means DefaultYesNoPoints.
	Points map[string]float64 `json:"points,omitempty"`
	// NA is how "na" counts unless a question says otherwise: empty or
	// "none" (not allowed), "yes", "partly", "no" (scored as that answer)
	// or "exclude".
	NA string `json:"na,omitempty"`
	// Scale, for the points method, scales the total to 0..Scale (a total
	// below 0 becomes 0); 0 keeps the plain sum.
	Scale float64 `json:"scale,omitempty"`
	// Decimals (0–2) is how many decimal places the total and the
	// achievement rates keep; they are rounded down, so that 100% means
	// everything is met.
	Decimals int `json:"decimals,omitempty"`
}

// DefaultYesNoPoints are the points of a template that gives none.
func DefaultYesNoPoints() map[string]float64 {
	return map[string]float64{AnswerYes: 1, AnswerPartly: 0.5, AnswerNo: 0, AnswerUnknown: 0}
}

// Level is a level the template's questions belong to (star3/star4,
// lv1/lv2/lv3), lowest first. Reaching a level needs every question of it
// and of the levels below met.
type Level struct {
	Code string    `json:"code"`
	Name Bilingual `json:"name"`
}

// Section is a part of the template.
type Section struct {
	Ref       string     `json:"ref"`
	Title     Bilingual  `json:"title"`
	Weight    int        `json:"weight,omitempty"` // 0–100; 0 means 1
	Questions []Question `json:"questions"`
}

// Question is one question of a template.
type Question struct {
	Ref  string    `json:"ref"` // unique in the template
	Kind string    `json:"kind"`
	Text Bilingual `json:"text"`
	// Help says in plain words what the question means and how to tell.
	Help    Bilingual `json:"help,omitzero"`
	Choices []Choice  `json:"choices,omitempty"` // single and multi
	// Points overrides the template's yes/no points for this question.
	Points map[string]float64 `json:"points,omitempty"`
	// NA overrides Scoring.NA for this question.
	NA       string `json:"na,omitempty"`
	Required bool   `json:"required,omitempty"`
	// Evidence asks for at least one file with an answer that claims the
	// measure (yes or partly; any answer for other kinds).
	Evidence bool   `json:"evidence,omitempty"`
	Weight   int    `json:"weight,omitempty"` // 0–100; 0 means 1
	Level    string `json:"level,omitempty"`
	// Controls are IDs of the common control set (Controls()) the question
	// asks about: an answer serves every question of the same control.
	Controls []string   `json:"controls,omitempty"`
	ShowIf   *Condition `json:"show_if,omitempty"`
}

// Choice is one answer of a single or multiple choice question.
type Choice struct {
	Value  string    `json:"value"`
	Label  Bilingual `json:"label"`
	Points float64   `json:"points,omitempty"`
}

// Condition shows a question only when an earlier question is shown and
// its answer is one of Values (for a multiple choice, any of them chosen).
type Condition struct {
	Question string   `json:"question"`
	Values   []string `json:"values"`
}

// Band is a range of totals with its words: Min and Max are inclusive and
// multiples of the template's precision; nil is open-ended.
type Band struct {
	Code   string    `json:"code"`
	Min    *float64  `json:"min,omitempty"`
	Max    *float64  `json:"max,omitempty"`
	Label  Bilingual `json:"label"`
	Advice Bilingual `json:"advice,omitzero"`
}

// Limits of a template.
const (
	MaxTemplateBytes     = 2 << 20
	MaxTemplateSections  = 100
	MaxTemplateQuestions = 2000
	MaxQuestionChoices   = 100
	MaxTemplateLevels    = 10
	MaxTemplateBands     = 20
	maxQuestionControls  = 20
	maxTitleRunes        = 200
	maxQuestionRunes     = 1000
	maxLongTextRunes     = 4000
	maxPoints            = 1000
	maxScale             = 10000
	maxWeight            = 100
)

var (
	refPattern  = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?$`)
	codePattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9._-]{0,30}[a-z0-9])?$`)
)

// yesNoAnswers are the answers of a yes/no question that always exist, in
// the order the points map lists them.
var yesNoAnswers = [...]string{AnswerYes, AnswerPartly, AnswerNo, AnswerUnknown}

// Questions returns the template's questions in order, across sections.
func (t *Template) Questions() []*Question {
	var out []*Question
	for i := range t.Sections {
		for j := range t.Sections[i].Questions {
			out = append(out, &t.Sections[i].Questions[j])
		}
	}
	return out
}

// Question finds a question by its ref.
func (t *Template) Question(ref string) (*Question, bool) {
	for i := range t.Sections {
		for j := range t.Sections[i].Questions {
			if t.Sections[i].Questions[j].Ref == ref {
				return &t.Sections[i].Questions[j], true
			}
		}
	}
	return nil, false
}

// QuestionCount is the number of questions.
func (t *Template) QuestionCount() int {
	n := 0
	for i := range t.Sections {
		n += len(t.Sections[i].Questions)
	}
	return n
}

// Scored reports whether answers to the question earn points: yes/no and
// choice questions do, the others are information and evidence only.
func (q *Question) Scored() bool {
	return q.Kind == QuestionYesNo || q.Kind == QuestionSingle || q.Kind == QuestionMulti
}

// NAAs is how a "na" answer counts for the question under t's scoring:
// NANotAllowed, NAExclude, or the yes/no answer it scores as.
func (q *Question) NAAs(s *Scoring) string {
	na := q.NA
	if na == "" {
		na = s.NA
	}
	if na == "" {
		return NANotAllowed
	}
	return na
}

// AnswerValues lists the answers that conditions on the question can name: the
// yes/no answers (na only where allowed) or the choice values.
func (q *Question) AnswerValues(s *Scoring) []string {
	switch q.Kind {
	case QuestionYesNo:
		out := append([]string(nil), yesNoAnswers[:]...)
		if q.NAAs(s) != NANotAllowed {
			out = append(out, AnswerNA)
		}
		return out
	case QuestionSingle, QuestionMulti:
		out := make([]string, len(q.Choices))
		for i, c := range q.Choices {
			out[i] = c.Value
		}
		return out
	}
	return nil
}

// Clone returns a deep copy of the template.
func (t *Template) Clone() *Template {
	c := *t
	c.Scoring.Points = cloneMap(t.Scoring.Points)
	c.Levels = append([]Level(nil), t.Levels...)
	c.Bands = nil
	for _, b := range t.Bands {
		b.Min, b.Max = cloneFloat(b.Min), cloneFloat(b.Max)
		c.Bands = append(c.Bands, b)
	}
	c.Sections = make([]Section, len(t.Sections))
	for i, s := range t.Sections {
		qs := make([]Question, len(s.Questions))
		for j, q := range s.Questions {
			q.Choices = append([]Choice(nil), q.Choices...)
			q.Points = cloneMap(q.Points)
			q.Controls = append([]string(nil), q.Controls...)
			if q.ShowIf != nil {
				q.ShowIf = &Condition{Question: q.ShowIf.Question, Values: append([]string(nil), q.ShowIf.Values...)}
			}
			qs[j] = q
		}
		s.Questions = qs
		c.Sections[i] = s
	}
	if t.Sections == nil {
		c.Sections = nil
	}
	return &c
}

func cloneMap(m map[string]float64) map[string]float64 {
	if m == nil {
		return nil
	}
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func cloneFloat(f *float64) *float64 {
	if f == nil {
		return nil
	}
	v := *f
	return &v
}

// Normalize trims the template's texts and identifiers and turns empty
// lists into nil, so that a template read from a file or a spreadsheet
// compares equal to its round trip. ParseTemplate calls it.
func (t *Template) Normalize() {
	t.Slug, t.Kind = strings.TrimSpace(t.Slug), strings.TrimSpace(t.Kind)
	t.Title.trim()
	t.Description.trim()
	t.Style.trim()
	t.Scoring.Method, t.Scoring.NA = strings.TrimSpace(t.Scoring.Method), strings.TrimSpace(t.Scoring.NA)
	if len(t.Scoring.Points) == 0 {
		t.Scoring.Points = nil
	}
	if len(t.Levels) == 0 {
		t.Levels = nil
	}
	for i := range t.Levels {
		t.Levels[i].Code = strings.TrimSpace(t.Levels[i].Code)
		t.Levels[i].Name.trim()
	}
	if len(t.Bands) == 0 {
		t.Bands = nil
	}
	for i := range t.Bands {
		b := &t.Bands[i]
		b.Code = strings.TrimSpace(b.Code)
		b.Label.trim()
		b.Advice.trim()
	}
	if len(t.Sections) == 0 {
		t.Sections = nil
	}
	for i := range t.Sections {
		s := &t.Sections[i]
		s.Ref = strings.TrimSpace(s.Ref)
		s.Title.trim()
		if len(s.Questions) == 0 {
			s.Questions = nil
		}
		for j := range s.Questions {
			q := &s.Questions[j]
			q.Ref, q.Kind, q.NA, q.Level = strings.TrimSpace(q.Ref), strings.TrimSpace(q.Kind), strings.TrimSpace(q.NA), strings.TrimSpace(q.Level)
			q.Text.trim()
			q.Help.trim()
			if len(q.Choices) == 0 {
				q.Choices = nil
			}
			for k := range q.Choices {
				q.Choices[k].Value = strings.TrimSpace(q.Choices[k].Value)
				q.Choices[k].Label.trim()
			}
			if len(q.Points) == 0 {
				q.Points = nil
			}
			if len(q.Controls) == 0 {
				q.Controls = nil
			}
			for k := range q.Controls {
				q.Controls[k] = strings.TrimSpace(q.Controls[k])
			}
			if q.ShowIf != nil {
				q.ShowIf.Question = strings.TrimSpace(q.ShowIf.Question)
				if len(q.ShowIf.Values) == 0 {
					q.ShowIf.Values = nil
				}
				for k := range q.ShowIf.Values {
					q.ShowIf.Values[k] = strings.TrimSpace(q.ShowIf.Values[k])
				}
			}
		}
	}
}

func (b *Bilingual) trim() { b.JA, b.EN = strings.TrimSpace(b.JA), strings.TrimSpace(b.EN) }

// unsafeText reports whether s holds a control character (other than line
// breaks and tabs where multiline is allowed) or a character that changes
// the direction of text or hides itself.
func unsafeText(s string, multiline bool) bool {
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case unicode.IsControl(r),
			r == '\u061c', r == '\u200e', r == '\u200f',
			r >= '\u202a' && r <= '\u202e',
			r >= '\u2066' && r <= '\u2069',
			r == '\ufeff', r == utf8.RuneError:
			return true
		}
	}
	return false
}

// templateChecks collects the first problem of each path.
type templateChecks map[string]string

func (v templateChecks) add(path, key string) {
	if _, ok := v[path]; !ok {
		v[path] = key
	}
}

// text checks a Bilingual at path: required means at least one language;
// both (built-in templates) asks for both languages of a text that is
// given.
func (v templateChecks) text(path string, b Bilingual, required, both bool, max int, multiline bool) {
	switch {
	case b.JA == "" && b.EN == "":
		if required {
			v.add(path, "template.required")
		}
		return
	case both && b.JA == "":
		v.add(path+".ja", "template.required")
	case both && b.EN == "":
		v.add(path+".en", "template.required")
	}
	for _, l := range [...]struct{ suffix, s string }{{".ja", b.JA}, {".en", b.EN}} {
		switch {
		case unsafeText(l.s, multiline):
			v.add(path+l.suffix, "template.text")
		case utf8.RuneCountInString(l.s) > max:
			v.add(path+l.suffix, "template.too_long")
		}
	}
}

// Validate checks the template against every rule of the format. Its
// error is a *Error whose Fields are keyed by path, such as
// "sections[1].questions[3].text".
func (t *Template) Validate() error {
	v := templateChecks{}
	both := t.Kind == TemplateBuiltin
	if !slugPattern.MatchString(t.Slug) {
		v.add("slug", "template.slug")
	}
	if t.Version < 1 || t.Version > 1_000_000 {
		v.add("version", "template.version")
	}
	if t.Kind != TemplateBuiltin && t.Kind != TemplateOrg {
		v.add("kind", "template.kind")
	}
	v.text("title", t.Title, true, both, maxTitleRunes, false)
	v.text("description", t.Description, false, both, maxLongTextRunes, true)
	v.text("style", t.Style, false, both, maxLongTextRunes, true)
	s := &t.Scoring
	if s.Method != ScoringPoints && s.Method != ScoringAchievement {
		v.add("scoring.method", "template.method")
	}
	checkPoints(v, "scoring.points", s.Points)
	switch s.NA {
	case "", NANotAllowed, NAExclude, AnswerYes, AnswerPartly, AnswerNo:
	default:
		v.add("scoring.na", "template.na")
	}
	if s.Scale < 0 || s.Scale > maxScale || math.IsNaN(s.Scale) || s.Scale != 0 && s.Method != ScoringPoints {
		v.add("scoring.scale", "template.scale")
	}
	if s.Decimals < 0 || s.Decimals > 2 {
		v.add("scoring.decimals", "template.decimals")
	}
	levels := map[string]bool{}
	if len(t.Levels) > MaxTemplateLevels {
		v.add("levels", "template.too_many")
	}
	for i, l := range t.Levels {
		p := "levels[" + strconv.Itoa(i) + "]"
		if !codePattern.MatchString(l.Code) {
			v.add(p+".code", "template.code")
		} else if levels[l.Code] {
			v.add(p+".code", "template.duplicate")
		}
		levels[l.Code] = true
		v.text(p+".name", l.Name, true, both, maxTitleRunes, false)
	}
	if len(t.Sections) == 0 {
		v.add("sections", "template.empty")
	}
	if len(t.Sections) > MaxTemplateSections {
		v.add("sections", "template.too_many")
	}
	if t.QuestionCount() > MaxTemplateQuestions {
		v.add("sections", "template.too_many")
	}
	sectionRefs := map[string]bool{}
	// seen maps each earlier question's ref to it, for the conditions.
	seen := map[string]*Question{}
	for i := range t.Sections {
		sec := &t.Sections[i]
		sp := "sections[" + strconv.Itoa(i) + "]"
		if !refPattern.MatchString(sec.Ref) {
			v.add(sp+".ref", "template.ref")
		} else if sectionRefs[sec.Ref] {
			v.add(sp+".ref", "template.ref_taken")
		}
		sectionRefs[sec.Ref] = true
		v.text(sp+".title", sec.Title, true, both, maxTitleRunes, false)
		if sec.Weight < 0 || sec.Weight > maxWeight {
			v.add(sp+".weight", "template.weight")
		}
		if len(sec.Questions) == 0 {
			v.add(sp+".questions", "template.empty")
		}
		for j := range sec.Questions {
			q := &sec.Questions[j]
			qp := sp + ".questions[" + strconv.Itoa(j) + "]"
			t.validateQuestion(v, qp, q, levels, seen, both)
			if refPattern.MatchString(q.Ref) {
				if _, dup := seen[q.Ref]; dup {
					v.add(qp+".ref", "template.ref_taken")
				} else {
					seen[q.Ref] = q
				}
			}
		}
	}
	t.validateBands(v)
	if len(v) > 0 {
		return Invalid(v)
	}
	return nil
}

func checkPoints(v templateChecks, path string, m map[string]float64) {
	for k, p := range m {
		switch k {
		case AnswerYes, AnswerPartly, AnswerNo, AnswerUnknown:
		default:
			v.add(path+"."+k, "template.points")
			continue
		}
		if !(p >= -maxPoints && p <= maxPoints) {
			v.add(path+"."+k, "template.points")
		}
	}
}

func (t *Template) validateQuestion(v templateChecks, qp string, q *Question, levels map[string]bool, seen map[string]*Question, both bool) {
	if !refPattern.MatchString(q.Ref) {
		v.add(qp+".ref", "template.ref")
	}
	v.text(qp+".text", q.Text, true, both, maxQuestionRunes, true)
	v.text(qp+".help", q.Help, false, both, maxLongTextRunes, true)
	switch q.Kind {
	case QuestionYesNo, QuestionSingle, QuestionMulti, QuestionNumber, QuestionDate, QuestionText, QuestionFile:
	default:
		v.add(qp+".kind", "template.question_kind")
	}
	choice := q.Kind == QuestionSingle || q.Kind == QuestionMulti
	switch {
	case !choice && len(q.Choices) > 0:
		v.add(qp+".choices", "template.choices_not_allowed")
	case q.Kind == QuestionSingle && len(q.Choices) < 2, q.Kind == QuestionMulti && len(q.Choices) < 1:
		v.add(qp+".choices", "template.choices_needed")
	case len(q.Choices) > MaxQuestionChoices:
		v.add(qp+".choices", "template.too_many")
	}
	values := map[string]bool{}
	for k, c := range q.Choices {
		cp := qp + ".choices[" + strconv.Itoa(k) + "]"
		if !refPattern.MatchString(c.Value) {
			v.add(cp+".value", "template.ref")
		} else if values[c.Value] {
			v.add(cp+".value", "template.choice_taken")
		}
		values[c.Value] = true
		v.text(cp+".label", c.Label, true, both, maxTitleRunes, false)
		if !(c.Points >= -maxPoints && c.Points <= maxPoints) {
			v.add(cp+".points", "template.points")
		}
	}
	if q.Kind != QuestionYesNo && len(q.Points) > 0 {
		v.add(qp+".points", "template.points_not_allowed")
	}
	if q.Kind != QuestionYesNo && q.NA != "" {
		v.add(qp+".na", "template.points_not_allowed")
	}
	checkPoints(v, qp+".points", q.Points)
	switch q.NA {
	case "", NANotAllowed, NAExclude, AnswerYes, AnswerPartly, AnswerNo:
	default:
		v.add(qp+".na", "template.na")
	}
	if q.Weight < 0 || q.Weight > maxWeight {
		v.add(qp+".weight", "template.weight")
	}
	switch {
	case q.Level != "" && !levels[q.Level]:
		v.add(qp+".level", "template.level")
	case q.Level == "" && len(t.Levels) > 0 && q.Scored():
		v.add(qp+".level", "template.level_needed")
	}
	if len(q.Controls) > maxQuestionControls {
		v.add(qp+".controls", "template.too_many")
	}
	for k, c := range q.Controls {
		if !ValidControl(c) {
			v.add(qp+".controls["+strconv.Itoa(k)+"]", "template.control")
		} else if contains(q.Controls[:k], c) {
			v.add(qp+".controls["+strconv.Itoa(k)+"]", "template.duplicate")
		}
	}
	if c := q.ShowIf; c != nil {
		cp := qp + ".show_if"
		ref, ok := seen[c.Question]
		switch {
		case !ok:
			v.add(cp+".question", "template.show_if_earlier")
		case !ref.Scored():
			v.add(cp+".question", "template.show_if_kind")
		case len(c.Values) == 0:
			v.add(cp+".values", "template.required")
		case len(c.Values) > MaxQuestionChoices:
			v.add(cp+".values", "template.too_many")
		default:
			allowed := ref.AnswerValues(&t.Scoring)
			for k, val := range c.Values {
				if !contains(allowed, val) {
					v.add(cp+".values["+strconv.Itoa(k)+"]", "template.show_if_value")
				} else if contains(c.Values[:k], val) {
					v.add(cp+".values["+strconv.Itoa(k)+"]", "template.duplicate")
				}
			}
		}
	}
}

// precision is the step between two possible totals: 1, 0.1 or 0.01.
func (s *Scoring) precision() float64 {
	switch s.Decimals {
	case 1:
		return 0.1
	case 2:
		return 0.01
	}
	return 1
}

// floorTo rounds x down to d decimal places, forgiving the last bits of
// binary floating point (0.1+0.2 stays 0.3).
func floorTo(x float64, d int) float64 {
	m := 1.0
	switch d {
	case 1:
		m = 10
	case 2:
		m = 100
	}
	return math.Floor(x*m+1e-6) / m
}

// Range returns the lowest and highest total the template can give (the
// bands must cover it).
func (t *Template) Range() (low, high float64) {
	s := &t.Scoring
	if s.Method == ScoringAchievement {
		return 0, 100
	}
	if s.Scale > 0 {
		return 0, floorTo(s.Scale, s.Decimals)
	}
	ypts := s.Points
	if len(ypts) == 0 {
		ypts = DefaultYesNoPoints()
	}
	for i := range t.Sections {
		sec := &t.Sections[i]
		var lo, hi float64
		for j := range sec.Questions {
			q := &sec.Questions[j]
			qlo, qhi := q.pointRange(s, ypts)
			w := float64(weightOf(q.Weight))
			// A hidden, unanswered or excluded question adds 0.
			lo += math.Min(0, qlo) * w
			hi += math.Max(0, qhi) * w
		}
		w := float64(weightOf(sec.Weight))
		low += lo * w
		high += hi * w
	}
	return floorTo(low, s.Decimals), floorTo(high, s.Decimals)
}

// pointRange is the lowest and highest points an answer to q can earn.
func (q *Question) pointRange(s *Scoring, ypts map[string]float64) (lo, hi float64) {
	switch q.Kind {
	case QuestionYesNo:
		pts := ypts
		if len(q.Points) > 0 {
			pts = q.Points
		}
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, a := range yesNoAnswers {
			p := pts[a]
			lo, hi = math.Min(lo, p), math.Max(hi, p)
		}
		return lo, hi
	case QuestionSingle:
		if len(q.Choices) == 0 {
			return 0, 0
		}
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, c := range q.Choices {
			lo, hi = math.Min(lo, c.Points), math.Max(hi, c.Points)
		}
		return lo, hi
	case QuestionMulti:
		for _, c := range q.Choices {
			if c.Points < 0 {
				lo += c.Points
			} else {
				hi += c.Points
			}
		}
	}
	return lo, hi
}

func weightOf(w int) int {
	if w == 0 {
		return 1
	}
	return w
}

func (t *Template) validateBands(v templateChecks) {
	if len(t.Bands) == 0 {
		return
	}
	if len(t.Bands) > MaxTemplateBands {
		v.add("bands", "template.too_many")
		return
	}
	step := t.Scoring.precision()
	onStep := func(f float64) bool {
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e9 {
			return false
		}
		n := f / step
		return math.Abs(n-math.Round(n)) < 1e-6
	}
	codes := map[string]bool{}
	ok := true
	for i, b := range t.Bands {
		p := "bands[" + strconv.Itoa(i) + "]"
		if !codePattern.MatchString(b.Code) {
			v.add(p+".code", "template.code")
		} else if codes[b.Code] {
			v.add(p+".code", "template.duplicate")
		}
		codes[b.Code] = true
		v.text(p+".label", b.Label, true, t.Kind == TemplateBuiltin, maxTitleRunes, false)
		v.text(p+".advice", b.Advice, false, t.Kind == TemplateBuiltin, maxLongTextRunes, true)
		switch {
		case b.Min != nil && !onStep(*b.Min):
			v.add(p+".min", "template.band_step")
			ok = false
		case b.Max != nil && !onStep(*b.Max):
			v.add(p+".max", "template.band_step")
			ok = false
		case b.Min != nil && b.Max != nil && *b.Min > *b.Max:
			v.add(p+".max", "template.band_order")
			ok = false
		}
	}
	if !ok {
		return
	}
	// Sort by Min (open first) and walk up: each band must start one step
	// above where the previous one ends.
	order := make([]int, len(t.Bands))
	for i := range order {
		order[i] = i
	}
	minOf := func(i int) float64 {
		if t.Bands[i].Min == nil {
			return math.Inf(-1)
		}
		return *t.Bands[i].Min
	}
	sort.SliceStable(order, func(a, b int) bool { return minOf(order[a]) < minOf(order[b]) })
	low, high := t.Range()
	first := t.Bands[order[0]]
	if first.Min != nil && *first.Min > low+1e-9 {
		v.add("bands["+strconv.Itoa(order[0])+"].min", "template.bands_range")
	}
	for k := 1; k < len(order); k++ {
		prev, cur := t.Bands[order[k-1]], t.Bands[order[k]]
		p := "bands[" + strconv.Itoa(order[k]) + "].min"
		switch {
		case prev.Max == nil || cur.Min == nil || *cur.Min <= *prev.Max+1e-9:
			v.add(p, "template.bands_overlap")
		case *cur.Min-*prev.Max > step+1e-9:
			v.add(p, "template.bands_gap")
		}
	}
	last := t.Bands[order[len(order)-1]]
	if last.Max != nil && *last.Max < high-1e-9 {
		v.add("bands["+strconv.Itoa(order[len(order)-1])+"].max", "template.bands_range")
	}
}
