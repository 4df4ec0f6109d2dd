package renkei

import (
	"fmt"
	"sort"
)

// Risk is a partner's inherent risk: what could reach us through it before
// any of its security measures are considered. The score is the sum of the
// points of the factors that apply, capped at 100; every factor that adds
// points is a reason, in Japanese and English.
type Risk struct {
	Score   int          `json:"score"`
	Tier    string       `json:"tier"` // high, medium, low
	Reasons []RiskReason `json:"reasons"`
}

// RiskReason is one factor that applied.
type RiskReason struct {
	Factor string `json:"factor"`
	Points int    `json:"points"`
	JA     string `json:"ja"`
	EN     string `json:"en"`
}

// Tiers.
const (
	TierHigh   = "high"
	TierMedium = "medium"
	TierLow    = "low"
)

// Levels to require (METI supply-chain security evaluation scheme).
const (
	LevelStar1 = "star1"
	LevelStar2 = "star2"
	LevelStar3 = "star3"
	LevelStar4 = "star4"
)

// riskFactor is one rule: when it applies and what it says.
type riskFactor struct {
	Code    string
	Default int
	Applies func(p *Partner) bool
	JA, EN  string
}

// riskFactors are the rules, in the order their reasons are listed.
// Defaults weigh what the survey found reaches companies through partners:
// network connections, data handed over, software and systems delivered.
var riskFactors = []riskFactor{
	{"reaches_internal_network", 20, func(p *Partner) bool { return p.Profile.ReachesInternalNetwork },
		"取引先の環境から自社の社内ネットワークやシステムに到達できる", "The partner's environment can reach our internal network or systems"},
	{"handles_confidential_on_own_it", 15, func(p *Partner) bool { return p.Profile.HandlesConfidentialOnOwnIT },
		"自社の重要な機密情報を取引先自身のITで扱っている", "The partner handles our important confidential information on its own IT"},
	{"outage_unacceptable", 15, func(p *Partner) bool { return p.Profile.OutageUnacceptable },
		"取引先の停止で自社の事業に許容できない遅れが生じる", "An outage at the partner would delay our business unacceptably"},
	{"site_to_site", 10, func(p *Partner) bool { return contains(p.Profile.NetworkAccess, "site_to_site") },
		"拠点間でネットワーク接続している", "There is a site-to-site network connection"},
	{"remote_maintenance", 10, func(p *Partner) bool { return contains(p.Profile.NetworkAccess, "remote_maintenance") },
		"リモート保守で自社の機器やシステムに接続する", "The partner connects to our equipment or systems for remote maintenance"},
	{"onsite_devices", 5, func(p *Partner) bool { return contains(p.Profile.NetworkAccess, "onsite_devices") },
		"取引先の端末や媒体を自社内に持ち込む", "The partner brings devices or media onto our sites"},
	{"sensitive_personal_data", 10, func(p *Partner) bool { return p.Profile.SensitivePersonalData },
		"要配慮個人情報を預けている", "We hand over sensitive personal information"},
	{"personal_data_over_1000", 10, func(p *Partner) bool { return p.Profile.PersonalDataCount > 1000 },
		"1,000人を超える個人情報を預けている（漏えい時は個人情報保護委員会への報告対象）", "We hand over personal information of more than 1,000 people (a leak must be reported to the PPC)"},
	{"personal_data", 5, func(p *Partner) bool { return p.Profile.PersonalData },
		"個人情報を預けている", "We hand over personal information"},
	{"confidential_technical", 10, func(p *Partner) bool { return p.Profile.ConfidentialTechnical },
		"技術情報や図面などの機密情報を預けている", "We hand over confidential technical information or drawings"},
	{"financial_data", 5, func(p *Partner) bool { return p.Profile.FinancialData },
		"財務情報を預けている", "We hand over financial information"},
	{"embedded_software", 10, func(p *Partner) bool { return contains(p.Profile.Provides, "embedded_software") },
		"自社製品に組み込むソフトウェアを提供している", "The partner provides software built into our products"},
	{"it_operations", 10, func(p *Partner) bool { return contains(p.Profile.Provides, "it_operations") },
		"自社のITの運用・保守を担っている", "The partner operates or maintains our IT"},
	{"it_systems", 5, func(p *Partner) bool { return contains(p.Profile.Provides, "it_systems") },
		"ITシステムや機器を納入している", "The partner delivers IT systems or equipment"},
	{"saas", 5, func(p *Partner) bool { return contains(p.Profile.Provides, "saas") },
		"SaaS・クラウドサービスを提供している", "The partner provides SaaS or cloud services"},
	{"bpo", 5, func(p *Partner) bool { return contains(p.Profile.Provides, "bpo") },
		"業務を委託している", "We outsource business processes to the partner"},
	{"outage_stops_business", 10, func(p *Partner) bool { return p.Profile.OutageStopsBusiness },
		"取引先が止まると自社の事業が止まる", "Our business stops when the partner stops"},
	{"no_alternative", 5, func(p *Partner) bool { return p.Profile.OutageStopsBusiness && !p.Profile.HasAlternative },
		"代わりの取引先がない", "There is no alternative partner"},
	{"critical_infrastructure", 10, func(p *Partner) bool { return p.Profile.CriticalInfrastructure },
		"重要インフラ向けの自社製品がこの取引先に依存している", "Our products for critical infrastructure depend on the partner"},
	{"subcontracts", 5, func(p *Partner) bool { return p.Profile.Subcontracts },
		"取引先がさらに再委託している", "The partner subcontracts further"},
	{"overseas", 5, func(p *Partner) bool {
		return p.Type == PartnerOverseas || (p.Company.Country != "" && p.Company.Country != "JP")
	},
		"海外の拠点・企業である（法制度や監督の違い）", "The partner is overseas (different laws and oversight)"},
}

