package renkei

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func jst(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, Japan)
	if err != nil {
		panic(err)
	}
	return t
}

// appiCodes returns which APPI duties the facts give and their deadlines.
func dutiesOf(t *testing.T, in *Incident, f IncidentFacts) map[string]Obligation {
	t.Helper()
	f.Incident = in
	out := map[string]Obligation{}
	for _, ob := range DefaultObligationRules().Evaluate(f) {
		out[ob.Code] = ob
	}
	return out
}

func TestAPPITriggers(t *testing.T) {
	aware := jst("2026-04-01 10:00")
	cases := []struct {
		name      string
		pd        PersonalData
		want      bool
		finalDays int
	}{
		{"none", PersonalData{}, false, 0},
		{"ordinary data of 1,000 persons", PersonalData{Persons: 1000}, false, 0},
		{"ordinary data of 1,001 persons", PersonalData{Persons: 1001}, true, 30},
		{"sensitive, one person", PersonalData{Persons: 1, Sensitive: true}, true, 30},
		{"financial harm, one person", PersonalData{Persons: 1, Financial: true}, true, 30},
		{"unauthorized purpose, one person", PersonalData{Persons: 1, UnauthorizedPurpose: true}, true, 60},
		{"unauthorized purpose with 5,000 persons", PersonalData{Persons: 5000, UnauthorizedPurpose: true}, true, 60},
		{"sensitive and over 1,000", PersonalData{Persons: 2000, Sensitive: true}, true, 30},
		{"possible leak only, sensitive", PersonalData{Persons: 3, Sensitive: true, Confirmed: false}, true, 30},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := &Incident{Type: "unauthorized_access", AwareAt: aware, PersonalData: c.pd}
			d := dutiesOf(t, in, IncidentFacts{})
			for _, code := range []string{"appi_preliminary", "appi_final", "appi_notify_persons"} {
				if _, ok := d[code]; ok != c.want {
					t.Fatalf("%s present = %v, want %v", code, ok, c.want)
				}
			}
			if !c.want {
				return
			}
			// Awareness day is day 1: 30 days from 1 April end on 30 April.
			wantFinal := EndOfDay(aware, c.finalDays)
			if got := d["appi_final"].DueAt; got == nil || !got.Equal(wantFinal) {
				t.Fatalf("appi_final due %v, want %v", got, wantFinal)
			}
			if got := d["appi_preliminary"].DueAt; got == nil || !got.Equal(jst("2026-04-03 23:59").Add(59*time.Second)) {
				t.Fatalf("appi_preliminary due %v", got)
			}
			if d["appi_notify_persons"].DueAt != nil {
				t.Fatalf("notice to persons has no fixed deadline, got %v", d["appi_notify_persons"].DueAt)
			}
			if len(d["appi_final"].Reasons) == 0 || d["appi_final"].Reasons[0].JA == "" {
				t.Fatalf("no reasons: %+v", d["appi_final"])
			}
		})
	}
}

func TestAPPIFinalDeadlines(t *testing.T) {
	cases := []struct {
		aware string
		days  int
		want  string // last minute of the last day, Japan time
	}{
		{"2026-04-01 10:00", 30, "2026-04-30 23:59"},
		{"2026-04-01 00:30", 30, "2026-04-30 23:59"}, // just after midnight: still 1 April
		{"2026-03-31 23:50", 30, "2026-04-29 23:59"},
		{"2026-04-01 10:00", 60, "2026-05-30 23:59"},
		// Golden Week and weekends do not stop the clock.
		{"2026-04-28 09:00", 30, "2026-05-27 23:59"},
		// Friday awareness: the three-day preliminary falls due on Sunday.
		{"2026-05-01 18:00", 3, "2026-05-03 23:59"},
		// Year end.
		{"2026-12-28 12:00", 30, "2027-01-26 23:59"},
	}
	for _, c := range cases {
		got := EndOfDay(jst(c.aware), c.days)
		want := jst(c.want).Add(59 * time.Second).UTC()
		if !got.Equal(want) {
			t.Errorf("aware %s + %d days: got %s, want %s", c.aware, c.days, got.In(Japan), want.In(Japan))
		}
		if got.Location() != time.UTC {
			t.Errorf("deadline not in UTC: %v", got.Location())
		}
	}
}

