package renkei

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Answer is the answer to one question, keyed by the question's ref.
// Which field counts depends on the question's kind: Value for yes/no and
// single choice, Values for multiple choice (a lone Value counts as one
// chosen value), Number, Date (YYYY-MM-DD), Text, Files (how many evidence
// files are attached; a file question is answered by its files).
type Answer struct {
	Value  string   `json:"value,omitempty"`
	Values []string `json:"values,omitempty"`
	Number *float64 `json:"number,omitempty"`
	Date   string   `json:"date,omitempty"`
	Text   string   `json:"text,omitempty"`
	Files  int      `json:"files,omitempty"`
}

// Result is the score of one set of answers to a template.
type Result struct {
	Method string `json:"method"`
	// Total is the template's score: for the points method the sum of the
	// points (or the sum scaled to 0..Scale), for the achievement method
	// the share met in percent; rounded down to Scoring.Decimals.
	Total float64 `json:"total"`
	// Max is the highest Total these answers could reach: the sum of the
	// shown questions' full points, or Scale, or 100.
	Max      float64         `json:"max"`
	Band     ResultBand      `json:"band,omitzero"` // zero when the template has no bands
	Sections []SectionResult `json:"sections"`
	Levels   []LevelResult   `json:"levels,omitempty"`
	// Questions is the number of questions shown; Answered of them have a
	// valid answer; Required are required, RequiredAnswered answered.
	Questions        int `json:"questions"`
	Answered         int `json:"answered"`
	Required         int `json:"required"`
	RequiredAnswered int `json:"required_answered"`
	// Missing are the refs of shown required questions without a valid
	// answer; MissingEvidence of shown questions whose answer claims the
	// measure without the evidence the question asks for; Invalid of
	// answers that are not possible answers (treated as unanswered);
	// Hidden of questions a condition hides (neither required nor scored).
	Missing         []string `json:"missing"`
	MissingEvidence []string `json:"missing_evidence"`
	Invalid         []string `json:"invalid"`
	Hidden          []string `json:"hidden"`
}

// Complete reports whether the answers can be submitted: every shown
// required question answered validly, with the evidence asked for.
func (r *Result) Complete() bool {
	return len(r.Missing) == 0 && len(r.MissingEvidence) == 0 && len(r.Invalid) == 0
}

// ResultBand is the band the total falls in.
type ResultBand struct {
	Code   string    `json:"code"`
	Label  Bilingual `json:"label"`
	Advice Bilingual `json:"advice,omitzero"`
}

// SectionResult is the score of one section. Score and Max are weighted
// by the questions' weights; Achievement is Score/Max in percent (0–100,
// rounded down; 100 when nothing in the section is scored). Met counts
// the questions that earned their full points out of Applicable (shown,
// scored, not excluded as not applicable).
type SectionResult struct {
	Ref         string  `json:"ref"`
	Score       float64 `json:"score"`
	Max         float64 `json:"max"`
	Achievement float64 `json:"achievement"`
	Met         int     `json:"met"`
	Applicable  int     `json:"applicable"`
	Answered    int     `json:"answered"`
	Total       int     `json:"total"` // questions shown
}

// LevelResult is the achievement of one level: Met of the Applicable
// questions of this level (each counts once), Achievement their share,
// Cumulative the share over this level and the ones below, and Reached
// when every applicable question of this level and below is met.
type LevelResult struct {
	Level       string  `json:"level"`
	Met         int     `json:"met"`
	Applicable  int     `json:"applicable"`
	Achievement float64 `json:"achievement"`
	Cumulative  float64 `json:"cumulative"`
	Reached     bool    `json:"reached"`
}

// AssessmentProgress is how far an assessment is, for the progress bar.
type AssessmentProgress struct {
	Questions        int `json:"questions"` // shown
	Answered         int `json:"answered"`
	Required         int `json:"required"`
	RequiredAnswered int `json:"required_answered"`
	// Percent is RequiredAnswered/Required (Answered/Questions when
	// nothing is required), rounded down.
	Percent int `json:"percent"`
}

// answer states
const (
	answerEmpty = iota
	answerValid
	answerInvalid
)

var defaultYesNoPoints = DefaultYesNoPoints()

