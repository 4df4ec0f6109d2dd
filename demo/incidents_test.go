package demo_test

import (
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// TestDemoIncidents: the demo holds cases in several states from every
// channel, one with the APPI clock running and one overdue; loading again
// adds none.
func TestDemoIncidents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, res, again := loadDemo(t, db)
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
		if n := again().Incidents; n != 0 {
			t.Fatalf("second load: %d incidents", n)
		}
	})
}
