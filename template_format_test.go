package renkei

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"
)

var updateBuiltinTemplates = flag.Bool("update-builtin-templates", false, "rewrite templates/builtin/*.json in the canonical form MarshalTemplate writes")

// TestBuiltinFilesAreCanonical keeps the built-in files exactly as
// MarshalTemplate writes them, so that an export of a built-in template
// is byte for byte its file.
func TestBuiltinFilesAreCanonical(t *testing.T) {
	entries, err := fs.ReadDir(builtinFS, "templates/builtin")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := "templates/builtin/" + e.Name()
		b, _ := builtinFS.ReadFile(name)
		tpl, err := ParseTemplate(b)
		if err != nil {
			t.Fatalf("%s: %s", name, describeError(err))
		}
		out, err := MarshalTemplate(tpl)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(out, b) {
			continue
		}
		if *updateBuiltinTemplates {
			if err := os.WriteFile(name, out, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s is not in canonical form; run go test -run TestBuiltinFilesAreCanonical -update-builtin-templates", name)
	}
}

func TestRoundTrip(t *testing.T) {
	tpls := append(BuiltinTemplates(), testTemplate(), SyntheticTemplate(50, 74, 29))
	for _, tpl := range tpls {
		tpl.Normalize()
		b, err := MarshalTemplate(tpl)
		if err != nil {
			t.Fatalf("%s: %s", tpl.Slug, describeError(err))
		}
		back, err := ParseTemplate(b)
		if err != nil {
			t.Fatalf("%s: %s", tpl.Slug, describeError(err))
		}
		if !reflect.DeepEqual(back, tpl) {
			t.Fatalf("%s does not round-trip", tpl.Slug)
		}
	}
}

func TestMarshalRefusesInvalid(t *testing.T) {
	tpl := testTemplate()
	tpl.Slug = ""
	if _, err := MarshalTemplate(tpl); ErrorCode(err) != EINVALID {
		t.Fatal(err)
	}
}

const minimalTemplate = `{"format": 1, "slug": "mini", "version": 1, "kind": "org",
 "title": {"ja": "最小"},
 "scoring": {"method": "points"},
 "sections": [{"ref": "s", "title": {"ja": "章"}, "questions": [
   {"ref": "q1", "kind": "yesno", "text": {"ja": "はい？"}},
   {"ref": "q2", "kind": "text", "text": {"ja": "なぜ？"}, "show_if": {"question": "q1", "values": ["no"]}}
 ]}]}`

func TestParseTemplate(t *testing.T) {
	tpl, err := ParseTemplate([]byte(minimalTemplate))
	if err != nil {
		t.Fatal(describeError(err))
	}
	if tpl.Slug != "mini" || tpl.QuestionCount() != 2 || tpl.Sections[0].Questions[1].ShowIf.Question != "q1" {
		t.Fatalf("%+v", tpl)
	}
	// A BOM is fine; the default yes/no points apply.
	tpl, err = ParseTemplate(append([]byte("\xef\xbb\xbf"), minimalTemplate...))
	if err != nil {
		t.Fatal(describeError(err))
	}
	if r := Score(tpl, map[string]Answer{"q1": {Value: AnswerPartly}}); r.Total != 0 || r.Max != 1 {
		t.Fatalf("default points: %v/%v", r.Total, r.Max) // 0.5 rounded down to 0 decimals
	}
}

func TestParseTemplateErrors(t *testing.T) {
	replace := func(old, new string) string {
		if !strings.Contains(minimalTemplate, old) {
			t.Fatalf("%q not in the template", old)
		}
		return strings.Replace(minimalTemplate, old, new, 1)
	}
	for _, tc := range []struct {
		name, doc  string
		code, path string // path "" means the error has no fields
		key        string
	}{
		{"unknown field, nested", replace(`"kind": "text", "text"`, `"kind": "text", "txt"`), EINVALID, "sections[0].questions[1].txt", "template.unknown_field"},
		{"unknown top-level field", replace(`"slug"`, `"name": "x", "slug"`), EINVALID, "name", "template.unknown_field"},
		{"field names are exact", replace(`"slug"`, `"Slug"`), EINVALID, "Slug", "template.unknown_field"},
		{"unknown language", replace(`{"ja": "最小"}`, `{"ja": "最小", "fr": "mini"}`), EINVALID, "title.fr", "template.unknown_field"},
		{"field twice", replace(`"version": 1,`, `"version": 1, "version": 2,`), EINVALID, "version", "template.duplicate_field"},
		{"points key twice", replace(`{"method": "points"}`, `{"method": "points", "points": {"yes": 1, "yes": 2}}`), EINVALID, "scoring.points.yes", "template.duplicate_field"},
		{"string for a number", replace(`"version": 1`, `"version": "1"`), EINVALID, "version", "template.type"},
		{"fraction for an integer", replace(`"version": 1`, `"version": 1.5`), EINVALID, "version", "template.integer"},
		{"huge integer", replace(`"version": 1`, `"version": 1e40`), EINVALID, "version", "template.integer"},
		{"number out of range", replace(`{"method": "points"}`, `{"method": "points", "scale": 1e999}`), EINVALID, "scoring.scale", "template.number"},
		{"null for a string", replace(`"slug": "mini"`, `"slug": null`), EINVALID, "slug", "template.type"},
		{"object for a list", replace(`"values": ["no"]`, `"values": {"no": true}`), EINVALID, "sections[0].questions[1].show_if.values", "template.type"},
		{"list for an object", replace(`"title": {"ja": "最小"}`, `"title": ["最小"]`), EINVALID, "title", "template.type"},
		{"nesting deeper than the format", replace(`"ref": "q1"`, `"ref": [[[[[[[[[[[[[[[[[["q1"]]]]]]]]]]]]]]]]]]`), EINVALID, "sections[0].questions[0].ref", "template.type"},
		{"not an object", `[1, 2]`, EINVALID, "$", "template.type"},
		{"malformed", minimalTemplate[:40], EINVALID, "", "template.json"},
		{"trailing data", minimalTemplate + ` {}`, EINVALID, "", "template.json"},
		{"empty", ``, EINVALID, "", "template.json"},
		{"no format", replace(`"format": 1,`, ``), EINVALID, "format", "template.format"},
		{"a later format", replace(`"format": 1`, `"format": 2`), EINVALID, "format", "template.format"},
		{"rules still apply", replace(`"values": ["no"]`, `"values": ["nope"]`), EINVALID, "sections[0].questions[1].show_if.values[0]", "template.show_if_value"},
		{"a condition on a later question", replace(`"kind": "yesno",`, `"kind": "yesno", "show_if": {"question": "q2", "values": ["x"]},`), EINVALID, "sections[0].questions[0].show_if.question", "template.show_if_earlier"},
		{"too large", minimalTemplate + strings.Repeat(" ", MaxTemplateBytes), ETOOLARGE, "", "template.too_large"},
		{"too many sections while reading", replace(`"sections": [`, `"sections": [`+strings.Repeat(`{},`, MaxTemplateSections)), EINVALID, "sections", "template.too_many"},
		{"too many questions in all while reading", replace(`"sections": [`, `"sections": [`+strings.Repeat(`{"questions": [`+strings.Repeat(`{},`, 999)+`{}]},`, 3)), EINVALID, "sections[2].questions", "template.too_many"},
		{"too many choices while reading", replace(`"kind": "text",`, `"kind": "text", "choices": [`+strings.Repeat(`{},`, MaxQuestionChoices)+`{}],`), EINVALID, "sections[0].questions[1].choices", "template.too_many"},
		{"too many points", replace(`{"method": "points"}`, `{"method": "points", "points": {"yes": 1, "partly": 1, "no": 1, "unknown": 1, "na": 1}}`), EINVALID, "scoring.points.na", "template.points"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTemplate([]byte(tc.doc))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want a coded error, got %v", err)
			}
			if e.Code != tc.code {
				t.Fatalf("code %s, want %s (%s)", e.Code, tc.code, describeError(err))
			}
			if tc.path == "" {
				if e.Key != tc.key || len(e.Fields) != 0 {
					t.Fatalf("got %s", describeError(err))
				}
				return
			}
			if e.Fields[tc.path] != tc.key {
				t.Fatalf("want %s: %s, got %s", tc.path, tc.key, describeError(err))
			}
		})
	}
}

