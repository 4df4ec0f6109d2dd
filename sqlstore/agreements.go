package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/renkei/renkei"
)

const agreementColumns = `a.id, a.org_id, a.partner_id, a.requirement_id, k.code, a.contract, a.valid_from, a.valid_until,
	a.document_key, a.document_name, a.document_content_type, a.document_size, a.notes, a.reporting_hours, a.created_at, a.updated_at`

// agreementFrom joins the requirement kind for its code; both sides are
// scoped to the organization.
const agreementFrom = ` FROM agreements a JOIN requirement_kinds k ON k.id = a.requirement_id AND k.org_id = a.org_id `

func scanAgreement(s interface{ Scan(...any) error }) (*renkei.Agreement, error) {
	var a renkei.Agreement
	var from, until sql.NullTime
	if err := s.Scan(&a.ID, &a.OrgID, &a.PartnerID, &a.RequirementID, &a.Requirement, &a.Contract, &from, &until,
		&a.DocumentKey, &a.DocumentName, &a.DocumentContentType, &a.DocumentSize, &a.Notes, &a.ReportingHours, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return nil, notFound(err, "agreement")
	}
	a.ValidFrom, a.ValidUntil = timePtr(from), timePtr(until)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return &a, nil
}

// activeAgreement is the condition for an agreement in force at a time
// (two arguments: the time, twice).
const activeAgreement = `(a.valid_from IS NULL OR a.valid_from <= ?) AND (a.valid_until IS NULL OR a.valid_until > ?)`

// Agreements lists the partner's agreements, the latest-ending first
// (open-ended ones first of all).
func (db *DB) Agreements(ctx context.Context, orgID, partnerID string) ([]renkei.Agreement, error) {
	if err := partnerExists(ctx, db, orgID, partnerID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+agreementColumns+agreementFrom+`WHERE a.org_id = ? AND a.partner_id = ?
		ORDER BY k.position, k.id, a.valid_until IS NULL DESC, a.valid_until DESC, a.id`, orgID, partnerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []renkei.Agreement{}
	for rows.Next() {
		a, err := scanAgreement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// resolveRequirement checks that the agreement's requirement kind belongs
// to the organization, finding it by code when only the code is given.
func (t *tx) resolveRequirement(ctx context.Context, a *renkei.Agreement) error {
	var err error
	if a.RequirementID == "" {
		err = t.queryRow(ctx, `SELECT id, code FROM requirement_kinds WHERE org_id = ? AND code = ?`, a.OrgID, a.Requirement).Scan(&a.RequirementID, &a.Requirement)
	} else {
		err = t.queryRow(ctx, `SELECT id, code FROM requirement_kinds WHERE org_id = ? AND id = ?`, a.OrgID, a.RequirementID).Scan(&a.RequirementID, &a.Requirement)
	}
	return notFound(err, "requirement")
}

func normalizeAgreement(a *renkei.Agreement) error {
	if a.ValidFrom != nil {
		t := utc(*a.ValidFrom)
		a.ValidFrom = &t
	}
	if a.ValidUntil != nil {
		t := utc(*a.ValidUntil)
		a.ValidUntil = &t
	}
	err := a.Validate()
	var e *renkei.Error
	if errors.As(err, &e) && a.RequirementID == "" && a.Requirement != "" {
		// Given by code: resolved in the transaction.
		delete(e.Fields, "requirement_id")
		if len(e.Fields) == 0 {
			return nil
		}
	}
	return err
}

// CreateAgreement records an agreement of one of the organization's
// partners to one of its requirement kinds (given by ID, or by code when
// the ID is empty).
func (db *DB) CreateAgreement(ctx context.Context, a *renkei.Agreement) error {
	if err := renkei.Require(ctx, a.OrgID, renkei.PermWrite); err != nil {
		return err
	}
	if err := normalizeAgreement(a); err != nil {
		return err
	}
	if err := db.seedRequirements(ctx, a.OrgID); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		if err := partnerExists(ctx, t, a.OrgID, a.PartnerID); err != nil {
			return err
		}
		if err := t.resolveRequirement(ctx, a); err != nil {
			return err
		}
		now := t.db.now()
		a.ID, a.CreatedAt, a.UpdatedAt = NewID(), now, now
		if _, err := t.exec(ctx, `INSERT INTO agreements (id, org_id, partner_id, requirement_id, contract, valid_from, valid_until,
			document_key, document_name, document_content_type, document_size, notes, reporting_hours, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.OrgID, a.PartnerID, a.RequirementID, a.Contract, nullTime(a.ValidFrom), nullTime(a.ValidUntil),
			a.DocumentKey, a.DocumentName, a.DocumentContentType, a.DocumentSize, a.Notes, a.ReportingHours, now, now); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: a.OrgID, Action: "agreement.create", ObjectType: "agreement", ObjectID: a.ID,
			Detail: map[string]any{"partner_id": a.PartnerID, "requirement": a.Requirement, "contract": a.Contract}})
	})
}

// UpdateAgreement replaces an agreement's fields (its requirement kind
// included). The signed document is not among them: it changes only
// through SetAgreementDocument, so that an edit made from a stale copy
// cannot bring back a document that was replaced (whose file is gone).
// a's document fields are set to the stored ones.
func (db *DB) UpdateAgreement(ctx context.Context, a *renkei.Agreement) error {
	if err := renkei.Require(ctx, a.OrgID, renkei.PermWrite); err != nil {
		return err
	}
	if err := normalizeAgreement(a); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		var created time.Time
		if err := t.queryRow(ctx, `SELECT created_at, document_key, document_name, document_content_type, document_size
			FROM agreements WHERE org_id = ? AND partner_id = ? AND id = ?`, a.OrgID, a.PartnerID, a.ID).Scan(
			&created, &a.DocumentKey, &a.DocumentName, &a.DocumentContentType, &a.DocumentSize); err != nil {
			return notFound(err, "agreement")
		}
		if err := t.resolveRequirement(ctx, a); err != nil {
			return err
		}
		a.CreatedAt, a.UpdatedAt = created.UTC(), t.db.now()
		if _, err := t.exec(ctx, `UPDATE agreements SET requirement_id = ?, contract = ?, valid_from = ?, valid_until = ?, notes = ?, reporting_hours = ?, updated_at = ?
			WHERE org_id = ? AND partner_id = ? AND id = ?`, a.RequirementID, a.Contract, nullTime(a.ValidFrom), nullTime(a.ValidUntil), a.Notes, a.ReportingHours, a.UpdatedAt,
			a.OrgID, a.PartnerID, a.ID); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: a.OrgID, Action: "agreement.update", ObjectType: "agreement", ObjectID: a.ID,
			Detail: map[string]any{"partner_id": a.PartnerID, "requirement": a.Requirement, "contract": a.Contract}})
	})
}

// DeleteAgreement removes one of the partner's agreements.
func (db *DB) DeleteAgreement(ctx context.Context, orgID, partnerID, id string) error {
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM agreements WHERE org_id = ? AND partner_id = ? AND id = ?`, orgID, partnerID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return renkei.ErrNotFound("agreement")
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "agreement.delete", ObjectType: "agreement", ObjectID: id,
			Detail: map[string]any{"partner_id": partnerID}})
	})
}

