package renkei

import (
	"strings"
	"testing"
)

func TestEachRiskFactor(t *testing.T) {
	rp := DefaultRiskPolicy()
	for _, tc := range []struct {
		factor string
		set    func(p *Partner)
		points int
	}{
		{"reaches_internal_network", func(p *Partner) { p.Profile.ReachesInternalNetwork = true }, 20},
		{"handles_confidential_on_own_it", func(p *Partner) { p.Profile.HandlesConfidentialOnOwnIT = true }, 15},
		{"outage_unacceptable", func(p *Partner) { p.Profile.OutageUnacceptable = true }, 15},
		{"site_to_site", func(p *Partner) { p.Profile.NetworkAccess = []string{"site_to_site"} }, 10},
		{"remote_maintenance", func(p *Partner) { p.Profile.NetworkAccess = []string{"remote_maintenance"} }, 10},
		{"onsite_devices", func(p *Partner) { p.Profile.NetworkAccess = []string{"onsite_devices"} }, 5},
		{"sensitive_personal_data", func(p *Partner) { p.Profile.SensitivePersonalData = true }, 10},
		{"confidential_technical", func(p *Partner) { p.Profile.ConfidentialTechnical = true }, 10},
		{"financial_data", func(p *Partner) { p.Profile.FinancialData = true }, 5},
		{"embedded_software", func(p *Partner) { p.Profile.Provides = []string{"embedded_software"} }, 10},
		{"it_operations", func(p *Partner) { p.Profile.Provides = []string{"it_operations"} }, 10},
		{"it_systems", func(p *Partner) { p.Profile.Provides = []string{"it_systems"} }, 5},
		{"saas", func(p *Partner) { p.Profile.Provides = []string{"saas"} }, 5},
		{"bpo", func(p *Partner) { p.Profile.Provides = []string{"bpo"} }, 5},
		{"critical_infrastructure", func(p *Partner) { p.Profile.CriticalInfrastructure = true }, 10},
		{"subcontracts", func(p *Partner) { p.Profile.Subcontracts = true }, 5},
		{"overseas", func(p *Partner) { p.Type = PartnerOverseas }, 5},
		{"overseas", func(p *Partner) { p.Company.Country = "VN" }, 5},
	} {
		p := &Partner{Type: PartnerSupplier, Company: Company{Country: "JP"}}
		tc.set(p)
		r := rp.AssessRisk(p)
		if r.Score != tc.points || len(r.Reasons) != 1 || r.Reasons[0].Factor != tc.factor || r.Reasons[0].JA == "" || r.Reasons[0].EN == "" {
			t.Errorf("%s: score %d reasons %+v", tc.factor, r.Score, r.Reasons)
		}
	}
}

func TestCombinedFactors(t *testing.T) {
	rp := DefaultRiskPolicy()
	p := &Partner{Type: PartnerSupplier, Profile: Profile{PersonalData: true, PersonalDataCount: 5000}}
	r := rp.AssessRisk(p)
	if r.Score != 15 || r.Tier != TierLow { // personal_data 5 + over_1000 10
		t.Fatalf("personal data: %+v", r)
	}
	p.Profile.OutageStopsBusiness = true // +10, and no alternative +5
	if r = rp.AssessRisk(p); r.Score != 30 || r.Tier != TierMedium {
		t.Fatalf("outage without alternative: %+v", r)
	}
	p.Profile.HasAlternative = true
	if r = rp.AssessRisk(p); r.Score != 25 {
		t.Fatalf("alternative exists: %+v", r)
	}
	// Everything at once is capped at 100 and high.
	all := &Partner{Type: PartnerOverseas, Profile: Profile{
		Provides: ProvidesCodes, PersonalData: true, PersonalDataCount: 2000, SensitivePersonalData: true,
		ConfidentialTechnical: true, FinancialData: true, NetworkAccess: []string{"site_to_site", "remote_maintenance", "onsite_devices"},
		OutageStopsBusiness: true, CriticalInfrastructure: true, Subcontracts: true,
		HandlesConfidentialOnOwnIT: true, OutageUnacceptable: true, ReachesInternalNetwork: true}}
	if r = rp.AssessRisk(all); r.Score != 100 || r.Tier != TierHigh || r.Reasons[0].Points < r.Reasons[len(r.Reasons)-1].Points {
		t.Fatalf("all: %+v", r)
	}
}

func TestPolicyWeightsAndThresholds(t *testing.T) {
	rp := RiskPolicy{Weights: map[string]int{"saas": 40, "subcontracts": 0}, HighAt: 40, MediumAt: 20}
	if err := rp.Validate(); err != nil {
		t.Fatal(err)
	}
	p := &Partner{Type: PartnerSupplier, Profile: Profile{Provides: []string{"saas"}, Subcontracts: true}}
	r := rp.AssessRisk(p)
	if r.Score != 40 || r.Tier != TierHigh || len(r.Reasons) != 1 {
		t.Fatalf("adjusted: %+v", r)
	}
	for _, bad := range []RiskPolicy{
		{Weights: map[string]int{"nosuch": 1}, HighAt: 60, MediumAt: 30},
		{Weights: map[string]int{"saas": 101}, HighAt: 60, MediumAt: 30},
		{HighAt: 30, MediumAt: 30},
		{HighAt: 60, MediumAt: 30, SmallSupplierLevel: "star3"},
		{HighAt: 60, MediumAt: 30, SmallSupplierLevel: "star1"},
	} {
		if err := bad.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("policy %+v accepted", bad)
		}
	}
}

