package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/renkei/renkei"
)

// queueMail writes a mail to the outbox and enqueues the job that sends it,
// inside the caller's transaction: the mail exists if and only if the change
// that caused it committed.
func (t *tx) queueMail(ctx context.Context, m *renkei.Mail) error {
	m.ID = NewID()
	if m.CreatedAt.IsZero() {
		m.CreatedAt = t.db.now()
	}
	if m.MessageID == "" {
		m.MessageID = "<" + m.ID + "@renkei>"
	}
	if _, err := t.exec(ctx, `INSERT INTO mail_outbox (id, org_id, to_addr, subject, body_text, body_html, template, locale, message_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.OrgID, m.To, m.Subject, m.Text, m.HTML, m.Template, m.Locale, m.MessageID, utc(m.CreatedAt)); err != nil {
		return err
	}
	_, err := t.enqueue(ctx, &renkei.Job{Kind: renkei.MailKindSend, Key: m.ID, Payload: []byte(`{"mail_id":"` + m.ID + `"}`)})
	return err
}

// QueueMail puts one mail in the outbox on its own.
func (db *DB) QueueMail(ctx context.Context, m *renkei.Mail) error {
	return db.write(ctx, func(t *tx) error { return t.queueMail(ctx, m) })
}

// MailByID returns one outbox mail.
func (db *DB) MailByID(ctx context.Context, id string) (*renkei.Mail, error) {
	var m renkei.Mail
	var sent sql.NullTime
	err := db.queryRow(ctx, `SELECT id, org_id, to_addr, subject, body_text, body_html, template, locale, message_id, created_at, sent_at, attempts, last_error
		FROM mail_outbox WHERE id = ?`, id).
		Scan(&m.ID, &m.OrgID, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Template, &m.Locale, &m.MessageID, &m.CreatedAt, &sent, &m.Attempts, &m.LastError)
	if err != nil {
		return nil, notFound(err, "mail")
	}
	m.SentAt = timePtr(sent)
	return &m, nil
}

// MarkMailSent records delivery once.
func (db *DB) MarkMailSent(ctx context.Context, id string, at time.Time) (bool, error) {
	res, err := db.exec(ctx, `UPDATE mail_outbox SET sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ? AND sent_at IS NULL`, utc(at), id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// MarkMailError records a failed attempt.
func (db *DB) MarkMailError(ctx context.Context, id, msg string) error {
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	_, err := db.exec(ctx, `UPDATE mail_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?`, strings.ToValidUTF8(msg, "?"), id)
	return err
}

// PendingMailCount counts mails not yet sent (for metrics and tests).
func (db *DB) PendingMailCount(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL`).Scan(&n)
	return n, err
}
