package renkei

import "fmt"

// Residual risk: what is left of a partner's inherent risk once its latest
// assessment is taken into account. The rule is a small table, written out
// in docs/review-and-remediation.md:
//
//  1. The latest assessment's result is graded:
//     - poor: the required level is measured and not reached, or the total
//     is under 50 % of its maximum, or a remediation item is overdue;
//     - good: none of those, the total is at least 80 %, and no high
//     finding is left open (a high finding with an open remediation item,
//     or none yet);
//     - fair: anything else.
//  2. The grade moves the inherent tier (ResidualTable): good lowers it one
//     step, poor raises it one step (high stays high), fair keeps it.
//  3. With no submitted assessment the residual risk is the inherent one,
//     with the reason "not assessed".
//
// Every rule that applied is a reason, as a message key with arguments,
// so that the page and the API say it in Japanese or English.

// Residual grades of an assessment result.
const (
	ResultGood        = "good"
	ResultFair        = "fair"
	ResultPoor        = "poor"
	ResultNotAssessed = "not_assessed"
)

// Thresholds of the grading, in percent of the template's maximum.
const (
	ResidualGoodPercent = 80
	ResidualPoorPercent = 50
)

// ResidualTable is the residual tier by inherent tier and result grade.
var ResidualTable = map[string]map[string]string{
	TierHigh:   {ResultGood: TierMedium, ResultFair: TierHigh, ResultPoor: TierHigh},
	TierMedium: {ResultGood: TierLow, ResultFair: TierMedium, ResultPoor: TierHigh},
	TierLow:    {ResultGood: TierLow, ResultFair: TierLow, ResultPoor: TierMedium},
}

