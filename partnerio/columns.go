package partnerio

import (
	"strconv"
	"strings"

	"github.com/renkei/renkei"
)

// FormatVersion is the version of the column set described in the package
// documentation and docs/partner-file-format.md. Versions only ever add
// columns or accepted spellings; a header that version 1 reads is read the
// same way by every later version.
const FormatVersion = 1

// kind says how a column's cells are read and written.
type kind int

const (
	kindText     kind = iota // one line of text
	kindFreeText             // text that may span lines (notes, procedure)
	kindASCII                // domains, e-mail addresses, phone numbers: full-width letters and digits folded
	kindCorpNum              // 法人番号
	kindBool
	kindInt
	kindType
	kindDepartment
	kindIndustry
	kindCountry
	kindRevenueBand
	kindProvides      // several codes
	kindNetworkAccess // several codes
	kindReadOnly      // written on export, ignored on import
)

// column is one column of the partner file.
type column struct {
	Key      string   // English header, also the stable name of the column
	JA       string   // Japanese header
	Aliases  []string // other accepted headers (either language)
	Field    string   // the field path Partner.Validate reports, "" for read-only columns
	Kind     kind
	Required bool
	MaxRunes int // the limit Validate applies, for messages; 0 when none applies
	idx      int // position in columns

	text  func(p *renkei.Partner) *string
	flag  func(p *renkei.Partner) *bool
	num   func(p *renkei.Partner) *int
	multi func(p *renkei.Partner) *[]string
	out   func(p *renkei.Partner, lang string) any // read-only columns
}

// Header returns the column's header in lang ("ja" or "en").
func (c *column) Header(lang string) string {
	if lang == "en" {
		return c.Key
	}
	return c.JA
}

func textCol(key, ja, field string, k kind, max int, f func(p *renkei.Partner) *string, aliases ...string) *column {
	return &column{Key: key, JA: ja, Field: field, Kind: k, MaxRunes: max, text: f, Aliases: aliases}
}

func boolCol(key, ja, field string, f func(p *renkei.Partner) *bool, aliases ...string) *column {
	return &column{Key: key, JA: ja, Field: field, Kind: kindBool, flag: f, Aliases: aliases}
}

