package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/renkei/renkei"
)

// An incident's duties: evaluated under the organization's current rules
// whenever the case is created or its facts change, stored so that lists
// and reminders read them without evaluating again.

// incidentFacts gathers what the rules look at besides the incident.
func (db *DB) incidentFacts(ctx context.Context, q rowQuerier, in *renkei.Incident, s *renkei.IncidentSettings) (renkei.IncidentFacts, error) {
	f := renkei.IncidentFacts{Incident: in, OrgIndustry: s.Industry, OrgFlags: s.Flags}
	if in.PartnerID != "" {
		// The shortest reporting time of the partner's incident-handling
		// agreements in force when we became aware.
		var hours sql.NullInt64
		err := q(ctx, `SELECT MIN(a.reporting_hours) FROM agreements a
			JOIN requirement_kinds k ON k.id = a.requirement_id
			WHERE a.org_id = ? AND a.partner_id = ? AND k.code = 'incident_handling' AND a.reporting_hours > 0
			AND (a.valid_from IS NULL OR a.valid_from <= ?) AND (a.valid_until IS NULL OR a.valid_until > ?)`,
			in.OrgID, in.PartnerID, utc(in.AwareAt), utc(in.AwareAt)).Scan(&hours)
		if err != nil {
			return f, mapErr(err)
		}
		f.PartnerReportingHours = int(hours.Int64)
	}
	if key := serviceKey(in.Service); key != "" {
		err := q(ctx, `SELECT COUNT(DISTINCT partner_id) FROM incidents
			WHERE org_id = ? AND service_key = ? AND partner_id <> '' AND partner_id <> ? AND id <> ?`,
			in.OrgID, key, in.PartnerID, in.ID).Scan(&f.SharedServiceOthers)
		if err != nil {
			return f, mapErr(err)
		}
	}
	return f, nil
}

// evaluateDuties stores the duties the rules give the case now. A duty
// people marked done or waived keeps that mark (and stays even if the
// facts no longer call for it); open duties that no longer apply go.
func (t *tx) evaluateDuties(ctx context.Context, in *renkei.Incident, s *renkei.IncidentSettings) error {
	facts, err := t.db.incidentFacts(ctx, t.queryRow, in, s)
	if err != nil {
		return err
	}
	kept, err := t.markedDuties(ctx, in.ID)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM incident_obligations WHERE incident_id = ? AND status = ?`, in.ID, renkei.ObligationOpen); err != nil {
		return err
	}
	for i, ob := range s.Rules.Evaluate(facts) {
		if m, ok := kept[ob.Code]; ok {
			ob.Status, ob.DoneAt = m.Status, m.DoneAt
		}
		title, _ := json.Marshal(ob.Title)
		basis, _ := json.Marshal(ob.Basis)
		reasons, _ := json.Marshal(ob.Reasons)
		if _, err := t.exec(ctx, `DELETE FROM incident_obligations WHERE incident_id = ? AND code = ?`, in.ID, ob.Code); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO incident_obligations
			(incident_id, org_id, code, title, basis, reasons, due_at, status, done_at, note, rule_version, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.ID, in.OrgID, ob.Code, string(title), string(basis), string(reasons), nullTime(ob.DueAt), ob.Status,
			nullTime(ob.DoneAt), kept[ob.Code].Note, ob.RuleVersion, i); err != nil {
			return err
		}
	}
	return nil
}

type markedDuty struct {
	Status string
	DoneAt *time.Time
	Note   string
}

func (t *tx) markedDuties(ctx context.Context, incidentID string) (map[string]markedDuty, error) {
	rows, err := t.tx.QueryContext(ctx, t.db.q(`SELECT code, status, done_at, note FROM incident_obligations
		WHERE incident_id = ? AND status <> ?`), incidentID, renkei.ObligationOpen)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]markedDuty{}
	for rows.Next() {
		var code string
		var m markedDuty
		var done sql.NullTime
		if err := rows.Scan(&code, &m.Status, &done, &m.Note); err != nil {
			return nil, err
		}
		m.DoneAt = timePtr(done)
		out[code] = m
	}
	return out, rows.Err()
}

// Obligations implements renkei.IncidentStore: the case's duties in rule
// order, each with its status at this moment.
func (db *DB) Obligations(ctx context.Context, orgID, id string) ([]renkei.Obligation, error) {
	if _, err := db.Incident(ctx, orgID, id); err != nil {
		return nil, err
	}
	if isPartnerUser(ctx) {
		return nil, renkei.ErrNotFound("incident")
	}
	rows, err := db.query(ctx, `SELECT code, title, basis, reasons, due_at, status, done_at, rule_version
		FROM incident_obligations WHERE org_id = ? AND incident_id = ? ORDER BY position, code`, orgID, id)
	if err != nil {
		return nil, err
	}
	now := db.now()
	return collect(rows, func(r interface{ Scan(...any) error }) (*renkei.Obligation, error) {
		var ob renkei.Obligation
		var title, basis, reasons string
		var due, done sql.NullTime
		if err := r.Scan(&ob.Code, &title, &basis, &reasons, &due, &ob.Status, &done, &ob.RuleVersion); err != nil {
			return nil, err
		}
		for _, p := range []struct {
			s string
			v any
		}{{title, &ob.Title}, {basis, &ob.Basis}, {reasons, &ob.Reasons}} {
			if err := json.Unmarshal([]byte(p.s), p.v); err != nil {
				return nil, err
			}
		}
		ob.DueAt, ob.DoneAt = timePtr(due), timePtr(done)
		ob.Status = ob.StatusAt(now)
		return &ob, nil
	})
}

// SetObligationStatus implements renkei.IncidentStore.
func (db *DB) SetObligationStatus(ctx context.Context, orgID, id, code, status, note string) error {
	if isPartnerUser(ctx) {
		return renkei.ErrNotFound("incident")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return err
	}
	switch status {
	case renkei.ObligationOpen, renkei.ObligationDone:
	case renkei.ObligationWaived:
		if note == "" {
			return renkei.Invalid(map[string]string{"note": "incident.waive_reason"})
		}
	default:
		return renkei.Invalid(map[string]string{"status": "incident.obligation_status"})
	}
	m := &renkei.IncidentMessage{Body: note}
	if note != "" {
		if err := m.Validate(); err != nil {
			return renkei.Invalid(map[string]string{"note": "incident.text_control"})
		}
	}
	return db.write(ctx, func(t *tx) error {
		in, err := db.incident(ctx, t.queryRow, orgID, id, "")
		if err != nil {
			return err
		}
		now := t.db.now()
		var done *time.Time
		if status == renkei.ObligationDone {
			done = &now
		}
		res, err := t.exec(ctx, `UPDATE incident_obligations SET status = ?, done_at = ?, note = ?
			WHERE org_id = ? AND incident_id = ? AND code = ?`, status, nullTime(done), m.Body, orgID, id, code)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return renkei.ErrNotFound("obligation")
		}
		detail := map[string]any{"code": code, "status": status, "note": m.Body}
		if err := t.event(ctx, in, "obligation", detail); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "incident.obligation", ObjectType: "incident", ObjectID: id, Detail: detail})
	})
}

// Clocks implements renkei.IncidentStore.
func (db *DB) Clocks(ctx context.Context, orgID string, ids []string) (map[string]renkei.IncidentClock, error) {
	if isPartnerUser(ctx) {
		return nil, renkei.ErrNotFound("incident")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermRead); err != nil {
		return nil, err
	}
	out := map[string]renkei.IncidentClock{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{orgID}
	for _, id := range ids {
		args = append(args, id)
	}
	// The cases first (scoped to the organization by their own index),
	// then their duties by primary key: a condition on the duties'
	// org_id, status or due_at lets SQLite's planner pick the
	// (org_id, status, due_at) index and walk every duty of the
	// organization. The nearest deadline is found here instead.
	rows, err := db.query(ctx, `SELECT o.incident_id, o.code, o.due_at, o.status
		FROM incidents i JOIN incident_obligations o ON o.incident_id = i.id
		WHERE i.org_id = ? AND i.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := db.now()
	for rows.Next() {
		var id, code, status string
		var due sql.NullTime
		if err := rows.Scan(&id, &code, &due, &status); err != nil {
			return nil, err
		}
		if status != renkei.ObligationOpen || !due.Valid {
			continue
		}
		c := out[id]
		d := due.Time.UTC()
		switch {
		case now.After(d):
			c.Overdue++
		case c.NextDue == nil || d.Before(*c.NextDue) || (d.Equal(*c.NextDue) && code < c.NextCode):
			c.NextDue, c.NextCode = &d, code
		}
		out[id] = c
	}
	return out, rows.Err()
}

