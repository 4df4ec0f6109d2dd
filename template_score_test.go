package renkei

import (
	"reflect"
	"strconv"
	"testing"
)

func builtin(t testing.TB, slug string) *Template {
	t.Helper()
	tpl, ok := BuiltinTemplate(slug)
	if !ok {
		t.Fatalf("no built-in template %s", slug)
	}
	return tpl
}

// answerAll answers every yes/no question of tpl with v.
func answerAll(tpl *Template, v string) map[string]Answer {
	m := map[string]Answer{}
	for _, q := range tpl.Questions() {
		if q.Kind == QuestionYesNo {
			m[q.Ref] = Answer{Value: v}
		}
	}
	return m
}

// selfCheckAnswers answers questions 1…25 in order: y yes, p partly, u
// unknown, na not applicable, and no for the rest.
func selfCheckAnswers(y, p, u, na int) map[string]Answer {
	m := map[string]Answer{}
	for i := 1; i <= 25; i++ {
		v := AnswerNo
		switch {
		case i <= y:
			v = AnswerYes
		case i <= y+p:
			v = AnswerPartly
		case i <= y+p+u:
			v = AnswerUnknown
		case i <= y+p+u+na:
			v = AnswerNA
		}
		m[strconv.Itoa(i)] = Answer{Value: v}
	}
	return m
}

func TestSelfCheckScoring(t *testing.T) {
	tpl := builtin(t, TemplateSelfCheck25)
	for _, tc := range []struct {
		name          string
		answers       map[string]Answer
		total         float64
		band          string
		missing, secs int
	}{
		{"all yes", selfCheckAnswers(25, 0, 0, 0), 100, "complete", 0, 0},
		{"na counts as yes", selfCheckAnswers(20, 0, 0, 5), 100, "complete", 0, 0},
		{"all na", selfCheckAnswers(0, 0, 0, 25), 100, "complete", 0, 0},
		{"98: one partly", selfCheckAnswers(24, 1, 0, 0), 98, "good", 0, 0},
		{"70", selfCheckAnswers(17, 1, 0, 0), 70, "good", 0, 0},
		{"69: an unknown is -1", selfCheckAnswers(17, 1, 1, 0), 69, "fair", 0, 0},
		{"50", selfCheckAnswers(12, 1, 0, 0), 50, "fair", 0, 0},
		{"49", selfCheckAnswers(12, 1, 1, 0), 49, "poor", 0, 0},
		{"all no", selfCheckAnswers(0, 0, 0, 0), 0, "poor", 0, 0},
		{"all unknown sums as is", selfCheckAnswers(0, 0, 25, 0), -25, "poor", 0, 0},
		{"nothing answered", map[string]Answer{}, 0, "poor", 25, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Score(tpl, tc.answers)
			if r.Total != tc.total || r.Max != 100 || r.Band.Code != tc.band || len(r.Missing) != tc.missing {
				t.Fatalf("total %v/%v band %q missing %v", r.Total, r.Max, r.Band.Code, r.Missing)
			}
			if r.Band.Label.JA == "" || r.Band.Label.EN == "" || r.Band.Advice.JA == "" || r.Band.Advice.EN == "" {
				t.Fatalf("band without words: %+v", r.Band)
			}
			if r.Questions != 25 || r.Required != 25 || r.Answered != 25-tc.missing || len(r.Hidden) != 0 {
				t.Fatalf("counts %+v", r)
			}
		})
	}
	// 99 cannot be reached with 4/2/0/-1 over 25 questions; the band
	// boundaries are checked on the totals themselves.
	for total, band := range map[float64]string{100: "complete", 99: "good", 70: "good", 69: "fair", 50: "fair", 49: "poor", -25: "poor"} {
		if b, ok := tpl.BandFor(total); !ok || b.Code != band {
			t.Errorf("BandFor(%v) = %q, want %q", total, b.Code, band)
		}
	}
	// Sections: 1–5, 6–18, 19–25, each out of 4 per question.
	r := Score(tpl, selfCheckAnswers(5, 0, 0, 0))
	want := []SectionResult{
		{Ref: "basics", Score: 20, Max: 20, Achievement: 100, Met: 5, Applicable: 5, Answered: 5, Total: 5},
		{Ref: "staff", Score: 0, Max: 52, Achievement: 0, Met: 0, Applicable: 13, Answered: 13, Total: 13},
		{Ref: "organization", Score: 0, Max: 28, Achievement: 0, Met: 0, Applicable: 7, Answered: 7, Total: 7},
	}
	if !reflect.DeepEqual(r.Sections, want) {
		t.Fatalf("sections %+v", r.Sections)
	}
}

