package renkei

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Company is a legal entity, one record however many organizations it is
// a partner of. It is matched by Corporate Number when it has one.
type Company struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	NameKana        string    `json:"name_kana"`
	CorporateNumber string    `json:"corporate_number"` // 13 digits, or "" (overseas, sole proprietors)
	Country         string    `json:"country"`          // ISO 3166-1 alpha-2, "JP" by default
	Industry        string    `json:"industry"`         // survey category a–q
	Employees       int       `json:"employees"`        // 0 = unknown
	RevenueBand     string    `json:"revenue_band"`
	Listed          bool      `json:"listed"`
	WebDomain       string    `json:"web_domain"`
	MailDomain      string    `json:"mail_domain"`
	NameKey         string    `json:"-"` // NormalizeCompanyName(Name)
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Revenue bands (annual revenue, yen).
var RevenueBands = []string{"", "lt_100m", "100m_1b", "1b_10b", "10b_100b", "ge_100b"}

// Validate normalizes and checks a company; field names are prefixed with
// prefix (e.g. "company.") in the error.
func (c *Company) Validate(prefix string) map[string]string {
	fields := map[string]string{}
	c.Name = strings.TrimSpace(c.Name)
	c.NameKana = strings.TrimSpace(c.NameKana)
	c.CorporateNumber = strings.TrimSpace(toASCIIDigits(c.CorporateNumber))
	c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
	c.WebDomain = normalizeDomain(c.WebDomain)
	c.MailDomain = normalizeDomain(c.MailDomain)
	if c.Country == "" {
		c.Country = "JP"
	}
	switch {
	case c.Name == "":
		fields[prefix+"name"] = "field.required"
	case utf8.RuneCountInString(c.Name) > 200 || hasControl(c.Name):
		fields[prefix+"name"] = "field.text"
	}
	if utf8.RuneCountInString(c.NameKana) > 200 || hasControl(c.NameKana) {
		fields[prefix+"name_kana"] = "field.text"
	}
	if c.CorporateNumber != "" && !ValidCorporateNumber(c.CorporateNumber) {
		fields[prefix+"corporate_number"] = "field.corporate_number"
	}
	if len(c.Country) != 2 || c.Country[0] < 'A' || c.Country[0] > 'Z' || c.Country[1] < 'A' || c.Country[1] > 'Z' {
		fields[prefix+"country"] = "field.country"
	}
	if c.Industry != "" && !ValidTerm(ListIndustry, c.Industry) {
		fields[prefix+"industry"] = "field.industry"
	}
	if c.Employees < 0 || c.Employees > 10_000_000 {
		fields[prefix+"employees"] = "field.employees"
	}
	if !contains(RevenueBands, c.RevenueBand) {
		fields[prefix+"revenue_band"] = "field.revenue_band"
	}
	if c.WebDomain != "" && !validDomain(c.WebDomain) {
		fields[prefix+"web_domain"] = "field.domain"
	}
	if c.MailDomain != "" && !validDomain(c.MailDomain) {
		fields[prefix+"mail_domain"] = "field.domain"
	}
	c.NameKey = NormalizeCompanyName(c.Name)
	return fields
}

// legalForms are words that say what kind of company it is, not which:
// they are dropped when names are compared.
var legalForms = []string{
	"株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "一般社団法人", "一般財団法人",
	"公益社団法人", "公益財団法人", "(株)", "(有)", "(同)", "㈱", "㈲",
	"co.,ltd.", "co., ltd.", "co.ltd.", "corporation", "corp.", "inc.", "ltd.", "llc", "gmbh", "k.k.",
}

// NormalizeCompanyName reduces a company name to a key for spotting
// duplicates: full-width letters and digits become ASCII, case is folded,
// legal forms, spaces and punctuation are dropped. 「株式会社 ＡＢＣ製作所」
// and "ABC製作所(株)" share a key.
func NormalizeCompanyName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			r -= 0xFEE0
		case r == 0x3000: // ideographic space
			r = ' '
		}
		b.WriteRune(unicode.ToLower(r))
	}
	s := b.String()
	for _, f := range legalForms {
		s = strings.ReplaceAll(s, f, "")
	}
	b.Reset()
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func toASCIIDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		if r == '-' || r == '－' || r == ' ' {
			return -1
		}
		return r
	}, s)
}

func normalizeDomain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".")
	return s
}

func validDomain(s string) bool {
	if len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}