// columns is the column set, in the order the export writes it.
var columns = []*column{
	textCol("external_id", "取引先コード", "external_id", kindText, 100, func(p *renkei.Partner) *string { return &p.ExternalID },
		"取引先番号", "仕入先コード", "external id", "code", "vendor_code"),
	func() *column {
		c := textCol("name", "企業名", "company.name", kindText, 200, func(p *renkei.Partner) *string { return &p.Company.Name },
			"会社名", "取引先名", "企業名称", "法人名", "company", "company_name")
		c.Required = true
		return c
	}(),
	textCol("name_kana", "企業名カナ", "company.name_kana", kindText, 200, func(p *renkei.Partner) *string { return &p.Company.NameKana },
		"会社名カナ", "企業名かな", "フリガナ", "ふりがな", "カナ"),
	textCol("corporate_number", "法人番号", "company.corporate_number", kindCorpNum, 0, func(p *renkei.Partner) *string { return &p.Company.CorporateNumber }),
	func() *column {
		c := textCol("type", "種別", "type", kindType, 0, func(p *renkei.Partner) *string { return &p.Type },
			"partner_type", "取引先種別", "取引先の種別")
		c.Required = true
		return c
	}(),
	textCol("department", "所管部門", "department", kindDepartment, 0, func(p *renkei.Partner) *string { return &p.Department },
		"担当部門", "管理部門", "主管部門"),
	textCol("industry", "業種", "company.industry", kindIndustry, 0, func(p *renkei.Partner) *string { return &p.Company.Industry }),
	textCol("country", "国", "company.country", kindCountry, 0, func(p *renkei.Partner) *string { return &p.Company.Country },
		"国名", "国・地域", "所在国"),
	{Key: "employees", JA: "従業員数", Field: "company.employees", Kind: kindInt,
		num: func(p *renkei.Partner) *int { return &p.Company.Employees }, Aliases: []string{"従業員", "社員数"}},
	textCol("revenue_band", "売上規模", "company.revenue_band", kindRevenueBand, 0, func(p *renkei.Partner) *string { return &p.Company.RevenueBand },
		"売上高", "年間売上", "年商"),
	boolCol("listed", "上場", "company.listed", func(p *renkei.Partner) *bool { return &p.Company.Listed }, "上場区分", "上場の有無"),
	textCol("web_domain", "Webドメイン", "company.web_domain", kindASCII, 0, func(p *renkei.Partner) *string { return &p.Company.WebDomain },
		"ウェブドメイン", "ホームページ", "website"),
	textCol("mail_domain", "メールドメイン", "company.mail_domain", kindASCII, 0, func(p *renkei.Partner) *string { return &p.Company.MailDomain }),
	{Key: "provides", JA: "提供するもの", Field: "profile.provides", Kind: kindProvides,
		multi: func(p *renkei.Partner) *[]string { return &p.Profile.Provides }, Aliases: []string{"提供内容", "取引内容"}},
	boolCol("personal_data", "個人情報", "profile.personal_data", func(p *renkei.Partner) *bool { return &p.Profile.PersonalData },
		"個人情報の預託", "個人情報を預ける"),
	{Key: "personal_data_count", JA: "個人情報の件数", Field: "profile.personal_data_count", Kind: kindInt,
		num: func(p *renkei.Partner) *int { return &p.Profile.PersonalDataCount }, Aliases: []string{"個人情報件数", "個人情報の人数"}},
	boolCol("sensitive_personal_data", "要配慮個人情報", "profile.sensitive_personal_data", func(p *renkei.Partner) *bool { return &p.Profile.SensitivePersonalData }),
	boolCol("confidential_technical", "技術情報・図面", "profile.confidential_technical", func(p *renkei.Partner) *bool { return &p.Profile.ConfidentialTechnical },
		"技術情報", "機密技術情報"),
	boolCol("financial_data", "財務情報", "profile.financial_data", func(p *renkei.Partner) *bool { return &p.Profile.FinancialData }),
	{Key: "network_access", JA: "ネットワーク接続", Field: "profile.network_access", Kind: kindNetworkAccess,
		multi: func(p *renkei.Partner) *[]string { return &p.Profile.NetworkAccess }, Aliases: []string{"接続方法", "ネットワークアクセス"}},
	boolCol("outage_stops_business", "停止時の事業停止", "profile.outage_stops_business", func(p *renkei.Partner) *bool { return &p.Profile.OutageStopsBusiness },
		"停止すると事業が止まる"),
	boolCol("has_alternative", "代替先の有無", "profile.has_alternative", func(p *renkei.Partner) *bool { return &p.Profile.HasAlternative },
		"代替先", "代替先あり"),
	boolCol("critical_infrastructure", "重要インフラ製品", "profile.critical_infrastructure", func(p *renkei.Partner) *bool { return &p.Profile.CriticalInfrastructure },
		"重要インフラ"),
	boolCol("subcontracts", "再委託", "profile.subcontracts", func(p *renkei.Partner) *bool { return &p.Profile.Subcontracts },
		"再委託の有無"),
	textCol("region", "地域", "profile.region", kindText, 100, func(p *renkei.Partner) *string { return &p.Profile.Region }, "所在地域"),
	boolCol("handles_confidential_on_own_it", "機密情報を自社ITで扱う", "profile.handles_confidential_on_own_it",
		func(p *renkei.Partner) *bool { return &p.Profile.HandlesConfidentialOnOwnIT }),
	boolCol("outage_unacceptable", "停止が許容できない", "profile.outage_unacceptable",
		func(p *renkei.Partner) *bool { return &p.Profile.OutageUnacceptable }),
	boolCol("reaches_internal_network", "社内ネットワークに到達", "profile.reaches_internal_network",
		func(p *renkei.Partner) *bool { return &p.Profile.ReachesInternalNetwork }),
	textCol("business_contact_name", "業務担当者名", "contacts.business.name", kindText, 200, func(p *renkei.Partner) *string { return &p.Contacts.Business.Name }, "業務担当者"),
	textCol("business_contact_email", "業務担当者メール", "contacts.business.email", kindASCII, 0, func(p *renkei.Partner) *string { return &p.Contacts.Business.Email }, "業務担当者メールアドレス"),
	textCol("business_contact_phone", "業務担当者電話", "contacts.business.phone", kindASCII, 40, func(p *renkei.Partner) *string { return &p.Contacts.Business.Phone }, "業務担当者電話番号"),
	textCol("business_contact_language", "業務担当者の言語", "contacts.business.locale", kindASCII, 2, func(p *renkei.Partner) *string { return &p.Contacts.Business.Locale }, "業務担当者言語"),
	textCol("security_contact_name", "セキュリティ担当者名", "contacts.security.name", kindText, 200, func(p *renkei.Partner) *string { return &p.Contacts.Security.Name }, "セキュリティ担当者"),
	textCol("security_contact_email", "セキュリティ担当者メール", "contacts.security.email", kindASCII, 0, func(p *renkei.Partner) *string { return &p.Contacts.Security.Email }, "セキュリティ担当者メールアドレス"),
	textCol("security_contact_phone", "セキュリティ担当者電話", "contacts.security.phone", kindASCII, 40, func(p *renkei.Partner) *string { return &p.Contacts.Security.Phone }, "セキュリティ担当者電話番号"),
	textCol("security_contact_language", "セキュリティ担当者の言語", "contacts.security.locale", kindASCII, 2, func(p *renkei.Partner) *string { return &p.Contacts.Security.Locale }, "セキュリティ担当者言語"),
	textCol("incident_contact_name", "インシデント連絡先名", "contacts.incident.name", kindText, 200, func(p *renkei.Partner) *string { return &p.Contacts.Incident.Name }, "インシデント連絡先"),
	textCol("incident_contact_email", "インシデント連絡先メール", "contacts.incident.email", kindASCII, 0, func(p *renkei.Partner) *string { return &p.Contacts.Incident.Email }, "インシデント連絡先メールアドレス"),
	textCol("incident_contact_phone", "インシデント連絡先電話", "contacts.incident.phone", kindASCII, 40, func(p *renkei.Partner) *string { return &p.Contacts.Incident.Phone }, "インシデント連絡先電話番号"),
	textCol("incident_procedure", "インシデント連絡手順", "contacts.incident_procedure", kindFreeText, 4000, func(p *renkei.Partner) *string { return &p.Contacts.IncidentProcedure }, "連絡手順"),
	textCol("notes", "備考", "notes", kindFreeText, 10000, func(p *renkei.Partner) *string { return &p.Notes }, "メモ", "note", "remarks"),

	// Read-only: written by the export so that a file says what Renkei
	// concluded, ignored by Read so that an exported file imports again.
	{Key: "risk_score", JA: "リスクスコア", Kind: kindReadOnly, out: func(p *renkei.Partner, _ string) any { return p.Risk.Score }},
	{Key: "risk_tier", JA: "リスク区分", Kind: kindReadOnly, out: func(p *renkei.Partner, lang string) any { return label(tierLabels, p.Risk.Tier, lang) }},
	{Key: "required_level", JA: "求める水準", Kind: kindReadOnly, out: func(p *renkei.Partner, lang string) any { return label(levelLabels, p.Required, lang) }},
}

