// Package jobs runs Renkei's durable background jobs from a renkei.JobQueue.
//
// Jobs run at least once. A worker claims a job with a lease; if the worker
// dies, the lease runs out and another worker (on this replica or another)
// claims the job again. Handlers must therefore be idempotent. A failed
// attempt is retried after renkei.RetryDelay(attempt); after MaxTries
// attempts the job is left in the failed state for an operator to look at.
//
// The package depends only on the domain core and the standard library.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/renkei/renkei"
)

// Handler runs one job. It returns nil when the job is done; an error
// schedules a retry (or marks the job failed when its tries are used up).
// The context carries a system actor labelled "job:<kind>", and ends when the
// job's lease does.
type Handler func(ctx context.Context, j *renkei.Job) error

// Outcomes reported to Options.OnResult.
const (
	OutcomeOK     = "ok"     // the handler succeeded
	OutcomeRetry  = "retry"  // the handler failed; a retry is scheduled
	OutcomeFailed = "failed" // the handler failed on its last try
)

// Options configure a Worker. Zero values take the defaults.
type Options struct {
	// ID names the worker in the queue's lease; default hostname-pid-random.
	ID string
	// Concurrency is how many jobs run at once; default 2.
	Concurrency int
	// Poll is how long an idle worker waits before looking again; default 1s.
	Poll time.Duration
	// Lease is how long a claimed job belongs to this worker; default 5m.
	// A handler still running when its lease ends may see the job claimed
	// by another worker, so its context ends then.
	Lease time.Duration
	// Logger receives one line per failure; default slog.Default().
	Logger *slog.Logger
	// Now is the clock for retry times; default time.Now.
	Now func() time.Time
	// OnResult, if set, is called after every run (for metrics); outcome is
	// OutcomeOK, OutcomeRetry or OutcomeFailed, d the handler's wall time.
	OnResult func(kind, outcome string, d time.Duration)
}

// maxErrorBytes bounds the error text stored with a job.
const maxErrorBytes = 2000

// recordTimeout bounds the write that records a job's outcome.
const recordTimeout = 30 * time.Second

// Worker claims jobs from a queue and runs their handlers.
type Worker struct {
	queue renkei.JobQueue
	opts  Options
	log   *slog.Logger

	mu       sync.RWMutex
	handlers map[string]Handler

	wake chan struct{}
}

// New returns a worker on queue. Register handlers before calling Run.
func New(queue renkei.JobQueue, opts Options) *Worker {
	if opts.ID == "" {
		opts.ID = defaultID()
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 2
	}
	if opts.Poll <= 0 {
		opts.Poll = time.Second
	}
	if opts.Lease <= 0 {
		opts.Lease = 5 * time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Worker{
		queue:    queue,
		opts:     opts,
		log:      opts.Logger.With("worker", opts.ID),
		handlers: map[string]Handler{},
		wake:     make(chan struct{}, 1),
	}
}

func defaultID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "worker"
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// ID returns the worker's name in the queue.
func (w *Worker) ID() string { return w.opts.ID }

// Register sets the handler for a job kind, replacing any earlier one.
func (w *Worker) Register(kind string, h Handler) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.handlers[kind] = h
}

func (w *Worker) handler(kind string) Handler {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.handlers[kind]
}

// Wake nudges an idle Run loop to look for jobs now, for instance right
// after enqueueing in the same process. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run claims and runs jobs, up to Options.Concurrency at a time, until ctx
// is cancelled. It then stops claiming, waits for the jobs in flight to
// finish (their handlers' contexts are not cancelled by ctx, only by their
// lease) and returns nil.
func (w *Worker) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	slots := make(chan struct{}, w.opts.Concurrency)
	for {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		j, err := w.queue.Claim(ctx, w.opts.ID, w.opts.Lease)
		if ctx.Err() != nil {
			// A claim may have committed just as ctx ended: run it rather
			// than leave it leased to nobody until the lease runs out.
			if err == nil && j != nil {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_ = w.execute(ctx, j)
				}()
			}
			return nil
		}
		if err != nil {
			w.log.Warn("jobs: claim failed", "err", err)
		}
		if err != nil || j == nil {
			<-slots
			if !w.idle(ctx) {
				return nil
			}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			_ = w.execute(ctx, j)
		}()
	}
}

