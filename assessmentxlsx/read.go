package assessmentxlsx

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/renkei/renkei"
)

// ReadMeta is what a workbook says it is: the assessment, and the slug and
// version of its template.
type ReadMeta struct {
	AssessmentID string
	Slug         string
	Version      int
}

// CheckAssessment returns a *renkei.Error (EINVALID, KeyWrongAssessment)
// when the workbook is of another assessment than id.
func (m ReadMeta) CheckAssessment(id string) error {
	if m.AssessmentID != id {
		return renkei.Errorf(renkei.EINVALID, KeyWrongAssessment, shown(m.AssessmentID), id)
	}
	return nil
}

// CellError is what is wrong with one cell: its reference ("D12"), the
// question of its row when known, and a message key with its arguments.
type CellError struct {
	Cell string
	Ref  string
	Key  string
	Args []any
}

// MaxErrors is the most cell errors Read lists; it then stops reading
// and adds one KeyTooManyErrors.
const MaxErrors = 200

// headerScanRows is how far down Read looks for the table's header.
const headerScanRows = 50

// minUnzip is the least uncompressed size a workbook may have, whatever
// its file size.
const minUnzip int64 = 64 << 20

// unzipLimit is how many uncompressed bytes a workbook of at most maxBytes
// may hold, so that a zip bomb stops early.
func unzipLimit(maxBytes int64) int64 { return min(max(maxBytes*20, minUnzip), 1<<30) }

var errCorrupt = renkei.Errorf(renkei.EINVALID, KeyCorrupt)

// Read reads a workbook written by Write and filled in, as answers to t.
// maxBytes limits the file's size (0 or less means 10 MiB).
//
// A whole-file problem is err, a *renkei.Error: too large, not an XLSX,
// not an assessment workbook, no table header, or a workbook of another
// template or version (KeyWrongTemplate, with meta filled in). The caller
// compares meta.AssessmentID with the assessment it expects
// (ReadMeta.CheckAssessment).
//
// Otherwise every answer cell is read and checked against t: answers
// holds the valid ones by question ref, errs the bad cells in the order of
// the rows. A blank answer cell is no answer. Rows are matched by the ref
// column, so their order does not matter; a ref the template does not
// know, or one given twice, is an error on its cell.
func Read(r io.Reader, t *renkei.Template, maxBytes int64) (meta ReadMeta, answers map[string]renkei.Answer, errs []CellError, err error) {
	if maxBytes <= 0 {
		maxBytes = 10 << 20
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return meta, nil, nil, err
	}
	if int64(len(data)) > maxBytes {
		return meta, nil, nil, renkei.Errorf(renkei.ETOOLARGE, KeyTooLarge, sizeText(maxBytes))
	}
	defer func() {
		if recover() != nil { // the library panics on some corrupt parts
			meta, answers, errs, err = ReadMeta{}, nil, nil, errCorrupt
		}
	}()
	limit := unzipLimit(maxBytes)
	f, oerr := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: min(limit, 64<<20)})
	if oerr != nil {
		return meta, nil, nil, errCorrupt
	}
	defer f.Close()

	var kv map[string]string
	sheet := ""
	for _, name := range f.GetSheetList() {
		switch {
		case name == sheetMeta:
			if kv, err = readMeta(f); err != nil {
				return meta, nil, nil, err
			}
		case name == sheetLists:
		case sheet == "", name == sheetJA, name == sheetEN:
			if sheet != sheetJA && sheet != sheetEN {
				sheet = name
			}
		}
	}
	if kv == nil || kv["format"] != FormatID || sheet == "" {
		return meta, nil, nil, renkei.Errorf(renkei.EINVALID, KeyNotAssessment)
	}
	meta.AssessmentID, meta.Slug = kv["assessment_id"], kv["template"]
	meta.Version, _ = strconv.Atoi(kv["version"])
	if meta.Slug != t.Slug || meta.Version != t.Version {
		return meta, nil, nil, renkei.Errorf(renkei.EINVALID, KeyWrongTemplate,
			shown(meta.Slug)+" v"+strconv.Itoa(meta.Version), t.Slug+" v"+strconv.Itoa(t.Version))
	}
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	answers, errs, err = readTable(f, sheet, t, kv["lang"], date1904)
	if err != nil {
		return meta, nil, nil, err
	}
	return meta, answers, errs, nil
}