// check returns the state of a as an answer to q and, when invalid, the
// message key saying why.
func (q *Question) check(s *Scoring, a *Answer) (int, string) {
	switch q.Kind {
	case QuestionYesNo:
		switch a.Value {
		case "":
			return answerEmpty, ""
		case AnswerYes, AnswerPartly, AnswerNo, AnswerUnknown:
			return answerValid, ""
		case AnswerNA:
			if q.NAAs(s) == NANotAllowed {
				return answerInvalid, "answer.na"
			}
			return answerValid, ""
		}
		return answerInvalid, "answer.value"
	case QuestionSingle:
		if a.Value == "" {
			return answerEmpty, ""
		}
		if q.choice(a.Value) < 0 {
			return answerInvalid, "answer.value"
		}
		return answerValid, ""
	case QuestionMulti:
		vals := a.multi()
		if len(vals) == 0 {
			return answerEmpty, ""
		}
		for i, v := range vals {
			if q.choice(v) < 0 || contains(vals[:i], v) {
				return answerInvalid, "answer.value"
			}
		}
		return answerValid, ""
	case QuestionNumber:
		if a.Number == nil {
			return answerEmpty, ""
		}
		if math.IsNaN(*a.Number) || math.IsInf(*a.Number, 0) {
			return answerInvalid, "answer.number"
		}
		return answerValid, ""
	case QuestionDate:
		if a.Date == "" {
			return answerEmpty, ""
		}
		if _, err := time.Parse(time.DateOnly, a.Date); err != nil {
			return answerInvalid, "answer.date"
		}
		return answerValid, ""
	case QuestionText:
		if strings.TrimSpace(a.Text) == "" {
			return answerEmpty, ""
		}
		if unsafeText(a.Text, true) || utf8.RuneCountInString(a.Text) > maxLongTextRunes {
			return answerInvalid, "answer.text"
		}
		return answerValid, ""
	case QuestionFile:
		switch {
		case a.Files == 0:
			return answerEmpty, ""
		case a.Files < 0:
			return answerInvalid, "answer.files"
		}
		return answerValid, ""
	}
	return answerInvalid, "answer.value"
}

func (a *Answer) multi() []string {
	if len(a.Values) == 0 && a.Value != "" {
		return []string{a.Value}
	}
	return a.Values
}

func (q *Question) choice(v string) int {
	for i := range q.Choices {
		if q.Choices[i].Value == v {
			return i
		}
	}
	return -1
}

// CheckAnswer checks a as an answer to q of template t. An empty answer
// is refused too ("answer.required"): clearing an answer is deleting it.
// The error's Fields are keyed by the question's ref.
func (t *Template) CheckAnswer(q *Question, a Answer) error {
	state, key := q.check(&t.Scoring, &a)
	switch state {
	case answerEmpty:
		return Invalid(map[string]string{q.Ref: "answer.required"})
	case answerInvalid:
		return Invalid(map[string]string{q.Ref: key})
	}
	if len(a.Text) > 0 && q.Kind != QuestionText && (unsafeText(a.Text, true) || utf8.RuneCountInString(a.Text) > maxLongTextRunes) {
		return Invalid(map[string]string{q.Ref: "answer.text"})
	}
	return nil
}

// claims reports whether a valid answer says the measure is in place, so
// that the evidence the question asks for is due.
func (q *Question) claims(a *Answer) bool {
	if q.Kind == QuestionYesNo {
		return a.Value == AnswerYes || a.Value == AnswerPartly
	}
	return true
}

// yesNoTable holds the points of the yes/no answers in the order of
// yesNoAnswers, and the highest of them.
type yesNoTable struct {
	pts [len(yesNoAnswers)]float64
	max float64
}

func newYesNoTable(m map[string]float64) yesNoTable {
	var t yesNoTable
	for i, v := range yesNoAnswers {
		t.pts[i] = m[v]
		if i == 0 || t.pts[i] > t.max {
			t.max = t.pts[i]
		}
	}
	return t
}

// yesNoIndex is the position of a yes/no answer in yesNoAnswers, -1 for
// anything else.
func yesNoIndex(v string) int {
	switch v {
	case AnswerYes:
		return 0
	case AnswerPartly:
		return 1
	case AnswerNo:
		return 2
	case AnswerUnknown:
		return 3
	}
	return -1
}

