package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/renkei/renkei"
)

// The work on a case: tasks, the timeline, messages with the reporting
// partner and the disclosure decision.

// event appends a line to the case's timeline.
func (t *tx) event(ctx context.Context, in *renkei.Incident, kind string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO incident_events (id, org_id, incident_id, kind, actor, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		NewID(), in.OrgID, in.ID, kind, actorLabel(ctx), string(b), t.db.now())
	return err
}

// actorLabel names the actor on the timeline: an email, or the system's
// label ("public report link").
func actorLabel(ctx context.Context) string {
	a := renkei.ActorFrom(ctx)
	switch {
	case a == nil:
		return ""
	case a.Email != "":
		return a.Email
	}
	return a.Label
}

// Timeline implements renkei.IncidentStore (staff only).
func (db *DB) Timeline(ctx context.Context, orgID, id string) ([]renkei.IncidentEvent, error) {
	if err := staffIncident(ctx, db, orgID, id); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT id, incident_id, kind, actor, detail, at FROM incident_events
		WHERE org_id = ? AND incident_id = ? ORDER BY id`, orgID, id)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*renkei.IncidentEvent, error) {
		var e renkei.IncidentEvent
		if err := r.Scan(&e.ID, &e.IncidentID, &e.Kind, &e.Actor, &e.Detail, &e.At); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		return &e, nil
	})
}

// staffIncident checks that the case exists in the organization and the
// actor is staff who may read it.
func staffIncident(ctx context.Context, db *DB, orgID, id string) error {
	if isPartnerUser(ctx) {
		return renkei.ErrNotFound("incident")
	}
	_, err := db.Incident(ctx, orgID, id)
	return err
}

const taskColumns = `id, org_id, incident_id, title, owner, due_date, done, done_at, for_partner, partner_note, created_at, updated_at`

func scanTask(r interface{ Scan(...any) error }) (*renkei.IncidentTask, error) {
	var t renkei.IncidentTask
	var done sql.NullTime
	if err := r.Scan(&t.ID, &t.OrgID, &t.IncidentID, &t.Title, &t.Owner, &t.DueDate, &t.Done, &done, &t.ForPartner, &t.PartnerNote, &t.CreatedAt, &t.UpdatedAt); err != nil {
		return nil, notFound(err, "task")
	}
	t.DoneAt = timePtr(done)
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	return &t, nil
}

// Tasks implements renkei.IncidentStore: a partner user gets the tasks
// for the partner only.
func (db *DB) Tasks(ctx context.Context, orgID, id string) ([]renkei.IncidentTask, error) {
	if _, err := db.Incident(ctx, orgID, id); err != nil {
		return nil, err
	}
	q := `SELECT ` + taskColumns + ` FROM incident_tasks WHERE org_id = ? AND incident_id = ?`
	if isPartnerUser(ctx) {
		q += ` AND for_partner = TRUE`
	}
	rows, err := db.query(ctx, q+` ORDER BY id`, orgID, id)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanTask)
}

// SaveTask implements renkei.IncidentStore: a task without an ID is
// created, one with an ID (of the same case) replaced.
func (db *DB) SaveTask(ctx context.Context, task *renkei.IncidentTask) error {
	if isPartnerUser(ctx) {
		return renkei.ErrNotFound("incident")
	}
	if err := renkei.Require(ctx, task.OrgID, renkei.PermWrite); err != nil {
		return err
	}
	if err := task.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		in, err := db.incident(ctx, t.queryRow, task.OrgID, task.IncidentID, "")
		if err != nil {
			return err
		}
		now := t.db.now()
		action := "task.create"
		if task.ID == "" {
			task.ID, task.CreatedAt = NewID(), now
			task.DoneAt = nil
			if task.Done {
				task.DoneAt = &now
			}
			task.UpdatedAt = now
			task.PartnerNote = ""
			if _, err := t.exec(ctx, `INSERT INTO incident_tasks (`+taskColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				task.ID, task.OrgID, task.IncidentID, task.Title, task.Owner, task.DueDate, task.Done, nullTime(task.DoneAt),
				task.ForPartner, task.PartnerNote, task.CreatedAt, task.UpdatedAt); err != nil {
				return err
			}
		} else {
			action = "task.update"
			cur, err := scanTask(t.queryRow(ctx, `SELECT `+taskColumns+` FROM incident_tasks WHERE org_id = ? AND incident_id = ? AND id = ?`,
				task.OrgID, task.IncidentID, task.ID))
			if err != nil {
				return err
			}
			task.CreatedAt, task.UpdatedAt, task.DoneAt, task.PartnerNote = cur.CreatedAt, now, cur.DoneAt, cur.PartnerNote
			switch {
			case task.Done && cur.DoneAt == nil:
				task.DoneAt = &now
			case !task.Done:
				task.DoneAt = nil
			}
			if _, err := t.exec(ctx, `UPDATE incident_tasks SET title = ?, owner = ?, due_date = ?, done = ?, done_at = ?, for_partner = ?, updated_at = ?
				WHERE org_id = ? AND id = ?`, task.Title, task.Owner, task.DueDate, task.Done, nullTime(task.DoneAt), task.ForPartner, now, task.OrgID, task.ID); err != nil {
				return err
			}
		}
		detail := map[string]any{"task_id": task.ID, "title": task.Title, "owner": task.Owner, "due_date": task.DueDate, "done": task.Done, "for_partner": task.ForPartner}
		if err := t.event(ctx, in, "task", detail); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: task.OrgID, Action: "incident." + action, ObjectType: "incident", ObjectID: in.ID, Detail: detail})
	})
}

// PartnerTaskDone implements renkei.IncidentStore: a partner user
// answers a task for the partner of a case of their company.
func (db *DB) PartnerTaskDone(ctx context.Context, orgID, id, taskID string, done bool, note string) error {
	company, err := incidentCompany(ctx)
	if err != nil {
		return err
	}
	m := &renkei.IncidentMessage{Body: note}
	if note != "" {
		if err := m.Validate(); err != nil {
			return renkei.Invalid(map[string]string{"note": "incident.text_control"})
		}
	}
	return db.write(ctx, func(t *tx) error {
		in, err := db.incident(ctx, t.queryRow, orgID, id, company)
		if err != nil {
			return err
		}
		cur, err := scanTask(t.queryRow(ctx, `SELECT `+taskColumns+` FROM incident_tasks WHERE org_id = ? AND incident_id = ? AND id = ? AND for_partner = TRUE`,
			orgID, id, taskID))
		if err != nil {
			return err
		}
		now := t.db.now()
		doneAt := cur.DoneAt
		switch {
		case done && doneAt == nil:
			doneAt = &now
		case !done:
			doneAt = nil
		}
		if _, err := t.exec(ctx, `UPDATE incident_tasks SET done = ?, done_at = ?, partner_note = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			done, nullTime(doneAt), m.Body, now, orgID, taskID); err != nil {
			return err
		}
		detail := map[string]any{"task_id": taskID, "title": cur.Title, "done": done, "partner_note": m.Body, "from": "partner"}
		if err := t.event(ctx, in, "task", detail); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "incident.task.partner", ObjectType: "incident", ObjectID: id, Detail: detail})
	})
}