// SetAgreementDocument records the signed document of one of the
// partner's agreements, replacing the one before, and returns the key of
// the one replaced ("" when none), which the caller deletes from the file
// store once this has succeeded. An empty key removes the document (name,
// content type and size are then ignored). Audited as
// "agreement.document" with the file's name, type and size, or
// "removed": true.
func (db *DB) SetAgreementDocument(ctx context.Context, orgID, partnerID, agreementID, key, name, contentType string, size int64) (string, error) {
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return "", err
	}
	if key == "" {
		name, contentType, size = "", "", 0
	} else if name == "" || contentType == "" || size <= 0 {
		return "", renkei.Invalid(map[string]string{"document": "field.required"})
	}
	var old, oldName string
	err := db.write(ctx, func(t *tx) error {
		// Two replacements at once must not both see the same document
		// before them (one new file would be lost track of): PostgreSQL
		// locks the row; SQLite's write lock already serializes writes.
		lock := ""
		if t.db.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		if err := t.queryRow(ctx, `SELECT document_key, document_name FROM agreements WHERE org_id = ? AND partner_id = ? AND id = ?`+lock,
			orgID, partnerID, agreementID).Scan(&old, &oldName); err != nil {
			return notFound(err, "agreement")
		}
		if key == "" && old == "" {
			return nil // nothing to remove, nothing to audit
		}
		if _, err := t.exec(ctx, `UPDATE agreements SET document_key = ?, document_name = ?, document_content_type = ?, document_size = ?, updated_at = ?
			WHERE org_id = ? AND partner_id = ? AND id = ?`, key, name, contentType, size, t.db.now(), orgID, partnerID, agreementID); err != nil {
			return err
		}
		detail := map[string]any{"partner_id": partnerID, "name": name, "content_type": contentType, "size": size}
		if key == "" {
			detail = map[string]any{"partner_id": partnerID, "removed": true, "name": oldName}
		} else if old != "" {
			detail["replaced"] = oldName
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "agreement.document", ObjectType: "agreement", ObjectID: agreementID, Detail: detail})
	})
	if err != nil {
		return "", err
	}
	return old, nil
}