// Reason is one rule that applied, as a message key of the i18n catalog
// and its arguments.
type Reason struct {
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// ResidualInput is what the rule reads: the partner's inherent tier and
// required level, and its latest assessment (reviewed if there is one,
// else the latest submitted), if any.
type ResidualInput struct {
	Inherent string // TierHigh, TierMedium or TierLow
	Required string // the partner's required level (star1…star4)
	// Assessment is nil when nothing was submitted yet.
	Assessment *Assessment
	Levels     []Level // the assessment's template's levels
	OpenHigh   int     // high findings without a closed remediation item
	Overdue    int     // open remediation items past their due date
}

// ResidualRisk is the outcome, with the reasons in the order the rule read
// them.
type ResidualRisk struct {
	Tier         string   `json:"tier"`
	Inherent     string   `json:"inherent"`
	Result       string   `json:"result"`
	AssessmentID string   `json:"assessment_id,omitempty"`
	Percent      int      `json:"percent"`
	Gap          LevelGap `json:"gap"`
	OpenHigh     int      `json:"open_high_findings"`
	Overdue      int      `json:"overdue_remediations"`
	Reasons      []Reason `json:"reasons"`
}

// Residual applies the rule to in.
func Residual(in ResidualInput) ResidualRisk {
	inherent := in.Inherent
	if _, ok := ResidualTable[inherent]; !ok {
		inherent = TierMedium // an unknown tier is treated as the middle one
	}
	r := ResidualRisk{Inherent: inherent, Tier: inherent, Result: ResultNotAssessed, OpenHigh: in.OpenHigh, Overdue: in.Overdue,
		Gap: LevelGap{Required: in.Required}}
	r.Reasons = []Reason{{Key: "residual.reason.inherent", Args: []any{inherent}}}
	a := in.Assessment
	if a == nil || a.Score == nil {
		r.Reasons = append(r.Reasons, Reason{Key: "residual.reason.not_assessed"})
		return r
	}
	r.AssessmentID = a.ID
	if a.Status != AssessmentReviewed {
		r.Reasons = append(r.Reasons, Reason{Key: "residual.reason.not_reviewed"})
	}
	r.Gap = Gap(in.Required, in.Levels, a.Score.Levels)
	if a.Score.Max > 0 {
		r.Percent = int(a.Score.Total * 100 / a.Score.Max)
	}
	if r.Percent < 0 {
		r.Percent = 0
	}
	poor, good := false, true
	if r.Gap.Measured && !r.Gap.Met {
		poor = true
		r.Reasons = append(r.Reasons, Reason{Key: "residual.reason.level_not_reached", Args: []any{LevelLabel(in.Required), r.Gap.Unmet}})
	} else if r.Gap.Measured {
		r.Reasons = append(r.Reasons, Reason{Key: "residual.reason.level_reached", Args: []any{LevelLabel(in.Required)}})
	}
	switch {
	case r.Percent < ResidualPoorPercent:
		poor = true
		r.Reasons = append(r.Reasons, Reason{Key: "residual.reason.total_low", Args: []any{r.Percent, ResidualPoorPercent}})
	case r.Percent < ResidualGoodPercent:
		good = false
		r.Reasons = append(r.Reasons, Reason{Key: "residual.reason.total_fair", Args: []any{r.Percent, ResidualGoodPercent}})
	default:
		r.Reasons = append(r.Reasons, Reason{Key: "residual.reason.total_good", Args: []any{r.Percent}})
	}
	if in.Overdue > 0 {
		poor = true
		r.Reasons = append(r.Reasons, Reason{Key: "residual.reason.overdue", Args: []any{in.Overdue}})
	}
	if in.OpenHigh > 0 {
		good = false
		r.Reasons = append(r.Reasons, Reason{Key: "residual.reason.open_high", Args: []any{in.OpenHigh}})
	}
	switch {
	case poor:
		r.Result = ResultPoor
	case good:
		r.Result = ResultGood
	default:
		r.Result = ResultFair
	}
	r.Tier = ResidualTable[inherent][r.Result]
	r.Reasons = append(r.Reasons, Reason{Key: "residual.reason.result_" + r.Result, Args: []any{inherent, r.Tier}})
	return r
}

// LevelGap is the level an assessment reached against the level the
// partner is required to reach.
type LevelGap struct {
	Required string `json:"required"`
	// Measured is false when the template does not measure the required
	// level (a self-check without levels, for one).
	Measured bool `json:"measured"`
	Met      bool `json:"met"`
	// Reached is the highest level of the template reached ("" for none).
	Reached string `json:"reached"`
	// Unmet counts the applicable questions of the required level and the
	// levels below it that are not met.
	Unmet int `json:"unmet"`
}

// starRank orders the METI levels; a template that measures ★3 and ★4
// also answers for ★1 and ★2, which are below them.
var starRank = map[string]int{LevelStar1: 1, LevelStar2: 2, LevelStar3: 3, LevelStar4: 4}

// Gap compares the levels reached (results, in the order of levels, lowest
// first) with the required level.
func Gap(required string, levels []Level, results []LevelResult) LevelGap {
	g := LevelGap{Required: required}
	byCode := map[string]LevelResult{}
	for _, r := range results {
		byCode[r.Level] = r
		if r.Reached {
			g.Reached = r.Level
		}
	}
	for _, l := range levels {
		r, ok := byCode[l.Code]
		if !ok {
			continue
		}
		g.Unmet += r.Applicable - r.Met
		if l.Code == required {
			g.Measured, g.Met = true, r.Reached
			break
		}
	}
	if g.Measured {
		return g
	}
	g.Unmet = 0
	// ★1/★2 required, the template measures a higher star level: reaching
	// that one meets it; not reaching it says nothing about ★1/★2.
	if rank, ok := starRank[required]; ok {
		for _, r := range results {
			if rr, star := starRank[r.Level]; star && rr >= rank && r.Reached {
				g.Measured, g.Met = true, true
			}
		}
	}
	return g
}

// LevelLabel is a level as people write it: ★3 for star3, Lv2 for lv2.
func LevelLabel(code string) string {
	if rank, ok := starRank[code]; ok {
		return fmt.Sprintf("★%d", rank)
	}
	if len(code) == 3 && code[:2] == "lv" {
		return "Lv" + code[2:]
	}
	return code
}
