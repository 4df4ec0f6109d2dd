package checksheet

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Workbook is what Inspect finds: the sheets, in workbook order.
type Workbook struct {
	Sheets []Sheet `json:"sheets"`
}

// Sheet is one worksheet's preview and the mapping guessed for it.
type Sheet struct {
	Name string `json:"name"`
	// Rows are the sheet's first PreviewRows rows (Rows[0] is row 1), each
	// at most PreviewCols cells as displayed, long texts cut.
	Rows [][]string `json:"rows"`
	// Guess is the header row and columns guessed from the header words;
	// Guess.Question is "" when no header was recognized.
	Guess Mapping `json:"guess"`
}

// Inspect lists the sheets of the workbook in r (at most maxBytes, at most
// DefaultMaxBytes) with their first rows and a guessed mapping. A file that
// is not an XLSX, is corrupt or too large is refused with a *renkei.Error.
func Inspect(r io.Reader, maxBytes int64) (*Workbook, error) {
	f, err := readAll(r, maxBytes)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	wb := &Workbook{}
	for _, name := range f.GetSheetList() {
		if len(wb.Sheets) == MaxSheets {
			break
		}
		rows, err := preview(f, name)
		if err != nil {
			continue // a chart sheet or an unreadable part
		}
		s := Sheet{Name: name, Rows: rows, Guess: Guess(rows)}
		s.Guess.Sheet = name
		wb.Sheets = append(wb.Sheets, s)
	}
	if len(wb.Sheets) == 0 {
		return nil, errCorrupt
	}
	return wb, nil
}

func preview(f *excelize.File, sheet string) ([][]string, error) {
	rr, err := openRows(f, sheet, false)
	if err != nil {
		return nil, err
	}
	defer rr.close()
	out := [][]string{}
	for len(out) < PreviewRows {
		_, cells, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(cells) > PreviewCols {
			cells = cells[:PreviewCols]
		}
		row := make([]string, len(cells))
		for i, c := range cells {
			row[i] = cut(c, previewRunes)
		}
		out = append(out, row)
	}
	return out, nil
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// headerWords are the header words of each field, folded (normHeader).
// A header matches a field when it equals one of its exact words or
// contains one of its other words; fields are tried in this order, so
// that "大項目" is a section before "項目" is a question.
var headerWords = []struct {
	field        string
	exact, parts []string
}{
	{"id", []string{"id", "no", "no.", "#", "number", "ref", "番号", "項番", "no番号", "項目番号", "管理番号", "問番号"}, []string{"項番", "番号"}},
	{"choices", []string{"choices", "answerchoices", "options", "answers", "answer"}, []string{"選択肢", "回答", "answerchoice", "choice"}},
	{"section", []string{"section", "category", "group", "domain"}, []string{"区分", "分類", "セクション", "カテゴリ", "大項目", "章", "分野", "section", "category"}},
	{"weight", []string{"weight", "points", "score"}, []string{"配点", "重み", "ウェイト", "ウエイト", "点数", "weight"}},
	{"help", []string{"help", "notes", "note", "description", "explanation", "guidance"}, []string{"説明", "補足", "解説", "備考", "help", "guidance"}},
	{"level", []string{"level", "lv", "lv.", "tier"}, []string{"レベル", "level", "段階"}},
	{"question", []string{"question", "item", "requirement", "check", "checkitem"}, []string{"質問", "設問", "チェック項目", "確認項目", "項目", "内容", "要求事項", "question", "requirement"}},
}

func normHeader(s string) string {
	s = strings.ToLower(foldWidth(s))
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '_', '-', '\u00a0', '・':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// headerField is the field a header cell names, "" for none.
func headerField(cell string) string {
	h := normHeader(cell)
	if h == "" || utf8.RuneCountInString(h) > 30 {
		return ""
	}
	for _, w := range headerWords {
		for _, e := range w.exact {
			if h == e {
				return w.field
			}
		}
	}
	for _, w := range headerWords {
		for _, p := range w.parts {
			if strings.Contains(h, p) {
				return w.field
			}
		}
	}
	return ""
}

// Guess picks, among the preview rows, the header row that names a
// question column and the most other fields, and maps its columns. With
// no such row it returns a Mapping whose Question is "".
func Guess(rows [][]string) Mapping {
	best, bestN := Mapping{}, 0
	for i, row := range rows {
		m := Mapping{HeaderRow: i + 1}
		n := 0
		for j, cell := range row {
			f := headerField(cell)
			if f == "" {
				continue
			}
			p := m.Field(f)
			if *p != "" {
				continue
			}
			*p = columnName(j + 1)
			n++
		}
		if m.Question != "" && n > bestN {
			best, bestN = m, n
		}
	}
	return best
}

func columnName(n int) string {
	s, err := excelize.ColumnNumberToName(n)
	if err != nil {
		return ""
	}
	return s
}
