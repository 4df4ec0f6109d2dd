package renkei

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
)

// The built-in templates, worded in our own words in the style of the
// Japanese checklists suppliers are asked to answer. Each file is in the
// template format and is validated when the program starts.
//
//go:embed templates/builtin/*.json
var builtinFS embed.FS

// Slugs of the built-in templates.
const (
	TemplateSelfCheck25          = "self-check-25"
	TemplateSupplyChainStar3     = "supply-chain-star3"
	TemplateSupplyChainStar4     = "supply-chain-star4"
	TemplateAutomotive3Levels    = "automotive-3-levels"
	TemplateContractRequirements = "contract-requirements"
)

// BuiltinSlugs lists the built-in templates in the order pages show them.
var BuiltinSlugs = []string{
	TemplateSelfCheck25,
	TemplateSupplyChainStar3,
	TemplateSupplyChainStar4,
	TemplateAutomotive3Levels,
	TemplateContractRequirements,
}

var builtinTemplates = func() map[string]*Template {
	out, err := loadBuiltins(builtinFS)
	if err != nil {
		panic("renkei: " + err.Error())
	}
	return out
}()

// loadBuiltins reads and validates every template of fsys's
// templates/builtin: each must be of kind builtin, named after its slug.
func loadBuiltins(fsys fs.FS) (map[string]*Template, error) {
	entries, err := fs.ReadDir(fsys, "templates/builtin")
	if err != nil {
		return nil, err
	}
	out := map[string]*Template{}
	for _, e := range entries {
		name := "templates/builtin/" + e.Name()
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		t, err := ParseTemplate(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, describeError(err))
		}
		if t.Kind != TemplateBuiltin || e.Name() != t.Slug+".json" {
			return nil, fmt.Errorf("%s: a built-in template must be of kind builtin and named after its slug", name)
		}
		out[t.Slug] = t
	}
	for _, slug := range BuiltinSlugs {
		if out[slug] == nil {
			return nil, fmt.Errorf("built-in template %s is missing", slug)
		}
	}
	if len(out) != len(BuiltinSlugs) {
		return nil, fmt.Errorf("templates/builtin holds %d templates, BuiltinSlugs lists %d", len(out), len(BuiltinSlugs))
	}
	return out, nil
}

// describeError spells out a *Error with its fields, for messages to
// developers.
func describeError(err error) string {
	e, ok := err.(*Error)
	if !ok || len(e.Fields) == 0 {
		return err.Error()
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := e.Error()
	for i, k := range keys {
		if i == 10 {
			s += " … (" + strconv.Itoa(len(keys)) + " fields)"
			break
		}
		s += "; " + k + ": " + e.Fields[k]
	}
	return s
}

// BuiltinTemplate returns a copy of the built-in template with this slug.
func BuiltinTemplate(slug string) (*Template, bool) {
	t, ok := builtinTemplates[slug]
	if !ok {
		return nil, false
	}
	return t.Clone(), true
}

// BuiltinTemplates returns copies of every built-in template, in the
// order of BuiltinSlugs.
func BuiltinTemplates() []*Template {
	out := make([]*Template, len(BuiltinSlugs))
	for i, slug := range BuiltinSlugs {
		out[i] = builtinTemplates[slug].Clone()
	}
	return out
}

// SyntheticTemplate builds a valid template of kind org with perLevel[i]
// yes/no questions at level lv<i+1> (SyntheticTemplate(50, 74, 29) has
// the 153 items of the JAMA/JAPIA guideline's three levels), in sections
// of at most 20 questions, scored by achievement, with every tenth
// question shown only when the one before it is answered yes or partly.
// Its texts are placeholders: it is for performance tests and demos of
// size, not for partners.
func SyntheticTemplate(perLevel ...int) *Template {
	t := &Template{
		Slug: "synthetic", Version: 1, Kind: TemplateOrg,
		Title:   Bilingual{JA: "合成テンプレート", EN: "Synthetic template"},
		Scoring: Scoring{Method: ScoringAchievement, Points: map[string]float64{AnswerYes: 1}, NA: NAExclude, Decimals: 1},
		Bands: []Band{
			{Code: "complete", Min: float64Ptr(100), Max: float64Ptr(100), Label: Bilingual{JA: "すべて達成", EN: "All met"}},
			{Code: "partial", Min: float64Ptr(0), Max: float64Ptr(99.9), Label: Bilingual{JA: "一部達成", EN: "Partly met"}},
		},
	}
	ids := make([]string, len(controlSet))
	for i, c := range controlSet {
		ids[i] = c.ID
	}
	n := 0
	for li, count := range perLevel {
		code := "lv" + strconv.Itoa(li+1)
		t.Levels = append(t.Levels, Level{Code: code, Name: Bilingual{JA: "レベル" + strconv.Itoa(li+1), EN: "Level " + strconv.Itoa(li+1)}})
		for i := 0; i < count; i++ {
			if n%20 == 0 {
				ref := "s" + strconv.Itoa(n/20+1)
				t.Sections = append(t.Sections, Section{Ref: ref, Title: Bilingual{JA: "章 " + ref, EN: "Section " + ref}})
			}
			n++
			num := strconv.Itoa(n)
			q := Question{
				Ref: "q" + num, Kind: QuestionYesNo, Required: true, Level: code,
				Text:     Bilingual{JA: "合成の設問 " + num + "：この対策を実施していますか？", EN: "Synthetic question " + num + ": is this measure in place?"},
				Help:     Bilingual{JA: "性能試験用の説明文です。", EN: "Help text for performance tests."},
				Controls: []string{ids[n%len(ids)]},
			}
			if n%10 == 0 {
				q.ShowIf = &Condition{Question: "q" + strconv.Itoa(n-1), Values: []string{AnswerYes, AnswerPartly}}
			}
			s := &t.Sections[len(t.Sections)-1]
			s.Questions = append(s.Questions, q)
		}
	}
	return t
}

func float64Ptr(f float64) *float64 { return &f }