func TestRequiredLevel(t *testing.T) {
	small := RiskPolicy{HighAt: 60, MediumAt: 30, SmallSupplierLevel: LevelStar2, SmallSupplierMaxEmployees: 20}
	for _, tc := range []struct {
		name   string
		policy RiskPolicy
		p      Partner
		want   string
		reason string
	}{
		{"none of the three", DefaultRiskPolicy(), Partner{Type: PartnerSupplier}, LevelStar3, "★3"},
		{"confidential on own IT", DefaultRiskPolicy(), Partner{Type: PartnerSupplier, Profile: Profile{HandlesConfidentialOnOwnIT: true}}, LevelStar4, "機密情報"},
		{"outage unacceptable", DefaultRiskPolicy(), Partner{Type: PartnerGroup, Profile: Profile{OutageUnacceptable: true}}, LevelStar4, "許容できない"},
		{"reaches network", DefaultRiskPolicy(), Partner{Type: PartnerOverseas, Profile: Profile{ReachesInternalNetwork: true}}, LevelStar4, "社内ネットワーク"},
		{"small supplier rule", small, Partner{Type: PartnerSupplier, Company: Company{Employees: 8}}, LevelStar2, "★2"},
		{"small rule, too many employees", small, Partner{Type: PartnerSupplier, Company: Company{Employees: 21}}, LevelStar3, "★3"},
		{"small rule, unknown size", small, Partner{Type: PartnerSupplier}, LevelStar3, "★3"},
		{"small rule, not a supplier", small, Partner{Type: PartnerGroup, Company: Company{Employees: 8}}, LevelStar3, "★3"},
		{"small rule never beats star4", small, Partner{Type: PartnerSupplier, Company: Company{Employees: 8}, Profile: Profile{ReachesInternalNetwork: true}}, LevelStar4, "★4"},
	} {
		p := tc.p
		tc.policy.Evaluate(&p)
		if p.Required != tc.want || !strings.Contains(p.RequiredReason.JA, tc.reason) || p.RequiredReason.EN == "" {
			t.Errorf("%s: got %s (%s)", tc.name, p.Required, p.RequiredReason.JA)
		}
	}
	// A small supplier whose tier is high still gets star3.
	p := Partner{Type: PartnerSupplier, Company: Company{Employees: 5}, Profile: Profile{
		Provides: []string{"embedded_software", "it_operations"}, SensitivePersonalData: true, ConfidentialTechnical: true,
		NetworkAccess: []string{"site_to_site"}, CriticalInfrastructure: true}}
	small.Evaluate(&p)
	if p.Risk.Tier != TierHigh || p.Required != LevelStar3 {
		t.Fatalf("high-tier small supplier: %s %s", p.Risk.Tier, p.Required)
	}
}

func TestNormalizeCompanyName(t *testing.T) {
	for _, pair := range [][2]string{
		{"株式会社 ＡＢＣ製作所", "ABC製作所(株)"},
		{"ｴｰｽ商事", "ｴｰｽ商事 株式会社"},
		{"Acme Co., Ltd.", "ACME"},
	} {
		if a, b := NormalizeCompanyName(pair[0]), NormalizeCompanyName(pair[1]); a != b {
			t.Errorf("%q → %q, %q → %q", pair[0], a, pair[1], b)
		}
	}
	if NormalizeCompanyName("山田製作所") == NormalizeCompanyName("山本製作所") {
		t.Error("different names share a key")
	}
}

func TestPartnerValidate(t *testing.T) {
	p := &Partner{Type: "vendor", Department: "sales", Company: Company{Name: "", CorporateNumber: "1234567890123", Country: "Japan", Industry: "z", Employees: -1},
		Profile:  Profile{Provides: []string{"gold"}, NetworkAccess: []string{"none", "site_to_site"}},
		Contacts: Contacts{Incident: Contact{Email: "not-an-address"}}}
	err := p.Validate()
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("want *Error, got %v", err)
	}
	for _, f := range []string{"type", "department", "company.name", "company.corporate_number", "company.country", "company.industry",
		"company.employees", "profile.provides", "profile.network_access", "contacts.incident.email"} {
		if _, ok := e.Fields[f]; !ok {
			t.Errorf("no error for %s: %v", f, e.Fields)
		}
	}
	good := &Partner{Type: PartnerSupplier, Company: Company{Name: "テスト工業", CorporateNumber: "７０００－０１２０５０００２", Industry: "d"}}
	if err := good.Validate(); err != nil || good.Company.CorporateNumber != "7000012050002" || good.Company.Country != "JP" {
		t.Fatalf("good partner: %v %+v", err, good.Company)
	}
}
