package sqlstore_test

import (
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/mailtmpl"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// BenchmarkCampaignReminders10k is one day of the campaign mail job for a
// campaign of 10,000 partners: 10,000 reminders, each with its log row, a
// fresh audited sign-in link and the mail rendered and queued. Run with
//
//	go test ./sqlstore -run '^$' -bench CampaignReminders10k -benchtime 1x
func BenchmarkCampaignReminders10k(b *testing.B) {
	const n = 10_000
	for dialect, dsn := range storetest.DSNs(b) {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dsn)
			ctx, orgID, ids := benchCampaignSetup(b, db, n)
			c := &renkei.Campaign{OrgID: orgID, Name: "年次", TemplateSlug: "self-check-25", DueDate: "2026-12-31"}
			if _, err := db.CreateCampaign(ctx, c, ids, nil); err != nil {
				b.Fatal(err)
			}
			mailer := mailtmpl.CampaignMailer{BaseURL: "https://renkei.example.jp"}
			day := time.Date(2026, 12, 17, 1, 0, 0, 0, time.UTC) // 14 days before, in Japan
			b.ResetTimer()
			for b.Loop() {
				db.Now = func() time.Time { return day }
				run, err := db.SendCampaignMail(ctx, mailer)
				if err != nil || run.Reminders != n {
					b.Fatalf("%+v %v", run, err)
				}
				day = day.AddDate(0, 0, 7) // the 7-day reminder next
			}
		})
	}
}
