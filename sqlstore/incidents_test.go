package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

func jstTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, renkei.Japan)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func dutyCodes(obs []renkei.Obligation) map[string]renkei.Obligation {
	out := map[string]renkei.Obligation{}
	for _, ob := range obs {
		out[ob.Code] = ob
	}
	return out
}

func TestIncidentLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.Now = func() time.Time { return jstTime("2026-04-02 09:00") }
		org := storetest.Org(t, db, "甲社")
		other := storetest.Org(t, db, "乙社")
		staff, staffB := asUser(org.ID, renkei.RoleSecurity), asUser(other.ID, renkei.RoleAdmin)
		p := mustCreate(t, db, newPartner(org.ID, "X運輸", corpNum(901), renkei.PartnerSupplier))
		pb := mustCreate(t, db, newPartner(other.ID, "Y商事", corpNum(902), renkei.PartnerSupplier))

		discovered := jstTime("2026-03-31 18:00")
		in := &renkei.Incident{OrgID: org.ID, PartnerID: p.ID, Type: "ransomware", DiscoveredAt: &discovered,
			AwareAt: jstTime("2026-04-01 10:00"), Title: "ファイルサーバーの暗号化",
			PersonalData: renkei.PersonalData{Persons: 1200}}
		wantCode(t, "viewer", db.CreateIncident(asUser(org.ID, renkei.RoleViewer), in), renkei.EFORBIDDEN)
		wrong := *in
		wrong.PartnerID = pb.ID
		wantCode(t, "another org's partner", db.CreateIncident(staff, &wrong), renkei.EINVALID)
		before := auditCount(t, db, org.ID)
		if err := db.CreateIncident(staff, in); err != nil {
			t.Fatal(err)
		}
		if in.Ref != "INC-2026-00001" || in.Status != renkei.IncidentReported || auditCount(t, db, org.ID) != before+1 {
			t.Fatalf("created %+v", in)
		}
		obs, err := db.Obligations(staff, org.ID, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		d := dutyCodes(obs)
		final, ok := d["appi_final"]
		// 1,200 persons: the PPC duty; awareness on 1 April counts as day one.
		if !ok || !final.DueAt.Equal(jstTime("2026-04-30 23:59").Add(59*time.Second)) || final.Status != renkei.ObligationOpen {
			t.Fatalf("appi_final %+v in %v", final, obs)
		}
		if _, ok := d["police"]; !ok {
			t.Fatalf("ransomware without police duty: %v", obs)
		}
		// Another tenant sees nothing.
		_, err = db.Incident(staffB, other.ID, in.ID)
		wantCode(t, "B reads A's incident", err, renkei.ENOTFOUND)
		_, err = db.Obligations(staffB, other.ID, in.ID)
		wantCode(t, "B reads A's duties", err, renkei.ENOTFOUND)

		// The clock runs on: three days later the preliminary report is overdue.
		db.Now = func() time.Time { return jstTime("2026-04-04 00:01") }
		obs, _ = db.Obligations(staff, org.ID, in.ID)
		if s := dutyCodes(obs)["appi_preliminary"].Status; s != renkei.ObligationOverdue {
			t.Fatalf("preliminary status %s", s)
		}
		if err := db.SetObligationStatus(staff, org.ID, in.ID, "appi_preliminary", renkei.ObligationDone, "PPCへ速報済み"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "waive without reason", db.SetObligationStatus(staff, org.ID, in.ID, "police", renkei.ObligationWaived, ""), renkei.EINVALID)
		wantCode(t, "B marks A's duty", db.SetObligationStatus(staffB, other.ID, in.ID, "police", renkei.ObligationDone, ""), renkei.ENOTFOUND)
		wantCode(t, "unknown duty", db.SetObligationStatus(staff, org.ID, in.ID, "moon", renkei.ObligationDone, ""), renkei.ENOTFOUND)

		// New facts: the purpose was theft — the final report gets 60 days;
		// the preliminary report stays done.
		in.PersonalData.UnauthorizedPurpose = true
		in.Status, in.Severity, in.Owner = renkei.IncidentTriaged, "high", "情報システム部 田中"
		if err := db.UpdateIncident(staff, in); err != nil {
			t.Fatal(err)
		}
		d = dutyCodes(must(db.Obligations(staff, org.ID, in.ID)))
		if !d["appi_final"].DueAt.Equal(jstTime("2026-05-30 23:59").Add(59*time.Second)) || d["appi_preliminary"].Status != renkei.ObligationDone {
			t.Fatalf("after update: %+v / %+v", d["appi_final"], d["appi_preliminary"])
		}
		got, _ := db.Incident(staff, org.ID, in.ID)
		if got.TriagedAt == nil || got.Severity != "high" {
			t.Fatalf("triage not kept: %+v", got)
		}

		// Closing needs the root cause and prevention.
		in.Status = renkei.IncidentClosed
		wantCode(t, "close without cause", db.UpdateIncident(staff, in), renkei.EINVALID)
		in.RootCause, in.Prevention = "VPN機器の未修正の脆弱性", "機器の更新、多要素認証の導入"
		if err := db.UpdateIncident(staff, in); err != nil {
			t.Fatal(err)
		}
		got, _ = db.Incident(staff, org.ID, in.ID)
		if got.ClosedAt == nil || got.Status != renkei.IncidentClosed {
			t.Fatalf("not closed: %+v", got)
		}
		tl, err := db.Timeline(staff, org.ID, in.ID)
		if err != nil || len(tl) < 4 || tl[0].Kind != "reported" || tl[len(tl)-1].Kind != "status" {
			t.Fatalf("timeline %+v %v", tl, err)
		}
		list, _, err := db.ListIncidents(staff, org.ID, renkei.IncidentFilter{Open: true}, renkei.Page{})
		if err != nil || len(list) != 0 {
			t.Fatalf("open list %v %v", list, err)
		}
		list, _, _ = db.ListIncidents(staffB, other.ID, renkei.IncidentFilter{}, renkei.Page{})
		if len(list) != 0 {
			t.Fatalf("B lists A's incidents: %v", list)
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestIncidentPartnerView(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		staff := asUser(org.ID, renkei.RoleSecurity)
		px := mustCreate(t, db, newPartner(org.ID, "X社", corpNum(911), renkei.PartnerSupplier))
		py := mustCreate(t, db, newPartner(org.ID, "Y社", corpNum(912), renkei.PartnerSupplier))
		partnerX := renkei.WithActor(context.Background(), &renkei.Actor{UserID: "ux", Email: "x@x.example.jp", Role: renkei.RolePartner, PartnerCompanyID: px.Company.ID})
		partnerY := renkei.WithActor(context.Background(), &renkei.Actor{UserID: "uy", Role: renkei.RolePartner, PartnerCompanyID: py.Company.ID})

		in := &renkei.Incident{OrgID: org.ID, PartnerID: px.ID, Type: "emotet", AwareAt: db.Now().Add(-time.Hour), Description: "<script>alert(1)</script>"}
		wantCode(t, "X reports as Y", db.CreateIncident(partnerX, &renkei.Incident{OrgID: org.ID, PartnerID: py.ID, Type: "emotet", AwareAt: in.AwareAt}), renkei.EINVALID)
		if err := db.CreateIncident(partnerX, in); err != nil {
			t.Fatal(err)
		}
		if in.Source != renkei.IncidentSourcePortal {
			t.Fatalf("source %s", in.Source)
		}
		if err := db.AddMessage(staff, &renkei.IncidentMessage{OrgID: org.ID, IncidentID: in.ID, Body: "社内メモ：影響範囲を調査中"}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddMessage(staff, &renkei.IncidentMessage{OrgID: org.ID, IncidentID: in.ID, Body: "感染端末の台数を教えてください", Shared: true}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddMessage(partnerX, &renkei.IncidentMessage{OrgID: org.ID, IncidentID: in.ID, Body: "3台です"}); err != nil {
			t.Fatal(err)
		}
		msgs, err := db.Messages(partnerX, org.ID, in.ID)
		if err != nil || len(msgs) != 2 || msgs[0].Body != "感染端末の台数を教えてください" || msgs[1].FromParty != "partner" {
			t.Fatalf("partner's messages %+v %v", msgs, err)
		}
		if all, _ := db.Messages(staff, org.ID, in.ID); len(all) != 3 {
			t.Fatalf("staff messages %d", len(all))
		}
		_, err = db.Incident(partnerY, org.ID, in.ID)
		wantCode(t, "Y reads X's case", err, renkei.ENOTFOUND)
		_, err = db.Messages(partnerY, org.ID, in.ID)
		wantCode(t, "Y reads X's messages", err, renkei.ENOTFOUND)
		wantCode(t, "Y writes to X's case", db.AddMessage(partnerY, &renkei.IncidentMessage{OrgID: org.ID, IncidentID: in.ID, Body: "x"}), renkei.ENOTFOUND)
		_, err = db.Obligations(partnerX, org.ID, in.ID)
		wantCode(t, "partner reads duties", err, renkei.ENOTFOUND)
		_, err = db.Timeline(partnerX, org.ID, in.ID)
		wantCode(t, "partner reads timeline", err, renkei.ENOTFOUND)
		wantCode(t, "partner triages", db.UpdateIncident(partnerX, in), renkei.ENOTFOUND)
		list, _, err := db.ListIncidents(partnerY, org.ID, renkei.IncidentFilter{}, renkei.Page{})
		if err != nil || len(list) != 0 {
			t.Fatalf("Y's list %v %v", list, err)
		}
		list, _, _ = db.ListIncidents(partnerX, org.ID, renkei.IncidentFilter{}, renkei.Page{})
		if len(list) != 1 || list[0].Description != "<script>alert(1)</script>" {
			t.Fatalf("X's list %v", list)
		}
	})
}

func TestIncidentSettingsAndDecision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		admin, staff := asUser(org.ID, renkei.RoleAdmin), asUser(org.ID, renkei.RoleSecurity)
		s, err := db.IncidentSettings(staff, org.ID)
		if err != nil || s.Rules.Version != 1 || s.Policy.Version != 1 {
			t.Fatalf("defaults %+v %v", s, err)
		}
		wantCode(t, "staff edits settings", db.SaveIncidentSettings(staff, org.ID, s), renkei.EFORBIDDEN)
		s.Industry, s.Flags = "i", []string{"isac_member", "cyber_insurance"}
		for i := range s.Rules.Rules {
			if s.Rules.Rules[i].Code == "appi_preliminary" {
				s.Rules.Rules[i].Clock.Days = 5
			}
		}
		if err := db.SaveIncidentSettings(admin, org.ID, s); err != nil {
			t.Fatal(err)
		}
		s2, _ := db.IncidentSettings(staff, org.ID)
		if s2.Rules.Version != 2 || s2.Policy.Version != 1 || s2.Industry != "i" || len(s2.Flags) != 2 {
			t.Fatalf("saved %+v", s2)
		}
		if err := db.SaveIncidentSettings(admin, org.ID, s2); err != nil {
			t.Fatal(err)
		}
		if s3, _ := db.IncidentSettings(staff, org.ID); s3.Rules.Version != 2 {
			t.Fatalf("unchanged rules made a version: %d", s3.Rules.Version)
		}
		bad := *s2
		bad.Flags = []string{"nuclear"}
		wantCode(t, "unknown flag", db.SaveIncidentSettings(admin, org.ID, &bad), renkei.EINVALID)

		in := &renkei.Incident{OrgID: org.ID, Type: "payment_abuse", AwareAt: db.Now().Add(-time.Hour), ServiceImpact: "major",
			Affects: renkei.Affects{OurNetwork: true}, PersonalData: renkei.PersonalData{Persons: 40, Financial: true}}
		if err := db.CreateIncident(staff, in); err != nil {
			t.Fatal(err)
		}
		d := dutyCodes(must(db.Obligations(staff, org.ID, in.ID)))
		for _, code := range []string{"appi_preliminary", "sector_ministry", "isac_share", "insurer_notice"} {
			if _, ok := d[code]; !ok {
				t.Fatalf("missing %s: %v", code, d)
			}
		}
		if d["appi_preliminary"].RuleVersion != 2 || !d["appi_preliminary"].DueAt.Equal(renkei.EndOfDay(in.AwareAt, 5)) {
			t.Fatalf("preliminary under version 2: %+v", d["appi_preliminary"])
		}
		if dec, err := db.Decision(staff, org.ID, in.ID); err != nil || dec != nil {
			t.Fatalf("decision before any: %v %v", dec, err)
		}
		wantCode(t, "decision without reason", db.DecideDisclosure(staff, org.ID, in.ID, &renkei.DisclosureDecision{Disclose: true}), renkei.EINVALID)
		if err := db.DecideDisclosure(staff, org.ID, in.ID, &renkei.DisclosureDecision{Disclose: true, Reason: "カード情報の不正利用を防ぐため公表する"}); err != nil {
			t.Fatal(err)
		}
		dec, err := db.Decision(staff, org.ID, in.ID)
		if err != nil || !dec.Disclose || dec.Recommendation.Outcome != renkei.RecommendDisclose || dec.DecidedBy == "" {
			t.Fatalf("decision %+v %v", dec, err)
		}
	})
}