// FuzzParseTemplate: whatever the input, ParseTemplate does not panic;
// what it accepts is valid, round-trips, and scores without panicking,
// every total falling in a band.
func FuzzParseTemplate(f *testing.F) {
	entries, _ := fs.ReadDir(builtinFS, "templates/builtin")
	for _, e := range entries {
		b, _ := builtinFS.ReadFile("templates/builtin/" + e.Name())
		f.Add(b)
	}
	f.Add([]byte(minimalTemplate))
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := ParseTemplate(data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("not a coded error: %v", err)
			}
			return
		}
		if err := tpl.Validate(); err != nil {
			t.Fatalf("accepted an invalid template: %s", describeError(err))
		}
		out, err := MarshalTemplate(tpl)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseTemplate(out)
		if err != nil {
			t.Fatalf("its own output is refused: %s", describeError(err))
		}
		if !reflect.DeepEqual(back, tpl) {
			t.Fatal("does not round-trip")
		}
		for _, answers := range fuzzAnswers(tpl) {
			r := Score(tpl, answers)
			if len(tpl.Bands) > 0 && r.Band.Code == "" {
				t.Fatalf("total %v falls in no band", r.Total)
			}
			lo, hi := tpl.Range()
			if r.Total < lo-1e-9 || r.Total > hi+1e-9 {
				t.Fatalf("total %v outside %v..%v", r.Total, lo, hi)
			}
		}
	})
}