// idle waits for the poll interval or a Wake; it reports false when ctx
// ended.
func (w *Worker) idle(ctx context.Context) bool {
	t := time.NewTimer(w.opts.Poll)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-w.wake:
	case <-t.C:
	}
	return true
}

// RunOnce claims at most one due job and runs it. ran reports whether a
// job was claimed. When it ran, err is the handler's error (already
// recorded in the queue as a retry or a failure) joined with any error
// recording the outcome; when it did not, err is the claim's error.
func (w *Worker) RunOnce(ctx context.Context) (ran bool, err error) {
	j, err := w.queue.Claim(ctx, w.opts.ID, w.opts.Lease)
	if err != nil || j == nil {
		return false, err
	}
	return true, w.execute(ctx, j)
}

// execute runs a claimed job and records the outcome.
func (w *Worker) execute(ctx context.Context, j *renkei.Job) error {
	start := time.Now()
	herr := w.call(ctx, j)
	elapsed := time.Since(start)

	// Record the outcome even when ctx is cancelled (graceful shutdown),
	// but not forever.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	log := w.log.With("job", j.ID, "kind", j.Kind, "attempt", j.Attempts, "max_tries", j.MaxTries)
	if herr == nil {
		w.result(j.Kind, OutcomeOK, elapsed)
		if err := w.queue.Complete(rctx, j.ID, w.opts.ID); err != nil {
			log.Error("jobs: recording completion failed; the job will run again when its lease ends", "err", err)
			return fmt.Errorf("complete job %s: %w", j.ID, err)
		}
		return nil
	}
	outcome := OutcomeRetry
	if j.Attempts >= j.MaxTries {
		outcome = OutcomeFailed
	}
	retryAt := w.opts.Now().Add(renkei.RetryDelay(j.Attempts))
	w.result(j.Kind, outcome, elapsed)
	if outcome == OutcomeFailed {
		log.Error("jobs: job failed for good", "err", herr)
	} else {
		log.Warn("jobs: job failed; will retry", "err", herr, "retry_at", retryAt)
	}
	if err := w.queue.Fail(rctx, j.ID, w.opts.ID, errorText(herr), retryAt); err != nil {
		log.Error("jobs: recording failure failed; the job will run again when its lease ends", "err", err)
		return errors.Join(herr, fmt.Errorf("fail job %s: %w", j.ID, err))
	}
	return herr
}

// call runs the handler with the job's context, turning a missing handler
// and a panic into errors.
func (w *Worker) call(ctx context.Context, j *renkei.Job) (err error) {
	h := w.handler(j.Kind)
	if h == nil {
		// Retried like any failure: during a rolling deploy, a newer
		// replica may know the kind.
		return fmt.Errorf("jobs: no handler registered for kind %q on worker %s", j.Kind, w.opts.ID)
	}
	hctx := renkei.WithActor(context.WithoutCancel(ctx), renkei.SystemActor("job:"+j.Kind))
	hctx, cancel := context.WithTimeout(hctx, w.opts.Lease)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			w.log.Error("jobs: handler panicked", "job", j.ID, "kind", j.Kind, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("jobs: handler panicked: %v", r)
		}
	}()
	return h(hctx, j)
}

func (w *Worker) result(kind, outcome string, d time.Duration) {
	if w.opts.OnResult != nil {
		w.opts.OnResult(kind, outcome, d)
	}
}

// errorText makes an error storable: valid UTF-8 (PostgreSQL rejects
// anything else) and at most maxErrorBytes, cut on a rune boundary.
func errorText(err error) string {
	s := strings.ToValidUTF8(err.Error(), "\uFFFD")
	if len(s) <= maxErrorBytes {
		return s
	}
	cut := maxErrorBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