func TestObligationStatus(t *testing.T) {
	in := &Incident{Type: "ransomware", AwareAt: jst("2026-04-01 10:00"), PersonalData: PersonalData{Persons: 1, Sensitive: true}}
	d := dutiesOf(t, in, IncidentFacts{})
	pre := d["appi_preliminary"]
	if s := pre.StatusAt(jst("2026-04-03 23:00")); s != ObligationOpen {
		t.Fatalf("before the deadline: %s", s)
	}
	if s := pre.StatusAt(jst("2026-04-04 00:00")); s != ObligationOverdue {
		t.Fatalf("after the deadline: %s", s)
	}
	pre.Status = ObligationDone
	if s := pre.StatusAt(jst("2026-05-04 00:00")); s != ObligationDone {
		t.Fatalf("done stays done: %s", s)
	}
}

func TestOtherDuties(t *testing.T) {
	aware := jst("2026-04-01 10:00")
	discovered := jst("2026-03-30 09:00")
	base := func() *Incident {
		d := discovered
		return &Incident{Type: "lost_device", AwareAt: aware, DiscoveredAt: &d}
	}
	cases := []struct {
		name  string
		in    func() *Incident
		facts IncidentFacts
		want  []string
		not   []string
	}{
		{"lost device, nothing else", base, IncidentFacts{}, nil,
			[]string{"police", "ipa_jpcert", "appi_final", "sector_ministry", "partner_contract_report"}},
		{"ransomware: police and IPA", func() *Incident { in := base(); in.Type = "ransomware"; return in }, IncidentFacts{},
			[]string{"police", "ipa_jpcert"}, []string{"isac_share"}},
		{"ISAC member", func() *Incident { in := base(); in.Type = "emotet"; return in }, IncidentFacts{OrgFlags: []string{"isac_member"}},
			[]string{"isac_share"}, nil},
		{"finance industry with network reach", func() *Incident { in := base(); in.Affects.OurNetwork = true; return in },
			IncidentFacts{OrgIndustry: "i"}, []string{"sector_ministry"}, nil},
		{"manufacturing with network reach", func() *Incident { in := base(); in.Affects.OurNetwork = true; return in },
			IncidentFacts{OrgIndustry: "d"}, nil, []string{"sector_ministry"}},
		{"insured, our data", func() *Incident { in := base(); in.Affects.OurData = true; return in },
			IncidentFacts{OrgFlags: []string{"cyber_insurance"}}, []string{"insurer_notice", "customers_notice"}, nil},
		{"group company", base, IncidentFacts{OrgFlags: []string{"group_company"}}, []string{"group_hq"}, nil},
		{"shared service used by others", func() *Incident { in := base(); in.Type = "shared_service"; return in },
			IncidentFacts{SharedServiceOthers: 3}, []string{"customers_notice"}, nil},
		{"partner without a contractual time", func() *Incident { in := base(); in.PartnerID = "p1"; return in },
			IncidentFacts{}, nil, []string{"partner_contract_report"}},
		{"partner with 72 hours", func() *Incident { in := base(); in.PartnerID = "p1"; return in },
			IncidentFacts{PartnerReportingHours: 72}, []string{"partner_contract_report"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := dutiesOf(t, c.in(), c.facts)
			for _, code := range c.want {
				if _, ok := d[code]; !ok {
					t.Errorf("missing %s in %v", code, keys(d))
				}
			}
			for _, code := range c.not {
				if _, ok := d[code]; ok {
					t.Errorf("unexpected %s", code)
				}
			}
		})
	}
}

func TestPartnerContractClock(t *testing.T) {
	discovered := jst("2026-03-30 09:00")
	in := &Incident{Type: "vpn", PartnerID: "p1", DiscoveredAt: &discovered, AwareAt: jst("2026-04-01 10:00")}
	// 72 hours from discovery ends 2 April 09:00: the partner told us in time.
	ob := dutiesOf(t, in, IncidentFacts{PartnerReportingHours: 72})["partner_contract_report"]
	if ob.DueAt == nil || !ob.DueAt.Equal(discovered.Add(72*time.Hour)) || ob.Status != ObligationOpen {
		t.Fatalf("72h: %+v", ob)
	}
	// 24 hours ended 31 March 09:00, before we became aware: reported late.
	ob = dutiesOf(t, in, IncidentFacts{PartnerReportingHours: 24})["partner_contract_report"]
	if ob.Status != ObligationMissed {
		t.Fatalf("24h: %+v", ob)
	}
	// Unknown discovery time: no deadline can be computed.
	in.DiscoveredAt = nil
	if ob := dutiesOf(t, in, IncidentFacts{PartnerReportingHours: 24})["partner_contract_report"]; ob.DueAt != nil {
		t.Fatalf("without discovery time: %+v", ob)
	}
}