// points returns what a valid answer (nil: none) earns, the question's
// full points, and whether the answer leaves the question out ("na"
// counted as excluded). yn is the template's yes/no table.
func (q *Question) points(s *Scoring, yn *yesNoTable, a *Answer) (pts, max float64, excluded bool) {
	switch q.Kind {
	case QuestionYesNo:
		if len(q.Points) > 0 {
			own := newYesNoTable(q.Points)
			yn = &own
		}
		if a == nil {
			return 0, yn.max, false
		}
		v := a.Value
		if v == AnswerNA {
			v = q.NAAs(s)
			if v == NAExclude {
				return 0, 0, true
			}
		}
		if i := yesNoIndex(v); i >= 0 {
			pts = yn.pts[i]
		}
		return pts, yn.max, false
	case QuestionSingle:
		max = math.Inf(-1)
		for i := range q.Choices {
			c := &q.Choices[i]
			max = math.Max(max, c.Points)
			if a != nil && c.Value == a.Value {
				pts = c.Points
			}
		}
		if len(q.Choices) == 0 {
			max = 0
		}
		return pts, max, false
	case QuestionMulti:
		var vals []string
		if a != nil {
			vals = a.multi()
		}
		for i := range q.Choices {
			c := &q.Choices[i]
			if c.Points > 0 {
				max += c.Points
			}
			if contains(vals, c.Value) {
				pts += c.Points
			}
		}
		return pts, max, false
	}
	return 0, 0, true
}

// walkState is what the walk knows of a question already passed: the
// conditions of later questions look it up.
type walkState struct {
	ref     string
	visible bool
	valid   bool // the answer is a valid answer
	multi   bool // the question is a multiple choice
	value   string
	values  []string
}

// shown reports whether q's condition holds, given the earlier questions.
func shown(q *Question, earlier []walkState) bool {
	c := q.ShowIf
	if c == nil {
		return true
	}
	for i := len(earlier) - 1; i >= 0; i-- {
		e := &earlier[i]
		if e.ref != c.Question {
			continue
		}
		if !e.visible || !e.valid {
			return false
		}
		if e.multi {
			if len(e.values) == 0 {
				return contains(c.Values, e.value)
			}
			for _, v := range e.values {
				if contains(c.Values, v) {
					return true
				}
			}
			return false
		}
		return contains(c.Values, e.value)
	}
	return false
}

// walk visits the questions in order with their answer (nil when none),
// its state and whether the question is shown.
func (t *Template) walk(answers map[string]Answer, visit func(si int, q *Question, a *Answer, state int, visible bool)) {
	earlier := make([]walkState, 0, t.QuestionCount())
	var cur Answer
	for si := range t.Sections {
		qs := t.Sections[si].Questions
		for qi := range qs {
			q := &qs[qi]
			st := walkState{ref: q.Ref, visible: shown(q, earlier), multi: q.Kind == QuestionMulti}
			var ap *Answer
			state := answerEmpty
			if a, ok := answers[q.Ref]; ok {
				cur = a
				ap = &cur
				state, _ = q.check(&t.Scoring, ap)
				if state == answerValid {
					st.valid, st.value, st.values = true, a.Value, a.Values
				}
			}
			earlier = append(earlier, st)
			visit(si, q, ap, state, st.visible)
		}
	}
}

// VisibleQuestions returns the questions shown for these answers, in
// order: a question whose condition does not hold is left out, and so is
// every question whose condition refers to a hidden one.
func VisibleQuestions(t *Template, answers map[string]Answer) []*Question {
	var out []*Question
	t.walk(answers, func(_ int, q *Question, _ *Answer, _ int, visible bool) {
		if visible {
			out = append(out, q)
		}
	})
	return out
}

// Progress counts the answered questions of the shown ones.
func Progress(t *Template, answers map[string]Answer) AssessmentProgress {
	var p AssessmentProgress
	t.walk(answers, func(_ int, q *Question, _ *Answer, state int, visible bool) {
		if !visible {
			return
		}
		p.Questions++
		if state == answerValid {
			p.Answered++
		}
		if q.Required {
			p.Required++
			if state == answerValid {
				p.RequiredAnswered++
			}
		}
	})
	switch {
	case p.Required > 0:
		p.Percent = p.RequiredAnswered * 100 / p.Required
	case p.Questions > 0:
		p.Percent = p.Answered * 100 / p.Questions
	default:
		p.Percent = 100
	}
	return p
}

