package checksheet

import (
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/renkei/renkei"
	"github.com/xuri/excelize/v2"
)

// Mapping says where the checksheet is: the sheet, the header row (0 when
// there is none: data starts at row 1) and the column letter ("A") of each
// field. Question is required, the others are optional ("").
type Mapping struct {
	Sheet     string `json:"sheet"`
	HeaderRow int    `json:"header_row"`
	ID        string `json:"id,omitempty"`
	Section   string `json:"section,omitempty"`
	Question  string `json:"question"`
	Choices   string `json:"choices,omitempty"`
	Weight    string `json:"weight,omitempty"`
	Help      string `json:"help,omitempty"`
	Level     string `json:"level,omitempty"`
}

// Field is the mapping's column for a field: id, section, question,
// choices, weight, help or level (the form keys of the mapping page).
func (m *Mapping) Field(name string) *string {
	switch name {
	case "id":
		return &m.ID
	case "section":
		return &m.Section
	case "question":
		return &m.Question
	case "choices":
		return &m.Choices
	case "weight":
		return &m.Weight
	case "help":
		return &m.Help
	case "level":
		return &m.Level
	}
	panic("checksheet: unknown field " + name)
}

var fieldNames = [...]string{"id", "section", "question", "choices", "weight", "help", "level"}

// TemplateMeta is what the sheet does not say: the new template's slug,
// its title in Japanese and/or English, and the language the sheet is
// written in ("ja" or "en"; the texts go to that language).
type TemplateMeta struct {
	Slug    string `json:"slug"`
	TitleJA string `json:"title_ja,omitempty"`
	TitleEN string `json:"title_en,omitempty"`
	Lang    string `json:"lang"`
}

// template is the template meta describes, without sections.
func (meta TemplateMeta) template() *renkei.Template {
	return &renkei.Template{
		Slug:    strings.TrimSpace(meta.Slug),
		Version: 1,
		Kind:    renkei.TemplateOrg,
		Title:   renkei.Bilingual{JA: strings.TrimSpace(meta.TitleJA), EN: strings.TrimSpace(meta.TitleEN)},
		Scoring: importScoring,
	}
}

// CellError is one problem of the sheet: Cell is its reference ("C12"),
// Key a message of i18n/messages/checksheet.{ja,en}.json and Args its
// placeholders.
type CellError struct {
	Cell string `json:"cell"`
	Row  int    `json:"row"`
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// Scoring of an imported template: points summed with weights and scaled
// to 0–100 with one decimal; "na" (not applicable) leaves the score.
var importScoring = renkei.Scoring{Method: renkei.ScoringPoints, NA: renkei.NAExclude, Scale: 100, Decimals: 1}

// Text limits of the template format.
const (
	maxTitleRunes    = 200
	maxQuestionRunes = 1000
	maxHelpRunes     = 4000
)

var (
	refPattern  = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?$`)
	codePattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9._-]{0,30}[a-z0-9])?$`)
	badRefChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)
	// explicitPoints is a choice's points written after it: はい(2),
	// いいえ（0点）, Yes (1.5 pts).
	explicitPoints = regexp.MustCompile(`^(.*?)\s*[(]\s*([+-]?[0-9]+(?:\.[0-9]+)?)\s*(?:点|pts?|points?)?\s*[)]$`)
)

