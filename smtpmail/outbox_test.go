package smtpmail_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/jobs"
	"github.com/renkei/renkei/mailtmpl"
	"github.com/renkei/renkei/smtpmail"
	"github.com/renkei/renkei/smtpmail/smtptest"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// These tests run the whole path: outbox row and job in the database (SQLite
// and PostgreSQL), the job worker, the go-mail sender, a real SMTP server.

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type rig struct {
	db     *sqlstore.DB
	clk    *clock
	srv    *smtptest.Server
	worker *jobs.Worker
}

// newRig wires a worker that sends outbox mail through store (nil: the
// database itself) to a fresh SMTP server.
func newRig(t *testing.T, db *sqlstore.DB, store renkei.MailStore) *rig {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 26, 0, 30, 0, 0, time.UTC)}
	db.Now = clk.Now
	if store == nil {
		store = db
	}
	srv := smtptest.Start(t)
	s := sender(t, srv, nil)
	w := jobs.New(db, jobs.Options{ID: "mailer", Now: clk.Now, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	w.Register(renkei.MailKindSend, func(ctx context.Context, j *renkei.Job) error {
		return renkei.SendOutboxMail(ctx, store, s, clk.Now, j)
	})
	return &rig{db: db, clk: clk, srv: srv, worker: w}
}

// drain runs due jobs until none is left and returns the handler errors.
func (r *rig) drain(t *testing.T) []error {
	t.Helper()
	var errs []error
	for range 100 {
		ran, err := r.worker.RunOnce(context.Background())
		if !ran {
			if err != nil {
				t.Fatalf("claim: %v", err)
			}
			return errs
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	t.Fatal("queue never drained")
	return nil
}

func invitationMail(t *testing.T, db *sqlstore.DB) *renkei.Mail {
	t.Helper()
	subject, text, html, err := mailtmpl.Render("invitation", "ja", mailtmpl.Invitation{
		OrgName: "株式会社山田製作所", InviterName: "山田 太郎", Role: "編集者",
		URL: "https://renkei.example.jp/invitations/accept?token=abc", ExpiresAt: "2026-12-03 09:30",
	})
	if err != nil {
		t.Fatal(err)
	}
	m := &renkei.Mail{To: "tanaka@supplier.example.jp", Subject: subject, Text: text, HTML: html, Template: "invitation", Locale: "ja"}
	if err := db.QueueMail(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestOutboxDeliversOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		r := newRig(t, db, nil)
		ctx := context.Background()
		m := invitationMail(t, db)

		if errs := r.drain(t); len(errs) != 0 {
			t.Fatalf("errors: %v", errs)
		}
		msgs := r.srv.Messages()
		if len(msgs) != 1 {
			t.Fatalf("%d messages, want 1", len(msgs))
		}
		got := msgs[0]
		if got.Subject != "【Renkei】株式会社山田製作所 への招待" || got.Text != m.Text || got.HTML != m.HTML {
			t.Fatalf("got subject %q\ntext %q", got.Subject, got.Text)
		}
		if h := got.Header.Get("Message-ID"); h != m.MessageID || h == "" {
			t.Fatalf("Message-ID %q, want %q", h, m.MessageID)
		}
		stored, err := db.MailByID(ctx, m.ID)
		if err != nil || stored.SentAt == nil || !stored.SentAt.Equal(r.clk.Now()) || stored.Attempts != 1 || stored.LastError != "" {
			t.Fatalf("outbox row: %+v %v", stored, err)
		}
		if n, err := db.PendingMailCount(ctx); err != nil || n != 0 {
			t.Fatalf("pending %d %v", n, err)
		}

		// The worker again: nothing to do.
		r.clk.Advance(time.Hour)
		if errs := r.drain(t); len(errs) != 0 {
			t.Fatalf("errors: %v", errs)
		}
		// The handler again on the same job, as after a crash between the
		// mark and the job's completion: the mark stops a second send.
		job := &renkei.Job{Kind: renkei.MailKindSend, Payload: []byte(`{"mail_id":"` + m.ID + `"}`)}
		if err := renkei.SendOutboxMail(ctx, db, sender(t, r.srv, nil), r.clk.Now, job); err != nil {
			t.Fatal(err)
		}
		if n := len(r.srv.Messages()); n != 1 {
			t.Fatalf("%d messages after re-runs, want 1", n)
		}
	})
}

func TestOutboxRetriesTemporaryFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		r := newRig(t, db, nil)
		ctx := context.Background()
		m := invitationMail(t, db)
		r.srv.FailNext(1)

		errs := r.drain(t)
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), "451") {
			t.Fatalf("first attempt: %v", errs)
		}
		if n := len(r.srv.Messages()); n != 0 {
			t.Fatalf("%d messages after a refused attempt", n)
		}
		stored, err := db.MailByID(ctx, m.ID)
		if err != nil || stored.SentAt != nil || stored.Attempts != 1 || !strings.Contains(stored.LastError, "451") {
			t.Fatalf("outbox after failure: %+v %v", stored, err)
		}

		// Not before the back-off…
		r.clk.Advance(renkei.RetryDelay(1) - time.Second)
		if errs := r.drain(t); len(errs) != 0 || len(r.srv.Messages()) != 0 {
			t.Fatalf("retried early: %v", errs)
		}
		// …then once.
		r.clk.Advance(time.Second)
		if errs := r.drain(t); len(errs) != 0 {
			t.Fatalf("retry: %v", errs)
		}
		msgs := r.srv.Messages()
		if len(msgs) != 1 || msgs[0].Header.Get("Message-ID") != m.MessageID || msgs[0].Subject != m.Subject {
			t.Fatalf("after retry: %d messages", len(msgs))
		}
		stored, err = db.MailByID(ctx, m.ID)
		if err != nil || stored.SentAt == nil || stored.Attempts != 2 || stored.LastError != "" {
			t.Fatalf("outbox after retry: %+v %v", stored, err)
		}
		counts, err := db.JobCounts(ctx)
		if err != nil || counts[renkei.JobDone] != 1 || counts[renkei.JobAvailable] != 0 {
			t.Fatalf("jobs %v %v", counts, err)
		}
	})
}