// Measures implements renkei.IncidentStore.
func (db *DB) Measures(ctx context.Context, orgID string, since time.Time) (renkei.IncidentMeasures, error) {
	if isPartnerUser(ctx) {
		return renkei.IncidentMeasures{}, renkei.ErrNotFound("incident")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermRead); err != nil {
		return renkei.IncidentMeasures{}, err
	}
	rows, err := db.query(ctx, `SELECT COALESCE(p.type, ''), i.occurred_at, i.discovered_at, i.aware_at, i.triaged_at, i.closed_at
		FROM incidents i LEFT JOIN partners p ON p.id = i.partner_id AND p.org_id = i.org_id
		WHERE i.org_id = ? AND i.aware_at >= ?`, orgID, utc(since))
	if err != nil {
		return renkei.IncidentMeasures{}, err
	}
	cases, err := collect(rows, func(r interface{ Scan(...any) error }) (*renkei.IncidentTimes, error) {
		var c renkei.IncidentTimes
		var occ, disc, tri, clo sql.NullTime
		if err := r.Scan(&c.PartnerType, &occ, &disc, &c.AwareAt, &tri, &clo); err != nil {
			return nil, err
		}
		c.OccurredAt, c.DiscoveredAt, c.TriagedAt, c.ClosedAt = timePtr(occ), timePtr(disc), timePtr(tri), timePtr(clo)
		return &c, nil
	})
	if err != nil {
		return renkei.IncidentMeasures{}, err
	}
	orows, err := db.query(ctx, `SELECT code, COUNT(*) FROM incident_obligations WHERE org_id = ? AND status = ? AND due_at < ? GROUP BY code`,
		orgID, renkei.ObligationOpen, db.now())
	if err != nil {
		return renkei.IncidentMeasures{}, err
	}
	defer orows.Close()
	overdue := map[string]int{}
	for orows.Next() {
		var code string
		var n int
		if err := orows.Scan(&code, &n); err != nil {
			return renkei.IncidentMeasures{}, err
		}
		overdue[code] = n
	}
	if err := orows.Err(); err != nil {
		return renkei.IncidentMeasures{}, err
	}
	return renkei.MeasureIncidents(cases, overdue), nil
}
