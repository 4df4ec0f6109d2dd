package renkei

import (
	"slices"
	"testing"
)

func codes(ps []SupportProgram) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

func TestSuggestSupportByGapAndSize(t *testing.T) {
	catalog := SeedSupportPrograms()
	for i := range catalog {
		if err := catalog[i].Validate(); err != nil {
			t.Fatalf("seed %s: %v", catalog[i].Code, err)
		}
	}
	cases := []struct {
		name      string
		finding   Finding
		employees int
		want      []string
	}{
		{"small, governance, high", Finding{Severity: SeverityHigh, Groups: []string{"gov"}}, 8,
			[]string{"ipa-sme-guideline", "security-action-1", "security-action-2", "ipa-5min-self-check"}},
		{"small, detect, medium", Finding{Severity: SeverityMedium, Groups: []string{"de"}}, 15,
			[]string{"ipa-sme-guideline", "otasuketai"}},
		{"mid-size, detect, high", Finding{Severity: SeverityHigh, Groups: []string{"de"}}, 120,
			[]string{"ipa-sme-guideline", "otasuketai", "it-subsidy-security"}},
		{"mid-size skips the small-only check", Finding{Severity: SeverityHigh, Groups: []string{"id"}}, 120,
			[]string{"ipa-sme-guideline", "security-action-2"}},
		{"large company: none", Finding{Severity: SeverityHigh, Groups: []string{"pr"}}, 5000, []string{}},
		{"unknown size: size excludes nothing", Finding{Severity: SeverityMedium, Groups: []string{"rc"}}, 0,
			[]string{"ipa-sme-guideline", "otasuketai"}},
		{"no controls: only the programs for any gap", Finding{Severity: SeverityHigh}, 10, []string{"ipa-sme-guideline"}},
	}
	for _, c := range cases {
		if got := codes(SuggestSupport(catalog, c.finding, c.employees)); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSupportProgramValidate(t *testing.T) {
	for field, p := range map[string]SupportProgram{
		"name":           {},
		"url":            {Name: Bilingual{JA: "x"}, URL: "javascript:alert(1)"},
		"groups":         {Name: Bilingual{JA: "x"}, Groups: []string{"nope"}},
		"severities":     {Name: Bilingual{JA: "x"}, Severities: []string{"low"}},
		"max_employees":  {Name: Bilingual{JA: "x"}, MaxEmployees: -1},
		"name.ja":        {Name: Bilingual{JA: "a\u202eb"}},
		"description.en": {Name: Bilingual{JA: "x"}, Description: Bilingual{EN: "a\x00b"}},
	} {
		err := p.Validate()
		e, ok := err.(*Error)
		if !ok || e.Fields[field] == "" {
			t.Errorf("%s: %v", field, err)
		}
	}
	ok := SupportProgram{Name: Bilingual{JA: " 自治体の補助金 "}, URL: "https://example.jp/", Groups: []string{"pr", "pr", " "}}
	if err := ok.Validate(); err != nil || ok.Name.JA != "自治体の補助金" || !slices.Equal(ok.Groups, []string{"pr"}) {
		t.Fatalf("%v %+v", err, ok)
	}
}

func TestFindingGroups(t *testing.T) {
	cs := Controls()
	var pr, gov string
	for _, c := range cs {
		if c.Group == "pr" && pr == "" {
			pr = c.ID
		}
		if c.Group == "gov" && gov == "" {
			gov = c.ID
		}
	}
	if got := FindingGroups([]string{pr, gov, pr, "ctl.nope"}); !slices.Equal(got, []string{"gov", "pr"}) {
		t.Fatalf("%v", got)
	}
}

func TestReminderKindAndOwner(t *testing.T) {
	for _, c := range []struct{ due, today, want string }{
		{"2026-12-10", "2026-12-02", ""},
		{"2026-12-10", "2026-12-03", ReminderBefore},
		{"2026-12-10", "2026-12-10", ReminderBefore},
		{"2026-12-10", "2026-12-11", ReminderOverdue},
		{"", "2026-12-11", ""},
		{"bad", "2026-12-11", ""},
	} {
		if got := ReminderKind(c.due, c.today); got != c.want {
			t.Errorf("ReminderKind(%s, %s) = %q, want %q", c.due, c.today, got, c.want)
		}
	}
	for owner, want := range map[string]string{"sato@example.jp": "sato@example.jp", " it@example.co.jp ": "it@example.co.jp",
		"情報システム部": "", "Sato <sato@example.jp>": "", "": ""} {
		if got := OwnerEmail(owner); got != want {
			t.Errorf("OwnerEmail(%q) = %q", owner, got)
		}
	}
}
