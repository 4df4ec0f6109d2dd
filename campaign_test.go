package renkei

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCampaignPrepare(t *testing.T) {
	cases := []struct {
		name      string
		c         Campaign
		fields    map[string]string
		reminders []int
	}{
		{"defaults", Campaign{DueDate: "2026-12-31"}, map[string]string{}, []int{14, 7, 3, 1}},
		{"sorted, deduplicated", Campaign{DueDate: "2026-12-31", Reminders: []int{1, 30, 1, 0}}, map[string]string{}, []int{30, 1, 0}},
		{"explicitly none", Campaign{DueDate: "2026-12-31", Reminders: []int{}}, map[string]string{}, []int{}},
		{"bad date", Campaign{DueDate: "2026-02-30"}, map[string]string{"due_date": "field.date"}, []int{14, 7, 3, 1}},
		{"negative reminder", Campaign{DueDate: "2026-12-31", Reminders: []int{-1}}, map[string]string{"reminders": "field.reminders"}, []int{-1}},
		{"reminder over a year", Campaign{DueDate: "2026-12-31", Reminders: []int{366}}, map[string]string{"reminders": "field.reminders"}, []int{366}},
		{"too many reminders", Campaign{DueDate: "2026-12-31", Reminders: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}, map[string]string{"reminders": "field.reminders"}, []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
		{"recurrence", Campaign{DueDate: "2026-12-31", Recurrence: "monthly"}, map[string]string{"recurrence": "field.recurrence"}, []int{14, 7, 3, 1}},
		{"name with control", Campaign{DueDate: "2026-12-31", Name: "a\x07b"}, map[string]string{"name": "field.text"}, []int{14, 7, 3, 1}},
		{"filter", Campaign{DueDate: "2026-12-31", Filter: &CampaignFilter{Tiers: []string{"extreme"}, Types: []string{"supplier"}}},
			map[string]string{"filter.tiers": "field.filter_value"}, []int{14, 7, 3, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			got := c.Prepare()
			if !reflect.DeepEqual(got, tc.fields) {
				t.Errorf("fields = %v, want %v", got, tc.fields)
			}
			if !reflect.DeepEqual(c.Reminders, tc.reminders) {
				t.Errorf("reminders = %v, want %v", c.Reminders, tc.reminders)
			}
		})
	}
}

func TestCampaignFilter(t *testing.T) {
	bad := map[string]CampaignFilter{
		"types":           {Types: []string{"vendor"}},
		"tiers":           {Tiers: []string{"High"}},
		"required_levels": {RequiredLevels: []string{"star5"}},
		"industries":      {Industries: []string{"z"}},
		"departments":     {Departments: []string{"sales"}},
	}
	for field, f := range bad {
		if got := f.Validate(); got[field] != "field.filter_value" || len(got) != 1 {
			t.Errorf("%s: %v", field, got)
		}
	}
	f := CampaignFilter{Tiers: []string{"low", "high", "high"}}
	if got := f.Validate(); len(got) != 0 || !reflect.DeepEqual(f.Tiers, []string{"high", "low"}) {
		t.Errorf("valid filter: %v, tiers %v", got, f.Tiers)
	}
	p := &Partner{Type: PartnerSupplier, Department: "procurement", Required: LevelStar4, Risk: Risk{Tier: TierHigh}, Company: Company{Industry: "d"}}
	matches := []struct {
		f    CampaignFilter
		want bool
	}{
		{CampaignFilter{}, true},
		{CampaignFilter{Tiers: []string{TierHigh, TierMedium}}, true},
		{CampaignFilter{Tiers: []string{TierLow}}, false},
		{CampaignFilter{Types: []string{PartnerSupplier}, Industries: []string{"d"}, Departments: []string{"procurement"}, RequiredLevels: []string{LevelStar4}}, true},
		{CampaignFilter{Types: []string{PartnerSupplier}, Industries: []string{"e"}}, false},
		{CampaignFilter{Departments: []string{"legal"}}, false},
		{CampaignFilter{RequiredLevels: []string{LevelStar3}}, false},
	}
	for i, m := range matches {
		if got := m.f.Matches(p); got != m.want {
			t.Errorf("%d: Matches = %v, want %v", i, got, m.want)
		}
	}
}

func TestCampaignMailsDue(t *testing.T) {
	// Sent 2026-11-01, due 2026-12-01, reminders 14, 7, 3, 1.
	rem := []int{14, 7, 3, 1}
	cases := []struct {
		today string
		want  string // "key/days" joined, "" for none
	}{
		{"2026-11-01", ""},
		{"2026-11-16", ""},
		{"2026-11-17", "reminder_14/14"},
		{"2026-11-20", "reminder_14/14"}, // the latest due stays the 14-day one (the log drops it)
		{"2026-11-24", "reminder_7/7"},
		{"2026-11-28", "reminder_3/3"},
		{"2026-11-30", "reminder_1/1"},
		{"2026-12-01", "reminder_1/1"},
		{"2026-12-02", "overdue/1"},
		{"2026-12-03", "overdue/2"},
		{"2026-12-04", "overdue/3 escalation/3"},
		{"2027-01-04", "overdue/34 escalation/34"},
	}
	for _, tc := range cases {
		got := ""
		for _, m := range CampaignMailsDue("2026-11-01", "2026-12-01", tc.today, rem) {
			if got != "" {
				got += " "
			}
			got += fmt.Sprintf("%s/%d", m.Key, m.Days)
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.today, got, tc.want)
		}
	}
	// A campaign sent five days before its due date: the 14- and 7-day
	// reminders fall before it was sent and are never due.
	if got := CampaignMailsDue("2026-11-26", "2026-12-01", "2026-11-27", rem); len(got) != 0 {
		t.Errorf("before the 3-day reminder: %v", got)
	}
	if got := CampaignMailsDue("2026-11-26", "2026-12-01", "2026-11-28", rem); len(got) != 1 || got[0].Key != "reminder_3" {
		t.Errorf("3 days before: %v", got)
	}
	if got := CampaignMailsDue("2026-11-26", "bad", "2026-11-28", rem); got != nil {
		t.Errorf("bad date: %v", got)
	}
}

