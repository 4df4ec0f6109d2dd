package jobs

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/renkei/renkei"
)

// PeriodicPayload is the payload of a job enqueued by EnqueueEvery: the
// start of its slot, in UTC.
type PeriodicPayload struct {
	Slot time.Time `json:"slot"`
}

// Slot returns the start of the slot of length every that holds t. Slots
// are aligned like time.Truncate, on UTC: a 24-hour slot starts at 00:00
// UTC, which is 09:00 in Japan.
func Slot(t time.Time, every time.Duration) time.Time {
	return t.UTC().Truncate(every)
}

// SlotKey is the idempotency key of the periodic job of kind for the slot
// that holds t: kind + "@" + the slot's start in RFC 3339.
func SlotKey(kind string, every time.Duration, t time.Time) string {
	return kind + "@" + Slot(t, every).Format(time.RFC3339)
}

// EnqueueSlot enqueues the periodic job of kind for the slot that holds t.
// Every replica may call it; the key makes it one job per slot. It reports
// whether this call added the job.
func EnqueueSlot(ctx context.Context, queue renkei.JobQueue, kind string, every time.Duration, t time.Time) (bool, error) {
	payload, err := json.Marshal(PeriodicPayload{Slot: Slot(t, every)})
	if err != nil {
		return false, err
	}
	return queue.Enqueue(ctx, &renkei.Job{Kind: kind, Key: SlotKey(kind, every, t), Payload: payload})
}

// EnqueueEvery enqueues the job of kind once per slot of length every, at
// the start and then at each slot boundary, until ctx is cancelled; it then
// returns nil. Run it on every replica: the slot key makes the job appear
// once per slot however many replicas run it. now is the clock for the slot
// (default time.Now); the waits between slots use real time. A failed
// enqueue is logged and tried again after a tenth of the period (at most a
// minute).
func EnqueueEvery(ctx context.Context, queue renkei.JobQueue, kind string, every time.Duration, now func() time.Time) error {
	if every <= 0 {
		panic("jobs.EnqueueEvery: every must be positive")
	}
	if now == nil {
		now = time.Now
	}
	for {
		t := now()
		wait := Slot(t, every).Add(every).Sub(t)
		if _, err := EnqueueSlot(ctx, queue, kind, every, t); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			slog.Default().Warn("jobs: periodic enqueue failed", "kind", kind, "err", err)
			wait = min(every/10, time.Minute)
		}
		if wait <= 0 {
			wait = time.Millisecond
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		}
	}
}