// Convert reads the checksheet in r under m and returns the template it
// makes, of kind "org", version 1, scored out of 100. Problems of cells
// are returned as CellErrors (sorted by row, then column) and then the
// template is nil; a valid template always passes Template.Validate. A bad
// mapping or meta is a *renkei.Error of code EINVALID whose Fields name
// the field ("question", "slug", "title", "lang"); a file that is not a
// readable XLSX, too large or without questions is a *renkei.Error too.
func Convert(r io.Reader, maxBytes int64, m Mapping, meta TemplateMeta) (*renkei.Template, []CellError, error) {
	cols, err := m.columns()
	if err != nil {
		return nil, nil, err
	}
	if meta.Lang != "ja" && meta.Lang != "en" {
		return nil, nil, renkei.Invalid(map[string]string{"lang": KeyLang})
	}
	// The template's own details first: they are not the sheet's.
	probe := meta.template()
	probe.Sections = []renkei.Section{{Ref: "s1", Title: renkei.Bilingual{JA: "-"}, Questions: []renkei.Question{{Ref: "1", Kind: renkei.QuestionYesNo, Text: renkei.Bilingual{JA: "-"}}}}}
	if err := probe.Validate(); err != nil {
		return nil, nil, err
	}
	f, err := readAll(r, maxBytes)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	found := false
	for _, name := range f.GetSheetList() {
		found = found || name == m.Sheet
	}
	if !found {
		return nil, nil, renkei.Errorf(renkei.EINVALID, KeyNoSheet, m.Sheet)
	}
	rr, err := openRows(f, m.Sheet, true)
	if err != nil {
		return nil, nil, err
	}
	defer rr.close()
	b := newBuilder(cols, meta)
	for {
		row, cells, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if row <= m.HeaderRow {
			continue
		}
		if err := b.row(row, cells); err != nil {
			return nil, nil, err
		}
	}
	return b.finish()
}

// columns checks the mapping and returns the column numbers (1-based, 0
// for an unmapped field) by field name.
func (m *Mapping) columns() (map[string]int, error) {
	bad := map[string]string{}
	cols := map[string]int{}
	used := map[int]string{}
	if m.HeaderRow < 0 || m.HeaderRow > 1000 {
		bad["header_row"] = KeyHeaderRow
	}
	for _, name := range fieldNames {
		letter := strings.ToUpper(strings.TrimSpace(foldWidth(*m.Field(name))))
		if letter == "" {
			if name == "question" {
				bad[name] = KeyColumnNeeded
			}
			continue
		}
		n, err := excelize.ColumnNameToNumber(letter)
		if err != nil || n < 1 {
			bad[name] = KeyColumn
			continue
		}
		if other, ok := used[n]; ok {
			bad[name] = KeyColumnTwice
			bad[other] = KeyColumnTwice
			continue
		}
		used[n] = name
		cols[name] = n
	}
	if len(bad) > 0 {
		return nil, renkei.Invalid(bad)
	}
	return cols, nil
}

// builder collects the template row by row.
type builder struct {
	cols map[string]int
	meta TemplateMeta
	errs []CellError

	sections   []renkei.Section
	sectionAt  map[string]int // title → index
	sectionRow []int          // the row of each section's first question
	current    int            // the section of the last row, -1 before any
	rows       [][]int        // rows[i][j] is the row of sections[i].Questions[j]
	ids        map[string]string
	levels     map[string]string // code → name as first written
	kept       []keptRow         // every question kept, in row order
	count      int
}

// keptRow is a kept question's row, level and place, and whether its ref is
// still to be given.
type keptRow struct {
	row      int
	code     string
	sec, idx int
	auto     bool
}

func newBuilder(cols map[string]int, meta TemplateMeta) *builder {
	return &builder{cols: cols, meta: meta, sectionAt: map[string]int{}, current: -1, ids: map[string]string{}, levels: map[string]string{}}
}

func (b *builder) cell(field string, row int) string {
	c, _ := excelize.CoordinatesToCellName(max(b.cols[field], 1), row)
	return c
}

func (b *builder) fail(field string, row int, key string, args ...any) {
	b.errs = append(b.errs, CellError{Cell: b.cell(field, row), Row: row, Key: key, Args: args})
}

func (b *builder) bi(s string) renkei.Bilingual {
	if b.meta.Lang == "en" {
		return renkei.Bilingual{EN: s}
	}
	return renkei.Bilingual{JA: s}
}

