package assessmentxlsx

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/renkei/renkei"
)

// variedAnswers answers t's questions with every possible yes/no answer
// in turn, some with notes, leaving every seventh blank.
func variedAnswers(tm *renkei.Template) map[string]renkei.Answer {
	out := map[string]renkei.Answer{}
	for i, q := range tm.Questions() {
		if i%7 == 6 {
			continue
		}
		var a renkei.Answer
		switch q.Kind {
		case renkei.QuestionYesNo:
			vals := q.AnswerValues(&tm.Scoring)
			a.Value = vals[i%len(vals)]
		case renkei.QuestionText:
			a.Text = "-- 契約書の第5条のとおり"
		default:
			continue
		}
		switch i % 3 {
		case 1:
			a.Text = "備考 " + q.Ref
		case 2:
			if q.Kind != renkei.QuestionText {
				a.Text = "=1+1"
			}
		}
		out[q.Ref] = a
	}
	return out
}

func TestRoundTripBuiltins(t *testing.T) {
	for _, tm := range renkei.BuiltinTemplates() {
		for _, lang := range []string{"ja", "en"} {
			answers := variedAnswers(tm)
			meta, got, errs := read(t, tm, write(t, tm, answers, lang))
			if len(errs) > 0 {
				t.Fatalf("%s %s: errors %+v", tm.Slug, lang, errs)
			}
			if meta != (ReadMeta{AssessmentID: "a-123", Slug: tm.Slug, Version: tm.Version}) {
				t.Fatalf("meta %+v", meta)
			}
			sameAnswers(t, answers, got)
		}
	}
}

func TestRoundTripAllKinds(t *testing.T) {
	tm := kindsTemplate(t)
	answers := kindsAnswers()
	answers["8"] = renkei.Answer{Files: 2, Text: "添付のとおり"}
	for _, lang := range []string{"ja", "en"} {
		_, got, errs := read(t, tm, write(t, tm, answers, lang))
		if len(errs) > 0 {
			t.Fatalf("%s: errors %+v", lang, errs)
		}
		sameAnswers(t, withoutFiles(tm, answers), got)
	}
	// Nothing answered reads as nothing.
	_, got, errs := read(t, tm, write(t, tm, nil, "ja"))
	if len(got) != 0 || len(errs) != 0 {
		t.Fatalf("empty: %+v %+v", got, errs)
	}
}

