package jobs_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/renkei/renkei/jobs"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

func TestSlotKey(t *testing.T) {
	jst := time.FixedZone("JST", 9*3600)
	cases := []struct {
		t     time.Time
		every time.Duration
		want  string
	}{
		{time.Date(2026, 11, 26, 10, 59, 59, 0, time.UTC), time.Hour, "reminders@2026-11-26T10:00:00Z"},
		{time.Date(2026, 11, 26, 11, 0, 0, 0, time.UTC), time.Hour, "reminders@2026-11-26T11:00:00Z"},
		// Slots are on UTC whatever the zone of t: 08:30 JST is 23:30 UTC
		// the day before.
		{time.Date(2026, 11, 26, 8, 30, 0, 0, jst), 24 * time.Hour, "reminders@2026-11-25T00:00:00Z"},
		{time.Date(2026, 11, 26, 9, 0, 0, 0, jst), 24 * time.Hour, "reminders@2026-11-26T00:00:00Z"},
		{time.Date(2026, 11, 26, 10, 7, 0, 0, time.UTC), 15 * time.Minute, "reminders@2026-11-26T10:00:00Z"},
	}
	for _, c := range cases {
		if got := jobs.SlotKey("reminders", c.every, c.t); got != c.want {
			t.Errorf("SlotKey(%v, %v) = %s, want %s", c.t, c.every, got, c.want)
		}
	}
}

func TestEnqueueSlotOncePerSlotAcrossReplicas(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		base := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
		added := 0
		// Three replicas tick at slightly different moments in each of two
		// hourly slots.
		for _, off := range []time.Duration{0, time.Second, 59 * time.Minute, time.Hour, time.Hour + 2*time.Second, time.Hour + 30*time.Minute} {
			ok, err := jobs.EnqueueSlot(ctx, db, "reminders", time.Hour, base.Add(off))
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				added++
			}
		}
		if added != 2 {
			t.Fatalf("added %d jobs, want 2", added)
		}
		counts, err := db.JobCounts(ctx)
		if err != nil || counts["available"] != 2 {
			t.Fatalf("counts %v %v", counts, err)
		}
		var payload string
		if err := db.SQL().QueryRow(db.Rebind(`SELECT payload FROM jobs WHERE job_key = ?`), "reminders@2026-11-26T11:00:00Z").Scan(&payload); err != nil {
			t.Fatal(err)
		}
		var p jobs.PeriodicPayload
		if err := json.Unmarshal([]byte(payload), &p); err != nil || !p.Slot.Equal(base.Add(time.Hour)) {
			t.Fatalf("payload %s: %+v %v", payload, p, err)
		}
	})
}

func TestEnqueueEveryEnqueuesCurrentSlotAndStops(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		now := func() time.Time { return time.Date(2026, 11, 26, 10, 20, 0, 0, time.UTC) }
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 2)
		// Two replicas.
		go func() { done <- jobs.EnqueueEvery(ctx, db, "digest", time.Hour, now) }()
		go func() { done <- jobs.EnqueueEvery(ctx, db, "digest", time.Hour, now) }()
		var key string
		waitUntil(t, func() bool {
			err := db.SQL().QueryRow(db.Rebind(`SELECT job_key FROM jobs WHERE kind = ?`), "digest").Scan(&key)
			return err == nil
		})
		cancel()
		for range 2 {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := db.SQL().QueryRow(db.Rebind(`SELECT COUNT(*) FROM jobs WHERE kind = ?`), "digest").Scan(&n); err != nil || n != 1 {
			t.Fatalf("jobs %d %v", n, err)
		}
		if key != "digest@2026-11-26T10:00:00Z" {
			t.Fatalf("key %s", key)
		}
	})
}
