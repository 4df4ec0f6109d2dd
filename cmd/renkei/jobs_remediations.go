package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/jobs"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/web"
)

// registerRemediationJobs wires the hourly remediation reminder job: the
// handler mails what is due (renkei.SendRemediationReminders, rendered by
// the web adapter with links under baseURL). It returns what starts the
// hourly enqueueing once the worker runs.
func registerRemediationJobs(worker *jobs.Worker, db *sqlstore.DB, baseURL string, log *slog.Logger) func(ctx context.Context) {
	render := web.RemediationReminderMail(baseURL)
	worker.Register(renkei.KindRemediationReminders, func(ctx context.Context, _ *renkei.Job) error {
		n, err := renkei.SendRemediationReminders(ctx, db, render, time.Now())
		if n > 0 {
			log.Info("remediation reminders queued", "count", n)
		}
		return err
	})
	return func(ctx context.Context) {
		go func() { _ = jobs.EnqueueEvery(ctx, db, renkei.KindRemediationReminders, time.Hour, time.Now) }()
	}
}