func TestIncidentPartnerContractDuty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		staff := asUser(org.ID, renkei.RoleSecurity)
		p := mustCreate(t, db, newPartner(org.ID, "保守会社", corpNum(921), renkei.PartnerSupplier))
		ag := &renkei.Agreement{OrgID: org.ID, PartnerID: p.ID, Requirement: "incident_handling", Contract: "保守契約", ReportingHours: 24}
		if err := db.CreateAgreement(staff, ag); err != nil {
			t.Fatal(err)
		}
		ags, err := db.Agreements(staff, org.ID, p.ID)
		if err != nil || len(ags) != 1 || ags[0].ReportingHours != 24 {
			t.Fatalf("agreement %+v %v", ags, err)
		}
		discovered := db.Now().Add(-72 * time.Hour)
		in := &renkei.Incident{OrgID: org.ID, PartnerID: p.ID, Type: "vpn", DiscoveredAt: &discovered, AwareAt: db.Now().Add(-time.Hour)}
		if err := db.CreateIncident(staff, in); err != nil {
			t.Fatal(err)
		}
		ob, ok := dutyCodes(must(db.Obligations(staff, org.ID, in.ID)))["partner_contract_report"]
		// Discovered 72 hours ago, told us 71 hours later: 24 hours were missed.
		if !ok || ob.Status != renkei.ObligationMissed || !ob.DueAt.Equal(discovered.Add(24*time.Hour).UTC().Truncate(time.Microsecond)) {
			t.Fatalf("contract duty %+v (present %v)", ob, ok)
		}
		ag.ReportingHours = -1
		wantCode(t, "negative hours", db.UpdateAgreement(staff, ag), renkei.EINVALID)
	})
}

func TestIncidentMeasuresStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		staff := asUser(org.ID, renkei.RoleSecurity)
		p := mustCreate(t, db, newPartner(org.ID, "海外拠点A", "", renkei.PartnerOverseas))
		now := db.Now()
		disc := now.Add(-50 * time.Hour)
		in := &renkei.Incident{OrgID: org.ID, PartnerID: p.ID, Type: "ransomware", DiscoveredAt: &disc, AwareAt: now.Add(-48 * time.Hour),
			PersonalData: renkei.PersonalData{Persons: 2000}}
		if err := db.CreateIncident(staff, in); err != nil {
			t.Fatal(err)
		}
		in.Status = renkei.IncidentTriaged
		if err := db.UpdateIncident(staff, in); err != nil {
			t.Fatal(err)
		}
		m, err := db.Measures(staff, org.ID, now.Add(-30*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		rep := m.ByPartnerType[renkei.PartnerOverseas][renkei.StageReporting]
		if m.Cases != 1 || rep.Cases != 1 || rep.MedianHours != 2 || m.Stages[renkei.StageTriage].Cases != 1 {
			t.Fatalf("measures %+v", m)
		}
		// 2,000 persons, aware 48 hours ago: nothing overdue yet (3 days).
		if m.OverdueDuties != 0 {
			t.Fatalf("overdue %+v", m.OverdueByCode)
		}
		db.Now = func() time.Time { return now.Add(4 * 24 * time.Hour) }
		if m, _ := db.Measures(staff, org.ID, now.Add(-30*24*time.Hour)); m.OverdueByCode["appi_preliminary"] != 1 {
			t.Fatalf("four days on: %+v", m.OverdueByCode)
		}
		other := asUser(storetest.Org(t, db, "乙社").ID, renkei.RoleAdmin)
		if m, _ := db.Measures(other, renkei.ActorFrom(other).OrgID, now.Add(-30*24*time.Hour)); m.Cases != 0 {
			t.Fatalf("another org's measures: %+v", m)
		}
	})
}
