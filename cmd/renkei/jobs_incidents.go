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

// registerIncidentJobs wires the hourly duty reminder job: the handler
// mails the reminders due (renkei.SendDutyReminders, rendered by the web
// adapter with links under baseURL). It returns what starts the hourly
// enqueueing once the worker runs.
func registerIncidentJobs(worker *jobs.Worker, db *sqlstore.DB, baseURL string, log *slog.Logger) func(ctx context.Context) {
	render := web.IncidentReminderMail(baseURL)
	worker.Register(renkei.KindIncidentReminders, func(ctx context.Context, _ *renkei.Job) error {
		n, err := renkei.SendDutyReminders(ctx, db, render, time.Now())
		if n > 0 {
			log.Info("incident duty reminders queued", "count", n)
		}
		return err
	})
	return func(ctx context.Context) {
		go func() { _ = jobs.EnqueueEvery(ctx, db, renkei.KindIncidentReminders, time.Hour, time.Now) }()
	}
}
