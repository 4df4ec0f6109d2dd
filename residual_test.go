package renkei

import (
	"slices"
	"testing"
)

func TestResidualTable(t *testing.T) {
	starLevels := []Level{{Code: LevelStar3}, {Code: LevelStar4}}
	scored := func(total float64, status string, levels ...LevelResult) *Assessment {
		return &Assessment{ID: "a1", Status: status, Score: &Result{Total: total, Max: 100, Levels: levels}}
	}
	reached := LevelResult{Level: LevelStar3, Met: 25, Applicable: 25, Reached: true}
	missed := LevelResult{Level: LevelStar3, Met: 22, Applicable: 25}
	cases := []struct {
		name   string
		in     ResidualInput
		tier   string
		result string
		reason string // one key that must be among the reasons
	}{
		{"not assessed keeps inherent", ResidualInput{Inherent: TierHigh, Required: LevelStar4}, TierHigh, ResultNotAssessed, "residual.reason.not_assessed"},
		{"not submitted is not assessed", ResidualInput{Inherent: TierLow, Assessment: &Assessment{Status: AssessmentInProgress}}, TierLow, ResultNotAssessed, "residual.reason.not_assessed"},
		{"high, good result", ResidualInput{Inherent: TierHigh, Required: LevelStar3, Levels: starLevels, Assessment: scored(92, AssessmentReviewed, reached)}, TierMedium, ResultGood, "residual.reason.level_reached"},
		{"high, fair result", ResidualInput{Inherent: TierHigh, Assessment: scored(70, AssessmentReviewed)}, TierHigh, ResultFair, "residual.reason.total_fair"},
		{"medium, good result", ResidualInput{Inherent: TierMedium, Assessment: scored(80, AssessmentReviewed)}, TierLow, ResultGood, "residual.reason.total_good"},
		{"medium, fair by open high", ResidualInput{Inherent: TierMedium, Assessment: scored(96, AssessmentReviewed), OpenHigh: 1}, TierMedium, ResultFair, "residual.reason.open_high"},
		{"medium, poor by level", ResidualInput{Inherent: TierMedium, Required: LevelStar3, Levels: starLevels, Assessment: scored(88, AssessmentReviewed, missed)}, TierHigh, ResultPoor, "residual.reason.level_not_reached"},
		{"medium, poor by total", ResidualInput{Inherent: TierMedium, Assessment: scored(49, AssessmentSubmitted)}, TierHigh, ResultPoor, "residual.reason.total_low"},
		{"low, poor by overdue", ResidualInput{Inherent: TierLow, Assessment: scored(100, AssessmentReviewed), Overdue: 2}, TierMedium, ResultPoor, "residual.reason.overdue"},
		{"low, fair stays low", ResidualInput{Inherent: TierLow, Assessment: scored(50, AssessmentReviewed)}, TierLow, ResultFair, "residual.reason.total_fair"},
		{"submitted only says so", ResidualInput{Inherent: TierLow, Assessment: scored(100, AssessmentSubmitted)}, TierLow, ResultGood, "residual.reason.not_reviewed"},
		{"negative total is 0 %", ResidualInput{Inherent: TierLow, Assessment: scored(-25, AssessmentReviewed)}, TierMedium, ResultPoor, "residual.reason.total_low"},
		{"unknown tier as medium", ResidualInput{Inherent: "", Assessment: scored(90, AssessmentReviewed)}, TierLow, ResultGood, "residual.reason.result_good"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Residual(c.in)
			if r.Gap.Required != c.in.Required {
				t.Fatalf("gap names %q, want the required %q", r.Gap.Required, c.in.Required)
			}
			if r.Tier != c.tier || r.Result != c.result {
				t.Fatalf("tier %s result %s, want %s %s (%+v)", r.Tier, r.Result, c.tier, c.result, r)
			}
			keys := []string{}
			for _, x := range r.Reasons {
				keys = append(keys, x.Key)
			}
			if !slices.Contains(keys, c.reason) || keys[0] != "residual.reason.inherent" {
				t.Fatalf("reasons %v lack %s", keys, c.reason)
			}
		})
	}
}

func TestGap(t *testing.T) {
	star := []Level{{Code: LevelStar3}, {Code: LevelStar4}}
	lv := []Level{{Code: "lv1"}, {Code: "lv2"}, {Code: "lv3"}}
	cases := []struct {
		name     string
		required string
		levels   []Level
		results  []LevelResult
		want     LevelGap
	}{
		{"star4 missing 3", LevelStar4, star, []LevelResult{{Level: LevelStar3, Met: 25, Applicable: 25, Reached: true}, {Level: LevelStar4, Met: 16, Applicable: 19}},
			LevelGap{Required: LevelStar4, Measured: true, Reached: LevelStar3, Unmet: 3}},
		{"star3 met", LevelStar3, star, []LevelResult{{Level: LevelStar3, Met: 25, Applicable: 25, Reached: true}, {Level: LevelStar4, Met: 1, Applicable: 19}},
			LevelGap{Required: LevelStar3, Measured: true, Met: true, Reached: LevelStar3}},
		{"star1 met by star3", LevelStar1, star, []LevelResult{{Level: LevelStar3, Met: 25, Applicable: 25, Reached: true}},
			LevelGap{Required: LevelStar1, Measured: true, Met: true, Reached: LevelStar3}},
		{"star2 unknown when star3 missed", LevelStar2, star, []LevelResult{{Level: LevelStar3, Met: 2, Applicable: 25}},
			LevelGap{Required: LevelStar2}},
		{"no levels", LevelStar3, nil, nil, LevelGap{Required: LevelStar3}},
		{"other scale", LevelStar3, lv, []LevelResult{{Level: "lv1", Met: 3, Applicable: 3, Reached: true}}, LevelGap{Required: LevelStar3, Reached: "lv1"}},
	}
	for _, c := range cases {
		if got := Gap(c.required, c.levels, c.results); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	if LevelLabel(LevelStar4) != "★4" || LevelLabel("lv2") != "Lv2" || LevelLabel("x") != "x" {
		t.Fatal("labels")
	}
}
