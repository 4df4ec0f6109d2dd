package assessmentxlsx

import (
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/renkei/renkei"
)

// FormatID names the layout of the workbook; Read refuses others.
const FormatID = "renkei-assessment-xlsx/1"

// Meta is what the header block of an exported assessment shows.
type Meta struct {
	AssessmentID string
	OrgName      string
	PartnerName  string
	DueDate      string // YYYY-MM-DD
	Lang         string // "ja" or "en"
}

// Sheet names.
const (
	sheetJA    = "回答"
	sheetEN    = "Answers"
	sheetMeta  = "_renkei"
	sheetLists = "_lists"
)

// The table: its header row and its columns (1-based).
const (
	headerRow = 8
	firstRow  = headerRow + 1

	colSection = 1
	colRef     = 2
	colText    = 3
	colAnswer  = 4
	colNotes   = 5
	colHowTo   = 6
	colHelp    = 7
	numCols    = 7
)

type header struct {
	JA, EN string
	Width  float64
}

var headers = [numCols]header{
	{"章", "Section", 18},
	{"番号", "No.", 8},
	{"設問", "Question", 50},
	{"回答", "Answer", 20},
	{"備考", "Notes", 30},
	{"回答方法", "How to answer", 34},
	{"説明", "What this means", 50},
}

func (h header) label(lang string) string {
	if lang == "en" {
		return h.EN
	}
	return h.JA
}

// words of the sheet, by language.
var words = map[string]map[string]string{
	"ja": {
		"title":       "セキュリティ評価 回答シート",
		"org":         "依頼元",
		"partner":     "回答する会社",
		"due":         "回答期限",
		"id":          "評価ID",
		"template":    "チェックリスト",
		"guide":       "「回答」列と「備考」列に入力してください。選択式はセルの▼から選べます。行は並べ替えてもかまいませんが、「番号」列は変えないでください。",
		"yesno":       "▼から選択",
		"single":      "▼から選択：",
		"multi":       "複数選択可。「;」で区切って入力：",
		"number":      "数値を入力",
		"date":        "日付を入力（例 2026-04-01）",
		"text":        "自由に記述",
		"file":        "ファイルの添付はポータルで行ってください（この列には入力しません）",
		"required":    "必須",
		"if":          "「%s」の回答が %s の場合のみ回答",
		"or":          "・",
		"version":     "版",
		"list_prompt": "一覧から選ぶか、同じ言葉を入力してください。",
		"list_error":  "一覧にない回答です。",
	},
	"en": {
		"title":       "Security assessment: answer sheet",
		"org":         "Requested by",
		"partner":     "Answering company",
		"due":         "Due date",
		"id":          "Assessment ID",
		"template":    "Checklist",
		"guide":       "Fill in the Answer and Notes columns. For choices, use the ▼ of the cell. You may sort the rows, but do not change the No. column.",
		"yesno":       "Choose with ▼",
		"single":      "Choose with ▼: ",
		"multi":       "Any of these, separated by \";\": ",
		"number":      "Enter a number",
		"date":        "Enter a date (e.g. 2026-04-01)",
		"text":        "Free text",
		"file":        "Attach files in the portal (nothing to enter here)",
		"required":    "Required",
		"if":          "Answer only if \"%s\" is %s",
		"or":          " or ",
		"version":     "version",
		"list_prompt": "Choose from the list or type the same words.",
		"list_error":  "This is not one of the answers.",
	},
}