// text reads a text cell: trimmed, checked for characters and length.
func (b *builder) text(field string, row int, s string, maxRunes int, multiline bool) (string, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	if !multiline {
		s = strings.Join(strings.Fields(s), " ")
	}
	switch {
	case unsafeText(s, multiline):
		b.fail(field, row, KeyBadChars)
		return "", false
	case utf8.RuneCountInString(s) > maxRunes:
		b.fail(field, row, KeyTooLong, maxRunes)
		return "", false
	}
	return s, true
}

func (b *builder) row(row int, cells []string) error {
	get := func(field string) string {
		c := b.cols[field]
		if c == 0 || c > len(cells) {
			return ""
		}
		return cells[c-1]
	}
	empty := true
	for _, name := range fieldNames {
		if strings.TrimSpace(get(name)) != "" {
			empty = false
		}
	}
	if empty {
		return nil
	}
	b.count++
	if b.count > MaxQuestions {
		return renkei.Errorf(renkei.ETOOLARGE, KeyTooManyQuestion, MaxQuestions)
	}
	ok := true
	q := renkei.Question{Kind: renkei.QuestionYesNo}

	// Section: a blank cell continues the section above.
	sec := b.current
	if b.cols["section"] != 0 {
		if title, good := b.text("section", row, get("section"), maxTitleRunes, false); !good {
			ok = false
		} else if title != "" {
			i, seen := b.sectionAt[title]
			if !seen {
				if len(b.sections) == renkei.MaxTemplateSections {
					b.fail("section", row, KeyTooManySections, renkei.MaxTemplateSections)
					return nil
				}
				i = len(b.sections)
				b.sectionAt[title] = i
				b.sections = append(b.sections, renkei.Section{Ref: "s" + strconv.Itoa(i+1), Title: b.bi(title)})
				b.sectionRow = append(b.sectionRow, row)
				b.rows = append(b.rows, nil)
			}
			sec = i
		}
	}

	if text, good := b.text("question", row, get("question"), maxQuestionRunes, true); !good {
		ok = false
	} else if text == "" {
		b.fail("question", row, KeyEmptyQuestion)
		ok = false
	} else {
		q.Text = b.bi(text)
	}

	auto := true // the ref is given in finish: the row number
	if b.cols["id"] != 0 {
		if id := strings.TrimSpace(foldWidth(get("id"))); id != "" {
			ref := refOf(id)
			switch {
			case ref == "":
				b.fail("id", row, KeyBadID, id)
				ok = false
			case b.ids[ref] != "":
				b.fail("id", row, KeyDuplicateID, b.ids[ref])
				ok = false
			default:
				b.ids[ref] = b.cell("id", row)
				q.Ref = ref
			}
			auto = false
		}
	}

	if w := strings.TrimSpace(foldWidth(get("weight"))); w != "" {
		v, err := strconv.ParseFloat(w, 64)
		switch {
		case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
			b.fail("weight", row, KeyWeightNumber, w)
			ok = false
		case v < 0:
			b.fail("weight", row, KeyWeightNegative, w)
			ok = false
		case v != math.Trunc(v) || v < 1 || v > 100:
			b.fail("weight", row, KeyWeightRange, w)
			ok = false
		default:
			q.Weight = int(v)
		}
	}

	if help, good := b.text("help", row, get("help"), maxHelpRunes, true); !good {
		ok = false
	} else if help != "" {
		q.Help = b.bi(help)
	}

	if choices, good := b.text("choices", row, get("choices"), maxHelpRunes, true); !good {
		ok = false
	} else if choices != "" {
		cs, key, arg := parseChoices(choices, b.meta.Lang)
		if key != "" {
			if arg != "" {
				b.fail("choices", row, key, arg)
			} else {
				b.fail("choices", row, key)
			}
			ok = false
		} else {
			q.Kind, q.Choices = renkei.QuestionSingle, cs
		}
	}

	var level string
	if raw := strings.TrimSpace(get("level")); raw != "" {
		name, good := b.text("level", row, raw, maxTitleRunes, false)
		code := levelCode(name)
		switch {
		case !good:
			ok = false
		case code == "":
			b.fail("level", row, KeyLevel, name)
			ok = false
		default:
			level = code
			if b.levels[code] == "" {
				b.levels[code] = name
			}
		}
	}

	if !ok {
		return nil
	}
	if sec < 0 {
		title := "全般"
		if b.meta.Lang == "en" {
			title = "General"
		}
		sec = len(b.sections)
		b.sectionAt[title] = sec
		b.sections = append(b.sections, renkei.Section{Ref: "s" + strconv.Itoa(sec+1), Title: b.bi(title)})
		b.sectionRow = append(b.sectionRow, row)
		b.rows = append(b.rows, nil)
	}
	b.current = sec
	q.Level = level
	b.kept = append(b.kept, keptRow{row: row, code: level, sec: sec, idx: len(b.sections[sec].Questions), auto: auto})
	b.sections[sec].Questions = append(b.sections[sec].Questions, q)
	b.rows[sec] = append(b.rows[sec], row)
	return nil
}

