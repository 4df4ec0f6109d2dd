package checksheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/renkei/renkei"
	"github.com/xuri/excelize/v2"
)

// sheetData is one sheet of a test workbook: its name and rows from row 1.
type sheetData struct {
	name string
	rows [][]any
}

// xlsx builds a workbook with excelize.
func xlsx(t testing.TB, sheets ...sheetData) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var jaHeader = []any{"番号", "区分", "チェック項目", "選択肢", "配点", "補足説明"}

// goodSheet is a checksheet in Japanese: blank section cells continue the
// section above, as merged cells read.
func goodSheet() sheetData {
	return sheetData{"チェックシート", [][]any{
		{"取引先セキュリティチェックシート"},
		jaHeader,
		{"1-1", "組織", "情報セキュリティの責任者を決めていますか。", "", 2, "社内で誰が責任を持つか"},
		{"1-2", "", "セキュリティ規程がありますか。", "はい/一部/いいえ", "", ""},
		{},
		{"2-1", "技術", "ウイルス対策ソフトを全端末に入れていますか。", "はい(3)、いいえ(0)", 1, ""},
		{"2-2", nil, "バックアップを取っていますか。", "毎日\n毎週\n取っていない", "", ""},
		{"1-3", "組織", "従業員に教育をしていますか。", "Yes;No", "", ""},
	}}
}

var goodMapping = Mapping{Sheet: "チェックシート", HeaderRow: 2, ID: "A", Section: "B", Question: "C", Choices: "D", Weight: "E", Help: "F"}

var jaMeta = TemplateMeta{Slug: "own-check", TitleJA: "自社チェックシート", Lang: "ja"}

func TestConvertGood(t *testing.T) {
	tmpl, errs, err := Convert(bytes.NewReader(xlsx(t, goodSheet())), 0, goodMapping, jaMeta)
	if err != nil || len(errs) > 0 {
		t.Fatalf("Convert: %v %v", err, errs)
	}
	if err := tmpl.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if tmpl.Kind != renkei.TemplateOrg || tmpl.Version != 1 || tmpl.Slug != "own-check" {
		t.Fatalf("meta: %+v", tmpl)
	}
	if len(tmpl.Sections) != 2 || tmpl.Sections[0].Title.JA != "組織" || tmpl.Sections[1].Title.JA != "技術" {
		t.Fatalf("sections: %+v", tmpl.Sections)
	}
	var refs []string
	for _, s := range tmpl.Sections {
		for _, q := range s.Questions {
			refs = append(refs, q.Ref)
		}
	}
	if want := []string{"1-1", "1-2", "1-3", "2-1", "2-2"}; !reflect.DeepEqual(refs, want) {
		t.Fatalf("refs %v, want %v", refs, want)
	}
	q, _ := tmpl.Question("1-1")
	if q.Kind != renkei.QuestionYesNo || q.Weight != 2 || q.Help.JA != "社内で誰が責任を持つか" {
		t.Fatalf("1-1: %+v", q)
	}
	q, _ = tmpl.Question("1-2")
	if q.Kind != renkei.QuestionSingle || len(q.Choices) != 3 || q.Choices[0].Label.JA != "はい" || q.Choices[0].Points != 1 || q.Choices[1].Points != 0.5 || q.Choices[2].Points != 0 {
		t.Fatalf("1-2: %+v", q)
	}
	q, _ = tmpl.Question("2-1")
	if q.Choices[0].Points != 3 || q.Choices[1].Label.JA != "いいえ" || q.Choices[1].Points != 0 {
		t.Fatalf("2-1: %+v", q)
	}
	q, _ = tmpl.Question("2-2")
	if len(q.Choices) != 3 || q.Choices[2].Label.JA != "取っていない" {
		t.Fatalf("2-2: %+v", q)
	}

	best := map[string]renkei.Answer{"1-1": {Value: "yes"}, "1-2": {Value: "1"}, "1-3": {Value: "1"}, "2-1": {Value: "1"}, "2-2": {Value: "1"}}
	if r := renkei.Score(tmpl, best); r.Total != 100 || len(r.Invalid) > 0 {
		t.Fatalf("best score: %+v", r)
	}
	worst := map[string]renkei.Answer{"1-1": {Value: "no"}, "1-2": {Value: "3"}, "1-3": {Value: "2"}, "2-1": {Value: "2"}, "2-2": {Value: "3"}}
	if r := renkei.Score(tmpl, worst); r.Total != 0 {
		t.Fatalf("worst score: %+v", r)
	}
	// "na" is allowed on yes/no questions and leaves the score.
	best["1-1"] = renkei.Answer{Value: "na"}
	if r := renkei.Score(tmpl, best); r.Total != 100 || len(r.Invalid) > 0 {
		t.Fatalf("na score: %+v", r)
	}
	if _, err := renkei.MarshalTemplate(tmpl); err != nil {
		t.Fatalf("MarshalTemplate: %v", err)
	}
}

