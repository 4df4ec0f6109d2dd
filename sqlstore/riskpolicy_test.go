package sqlstore_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

func TestRiskRecomputedOnUpdateWithHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		clock := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		user := asUser(org.ID, renkei.RoleSecurity)
		p := newPartner(org.ID, "保守ベンダー", "", renkei.PartnerSupplier)
		p.Profile.Provides = []string{"it_systems"}
		if err := db.CreatePartner(user, p); err != nil {
			t.Fatal(err)
		}
		if p.Risk.Score != 5 || p.Required != renkei.LevelStar3 {
			t.Fatalf("initial: %+v %s", p.Risk, p.Required)
		}

		// Turning on reaches_internal_network: star4 with its reason.
		clock = clock.Add(time.Hour)
		p.Profile.ReachesInternalNetwork = true
		if err := db.UpdatePartner(user, p); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Partner(user, org.ID, p.ID)
		if got.Required != renkei.LevelStar4 || got.Risk.Score != 25 || got.Risk.Tier != renkei.TierLow ||
			got.Risk.Reasons[0].Factor != "reaches_internal_network" || got.Risk.Reasons[0].EN == "" {
			t.Fatalf("after update: %+v %s", got.Risk, got.Required)
		}
		if got.RequiredReason.EN != "star 4 is required: can reach our internal network" {
			t.Fatalf("required reason: %q", got.RequiredReason.EN)
		}

		// A change that touches neither the risk's inputs nor its result
		// writes no history.
		clock = clock.Add(time.Hour)
		got.Notes = "メモだけ"
		if err := db.UpdatePartner(user, got); err != nil {
			t.Fatal(err)
		}
		hist, err := db.RiskHistory(user, org.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 {
			t.Fatalf("history: %+v", hist)
		}
		newest, oldest := hist[0], hist[1]
		if !newest.At.Equal(time.Date(2026, 5, 1, 1, 0, 0, 0, time.UTC)) || newest.Score != 25 || newest.Required != renkei.LevelStar4 ||
			len(newest.Reasons) != 2 || newest.Reasons[0].JA == "" || newest.ActorID == "" {
			t.Fatalf("newest entry: %+v", newest)
		}
		if !oldest.At.Equal(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)) || oldest.Score != 5 || oldest.Required != renkei.LevelStar3 {
			t.Fatalf("oldest entry: %+v", oldest)
		}
		// Employees count is an input (small-supplier rule): history.
		clock = clock.Add(time.Hour)
		got.Company.Employees = 10
		if err := db.UpdatePartner(user, got); err != nil {
			t.Fatal(err)
		}
		if hist, _ := db.RiskHistory(user, org.ID, p.ID); len(hist) != 3 {
			t.Fatalf("employees change not recorded: %d entries", len(hist))
		}
		// Saving the partner unchanged is no update at all.
		before := auditCount(t, db, org.ID)
		same, _ := db.Partner(user, org.ID, p.ID)
		if err := db.UpdatePartner(user, same); err != nil {
			t.Fatal(err)
		}
		if auditCount(t, db, org.ID) != before {
			t.Fatal("a no-op update was audited")
		}
	})
}

