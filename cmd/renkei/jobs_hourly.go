package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/jobs"
	"github.com/renkei/renkei/sqlstore"
)

// registerHourly wires a job of kind that runs send every hour (mailing
// what is due at that moment) and logs how many mails it queued as what.
// It returns what starts the hourly enqueueing once the worker runs.
func registerHourly(worker *jobs.Worker, db *sqlstore.DB, kind, what string, log *slog.Logger,
	send func(ctx context.Context, now time.Time) (int, error)) func(ctx context.Context) {
	worker.Register(kind, func(ctx context.Context, _ *renkei.Job) error {
		n, err := send(ctx, time.Now())
		if n > 0 {
			log.Info(what+" queued", "count", n)
		}
		return err
	})
	return func(ctx context.Context) {
		go func() { _ = jobs.EnqueueEvery(ctx, db, kind, time.Hour, time.Now) }()
	}
}