func init() {
	for i, c := range columns {
		c.idx = i
	}
}

// columnByField finds the column that holds a field reported by
// Partner.Validate.
var columnByField = func() map[string]*column {
	m := map[string]*column{}
	for _, c := range columns {
		if c.Field != "" {
			m[c.Field] = c
		}
	}
	return m
}()

// columnByHeader maps every accepted header, normalized, to its column.
var columnByHeader = func() map[string]*column {
	m := map[string]*column{}
	add := func(h string, c *column) {
		k := normHeader(h)
		if prev, dup := m[k]; dup && prev != c {
			panic("partnerio: header " + h + " names two columns")
		}
		m[k] = c
	}
	for _, c := range columns {
		add(c.Key, c)
		add(c.JA, c)
		for _, a := range c.Aliases {
			add(a, c)
		}
	}
	return m
}()

// ColumnInfo describes one column, for pages that explain the format: its
// English and Japanese headers, whether it is required and whether it is
// read-only (export only).
type ColumnInfo struct {
	Key      string `json:"key"`
	JA       string `json:"ja"`
	Required bool   `json:"required"`
	ReadOnly bool   `json:"read_only"`
}

// Columns lists the column set, in export order.
func Columns() []ColumnInfo {
	out := make([]ColumnInfo, len(columns))
	for i, c := range columns {
		out[i] = ColumnInfo{Key: c.Key, JA: c.JA, Required: c.Required, ReadOnly: c.Kind == kindReadOnly}
	}
	return out
}

// columnLetter names the n-th column (0-based) the way spreadsheets do:
// A … Z, AA … .
func columnLetter(n int) string {
	s := ""
	for n++; n > 0; n = (n - 1) / 26 {
		s = string(rune('A'+(n-1)%26)) + s
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

// normHeader folds a header for matching: widths folded, case folded,
// spaces, underscores and hyphens dropped.
func normHeader(s string) string {
	s = foldWidth(s)
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case ' ', '\t', '\u3000', '_', '-', '\n', '\r', '\u00a0':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
