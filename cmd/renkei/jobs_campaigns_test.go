package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/jobs"
	"github.com/renkei/renkei/smtpmail"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// The campaign jobs as serve wires them: the day's jobs run as the system
// and send a campaign's reminder on its day, once however often the day's
// slot is enqueued.
func TestCampaignJobsWiring(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		now := time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC) // 10:00 in Japan
		db.Now = func() time.Time { return now }
		org := storetest.Org(t, db, "甲社")
		p := &renkei.Partner{OrgID: org.ID, Type: renkei.PartnerSupplier, Company: renkei.Company{Name: "乙製作所"},
			Contacts: renkei.Contacts{Security: renkei.Contact{Email: "sec@otsu.example.jp"}}}
		if err := db.CreatePartner(storetest.System(), p); err != nil {
			t.Fatal(err)
		}
		c := &renkei.Campaign{OrgID: org.ID, TemplateSlug: "self-check-25", DueDate: "2026-11-20", Recurrence: renkei.RecurYearly}
		if _, err := db.CreateCampaign(storetest.System(), c, []string{p.ID}, nil); err != nil {
			t.Fatal(err)
		}
		clock := func() time.Time { return now }
		w := jobs.New(db, jobs.Options{ID: "test", Now: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		registerCampaignJobs(w, db, "https://renkei.example.jp", quiet)
		// Mail leaves as serve sends it without an SMTP host: to the log.
		w.Register(renkei.MailKindSend, func(ctx context.Context, j *renkei.Job) error {
			return renkei.SendOutboxMail(ctx, db, smtpmail.LogSender{Log: quiet}, clock, j)
		})
		mails := func() int {
			var n int
			if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM mail_outbox WHERE template = 'assessment_reminder' AND sent_at IS NOT NULL`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		runDay := func() {
			t.Helper()
			for _, kind := range []string{kindCampaignRecur, kindCampaignMail} {
				if _, err := jobs.EnqueueSlot(context.Background(), db, kind, campaignJobEvery, now); err != nil {
					t.Fatal(err)
				}
			}
			for {
				ran, err := w.RunOnce(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if !ran {
					return
				}
			}
		}
		now = time.Date(2026, 11, 13, 1, 0, 0, 0, time.UTC) // 7 days before the due date, in Japan
		runDay()
		runDay()
		if n := mails(); n != 1 {
			t.Fatalf("%d reminders", n)
		}
	})
}