// Messages implements renkei.IncidentStore. A partner user reads only
// the messages shared with the partner.
func (db *DB) Messages(ctx context.Context, orgID, id string) ([]renkei.IncidentMessage, error) {
	if _, err := db.Incident(ctx, orgID, id); err != nil {
		return nil, err
	}
	q := `SELECT id, org_id, incident_id, author, from_party, body, shared, at FROM incident_messages WHERE org_id = ? AND incident_id = ?`
	if isPartnerUser(ctx) {
		q += ` AND shared = TRUE`
	}
	rows, err := db.query(ctx, q+` ORDER BY id`, orgID, id)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*renkei.IncidentMessage, error) {
		var m renkei.IncidentMessage
		if err := r.Scan(&m.ID, &m.OrgID, &m.IncidentID, &m.Author, &m.FromParty, &m.Body, &m.Shared, &m.At); err != nil {
			return nil, err
		}
		m.At = m.At.UTC()
		return &m, nil
	})
}

// AddMessage implements renkei.IncidentStore. Staff choose whether the
// partner sees the message; a partner's own messages are always shared.
func (db *DB) AddMessage(ctx context.Context, m *renkei.IncidentMessage) error {
	company, err := incidentAccess(ctx, m.OrgID, true)
	if err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	m.FromParty = "staff"
	if company != "" {
		m.FromParty, m.Shared = "partner", true
	}
	return db.write(ctx, func(t *tx) error {
		in, err := db.incident(ctx, t.queryRow, m.OrgID, m.IncidentID, company)
		if err != nil {
			return err
		}
		m.ID, m.At, m.Author = NewID(), t.db.now(), actorLabel(ctx)
		if _, err := t.exec(ctx, `INSERT INTO incident_messages (id, org_id, incident_id, author, from_party, body, shared, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, m.OrgID, m.IncidentID, m.Author, m.FromParty, m.Body, m.Shared, m.At); err != nil {
			return err
		}
		detail := map[string]any{"message_id": m.ID, "from": m.FromParty, "shared": m.Shared}
		if err := t.event(ctx, in, "message", detail); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: m.OrgID, Action: "incident.message", ObjectType: "incident", ObjectID: in.ID, Detail: detail})
	})
}

// Decision implements renkei.IncidentStore: nil when none is taken yet.
func (db *DB) Decision(ctx context.Context, orgID, id string) (*renkei.DisclosureDecision, error) {
	if err := staffIncident(ctx, db, orgID, id); err != nil {
		return nil, err
	}
	var d renkei.DisclosureDecision
	var rec string
	err := db.queryRow(ctx, `SELECT disclose, reason, recommendation, decided_by, decided_at FROM incident_decisions
		WHERE org_id = ? AND incident_id = ?`, orgID, id).Scan(&d.Disclose, &d.Reason, &rec, &d.DecidedBy, &d.DecidedAt)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, mapErr(err)
	}
	d.DecidedAt = d.DecidedAt.UTC()
	return &d, json.Unmarshal([]byte(rec), &d.Recommendation)
}

// DecideDisclosure implements renkei.IncidentStore. A later decision
// replaces the earlier one; the timeline and audit log keep both.
func (db *DB) DecideDisclosure(ctx context.Context, orgID, id string, d *renkei.DisclosureDecision) error {
	if isPartnerUser(ctx) {
		return renkei.ErrNotFound("incident")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	settings, err := db.IncidentSettings(ctx, orgID)
	if err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		in, err := db.incident(ctx, t.queryRow, orgID, id, "")
		if err != nil {
			return err
		}
		facts, err := t.db.incidentFacts(ctx, t.queryRow, in, settings)
		if err != nil {
			return err
		}
		d.Recommendation = settings.Policy.Recommend(in, facts.SharedServiceOthers)
		d.DecidedBy, d.DecidedAt = actorLabel(ctx), t.db.now()
		rec, _ := json.Marshal(d.Recommendation)
		if _, err := t.exec(ctx, `DELETE FROM incident_decisions WHERE org_id = ? AND incident_id = ?`, orgID, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO incident_decisions (incident_id, org_id, disclose, reason, recommendation, decided_by, decided_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, orgID, d.Disclose, d.Reason, string(rec), d.DecidedBy, d.DecidedAt); err != nil {
			return err
		}
		detail := map[string]any{"disclose": d.Disclose, "reason": d.Reason, "recommendation": d.Recommendation.Outcome}
		if err := t.event(ctx, in, "decision", detail); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "incident.decision", ObjectType: "incident", ObjectID: id, Detail: detail})
	})
}

// Recommendation implements renkei.IncidentStore: the disclosure policy
// applied to the case as it stands.
func (db *DB) Recommendation(ctx context.Context, orgID, id string) (renkei.DisclosureRecommendation, error) {
	var rec renkei.DisclosureRecommendation
	if err := staffIncident(ctx, db, orgID, id); err != nil {
		return rec, err
	}
	in, err := db.Incident(ctx, orgID, id)
	if err != nil {
		return rec, err
	}
	settings, err := db.IncidentSettings(ctx, orgID)
	if err != nil {
		return rec, err
	}
	facts, err := db.incidentFacts(ctx, db.queryRow, in, settings)
	if err != nil {
		return rec, err
	}
	return settings.Policy.Recommend(in, facts.SharedServiceOthers), nil
}

const incidentFileColumns = `id, org_id, incident_id, file_key, name, content_type, size, shared, from_party, uploaded_by, at`

func scanIncidentFile(r interface{ Scan(...any) error }) (*renkei.IncidentFile, error) {
	var f renkei.IncidentFile
	if err := r.Scan(&f.ID, &f.OrgID, &f.IncidentID, &f.Key, &f.Name, &f.ContentType, &f.Size, &f.Shared, &f.FromParty, &f.UploadedBy, &f.At); err != nil {
		return nil, notFound(err, "file")
	}
	f.At = f.At.UTC()
	return &f, nil
}

// AddIncidentFile implements renkei.IncidentStore.
func (db *DB) AddIncidentFile(ctx context.Context, f *renkei.IncidentFile) error {
	company, err := incidentAccess(ctx, f.OrgID, true)
	if err != nil {
		return err
	}
	if f.ID == "" || f.Key == "" || f.Name == "" || f.ContentType == "" || f.Size <= 0 {
		return renkei.Invalid(map[string]string{"document": "field.required"})
	}
	f.FromParty = "staff"
	if company != "" {
		f.FromParty, f.Shared = "partner", true
	}
	return db.write(ctx, func(t *tx) error {
		in, err := db.incident(ctx, t.queryRow, f.OrgID, f.IncidentID, company)
		if err != nil {
			return err
		}
		f.At, f.UploadedBy = t.db.now(), actorLabel(ctx)
		if _, err := t.exec(ctx, `INSERT INTO incident_files (`+incidentFileColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.ID, f.OrgID, f.IncidentID, f.Key, f.Name, f.ContentType, f.Size, f.Shared, f.FromParty, f.UploadedBy, f.At); err != nil {
			return err
		}
		detail := map[string]any{"file_id": f.ID, "name": f.Name, "size": f.Size, "shared": f.Shared, "from": f.FromParty}
		if err := t.event(ctx, in, "file", detail); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: f.OrgID, Action: "incident.file", ObjectType: "incident", ObjectID: in.ID, Detail: detail})
	})
}

// IncidentFiles implements renkei.IncidentStore.
func (db *DB) IncidentFiles(ctx context.Context, orgID, id string) ([]renkei.IncidentFile, error) {
	if _, err := db.Incident(ctx, orgID, id); err != nil {
		return nil, err
	}
	q := `SELECT ` + incidentFileColumns + ` FROM incident_files WHERE org_id = ? AND incident_id = ?`
	if isPartnerUser(ctx) {
		q += ` AND shared = TRUE`
	}
	rows, err := db.query(ctx, q+` ORDER BY id`, orgID, id)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanIncidentFile)
}

// IncidentFile implements renkei.IncidentStore.
func (db *DB) IncidentFile(ctx context.Context, orgID, id, fileID string) (*renkei.IncidentFile, error) {
	if _, err := db.Incident(ctx, orgID, id); err != nil {
		return nil, err
	}
	q := `SELECT ` + incidentFileColumns + ` FROM incident_files WHERE org_id = ? AND incident_id = ? AND id = ?`
	if isPartnerUser(ctx) {
		q += ` AND shared = TRUE`
	}
	return scanIncidentFile(db.queryRow(ctx, q, orgID, id, fileID))
}