func TestRiskPolicyChangeReevaluatesEveryPartner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org, other := storetest.Org(t, db, "甲社"), storetest.Org(t, db, "乙社")
		rp, err := db.RiskPolicy(ctx, org.ID)
		if err != nil || !reflect.DeepEqual(rp, renkei.DefaultRiskPolicy()) {
			t.Fatalf("unset policy: %+v %v", rp, err)
		}
		small := newPartner(org.ID, "町工場", "", renkei.PartnerSupplier)
		small.Company.Employees = 8
		small.Profile.Provides = []string{"direct_materials"}
		mustCreate(t, db, small)
		saas := newPartner(org.ID, "クラウド", "", renkei.PartnerSupplier)
		saas.Profile.Provides = []string{"saas"}
		saas.Profile.PersonalDataCount = 2000
		mustCreate(t, db, saas) // 5 + 10 + 5 = 20: low
		archived := newPartner(org.ID, "旧取引先", "", renkei.PartnerSupplier)
		archived.Profile.Provides = []string{"saas"}
		mustCreate(t, db, archived)
		if err := db.ArchivePartner(ctx, org.ID, archived.ID, true); err != nil {
			t.Fatal(err)
		}
		elsewhere := newPartner(other.ID, "他社のクラウド", "", renkei.PartnerSupplier)
		elsewhere.Profile.Provides = []string{"saas"}
		mustCreate(t, db, elsewhere)

		bad := renkei.RiskPolicy{Weights: map[string]int{"no_such_factor": 5}}
		wantCode(t, "invalid policy", db.SetRiskPolicy(ctx, org.ID, bad), renkei.EINVALID)

		policy := renkei.RiskPolicy{Weights: map[string]int{"saas": 25}, HighAt: 40, MediumAt: 20,
			SmallSupplierLevel: renkei.LevelStar1, SmallSupplierMaxEmployees: 20}
		if err := db.SetRiskPolicy(ctx, org.ID, policy); err != nil {
			t.Fatal(err)
		}
		stored, _ := db.RiskPolicy(ctx, org.ID)
		if !reflect.DeepEqual(stored, policy) {
			t.Fatalf("stored policy %+v", stored)
		}
		gotSaas, _ := db.Partner(ctx, org.ID, saas.ID)
		if gotSaas.Risk.Score != 40 || gotSaas.Risk.Tier != renkei.TierHigh {
			t.Fatalf("saas partner not re-evaluated: %+v", gotSaas.Risk)
		}
		gotSmall, _ := db.Partner(ctx, org.ID, small.ID)
		if gotSmall.Required != renkei.LevelStar1 || gotSmall.RequiredReason.JA == "" {
			t.Fatalf("small supplier rule not applied: %s %+v", gotSmall.Required, gotSmall.RequiredReason)
		}
		gotArchived, _ := db.Partner(ctx, org.ID, archived.ID)
		if gotArchived.Risk.Score != 25 {
			t.Fatalf("archived partner not re-evaluated: %+v", gotArchived.Risk)
		}
		if h, _ := db.RiskHistory(ctx, org.ID, saas.ID); len(h) != 2 || h[0].Score != 40 || h[0].Tier != renkei.TierHigh {
			t.Fatalf("saas history: %+v", h)
		}
		if h, _ := db.RiskHistory(ctx, org.ID, small.ID); len(h) != 2 || h[0].Required != renkei.LevelStar1 {
			t.Fatalf("small history: %+v", h)
		}
		// Filters see the new results.
		if n, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{Tier: renkei.TierHigh}); n != 1 {
			t.Fatalf("high count %d", n)
		}
		// The other organization is untouched.
		gotElse, _ := db.Partner(ctx, other.ID, elsewhere.ID)
		if gotElse.Risk.Score != 5 {
			t.Fatalf("another org's partner re-evaluated: %+v", gotElse.Risk)
		}
		if h, _ := db.RiskHistory(ctx, other.ID, elsewhere.ID); len(h) != 1 {
			t.Fatalf("another org's history: %+v", h)
		}
		// Setting the same policy again changes no partner.
		if err := db.SetRiskPolicy(ctx, org.ID, policy); err != nil {
			t.Fatal(err)
		}
		if h, _ := db.RiskHistory(ctx, org.ID, saas.ID); len(h) != 2 {
			t.Fatalf("unchanged result recorded: %d entries", len(h))
		}
	})
}

// TestRiskPolicyChangeRewritesManyPartners crosses the batch sizes of the
// re-evaluation.
func TestRiskPolicyChangeRewritesManyPartners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		org := storetest.Org(t, db, "甲社")
		if res, err := db.ImportPartners(ctx, org.ID, importRows(650), renkei.ImportAllOrNothing, false); err != nil || res.Created != 650 {
			t.Fatalf("import: %+v %v", res, err)
		}
		// Rows with saas (every third) also reach the network: 25 points.
		if n, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{Tier: renkei.TierLow}); n != 650 {
			t.Fatalf("%d low before", n)
		}
		if err := db.SetRiskPolicy(ctx, org.ID, renkei.RiskPolicy{Weights: map[string]int{"saas": 40}}); err != nil {
			t.Fatal(err)
		}
		high, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{Tier: renkei.TierHigh})
		low, _ := db.CountPartners(ctx, org.ID, renkei.PartnerFilter{Tier: renkei.TierLow})
		if high != 217 || low != 433 {
			t.Fatalf("after policy: %d high, %d low", high, low)
		}
		if n := historyCount(t, db, org.ID); n != 650+217 {
			t.Fatalf("%d history rows", n)
		}
		list, _, _ := db.ListPartners(ctx, org.ID, renkei.PartnerFilter{Tier: renkei.TierHigh}, renkei.Page{Limit: 1})
		if len(list) != 1 || list[0].Risk.Score != 60 || list[0].Risk.Reasons[0].Factor != "saas" || list[0].Risk.Reasons[0].Points != 40 {
			t.Fatalf("stored evaluation: %+v", list)
		}
	})
}
