package renkei

import (
	_ "embed"
	"encoding/csv"
	"strings"
)

// The shared vocabulary of Renkei: partner types, departments, the
// survey's 17 industries (with their JSIC groups), attack types,
// requirement kinds, kinds of support, obstacles, disclosure reasons and
// support programs, each with a code and Japanese and English labels.
//
//go:embed vocab/vocabulary.csv
var vocabularyCSV string

// Term is one coded word of the vocabulary.
type Term struct {
	List string `json:"-"`
	Code string `json:"code"`
	JA   string `json:"ja"`
	EN   string `json:"en"`
	Note string `json:"note,omitempty"` // e.g. the JSIC groups of an industry
}

// Label returns the term's label in lang ("ja" by default).
func (t Term) Label(lang string) string {
	if lang == "en" {
		return t.EN
	}
	return t.JA
}

var vocabulary = func() map[string][]Term {
	r := csv.NewReader(strings.NewReader(vocabularyCSV))
	rows, err := r.ReadAll()
	if err != nil {
		panic("renkei: vocabulary.csv: " + err.Error())
	}
	out := map[string][]Term{}
	for _, row := range rows[1:] {
		t := Term{List: row[0], Code: row[1], JA: row[2], EN: row[3], Note: row[4]}
		out[t.List] = append(out[t.List], t)
	}
	return out
}()

// Vocabulary lists. The names are the first column of vocabulary.csv.
const (
	ListPartnerType    = "partner_type"
	ListDepartment     = "department"
	ListIndustry       = "industry"
	ListAttackType     = "attack_type"
	ListRequirement    = "requirement"
	ListSupport        = "support"
	ListChallenge      = "challenge"
	ListDiscloseReason = "disclose_reason"
	ListWithholdReason = "withhold_reason"
	ListSupportProgram = "support_program"
)

// Terms returns one list of the vocabulary, in its published order.
func Terms(list string) []Term { return vocabulary[list] }

// LookupTerm finds a term by list and code.
func LookupTerm(list, code string) (Term, bool) {
	for _, t := range vocabulary[list] {
		if t.Code == code {
			return t, true
		}
	}
	return Term{}, false
}

// ValidTerm reports whether code belongs to list.
func ValidTerm(list, code string) bool {
	_, ok := LookupTerm(list, code)
	return ok
}
