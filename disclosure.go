package renkei

import "time"

// Whether to tell the public is, the survey found (2-3), mostly decided
// case by case. A DisclosurePolicy fixes in peacetime which of the
// survey's reasons count, and Recommend applies it to an incident: a
// recommendation with its reasons, which the people who decide then
// accept or overrule (DisclosureDecision).

// Reasons to disclose and not to, as the survey's respondents gave them.
const (
	DiscloseMisuse     = "personal_data_misuse" // personal data may be misused
	DiscloseSpread     = "harm_spreading"       // to stop harm spreading to other organizations
	DiscloseLarge      = "large_effect"         // a large effect on our services or production
	DiscloseInsurer    = "insurer_requires"
	DiscloseParent     = "parent_requires"
	WithholdNoPersonal = "no_personal_data"
	WithholdNoEffect   = "no_large_effect"
	WithholdSecondary  = "secondary_harm" // disclosure could invite secondary harm
)

// DisclosureReasonsFor and DisclosureReasonsAgainst list the reasons in
// the order they are shown.
var (
	DisclosureReasonsFor     = []string{DiscloseMisuse, DiscloseSpread, DiscloseLarge, DiscloseInsurer, DiscloseParent}
	DisclosureReasonsAgainst = []string{WithholdNoPersonal, WithholdNoEffect, WithholdSecondary}
)

var disclosureTexts = map[string]Bilingual{
	DiscloseMisuse:     {"個人情報が悪用されるおそれがある", "Personal data may be misused"},
	DiscloseSpread:     {"他の組織へ被害が広がるのを防ぐ必要がある", "Harm may spread to other organizations"},
	DiscloseLarge:      {"自社のサービスや生産への影響が大きい", "The effect on our services or production is large"},
	DiscloseInsurer:    {"保険会社が公表を求めている", "The insurer requires disclosure"},
	DiscloseParent:     {"親会社が公表を求めている", "The parent company requires disclosure"},
	WithholdNoPersonal: {"個人情報が含まれていない", "No personal data is involved"},
	WithholdNoEffect:   {"影響が大きくない", "The effect is not large"},
	WithholdSecondary:  {"公表により二次被害を招くおそれがある", "Disclosure could invite secondary harm"},
}

// DisclosureReasonText returns a reason's words.
func DisclosureReasonText(code string) Bilingual { return disclosureTexts[code] }

// DisclosurePolicy is an organization's rule, set in advance: which
// reasons count, and the standing requirements of its insurer and parent.
type DisclosurePolicy struct {
	Version         int      `json:"version"`
	For             []string `json:"for"`     // reasons to disclose that count
	Against         []string `json:"against"` // reasons not to disclose that count
	InsurerRequires bool     `json:"insurer_requires"`
	ParentRequires  bool     `json:"parent_requires"`
	// Note is the policy in the organization's own words.
	Note string `json:"note"`
}

// DefaultDisclosurePolicy counts every reason the survey found.
func DefaultDisclosurePolicy() DisclosurePolicy {
	return DisclosurePolicy{Version: 1,
		For:     append([]string{}, DisclosureReasonsFor...),
		Against: append([]string{}, DisclosureReasonsAgainst...)}
}

// Validate checks the policy's reason codes.
func (p DisclosurePolicy) Validate() error {
	f := map[string]string{}
	for _, c := range p.For {
		if !contains(DisclosureReasonsFor, c) {
			f["for"] = "disclosure.reason_unknown"
		}
	}
	for _, c := range p.Against {
		if !contains(DisclosureReasonsAgainst, c) {
			f["against"] = "disclosure.reason_unknown"
		}
	}
	if len(p.Note) > 4000 || unsafeText(p.Note, true) {
		f["note"] = "disclosure.note_invalid"
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// Recommendations.
const (
	RecommendDisclose  = "disclose"   // reasons to disclose, none against
	RecommendConsider  = "consider"   // reasons both ways, or none at all: people weigh them
	RecommendNotNeeded = "not_needed" // only reasons not to
)

// DisclosureRecommendation is the policy applied to one incident.
type DisclosureRecommendation struct {
	Outcome       string   `json:"outcome"`
	For           []string `json:"for"`
	Against       []string `json:"against"`
	PolicyVersion int      `json:"policy_version"`
}

// Recommend applies the policy to the incident. sharedOthers counts other
// partners that use a compromised shared service.
func (p DisclosurePolicy) Recommend(in *Incident, sharedOthers int) DisclosureRecommendation {
	holds := map[string]bool{
		DiscloseMisuse: in.PersonalData.Involved() &&
			(in.PersonalData.Financial || in.PersonalData.UnauthorizedPurpose || in.PersonalData.Sensitive),
		DiscloseSpread:     sharedOthers > 0 || in.Type == "shared_service" || in.Type == "emotet",
		DiscloseLarge:      in.ServiceImpact == "major",
		DiscloseInsurer:    p.InsurerRequires,
		DiscloseParent:     p.ParentRequires,
		WithholdNoPersonal: !in.PersonalData.Involved(),
		WithholdNoEffect:   in.ServiceImpact == "none" || in.ServiceImpact == "minor",
		WithholdSecondary:  in.SecondaryHarmRisk,
	}
	r := DisclosureRecommendation{PolicyVersion: p.Version}
	for _, c := range DisclosureReasonsFor {
		if contains(p.For, c) && holds[c] {
			r.For = append(r.For, c)
		}
	}
	for _, c := range DisclosureReasonsAgainst {
		if contains(p.Against, c) && holds[c] {
			r.Against = append(r.Against, c)
		}
	}
	switch {
	case len(r.For) > 0 && len(r.Against) == 0:
		r.Outcome = RecommendDisclose
	case len(r.For) == 0 && len(r.Against) > 0:
		r.Outcome = RecommendNotNeeded
	default:
		r.Outcome = RecommendConsider
	}
	return r
}

// DisclosureDecision records what people decided, who and when, next to
// the recommendation they had before them.
type DisclosureDecision struct {
	Disclose       bool                     `json:"disclose"`
	Reason         string                   `json:"reason"`
	Recommendation DisclosureRecommendation `json:"recommendation"`
	DecidedBy      string                   `json:"decided_by"`
	DecidedAt      time.Time                `json:"decided_at"`
}

// Validate requires the decision's reason in words.
func (d DisclosureDecision) Validate() error {
	switch {
	case d.Reason == "":
		return Invalid(map[string]string{"reason": "disclosure.reason_required"})
	case len(d.Reason) > 4000 || unsafeText(d.Reason, true):
		return Invalid(map[string]string{"reason": "disclosure.note_invalid"})
	}
	return nil
}
