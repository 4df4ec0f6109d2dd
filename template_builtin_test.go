package renkei

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func TestBuiltinTemplates(t *testing.T) {
	type shape struct {
		sections  []string
		questions []int // per section
		levels    map[string]int
		method    string
	}
	want := map[string]shape{
		TemplateSelfCheck25: {[]string{"basics", "staff", "organization"}, []int{5, 13, 7}, nil, ScoringPoints},
		TemplateSupplyChainStar3: {[]string{"gov", "ptn", "id", "pr", "de", "rs", "rc"}, []int{4, 3, 3, 9, 2, 2, 2},
			map[string]int{"star3": 25}, ScoringAchievement},
		TemplateSupplyChainStar4: {[]string{"gov", "ptn", "id", "pr", "de", "rs", "rc"}, []int{7, 5, 6, 15, 4, 4, 3},
			map[string]int{"star3": 25, "star4": 19}, ScoringAchievement},
		TemplateAutomotive3Levels: {[]string{"org", "people", "asset", "access", "system", "ot", "partner", "incident"}, []int{8, 4, 9, 7, 13, 5, 7, 7},
			map[string]int{"lv1": 20, "lv2": 25, "lv3": 15}, ScoringAchievement},
		TemplateContractRequirements: {[]string{"requirements"}, []int{13}, nil, ScoringAchievement},
	}
	tpls := BuiltinTemplates()
	if len(tpls) != len(want) {
		t.Fatalf("%d built-in templates", len(tpls))
	}
	for i, tpl := range tpls {
		if tpl.Slug != BuiltinSlugs[i] {
			t.Fatalf("order: %s at %d", tpl.Slug, i)
		}
		w := want[tpl.Slug]
		var refs []string
		var counts []int
		levels := map[string]int{}
		for _, s := range tpl.Sections {
			refs = append(refs, s.Ref)
			counts = append(counts, len(s.Questions))
			for _, q := range s.Questions {
				if q.Level != "" {
					levels[q.Level]++
				}
				if q.Text.JA == "" || q.Text.EN == "" || q.Help.JA == "" || q.Help.EN == "" {
					t.Errorf("%s %s: texts and help in both languages", tpl.Slug, q.Ref)
				}
				if !q.Required {
					t.Errorf("%s %s: not required", tpl.Slug, q.Ref)
				}
			}
		}
		if len(w.levels) == 0 {
			w.levels = map[string]int{}
		}
		if !reflect.DeepEqual(refs, w.sections) || !reflect.DeepEqual(counts, w.questions) || !reflect.DeepEqual(levels, w.levels) || tpl.Scoring.Method != w.method {
			t.Errorf("%s: sections %v %v levels %v", tpl.Slug, refs, counts, levels)
		}
		if tpl.Kind != TemplateBuiltin || tpl.Version < 1 || tpl.Description.JA == "" || tpl.Description.EN == "" || len(tpl.Bands) == 0 {
			t.Errorf("%s: kind, version, description, bands", tpl.Slug)
		}
		for _, b := range tpl.Bands {
			if b.Advice.JA == "" || b.Advice.EN == "" {
				t.Errorf("%s: band %s without advice", tpl.Slug, b.Code)
			}
		}
	}
}

func TestSelfCheckShape(t *testing.T) {
	tpl := builtin(t, TemplateSelfCheck25)
	for i, q := range tpl.Questions() {
		if q.Ref != strconv.Itoa(i+1) || q.Kind != QuestionYesNo || q.NAAs(&tpl.Scoring) != AnswerYes {
			t.Fatalf("question %d: %+v", i+1, q)
		}
	}
	if !reflect.DeepEqual(tpl.Scoring.Points, map[string]float64{AnswerYes: 4, AnswerPartly: 2, AnswerNo: 0, AnswerUnknown: -1}) || tpl.Scoring.Scale != 0 {
		t.Fatalf("%+v", tpl.Scoring)
	}
	if lo, hi := tpl.Range(); lo != -25 || hi != 100 {
		t.Fatalf("range %v..%v", lo, hi)
	}
}

func TestStyleNotes(t *testing.T) {
	for slug, words := range map[string][]string{
		TemplateSelfCheck25:       {"In the style of IPA", "own words"},
		TemplateSupplyChainStar3:  {"in the style of METI's supply-chain security evaluation scheme (★3/★4); not the official requirement list"},
		TemplateSupplyChainStar4:  {"in the style of METI's supply-chain security evaluation scheme (★3/★4); not the official requirement list"},
		TemplateAutomotive3Levels: {"In the style of the JAMA/JAPIA", "subset", "not the guideline"},
	} {
		tpl := builtin(t, slug)
		for _, w := range words {
			if !strings.Contains(strings.ToLower(tpl.Style.EN), strings.ToLower(w)) {
				t.Errorf("%s: style %q lacks %q", slug, tpl.Style.EN, w)
			}
		}
		if tpl.Style.JA == "" || !strings.Contains(tpl.Style.JA, "ならった") {
			t.Errorf("%s: Japanese style note %q", slug, tpl.Style.JA)
		}
	}
	auto := builtin(t, TemplateAutomotive3Levels)
	for _, s := range []string{auto.Description.EN, auto.Description.JA} {
		if !strings.Contains(s, "153") || !strings.Contains(s, "60") {
			t.Errorf("the automotive description must say it is a subset of 60 of 153: %q", s)
		}
	}
}

