package demo_test

import (
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/argon2id"
	"github.com/renkei/renkei/demo"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
	"github.com/renkei/renkei/totp"
)

// TestDemoIncidents: the demo holds cases in several states from every
// channel, one with the APPI clock running and one overdue; loading again
// adds none.
func TestDemoIncidents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := renkei.WithActor(storetest.System(), renkei.SystemActor("demo"))
		acc := &renkei.Accounts{Store: db, Hasher: argon2id.New(argon2id.Fast), TOTP: totp.TOTP{}}
		res, err := demo.Load(ctx, db, acc)
		if err != nil {
			t.Fatal(err)
		}
		list, _, err := db.ListIncidents(ctx, res.Org.ID, renkei.IncidentFilter{}, renkei.Page{Limit: 50})
		if err != nil || len(list) != res.Incidents || len(list) < 5 {
			t.Fatalf("incidents: %d listed, %d reported, %v", len(list), res.Incidents, err)
		}
		statuses, sources := map[string]bool{}, map[string]bool{}
		running, overdue := false, false
		for _, in := range list {
			statuses[in.Status], sources[in.Source] = true, true
			obs, err := db.Obligations(ctx, res.Org.ID, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, ob := range obs {
				if ob.Code == "appi_preliminary" && ob.Status == renkei.ObligationOpen {
					running = true
				}
				if ob.Status == renkei.ObligationOverdue {
					overdue = true
				}
			}
		}
		if len(statuses) < 4 || len(sources) != 3 || !running || !overdue {
			t.Fatalf("statuses %v, sources %v, APPI clock running %v, overdue %v", statuses, sources, running, overdue)
		}
		again, err := demo.Load(ctx, db, acc)
		if err != nil || again.Incidents != 0 {
			t.Fatalf("second load: %d incidents, %v", again.Incidents, err)
		}
	})
}