// Write writes the assessment of template t with its current answers as
// an XLSX workbook in meta.Lang ("ja" or "en"; empty means "ja"). Reading
// the workbook back unchanged with Read gives the same answers, except
// what the workbook does not hold: the Files counts and the answers to
// file questions (the caller keeps those). A multiple choice stored as a
// lone Value reads back as Values. The notes column is Answer.Text of the
// other kinds; a text question's answer is its Text.
func Write(w io.Writer, t *renkei.Template, answers map[string]renkei.Answer, meta Meta) error {
	lang := meta.Lang
	switch lang {
	case "":
		lang = "ja"
	case "ja", "en":
	default:
		return renkei.Errorf(renkei.EINVALID, KeyExportLang, shown(lang))
	}
	wd := words[lang]
	f := excelize.NewFile()
	defer f.Close()
	sheet := sheetJA
	if lang == "en" {
		sheet = sheetEN
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator:  "Renkei",
		Subject:  "Renkei assessment " + meta.AssessmentID,
		Keywords: FormatID,
	}); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}

	// The header block.
	set := func(cell string, v any, style int) error {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, cell, cell, style)
	}
	if err := set("A1", neutralize(wd["title"]+"："+t.Title.Label(lang)), st.title); err != nil {
		return err
	}
	tmpl := t.Title.Label(lang) + " (" + t.Slug + " " + wd["version"] + " " + strconv.Itoa(t.Version) + ")"
	for i, kv := range [][2]string{
		{wd["org"], meta.OrgName},
		{wd["partner"], meta.PartnerName},
		{wd["due"], meta.DueDate},
		{wd["id"], meta.AssessmentID},
		{wd["template"], tmpl},
	} {
		row := strconv.Itoa(i + 2)
		if err := set("A"+row, kv[0], st.label); err != nil {
			return err
		}
		if err := set("B"+row, neutralize(kv[1]), st.plain); err != nil {
			return err
		}
	}
	if err := set("A7", wd["guide"], st.plain); err != nil {
		return err
	}

	// The table.
	for i, h := range headers {
		cell, _ := excelize.CoordinatesToCellName(i+1, headerRow)
		if err := set(cell, h.label(lang), st.header); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, h.Width); err != nil {
			return err
		}
	}
	lists := newListSheet()
	byList := map[int][]string{} // list column → answer cells
	var dateCells, numberCells, greyCells []string
	sectionOf := map[string]string{}
	row := firstRow
	for si := range t.Sections {
		sec := &t.Sections[si]
		for qi := range sec.Questions {
			q := &sec.Questions[qi]
			sectionOf[q.Ref] = sec.Title.Label(lang)
			a := answers[q.Ref]
			r := strconv.Itoa(row)
			answerCell := "D" + r
			var answer any
			notes := a.Text
			var howTo string
			switch q.Kind {
			case renkei.QuestionYesNo:
				if a.Value != "" {
					answer = neutralize(yesNoLabel(a.Value, lang))
				}
				vals := q.AnswerValues(&t.Scoring)
				labels := make([]string, len(vals))
				for i, v := range vals {
					labels[i] = yesNoLabel(v, lang)
				}
				c := lists.column(labels)
				byList[c] = append(byList[c], answerCell)
				howTo = wd["yesno"] + "（" + strings.Join(labels, " / ") + "）"
				if lang == "en" {
					howTo = wd["yesno"] + " (" + strings.Join(labels, " / ") + ")"
				}
			case renkei.QuestionSingle:
				ch := newChoices(q, lang)
				if a.Value != "" {
					answer = neutralize(ch.choiceCell(q, a.Value, lang))
				}
				labels := make([]string, len(q.Choices))
				for i, c := range q.Choices {
					labels[i] = ch.choiceCell(q, c.Value, lang)
				}
				c := lists.column(labels)
				byList[c] = append(byList[c], answerCell)
				howTo = wd["single"] + strings.Join(labels, " / ")
			case renkei.QuestionMulti:
				ch := newChoices(q, lang)
				if vals := multiValues(a); len(vals) > 0 {
					answer = neutralize(ch.multiCell(q, vals, lang))
				}
				labels := make([]string, len(q.Choices))
				for i, c := range q.Choices {
					labels[i] = ch.choiceCell(q, c.Value, lang)
				}
				howTo = wd["multi"] + strings.Join(labels, "; ")
			case renkei.QuestionNumber:
				if a.Number != nil {
					answer = *a.Number
				}
				numberCells = append(numberCells, answerCell)
				howTo = wd["number"]
			case renkei.QuestionDate:
				if a.Date != "" {
					if serial, ok := dateSerial(a.Date); ok {
						answer = serial
					} else {
						answer = neutralize(a.Date)
					}
				}
				dateCells = append(dateCells, answerCell)
				howTo = wd["date"]
			case renkei.QuestionText:
				if a.Text != "" {
					answer = neutralize(a.Text)
				}
				notes = ""
				greyCells = append(greyCells, "E"+r)
				howTo = wd["text"]
			default: // file
				greyCells = append(greyCells, answerCell, "E"+r)
				notes = ""
				howTo = wd["file"]
			}
			if q.Required {
				howTo = wd["required"] + "。" + howTo
				if lang == "en" {
					howTo = wd["required"] + ". " + howTo
				}
			}
			if c := q.ShowIf; c != nil {
				howTo += "\n" + conditionText(t, c, lang)
			}
			values := []any{
				neutralize(sectionOf[q.Ref]),
				q.Ref,
				neutralize(q.Text.Label(lang)),
				answer,
				nilIfEmpty(neutralize(notes)),
				neutralize(howTo),
				nilIfEmpty(neutralize(q.Help.Label(lang))),
			}
			if err := f.SetSheetRow(sheet, "A"+r, &values); err != nil {
				return err
			}
			row++
		}
	}
	last := strconv.Itoa(max(row-1, firstRow))
	for _, s := range []struct {
		from, to string
		style    int
	}{
		{"A", "C", st.locked}, {"D", "E", st.answer}, {"F", "G", st.locked},
	} {
		if err := f.SetCellStyle(sheet, s.from+strconv.Itoa(firstRow), s.to+last, s.style); err != nil {
			return err
		}
	}
	for _, c := range dateCells {
		if err := f.SetCellStyle(sheet, c, c, st.date); err != nil {
			return err
		}
	}
	for _, c := range greyCells {
		if err := f.SetCellStyle(sheet, c, c, st.grey); err != nil {
			return err
		}
	}

	// Drop-downs and validation. Warnings rather than stops: Read also
	// takes codes and the other language's labels.
	for c, cells := range byList {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = strings.Join(cells, " ")
		dv.SetSqrefDropList(lists.ref(c))
		dv.SetError(excelize.DataValidationErrorStyleWarning, "", wd["list_error"])
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	if len(numberCells) > 0 {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = strings.Join(numberCells, " ")
		if err := dv.SetRange(-1e15, 1e15, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleWarning, "", wd["number"])
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	if len(dateCells) > 0 {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = strings.Join(dateCells, " ")
		if err := dv.SetRange(367, 2958465, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleWarning, "", wd["date"])
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	if err := f.AutoFilter(sheet, "A"+strconv.Itoa(headerRow)+":G"+last, nil); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: headerRow, TopLeftCell: "A" + strconv.Itoa(firstRow), ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}

	// The hidden sheets.
	if _, err := f.NewSheet(sheetLists); err != nil {
		return err
	}
	for c, l := range lists.lists {
		col, _ := excelize.ColumnNumberToName(c + 1)
		for i, v := range l {
			if err := f.SetCellStr(sheetLists, col+strconv.Itoa(i+1), neutralize(v)); err != nil {
				return err
			}
		}
	}
	if _, err := f.NewSheet(sheetMeta); err != nil {
		return err
	}
	for i, kv := range [][2]string{
		{"format", FormatID},
		{"assessment_id", meta.AssessmentID},
		{"template", t.Slug},
		{"version", strconv.Itoa(t.Version)},
		{"lang", lang},
	} {
		r := strconv.Itoa(i + 1)
		if err := f.SetCellStr(sheetMeta, "A"+r, kv[0]); err != nil {
			return err
		}
		if err := f.SetCellStr(sheetMeta, "B"+r, neutralize(kv[1])); err != nil {
			return err
		}
	}
	for _, s := range []string{sheetLists, sheetMeta} {
		if err := f.SetSheetVisible(s, false, true); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func multiValues(a renkei.Answer) []string {
	if len(a.Values) == 0 && a.Value != "" {
		return []string{a.Value}
	}
	return a.Values
}

// conditionText says when a conditional question is asked.
func conditionText(t *renkei.Template, c *renkei.Condition, lang string) string {
	wd := words[lang]
	labels := make([]string, len(c.Values))
	q, ok := t.Question(c.Question)
	for i, v := range c.Values {
		labels[i] = v
		switch {
		case !ok:
		case q.Kind == renkei.QuestionYesNo:
			labels[i] = yesNoLabel(v, lang)
		default:
			for _, ch := range q.Choices {
				if ch.Value == v {
					labels[i] = ch.Label.Label(lang)
				}
			}
		}
	}
	return strings.Replace(strings.Replace(wd["if"], "%s", c.Question, 1), "%s", strings.Join(labels, wd["or"]), 1)
}

// listSheet collects the distinct lists of the drop-downs, one column each.
type listSheet struct {
	lists [][]string
	index map[string]int
}

func newListSheet() *listSheet { return &listSheet{index: map[string]int{}} }

func (l *listSheet) column(values []string) int {
	key := strings.Join(values, "\x00")
	if c, ok := l.index[key]; ok {
		return c
	}
	l.lists = append(l.lists, values)
	l.index[key] = len(l.lists) - 1
	return len(l.lists) - 1
}

func (l *listSheet) ref(c int) string {
	col, _ := excelize.ColumnNumberToName(c + 1)
	return "'" + sheetLists + "'!$" + col + "$1:$" + col + "$" + strconv.Itoa(max(len(l.lists[c]), 1))
}

type styles struct {
	title, label, plain, header, locked, answer, date, grey int
}

func newStyles(f *excelize.File) (*styles, error) {
	var st styles
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	wrapTop := &excelize.Alignment{WrapText: true, Vertical: "top"}
	dateFmt := "yyyy-mm-dd"
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.label, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&st.plain, excelize.Style{}},
		{&st.header, excelize.Style{
			Font: &excelize.Font{Bold: true}, Border: border, Alignment: wrapTop,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		}},
		{&st.locked, excelize.Style{Border: border, Alignment: wrapTop}},
		{&st.answer, excelize.Style{
			Border: border, Alignment: wrapTop, Protection: &excelize.Protection{Locked: false},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}},
		}},
		{&st.date, excelize.Style{
			Border: border, Alignment: wrapTop, Protection: &excelize.Protection{Locked: false},
			Fill:         excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}},
			CustomNumFmt: &dateFmt,
		}},
		{&st.grey, excelize.Style{
			Border: border, Alignment: wrapTop,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}},
		}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return nil, err
		}
		*s.id = id
	}
	return &st, nil
}
