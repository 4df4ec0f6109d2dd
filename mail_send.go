package renkei

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// MailPayload is the payload of a MailKindSend job.
type MailPayload struct {
	MailID string `json:"mail_id"`
}

// SendOutboxMail is the handler for jobs of kind MailKindSend: it sends one
// outbox mail and records the outcome.
//
//   - A mail already marked sent is left alone, so a job that runs again
//     after its mark landed (a crash before the job was completed, an
//     expired lease) never sends twice.
//   - A send error is recorded on the mail (MarkMailError) and returned, so
//     the job worker schedules a retry with back-off.
//   - After the server accepts the mail, MarkMailSent records it.
//
// The guarantee has one honest gap. SMTP acceptance and the mark in the
// database cannot be made atomic: if the process dies, or the database
// fails, after the server has accepted the message and before the mark is
// written, the job runs again and the mail is sent a second time. The
// second copy carries the same Message-ID (m.MessageID is fixed when the
// mail is queued, and the sender must use it), so receiving systems that
// deduplicate by Message-ID drop it, and a person sees two identical
// messages at worst. Delivery is therefore at least once, with a duplicate
// possible only in that window. The marks run on a context that ignores
// cancellation, so a shutdown signal alone never opens the window.
func SendOutboxMail(ctx context.Context, store MailStore, sender MailSender, now func() time.Time, j *Job) error {
	var p MailPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.MailID == "" {
		// Our own fault, not the user's: an internal error, retried and
		// then left failed for an operator.
		return fmt.Errorf("renkei: %s job %s: malformed payload %q", j.Kind, j.ID, j.Payload)
	}
	m, err := store.MailByID(ctx, p.MailID)
	if err != nil {
		return err
	}
	if m.SentAt != nil {
		return nil
	}
	// Record the outcome even when ctx is cancelled once the send is over:
	// losing the mark of an accepted message is what causes a resend.
	rec := context.WithoutCancel(ctx)
	if err := sender.Send(ctx, m); err != nil {
		if merr := store.MarkMailError(rec, m.ID, err.Error()); merr != nil {
			return errors.Join(err, merr)
		}
		return err
	}
	if now == nil {
		now = time.Now
	}
	_, err = store.MarkMailSent(rec, m.ID, now())
	return err
}