func TestTokyoDayAtMidnight(t *testing.T) {
	// 15:00 UTC is midnight in Tokyo: the next calendar day.
	if got := TokyoDay(time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)); got != "2026-12-01" {
		t.Errorf("TokyoDay = %s", got)
	}
	if got := TokyoDay(time.Date(2026, 11, 30, 14, 59, 0, 0, time.UTC)); got != "2026-11-30" {
		t.Errorf("TokyoDay = %s", got)
	}
}

func TestAddMonths(t *testing.T) {
	cases := []struct {
		in     string
		months int
		want   string
	}{
		{"2026-04-15", 12, "2027-04-15"},
		{"2026-04-15", 6, "2026-10-15"},
		{"2027-08-31", 6, "2028-02-29"},
		{"2026-08-31", 6, "2027-02-28"},
		{"2028-02-29", 12, "2029-02-28"},
		{"2026-10-31", 6, "2027-04-30"},
		{"nonsense", 6, ""},
	}
	for _, tc := range cases {
		if got := AddMonths(tc.in, tc.months); got != tc.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", tc.in, tc.months, got, tc.want)
		}
	}
}

func TestCampaignRecurrence(t *testing.T) {
	c := &Campaign{ID: "c1", OrgID: "o", TemplateSlug: "self-check-25", DueDate: "2026-12-31", Reminders: []int{7},
		Recurrence: RecurHalfYearly, Filter: &CampaignFilter{Tiers: []string{TierHigh}},
		CreatedAt: time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)} // 2026-12-01 in Tokyo
	c.ScheduleRecurrence()
	if c.NextRunOn != "2027-06-01" {
		t.Errorf("NextRunOn = %s", c.NextRunOn)
	}
	n := c.NextCampaign()
	if n.DueDate != "2027-06-30" || n.NextRunOn != "2027-12-01" || n.PreviousID != "c1" || n.Recurrence != RecurHalfYearly || n.TemplateSlug != c.TemplateSlug ||
		!reflect.DeepEqual(n.Filter, c.Filter) || !reflect.DeepEqual(n.Reminders, []int{7}) {
		t.Errorf("next = %+v", n)
	}
	n.Filter.Tiers[0] = TierLow
	if c.Filter.Tiers[0] != TierHigh {
		t.Error("the next campaign shares its filter with the previous one")
	}
	once := &Campaign{DueDate: "2026-12-31", CreatedAt: c.CreatedAt}
	once.ScheduleRecurrence()
	if once.NextRunOn != "" || once.NextCampaign() != nil {
		t.Errorf("a campaign without recurrence recurs: %q", once.NextRunOn)
	}
}

