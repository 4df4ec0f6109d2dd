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

// registerIncidentJobs wires the hourly duty reminder job: it mails the
// reminders due (renkei.SendDutyReminders, rendered by the web adapter
// with links under baseURL).
func registerIncidentJobs(worker *jobs.Worker, db *sqlstore.DB, baseURL string, log *slog.Logger) func(ctx context.Context) {
	render := web.IncidentReminderMail(baseURL)
	return registerHourly(worker, db, renkei.KindIncidentReminders, "incident duty reminders", log,
		func(ctx context.Context, now time.Time) (int, error) {
			return renkei.SendDutyReminders(ctx, db, render, now)
		})
}
