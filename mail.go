package renkei

import (
	"context"
	"time"
)

// Mail is one message in the outbox. It is written in the same transaction
// as the change that causes it, and sent by a background job; MessageID is
// fixed at creation so that a resend after a crash carries the same ID and
// receivers can drop the duplicate.
type Mail struct {
	ID        string
	OrgID     string
	To        string
	Subject   string
	Text      string
	HTML      string
	Template  string
	Locale    string
	MessageID string
	CreatedAt time.Time
	SentAt    *time.Time
	Attempts  int
	LastError string
}

// MailSender delivers one message over SMTP.
type MailSender interface {
	Send(ctx context.Context, m *Mail) error
}

// MailStore keeps the outbox.
type MailStore interface {
	MailByID(ctx context.Context, id string) (*Mail, error)
	// MarkMailSent records delivery; it reports false when the mail was
	// already marked sent (another worker won).
	MarkMailSent(ctx context.Context, id string, at time.Time) (bool, error)
	MarkMailError(ctx context.Context, id, msg string) error
}

// MailKindSend is the job kind that sends one outbox mail.
const MailKindSend = "mail.send"