func TestObligationRulesEditable(t *testing.T) {
	rs := DefaultObligationRules()
	if err := rs.Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	// A round trip through JSON keeps the rules (they are stored as data).
	b, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	var back ObligationRules
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	in := &Incident{Type: "ransomware", AwareAt: jst("2026-04-01 10:00"), PersonalData: PersonalData{Persons: 1001}}
	if a, b := len(rs.Evaluate(IncidentFacts{Incident: in})), len(back.Evaluate(IncidentFacts{Incident: in})); a != b || a == 0 {
		t.Fatalf("round trip changed the duties: %d vs %d", a, b)
	}
	// The preliminary report may be set to 5 days, not 6.
	for i := range back.Rules {
		if back.Rules[i].Code == "appi_preliminary" {
			back.Rules[i].Clock.Days = 5
		}
	}
	if err := back.Validate(); err != nil {
		t.Fatalf("5 days refused: %v", err)
	}
	ob := back.Evaluate(IncidentFacts{Incident: in})[0]
	if ob.Code != "appi_preliminary" || !ob.DueAt.Equal(EndOfDay(in.AwareAt, 5)) {
		t.Fatalf("5-day preliminary: %+v", ob)
	}
	for i := range back.Rules {
		if back.Rules[i].Code == "appi_preliminary" {
			back.Rules[i].Clock.Days = 6
		}
	}
	wantFieldError(t, back.Validate(), "rules[0].clock.days")
	// A disabled rule gives no duty.
	back.Rules[0].Enabled = false
	back.Rules[0].Clock.Days = 3
	if ob := back.Evaluate(IncidentFacts{Incident: in})[0]; ob.Code == "appi_preliminary" {
		t.Fatal("disabled rule still applies")
	}
}

func TestObligationRulesValidate(t *testing.T) {
	bad := ObligationRules{Rules: []ObligationRule{
		{Code: "Bad Code", Title: Bilingual{"a", "a"}, Basis: Bilingual{"b", "b"}, Clock: Clock{From: ClockAware}},
		{Code: "x", Title: Bilingual{JA: "a"}, Basis: Bilingual{"b", "b"}, Clock: Clock{From: "yesterday"},
			Any: []DutyCondition{{Fact: "moon.phase"}, {Fact: "personal_data.persons"}, {Fact: "type", Gt: intp(1)}}},
		{Code: "x", Title: Bilingual{"a", "a"}, Basis: Bilingual{"b", "b"}, Clock: Clock{From: ClockAware, Days: -1, HoursFact: "type"}},
	}}
	err := bad.Validate()
	for _, f := range []string{"rules[0].code", "rules[1].title", "rules[1].clock.from", "rules[1].conditions[0]",
		"rules[1].conditions[1]", "rules[1].conditions[2]", "rules[2].code", "rules[2].clock", "rules[2].clock.hours_fact"} {
		wantFieldError(t, err, f)
	}
}

func wantFieldError(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok || e.Fields[field] == "" {
		t.Fatalf("want a field error at %s, got %v", field, err)
	}
}

func keys(m map[string]Obligation) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return strings.Join(out, ",")
}

func BenchmarkObligationEvaluate(b *testing.B) {
	rs := DefaultObligationRules()
	d := jst("2026-03-30 09:00")
	f := IncidentFacts{Incident: &Incident{Type: "ransomware", PartnerID: "p", DiscoveredAt: &d, AwareAt: jst("2026-04-01 10:00"),
		PersonalData: PersonalData{Persons: 1500, UnauthorizedPurpose: true}, Affects: Affects{OurData: true}},
		OrgIndustry: "i", OrgFlags: []string{"isac_member", "cyber_insurance", "group_company"}, PartnerReportingHours: 72}
	b.ReportAllocs()
	for b.Loop() {
		if len(rs.Evaluate(f)) < 10 {
			b.Fatal("too few duties")
		}
	}
}
