package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/jobs"
	"github.com/renkei/renkei/mailtmpl"
	"github.com/renkei/renkei/sqlstore"
)

// Campaign jobs: once a day, in the slot that starts at 00:00 UTC (09:00
// in Japan, so that partners get their reminders in the morning), the
// reminder, overdue and escalation mails, and the next campaign of every
// recurring one whose run date has come. Both are idempotent
// (docs/campaigns.md), so a restart or a second replica changes nothing.
const (
	kindCampaignMail  = "campaign.mail"
	kindCampaignRecur = "campaign.recur"
	campaignJobEvery  = 24 * time.Hour
)

// registerCampaignJobs registers the campaign jobs' handlers on the worker
// and returns the function that enqueues them each day until ctx ends.
func registerCampaignJobs(worker *jobs.Worker, db *sqlstore.DB, baseURL string, log *slog.Logger) func(ctx context.Context) {
	mailer := mailtmpl.CampaignMailer{BaseURL: baseURL}
	worker.Register(kindCampaignMail, func(ctx context.Context, _ *renkei.Job) error {
		run, err := db.SendCampaignMail(renkei.WithActor(ctx, renkei.SystemActor("job:"+kindCampaignMail)), mailer)
		if run != (renkei.CampaignMailRun{}) {
			log.Info("campaign mail queued", "reminders", run.Reminders, "overdue", run.Overdue,
				"escalations", run.Escalations, "no_contact", run.NoContact)
			worker.Wake()
		}
		return err
	})
	worker.Register(kindCampaignRecur, func(ctx context.Context, _ *renkei.Job) error {
		n, err := db.RunRecurringCampaigns(renkei.WithActor(ctx, renkei.SystemActor("job:"+kindCampaignRecur)), mailer)
		if n > 0 {
			log.Info("recurring campaigns created", "count", n)
			worker.Wake()
		}
		return err
	})
	return func(ctx context.Context) {
		go func() { _ = jobs.EnqueueEvery(ctx, db, kindCampaignRecur, campaignJobEvery, time.Now) }()
		go func() { _ = jobs.EnqueueEvery(ctx, db, kindCampaignMail, campaignJobEvery, time.Now) }()
	}
}
