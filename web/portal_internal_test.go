package web

import (
	"math"
	"net/url"
	"strings"
	"testing"

	"github.com/renkei/renkei"
)

func TestParsePortalAnswer(t *testing.T) {
	q := func(kind string) *renkei.Question { return &renkei.Question{Ref: "q", Kind: kind} }
	num := func(a renkei.Answer) float64 {
		if a.Number == nil {
			return math.NaN()
		}
		return *a.Number
	}
	cases := []struct {
		kind string
		form url.Values
		key  string
		ok   func(renkei.Answer) bool
	}{
		{renkei.QuestionYesNo, url.Values{"value": {" yes "}}, "", func(a renkei.Answer) bool { return a.Value == "yes" }},
		{renkei.QuestionSingle, url.Values{"value": {"b"}, "values": {"x"}}, "", func(a renkei.Answer) bool { return a.Value == "b" && a.Values == nil }},
		{renkei.QuestionMulti, url.Values{"values": {"a", " ", "c"}}, "", func(a renkei.Answer) bool { return len(a.Values) == 2 && a.Values[1] == "c" }},
		{renkei.QuestionNumber, url.Values{"number": {"1,200"}}, "", func(a renkei.Answer) bool { return num(a) == 1200 }},
		{renkei.QuestionNumber, url.Values{"number": {"－１２．５"}}, "", func(a renkei.Answer) bool { return num(a) == -12.5 }},
		{renkei.QuestionNumber, url.Values{"number": {"十二"}}, "answer.number", nil},
		{renkei.QuestionNumber, url.Values{"number": {""}}, "answer.required", nil},
		{renkei.QuestionDate, url.Values{"date": {"2026-04-01"}}, "", func(a renkei.Answer) bool { return a.Date == "2026-04-01" }},
		{renkei.QuestionText, url.Values{"text": {"  規程あり  "}}, "", func(a renkei.Answer) bool { return a.Text == "規程あり" }},
		{renkei.QuestionFile, url.Values{"text": {"x"}}, "portal.answer.file_by_upload", nil},
	}
	for _, c := range cases {
		a, key := parsePortalAnswer(q(c.kind), c.form)
		if key != c.key || (c.ok != nil && !c.ok(a)) {
			t.Errorf("%s %v: %+v %q", c.kind, c.form, a, key)
		}
	}
}

// FuzzParsePortalAnswer: no form, however hostile, panics the reader, and
// what it accepts is what the template then checks.
func FuzzParsePortalAnswer(f *testing.F) {
	for _, s := range []string{"value=yes", "values=a&values=b", "number=1%2C200", "number=NaN", "date=2026-13-40", "text=%E2%80%AE", "number=%EF%BC%91e999"} {
		f.Add(s)
	}
	tpl := &renkei.Template{}
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		for _, kind := range []string{renkei.QuestionYesNo, renkei.QuestionSingle, renkei.QuestionMulti, renkei.QuestionNumber, renkei.QuestionDate, renkei.QuestionText, renkei.QuestionFile} {
			q := &renkei.Question{Ref: "q", Kind: kind, Choices: []renkei.Choice{{Value: "a"}, {Value: "b"}}}
			a, key := parsePortalAnswer(q, form)
			if key != "" {
				continue
			}
			if kind == renkei.QuestionNumber && a.Number == nil {
				t.Fatalf("number accepted without a number: %q", raw)
			}
			_ = tpl.CheckAnswer(q, a) // must not panic either
		}
	})
}

func TestPortalOptionsEscapeAndTick(t *testing.T) {
	tpl := &renkei.Template{}
	q := &renkei.Question{Ref: "m", Kind: renkei.QuestionMulti, Choices: []renkei.Choice{
		{Value: `a"><script>x</script>`, Label: renkei.Bilingual{JA: "<b>太字</b>", EN: "bold"}},
		{Value: "b", Label: renkei.Bilingual{JA: "二", EN: "two"}},
		{Value: "c", Label: renkei.Bilingual{JA: "三", EN: "three"}},
	}}
	got := string(portalOptions("ja", tpl, q, renkei.Answer{Values: []string{"b", "c"}}))
	if strings.Contains(got, "<script>") || strings.Contains(got, "<b>") || !strings.Contains(got, "&lt;b&gt;太字&lt;/b&gt;") {
		t.Fatalf("not escaped: %s", got)
	}
	if strings.Count(got, `type="checkbox" name="values"`) != 3 || strings.Count(got, " checked") != 2 || !strings.Contains(got, `id="q-m-1" type="checkbox" name="values" value="b" checked`) {
		t.Fatalf("inputs: %s", got)
	}
	yn := string(portalOptions("en", tpl, &renkei.Question{Ref: "1", Kind: renkei.QuestionYesNo}, renkei.Answer{Value: "no"}))
	if strings.Count(yn, `type="radio" name="value"`) != 4 || !strings.Contains(yn, `value="no" checked> <span>No, not yet</span>`) || strings.Contains(yn, `value="na"`) {
		t.Fatalf("yes/no without na: %s", yn)
	}
	if portalOptions("ja", tpl, &renkei.Question{Ref: "t", Kind: renkei.QuestionText}, renkei.Answer{}) != "" {
		t.Fatal("a text question has options")
	}
}
