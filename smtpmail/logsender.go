package smtpmail

import (
	"context"
	"log/slog"

	"github.com/renkei/renkei"
)

// LogSender "sends" mail by writing it to a log, for a demo or a first
// trial without an SMTP server. The text body is logged in full, links
// and their tokens included: never use it where the log is less private
// than the mailbox.
type LogSender struct {
	Log *slog.Logger
}

var _ renkei.MailSender = LogSender{}

// Send logs m at Info level and never fails.
func (s LogSender) Send(ctx context.Context, m *renkei.Mail) error {
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "mail (not sent: no --smtp-host)",
		"to", m.To, "subject", m.Subject, "message_id", m.MessageID, "locale", m.Locale, "text", m.Text)
	return nil
}