// TestConvertErrors: C12 empty question, A7 duplicate ID, E9 weight "高".
func TestConvertErrors(t *testing.T) {
	rows := [][]any{{"No.", "分類", "質問", "回答", "重み"}}
	for r := 2; r <= 13; r++ {
		rows = append(rows, []any{"Q" + itoa(r), "", "質問" + itoa(r), "", ""})
	}
	rows[0+1][1] = "全般"
	rows[7-1][0] = "Q3" // A7 repeats A3
	rows[9-1][4] = "高"  // E9
	rows[12-1][2] = ""  // C12
	tmpl, errs, err := Convert(bytes.NewReader(xlsx(t, sheetData{"Sheet1", rows})), 0,
		Mapping{Sheet: "Sheet1", HeaderRow: 1, ID: "A", Section: "B", Question: "C", Choices: "D", Weight: "E"}, jaMeta)
	if err != nil || tmpl != nil {
		t.Fatalf("Convert: %v %v", tmpl, err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Cell+" "+e.Key)
	}
	want := []string{"A7 " + KeyDuplicateID, "E9 " + KeyWeightNumber, "C12 " + KeyEmptyQuestion}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors %v, want %v", got, want)
	}
	if errs[0].Args[0] != "A3" || errs[1].Args[0] != "高" {
		t.Fatalf("args: %+v", errs)
	}
}

func TestConvertCellProblems(t *testing.T) {
	rows := [][]any{
		{"ID", "Question", "Choices", "Weight", "Level"},
		{"1", "Fine", "", 1, "Lv1"},
		{"2", "Negative", "", -1, "Lv1"},
		{"3", "Fraction", "", 1.5, "Lv2"},
		{"4", "One choice", "Yes", "", "Lv1"},
		{"5", "Mixed points", "Yes(2)/No", "", "Lv1"},
		{"6", "Bidi \u202e text", "", "", "Lv1"},
		{"7", strings.Repeat("x", 1001), "", "", "Lv1"},
		{"8", "No level", "", "", ""},
		{"9", "Same choice twice", "Yes/Yes", "", "Lv1"},
		{"1)", "ID cleaned", "", "", "Lv1"},
		{"あ", "Unusable ID", "", "", "Lv1"},
		{"12", "Bad level", "", "", "??"},
	}
	_, errs, err := Convert(bytes.NewReader(xlsx(t, sheetData{"Q", rows})), 0,
		Mapping{Sheet: "Q", HeaderRow: 1, ID: "A", Question: "B", Choices: "C", Weight: "D", Level: "E"}, TemplateMeta{Slug: "x", TitleEN: "X", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Cell+" "+e.Key)
	}
	want := []string{
		"D3 " + KeyWeightNegative, "D4 " + KeyWeightRange, "C5 " + KeyChoiceFormat, "C6 " + KeyChoiceFormat,
		"B7 " + KeyBadChars, "B8 " + KeyTooLong, "C10 " + KeyChoiceDuplicate, "A11 " + KeyDuplicateID, "A12 " + KeyBadID, "E13 " + KeyLevel,
		"E9 " + KeyLevelNeeded,
	}
	// Level checks run after the rows; sort both the same way.
	sortStrings := func(s []string) []string {
		out := append([]string(nil), s...)
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				if out[j] < out[i] {
					out[i], out[j] = out[j], out[i]
				}
			}
		}
		return out
	}
	if !reflect.DeepEqual(sortStrings(got), sortStrings(want)) {
		t.Fatalf("errors\n got %v\nwant %v", got, want)
	}
}