// RiskFactorCodes lists the factors in order (for settings pages).
func RiskFactorCodes() []string {
	out := make([]string, len(riskFactors))
	for i, f := range riskFactors {
		out[i] = f.Code
	}
	return out
}

// RiskPolicy is an organization's adjustable rule set.
type RiskPolicy struct {
	// Weights overrides the default points per factor (0 turns a factor off).
	Weights map[string]int `json:"weights"`
	// HighAt and MediumAt are the tier thresholds (defaults 60 and 30).
	HighAt   int `json:"high_at"`
	MediumAt int `json:"medium_at"`
	// SmallSupplierLevel, when star1 or star2, is accepted instead of star3
	// for a supplier with at most SmallSupplierMaxEmployees employees whose
	// tier is not high and to whom no METI question applies.
	SmallSupplierLevel        string `json:"small_supplier_level"`
	SmallSupplierMaxEmployees int    `json:"small_supplier_max_employees"`
}

// DefaultRiskPolicy is used until an organization sets its own.
func DefaultRiskPolicy() RiskPolicy { return RiskPolicy{HighAt: 60, MediumAt: 30} }

// Validate checks the policy.
func (rp *RiskPolicy) Validate() error {
	fields := map[string]string{}
	known := map[string]bool{}
	for _, f := range riskFactors {
		known[f.Code] = true
	}
	for code, w := range rp.Weights {
		if !known[code] {
			fields["weights."+code] = "field.unknown"
		} else if w < 0 || w > 100 {
			fields["weights."+code] = "field.weight"
		}
	}
	if rp.HighAt == 0 && rp.MediumAt == 0 {
		rp.HighAt, rp.MediumAt = 60, 30
	}
	if rp.MediumAt < 1 || rp.HighAt <= rp.MediumAt || rp.HighAt > 100 {
		fields["high_at"] = "field.thresholds"
	}
	switch rp.SmallSupplierLevel {
	case "":
	case LevelStar1, LevelStar2:
		if rp.SmallSupplierMaxEmployees < 1 {
			fields["small_supplier_max_employees"] = "field.number"
		}
	default:
		fields["small_supplier_level"] = "field.level"
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

func (rp RiskPolicy) weight(f riskFactor) int {
	if w, ok := rp.Weights[f.Code]; ok {
		return w
	}
	return f.Default
}

// AssessRisk computes the partner's inherent risk under the policy.
func (rp RiskPolicy) AssessRisk(p *Partner) Risk {
	var r Risk
	for _, f := range riskFactors {
		w := rp.weight(f)
		if w == 0 || !f.Applies(p) {
			continue
		}
		r.Score += w
		r.Reasons = append(r.Reasons, RiskReason{Factor: f.Code, Points: w, JA: f.JA, EN: f.EN})
	}
	if r.Score > 100 {
		r.Score = 100
	}
	sort.SliceStable(r.Reasons, func(i, j int) bool { return r.Reasons[i].Points > r.Reasons[j].Points })
	high, medium := rp.HighAt, rp.MediumAt
	if high == 0 {
		high, medium = 60, 30
	}
	switch {
	case r.Score >= high:
		r.Tier = TierHigh
	case r.Score >= medium:
		r.Tier = TierMedium
	default:
		r.Tier = TierLow
	}
	if r.Reasons == nil {
		r.Reasons = []RiskReason{}
	}
	return r
}

// RequiredLevel decides the level to require, with its reason: star4 when
// any of the three METI questions is answered yes, otherwise star3; the
// organization's small-supplier rule may accept star1 or star2.
func (rp RiskPolicy) RequiredLevel(p *Partner, tier string) (string, RiskReason) {
	pr := p.Profile
	if pr.HandlesConfidentialOnOwnIT || pr.OutageUnacceptable || pr.ReachesInternalNetwork {
		var ja, en []string
		if pr.HandlesConfidentialOnOwnIT {
			ja, en = append(ja, "重要な機密情報を自社のITで扱う"), append(en, "handles our confidential information on its own IT")
		}
		if pr.OutageUnacceptable {
			ja, en = append(ja, "停止すると許容できない遅れが生じる"), append(en, "its outage would cause an unacceptable delay")
		}
		if pr.ReachesInternalNetwork {
			ja, en = append(ja, "社内ネットワークに到達できる"), append(en, "can reach our internal network")
		}
		return LevelStar4, RiskReason{Factor: "required_level", JA: "★4を求めます: " + joinJA(ja), EN: "star 4 is required: " + joinEN(en)}
	}
	if rp.SmallSupplierLevel != "" && p.Type == PartnerSupplier && tier != TierHigh &&
		p.Company.Employees > 0 && p.Company.Employees <= rp.SmallSupplierMaxEmployees {
		n := rp.SmallSupplierLevel[len(rp.SmallSupplierLevel)-1:]
		return rp.SmallSupplierLevel, RiskReason{Factor: "required_level",
			JA: fmt.Sprintf("★%sで可とします: 従業員%d人以下の小規模な仕入先で、★4の条件に当たらないため（組織の規則）", n, rp.SmallSupplierMaxEmployees),
			EN: fmt.Sprintf("star %s is accepted: a small supplier of at most %d employees to which no star-4 condition applies (organization rule)", n, rp.SmallSupplierMaxEmployees)}
	}
	return LevelStar3, RiskReason{Factor: "required_level", JA: "★3を求めます: ★4の条件（機密情報を自社ITで扱う、停止が許容できない、社内ネットワークに到達できる）に当たらないため",
		EN: "star 3 is required: none of the star-4 conditions (confidential information on its own IT, unacceptable outage, reach into our network) applies"}
}

func joinJA(parts []string) string {
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += "、"
		}
		s += p
	}
	return s
}

func joinEN(parts []string) string {
	s := ""
	for i, p := range parts {
		switch {
		case i == 0:
		case i == len(parts)-1:
			s += " and "
		default:
			s += ", "
		}
		s += p
	}
	return s
}

// Evaluate sets the partner's inherent risk and required level under the
// policy. It is called on every change to the partner's profile.
func (rp RiskPolicy) Evaluate(p *Partner) {
	p.Risk = rp.AssessRisk(p)
	p.Required, p.RequiredReason = rp.RequiredLevel(p, p.Risk.Tier)
}