func TestConditionalQuestions(t *testing.T) {
	tpl := testTemplate()
	// 7 is shown when 2 is yes: hidden whenever 2 is hidden.
	tpl.Sections[1].Questions = append(tpl.Sections[1].Questions, Question{Ref: "7", Kind: QuestionNumber, Required: true,
		Text: Bilingual{EN: "How many?"}, ShowIf: &Condition{Question: "2", Values: []string{AnswerYes}}})
	if err := tpl.Validate(); err != nil {
		t.Fatal(describeError(err))
	}
	n := 3.0
	full := map[string]Answer{
		"1": {Value: AnswerYes}, "2": {Value: AnswerYes}, "3": {Value: "daily"},
		"4": {Values: []string{"x", "y"}}, "5": {Text: "we do"}, "6": {Value: AnswerYes, Files: 1}, "7": {Number: &n},
	}
	with := func(changes map[string]Answer) map[string]Answer {
		m := map[string]Answer{}
		for k, v := range full {
			m[k] = v
		}
		for k, v := range changes {
			if reflect.DeepEqual(v, Answer{}) {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	for _, tc := range []struct {
		name                  string
		answers               map[string]Answer
		total, max            float64
		hidden, missing       []string
		invalid, noEvidence   []string
		required, answeredReq int
	}{
		{"nothing answered", nil, 0, 15, []string{"2", "5", "7"}, []string{"1", "3"}, nil, nil, 2, 0},
		// 2+2+3 + weight 2 × (1+2 + 2)
		{"everything", full, 17, 17, nil, nil, nil, nil, 5, 5},
		{"1 is no: 2 and 7 hidden, their answers ignored", with(map[string]Answer{"1": {Value: AnswerNo}}), 13, 15, []string{"2", "7"}, nil, nil, nil, 3, 3},
		{"2 is no: 7 hidden", with(map[string]Answer{"2": {Value: AnswerNo}}), 15, 17, []string{"7"}, nil, nil, nil, 4, 4},
		{"shown but unanswered is required", with(map[string]Answer{"2": {}, "7": {}}), 15, 17, []string{"7"}, []string{"2"}, nil, nil, 4, 3},
		{"na excluded: 2 hidden", with(map[string]Answer{"1": {Value: AnswerNA}}), 13, 13, []string{"2", "7"}, nil, nil, nil, 3, 3},
		{"4 without y: 5 hidden", with(map[string]Answer{"4": {Values: []string{"x"}}}), 13, 17, []string{"5"}, nil, nil, nil, 4, 4},
		{"a lone value of a multiple choice", with(map[string]Answer{"4": {Value: "y"}}), 15, 17, nil, nil, nil, nil, 5, 5},
		{"a choice twice is invalid", with(map[string]Answer{"4": {Values: []string{"y", "y"}}}), 11, 17, []string{"5"}, nil, []string{"4"}, nil, 4, 4},
		{"an unknown choice is invalid", with(map[string]Answer{"3": {Value: "weekly"}}), 14, 17, nil, []string{"3"}, []string{"3"}, nil, 5, 4},
		{"na where not allowed is invalid", with(map[string]Answer{"6": {Value: AnswerNA}}), 13, 17, nil, nil, []string{"6"}, nil, 5, 5},
		{"yes without evidence", with(map[string]Answer{"6": {Value: AnswerYes}}), 17, 17, nil, nil, nil, []string{"6"}, 5, 5},
		{"no needs no evidence", with(map[string]Answer{"6": {Value: AnswerNo}}), 13, 17, nil, nil, nil, nil, 5, 5},
		{"unknown is -1 here too", with(map[string]Answer{"1": {Value: AnswerUnknown}}), 12, 15, []string{"2", "7"}, nil, nil, nil, 3, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Score(tpl, tc.answers)
			norm := func(s []string) []string {
				if s == nil {
					return []string{}
				}
				return s
			}
			if r.Total != tc.total || r.Max != tc.max {
				t.Errorf("total %v/%v, want %v/%v", r.Total, r.Max, tc.total, tc.max)
			}
			if !reflect.DeepEqual(r.Hidden, norm(tc.hidden)) || !reflect.DeepEqual(r.Missing, norm(tc.missing)) ||
				!reflect.DeepEqual(r.Invalid, norm(tc.invalid)) || !reflect.DeepEqual(r.MissingEvidence, norm(tc.noEvidence)) {
				t.Errorf("hidden %v missing %v invalid %v evidence %v", r.Hidden, r.Missing, r.Invalid, r.MissingEvidence)
			}
			if r.Required != tc.required || r.RequiredAnswered != tc.answeredReq {
				t.Errorf("required %d answered %d", r.Required, r.RequiredAnswered)
			}
			if r.Complete() != (len(tc.missing)+len(tc.invalid)+len(tc.noEvidence) == 0) {
				t.Errorf("complete %v", r.Complete())
			}
			vis := VisibleQuestions(tpl, tc.answers)
			if len(vis) != 7-len(tc.hidden) || r.Questions != len(vis) {
				t.Errorf("%d visible, %d questions", len(vis), r.Questions)
			}
			for _, q := range vis {
				if contains(tc.hidden, q.Ref) {
					t.Errorf("%s hidden but visible", q.Ref)
				}
			}
			p := Progress(tpl, tc.answers)
			if p.Required != r.Required || p.RequiredAnswered != r.RequiredAnswered || p.Questions != r.Questions || p.Answered != r.Answered {
				t.Errorf("progress %+v", p)
			}
		})
	}
}

func TestProgressPercent(t *testing.T) {
	tpl := builtin(t, TemplateSelfCheck25)
	if p := Progress(tpl, nil); p.Percent != 0 || p.Required != 25 {
		t.Fatalf("%+v", p)
	}
	if p := Progress(tpl, selfCheckAnswers(0, 0, 0, 0)); p.Percent != 100 || p.RequiredAnswered != 25 {
		t.Fatalf("%+v", p)
	}
	m := map[string]Answer{"1": {Value: AnswerYes}, "2": {Value: "maybe"}, "3": {Value: AnswerNo}}
	if p := Progress(tpl, m); p.Percent != 8 || p.Answered != 2 { // 2 of 25, rounded down
		t.Fatalf("%+v", p)
	}
}

func TestCheckAnswer(t *testing.T) {
	tpl := testTemplate()
	tpl.Sections[1].Questions = append(tpl.Sections[1].Questions,
		Question{Ref: "d", Kind: QuestionDate, Text: Bilingual{EN: "When?"}},
		Question{Ref: "f", Kind: QuestionFile, Text: Bilingual{EN: "Attach"}})
	nan := 0.0
	nan = nan / nan
	one := 1.0
	for _, tc := range []struct {
		ref string
		a   Answer
		key string
	}{
		{"1", Answer{Value: AnswerYes}, ""},
		{"1", Answer{Value: AnswerNA}, ""}, // the template allows na (excluded)
		{"6", Answer{Value: AnswerNA}, "answer.na"},
		{"1", Answer{Value: "Yes"}, "answer.value"},
		{"1", Answer{}, "answer.required"},
		{"3", Answer{Value: "daily"}, ""},
		{"3", Answer{Value: "weekly"}, "answer.value"},
		{"4", Answer{Values: []string{"x", "y"}}, ""},
		{"4", Answer{Values: []string{"x", "x"}}, "answer.value"},
		{"5", Answer{Text: "line one\nline two"}, ""},
		{"5", Answer{Text: "  "}, "answer.required"},
		{"5", Answer{Text: "a\u202eb"}, "answer.text"},
		{"d", Answer{Date: "2026-04-01"}, ""},
		{"d", Answer{Date: "2026-02-30"}, "answer.date"},
		{"f", Answer{Files: 2}, ""},
		{"f", Answer{Files: -1}, "answer.files"},
		{"1", Answer{Value: AnswerYes, Text: "a comment\x00"}, "answer.text"},
	} {
		q, _ := tpl.Question(tc.ref)
		err := tpl.CheckAnswer(q, tc.a)
		got := ""
		if e, ok := err.(*Error); ok {
			got = e.Fields[tc.ref]
		}
		if got != tc.key {
			t.Errorf("%s %+v: %q, want %q", tc.ref, tc.a, got, tc.key)
		}
	}
	tpl.Sections[1].Questions = append(tpl.Sections[1].Questions, Question{Ref: "n", Kind: QuestionNumber, Text: Bilingual{EN: "n"}})
	q, _ := tpl.Question("n")
	if tpl.CheckAnswer(q, Answer{Number: &nan}) == nil || tpl.CheckAnswer(q, Answer{Number: &one}) != nil {
		t.Fatal("number")
	}
}

func TestScaledPoints(t *testing.T) {
	tpl := testTemplate()
	tpl.Scoring.Scale = 10
	tpl.Scoring.Decimals = 1
	// 7 + 2×2 = 11 of 17 → 6.47… → 6.4
	r := Score(tpl, map[string]Answer{"1": {Value: AnswerYes}, "2": {Value: AnswerYes}, "3": {Value: "daily"}, "4": {Values: []string{"y"}}, "5": {Text: "t"}})
	if r.Total != 6.4 || r.Max != 10 {
		t.Fatalf("%v/%v", r.Total, r.Max)
	}
	// Below zero becomes zero.
	r = Score(tpl, map[string]Answer{"1": {Value: AnswerUnknown}, "4": {Value: "none"}})
	if r.Total != 0 {
		t.Fatalf("%v", r.Total)
	}
}

func TestSupplyChainStar3(t *testing.T) {
	tpl := builtin(t, TemplateSupplyChainStar3)
	all := answerAll(tpl, AnswerYes)
	r := Score(tpl, all)
	if r.Total != 100 || r.Band.Code != "reached" || len(r.Levels) != 1 || !r.Levels[0].Reached || r.Levels[0].Applicable != 25 {
		t.Fatalf("all yes: %v %q %+v", r.Total, r.Band.Code, r.Levels)
	}
	for _, s := range r.Sections {
		if s.Achievement != 100 {
			t.Fatalf("section %+v", s)
		}
	}
	for _, tc := range []struct {
		name    string
		change  map[string]Answer
		total   float64
		band    string
		reached bool
		group   string
		groupAt float64
	}{
		{"partly is not met", map[string]Answer{"gov.1": {Value: AnswerPartly}}, 96, "close", false, "gov", 75},
		{"unknown is not met", map[string]Answer{"pr.3": {Value: AnswerUnknown}}, 96, "close", false, "pr", 88.8},
		{"unanswered is not met", map[string]Answer{"rc.2": {}}, 96, "close", false, "rc", 50},
		{"na where marked is left out", map[string]Answer{"ptn.2": {Value: AnswerNA}, "pr.5": {Value: AnswerNA}}, 100, "reached", true, "ptn", 100},
		{"na where not marked is refused", map[string]Answer{"gov.1": {Value: AnswerNA}}, 96, "close", false, "gov", 75},
		{"na and a no", map[string]Answer{"ptn.2": {Value: AnswerNA}, "ptn.3": {Value: AnswerNo}}, 95.8, "close", false, "ptn", 50},
		{"five no", map[string]Answer{"gov.1": {Value: AnswerNo}, "gov.2": {Value: AnswerNo}, "id.1": {Value: AnswerNo}, "de.1": {Value: AnswerNo}, "rs.1": {Value: AnswerNo}}, 80, "close", false, "gov", 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := map[string]Answer{}
			for k, v := range all {
				m[k] = v
			}
			for k, v := range tc.change {
				if reflect.DeepEqual(v, Answer{}) {
					delete(m, k)
				} else {
					m[k] = v
				}
			}
			r := Score(tpl, m)
			if r.Total != tc.total || r.Band.Code != tc.band || r.Levels[0].Reached != tc.reached {
				t.Fatalf("total %v band %q level %+v", r.Total, r.Band.Code, r.Levels[0])
			}
			for _, s := range r.Sections {
				if s.Ref == tc.group && s.Achievement != tc.groupAt {
					t.Fatalf("%s achievement %v, want %v", s.Ref, s.Achievement, tc.groupAt)
				}
			}
		})
	}
	// Achievement over the groups: half the protect group, nothing else.
	m := map[string]Answer{}
	for _, ref := range []string{"pr.1", "pr.2", "pr.3", "pr.4"} {
		m[ref] = Answer{Value: AnswerYes}
	}
	r = Score(tpl, m)
	if r.Total != 16 || r.Band.Code != "early" || r.Sections[3].Ref != "pr" || r.Sections[3].Achievement != 44.4 || r.Sections[3].Met != 4 || r.Sections[3].Applicable != 9 {
		t.Fatalf("%v %q %+v", r.Total, r.Band.Code, r.Sections[3])
	}
}

func TestSupplyChainStar4(t *testing.T) {
	s3, s4 := builtin(t, TemplateSupplyChainStar3), builtin(t, TemplateSupplyChainStar4)
	// star3's 25 yes, the other 19 no.
	m := answerAll(s4, AnswerNo)
	for k := range answerAll(s3, AnswerYes) {
		m[k] = Answer{Value: AnswerYes}
	}
	r := Score(s4, m)
	want := []LevelResult{
		{Level: "star3", Met: 25, Applicable: 25, Achievement: 100, Cumulative: 100, Reached: true},
		{Level: "star4", Met: 0, Applicable: 19, Achievement: 0, Cumulative: 56.8, Reached: false},
	}
	if !reflect.DeepEqual(r.Levels, want) || r.Total != 56.8 || r.Band.Code != "partial" {
		t.Fatalf("%v %q %+v", r.Total, r.Band.Code, r.Levels)
	}
	// gov: 4 of 7.
	if r.Sections[0].Ref != "gov" || r.Sections[0].Achievement != 57.1 || r.Sections[0].Applicable != 7 {
		t.Fatalf("%+v", r.Sections[0])
	}
	// All 44: both levels.
	all := answerAll(s4, AnswerYes)
	all["gov.5"] = Answer{Value: AnswerYes, Files: 1}
	all["id.6"] = Answer{Value: AnswerYes, Files: 1}
	all["rs.3"] = Answer{Value: AnswerYes, Files: 1}
	r = Score(s4, all)
	if r.Total != 100 || !r.Levels[0].Reached || !r.Levels[1].Reached || !r.Complete() {
		t.Fatalf("%v %+v %v", r.Total, r.Levels, r.MissingEvidence)
	}
	// One of the 19 missing: star3 still, not star4.
	all["de.4"] = Answer{Value: AnswerPartly}
	r = Score(s4, all)
	if !r.Levels[0].Reached || r.Levels[1].Reached || r.Levels[1].Achievement != 94.7 {
		t.Fatalf("%+v", r.Levels)
	}
	// One of star3's missing: neither, though star4's own are all met.
	all["de.4"] = Answer{Value: AnswerYes}
	all["gov.1"] = Answer{Value: AnswerNo}
	r = Score(s4, all)
	if r.Levels[0].Reached || r.Levels[1].Reached || r.Levels[1].Achievement != 100 {
		t.Fatalf("%+v", r.Levels)
	}
	// Evidence is asked for where marked, for a yes.
	r = Score(s4, answerAll(s4, AnswerYes))
	if !reflect.DeepEqual(r.MissingEvidence, []string{"gov.5", "id.6", "rs.3"}) || r.Complete() {
		t.Fatalf("%v", r.MissingEvidence)
	}
}

func TestAutomotiveLevels(t *testing.T) {
	tpl := builtin(t, TemplateAutomotive3Levels)
	levelOf := map[string]string{}
	for _, q := range tpl.Questions() {
		levelOf[q.Ref] = q.Level
	}
	only := func(levels ...string) map[string]Answer {
		m := map[string]Answer{}
		for ref, l := range levelOf {
			if contains(levels, l) {
				m[ref] = Answer{Value: AnswerYes}
			} else {
				m[ref] = Answer{Value: AnswerNo}
			}
		}
		return m
	}
	r := Score(tpl, only("lv1"))
	want := []LevelResult{
		{Level: "lv1", Met: 20, Applicable: 20, Achievement: 100, Cumulative: 100, Reached: true},
		{Level: "lv2", Met: 0, Applicable: 25, Achievement: 0, Cumulative: 44.4, Reached: false},
		{Level: "lv3", Met: 0, Applicable: 15, Achievement: 0, Cumulative: 33.3, Reached: false},
	}
	if !reflect.DeepEqual(r.Levels, want) || r.Total != 33.3 {
		t.Fatalf("%v %+v", r.Total, r.Levels)
	}
	r = Score(tpl, only("lv1", "lv2"))
	if !r.Levels[1].Reached || r.Levels[2].Reached || r.Levels[2].Cumulative != 75 || r.Total != 75 || r.Band.Code != "developing" {
		t.Fatalf("%v %q %+v", r.Total, r.Band.Code, r.Levels)
	}
	// lv2's own items all met but one lv1 item not: lv2 is not reached.
	m := only("lv2")
	r = Score(tpl, m)
	if r.Levels[0].Reached || r.Levels[1].Reached || r.Levels[1].Achievement != 100 {
		t.Fatalf("%+v", r.Levels)
	}
	// No production or development: the ot items are left out.
	m = only("lv1", "lv2", "lv3")
	for ref := range levelOf {
		if len(ref) > 3 && ref[:3] == "ot." {
			m[ref] = Answer{Value: AnswerNA}
		}
	}
	r = Score(tpl, m)
	if r.Total != 100 || r.Levels[1].Applicable != 23 || r.Levels[2].Applicable != 12 || !r.Levels[2].Reached {
		t.Fatalf("%v %+v", r.Total, r.Levels)
	}
	// Partly (or unknown) never meets an item.
	m["org.1"] = Answer{Value: AnswerPartly}
	r = Score(tpl, m)
	if r.Levels[0].Reached || r.Levels[0].Achievement != 95 {
		t.Fatalf("%+v", r.Levels[0])
	}
}

func TestContractRequirements(t *testing.T) {
	tpl := builtin(t, TemplateContractRequirements)
	terms := Terms(ListRequirement)
	qs := tpl.Questions()
	if len(qs) != len(terms)+1 {
		t.Fatalf("%d questions for %d requirement kinds", len(qs), len(terms))
	}
	for i, term := range terms {
		if qs[i].Ref != term.Code || qs[i].Kind != QuestionYesNo || len(qs[i].Controls) == 0 {
			t.Errorf("question %d: %+v, want the requirement kind %s", i, qs[i], term.Code)
		}
	}
	all := answerAll(tpl, AnswerYes)
	r := Score(tpl, all)
	if r.Total != 100 || !reflect.DeepEqual(r.Missing, []string{"other-detail"}) || r.Band.Code != "agreed" {
		t.Fatalf("%v %v %q", r.Total, r.Missing, r.Band.Code)
	}
	all["other-detail"] = Answer{Text: "品質保証協定書 第12条"}
	if r = Score(tpl, all); !r.Complete() {
		t.Fatalf("%+v", r)
	}
	all["other"] = Answer{Value: AnswerNA} // no other terms: left out, the detail hidden
	all["sbom"] = Answer{Value: AnswerNo}
	r = Score(tpl, all)
	if r.Total != 90.9 || !reflect.DeepEqual(r.Hidden, []string{"other-detail"}) || !r.Complete() { // 10 of 11
		t.Fatalf("%v %v", r.Total, r.Hidden)
	}
	all["confidentiality"] = Answer{Value: AnswerNA} // not allowed
	if r = Score(tpl, all); !reflect.DeepEqual(r.Invalid, []string{"confidentiality"}) {
		t.Fatalf("%v", r.Invalid)
	}
}

func TestScoreIgnoresUnknownRefsAndIsDeterministic(t *testing.T) {
	tpl := builtin(t, TemplateSupplyChainStar4)
	m := answerAll(tpl, AnswerPartly)
	m["nope"] = Answer{Value: AnswerYes}
	a, b := Score(tpl, m), Score(tpl, m)
	if !reflect.DeepEqual(a, b) || a.Questions != 44 {
		t.Fatal("not deterministic")
	}
}

func TestSyntheticTemplate(t *testing.T) {
	tpl := SyntheticTemplate(50, 74, 29)
	if err := tpl.Validate(); err != nil {
		t.Fatal(describeError(err))
	}
	if tpl.QuestionCount() != 153 || len(tpl.Levels) != 3 {
		t.Fatalf("%d questions", tpl.QuestionCount())
	}
	r := Score(tpl, answerAll(tpl, AnswerYes))
	if r.Total != 100 || r.Questions != 153 || !r.Levels[2].Reached || r.Levels[0].Applicable != 50 || r.Levels[1].Applicable != 74 {
		t.Fatalf("%v %+v", r.Total, r.Levels)
	}
	r = Score(tpl, answerAll(tpl, AnswerNo))
	if r.Questions != 153-15 || len(r.Hidden) != 15 { // every tenth follows a no
		t.Fatalf("%d shown, %d hidden", r.Questions, len(r.Hidden))
	}
	if _, err := MarshalTemplate(tpl); err != nil {
		t.Fatal(err)
	}
}

// benchAnswers answers every question in a rotation of yes, partly, no,
// yes, unknown (the way real answers mix).
func benchAnswers(tpl *Template) map[string]Answer {
	rot := []string{AnswerYes, AnswerPartly, AnswerNo, AnswerYes, AnswerUnknown}
	m := map[string]Answer{}
	for i, q := range tpl.Questions() {
		switch q.Kind {
		case QuestionYesNo:
			m[q.Ref] = Answer{Value: rot[i%len(rot)]}
		case QuestionText:
			m[q.Ref] = Answer{Text: "回答"}
		}
	}
	return m
}

func BenchmarkScore(b *testing.B) {
	tpls := BuiltinTemplates()
	tpls = append(tpls, SyntheticTemplate(50, 74, 29))
	for _, tpl := range tpls {
		name := tpl.Slug
		if name == "synthetic" {
			name = "synthetic-153"
		}
		answers := benchAnswers(tpl)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Score(tpl, answers)
			}
		})
	}
}
