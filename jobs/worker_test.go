package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/jobs"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// clock is a settable clock safe to read from several goroutines.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(db *sqlstore.DB) *clock {
	c := &clock{t: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)}
	db.Now = c.Now
	return c
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// results records OnResult calls.
type results struct {
	mu  sync.Mutex
	got []string
}

func (r *results) add(kind, outcome string, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, kind+":"+outcome)
}

func (r *results) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.got, ",")
}

// jobRow reads a job's state, attempts and last error straight from the
// table.
func jobRow(t *testing.T, db *sqlstore.DB, id string) (state string, attempts int, lastErr string) {
	t.Helper()
	err := db.SQL().QueryRow(db.Rebind(`SELECT state, attempts, last_error FROM jobs WHERE id = ?`), id).Scan(&state, &attempts, &lastErr)
	if err != nil {
		t.Fatal(err)
	}
	return state, attempts, lastErr
}

func enqueue(t *testing.T, db *sqlstore.DB, j *renkei.Job) *renkei.Job {
	t.Helper()
	added, err := db.Enqueue(context.Background(), j)
	if err != nil || !added {
		t.Fatalf("enqueue %+v: added=%v err=%v", j, added, err)
	}
	return j
}

func runOnce(t *testing.T, w *jobs.Worker) (bool, error) {
	t.Helper()
	return w.RunOnce(context.Background())
}

func TestRetryThenSuccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		var res results
		w := jobs.New(db, jobs.Options{ID: "w1", Logger: testLogger(t), Now: clk.Now, OnResult: res.add})
		var calls atomic.Int32
		w.Register("flaky", func(ctx context.Context, j *renkei.Job) error {
			if a := renkei.ActorFrom(ctx); a == nil || !a.System || a.Label != "job:flaky" {
				t.Errorf("handler actor = %+v", a)
			}
			if calls.Add(1) <= 2 {
				return errors.New("temporary trouble")
			}
			return nil
		})
		j := enqueue(t, db, &renkei.Job{Kind: "flaky"})

		for attempt := 1; attempt <= 2; attempt++ {
			ran, err := runOnce(t, w)
			if !ran || err == nil || !strings.Contains(err.Error(), "temporary trouble") {
				t.Fatalf("attempt %d: ran=%v err=%v", attempt, ran, err)
			}
			state, attempts, lastErr := jobRow(t, db, j.ID)
			if state != renkei.JobAvailable || attempts != attempt || lastErr != "temporary trouble" {
				t.Fatalf("after attempt %d: %s %d %q", attempt, state, attempts, lastErr)
			}
			// The retry is not due before its back-off.
			clk.Advance(renkei.RetryDelay(attempt) - time.Second)
			if ran, err := runOnce(t, w); ran || err != nil {
				t.Fatalf("retry ran before its back-off: ran=%v err=%v", ran, err)
			}
			clk.Advance(time.Second)
		}
		if ran, err := runOnce(t, w); !ran || err != nil {
			t.Fatalf("third attempt: ran=%v err=%v", ran, err)
		}
		if n := calls.Load(); n != 3 {
			t.Fatalf("handler ran %d times, want 3", n)
		}
		state, attempts, lastErr := jobRow(t, db, j.ID)
		if state != renkei.JobDone || attempts != 3 || lastErr != "" {
			t.Fatalf("final: %s %d %q", state, attempts, lastErr)
		}
		if got, want := res.String(), "flaky:retry,flaky:retry,flaky:ok"; got != want {
			t.Fatalf("OnResult = %s, want %s", got, want)
		}
		if ran, err := runOnce(t, w); ran || err != nil {
			t.Fatalf("done job ran again: ran=%v err=%v", ran, err)
		}
	})
}

func TestPanicIsRecordedAsFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		var res results
		w := jobs.New(db, jobs.Options{ID: "w1", Logger: testLogger(t), Now: clk.Now, OnResult: res.add})
		w.Register("boom", func(ctx context.Context, j *renkei.Job) error {
			var m map[string]int
			m["x"] = 1 // nil map write panics
			return nil
		})
		j := enqueue(t, db, &renkei.Job{Kind: "boom", MaxTries: 1})
		ran, err := runOnce(t, w)
		if !ran || err == nil || !strings.Contains(err.Error(), "panicked") {
			t.Fatalf("ran=%v err=%v", ran, err)
		}
		state, attempts, lastErr := jobRow(t, db, j.ID)
		if state != renkei.JobFailed || attempts != 1 || !strings.Contains(lastErr, "panicked") || !strings.Contains(lastErr, "nil map") {
			t.Fatalf("after panic: %s %d %q", state, attempts, lastErr)
		}
		if got := res.String(); got != "boom:failed" {
			t.Fatalf("OnResult = %s", got)
		}
	})
}