// Score scores answers to template t (which must be valid). Answers to
// refs the template does not have, and to hidden questions, are ignored.
// Unanswered shown questions earn 0 and count in the maximum. It is pure
// and deterministic.
func Score(t *Template, answers map[string]Answer) Result {
	s := &t.Scoring
	ypts := s.Points
	if len(ypts) == 0 {
		ypts = defaultYesNoPoints
	}
	yn := newYesNoTable(ypts)
	d := s.Decimals
	r := Result{
		Method:          s.Method,
		Sections:        make([]SectionResult, len(t.Sections)),
		Missing:         []string{},
		MissingEvidence: []string{},
		Invalid:         []string{},
		Hidden:          []string{},
	}
	type levelAcc struct{ met, applicable int }
	var levels []levelAcc
	if len(t.Levels) > 0 {
		levels = make([]levelAcc, len(t.Levels))
	}
	achievement := s.Method == ScoringAchievement
	t.walk(answers, func(si int, q *Question, a *Answer, state int, visible bool) {
		sr := &r.Sections[si]
		if !visible {
			r.Hidden = append(r.Hidden, q.Ref)
			return
		}
		sr.Total++
		r.Questions++
		if q.Required {
			r.Required++
		}
		switch state {
		case answerValid:
			r.Answered++
			sr.Answered++
			if q.Required {
				r.RequiredAnswered++
			}
			if q.Evidence && a.Files <= 0 && q.claims(a) {
				r.MissingEvidence = append(r.MissingEvidence, q.Ref)
			}
		case answerInvalid:
			r.Invalid = append(r.Invalid, q.Ref)
			fallthrough
		default:
			if q.Required {
				r.Missing = append(r.Missing, q.Ref)
			}
			a = nil
		}
		if !q.Scored() {
			return
		}
		pts, max, excluded := q.points(s, &yn, a)
		if excluded {
			return
		}
		met := a != nil && pts >= max-1e-9
		w := float64(weightOf(q.Weight))
		sr.Applicable++
		if met {
			sr.Met++
		}
		if achievement {
			sr.Max += w
			if met {
				sr.Score += w
			}
		} else {
			sr.Max += w * max
			sr.Score += w * pts
		}
		if levels != nil {
			for li := range t.Levels {
				if t.Levels[li].Code == q.Level {
					levels[li].applicable++
					if met {
						levels[li].met++
					}
					break
				}
			}
		}
	})
	var score, max float64
	for i := range r.Sections {
		sr := &r.Sections[i]
		sr.Ref = t.Sections[i].Ref
		w := float64(weightOf(t.Sections[i].Weight))
		score += w * sr.Score
		max += w * sr.Max
		sr.Achievement = floorPercent(sr.Score, sr.Max, d)
		sr.Score, sr.Max = round6Places(sr.Score), round6Places(sr.Max)
	}
	switch {
	case achievement:
		r.Total, r.Max = floorPercent(score, max, d), 100
	case s.Scale > 0:
		r.Total, r.Max = floorTo(sharePercent(score, max)*s.Scale/100, d), s.Scale
	default:
		r.Total, r.Max = floorTo(score, d), round6Places(max)
	}
	if levels != nil {
		r.Levels = make([]LevelResult, len(t.Levels))
		cumMet, cumApplicable, reached := 0, 0, true
		for i, l := range levels {
			cumMet += l.met
			cumApplicable += l.applicable
			reached = reached && l.met == l.applicable
			r.Levels[i] = LevelResult{
				Level: t.Levels[i].Code, Met: l.met, Applicable: l.applicable,
				Achievement: floorPercent(float64(l.met), float64(l.applicable), d),
				Cumulative:  floorPercent(float64(cumMet), float64(cumApplicable), d),
				Reached:     reached,
			}
		}
	}
	r.Band, _ = t.BandFor(r.Total)
	return r
}

// BandFor returns the band a total falls in; false when the template has
// no bands (or, for an invalid template, none holds the total).
func (t *Template) BandFor(total float64) (ResultBand, bool) {
	for i := range t.Bands {
		b := &t.Bands[i]
		if (b.Min == nil || *b.Min <= total+1e-9) && (b.Max == nil || total <= *b.Max+1e-9) {
			return ResultBand{Code: b.Code, Label: b.Label, Advice: b.Advice}, true
		}
	}
	return ResultBand{}, false
}

// sharePercent is score/max in percent, within 0–100; 100 when max is 0
// (nothing to meet, nothing unmet).
func sharePercent(score, max float64) float64 {
	if max <= 0 {
		return 100
	}
	return math.Min(100, math.Max(0, score/max*100))
}

// floorPercent is sharePercent rounded down to d places.
func floorPercent(score, max float64, d int) float64 { return floorTo(sharePercent(score, max), d) }

func round6Places(x float64) float64 { return math.Round(x*1e6) / 1e6 }
