package renkei

import (
	"encoding/json"
	"testing"
	"time"
)

// FuzzObligationRules feeds the rule-set JSON an organization saves
// (PUT /api/v1/incident_settings) through decoding, validation and
// evaluation: no input panics, and a valid rule set gives deadlines no
// earlier than their starting moment.
func FuzzObligationRules(f *testing.F) {
	def, _ := json.Marshal(DefaultObligationRules())
	f.Add(def)
	f.Add([]byte(`{"version":1,"rules":[{"code":"x","enabled":true,"title":{"ja":"a","en":"a"},"basis":{"ja":"b","en":"b"},"any":[{"fact":"personal_data.persons","gt":-5}],"clock":{"from":"occurred","days":366}}]}`))
	f.Add([]byte(`{"rules":[{"code":"appi_preliminary","clock":{"from":"aware","days":0,"days_if":[{"when":{"fact":"type","in":["vpn"]},"days":1}]}}]}`))
	f.Add([]byte(`{"rules":[{"code":"c","all":[{"fact":"partner.reporting_hours","gt":0}],"clock":{"from":"discovered","hours_fact":"partner.reporting_hours"}}]}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"rules":[{"any":[{"fact":"type","gt":1,"in":[]}]}]}`))
	occurred := time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC)
	discovered := occurred.Add(30 * time.Hour)
	in := &Incident{Type: "vpn", PartnerID: "p", OccurredAt: &occurred, DiscoveredAt: &discovered, AwareAt: discovered.Add(5 * time.Hour),
		PersonalData: PersonalData{Persons: 2000, Sensitive: true, UnauthorizedPurpose: true}, Affects: Affects{OurNetwork: true}}
	facts := IncidentFacts{Incident: in, OrgIndustry: "i", OrgFlags: OrgIncidentFlags, PartnerReportingHours: 48, SharedServiceOthers: 2}
	f.Fuzz(func(t *testing.T, data []byte) {
		var rs ObligationRules
		if json.Unmarshal(data, &rs) != nil {
			return
		}
		valid := rs.Validate() == nil
		for _, ob := range rs.Evaluate(facts) {
			if !valid || ob.DueAt == nil {
				continue
			}
			if ob.DueAt.Before(occurred) {
				t.Fatalf("%s due %s before the incident occurred", ob.Code, ob.DueAt)
			}
		}
	})
}