func TestFailedAfterMaxTries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		var res results
		w := jobs.New(db, jobs.Options{ID: "w1", Logger: testLogger(t), Now: clk.Now, OnResult: res.add})
		var calls atomic.Int32
		w.Register("never", func(ctx context.Context, j *renkei.Job) error {
			calls.Add(1)
			return fmt.Errorf("attempt %d failed", j.Attempts)
		})
		j := enqueue(t, db, &renkei.Job{Kind: "never", MaxTries: 3})
		for i := 1; i <= 3; i++ {
			if ran, err := runOnce(t, w); !ran || err == nil {
				t.Fatalf("attempt %d: ran=%v err=%v", i, ran, err)
			}
			clk.Advance(time.Hour)
		}
		if ran, err := runOnce(t, w); ran || err != nil {
			t.Fatalf("ran after giving up: ran=%v err=%v", ran, err)
		}
		state, attempts, lastErr := jobRow(t, db, j.ID)
		if state != renkei.JobFailed || attempts != 3 || lastErr != "attempt 3 failed" || calls.Load() != 3 {
			t.Fatalf("final: %s %d %q calls=%d", state, attempts, lastErr, calls.Load())
		}
		if got, want := res.String(), "never:retry,never:retry,never:failed"; got != want {
			t.Fatalf("OnResult = %s, want %s", got, want)
		}
		counts, err := db.JobCounts(context.Background())
		if err != nil || counts[renkei.JobFailed] != 1 || counts[renkei.JobAvailable] != 0 {
			t.Fatalf("counts %v %v", counts, err)
		}
	})
}

func TestUnknownKindFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		w := jobs.New(db, jobs.Options{ID: "w1", Logger: testLogger(t), Now: clk.Now})
		j := enqueue(t, db, &renkei.Job{Kind: "mystery", MaxTries: 2})
		ran, err := runOnce(t, w)
		if !ran || err == nil || !strings.Contains(err.Error(), `no handler registered for kind "mystery"`) {
			t.Fatalf("ran=%v err=%v", ran, err)
		}
		state, _, lastErr := jobRow(t, db, j.ID)
		if state != renkei.JobAvailable || !strings.Contains(lastErr, "mystery") {
			t.Fatalf("%s %q", state, lastErr)
		}
	})
}

func TestSameKeyRunsOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		w := jobs.New(db, jobs.Options{ID: "w1", Logger: testLogger(t), Now: clk.Now})
		var calls atomic.Int32
		w.Register("report", func(ctx context.Context, j *renkei.Job) error {
			calls.Add(1)
			return nil
		})
		ctx := context.Background()
		for i := range 2 {
			added, err := db.Enqueue(ctx, &renkei.Job{Kind: "report", Key: "org-1/2026-11"})
			if err != nil || added != (i == 0) {
				t.Fatalf("enqueue %d: added=%v err=%v", i, added, err)
			}
		}
		for {
			ran, err := runOnce(t, w)
			if err != nil {
				t.Fatal(err)
			}
			if !ran {
				break
			}
		}
		if n := calls.Load(); n != 1 {
			t.Fatalf("ran %d times, want 1", n)
		}
		// A key used again after the job is done is still a no-op.
		added, err := db.Enqueue(ctx, &renkei.Job{Kind: "report", Key: "org-1/2026-11"})
		if err != nil || added {
			t.Fatalf("re-enqueue after done: added=%v err=%v", added, err)
		}
	})
}

