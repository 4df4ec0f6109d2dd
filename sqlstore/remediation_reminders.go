package sqlstore

import (
	"context"
	"time"

	"github.com/renkei/renkei"
)

// Remediation reminders (renkei.ReviewStore). The job runs as the system,
// across organizations: it reads every open item with an owner address
// that is due within renkei.RemindBeforeDays or overdue, and writes each
// reminder's log row and mail in one transaction. The log's primary key
// (remediation/kind/due date) makes a second send of the same reminder a
// no-op, whichever worker or retry gets there.

// DueRemediationReminders implements renkei.ReviewStore.
func (db *DB) DueRemediationReminders(ctx context.Context, today string) ([]renkei.RemediationReminder, error) {
	if a := renkei.ActorFrom(ctx); a == nil || !a.System {
		return nil, renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	day, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return nil, renkei.Invalid(map[string]string{"today": "field.date"})
	}
	cutoff := day.AddDate(0, 0, renkei.RemindBeforeDays).Format(time.DateOnly)
	rows, err := db.query(ctx, `SELECT r.id, o.name, p.name, COALESCE(u.locale, 'ja')
		FROM remediations r
		JOIN organizations o ON o.id = r.org_id
		JOIN partners p ON p.id = r.partner_id AND p.org_id = r.org_id
		LEFT JOIN users u ON lower(u.email) = lower(r.owner)
		WHERE r.status IN ('open', 'in_progress') AND r.due_date <> '' AND r.due_date <= ? AND r.owner LIKE '%@%'
		ORDER BY r.id`, cutoff)
	if err != nil {
		return nil, err
	}
	type head struct{ id, org, partner, locale string }
	var heads []head
	for rows.Next() {
		var h head
		if err := rows.Scan(&h.id, &h.org, &h.partner, &h.locale); err != nil {
			rows.Close()
			return nil, err
		}
		heads = append(heads, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []renkei.RemediationReminder
	for _, h := range heads {
		m, err := scanRemediation(db.queryRow(ctx, `SELECT `+remediationColumns+` FROM remediations WHERE id = ?`, h.id))
		if err != nil {
			return nil, err
		}
		to := renkei.OwnerEmail(m.Owner)
		kind := renkei.ReminderKind(m.DueDate, today)
		if to == "" || kind == "" {
			continue
		}
		r := renkei.RemediationReminder{Kind: kind, Remediation: *m, OrgName: h.org, PartnerName: h.partner, To: to, Locale: h.locale}
		var n int
		if err := db.queryRow(ctx, `SELECT COUNT(*) FROM remediation_reminders WHERE reminder_key = ?`, r.Key()).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

// SendRemediationReminder implements renkei.ReviewStore.
func (db *DB) SendRemediationReminder(ctx context.Context, r renkei.RemediationReminder, m *renkei.Mail) (bool, error) {
	if a := renkei.ActorFrom(ctx); a == nil || !a.System {
		return false, renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	sent := false
	err := db.write(ctx, func(t *tx) error {
		m.ID = ""
		mailID := NewID()
		res, err := t.exec(ctx, `INSERT INTO remediation_reminders (reminder_key, org_id, remediation_id, kind, mail_id, sent_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (reminder_key) DO NOTHING`, r.Key(), r.Remediation.OrgID, r.Remediation.ID, r.Kind, mailID, t.db.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if err := t.queueMail(ctx, m); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE remediation_reminders SET mail_id = ? WHERE reminder_key = ?`, m.ID, r.Key()); err != nil {
			return err
		}
		sent = true
		return t.audit(ctx, change{OrgID: r.Remediation.OrgID, Action: "remediation.reminder", ObjectType: "remediation", ObjectID: r.Remediation.ID,
			Detail: map[string]any{"kind": r.Kind, "due_date": r.Remediation.DueDate, "mail_id": m.ID}})
	})
	return sent, err
}
