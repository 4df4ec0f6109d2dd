// Package sheetcell holds what every reader and writer of spreadsheet
// cells in Renkei does the same way: folding character widths for
// matching, and neutralizing text that a spreadsheet could take for a
// formula (CSV/formula injection).
package sheetcell

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FoldWidth maps full-width ASCII to ASCII and half-width katakana to
// full-width (NFKC), for matching and for cells that are ASCII by nature.
func FoldWidth(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return norm.NFKC.String(s)
		}
	}
	return s
}

// NormValue folds a coded cell for matching: widths and case folded,
// spaces and punctuation dropped.
func NormValue(s string) string {
	s = strings.ToLower(FoldWidth(s))
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsPunct(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// formulaStart reports whether a cell starting with r could be taken for
// a formula (or DDE) by a spreadsheet.
func formulaStart(r rune) bool {
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		return true
	}
	return false
}

// needsQuote reports whether s, after any leading single quotes, starts
// like a formula. Counting through the quotes makes the round trip
// lossless for text that itself starts with a quote.
func needsQuote(s string) bool {
	s = strings.TrimLeft(s, "'")
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return formulaStart(r)
}

// Neutralize prefixes a single quote to text a spreadsheet could take for
// a formula.
func Neutralize(s string) string {
	if needsQuote(s) {
		return "'" + s
	}
	return s
}

// Unneutralize undoes Neutralize.
func Unneutralize(s string) string {
	if len(s) > 1 && s[0] == '\'' && needsQuote(s[1:]) {
		return s[1:]
	}
	return s
}