func TestConvertLevelsAndNoSection(t *testing.T) {
	rows := [][]any{
		{"Question", "Level"},
		{"Do you have a policy?", "Lv1"},
		{"Do you train staff?", "レベル2"},
		{"Do you test backups?", "Level 3"},
	}
	tmpl, errs, err := Convert(bytes.NewReader(xlsx(t, sheetData{"S", rows})), 0,
		Mapping{Sheet: "S", HeaderRow: 1, Question: "A", Level: "B"}, TemplateMeta{Slug: "lv", TitleEN: "Levels", Lang: "en"})
	if err != nil || len(errs) > 0 {
		t.Fatalf("Convert: %v %v", err, errs)
	}
	if len(tmpl.Sections) != 1 || tmpl.Sections[0].Title.EN != "General" || len(tmpl.Levels) != 3 || tmpl.Levels[2].Code != "lv3" {
		t.Fatalf("template: %+v", tmpl)
	}
	if q, ok := tmpl.Question("3"); !ok || q.Level != "lv2" || q.Text.EN != "Do you train staff?" {
		t.Fatalf("row 3: %+v", q)
	}
	r := renkei.Score(tmpl, map[string]renkei.Answer{"2": {Value: "yes"}, "3": {Value: "yes"}, "4": {Value: "no"}})
	if len(r.Levels) != 3 || !r.Levels[1].Reached || r.Levels[2].Reached {
		t.Fatalf("levels: %+v", r.Levels)
	}
}

func TestConvertRefusals(t *testing.T) {
	good := xlsx(t, goodSheet())
	for name, c := range map[string]struct {
		data []byte
		max  int64
		m    Mapping
		meta TemplateMeta
		code string
		key  string
	}{
		"csv":         {[]byte("番号,質問\n1,はい\n"), 0, goodMapping, jaMeta, renkei.EINVALID, KeyNotXLSX},
		"xls":         {append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 100)...), 0, goodMapping, jaMeta, renkei.EINVALID, KeyXLS},
		"corrupt":     {append([]byte("PK\x03\x04"), bytes.Repeat([]byte{1}, 200)...), 0, goodMapping, jaMeta, renkei.EINVALID, KeyCorrupt},
		"truncated":   {good[:len(good)/2], 0, goodMapping, jaMeta, renkei.EINVALID, KeyCorrupt},
		"empty":       {nil, 0, goodMapping, jaMeta, renkei.EINVALID, KeyEmpty},
		"too large":   {good, 100, goodMapping, jaMeta, renkei.ETOOLARGE, KeyTooLarge},
		"no sheet":    {good, 0, Mapping{Sheet: "X", Question: "C"}, jaMeta, renkei.EINVALID, KeyNoSheet},
		"no header":   {good, 0, Mapping{Sheet: "チェックシート", HeaderRow: 100, Question: "C"}, jaMeta, renkei.EINVALID, KeyNoQuestions},
		"bad slug":    {good, 0, goodMapping, TemplateMeta{Slug: "Bad Slug", TitleJA: "x", Lang: "ja"}, renkei.EINVALID, "error.invalid_fields"},
		"no title":    {good, 0, goodMapping, TemplateMeta{Slug: "ok", Lang: "ja"}, renkei.EINVALID, "error.invalid_fields"},
		"bad lang":    {good, 0, goodMapping, TemplateMeta{Slug: "ok", TitleJA: "x", Lang: "fr"}, renkei.EINVALID, "error.invalid_fields"},
		"no column":   {good, 0, Mapping{Sheet: "チェックシート"}, jaMeta, renkei.EINVALID, "error.invalid_fields"},
		"bad column":  {good, 0, Mapping{Sheet: "チェックシート", Question: "C1"}, jaMeta, renkei.EINVALID, "error.invalid_fields"},
		"same column": {good, 0, Mapping{Sheet: "チェックシート", Question: "C", Help: "c"}, jaMeta, renkei.EINVALID, "error.invalid_fields"},
	} {
		t.Run(name, func(t *testing.T) {
			tmpl, errs, err := Convert(bytes.NewReader(c.data), c.max, c.m, c.meta)
			var e *renkei.Error
			if !errors.As(err, &e) || e.Code != c.code || e.Key != c.key || tmpl != nil || errs != nil {
				t.Fatalf("got %v %v %v, want %s %s", tmpl, errs, err, c.code, c.key)
			}
		})
	}
	for _, data := range [][]byte{[]byte("hello"), good[:len(good)/2]} {
		if _, err := Inspect(bytes.NewReader(data), 0); renkei.ErrorCode(err) != renkei.EINVALID {
			t.Fatalf("Inspect: %v", err)
		}
	}
}

