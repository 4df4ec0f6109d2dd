package assessmentxlsx

import (
	"bytes"
	"reflect"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/renkei/renkei"
)

func num(f float64) *float64 { return &f }

// kindsTemplate has a question of every kind, a label holding a
// separator and a condition.
func kindsTemplate(t testing.TB) *renkei.Template {
	t.Helper()
	b := func(ja, en string) renkei.Bilingual { return renkei.Bilingual{JA: ja, EN: en} }
	tm := &renkei.Template{
		Slug: "kinds", Version: 3, Kind: renkei.TemplateOrg,
		Title:   b("全種類", "All kinds"),
		Scoring: renkei.Scoring{Method: renkei.ScoringPoints},
		Sections: []renkei.Section{
			{Ref: "a", Title: b("基本", "Basics"), Questions: []renkei.Question{
				{Ref: "1", Kind: renkei.QuestionYesNo, Text: b("方針はありますか", "Is there a policy?"), Help: b("規程のこと", "A written rule"), NA: renkei.NAExclude, Required: true},
				{Ref: "2", Kind: renkei.QuestionYesNo, Text: b("教育していますか", "Do you train?")},
				{Ref: "3", Kind: renkei.QuestionSingle, Text: b("規模", "Size"), Choices: []renkei.Choice{
					{Value: "small", Label: b("小", "Small")}, {Value: "mid", Label: b("中", "Medium")}, {Value: "large", Label: b("=大", "=Large")},
				}},
				{Ref: "4", Kind: renkei.QuestionMulti, Text: b("対策", "Measures"), Choices: []renkei.Choice{
					{Value: "av", Label: b("ウイルス対策、EDR", "Antivirus; EDR")}, {Value: "fw", Label: b("ファイアウォール", "Firewall")},
					{Value: "mfa", Label: b("多要素認証", "MFA")},
				}},
			}},
			{Ref: "b", Title: b("詳細", "Details"), Questions: []renkei.Question{
				{Ref: "5", Kind: renkei.QuestionNumber, Text: b("従業員数", "Employees")},
				{Ref: "6", Kind: renkei.QuestionDate, Text: b("最終監査日", "Last audit")},
				{Ref: "7", Kind: renkei.QuestionText, Text: b("特記事項", "Remarks")},
				{Ref: "8", Kind: renkei.QuestionFile, Text: b("規程の写し", "Copy of the policy")},
				{Ref: "9", Kind: renkei.QuestionYesNo, Text: b("例外はありますか", "Any exceptions?"),
					ShowIf: &renkei.Condition{Question: "2", Values: []string{renkei.AnswerYes, renkei.AnswerPartly}}},
			}},
		},
	}
	if err := tm.Validate(); err != nil {
		t.Fatal(err)
	}
	return tm
}

func kindsAnswers() map[string]renkei.Answer {
	return map[string]renkei.Answer{
		"1": {Value: renkei.AnswerNA, Text: "本社のみ"},
		"2": {Value: renkei.AnswerPartly},
		"3": {Value: "large"},
		"4": {Values: []string{"mfa", "av"}, Text: "@all"},
		"5": {Number: num(1234.5)},
		"6": {Date: "2026-03-31"},
		"7": {Text: "=HYPERLINK(\"http://evil.example\",\"click\")\n二行目 "},
		"9": {Value: renkei.AnswerNo, Text: "+cmd|' /C calc'!A0"},
	}
}

func write(t testing.TB, tm *renkei.Template, answers map[string]renkei.Answer, lang string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, tm, answers, Meta{AssessmentID: "a-123", OrgName: "株式会社依頼", PartnerName: "-山田製作所", DueDate: "2026-12-31", Lang: lang}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func read(t testing.TB, tm *renkei.Template, data []byte) (ReadMeta, map[string]renkei.Answer, []CellError) {
	t.Helper()
	meta, answers, errs, err := Read(bytes.NewReader(data), tm, 0)
	if err != nil {
		t.Fatal(err)
	}
	return meta, answers, errs
}

// withoutFiles drops what the workbook does not hold: file questions and
// the Files counts.
func withoutFiles(tm *renkei.Template, in map[string]renkei.Answer) map[string]renkei.Answer {
	out := map[string]renkei.Answer{}
	for ref, a := range in {
		if q, ok := tm.Question(ref); ok && q.Kind == renkei.QuestionFile {
			continue
		}
		a.Files = 0
		out[ref] = a
	}
	return out
}

func sameAnswers(t *testing.T, want, got map[string]renkei.Answer) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		for ref := range want {
			if !reflect.DeepEqual(want[ref], got[ref]) {
				t.Errorf("%s: want %+v, got %+v", ref, want[ref], got[ref])
			}
		}
		for ref := range got {
			if _, ok := want[ref]; !ok {
				t.Errorf("%s: unexpected %+v", ref, got[ref])
			}
		}
	}
}

// edit opens a workbook, lets fn change it as a user would, and saves it.
func edit(t testing.TB, data []byte, fn func(f *excelize.File, sheet string)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fn(f, f.GetSheetName(0))
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rowOf finds the row of a question ref in the sheet.
func rowOf(t testing.TB, f *excelize.File, sheet, ref string) int {
	t.Helper()
	for r := firstRow; r < firstRow+3000; r++ {
		v, _ := f.GetCellValue(sheet, "B"+strconv.Itoa(r))
		if v == ref {
			return r
		}
	}
	t.Fatalf("no row for %s", ref)
	return 0
}