func TestAssessmentContact(t *testing.T) {
	cases := []struct {
		c     Contacts
		email string
		loc   string
		ok    bool
	}{
		{Contacts{Security: Contact{Email: "s@example.jp", Locale: "en"}, Business: Contact{Email: "b@example.jp"}}, "s@example.jp", "en", true},
		{Contacts{Business: Contact{Email: "b@example.jp"}}, "b@example.jp", "ja", true},
		{Contacts{Security: Contact{Name: "no address"}, Business: Contact{Email: "b@example.jp", Locale: "en"}}, "b@example.jp", "en", true},
		{Contacts{Incident: Contact{Email: "i@example.jp"}}, "", "", false},
	}
	for i, tc := range cases {
		ct, ok := tc.c.AssessmentContact()
		if ok != tc.ok || ct.Email != tc.email || ct.Locale != tc.loc {
			t.Errorf("%d: %+v %v", i, ct, ok)
		}
	}
}

func TestContactLocale(t *testing.T) {
	c := Contacts{Business: Contact{Email: "a@example.jp"}, Security: Contact{Locale: "en"}, Incident: Contact{Locale: "fr"}}
	fields := c.validate()
	if c.Business.Locale != "ja" || c.Security.Locale != "en" || fields["incident.locale"] != "field.locale" || len(fields) != 1 {
		t.Errorf("contacts %+v, fields %v", c, fields)
	}
}

func TestParseReminderDays(t *testing.T) {
	cases := []struct {
		in   string
		want []int
		ok   bool
	}{
		{"14, 7, 3, 1", []int{14, 7, 3, 1}, true},
		{"１４、７", []int{14, 7}, true},
		{" 30　0 ", []int{30, 0}, true},
		{"", []int{}, true},
		{"7, 明日", nil, false},
		{"-1", nil, false},
		{"3.5", nil, false},
		{"99999999999999999999", nil, false},
		{"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41", nil, false},
	}
	for _, tc := range cases {
		got, ok := ParseReminderDays(tc.in)
		if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseReminderDays(%q) = %v, %v", tc.in, got, ok)
		}
	}
}

// FuzzParseReminderDays: any text either parses to whole days that
// format back to the same numbers, or is refused; it never panics.
func FuzzParseReminderDays(f *testing.F) {
	for _, s := range []string{"14, 7, 3, 1", "１４、７", "", "7,,7", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		days, ok := ParseReminderDays(s)
		if !ok {
			if days != nil {
				t.Fatalf("refused %q but returned %v", s, days)
			}
			return
		}
		var parts []string
		for _, d := range days {
			if d < 0 || d > 100_000 {
				t.Fatalf("%q gave %d", s, d)
			}
			parts = append(parts, fmt.Sprint(d))
		}
		again, ok := ParseReminderDays(strings.Join(parts, ", "))
		if !ok || !reflect.DeepEqual(again, days) {
			t.Fatalf("%q → %v → %v", s, days, again)
		}
	})
}