// refOf makes a question ref of an ID: kept when it is one, else its
// runs of other characters turned into "-" ("1)" → "1", "A 1" → "A-1");
// "" when nothing usable is left.
func refOf(id string) string {
	if refPattern.MatchString(id) {
		return id
	}
	s := strings.Trim(badRefChars.ReplaceAllString(id, "-"), "-._")
	if !refPattern.MatchString(s) {
		return ""
	}
	return s
}

// levelCode makes a level code of a level cell: "Lv1", "レベル1",
// "Level 1" → "lv1"; "★3" → "star3"; "" when nothing usable is left.
func levelCode(s string) string {
	s = strings.ToLower(foldWidth(s))
	for _, r := range [...][2]string{{"レベル", "lv"}, {"level", "lv"}, {"lv.", "lv"}, {"★", "star"}, {"☆", "star"}, {" ", ""}} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	if !codePattern.MatchString(s) {
		return ""
	}
	return s
}

// splitChoices splits a list of choices at 、 / ／ ; ； | and line breaks.
func splitChoices(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '、', '/', '／', ';', '；', '|', '｜', '\n', '\r':
			return true
		}
		return false
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseChoices turns a list of choices into the choices of a single-choice
// question: either every choice has its points written after it
// ("はい(2)/いいえ(0)") or none has, and the first earns 1 point, the last
// 0 and those between their share. It returns a message key (and its
// argument) when the list cannot be used.
func parseChoices(s, lang string) ([]renkei.Choice, string, string) {
	parts := splitChoices(s)
	if len(parts) < 2 || len(parts) > renkei.MaxQuestionChoices {
		return nil, KeyChoiceFormat, ""
	}
	out := make([]renkei.Choice, len(parts))
	explicit := 0
	seen := map[string]bool{}
	for i, p := range parts {
		label := p
		var pts float64
		if m := explicitPoints.FindStringSubmatch(foldWidth(p)); m != nil && strings.TrimSpace(m[1]) != "" {
			v, err := strconv.ParseFloat(m[2], 64)
			if err != nil || v < -1000 || v > 1000 {
				return nil, KeyChoicePoints, p
			}
			label, pts = strings.TrimSpace(m[1]), v
			explicit++
		}
		if utf8.RuneCountInString(label) > maxTitleRunes {
			return nil, KeyTooLong, ""
		}
		if seen[label] {
			return nil, KeyChoiceDuplicate, label
		}
		seen[label] = true
		c := renkei.Choice{Value: strconv.Itoa(i + 1), Points: pts}
		if lang == "en" {
			c.Label.EN = label
		} else {
			c.Label.JA = label
		}
		out[i] = c
	}
	switch explicit {
	case len(out):
	case 0:
		n := float64(len(out) - 1)
		for i := range out {
			out[i].Points = math.Round((n-float64(i))/n*100) / 100
		}
	default:
		return nil, KeyChoiceFormat, ""
	}
	return out, "", ""
}

