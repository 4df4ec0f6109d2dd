package renkei

import "slices"

// CampaignFilter chooses a campaign's partners from the organization's
// non-archived ones: a partner matches when it matches every list that is
// not empty, and a list matches when the partner's value is one of it. An
// empty filter matches every partner.
type CampaignFilter struct {
	Types []string `json:"types"`
	// Tiers are inherent risk tiers: high, medium, low (risk.go).
	Tiers []string `json:"tiers"`
	// RequiredLevels are METI levels: star1…star4.
	RequiredLevels []string `json:"required_levels"`
	Industries     []string `json:"industries"`
	Departments    []string `json:"departments"`
}

// Tiers and levels a filter may name.
var (
	campaignTiers  = []string{TierHigh, TierMedium, TierLow}
	campaignLevels = []string{LevelStar1, LevelStar2, LevelStar3, LevelStar4}
)

// maxFilterValues bounds each list: no list of the vocabulary is longer.
const maxFilterValues = 30

// Validate drops duplicate values, sorts them, makes absent lists empty,
// and returns an error per list that holds an unknown value, keyed by the
// list's JSON name.
func (f *CampaignFilter) Validate() map[string]string {
	fields := map[string]string{}
	check := func(name string, vals *[]string, ok func(string) bool) {
		if *vals == nil {
			*vals = []string{} // an empty list, never null, in JSON
		}
		slices.Sort(*vals)
		*vals = slices.Compact(*vals)
		if len(*vals) > maxFilterValues {
			fields[name] = "field.filter_value"
			return
		}
		for _, v := range *vals {
			if !ok(v) {
				fields[name] = "field.filter_value"
				return
			}
		}
	}
	check("types", &f.Types, func(v string) bool { return ValidTerm(ListPartnerType, v) })
	check("tiers", &f.Tiers, func(v string) bool { return slices.Contains(campaignTiers, v) })
	check("required_levels", &f.RequiredLevels, func(v string) bool { return slices.Contains(campaignLevels, v) })
	check("industries", &f.Industries, func(v string) bool { return ValidTerm(ListIndustry, v) })
	check("departments", &f.Departments, func(v string) bool { return ValidTerm(ListDepartment, v) })
	return fields
}

// Matches reports whether a partner with these values matches the filter;
// the store applies the same rule in SQL, and tests hold the two together.
func (f *CampaignFilter) Matches(p *Partner) bool {
	in := func(vals []string, v string) bool { return len(vals) == 0 || slices.Contains(vals, v) }
	return in(f.Types, p.Type) && in(f.Tiers, p.Risk.Tier) && in(f.RequiredLevels, p.Required) &&
		in(f.Industries, p.Company.Industry) && in(f.Departments, p.Department)
}
