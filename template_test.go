package renkei

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// testTemplate is a small valid template of kind org: a yes/no question,
// a follow-up shown when it is yes, a single choice, a multiple choice
// with a follow-up, and a text question.
func testTemplate() *Template {
	return &Template{
		Slug: "test", Version: 1, Kind: TemplateOrg,
		Title:   Bilingual{JA: "テスト", EN: "Test"},
		Scoring: Scoring{Method: ScoringPoints, Points: map[string]float64{AnswerYes: 2, AnswerPartly: 1, AnswerUnknown: -1}, NA: NAExclude},
		Levels:  []Level{{Code: "lv1", Name: Bilingual{JA: "レベル1"}}, {Code: "lv2", Name: Bilingual{EN: "Level 2"}}},
		Sections: []Section{
			{Ref: "a", Title: Bilingual{JA: "A"}, Questions: []Question{
				{Ref: "1", Kind: QuestionYesNo, Text: Bilingual{JA: "使っていますか？"}, Required: true, Level: "lv1", Controls: []string{"ctl.patching"}},
				{Ref: "2", Kind: QuestionYesNo, Text: Bilingual{JA: "更新していますか？"}, Required: true, Level: "lv1",
					ShowIf: &Condition{Question: "1", Values: []string{AnswerYes}}},
				{Ref: "3", Kind: QuestionSingle, Text: Bilingual{EN: "How often?"}, Required: true, Level: "lv2", Choices: []Choice{
					{Value: "daily", Label: Bilingual{EN: "Daily"}, Points: 3},
					{Value: "monthly", Label: Bilingual{EN: "Monthly"}, Points: 1},
					{Value: "never", Label: Bilingual{EN: "Never"}},
				}},
			}},
			{Ref: "b", Title: Bilingual{EN: "B"}, Weight: 2, Questions: []Question{
				{Ref: "4", Kind: QuestionMulti, Text: Bilingual{EN: "Which?"}, Level: "lv2", Choices: []Choice{
					{Value: "x", Label: Bilingual{EN: "X"}, Points: 1},
					{Value: "y", Label: Bilingual{EN: "Y"}, Points: 2},
					{Value: "none", Label: Bilingual{EN: "None"}, Points: -1},
				}},
				{Ref: "5", Kind: QuestionText, Text: Bilingual{EN: "Tell us about Y."}, Required: true,
					ShowIf: &Condition{Question: "4", Values: []string{"y"}}},
				{Ref: "6", Kind: QuestionYesNo, Text: Bilingual{EN: "Optional"}, Level: "lv2", Evidence: true, NA: NANotAllowed},
			}},
		},
	}
}

func TestTestTemplateIsValid(t *testing.T) {
	if err := testTemplate().Validate(); err != nil {
		t.Fatal(describeError(err))
	}
}

func TestValidateRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(t *Template)
		path  string
		key   string
		other bool // the edit may cause further errors
	}{
		{"slug", func(t *Template) { t.Slug = "Bad Slug" }, "slug", "template.slug", false},
		{"version", func(t *Template) { t.Version = 0 }, "version", "template.version", false},
		{"kind", func(t *Template) { t.Kind = "shared" }, "kind", "template.kind", false},
		{"empty title", func(t *Template) { t.Title = Bilingual{} }, "title", "template.required", false},
		{"builtin needs both languages", func(t *Template) { t.Kind = TemplateBuiltin; t.Title.EN = "" }, "title.en", "template.required", true},
		{"control character", func(t *Template) { t.Title.JA = "テスト\x07" }, "title.ja", "template.text", false},
		{"bidi override", func(t *Template) { t.Sections[0].Questions[0].Text.JA = "abc\u202egnp.exe" }, "sections[0].questions[0].text.ja", "template.text", false},
		{"isolate", func(t *Template) { t.Sections[1].Title.EN = "B\u2066" }, "sections[1].title.en", "template.text", false},
		{"newline in a title", func(t *Template) { t.Sections[1].Title.EN = "B\nC" }, "sections[1].title.en", "template.text", false},
		{"too long", func(t *Template) { t.Title.JA = strings.Repeat("長", 201) }, "title.ja", "template.too_long", false},
		{"empty question text", func(t *Template) { t.Sections[1].Questions[2].Text = Bilingual{} }, "sections[1].questions[2].text", "template.required", false},
		{"method", func(t *Template) { t.Scoring.Method = "sum" }, "scoring.method", "template.method", false},
		{"points key", func(t *Template) { t.Scoring.Points["maybe"] = 1 }, "scoring.points.maybe", "template.points", false},
		{"points range", func(t *Template) { t.Scoring.Points[AnswerYes] = 1e6 }, "scoring.points.yes", "template.points", true},
		{"na", func(t *Template) { t.Scoring.NA = "skip" }, "scoring.na", "template.na", false},
		{"scale with achievement", func(t *Template) { t.Scoring.Method = ScoringAchievement; t.Scoring.Scale = 100 }, "scoring.scale", "template.scale", false},
		{"decimals", func(t *Template) { t.Scoring.Decimals = 3 }, "scoring.decimals", "template.decimals", false},
		{"level code", func(t *Template) { t.Levels[1].Code = "Lv 2" }, "levels[1].code", "template.code", true},
		{"level twice", func(t *Template) { t.Levels[1].Code = "lv1" }, "levels[1].code", "template.duplicate", true},
		{"no sections", func(t *Template) { t.Sections = nil }, "sections", "template.empty", false},
		{"empty section", func(t *Template) { t.Sections[1].Questions = nil }, "sections[1].questions", "template.empty", false},
		{"section ref twice", func(t *Template) { t.Sections[1].Ref = "a" }, "sections[1].ref", "template.ref_taken", false},
		{"section weight", func(t *Template) { t.Sections[1].Weight = 101 }, "sections[1].weight", "template.weight", false},
		{"question ref", func(t *Template) { t.Sections[0].Questions[2].Ref = "3 " }, "sections[0].questions[2].ref", "template.ref", false},
		{"question ref twice", func(t *Template) { t.Sections[1].Questions[2].Ref = "1" }, "sections[1].questions[2].ref", "template.ref_taken", false},
		{"question kind", func(t *Template) { t.Sections[1].Questions[2].Kind = "bool" }, "sections[1].questions[2].kind", "template.question_kind", true},
		{"choices on yes/no", func(t *Template) {
			t.Sections[0].Questions[0].Choices = []Choice{{Value: "a", Label: Bilingual{JA: "a"}}}
		}, "sections[0].questions[0].choices", "template.choices_not_allowed", false},
		{"single needs two choices", func(t *Template) { t.Sections[0].Questions[2].Choices = t.Sections[0].Questions[2].Choices[:1] }, "sections[0].questions[2].choices", "template.choices_needed", false},
		{"multi needs a choice", func(t *Template) { t.Sections[1].Questions[0].Choices = nil }, "sections[1].questions[0].choices", "template.choices_needed", true},
		{"choice twice", func(t *Template) { t.Sections[0].Questions[2].Choices[2].Value = "daily" }, "sections[0].questions[2].choices[2].value", "template.choice_taken", false},
		{"choice label", func(t *Template) { t.Sections[0].Questions[2].Choices[1].Label = Bilingual{} }, "sections[0].questions[2].choices[1].label", "template.required", false},
		{"points on a choice question", func(t *Template) { t.Sections[0].Questions[2].Points = map[string]float64{AnswerYes: 1} }, "sections[0].questions[2].points", "template.points_not_allowed", false},
		{"na on a text question", func(t *Template) { t.Sections[1].Questions[1].NA = AnswerYes }, "sections[1].questions[1].na", "template.points_not_allowed", false},
		{"question weight", func(t *Template) { t.Sections[0].Questions[0].Weight = -1 }, "sections[0].questions[0].weight", "template.weight", false},
		{"unknown level", func(t *Template) { t.Sections[0].Questions[0].Level = "star3" }, "sections[0].questions[0].level", "template.level", false},
		{"scored question without level", func(t *Template) { t.Sections[0].Questions[0].Level = "" }, "sections[0].questions[0].level", "template.level_needed", false},
		{"unknown control", func(t *Template) { t.Sections[0].Questions[0].Controls = []string{"ctl.patching", "ctl.nope"} }, "sections[0].questions[0].controls[1]", "template.control", false},
		{"control twice", func(t *Template) { t.Sections[0].Questions[0].Controls = []string{"ctl.mfa", "ctl.mfa"} }, "sections[0].questions[0].controls[1]", "template.duplicate", false},
		{"condition on a later question", func(t *Template) { t.Sections[0].Questions[1].ShowIf.Question = "3" }, "sections[0].questions[1].show_if.question", "template.show_if_earlier", false},
		{"condition on itself", func(t *Template) { t.Sections[0].Questions[1].ShowIf.Question = "2" }, "sections[0].questions[1].show_if.question", "template.show_if_earlier", false},
		{"condition on an unknown question", func(t *Template) { t.Sections[0].Questions[1].ShowIf.Question = "99" }, "sections[0].questions[1].show_if.question", "template.show_if_earlier", false},
		{"condition on a text question", func(t *Template) {
			t.Sections[1].Questions[2].ShowIf = &Condition{Question: "5", Values: []string{"x"}}
		}, "sections[1].questions[2].show_if.question", "template.show_if_kind", false},
		{"condition value not an answer", func(t *Template) { t.Sections[0].Questions[1].ShowIf.Values = []string{"ja"} }, "sections[0].questions[1].show_if.values[0]", "template.show_if_value", false},
		{"condition value not a choice", func(t *Template) { t.Sections[1].Questions[1].ShowIf.Values = []string{"y", "z"} }, "sections[1].questions[1].show_if.values[1]", "template.show_if_value", false},
		{"condition on na where na is not allowed", func(t *Template) {
			t.Sections[1].Questions = append(t.Sections[1].Questions, Question{Ref: "7", Kind: QuestionText, Text: Bilingual{EN: "x"},
				ShowIf: &Condition{Question: "6", Values: []string{AnswerNA}}})
		}, "sections[1].questions[3].show_if.values[0]", "template.show_if_value", false},
		{"condition without values", func(t *Template) { t.Sections[0].Questions[1].ShowIf.Values = nil }, "sections[0].questions[1].show_if.values", "template.required", false},
		{"condition value twice", func(t *Template) { t.Sections[0].Questions[1].ShowIf.Values = []string{"yes", "yes"} }, "sections[0].questions[1].show_if.values[1]", "template.duplicate", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tpl := testTemplate()
			tc.edit(tpl)
			err := tpl.Validate()
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID {
				t.Fatalf("want an invalid error, got %v", err)
			}
			if e.Fields[tc.path] != tc.key {
				t.Fatalf("want %s: %s, got %s", tc.path, tc.key, describeError(err))
			}
			if !tc.other && len(e.Fields) != 1 {
				t.Fatalf("want one error, got %s", describeError(err))
			}
		})
	}
}

