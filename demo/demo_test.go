package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/argon2id"
	"github.com/renkei/renkei/demo"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
	"github.com/renkei/renkei/totp"
)

func TestDemoLoadsOnceWithGaps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, res, load := loadDemo(t, db)
		if !res.Created || !res.Org.Demo || len(res.Users) != 6 || res.Partners != demo.PartnerCount {
			t.Fatalf("first load: %+v", res)
		}
		org := res.Org.ID
		count := func(f renkei.PartnerFilter) int {
			n, err := db.CountPartners(ctx, org, f)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(renkei.PartnerFilter{}); n != demo.PartnerCount {
			t.Fatalf("partners: %d", n)
		}
		for _, typ := range []string{renkei.PartnerSupplier, renkei.PartnerGroup, renkei.PartnerOverseas} {
			if count(renkei.PartnerFilter{Type: typ}) == 0 {
				t.Errorf("no %s partners", typ)
			}
		}
		for _, lvl := range []string{renkei.LevelStar3, renkei.LevelStar4} {
			if count(renkei.PartnerFilter{RequiredLevel: lvl}) == 0 {
				t.Errorf("no partners at %s", lvl)
			}
		}
		for _, tier := range []string{renkei.TierHigh, renkei.TierMedium, renkei.TierLow} {
			if count(renkei.PartnerFilter{Tier: tier}) == 0 {
				t.Errorf("no %s-tier partners", tier)
			}
		}
		if n := count(renkei.PartnerFilter{MissingIncidentInfo: true}); n == 0 || n == demo.PartnerCount {
			t.Errorf("partners without incident contact: %d", n)
		}
		if n := count(renkei.PartnerFilter{MissingAgreement: "incident_handling"}); n == 0 || n == demo.PartnerCount {
			t.Errorf("partners without an incident-handling agreement: %d", n)
		}
		exp, _, err := db.ExpiringAgreements(ctx, org, 90*24*time.Hour, renkei.Page{})
		if err != nil || len(exp) == 0 {
			t.Errorf("expiring agreements: %d %v", len(exp), err)
		}
		if again := load(); again.Created || count(renkei.PartnerFilter{}) != demo.PartnerCount {
			t.Fatalf("second load must add nothing: %+v", again)
		}
	})
}

// loadDemo loads the demo as the server does, as the system, and returns
// the context it used, what it made, and a function that loads it again
// (failing the test on an error).
func loadDemo(t *testing.T, db *sqlstore.DB) (context.Context, *demo.Result, func() *demo.Result) {
	t.Helper()
	ctx := renkei.WithActor(storetest.System(), renkei.SystemActor("demo"))
	acc := &renkei.Accounts{Store: db, Hasher: argon2id.New(argon2id.Fast), TOTP: totp.TOTP{}}
	load := func() *demo.Result {
		t.Helper()
		res, err := demo.Load(ctx, db, acc)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	return ctx, load(), load
}