// lostMark is the real store, except that the first MarkMailSent fails, as
// when the process dies after the SMTP server accepted the message and
// before the mark reached the database.
type lostMark struct {
	*sqlstore.DB
	mu   sync.Mutex
	lost bool
}

func (s *lostMark) MarkMailSent(ctx context.Context, id string, at time.Time) (bool, error) {
	s.mu.Lock()
	first := !s.lost
	s.lost = true
	s.mu.Unlock()
	if first {
		return false, errors.New("connection to the database lost")
	}
	return s.DB.MarkMailSent(ctx, id, at)
}

// TestOutboxLostMarkResendsWithSameMessageID pins down the documented limit
// of the outbox: a mark lost after acceptance means one resend, with the
// same Message-ID, so receivers can drop it.
func TestOutboxLostMarkResendsWithSameMessageID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		r := newRig(t, db, &lostMark{DB: db})
		m := invitationMail(t, db)
		if errs := r.drain(t); len(errs) != 1 {
			t.Fatalf("first attempt: %v", errs)
		}
		r.clk.Advance(renkei.RetryDelay(1))
		if errs := r.drain(t); len(errs) != 0 {
			t.Fatalf("retry: %v", errs)
		}
		msgs := r.srv.Messages()
		if len(msgs) != 2 {
			t.Fatalf("%d messages, want the original and one resend", len(msgs))
		}
		for _, got := range msgs {
			if got.Header.Get("Message-ID") != m.MessageID || got.Header.Get("Date") != msgs[0].Header.Get("Date") {
				t.Fatalf("resend differs: %q %q", got.Header.Get("Message-ID"), got.Header.Get("Date"))
			}
		}
		stored, err := db.MailByID(context.Background(), m.ID)
		if err != nil || stored.SentAt == nil {
			t.Fatalf("%+v %v", stored, err)
		}
	})
}

// TestOutboxMalformedPayload: a job that names no mail fails without
// sending anything.
func TestOutboxMalformedPayload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		r := newRig(t, db, nil)
		if _, err := db.Enqueue(context.Background(), &renkei.Job{Kind: renkei.MailKindSend, Payload: []byte(`{"mail":"x"}`), MaxTries: 1}); err != nil {
			t.Fatal(err)
		}
		errs := r.drain(t)
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), "malformed payload") {
			t.Fatalf("%v", errs)
		}
		if n := len(r.srv.Messages()); n != 0 {
			t.Fatalf("%d messages", n)
		}
	})
}

var _ renkei.MailSender = (*smtpmail.Sender)(nil)
