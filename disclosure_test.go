package renkei

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDisclosureRecommend(t *testing.T) {
	def := DefaultDisclosurePolicy()
	cases := []struct {
		name    string
		policy  DisclosurePolicy
		in      Incident
		shared  int
		outcome string
		forR    []string
		against []string
	}{
		{"skimming of card data: misuse, nothing against", def,
			Incident{Type: "payment_abuse", ServiceImpact: "major", PersonalData: PersonalData{Persons: 300, Financial: true}}, 0,
			RecommendDisclose, []string{DiscloseMisuse, DiscloseLarge}, nil},
		{"lost laptop without personal data, small effect", def,
			Incident{Type: "lost_device", ServiceImpact: "none"}, 0,
			RecommendNotNeeded, nil, []string{WithholdNoPersonal, WithholdNoEffect}},
		{"shared service used by others, but disclosure invites secondary harm", def,
			Incident{Type: "shared_service", ServiceImpact: "minor", SecondaryHarmRisk: true}, 4,
			RecommendConsider, []string{DiscloseSpread}, []string{WithholdNoPersonal, WithholdNoEffect, WithholdSecondary}},
		{"nothing known yet", def, Incident{Type: "other"}, 0,
			RecommendNotNeeded, nil, []string{WithholdNoPersonal}},
		{"the insurer requires it", DisclosurePolicy{Version: 2, For: []string{DiscloseInsurer}, InsurerRequires: true},
			Incident{Type: "ransomware", ServiceImpact: "none"}, 0,
			RecommendDisclose, []string{DiscloseInsurer}, nil},
		{"a policy that counts no reasons leaves it to people", DisclosurePolicy{Version: 3},
			Incident{Type: "ransomware", ServiceImpact: "major"}, 0, RecommendConsider, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.policy.Recommend(&c.in, c.shared)
			if r.Outcome != c.outcome || !reflect.DeepEqual(r.For, c.forR) || !reflect.DeepEqual(r.Against, c.against) {
				t.Fatalf("got %+v, want %s for %v against %v", r, c.outcome, c.forR, c.against)
			}
			if r.PolicyVersion != c.policy.Version {
				t.Fatalf("policy version %d", r.PolicyVersion)
			}
			for _, code := range append(r.For, r.Against...) {
				if txt := DisclosureReasonText(code); txt.JA == "" || txt.EN == "" {
					t.Fatalf("reason %s has no words", code)
				}
			}
		})
	}
}

