package assessmentxlsx

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/internal/sheetcell"
	"github.com/xuri/excelize/v2"
)

// yesNoWord is a yes/no answer with the labels the export writes and the
// other spellings Read accepts.
type yesNoWord struct {
	Code     string
	JA, EN   string
	Synonyms []string
}

var yesNoWords = []yesNoWord{
	{renkei.AnswerYes, "はい", "Yes", []string{"y", "実施している", "実施"}},
	{renkei.AnswerPartly, "一部", "Partly", []string{"一部実施", "部分的", "一部のみ", "partial", "partially"}},
	{renkei.AnswerNo, "いいえ", "No", []string{"n", "実施していない", "未実施"}},
	{renkei.AnswerUnknown, "わからない", "Don't know", []string{"分からない", "不明", "unknown", "do not know"}},
	{renkei.AnswerNA, "該当しない", "Not applicable", []string{"該当なし", "対象外", "n/a", "na"}},
}

// yesNoLookup maps every accepted spelling, exact and normalized, to its
// code.
var yesNoLookup = func() map[string]string {
	m := map[string]string{}
	for _, w := range yesNoWords {
		for _, s := range append([]string{w.Code, w.JA, w.EN}, w.Synonyms...) {
			m[s] = w.Code
			m[normValue(s)] = w.Code
		}
	}
	return m
}()

func yesNoLabel(code, lang string) string {
	for _, w := range yesNoWords {
		if w.Code == code {
			if lang == "en" {
				return w.EN
			}
			return w.JA
		}
	}
	return code
}

// cleanText prepares a free-text cell as read: line breaks unified and
// the neutralization undone; other spaces are kept, so that the round trip
// gives the same text. Only space is blank.
func cleanText(v string) string {
	if strings.IndexByte(v, '\r') >= 0 {
		v = strings.ReplaceAll(v, "\r\n", "\n")
		v = strings.ReplaceAll(v, "\r", "\n")
	}
	if strings.TrimSpace(v) == "" {
		return ""
	}
	return unneutralize(v)
}

// cleanCode prepares a coded cell (a choice, number, date, ref): trimmed
// and the neutralization undone.
func cleanCode(v string) string {
	return unneutralize(strings.TrimFunc(v, unicode.IsSpace))
}

// shown shortens a cell value for a message.
func shown(v string) string {
	const max = 40
	if utf8.RuneCountInString(v) <= max {
		return v
	}
	r := []rune(v)
	return string(r[:max]) + "…"
}

// choices holds how a question's choices are read and written.
type choices struct {
	exact, folded map[string]string
	// seps is the most separators any label holds, so that reading a
	// multiple choice can join parts of a split label back.
	seps int
}

func newChoices(q *renkei.Question, lang string) *choices {
	c := &choices{exact: map[string]string{}, folded: map[string]string{}}
	other := "en"
	if lang == "en" {
		other = "ja"
	}
	add := func(s, v string) {
		if s == "" {
			return
		}
		if _, ok := c.exact[s]; !ok {
			c.exact[s] = v
		}
		if n := normValue(s); n != "" {
			if _, ok := c.folded[n]; !ok {
				c.folded[n] = v
			}
		}
	}
	// Codes first, then the labels of the export's language, then the
	// other language: the first spelling wins.
	for _, ch := range q.Choices {
		add(ch.Value, ch.Value)
	}
	for _, l := range []string{lang, other} {
		for _, ch := range q.Choices {
			add(ch.Label.Label(l), ch.Value)
		}
	}
	for _, ch := range q.Choices {
		for _, l := range []string{ch.Label.JA, ch.Label.EN} {
			if n := countSeps(l); n > c.seps {
				c.seps = n
			}
		}
	}
	return c
}

func (c *choices) find(s string) (string, bool) {
	if v, ok := c.exact[s]; ok {
		return v, true
	}
	v, ok := c.folded[normValue(s)]
	return v, ok
}

func isSep(r rune) bool {
	switch r {
	case ';', '；', '、', '\n', '\r':
		return true
	}
	return false
}