// ExpiringAgreements lists the agreements in force now that end within
// the window, soonest first, of partners that are not archived. The cursor
// holds the last one's end and ID.
func (db *DB) ExpiringAgreements(ctx context.Context, orgID string, within time.Duration, page renkei.Page) ([]renkei.Agreement, string, error) {
	page = page.Normalize()
	after, err := renkei.DecodeCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	now := db.now()
	q := `SELECT ` + agreementColumns + agreementFrom + `JOIN partners p ON p.id = a.partner_id AND p.org_id = a.org_id
		WHERE a.org_id = ? AND p.archived = ? AND ` + activeAgreement + ` AND a.valid_until IS NOT NULL AND a.valid_until <= ?`
	args := []any{orgID, false, now, now, now.Add(within)}
	if after != "" {
		until, id, ok := strings.Cut(after, "|")
		n, err := strconv.ParseInt(until, 10, 64)
		if _, uerr := uuid.Parse(id); !ok || err != nil || uerr != nil {
			return nil, "", badCursor()
		}
		q += ` AND (a.valid_until, a.id) > (?, ?)`
		args = append(args, time.UnixMicro(n).UTC(), id)
	}
	q += ` ORDER BY a.valid_until, a.id LIMIT ?`
	args = append(args, page.Limit+1)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	out := []renkei.Agreement{}
	for rows.Next() {
		a, err := scanAgreement(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, *a)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > page.Limit {
		out = out[:page.Limit]
		last := out[len(out)-1]
		next = renkei.EncodeCursor(strconv.FormatInt(last.ValidUntil.UnixMicro(), 10) + "|" + last.ID)
	}
	return out, next, nil
}

// Coverage tells, for each partner type and requirement kind, how many of
// the organization's partners (not archived) there are and how many of
// them have an agreement in force for the kind. Every type of the
// vocabulary and every kind of the organization has its cell, in their
// orders.
func (db *DB) Coverage(ctx context.Context, orgID string) ([]renkei.CoverageCell, error) {
	kinds, err := db.RequirementKinds(ctx, orgID)
	if err != nil {
		return nil, err
	}
	partners := map[string]int{}
	rows, err := db.query(ctx, `SELECT type, COUNT(*) FROM partners WHERE org_id = ? AND archived = ? GROUP BY type`, orgID, false)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var typ string
		var n int
		if err := rows.Scan(&typ, &n); err != nil {
			rows.Close()
			return nil, err
		}
		partners[typ] = n
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	type cell struct{ typ, req string }
	covered := map[cell]int{}
	now := db.now()
	// Partners first (CROSS JOIN keeps SQLite to that order; PostgreSQL
	// plans as it likes): one pass over the partners' type index, one
	// probe of the covering agreements index per partner.
	rows, err = db.query(ctx, `SELECT p.type, a.requirement_id, COUNT(DISTINCT a.partner_id)
		FROM partners p CROSS JOIN agreements a
		WHERE p.org_id = ? AND p.archived = ? AND a.partner_id = p.id AND a.org_id = ? AND `+activeAgreement+`
		GROUP BY p.type, a.requirement_id`, orgID, false, orgID, now, now)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c cell
		var n int
		if err := rows.Scan(&c.typ, &c.req, &n); err != nil {
			rows.Close()
			return nil, err
		}
		covered[c] = n
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	out := []renkei.CoverageCell{}
	for _, typ := range renkei.Terms(renkei.ListPartnerType) {
		for _, k := range kinds {
			c := renkei.CoverageCell{PartnerType: typ.Code, Requirement: k.Code, Partners: partners[typ.Code], Covered: covered[cell{typ.Code, k.ID}]}
			if c.Partners > 0 {
				c.Percent = math.Round(float64(c.Covered)*1000/float64(c.Partners)) / 10
			}
			out = append(out, c)
		}
	}
	return out, nil
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}