// fuzzAnswers are the extremes: nothing, every question at its lowest
// and at its highest answer.
func fuzzAnswers(tpl *Template) []map[string]Answer {
	lo, hi := map[string]Answer{}, map[string]Answer{}
	ypts := tpl.Scoring.Points
	if len(ypts) == 0 {
		ypts = DefaultYesNoPoints()
	}
	for _, q := range tpl.Questions() {
		switch q.Kind {
		case QuestionYesNo:
			pts := ypts
			if len(q.Points) > 0 {
				pts = q.Points
			}
			low, high := AnswerYes, AnswerYes
			for _, a := range yesNoAnswers {
				if pts[a] < pts[low] {
					low = a
				}
				if pts[a] > pts[high] {
					high = a
				}
			}
			lo[q.Ref], hi[q.Ref] = Answer{Value: low}, Answer{Value: high}
		case QuestionSingle:
			low, high := q.Choices[0], q.Choices[0]
			for _, c := range q.Choices {
				if c.Points < low.Points {
					low = c
				}
				if c.Points > high.Points {
					high = c
				}
			}
			lo[q.Ref], hi[q.Ref] = Answer{Value: low.Value}, Answer{Value: high.Value}
		case QuestionMulti:
			var neg, pos []string
			for _, c := range q.Choices {
				if c.Points < 0 {
					neg = append(neg, c.Value)
				} else {
					pos = append(pos, c.Value)
				}
			}
			lo[q.Ref], hi[q.Ref] = Answer{Values: neg}, Answer{Values: pos}
		}
	}
	return []map[string]Answer{nil, lo, hi}
}

// TestDocumentedExample parses the complete example of
// docs/template-format.md and scores it as the document says.
func TestDocumentedExample(t *testing.T) {
	b, err := os.ReadFile("docs/template-format.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	_, rest, ok := strings.Cut(doc, "## A complete example\n\n```json\n")
	example, _, ok2 := strings.Cut(rest, "```\n")
	if !ok || !ok2 {
		t.Fatal("no example in the document")
	}
	tpl, err := ParseTemplate([]byte(example))
	if err != nil {
		t.Fatal(describeError(err))
	}
	r := Score(tpl, map[string]Answer{
		"it.1": {Value: AnswerYes}, "it.2": {Value: "weekly"}, "it.3": {Value: AnswerYes, Files: 1}, "org.1": {Values: []string{"isms"}},
	})
	if r.Total != 83.3 || r.Band.Code != "good" || !reflect.DeepEqual(r.Missing, []string{"org.2", "org.4"}) {
		t.Fatalf("%v %q %v", r.Total, r.Band.Code, r.Missing)
	}
	for _, c := range Controls() {
		if !strings.Contains(doc, "| `"+c.ID+"` | "+c.Group+" | "+c.Name.JA+" | "+c.Name.EN+" |") {
			t.Errorf("the document's control table lacks %s", c.ID)
		}
	}
	for _, slug := range BuiltinSlugs {
		if !strings.Contains(doc, "| `"+slug+"` |") {
			t.Errorf("the document's table lacks %s", slug)
		}
	}
}
