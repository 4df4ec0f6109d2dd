package renkei

import (
	"fmt"
	"strings"
)

// The facts duty rules may test. Each has a kind and a phrase that becomes
// the reason shown with the duty.
type factKind int

const (
	factBool factKind = iota + 1
	factNumber
	factWord
)

var factKinds = map[string]factKind{
	"personal_data.involved":             factBool,
	"personal_data.sensitive":            factBool,
	"personal_data.financial":            factBool,
	"personal_data.unauthorized_purpose": factBool,
	"personal_data.persons":              factNumber,
	"affects.our_data":                   factBool,
	"affects.our_network":                factBool,
	"affects.our_products":               factBool,
	"type":                               factWord,
	"org.industry":                       factWord,
	"org.isac_member":                    factBool,
	"org.cyber_insurance":                factBool,
	"org.group_company":                  factBool,
	"partner.linked":                     factBool,
	"partner.reporting_hours":            factNumber,
	"shared_service.others":              factNumber,
	"always":                             factBool,
}

// factTexts are the reasons, in both languages; number and word facts
// take their threshold or value with %v.
var factTexts = map[string]Bilingual{
	"personal_data.involved":             {"個人データが漏えい（またはそのおそれ）", "Personal data leaked or may have leaked"},
	"personal_data.sensitive":            {"要配慮個人情報が含まれる（1人でも）", "Sensitive personal data is involved (even one person)"},
	"personal_data.financial":            {"不正利用で財産的被害が生じるおそれがある（1人でも）", "Misuse may cause financial harm (even one person)"},
	"personal_data.unauthorized_purpose": {"不正の目的によるおそれがある（1人でも）", "It may have been done for an unauthorized purpose (even one person)"},
	"personal_data.persons":              {"本人の数が%v人を超える", "More than %v persons are involved"},

	"affects.our_data":        {"自社のデータに影響するおそれがある", "Our data may be affected"},
	"affects.our_network":     {"自社のネットワークに影響するおそれがある", "Our network may be affected"},
	"affects.our_products":    {"自社の製品に影響するおそれがある", "Our products may be affected"},
	"type":                    {"インシデントの種類が「%v」", "The incident is of kind %v"},
	"org.industry":            {"自社の業種が「%v」", "Our industry is %v"},
	"org.isac_member":         {"業界のISACに加盟している", "We are a member of an industry ISAC"},
	"org.cyber_insurance":     {"サイバー保険に加入している", "We hold cyber insurance"},
	"org.group_company":       {"グループ会社として親会社への報告がある", "As a group company we report to headquarters"},
	"partner.linked":          {"取引先で起きたインシデント", "The incident happened at a partner"},
	"partner.reporting_hours": {"契約で取引先の報告期限が決まっている", "The partner's contract sets a time to report"},
	"shared_service.others":   {"同じサービスを使う他の取引先が%v社を超える", "More than %v other partners use the same service"},
	"always":                  {"すべてのインシデント", "Every incident"},
}

// known reports whether the condition names a fact and tests it in a way
// that fits its kind.
func (c DutyCondition) known() bool {
	switch factKinds[c.Fact] {
	case factBool:
		return c.Gt == nil && len(c.In) == 0
	case factNumber:
		return c.Gt != nil && len(c.In) == 0
	case factWord:
		return c.Gt == nil && len(c.In) > 0
	}
	return false
}

// holds tests the condition and returns its reason.
func (c DutyCondition) holds(f IncidentFacts) (Bilingual, bool) {
	t := factTexts[c.Fact]
	switch factKinds[c.Fact] {
	case factBool:
		return t, c.Gt == nil && len(c.In) == 0 && boolFact(f, c.Fact)
	case factNumber:
		n, ok := numberFact(f, c.Fact)
		if !ok || c.Gt == nil || n <= *c.Gt {
			return Bilingual{}, false
		}
		return t.fill(thousands(*c.Gt)), true
	case factWord:
		w := wordFact(f, c.Fact)
		if w == "" || !contains(c.In, w) {
			return Bilingual{}, false
		}
		if label, ok := IncidentTypeLabels[w]; ok && c.Fact == "type" {
			return Bilingual{JA: fmt.Sprintf(t.JA, label.JA), EN: fmt.Sprintf(t.EN, label.EN)}, true
		}
		return t.fill(w), true
	}
	return Bilingual{}, false
}

// fill puts v into a phrase that has a place for it.
func (t Bilingual) fill(v any) Bilingual {
	if !strings.Contains(t.JA, "%v") {
		return t
	}
	return Bilingual{fmt.Sprintf(t.JA, v), fmt.Sprintf(t.EN, v)}
}

func boolFact(f IncidentFacts, name string) bool {
	in := f.Incident
	switch name {
	case "personal_data.involved":
		return in.PersonalData.Involved()
	case "personal_data.sensitive":
		return in.PersonalData.Sensitive
	case "personal_data.financial":
		return in.PersonalData.Financial
	case "personal_data.unauthorized_purpose":
		return in.PersonalData.UnauthorizedPurpose
	case "affects.our_data":
		return in.Affects.OurData
	case "affects.our_network":
		return in.Affects.OurNetwork
	case "affects.our_products":
		return in.Affects.OurProducts
	case "partner.linked":
		return in.PartnerID != ""
	case "always":
		return true
	}
	if flag, ok := strings.CutPrefix(name, "org."); ok {
		return contains(f.OrgFlags, flag)
	}
	return false
}

func numberFact(f IncidentFacts, name string) (int, bool) {
	switch name {
	case "personal_data.persons":
		return f.Incident.PersonalData.Persons, true
	case "partner.reporting_hours":
		return f.PartnerReportingHours, true
	case "shared_service.others":
		return f.SharedServiceOthers, true
	}
	return 0, false
}

func wordFact(f IncidentFacts, name string) string {
	switch name {
	case "type":
		return f.Incident.Type
	case "org.industry":
		return f.OrgIndustry
	}
	return ""
}

// thousands writes n with a comma every three digits (1,000), as the law
// and the pages write it.
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}
