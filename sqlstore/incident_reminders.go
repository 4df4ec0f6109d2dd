package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/renkei/renkei"
)

// Incident duty reminders (renkei.DutyReminderStore). The job runs as the
// system, across organizations.

// DueDutyReminders implements renkei.DutyReminderStore: every open duty of
// an open case that falls due within renkei.DutyRemindBefore or is past
// due, once per dutyRecipient.
func (db *DB) DueDutyReminders(ctx context.Context, now time.Time) ([]renkei.DutyReminder, error) {
	if a := renkei.ActorFrom(ctx); a == nil || !a.System {
		return nil, renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	rows, err := db.query(ctx, `SELECT o.org_id, g.name, i.id, i.ref, i.title, i.type, i.owner, o.code, o.title, o.due_at
		FROM incident_obligations o
		JOIN incidents i ON i.id = o.incident_id
		JOIN organizations g ON g.id = o.org_id
		WHERE o.status = ? AND o.due_at IS NOT NULL AND o.due_at <= ? AND i.status <> ?
		ORDER BY o.due_at`, renkei.ObligationOpen, utc(now.Add(renkei.DutyRemindBefore)), renkei.IncidentClosed)
	if err != nil {
		return nil, err
	}
	type duty struct {
		r     renkei.DutyReminder
		owner string
		typ   string
	}
	var duties []duty
	for rows.Next() {
		var d duty
		var title string
		if err := rows.Scan(&d.r.OrgID, &d.r.OrgName, &d.r.IncidentID, &d.r.Ref, &d.r.Title, &d.typ, &d.owner, &d.r.Code, &title, &d.r.DueAt); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(title), &d.r.Duty); err != nil {
			rows.Close()
			return nil, err
		}
		d.r.DueAt = d.r.DueAt.UTC()
		d.r.Kind = renkei.DutyReminderKind(d.r.DueAt, now)
		duties = append(duties, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []renkei.DutyReminder
	recipients := map[string][]dutyRecipient{}
	for _, d := range duties {
		if d.r.Kind == "" {
			continue
		}
		to, err := db.dutyRecipientsOf(ctx, d.r.OrgID, d.owner, recipients)
		if err != nil {
			return nil, err
		}
		for _, rc := range to {
			r := d.r
			r.To, r.Locale = rc.email, rc.locale
			var n int
			if err := db.queryRow(ctx, `SELECT COUNT(*) FROM incident_duty_reminders WHERE reminder_key = ?`, r.Key()).Scan(&n); err != nil {
				return nil, mapErr(err)
			}
			if n == 0 {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

type dutyRecipient struct{ email, locale string }

// dutyRecipients are the case owner when the owner is a member's address,
// else the organization's admins and security staff (cached per
// organization in byOrg).
func (db *DB) dutyRecipientsOf(ctx context.Context, orgID, owner string, byOrg map[string][]dutyRecipient) ([]dutyRecipient, error) {
	if addr := renkei.OwnerEmail(owner); addr != "" {
		var locale string
		err := db.queryRow(ctx, `SELECT u.locale FROM users u JOIN memberships m ON m.user_id = u.id
			WHERE m.org_id = ? AND lower(u.email) = lower(?)`, orgID, addr).Scan(&locale)
		if err == nil {
			return []dutyRecipient{{addr, locale}}, nil
		}
	}
	if rs, ok := byOrg[orgID]; ok {
		return rs, nil
	}
	rows, err := db.query(ctx, `SELECT u.email, u.locale FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE m.org_id = ? AND m.role IN (?, ?) ORDER BY u.email`, orgID, renkei.RoleAdmin, renkei.RoleSecurity)
	if err != nil {
		return nil, err
	}
	rs, err := collect(rows, func(r interface{ Scan(...any) error }) (*dutyRecipient, error) {
		var rc dutyRecipient
		return &rc, r.Scan(&rc.email, &rc.locale)
	})
	byOrg[orgID] = rs
	return rs, err
}

// SendDutyReminder implements renkei.DutyReminderStore.
func (db *DB) SendDutyReminder(ctx context.Context, r renkei.DutyReminder, m *renkei.Mail) (bool, error) {
	if a := renkei.ActorFrom(ctx); a == nil || !a.System {
		return false, renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	sent := false
	err := db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `INSERT INTO incident_duty_reminders (reminder_key, org_id, incident_id, code, kind, to_addr, sent_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (reminder_key) DO NOTHING`, r.Key(), r.OrgID, r.IncidentID, r.Code, r.Kind, r.To, t.db.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		m.ID = ""
		if err := t.queueMail(ctx, m); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE incident_duty_reminders SET mail_id = ? WHERE reminder_key = ?`, m.ID, r.Key()); err != nil {
			return err
		}
		sent = true
		return t.audit(ctx, change{OrgID: r.OrgID, Action: "incident.reminder", ObjectType: "incident", ObjectID: r.IncidentID,
			Detail: map[string]any{"code": r.Code, "kind": r.Kind, "due_at": r.DueAt, "to": r.To, "mail_id": m.ID}})
	})
	return sent, err
}