func bandsOf(spec ...[3]any) []Band {
	var out []Band
	for _, s := range spec {
		b := Band{Code: s[0].(string), Label: Bilingual{JA: s[0].(string)}}
		if s[1] != nil {
			b.Min = float64Ptr(s[1].(float64))
		}
		if s[2] != nil {
			b.Max = float64Ptr(s[2].(float64))
		}
		out = append(out, b)
	}
	return out
}

func TestValidateBands(t *testing.T) {
	// testTemplate's totals run from -2 (two unknowns) + 2*(-2) (section
	// b, weight 2: the "none" choice and an unknown) = -6 to 2+2+3 +
	// 2*(1+2+2) = 17.
	if lo, hi := testTemplate().Range(); lo != -6 || hi != 17 {
		t.Fatalf("range %v..%v", lo, hi)
	}
	for _, tc := range []struct {
		name     string
		decimals int
		bands    []Band
		path     string
		key      string
	}{
		{"cover", 0, bandsOf([3]any{"hi", 10.0, nil}, [3]any{"lo", nil, 9.0}), "", ""},
		{"cover any order, closed ends", 0, bandsOf([3]any{"lo", -6.0, 4.0}, [3]any{"hi", 10.0, 17.0}, [3]any{"mid", 5.0, 9.0}), "", ""},
		{"gap", 0, bandsOf([3]any{"hi", 11.0, nil}, [3]any{"lo", nil, 9.0}), "bands[0].min", "template.bands_gap"},
		{"overlap", 0, bandsOf([3]any{"hi", 9.0, nil}, [3]any{"lo", nil, 9.0}), "bands[0].min", "template.bands_overlap"},
		{"two open lows", 0, bandsOf([3]any{"hi", nil, 17.0}, [3]any{"lo", nil, 9.0}), "bands[1].min", "template.bands_overlap"},
		{"low end not covered", 0, bandsOf([3]any{"hi", 10.0, nil}, [3]any{"lo", -5.0, 9.0}), "bands[1].min", "template.bands_range"},
		{"high end not covered", 0, bandsOf([3]any{"hi", 10.0, 16.0}, [3]any{"lo", nil, 9.0}), "bands[0].max", "template.bands_range"},
		{"min above max", 0, bandsOf([3]any{"hi", 10.0, 9.0}, [3]any{"lo", nil, 9.0}), "bands[0].max", "template.band_order"},
		{"off the step", 0, bandsOf([3]any{"hi", 9.5, nil}, [3]any{"lo", nil, 9.0}), "bands[0].min", "template.band_step"},
		{"tenths", 1, bandsOf([3]any{"hi", 9.1, nil}, [3]any{"lo", nil, 9.0}), "", ""},
		{"tenths gap", 1, bandsOf([3]any{"hi", 9.2, nil}, [3]any{"lo", nil, 9.0}), "bands[0].min", "template.bands_gap"},
		{"code twice", 0, bandsOf([3]any{"x", 10.0, nil}, [3]any{"x", nil, 9.0}), "bands[1].code", "template.duplicate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tpl := testTemplate()
			tpl.Scoring.Decimals = tc.decimals
			tpl.Bands = tc.bands
			err := tpl.Validate()
			if tc.key == "" {
				if err != nil {
					t.Fatal(describeError(err))
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Fields[tc.path] != tc.key {
				t.Fatalf("want %s: %s, got %v", tc.path, tc.key, describeError(err))
			}
		})
	}
}

func TestNormalizeAndClone(t *testing.T) {
	tpl := testTemplate()
	tpl.Title.JA = "  テスト\u3000"
	tpl.Sections[0].Questions[0].Controls = []string{}
	tpl.Sections[0].Questions[0].Choices = []Choice{}
	tpl.Normalize()
	if tpl.Title.JA != "テスト" || tpl.Sections[0].Questions[0].Controls != nil || tpl.Sections[0].Questions[0].Choices != nil {
		t.Fatalf("not normalized: %q %#v", tpl.Title.JA, tpl.Sections[0].Questions[0])
	}
	c := tpl.Clone()
	if !reflect.DeepEqual(c, tpl) {
		t.Fatal("clone differs")
	}
	c.Sections[0].Questions[1].ShowIf.Values[0] = "no"
	c.Sections[0].Questions[2].Choices[0].Points = 9
	c.Scoring.Points[AnswerYes] = 9
	if tpl.Sections[0].Questions[1].ShowIf.Values[0] != "yes" || tpl.Sections[0].Questions[2].Choices[0].Points != 3 || tpl.Scoring.Points[AnswerYes] != 2 {
		t.Fatal("clone shares memory with the original")
	}
}

func TestBilingualLabel(t *testing.T) {
	b := Bilingual{JA: "はい", EN: "Yes"}
	if b.Label("ja") != "はい" || b.Label("en") != "Yes" || b.Label("") != "はい" {
		t.Fatal(b)
	}
	if (Bilingual{JA: "はい"}).Label("en") != "はい" || (Bilingual{EN: "Yes"}).Label("ja") != "Yes" {
		t.Fatal("fallback")
	}
}

func TestControls(t *testing.T) {
	list := Controls()
	if len(list) < 40 || len(list) > 60 {
		t.Fatalf("%d controls", len(list))
	}
	for _, id := range []string{"ctl.patching", "ctl.malware", "ctl.passwords", "ctl.mfa", "ctl.backup", "ctl.incident-contact",
		"ctl.education", "ctl.asset-inventory", "ctl.access-control", "ctl.logging", "ctl.supplier-management", "ctl.policy",
		"ctl.risk-assessment", "ctl.network-segmentation", "ctl.vuln-mgmt", "ctl.email-security", "ctl.physical",
		"ctl.remote-access", "ctl.bcp", "ctl.data-handling", "ctl.disposal", "ctl.sbom", "ctl.threat-sharing"} {
		c, ok := LookupControl(id)
		if !ok || c.Name.JA == "" || c.Name.EN == "" {
			t.Errorf("control %s: %+v %v", id, c, ok)
		}
	}
	if ValidControl("ctl.none") || ValidControl("") {
		t.Fatal("unknown control accepted")
	}
	list[0].ID = "changed"
	if Controls()[0].ID == "changed" {
		t.Fatal("Controls shares its slice")
	}
}

// TestMessageKeys checks that every message key the template code uses
// is in the assessments catalog, in Japanese and English.
func TestMessageKeys(t *testing.T) {
	catalog := map[string]map[string]string{}
	for _, lang := range []string{"ja", "en"} {
		b, err := os.ReadFile("i18n/messages/assessments." + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		catalog[lang] = m
	}
	key := regexp.MustCompile(`"((?:template|answer)\.[a-z_]+)"`)
	used := map[string]bool{}
	for _, f := range []string{"template.go", "template_score.go", "template_format.go", "template_builtin.go", "controls.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	if len(used) < 40 {
		t.Fatalf("only %d keys found", len(used))
	}
	for k := range used {
		for lang, m := range catalog {
			if m[k] == "" {
				t.Errorf("%s: no message %s", lang, k)
			}
		}
	}
}