func TestDisclosureValidate(t *testing.T) {
	if err := DefaultDisclosurePolicy().Validate(); err != nil {
		t.Fatal(err)
	}
	wantFieldError(t, DisclosurePolicy{For: []string{"because"}}.Validate(), "for")
	wantFieldError(t, DisclosurePolicy{Against: []string{DiscloseMisuse}}.Validate(), "against")
	wantFieldError(t, DisclosurePolicy{Note: "a\u202eb"}.Validate(), "note")
	wantFieldError(t, DisclosureDecision{}.Validate(), "reason")
	if err := (DisclosureDecision{Disclose: true, Reason: "被害拡大防止のため\n公表する", DecidedAt: time.Now()}).Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestIncidentValidate(t *testing.T) {
	now := jst("2026-04-10 12:00")
	at := func(s string) *time.Time { v := jst(s); return &v }
	ok := Incident{Type: "ransomware", OccurredAt: at("2026-04-01 00:00"), DiscoveredAt: at("2026-04-02 00:00"),
		AwareAt: jst("2026-04-03 00:00"), Description: "暗号化された。\r\n復旧中", Contact: Contact{Email: "a@example.jp"}}
	if err := ok.Validate(now); err != nil {
		t.Fatalf("valid incident refused: %v", err)
	}
	if ok.Status != IncidentReported || ok.Description != "暗号化された。\n復旧中" {
		t.Fatalf("not normalized: %q %q", ok.Status, ok.Description)
	}
	cases := []struct {
		field  string
		mutate func(in *Incident)
	}{
		{"type", func(in *Incident) { in.Type = "aliens" }},
		{"aware_at", func(in *Incident) { in.AwareAt = time.Time{} }},
		{"aware_at", func(in *Incident) { in.AwareAt = jst("2026-04-11 12:00") }},
		{"aware_at", func(in *Incident) { in.AwareAt = jst("2026-04-01 12:00") }}, // before discovery
		{"discovered_at", func(in *Incident) { in.DiscoveredAt = at("2026-03-01 00:00") }},
		{"occurred_at", func(in *Incident) { in.OccurredAt = at("2027-01-01 00:00") }},
		{"personal_data.persons", func(in *Incident) { in.PersonalData.Persons = -1 }},
		{"title", func(in *Incident) { in.Title = "line\nbreak" }},
		{"description", func(in *Incident) { in.Description = "bidi \u202e trick" }},
		{"description", func(in *Incident) { in.Description = string([]byte{0xff, 0xfe}) }},
		{"containment", func(in *Incident) { in.Containment = "maybe" }},
		{"service_impact", func(in *Incident) { in.ServiceImpact = "huge" }},
		{"severity", func(in *Incident) { in.Severity = "apocalyptic" }},
		{"status", func(in *Incident) { in.Status = "forgotten" }},
		{"contact.email", func(in *Incident) { in.Contact.Email = "nobody" }},
	}
	for _, c := range cases {
		in := ok
		c.mutate(&in)
		wantFieldError(t, in.Validate(now), c.field)
	}
}

func TestIncidentCanClose(t *testing.T) {
	in := Incident{}
	err := in.CanClose()
	wantFieldError(t, err, "root_cause")
	wantFieldError(t, err, "prevention")
	in.RootCause, in.Prevention = "VPN機器の脆弱性", "機器の更新と多要素認証"
	if err := in.CanClose(); err != nil {
		t.Fatal(err)
	}
}

func TestIncidentImpact(t *testing.T) {
	in := &Incident{Type: "ransomware"}
	if got := IncidentImpact(in, nil); got != nil {
		t.Fatalf("no partner: %v", got)
	}
	if got := IncidentImpact(in, &Partner{}); len(got) != 0 {
		t.Fatalf("empty profile: %v", got)
	}
	p := &Partner{Profile: Profile{PersonalData: true, PersonalDataCount: 1500, SensitivePersonalData: true,
		NetworkAccess: []string{"site_to_site", "remote_maintenance"}, ReachesInternalNetwork: true,
		Provides: []string{"embedded_software", "it_systems", "logistics"}, OutageUnacceptable: true}}
	got := IncidentImpact(in, p)
	want := []string{"1500人分", "要配慮", "拠点間接続", "リモート保守", "改ざん", "生産・物流", "許容できない"}
	if len(got) != len(want) {
		t.Fatalf("got %d lines: %v", len(got), got)
	}
	for i, w := range want {
		if !strings.Contains(got[i].JA, w) || got[i].EN == "" {
			t.Errorf("line %d = %q, want it to mention %q", i, got[i].JA, w)
		}
	}
	// A lost laptop does not stop logistics.
	if got := IncidentImpact(&Incident{Type: "lost_device"}, &Partner{Profile: Profile{Provides: []string{"logistics"}}}); len(got) != 0 {
		t.Fatalf("lost device at a carrier: %v", got)
	}
}

func TestAPPIReportDraft(t *testing.T) {
	aware := jst("2026-04-01 10:00")
	decided := jst("2026-04-05 09:00")
	done := jst("2026-04-04 12:00")
	in := &Incident{Ref: "INC-2026-00007", Type: "payment_abuse", AwareAt: aware, Description: "決済画面の改ざん",
		PersonalData: PersonalData{Persons: 320, Financial: true, UnauthorizedPurpose: true}, RootCause: "CMSの脆弱性", Prevention: "CMSの更新"}
	items := APPIReportDraft(in, ReportFacts{PartnerName: "株式会社ECサポート",
		Decision:    &DisclosureDecision{Disclose: true, Reason: "被害拡大の防止", DecidedAt: decided},
		Obligations: []Obligation{{Code: "appi_notify_persons", Status: ObligationDone, DoneAt: &done}}})
	want := map[string]string{
		"outline": "株式会社ECサポート", "data_items": "財産的被害", "persons": "320（おそれを含む）", "cause": "CMSの脆弱性",
		"secondary_harm": "不正の目的", "response_to_persons": "通知済み (2026-04-04)", "publication": "公表する（判断日 2026-04-05）",
		"prevention": "CMSの更新", "other": "INC-2026-00007",
	}
	if len(items) != 9 {
		t.Fatalf("%d items", len(items))
	}
	for _, it := range items {
		if !strings.Contains(it.Value, want[it.Key]) || it.Label.JA == "" || it.Label.EN == "" || it.Hint.JA == "" {
			t.Errorf("%s = %q, want it to contain %q", it.Key, it.Value, want[it.Key])
		}
	}
	en := APPIReportDraft(&Incident{Type: "ddos", AwareAt: aware}, ReportFacts{Lang: "en"})
	if !strings.Contains(en[0].Value, "Occurred: unknown") || en[2].Value != "" || en[6].Value != "" {
		t.Fatalf("English, empty case: %+v", en)
	}
}

func TestMeasureIncidents(t *testing.T) {
	at := func(s string) *time.Time { v := jst(s); return &v }
	cases := []IncidentTimes{
		// A partner's case: 2 days to notice, 1 day to tell us, 4 hours to
		// triage, 10 days to close.
		{PartnerType: "supplier", OccurredAt: at("2026-04-01 00:00"), DiscoveredAt: at("2026-04-03 00:00"), AwareAt: jst("2026-04-04 00:00"),
			TriagedAt: at("2026-04-04 04:00"), ClosedAt: at("2026-04-14 00:00")},
		{PartnerType: "supplier", DiscoveredAt: at("2026-05-01 00:00"), AwareAt: jst("2026-05-01 12:00"), TriagedAt: at("2026-05-01 13:00")},
		{PartnerType: "overseas", OccurredAt: at("2026-06-01 00:00"), DiscoveredAt: at("2026-06-11 00:00"), AwareAt: jst("2026-06-15 00:00")},
		{AwareAt: jst("2026-07-01 00:00")},
		// Inconsistent moments are left out, not counted as negative.
		{PartnerType: "group", OccurredAt: at("2026-08-02 00:00"), DiscoveredAt: at("2026-08-01 00:00"), AwareAt: jst("2026-08-03 00:00")},
	}
	m := MeasureIncidents(cases, map[string]int{"appi_preliminary": 2, "police": 1})
	if m.Cases != 5 || m.OverdueDuties != 3 || m.OverdueByCode["appi_preliminary"] != 2 {
		t.Fatalf("%+v", m)
	}
	d := m.Stages[StageDiscovery]
	if d.Cases != 2 || d.MedianHours != 48 || d.P90Hours != 240 || d.AverageHours != 144 {
		t.Fatalf("discovery %+v", d)
	}
	r := m.Stages[StageReporting]
	if r.Cases != 4 || r.MedianHours != 24 {
		t.Fatalf("reporting %+v", r)
	}
	if s := m.ByPartnerType["supplier"][StageTriage]; s.Cases != 2 || s.MedianHours != 1 || s.AverageHours != 2.5 {
		t.Fatalf("supplier triage %+v", s)
	}
	if c := m.Stages[StageClosure]; c.Cases != 1 || c.MedianHours != 240 {
		t.Fatalf("closure %+v", c)
	}
	if _, ok := m.ByPartnerType["own"]; !ok {
		t.Fatalf("own cases missing: %v", m.ByPartnerType)
	}
}

func TestIncidentTypeLabelsComplete(t *testing.T) {
	for _, ty := range IncidentTypes {
		if l := IncidentTypeLabels[ty]; l.JA == "" || l.EN == "" {
			t.Errorf("%s has no label", ty)
		}
	}
	ob := DefaultObligationRules().Evaluate(IncidentFacts{Incident: &Incident{Type: "ransomware", AwareAt: jst("2026-04-01 10:00")}})
	for _, o := range ob {
		if o.Code == "police" && (o.Reasons[0].JA != "インシデントの種類が「ランサムウェア」" || !strings.Contains(o.Reasons[0].EN, "ransomware")) {
			t.Fatalf("reason %+v", o.Reasons)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -5000: "-5,000"} {
		if got := thousands(n); got != want {
			t.Errorf("%d: %q", n, got)
		}
	}
	ob := DefaultObligationRules().Evaluate(IncidentFacts{Incident: &Incident{Type: "other", AwareAt: jst("2026-04-01 10:00"), PersonalData: PersonalData{Persons: 1001}}})
	if ob[0].Reasons[0].JA != "本人の数が1,000人を超える" || ob[0].Reasons[0].EN != "More than 1,000 persons are involved" {
		t.Fatalf("reason %+v", ob[0].Reasons)
	}
}
