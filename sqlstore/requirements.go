package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/renkei/renkei"
)

const requirementColumns = `id, org_id, code, name_ja, name_en, builtin, created_at`

func scanRequirement(s interface{ Scan(...any) error }) (*renkei.RequirementKind, error) {
	var k renkei.RequirementKind
	if err := s.Scan(&k.ID, &k.OrgID, &k.Code, &k.NameJA, &k.NameEN, &k.Builtin, &k.CreatedAt); err != nil {
		return nil, notFound(err, "requirement")
	}
	k.CreatedAt = k.CreatedAt.UTC()
	if k.Builtin {
		// The vocabulary's words, so that a corrected label shows at once.
		if term, ok := renkei.LookupTerm(renkei.ListRequirement, k.Code); ok {
			k.NameJA, k.NameEN = term.JA, term.EN
		}
	}
	return &k, nil
}

// seedRequirements gives the organization the vocabulary's requirement
// kinds the first time it needs them. It is idempotent and safe to run
// concurrently; it acts as the system, whoever triggered it.
func (db *DB) seedRequirements(ctx context.Context, orgID string) error {
	terms := renkei.Terms(renkei.ListRequirement)
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM requirement_kinds WHERE org_id = ? AND builtin = ?`, orgID, true).Scan(&n); err != nil {
		return err
	}
	if n >= len(terms) {
		return nil
	}
	sys := renkei.WithActor(ctx, renkei.SystemActor("seed"))
	return db.write(sys, func(t *tx) error { return t.seedRequirements(sys, orgID) })
}

func (t *tx) seedRequirements(ctx context.Context, orgID string) error {
	if err := t.orgExists(ctx, orgID); err != nil {
		return err
	}
	now := t.db.now()
	var added []string
	for i, term := range renkei.Terms(renkei.ListRequirement) {
		res, err := t.exec(ctx, `INSERT INTO requirement_kinds (id, org_id, code, name_ja, name_en, builtin, position, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, code) DO NOTHING`, NewID(), orgID, term.Code, term.JA, term.EN, true, i, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added = append(added, term.Code)
		}
	}
	if len(added) == 0 {
		return nil
	}
	return t.audit(ctx, change{OrgID: orgID, Action: "requirement.seed", ObjectType: "requirement", Detail: map[string]any{"codes": added}})
}

// RequirementKinds lists the organization's requirement kinds: the
// vocabulary's in their order, then the organization's own in the order
// they were added.
func (db *DB) RequirementKinds(ctx context.Context, orgID string) ([]renkei.RequirementKind, error) {
	if err := db.seedRequirements(ctx, orgID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+requirementColumns+` FROM requirement_kinds WHERE org_id = ? ORDER BY position, id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []renkei.RequirementKind{}
	for rows.Next() {
		k, err := scanRequirement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *k)
	}
	return out, rows.Err()
}

// CreateRequirementKind adds one of the organization's own kinds. Its code
// must not be taken by another kind of the organization, builtin ones
// included.
func (db *DB) CreateRequirementKind(ctx context.Context, k *renkei.RequirementKind) error {
	if err := renkei.Require(ctx, k.OrgID, renkei.PermWrite); err != nil {
		return err
	}
	if err := k.Validate(); err != nil {
		return err
	}
	if err := db.seedRequirements(ctx, k.OrgID); err != nil {
		return err
	}
	k.ID, k.Builtin, k.CreatedAt = NewID(), false, db.now()
	return db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO requirement_kinds (id, org_id, code, name_ja, name_en, builtin, position, created_at)
			VALUES (?, ?, ?, ?, ?, ?, 1000, ?)`, k.ID, k.OrgID, k.Code, k.NameJA, k.NameEN, false, k.CreatedAt); err != nil {
			if renkei.ErrorCode(err) == renkei.ECONFLICT {
				return &renkei.Error{Code: renkei.ECONFLICT, Key: "error.conflict", Fields: map[string]string{"code": "field.code_taken"}}
			}
			return err
		}
		return t.audit(ctx, change{OrgID: k.OrgID, Action: "requirement.create", ObjectType: "requirement", ObjectID: k.ID,
			Detail: map[string]any{"code": k.Code, "name_ja": k.NameJA, "name_en": k.NameEN}})
	})
}

// requirementIDByCode finds the organization's kind with the code: "" for
// a vocabulary code not seeded yet, EINVALID on missing_agreement for a
// code that is neither.
func (db *DB) requirementIDByCode(ctx context.Context, orgID, code string) (string, error) {
	var id string
	err := db.queryRow(ctx, `SELECT id FROM requirement_kinds WHERE org_id = ? AND code = ?`, orgID, code).Scan(&id)
	switch {
	case err == nil:
		return id, nil
	case !errors.Is(err, sql.ErrNoRows):
		return "", err
	case renkei.ValidTerm(renkei.ListRequirement, code):
		return "", nil
	}
	return "", renkei.Invalid(map[string]string{"missing_agreement": "field.code"})
}
