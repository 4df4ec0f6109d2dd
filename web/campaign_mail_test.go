package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/jobs"
	"github.com/renkei/renkei/mailtmpl"
	"github.com/renkei/renkei/smtpmail"
	"github.com/renkei/renkei/smtpmail/smtptest"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// portalURL finds the portal link in a mail's text.
var portalURL = regexp.MustCompile(`https?://[^\s]+/portal/link/[A-Z2-7]+`)

// TestCampaignMailReachesSMTPWithWorkingLinks runs the whole path: a
// campaign made through the API, its invitations through the outbox, the
// job worker and go-mail to a real SMTP server, in each contact's
// language; the link in each mail opens the portal at the assessment.
// Then the reminder job's mails, a week before the due date, the same way.
func TestCampaignMailReachesSMTPWithWorkingLinks(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		now := time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC) // 10:00 in Japan
		app.DB.Now = func() time.Time { return now }
		tn := app.newTenant("連携工業株式会社", renkei.RoleProcurement)
		partner := func(name string, corp int, contacts map[string]any) string {
			var p struct {
				ID string `json:"id"`
			}
			body := map[string]any{"type": "supplier", "company": map[string]any{"name": name, "corporate_number": corpNum(corp)}, "contacts": contacts}
			if st := app.api(tn.Token, "POST", "/api/v1/partners", body, &p); st != http.StatusCreated {
				t.Fatalf("create partner %s: %d", name, st)
			}
			return p.ID
		}
		en := partner("Global Parts Ltd.", 830001, map[string]any{"security": map[string]any{"email": "sec@global.example.com", "locale": "en"}})
		ja := partner("山田製作所", 830002, map[string]any{"business": map[string]any{"email": "yamada@yamada.example.jp"}})
		var created struct {
			ID        string `json:"id"`
			Mailed    int    `json:"mailed"`
			NoContact int    `json:"no_contact"`
		}
		if st := app.api(tn.Token, "POST", "/api/v1/campaigns", map[string]any{"template": "self-check-25", "partner_ids": []string{en, ja}, "due_date": "2026-12-10"}, &created); st != http.StatusCreated {
			t.Fatalf("create campaign: %d", st)
		}
		if created.Mailed != 2 || created.NoContact != 0 {
			t.Fatalf("created %+v", created)
		}
		srv := smtptest.Start(t)
		sender, err := smtpmail.New(smtpmail.Config{Host: srv.Host(), Port: srv.Port(), TLS: smtpmail.TLSNone, From: "Renkei <noreply@renkei.example>", Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		clock := func() time.Time { return now }
		w := jobs.New(app.DB, jobs.Options{ID: "mailer", Now: clock, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
		w.Register(renkei.MailKindSend, func(ctx context.Context, j *renkei.Job) error {
			return renkei.SendOutboxMail(ctx, app.DB, sender, clock, j)
		})
		drain := func() {
			t.Helper()
			for range 100 {
				ran, err := w.RunOnce(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if !ran {
					return
				}
			}
			t.Fatal("the queue never drained")
		}
		assessments, _, err := app.DB.ListAssessments(staffCtx(tn), tn.Org.ID, renkei.AssessmentFilter{CampaignID: created.ID}, renkei.Page{})
		if err != nil || len(assessments) != 2 {
			t.Fatalf("assessments %d %v", len(assessments), err)
		}
		byPartner := map[string]string{}
		for _, a := range assessments {
			byPartner[a.PartnerID] = a.ID
		}
		// check receives the new messages and follows each one's link.
		seen := 0
		check := func(want map[string][]string) {
			t.Helper()
			drain()
			msgs := srv.Messages()[seen:]
			seen += len(msgs)
			if len(msgs) != len(want) {
				t.Fatalf("%d messages, want %d", len(msgs), len(want))
			}
			for _, m := range msgs {
				words, ok := want[m.To[0]]
				if !ok {
					t.Fatalf("mail to %v", m.To)
				}
				for _, w := range words {
					if !strings.Contains(m.Subject+"\n"+m.Text, w) {
						t.Errorf("mail to %s lacks %q:\n%s\n%s", m.To[0], w, m.Subject, m.Text)
					}
				}
				link := portalURL.FindString(m.Text)
				if !strings.HasPrefix(link, app.Server.URL+"/portal/link/") || !strings.Contains(m.HTML, `href="`+link+`"`) {
					t.Fatalf("link %q in\n%s", link, m.Text)
				}
				u, _ := url.Parse(link)
				c := app.browser()
				if p := get(t, app, c, u.Path); p.Status != http.StatusOK {
					t.Fatalf("GET %s: %d", u.Path, p.Status)
				}
				partnerID := en
				if m.To[0] != "sec@global.example.com" {
					partnerID = ja
				}
				wantRedirect(t, post(t, app, c, u.Path, url.Values{}), "/portal/assessments/"+byPartner[partnerID])
			}
		}
		check(map[string][]string{
			"sec@global.example.com":   {"[Renkei] 連携工業株式会社 asks you", "No password is needed", "Thursday, 10 December 2026"},
			"yamada@yamada.example.jp": {"【Renkei】連携工業株式会社から", "パスワードは必要ありません", "2026年12月10日（木）"},
		})

		// A week before the due date, the reminder job.
		now = time.Date(2026, 12, 3, 1, 0, 0, 0, time.UTC)
		run, err := app.DB.SendCampaignMail(storetest.System(), mailtmpl.CampaignMailer{BaseURL: app.Server.URL})
		if err != nil || run.Reminders != 2 {
			t.Fatalf("reminders %+v %v", run, err)
		}
		check(map[string][]string{
			"sec@global.example.com":   {"7 days left", "They are due in 7 days"},
			"yamada@yamada.example.jp": {"あと7日", "期限まであと7日です"},
		})
		if again, _ := app.DB.SendCampaignMail(storetest.System(), mailtmpl.CampaignMailer{BaseURL: app.Server.URL}); again != (renkei.CampaignMailRun{}) {
			t.Fatalf("a second run sent %+v", again)
		}
		if slices.ContainsFunc(srv.Messages(), func(m smtptest.Message) bool { return m.Err != nil }) {
			t.Fatal("a message did not parse")
		}
	})
}