func countSeps(s string) int {
	n := 0
	for _, r := range s {
		if isSep(r) {
			n++
		}
	}
	return n
}

// splitMulti reads a multiple choice cell: values separated by ; 、 or
// line breaks, each a code or a label. A label holding a separator is
// found by joining neighbouring parts back. It returns the values in the
// order given, without repeats, or the part it could not read.
func (c *choices) splitMulti(s string) ([]string, string, bool) {
	var parts, seps []string
	start := 0
	for i, r := range s {
		if isSep(r) {
			parts = append(parts, s[start:i])
			seps = append(seps, string(r))
			start = i + utf8.RuneLen(r)
		}
	}
	parts = append(parts, s[start:])
	var out []string
	for i := 0; i < len(parts); {
		if strings.TrimSpace(parts[i]) == "" {
			i++
			continue
		}
		found := false
		for j := min(len(parts)-1, i+c.seps); j >= i; j-- {
			var b strings.Builder
			for k := i; k <= j; k++ {
				if k > i {
					b.WriteString(seps[k-1])
				}
				b.WriteString(parts[k])
			}
			if v, ok := c.find(cleanCode(b.String())); ok {
				if !contains(out, v) {
					out = append(out, v)
				}
				i, found = j+1, true
				break
			}
		}
		if !found {
			return nil, strings.TrimSpace(parts[i]), false
		}
	}
	return out, "", true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// choiceCell is the cell text of a choice: its label, or its code when the
// label would read back as another choice.
func (c *choices) choiceCell(q *renkei.Question, value, lang string) string {
	for _, ch := range q.Choices {
		if ch.Value == value {
			l := ch.Label.Label(lang)
			if v, ok := c.find(cleanCode(l)); ok && v == value {
				return l
			}
			return value
		}
	}
	return value
}

// multiCell writes the chosen values separated by "; ", by label when
// that reads back the same, else by code.
func (c *choices) multiCell(q *renkei.Question, values []string, lang string) string {
	labels := make([]string, len(values))
	for i, v := range values {
		labels[i] = c.choiceCell(q, v, lang)
	}
	s := strings.Join(labels, "; ")
	if got, _, ok := c.splitMulti(s); ok && equalStrings(got, values) {
		return s
	}
	return strings.Join(values, "; ")
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var numberPattern = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// parseNumber reads a number: digits (full-width too), with thousands
// separators, an optional sign, decimals and exponent.
func parseNumber(s string) (float64, bool) {
	s = foldWidth(s)
	s = strings.Map(func(r rune) rune {
		if r == ',' || unicode.IsSpace(r) {
			return -1
		}
		if r == '−' || r == '‐' || r == 'ー' {
			return '-'
		}
		return r
	}, s)
	if !numberPattern.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

var datePattern = regexp.MustCompile(`^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?$`)

// parseDate reads a date: an Excel serial number (what a date cell holds)
// or text as YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年M月D日.
func parseDate(s string, date1904 bool) (string, bool) {
	s = foldWidth(s)
	if m := datePattern.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Year() != y || int(t.Month()) != mo || t.Day() != d {
			return "", false
		}
		return t.Format(time.DateOnly), true
	}
	if !numberPattern.MatchString(s) {
		return "", false
	}
	f, err := strconv.ParseFloat(s, 64)
	// 1 is 1900-01-01; 2958465 is 9999-12-31.
	if err != nil || f < 1 || f >= 2958466 {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(math.Floor(f), date1904)
	if err != nil {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// dateSerial is the Excel serial number of a YYYY-MM-DD date (1900 date
// system), or false when it is not one.
func dateSerial(d string) (float64, bool) {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil || t.Year() < 1901 {
		return 0, false
	}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return float64(t.Sub(epoch) / (24 * time.Hour)), true
}

// The cell helpers every spreadsheet adapter shares.
var (
	foldWidth    = sheetcell.FoldWidth
	normValue    = sheetcell.NormValue
	neutralize   = sheetcell.Neutralize
	unneutralize = sheetcell.Unneutralize
)