func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// readMeta reads the first rows of the hidden sheet as keys and values.
func readMeta(f *excelize.File) (map[string]string, error) {
	rows, err := f.Rows(sheetMeta)
	if err != nil {
		return nil, errCorrupt
	}
	defer rows.Close()
	kv := map[string]string{}
	for n := 0; n < 20 && rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, errCorrupt
		}
		if len(cells) >= 2 {
			kv[strings.TrimSpace(cells[0])] = unneutralize(strings.TrimSpace(cells[1]))
		}
	}
	if rows.Error() != nil {
		return nil, errCorrupt
	}
	return kv, nil
}

// columns of the table as found in the header row (0-based; -1 when
// missing).
type tableCols struct{ ref, answer, notes int }

func findHeader(cells []string) (tableCols, bool) {
	c := tableCols{-1, -1, -1}
	for i, v := range cells {
		switch normValue(v) {
		case normValue(headers[colRef-1].JA), normValue(headers[colRef-1].EN), "ref":
			c.ref = i
		case normValue(headers[colAnswer-1].JA), normValue(headers[colAnswer-1].EN):
			c.answer = i
		case normValue(headers[colNotes-1].JA), normValue(headers[colNotes-1].EN), "note":
			c.notes = i
		}
	}
	return c, c.ref >= 0 && c.answer >= 0
}

func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col+1, row)
	return s
}

func readTable(f *excelize.File, sheet string, t *renkei.Template, lang string, date1904 bool) (map[string]renkei.Answer, []CellError, error) {
	if lang != "en" {
		lang = "ja"
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, errCorrupt
	}
	defer rows.Close()
	answers := map[string]renkei.Answer{}
	var errs []CellError
	add := func(e CellError) bool {
		if len(errs) >= MaxErrors {
			errs = append(errs, CellError{Cell: e.Cell, Key: KeyTooManyErrors, Args: []any{MaxErrors}})
			return false
		}
		errs = append(errs, e)
		return true
	}
	cols, found := tableCols{}, false
	firstSeen := map[string]string{} // ref → the cell of its first row
	choiceCache := map[string]*choices{}
	row := 0
	for rows.Next() {
		row++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, errCorrupt
		}
		if !found {
			if cols, found = findHeader(cells); !found && row >= headerScanRows {
				return nil, nil, renkei.Errorf(renkei.EINVALID, KeyNoHeader)
			}
			continue
		}
		get := func(i int) string {
			if i < 0 || i >= len(cells) {
				return ""
			}
			return cells[i]
		}
		ref := foldWidth(cleanCode(get(cols.ref)))
		rawAnswer, rawNotes := get(cols.answer), get(cols.notes)
		answerCell, notesCell := cellName(cols.answer, row), cellName(cols.notes, row)
		if ref == "" {
			if strings.TrimSpace(rawAnswer) != "" || strings.TrimSpace(rawNotes) != "" {
				if !add(CellError{Cell: cellName(cols.ref, row), Key: KeyNoRef}) {
					break
				}
			}
			continue
		}
		q, ok := t.Question(ref)
		if !ok {
			if !add(CellError{Cell: cellName(cols.ref, row), Key: KeyUnknownRef, Args: []any{shown(ref)}}) {
				break
			}
			continue
		}
		if first, dup := firstSeen[ref]; dup {
			if !add(CellError{Cell: cellName(cols.ref, row), Ref: ref, Key: KeyDuplicateRef, Args: []any{ref, first}}) {
				break
			}
			continue
		}
		firstSeen[ref] = cellName(cols.ref, row)
		ch := choiceCache[ref]
		if ch == nil && (q.Kind == renkei.QuestionSingle || q.Kind == renkei.QuestionMulti) {
			ch = newChoices(q, lang)
			choiceCache[ref] = ch
		}
		a, cellErr, blank := readAnswer(t, q, ch, rawAnswer, cleanText(rawNotes), date1904)
		switch {
		case cellErr != nil:
			cell := answerCell
			if cellErr.notes {
				cell = notesCell
			}
			if !add(CellError{Cell: cell, Ref: ref, Key: cellErr.key, Args: cellErr.args}) {
				return answers, errs, nil
			}
		case !blank:
			answers[ref] = a
		}
	}
	if rows.Error() != nil {
		return nil, nil, errCorrupt
	}
	if !found {
		return nil, nil, renkei.Errorf(renkei.EINVALID, KeyNoHeader)
	}
	return answers, errs, nil
}