func (b *builder) finish() (*renkei.Template, []CellError, error) {
	t := b.meta.template()
	t.Sections = b.sections
	if len(b.levels) > 0 {
		codes := make([]string, 0, len(b.levels))
		for c := range b.levels {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		if len(codes) > renkei.MaxTemplateLevels {
			for _, u := range b.kept {
				if u.code == codes[renkei.MaxTemplateLevels] {
					b.fail("level", u.row, KeyLevel, b.levels[u.code])
					break
				}
			}
		}
		for _, c := range codes {
			t.Levels = append(t.Levels, renkei.Level{Code: c, Name: b.bi(b.levels[c])})
		}
		for _, u := range b.kept {
			if u.code == "" {
				b.fail("level", u.row, KeyLevelNeeded)
			}
		}
	}
	// A question without an ID is known by its row number ("row12" when
	// another question's ID is that number).
	for _, u := range b.kept {
		if u.auto {
			ref := strconv.Itoa(u.row)
			if b.ids[ref] != "" {
				ref = "row" + ref
			}
			b.ids[ref] = b.cell("id", u.row)
			b.sections[u.sec].Questions[u.idx].Ref = ref
		}
	}
	if len(b.errs) == 0 {
		if b.count == 0 {
			return nil, nil, renkei.Errorf(renkei.EINVALID, KeyNoQuestions)
		}
		b.mapValidation(t.Validate())
	}
	if len(b.errs) > 0 {
		return nil, b.sorted(), nil
	}
	return t, nil, nil
}

// mapValidation turns the problems Template.Validate finds into cell
// errors: sections[i].questions[j].FIELD is the row of that question and
// the column of FIELD; sections[i].title the row that named the section.
func (b *builder) mapValidation(err error) {
	var e *renkei.Error
	if !errors.As(err, &e) {
		if err != nil {
			b.errs = append(b.errs, CellError{Cell: "A1", Row: 1, Key: KeyInvalid, Args: []any{err.Error()}})
		}
		return
	}
	for path, key := range e.Fields {
		var i, j int
		var rest string
		switch {
		case scan(path, "sections[%d].questions[%d].%s", &i, &j, &rest) && i < len(b.rows) && j < len(b.rows[i]):
			field := "question"
			switch {
			case strings.HasPrefix(rest, "ref"):
				field = "id"
			case strings.HasPrefix(rest, "choices"):
				field = "choices"
			case strings.HasPrefix(rest, "help"):
				field = "help"
			case strings.HasPrefix(rest, "weight"):
				field = "weight"
			case strings.HasPrefix(rest, "level"):
				field = "level"
			}
			b.fail(field, b.rows[i][j], KeyInvalid, key)
		case scan(path, "sections[%d].%s", &i, &rest) && i < len(b.sectionRow):
			b.fail("section", b.sectionRow[i], KeyInvalid, key)
		default:
			b.errs = append(b.errs, CellError{Cell: "A1", Row: 1, Key: KeyInvalid, Args: []any{key}})
		}
	}
}

func (b *builder) sorted() []CellError {
	sort.SliceStable(b.errs, func(x, y int) bool {
		ex, ey := b.errs[x], b.errs[y]
		if ex.Row != ey.Row {
			return ex.Row < ey.Row
		}
		return len(ex.Cell) < len(ey.Cell) || len(ex.Cell) == len(ey.Cell) && ex.Cell < ey.Cell
	})
	if len(b.errs) > MaxErrors {
		b.errs = append(b.errs[:MaxErrors], CellError{Cell: b.errs[MaxErrors].Cell, Row: b.errs[MaxErrors].Row, Key: KeyTooManyErrors, Args: []any{MaxErrors}})
	}
	return b.errs
}

// scan matches path against format, as fmt.Sscanf, wholly.
func scan(path, format string, args ...any) bool {
	n, err := fmt.Sscanf(path, format, args...)
	return err == nil && n == len(args)
}