func TestLeaseExpiryAfterCrash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		ctx := context.Background()
		lease := time.Minute
		j := enqueue(t, db, &renkei.Job{Kind: "work"})

		// Worker A claims the job and dies: it never completes nor fails.
		claimed, err := db.Claim(ctx, "worker-a", lease)
		if err != nil || claimed == nil || claimed.ID != j.ID {
			t.Fatalf("A claim: %+v %v", claimed, err)
		}

		var calls atomic.Int32
		b := jobs.New(db, jobs.Options{ID: "worker-b", Lease: lease, Logger: testLogger(t), Now: clk.Now})
		b.Register("work", func(ctx context.Context, got *renkei.Job) error {
			calls.Add(1)
			if got.Attempts != 2 {
				t.Errorf("attempts seen by B = %d, want 2", got.Attempts)
			}
			return nil
		})
		// While A's lease holds, B finds nothing.
		clk.Advance(lease - time.Second)
		if ran, err := runOnce(t, b); ran || err != nil {
			t.Fatalf("B ran a leased job: ran=%v err=%v", ran, err)
		}
		clk.Advance(2 * time.Second)
		if ran, err := runOnce(t, b); !ran || err != nil {
			t.Fatalf("B after lease expiry: ran=%v err=%v", ran, err)
		}
		if calls.Load() != 1 {
			t.Fatalf("B ran %d times", calls.Load())
		}
		// A comes back late: its completion no longer counts, the job stays
		// B's.
		if err := db.Fail(ctx, j.ID, "worker-a", "late", clk.Now()); err != nil {
			t.Fatal(err)
		}
		state, attempts, lastErr := jobRow(t, db, j.ID)
		if state != renkei.JobDone || attempts != 2 || lastErr != "" {
			t.Fatalf("final: %s %d %q", state, attempts, lastErr)
		}
	})
}

func TestLongJapaneseErrorIsStoredOnPostgres(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		w := jobs.New(db, jobs.Options{ID: "w1", Logger: testLogger(t), Now: clk.Now})
		// 3-byte runes plus one byte: the store's own byte cut would split a
		// rune; the worker cuts on a rune boundary first.
		long := "x" + strings.Repeat("送信失敗", 400) + "\xff"
		w.Register("jp", func(ctx context.Context, j *renkei.Job) error { return errors.New(long) })
		j := enqueue(t, db, &renkei.Job{Kind: "jp"})
		if ran, err := runOnce(t, w); !ran || err == nil || strings.Contains(err.Error(), "fail job") {
			t.Fatalf("ran=%v err=%v", ran, err)
		}
		state, _, lastErr := jobRow(t, db, j.ID)
		if state != renkei.JobAvailable || len(lastErr) > 2000 || !strings.HasPrefix(lastErr, "x送信失敗") {
			t.Fatalf("%s len=%d", state, len(lastErr))
		}
	})
}

func TestRunDrainsQueueAndShutsDownGracefully(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		const n = 20
		for i := range n {
			enqueue(t, db, &renkei.Job{Kind: "n", Key: fmt.Sprint(i)})
		}
		var calls atomic.Int32
		w := jobs.New(db, jobs.Options{ID: "w1", Logger: testLogger(t), Concurrency: 3, Poll: 10 * time.Millisecond, Now: clk.Now})
		w.Register("n", func(ctx context.Context, j *renkei.Job) error {
			calls.Add(1)
			return nil
		})
		started := make(chan struct{})
		var finished atomic.Bool
		ctx, cancel := context.WithCancel(context.Background())
		w.Register("slow", func(hctx context.Context, j *renkei.Job) error {
			close(started)
			<-ctx.Done() // the worker is shutting down...
			if hctx.Err() != nil {
				return errors.New("handler context was cancelled by shutdown")
			}
			finished.Store(true) // ...and this job still finishes.
			return nil
		})
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()

		waitUntil(t, func() bool { return calls.Load() == n })
		enqueue(t, db, &renkei.Job{Kind: "slow"})
		w.Wake()
		<-started
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}
		if !finished.Load() {
			t.Fatal("Run returned before the in-flight job finished")
		}
		counts, err := db.JobCounts(context.Background())
		if err != nil || counts[renkei.JobDone] != n+1 || counts[renkei.JobRunning] != 0 {
			t.Fatalf("counts %v %v", counts, err)
		}
		if calls.Load() != n {
			t.Fatalf("calls %d", calls.Load())
		}
	})
}

// testLogger writes the worker's log to the test's output.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

// waitUntil polls cond; the deadline only stops a broken test from hanging.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 30s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestDefaultID(t *testing.T) {
	a := jobs.New(nil, jobs.Options{})
	b := jobs.New(nil, jobs.Options{})
	if a.ID() == "" || a.ID() == b.ID() {
		t.Fatalf("ids %q %q", a.ID(), b.ID())
	}
}
