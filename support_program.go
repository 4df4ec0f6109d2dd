package renkei

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

// Support programs: public help a partner can use to close a finding —
// guidelines, self-declarations, service bundles and subsidies. Each
// organization has its own catalog, seeded with SeedSupportPrograms on its
// first read and then edited freely (docs/review-and-remediation.md).
// A finding suggests the programs that match its gap (the control groups
// of its question, its severity) and the partner's size.

// Company sizes the catalog speaks of, by employees. SME follows the
// manufacturing line of Japan's SME Basic Act (300), small the line of a
// small business (20); the seeded programs use them.
const (
	SmallCompanyEmployees = 20
	SMEEmployees          = 300
)

// SupportProgram is one entry of an organization's catalog.
type SupportProgram struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	Code        string    `json:"code"` // the seed it came from; "" for the organization's own
	Name        Bilingual `json:"name"`
	URL         string    `json:"url"`
	Description Bilingual `json:"description"`
	// Groups are the control groups (ControlGroups codes) it helps with;
	// empty for any.
	Groups []string `json:"groups"`
	// Severities are the finding severities it suits; empty for any.
	Severities []string `json:"severities"`
	// MaxEmployees is the largest company it is meant for; 0 for any size.
	MaxEmployees int       `json:"max_employees"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Validate checks the fields a user sets and tidies them.
func (p *SupportProgram) Validate() error {
	f := map[string]string{}
	p.Name.trim()
	p.Description.trim()
	p.URL = strings.TrimSpace(p.URL)
	if p.Name.JA == "" && p.Name.EN == "" {
		f["name"] = "field.required"
	}
	for k, v := range map[string]string{"name.ja": p.Name.JA, "name.en": p.Name.EN} {
		if len(v) > 200 || unsafeText(v, false) {
			f[k] = "field.text"
		}
	}
	for k, v := range map[string]string{"description.ja": p.Description.JA, "description.en": p.Description.EN} {
		if len(v) > 4000 || unsafeText(v, true) {
			f[k] = "field.text"
		}
	}
	if p.URL != "" {
		u, err := url.Parse(p.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(p.URL) > 1000 {
			f["url"] = "field.url"
		}
	}
	p.Groups = tidyCodes(p.Groups)
	for _, g := range p.Groups {
		if !slices.ContainsFunc(ControlGroups, func(t Term) bool { return t.Code == g }) {
			f["groups"] = "field.group"
		}
	}
	p.Severities = tidyCodes(p.Severities)
	for _, s := range p.Severities {
		if s != SeverityHigh && s != SeverityMedium {
			f["severities"] = "field.severity"
		}
	}
	if p.MaxEmployees < 0 || p.MaxEmployees > 10_000_000 {
		f["max_employees"] = "field.employees"
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

func tidyCodes(in []string) []string {
	out := []string{}
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Suits reports whether the program suits a finding with these control
// groups and severity, for a company of employees (0 = unknown, which no
// size rule excludes).
func (p *SupportProgram) Suits(groups []string, severity string, employees int) bool {
	if p.MaxEmployees > 0 && employees > p.MaxEmployees {
		return false
	}
	if len(p.Severities) > 0 && !slices.Contains(p.Severities, severity) {
		return false
	}
	if len(p.Groups) == 0 {
		return true
	}
	for _, g := range groups {
		if slices.Contains(p.Groups, g) {
			return true
		}
	}
	return false
}

// SuggestSupport returns the programs of catalog that suit the finding for
// a company of employees, in catalog order.
func SuggestSupport(catalog []SupportProgram, f Finding, employees int) []SupportProgram {
	out := []SupportProgram{}
	for _, p := range catalog {
		if p.Suits(f.Groups, f.Severity, employees) {
			out = append(out, p)
		}
	}
	return out
}

// FindingGroups are the control groups of a question's controls, in
// ControlGroups order.
func FindingGroups(controls []string) []string {
	seen := map[string]bool{}
	for _, id := range controls {
		if c, ok := LookupControl(id); ok {
			seen[c.Group] = true
		}
	}
	out := []string{}
	for _, g := range ControlGroups {
		if seen[g.Code] {
			out = append(out, g.Code)
		}
	}
	return out
}

// SeedSupportPrograms is the catalog an organization starts with, in our
// own words. The URLs are the programs' public pages; subsidy rounds and
// terms change every year, which the descriptions say.
func SeedSupportPrograms() []SupportProgram {
	return []SupportProgram{
		{Code: "ipa-sme-guideline",
			Name: Bilingual{JA: "中小企業の情報セキュリティ対策ガイドライン（IPA）", EN: "IPA Information Security Guidelines for SMEs"},
			URL:  "https://www.ipa.go.jp/security/guide/sme/about.html",
			Description: Bilingual{
				JA: "IPA が無料で公開している手引きです。経営者がまず決めること、社内で進める対策の手順、規程のひな形がそろっています。どこから手を付けるか迷ったときの出発点になります。",
				EN: "A free guide published by IPA: what management decides first, the steps to take inside the company, and policy templates. A good starting point when it is unclear where to begin."},
			MaxEmployees: SMEEmployees},
		{Code: "security-action-1",
			Name: Bilingual{JA: "SECURITY ACTION ★一つ星", EN: "SECURITY ACTION, one star"},
			URL:  "https://www.ipa.go.jp/security/security-action/",
			Description: Bilingual{
				JA: "「OSやソフトを最新にする」「ウイルス対策ソフトを入れる」など基本の5か条に取り組むと自ら宣言する制度です。申し込みは無料で、まず基本を固めたい小さな会社に向いています。",
				EN: "A self-declaration that the company follows five basic rules, such as keeping software up to date and running anti-virus. Free to join; suits small companies that want the basics in place first."},
			Groups: []string{"gov", "pr"}, Severities: []string{SeverityHigh}, MaxEmployees: SMEEmployees},
		{Code: "security-action-2",
			Name: Bilingual{JA: "SECURITY ACTION ★★二つ星", EN: "SECURITY ACTION, two stars"},
			URL:  "https://www.ipa.go.jp/security/security-action/",
			Description: Bilingual{
				JA: "「5分でできる！情報セキュリティ自社診断」で自社の状況を確かめ、基本方針を定めて外部に公開すると宣言する段階です。方針やルールづくりの不足を埋めるのに役立ちます。",
				EN: "The next step: check the company with IPA's five-minute self-check, set a basic security policy and publish it. Helps where policies and rules are missing."},
			Groups: []string{"gov", "id", "ptn"}, MaxEmployees: SMEEmployees},
		{Code: "otasuketai",
			Name: Bilingual{JA: "サイバーセキュリティお助け隊サービス", EN: "Cybersecurity Otasuketai services"},
			URL:  "https://www.ipa.go.jp/security/sme/otasuketai/",
			Description: Bilingual{
				JA: "見張り（異常の監視）、いざというときの駆けつけ、相談窓口、簡易な保険をまとめて、中小企業向けに手ごろな月額で提供する民間サービスです。IPA が基準を満たすサービスを登録しています。",
				EN: "Private services, registered by IPA against a set standard, that bundle monitoring, on-site help in an incident, a help desk and simple insurance for SMEs at an affordable monthly fee."},
			Groups: []string{"pr", "de", "rs", "rc"}, MaxEmployees: SMEEmployees},
		{Code: "it-subsidy-security",
			Name: Bilingual{JA: "IT導入補助金（セキュリティ対策推進枠）", EN: "IT Introduction Subsidy (security track)"},
			URL:  "https://it-shien.smrj.go.jp/",
			Description: Bilingual{
				JA: "お助け隊サービスなどの利用料の一部が補助される国の制度です。募集の時期や補助率は年度ごとに変わるため、申請前に最新の公募要領を確かめてください。",
				EN: "A national subsidy that covers part of the fee of services such as Otasuketai. Rounds and rates change every year: check the current call before applying."},
			Groups: []string{"pr", "de", "rs", "rc"}, Severities: []string{SeverityHigh}, MaxEmployees: SMEEmployees},
		{Code: "ipa-5min-self-check",
			Name: Bilingual{JA: "5分でできる！情報セキュリティ自社診断（IPA）", EN: "IPA five-minute security self-check"},
			URL:  "https://www.ipa.go.jp/security/guide/sme/5minutes.html",
			Description: Bilingual{
				JA: "25の質問に答えるだけで、自社の弱いところがわかります。結果に合わせた解説書もあり、従業員の少ない会社でもすぐに始められます。",
				EN: "Answer 25 questions to see where the company is weak, with a booklet that explains each point. Easy to start even with very few staff."},
			Groups: []string{"gov", "id", "pr"}, MaxEmployees: SmallCompanyEmployees},
	}
}