func TestInspectAndGuess(t *testing.T) {
	en := sheetData{"English", [][]any{
		{"Supplier security questionnaire"},
		{},
		{"No.", "Category", "Question", "Answer choices", "Weight", "Guidance", "Level"},
		{"1", "Governance", "Is there a security officer?", "Yes/No", 1, "", "Lv1"},
	}}
	data := xlsx(t, goodSheet(), en, sheetData{"Empty", nil})
	wb, err := Inspect(bytes.NewReader(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(wb.Sheets) != 3 || wb.Sheets[0].Name != "チェックシート" || wb.Sheets[1].Name != "English" {
		t.Fatalf("sheets: %+v", wb.Sheets)
	}
	if !reflect.DeepEqual(wb.Sheets[0].Guess, goodMapping) {
		t.Fatalf("ja guess %+v, want %+v", wb.Sheets[0].Guess, goodMapping)
	}
	if want := (Mapping{Sheet: "English", HeaderRow: 3, ID: "A", Section: "B", Question: "C", Choices: "D", Weight: "E", Help: "F", Level: "G"}); wb.Sheets[1].Guess != want {
		t.Fatalf("en guess %+v, want %+v", wb.Sheets[1].Guess, want)
	}
	if wb.Sheets[2].Guess.Question != "" || len(wb.Sheets[2].Rows) != 0 {
		t.Fatalf("empty sheet: %+v", wb.Sheets[2])
	}
	if got := wb.Sheets[0].Rows[2]; got[0] != "1-1" || got[4] != "2" {
		t.Fatalf("preview row 3: %q", got)
	}
	// The guess converts as it is.
	tmpl, errs, err := Convert(bytes.NewReader(data), 0, wb.Sheets[1].Guess, TemplateMeta{Slug: "en", TitleEN: "EN", Lang: "en"})
	if err != nil || len(errs) > 0 || tmpl.QuestionCount() != 1 {
		t.Fatalf("convert guess: %v %v %v", tmpl, errs, err)
	}

	for header, want := range map[string]string{
		"項番": "id", "管理番号": "id", "ＩＤ": "id", "大項目": "section", "カテゴリー": "section", "確認項目": "question",
		"設問内容": "question", "回答選択肢": "choices", "重み付け": "weight", "補足": "help", "対象レベル": "level", "回答者": "choices", "会社名": "",
	} {
		if got := headerField(header); got != want {
			t.Errorf("headerField(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestParseChoices(t *testing.T) {
	for in, want := range map[string]string{
		"はい／いいえ":              "はい=1 いいえ=0",
		"はい（２点）、一部(1)、いいえ(0)": "はい=2 一部=1 いいえ=0",
		"A;B;C;D;E":               "A=1 B=0.75 C=0.5 D=0.25 E=0",
		"Yes (1.5 pts) | No (-1)": "Yes=1.5 No=-1",
		"はい、\n、いいえ":               "はい=1 いいえ=0",
	} {
		cs, key, _ := parseChoices(in, "ja")
		if key != "" {
			t.Fatalf("%q: %s", in, key)
		}
		var got []string
		for _, c := range cs {
			got = append(got, c.Label.JA+"="+strconv.FormatFloat(c.Points, 'f', -1, 64))
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%q: %v, want %s", in, got, want)
		}
	}
}

// A workbook whose parts unzip to more than the limit is refused as too
// large before it is read.
func TestZipBomb(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(make([]byte, 40<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if b.Len() > 1<<20 {
		t.Fatalf("bomb of %d bytes", b.Len())
	}
	_, err = Inspect(bytes.NewReader(b.Bytes()), 1<<20)
	if renkei.ErrorCode(err) != renkei.ETOOLARGE {
		t.Fatalf("Inspect: %v", err)
	}
	_, _, err = Convert(bytes.NewReader(b.Bytes()), 1<<20, goodMapping, jaMeta)
	if renkei.ErrorCode(err) != renkei.ETOOLARGE {
		t.Fatalf("Convert: %v", err)
	}
}
