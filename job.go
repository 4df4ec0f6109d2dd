package renkei

import (
	"context"
	"time"
)

// Job is one unit of durable background work. Jobs run at least once;
// handlers must be idempotent, and Key makes enqueueing idempotent: a second
// Enqueue with the same kind and key is a no-op.
type Job struct {
	ID        string
	Kind      string
	Key       string
	Payload   []byte // JSON
	Attempts  int
	MaxTries  int
	RunAt     time.Time
	LastError string
}

// JobStates.
const (
	JobAvailable = "available"
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed" // gave up after MaxTries
)

// JobQueue is the durable queue behind background work.
type JobQueue interface {
	// Enqueue adds a job unless one with the same kind and key exists; it
	// reports whether a new job was added.
	Enqueue(ctx context.Context, j *Job) (bool, error)
	// Claim takes the next due job for this worker and leases it until
	// now+lease; an expired lease makes the job claimable again (crash).
	Claim(ctx context.Context, worker string, lease time.Duration) (*Job, error)
	Complete(ctx context.Context, id, worker string) error
	// Fail records an error and schedules a retry at retryAt, or marks the
	// job failed when its attempts are used up.
	Fail(ctx context.Context, id, worker, msg string, retryAt time.Time) error
	JobCounts(ctx context.Context) (map[string]int, error)
}

// RetryDelay is the back-off after the n-th failed attempt: 10s, 40s, 90s…
// capped at one hour.
func RetryDelay(attempt int) time.Duration {
	d := time.Duration(attempt*attempt) * 10 * time.Second
	if d > time.Hour || d <= 0 {
		return time.Hour
	}
	return d
}
