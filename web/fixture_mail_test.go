package web_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/jobs"
	"github.com/renkei/renkei/smtpmail"
	"github.com/renkei/renkei/smtpmail/smtptest"
)

// deliverOutbox sends every queued mail through the job worker to a real
// in-process SMTP server and returns the server with what it received.
func deliverOutbox(t *testing.T, app *testApp) *smtptest.Server {
	t.Helper()
	srv := smtptest.Start(t)
	sender, err := smtpmail.New(smtpmail.Config{Host: srv.Host(), Port: srv.Port(), TLS: smtpmail.TLSNone, From: "Renkei <noreply@renkei.example>", Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w := jobs.New(app.DB, jobs.Options{ID: "mailer", Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))})
	w.Register(renkei.MailKindSend, func(ctx context.Context, j *renkei.Job) error {
		return renkei.SendOutboxMail(ctx, app.DB, sender, time.Now, j)
	})
	for range 1000 {
		ran, err := w.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			return srv
		}
	}
	t.Fatal("the outbox did not empty")
	return nil
}