// TestStar4ExtendsStar3: ★4 holds ★3's 25 requirements unchanged, at
// level star3, and 19 more at star4.
func TestStar4ExtendsStar3(t *testing.T) {
	s3, s4 := builtin(t, TemplateSupplyChainStar3), builtin(t, TemplateSupplyChainStar4)
	for _, q3 := range s3.Questions() {
		q4, ok := s4.Question(q3.Ref)
		if !ok {
			t.Fatalf("%s missing from star4", q3.Ref)
		}
		if q4.Text != q3.Text || q4.Help != q3.Help || !reflect.DeepEqual(q4.Controls, q3.Controls) || q4.NA != q3.NA || q4.Level != LevelStar3 {
			t.Errorf("%s differs between star3 and star4", q3.Ref)
		}
	}
	n := 0
	for _, q := range s4.Questions() {
		if q.Level == LevelStar4 {
			n++
			if _, dup := s3.Question(q.Ref); dup {
				t.Errorf("%s is in both", q.Ref)
			}
		}
	}
	if n != 19 || s4.QuestionCount() != 44 || s3.QuestionCount() != 25 {
		t.Fatalf("%d + %d = %d", s3.QuestionCount(), n, s4.QuestionCount())
	}
	// na only where marked.
	for _, q := range s4.Questions() {
		if q.NA != "" && q.NA != NAExclude {
			t.Errorf("%s: na %q", q.Ref, q.NA)
		}
	}
	if s4.Scoring.NA != "" {
		t.Fatal("star4 allows na everywhere")
	}
}

// TestAnswerOnceShareMany: every built-in question maps to known
// controls, and the templates share controls, so one answer can serve
// several of them.
func TestAnswerOnceShareMany(t *testing.T) {
	controlsOf := map[string]map[string]bool{}
	for _, tpl := range BuiltinTemplates() {
		set := map[string]bool{}
		for _, q := range tpl.Questions() {
			if len(q.Controls) == 0 {
				t.Errorf("%s %s maps to no control", tpl.Slug, q.Ref)
			}
			for _, c := range q.Controls {
				if !ValidControl(c) {
					t.Errorf("%s %s: unknown control %s", tpl.Slug, q.Ref, c)
				}
				set[c] = true
			}
		}
		controlsOf[tpl.Slug] = set
	}
	shared := func(a, b string) []string {
		var out []string
		for c := range controlsOf[a] {
			if controlsOf[b][c] {
				out = append(out, c)
			}
		}
		return out
	}
	if s := shared(TemplateSelfCheck25, TemplateSupplyChainStar3); len(s) < 15 {
		t.Errorf("self-check and star3 share only %v", s)
	}
	for _, c := range []string{"ctl.patching", "ctl.malware", "ctl.passwords", "ctl.backup", "ctl.education", "ctl.incident-contact"} {
		if !controlsOf[TemplateSelfCheck25][c] || !controlsOf[TemplateSupplyChainStar3][c] || !controlsOf[TemplateAutomotive3Levels][c] {
			t.Errorf("%s is not asked by all of self-check, star3 and automotive", c)
		}
	}
	if s := shared(TemplateContractRequirements, TemplateSupplyChainStar4); len(s) < 5 {
		t.Errorf("contract and star4 share only %v", s)
	}
	// Every control of the set is asked by some built-in template.
	for _, c := range Controls() {
		asked := false
		for _, set := range controlsOf {
			asked = asked || set[c.ID]
		}
		if !asked {
			t.Errorf("no built-in question asks about %s", c.ID)
		}
	}
}

func TestBuiltinTemplateIsACopy(t *testing.T) {
	a := builtin(t, TemplateSelfCheck25)
	a.Sections[0].Questions[0].Text.JA = "changed"
	if b := builtin(t, TemplateSelfCheck25); b.Sections[0].Questions[0].Text.JA == "changed" {
		t.Fatal("BuiltinTemplate shares memory")
	}
	if _, ok := BuiltinTemplate("nope"); ok {
		t.Fatal("unknown slug")
	}
}

func TestLoadBuiltinsRefusesBadFiles(t *testing.T) {
	good := map[string]*fstest.MapFile{}
	for _, slug := range BuiltinSlugs {
		b, _ := builtinFS.ReadFile("templates/builtin/" + slug + ".json")
		good["templates/builtin/"+slug+".json"] = &fstest.MapFile{Data: b}
	}
	if _, err := loadBuiltins(fstest.MapFS(good)); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(m fstest.MapFS){
		"misnamed": func(m fstest.MapFS) {
			m["templates/builtin/self-check.json"] = m["templates/builtin/self-check-25.json"]
			delete(m, "templates/builtin/self-check-25.json")
		},
		"missing": func(m fstest.MapFS) { delete(m, "templates/builtin/contract-requirements.json") },
		"invalid": func(m fstest.MapFS) {
			m["templates/builtin/self-check-25.json"] = &fstest.MapFile{Data: []byte(`{"format":1}`)}
		},
		"org kind": func(m fstest.MapFS) {
			m["templates/builtin/self-check-25.json"] = &fstest.MapFile{Data: []byte(strings.Replace(string(m["templates/builtin/self-check-25.json"].Data), `"kind": "builtin"`, `"kind": "org"`, 1))}
		},
		"extra": func(m fstest.MapFS) {
			m["templates/builtin/self-check-26.json"] = &fstest.MapFile{Data: []byte(strings.Replace(string(m["templates/builtin/self-check-25.json"].Data), `"slug": "self-check-25"`, `"slug": "self-check-26"`, 1))}
		},
	} {
		m := fstest.MapFS{}
		for k, v := range good {
			m[k] = v
		}
		edit(m)
		if _, err := loadBuiltins(m); err == nil {
			t.Errorf("%s: accepted", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}
