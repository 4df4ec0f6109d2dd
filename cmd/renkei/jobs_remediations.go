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

// registerRemediationJobs wires the hourly remediation reminder job: it
// mails what is due (renkei.SendRemediationReminders, rendered by the web
// adapter with links under baseURL).
func registerRemediationJobs(worker *jobs.Worker, db *sqlstore.DB, baseURL string, log *slog.Logger) func(ctx context.Context) {
	render := web.RemediationReminderMail(baseURL)
	return registerHourly(worker, db, renkei.KindRemediationReminders, "remediation reminders", log,
		func(ctx context.Context, now time.Time) (int, error) {
			return renkei.SendRemediationReminders(ctx, db, render, now)
		})
}