type cellErr struct {
	key   string
	args  []any
	notes bool // on the notes cell rather than the answer
}

// readAnswer reads one row's answer and notes as an answer to q: the
// answer, or what is wrong, or blank when the row holds no answer.
func readAnswer(t *renkei.Template, q *renkei.Question, ch *choices, raw, notes string, date1904 bool) (renkei.Answer, *cellErr, bool) {
	var a renkei.Answer
	v := cleanCode(raw)
	switch q.Kind {
	case renkei.QuestionFile:
		if v != "" || notes != "" {
			return a, &cellErr{key: KeyFileQuestion, notes: v == ""}, false
		}
		return a, nil, true
	case renkei.QuestionText:
		if notes != "" {
			return a, &cellErr{key: KeyNotesText, notes: true}, false
		}
		a.Text = cleanText(raw)
		if a.Text == "" {
			return a, nil, true
		}
	default:
		if v == "" {
			if notes != "" {
				return a, &cellErr{key: KeyNotesWithoutAnswer, notes: true}, false
			}
			return a, nil, true
		}
		a.Text = notes
	}
	switch q.Kind {
	case renkei.QuestionYesNo:
		code, ok := yesNoLookup[v]
		if !ok {
			code, ok = yesNoLookup[normValue(v)]
		}
		if !ok {
			return a, &cellErr{key: KeyYesNo, args: []any{shown(v), yesNoAllowed(t, q)}}, false
		}
		a.Value = code
	case renkei.QuestionSingle:
		val, ok := ch.find(v)
		if !ok {
			return a, &cellErr{key: KeyChoice, args: []any{shown(v), choiceAllowed(q)}}, false
		}
		a.Value = val
	case renkei.QuestionMulti:
		vals, bad, ok := ch.splitMulti(v)
		if !ok {
			return a, &cellErr{key: KeyChoice, args: []any{shown(bad), choiceAllowed(q)}}, false
		}
		if len(vals) == 0 {
			if notes != "" {
				return renkei.Answer{}, &cellErr{key: KeyNotesWithoutAnswer, notes: true}, false
			}
			return renkei.Answer{}, nil, true
		}
		a.Values = vals
	case renkei.QuestionNumber:
		n, ok := parseNumber(v)
		if !ok {
			return a, &cellErr{key: KeyNumber, args: []any{shown(v)}}, false
		}
		a.Number = &n
	case renkei.QuestionDate:
		d, ok := parseDate(v, date1904)
		if !ok {
			return a, &cellErr{key: KeyDate, args: []any{shown(v)}}, false
		}
		a.Date = d
	}
	if err := t.CheckAnswer(q, a); err != nil {
		key := "answer.value"
		var re *renkei.Error
		if errors.As(err, &re) && re.Fields[q.Ref] != "" {
			key = re.Fields[q.Ref]
		}
		if _, known := keyArgs[key]; !known || key == "answer.required" {
			key = "answer.value"
		}
		// A problem of the notes alone is on the notes cell.
		notesOnly := q.Kind != renkei.QuestionText && key == "answer.text"
		return a, &cellErr{key: key, notes: notesOnly}, false
	}
	return a, nil, false
}

func yesNoAllowed(t *renkei.Template, q *renkei.Question) string {
	vals := q.AnswerValues(&t.Scoring)
	var b strings.Builder
	for i, v := range vals {
		if i > 0 {
			b.WriteString(" / ")
		}
		b.WriteString(yesNoLabel(v, "ja") + " (" + yesNoLabel(v, "en") + ")")
	}
	return b.String()
}

func choiceAllowed(q *renkei.Question) string {
	var b strings.Builder
	for i, c := range q.Choices {
		if i == 10 {
			b.WriteString(" …")
			break
		}
		if i > 0 {
			b.WriteString(" / ")
		}
		b.WriteString(shown(c.Label.Label("ja")))
	}
	return b.String()
}