// TestFilledByUser fills an empty export as a partner would, in Japanese
// labels, English labels and codes, with a few bad cells.
func TestFilledByUser(t *testing.T) {
	tm := kindsTemplate(t)
	data := write(t, tm, nil, "ja")
	cells := map[string]any{}
	data = edit(t, data, func(f *excelize.File, sheet string) {
		set := func(ref, col string, v any) {
			cell := col + itoa(rowOf(t, f, sheet, ref))
			cells[ref+col] = cell
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
		set("1", "D", "Not applicable")
		set("1", "E", "工場は対象外")
		set("2", "D", "たぶん")
		set("3", "D", " Medium ")
		set("4", "D", "ウイルス対策、EDR、 fw\n多要素認証")
		set("5", "D", "abc")
		set("6", "D", "2026-13-40")
		set("7", "D", "'+cmd")
		set("9", "D", "yes")
	})
	_, got, errs := read(t, tm, data)
	want := map[string]renkei.Answer{
		"1": {Value: renkei.AnswerNA, Text: "工場は対象外"},
		"3": {Value: "mid"},
		"4": {Values: []string{"av", "fw", "mfa"}},
		"7": {Text: "+cmd"},
		"9": {Value: renkei.AnswerYes},
	}
	sameAnswers(t, want, got)
	wantErrs := map[string]string{
		cells["2D"].(string): KeyYesNo,
		cells["5D"].(string): KeyNumber,
		cells["6D"].(string): KeyDate,
	}
	if cells["2D"] != "D10" {
		t.Errorf("question 2 is in %v", cells["2D"])
	}
	if len(errs) != len(wantErrs) {
		t.Fatalf("errors %+v", errs)
	}
	for _, e := range errs {
		if wantErrs[e.Cell] != e.Key || len(e.Args) != keyArgs[e.Key] {
			t.Errorf("unexpected error %+v", e)
		}
	}
}

func TestSpellings(t *testing.T) {
	tm := kindsTemplate(t)
	for _, c := range []struct {
		lang, ref string
		value     any
		want      renkei.Answer
	}{
		{"ja", "2", "はい", renkei.Answer{Value: renkei.AnswerYes}},
		{"ja", "2", "Partly", renkei.Answer{Value: renkei.AnswerPartly}},
		{"en", "2", "いいえ", renkei.Answer{Value: renkei.AnswerNo}},
		{"en", "2", "DON'T KNOW", renkei.Answer{Value: renkei.AnswerUnknown}},
		{"ja", "2", "unknown", renkei.Answer{Value: renkei.AnswerUnknown}},
		{"ja", "1", "ｎ／ａ", renkei.Answer{Value: renkei.AnswerNA}},
		{"en", "3", "中", renkei.Answer{Value: "mid"}},
		{"ja", "3", "large", renkei.Answer{Value: "large"}},
		{"ja", "3", "'=大", renkei.Answer{Value: "large"}},
		{"en", "4", "Antivirus; EDR; MFA", renkei.Answer{Values: []string{"av", "mfa"}}},
		{"en", "4", "fw;fw；", renkei.Answer{Values: []string{"fw"}}},
		{"ja", "5", "１，２３４", renkei.Answer{Number: num(1234)}},
		{"ja", "5", -3.25, renkei.Answer{Number: num(-3.25)}},
		{"ja", "5", "1e3", renkei.Answer{Number: num(1000)}},
		{"ja", "6", "2026/04/01", renkei.Answer{Date: "2026-04-01"}},
		{"ja", "6", "２０２６年４月１日", renkei.Answer{Date: "2026-04-01"}},
		{"ja", "6", 46113, renkei.Answer{Date: "2026-04-01"}},
		{"ja", "6", 46113.75, renkei.Answer{Date: "2026-04-01"}},
	} {
		data := edit(t, write(t, tm, nil, c.lang), func(f *excelize.File, sheet string) {
			if err := f.SetCellValue(sheet, "D"+itoa(rowOf(t, f, sheet, c.ref)), c.value); err != nil {
				t.Fatal(err)
			}
		})
		_, got, errs := read(t, tm, data)
		if len(errs) > 0 || len(got) != 1 {
			t.Errorf("%s %v: %+v %+v", c.lang, c.value, got, errs)
			continue
		}
		sameAnswers(t, map[string]renkei.Answer{c.ref: c.want}, got)
	}
}

func TestBadCells(t *testing.T) {
	tm := kindsTemplate(t)
	for _, c := range []struct {
		ref, col string
		value    any
		key      string
	}{
		{"2", "D", "該当しない", "answer.na"},
		{"3", "D", "特大", KeyChoice},
		{"4", "D", "fw; 何か", KeyChoice},
		{"5", "D", "NaN", KeyNumber},
		{"5", "D", "0x10", KeyNumber},
		{"6", "D", "2026-02-29", KeyDate},
		{"6", "D", -5, KeyDate},
		{"7", "D", "a\x01b", "answer.text"},
		{"7", "E", "備考", KeyNotesText},
		{"8", "D", "添付しました", KeyFileQuestion},
		{"8", "E", "添付しました", KeyFileQuestion},
		{"2", "E", "備考だけ", KeyNotesWithoutAnswer},
		{"2", "E", strings.Repeat("長", 4001), "answer.text"},
	} {
		var cell string
		data := edit(t, write(t, tm, nil, "ja"), func(f *excelize.File, sheet string) {
			cell = c.col + itoa(rowOf(t, f, sheet, c.ref))
			if c.ref == "2" && c.col == "E" && c.key == "answer.text" {
				f.SetCellValue(sheet, "D"+itoa(rowOf(t, f, sheet, c.ref)), "はい")
			}
			if err := f.SetCellValue(sheet, cell, c.value); err != nil {
				t.Fatal(err)
			}
		})
		_, got, errs := read(t, tm, data)
		if len(got) != 0 || len(errs) != 1 || errs[0].Cell != cell || errs[0].Key != c.key || errs[0].Ref != c.ref {
			t.Errorf("%s %s %q: %+v %+v", c.ref, c.col, c.value, got, errs)
		}
	}
}

func TestHostileText(t *testing.T) {
	tm := kindsTemplate(t)
	answers := kindsAnswers()
	data := write(t, tm, answers, "ja")
	f, err := excelize.OpenReader(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	for _, c := range []struct{ ref, col, want string }{
		{"7", "D", "'" + answers["7"].Text},
		{"9", "E", "'+cmd|' /C calc'!A0"},
		{"4", "E", "'@all"},
		{"3", "D", "'=大"},
	} {
		cell := c.col + itoa(rowOf(t, f, sheet, c.ref))
		if v, _ := f.GetCellValue(sheet, cell); v != c.want {
			t.Errorf("%s = %q, want %q", cell, v, c.want)
		}
		if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
			t.Errorf("%s has a formula %q", cell, fm)
		}
	}
	if v, _ := f.GetCellValue(sheet, "B3"); v != "'-山田製作所" {
		t.Errorf("partner name %q", v)
	}
	f.Close()
	_, got, errs := read(t, tm, data)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	sameAnswers(t, answers, got)
}

// TestSortedRows reverses the table, as sorting by a column would.
func TestSortedRows(t *testing.T) {
	tm := renkei.SyntheticTemplate(5, 7, 3)
	answers := variedAnswers(tm)
	data := edit(t, write(t, tm, answers, "en"), func(f *excelize.File, sheet string) {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		body := rows[firstRow-1:]
		for i := range body {
			r := body[len(body)-1-i]
			vals := make([]any, len(r))
			for j, v := range r {
				vals[j] = v
			}
			for j := len(vals); j < numCols; j++ {
				vals = append(vals, nil)
			}
			if err := f.SetSheetRow(sheet, "A"+itoa(firstRow+i), &vals); err != nil {
				t.Fatal(err)
			}
		}
	})
	f, _ := excelize.OpenReader(strings.NewReader(string(data)))
	if v, _ := f.GetCellValue(f.GetSheetName(0), "B"+itoa(firstRow)); v != "q15" {
		t.Fatalf("not reversed: first ref %q", v)
	}
	f.Close()
	_, got, errs := read(t, tm, data)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	sameAnswers(t, answers, got)
}

func TestRefErrors(t *testing.T) {
	tm := kindsTemplate(t)
	data := edit(t, write(t, tm, kindsAnswers(), "ja"), func(f *excelize.File, sheet string) {
		r1 := itoa(rowOf(t, f, sheet, "1"))
		r2 := itoa(rowOf(t, f, sheet, "2"))
		r5 := itoa(rowOf(t, f, sheet, "5"))
		f.SetCellValue(sheet, "B"+r1, "99") // unknown
		f.SetCellValue(sheet, "B"+r2, "3")  // a duplicate of 3's row, which comes later
		f.SetCellValue(sheet, "B"+r5, "")   // no ref, but an answer
		f.SetCellValue(sheet, "B40", "")    // empty row: fine
		f.SetCellValue(sheet, "D40", "  ")  // blank: fine
		f.SetCellValue(sheet, "A41", "メモ")  // not in the ref or answer column: fine
	})
	_, got, errs := read(t, tm, data)
	want := []CellError{
		{Cell: "B9", Key: KeyUnknownRef, Args: []any{"99"}},
		{Cell: "D10", Ref: "3", Key: KeyChoice},
		{Cell: "B11", Ref: "3", Key: KeyDuplicateRef, Args: []any{"3", "B10"}},
		{Cell: "B13", Key: KeyNoRef},
	}
	if len(errs) != len(want) {
		t.Fatalf("errors %+v", errs)
	}
	for i := range want {
		if errs[i].Cell != want[i].Cell || errs[i].Key != want[i].Key || errs[i].Ref != want[i].Ref {
			t.Errorf("error %d: %+v, want %+v", i, errs[i], want[i])
		}
	}
	// Question 2's row, now called 3, is read as question 3: its answer
	// (一部) is not a choice of 3, and 3's own row is a duplicate.
	if _, ok := got["1"]; ok {
		t.Errorf("answer for 1 from an unknown ref: %+v", got)
	}
	if _, ok := got["5"]; ok {
		t.Errorf("answer for 5 without a ref: %+v", got)
	}
	if got["6"].Date != "2026-03-31" {
		t.Errorf("others lost: %+v", got)
	}
}

func TestFileErrors(t *testing.T) {
	tm := kindsTemplate(t)
	good := write(t, tm, kindsAnswers(), "ja")
	plain := func() []byte {
		f := excelize.NewFile()
		f.SetCellValue("Sheet1", "A1", "番号")
		f.SetCellValue("Sheet1", "B1", "回答")
		b, _ := f.WriteToBuffer()
		return b.Bytes()
	}()
	other := tm.Clone()
	other.Version++
	noHeader := edit(t, good, func(f *excelize.File, sheet string) {
		f.SetCellValue(sheet, "D8", "答え")
	})
	for _, c := range []struct {
		name string
		data []byte
		tm   *renkei.Template
		max  int64
		key  string
	}{
		{"garbage", []byte("not a zip"), tm, 0, KeyCorrupt},
		{"empty", nil, tm, 0, KeyCorrupt},
		{"too large", good, tm, int64(len(good) - 1), KeyTooLarge},
		{"plain workbook", plain, tm, 0, KeyNotAssessment},
		{"other version", good, other, 0, KeyWrongTemplate},
		{"other template", good, renkei.SyntheticTemplate(1), 0, KeyWrongTemplate},
		{"no header", noHeader, tm, 0, KeyNoHeader},
	} {
		_, answers, errs, err := Read(strings.NewReader(string(c.data)), c.tm, c.max)
		var re *renkei.Error
		if !asError(err, &re) || re.Key != c.key || len(re.Args) != keyArgs[c.key] || answers != nil || errs != nil {
			t.Errorf("%s: %v %+v %+v", c.name, err, answers, errs)
		}
	}
	meta, _, _ := read(t, tm, good)
	if err := meta.CheckAssessment("a-123"); err != nil {
		t.Fatal(err)
	}
	var re *renkei.Error
	if err := meta.CheckAssessment("a-999"); !asError(err, &re) || re.Key != KeyWrongAssessment {
		t.Fatalf("mismatch: %v", err)
	}
	if err := Write(&strings.Builder{}, tm, nil, Meta{Lang: "fr"}); !asError(err, &re) || re.Key != KeyExportLang {
		t.Fatalf("lang: %v", err)
	}
}
