package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/renkei/renkei"
)

// Support programs (renkei.ReviewStore): each organization's own catalog.
// It is seeded on the organization's first read rather than by the
// migration, so that organizations created later get it too;
// support_catalogs records the seeding, so a catalog emptied on purpose
// stays empty.

const supportProgramColumns = `id, org_id, code, name_ja, name_en, url, description_ja, description_en, control_groups, severities, max_employees, created_at, updated_at`

func scanSupportProgram(r interface{ Scan(...any) error }) (*renkei.SupportProgram, error) {
	var p renkei.SupportProgram
	var groups, sevs string
	if err := r.Scan(&p.ID, &p.OrgID, &p.Code, &p.Name.JA, &p.Name.EN, &p.URL, &p.Description.JA, &p.Description.EN,
		&groups, &sevs, &p.MaxEmployees, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return nil, notFound(err, "support_program")
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(groups), &p.Groups); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(sevs), &p.Severities); err != nil {
		return nil, err
	}
	return &p, nil
}

// staffOnly refuses partner users (as not found) and actors without p.
func staffOnly(ctx context.Context, orgID string, p renkei.Permission, kind string) error {
	if isPartnerUser(ctx) {
		return renkei.ErrNotFound(kind)
	}
	return renkei.Require(ctx, orgID, p)
}

// SupportPrograms implements renkei.ReviewStore.
func (db *DB) SupportPrograms(ctx context.Context, orgID string) ([]renkei.SupportProgram, error) {
	if err := staffOnly(ctx, orgID, renkei.PermRead, "support_program"); err != nil {
		return nil, err
	}
	if err := db.seedSupportPrograms(ctx, orgID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+supportProgramColumns+` FROM support_programs WHERE org_id = ? ORDER BY id`, orgID)
	if err != nil {
		return nil, err
	}
	out, err := collect(rows, scanSupportProgram)
	if out == nil {
		out = []renkei.SupportProgram{}
	}
	return out, err
}

// seedSupportPrograms gives the organization the seed catalog once.
func (db *DB) seedSupportPrograms(ctx context.Context, orgID string) error {
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM support_catalogs WHERE org_id = ?`, orgID).Scan(&n); err != nil || n > 0 {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		now := t.db.now()
		res, err := t.exec(ctx, `INSERT INTO support_catalogs (org_id, seeded_at) VALUES (?, ?) ON CONFLICT (org_id) DO NOTHING`, orgID, now)
		if err != nil {
			return err
		}
		if added, _ := res.RowsAffected(); added == 0 {
			return nil // another request seeded it first
		}
		seeds := renkei.SeedSupportPrograms()
		for i := range seeds {
			p := &seeds[i]
			p.OrgID, p.ID, p.CreatedAt, p.UpdatedAt = orgID, NewID(), now, now
			if err := t.insertSupportProgram(ctx, p); err != nil {
				return err
			}
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "support_program.seed", ObjectType: "organization", ObjectID: orgID,
			Detail: map[string]any{"programs": len(seeds)}})
	})
}

func (t *tx) insertSupportProgram(ctx context.Context, p *renkei.SupportProgram) error {
	groups, _ := json.Marshal(nonNil(p.Groups))
	sevs, _ := json.Marshal(nonNil(p.Severities))
	_, err := t.exec(ctx, `INSERT INTO support_programs (`+supportProgramColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.OrgID, p.Code, p.Name.JA, p.Name.EN, p.URL, p.Description.JA, p.Description.EN, string(groups), string(sevs), p.MaxEmployees, p.CreatedAt, p.UpdatedAt)
	return err
}

// SupportProgram implements renkei.ReviewStore.
func (db *DB) SupportProgram(ctx context.Context, orgID, id string) (*renkei.SupportProgram, error) {
	if err := staffOnly(ctx, orgID, renkei.PermRead, "support_program"); err != nil {
		return nil, err
	}
	return scanSupportProgram(db.queryRow(ctx, `SELECT `+supportProgramColumns+` FROM support_programs WHERE org_id = ? AND id = ?`, orgID, id))
}

// CreateSupportProgram implements renkei.ReviewStore. The catalog is
// seeded first, so that adding one's own program does not skip the seeds.
func (db *DB) CreateSupportProgram(ctx context.Context, p *renkei.SupportProgram) error {
	if err := staffOnly(ctx, p.OrgID, renkei.PermWrite, "support_program"); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := db.seedSupportPrograms(ctx, p.OrgID); err != nil {
		return err
	}
	now := db.now()
	p.ID, p.Code, p.CreatedAt, p.UpdatedAt = NewID(), "", now, now
	return db.write(ctx, func(t *tx) error {
		if err := t.insertSupportProgram(ctx, p); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: p.OrgID, Action: "support_program.create", ObjectType: "support_program", ObjectID: p.ID,
			Detail: map[string]any{"name": p.Name}})
	})
}

// UpdateSupportProgram implements renkei.ReviewStore: every field a user
// sets is replaced.
func (db *DB) UpdateSupportProgram(ctx context.Context, p *renkei.SupportProgram) error {
	if err := staffOnly(ctx, p.OrgID, renkei.PermWrite, "support_program"); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		cur, err := scanSupportProgram(t.queryRow(ctx, `SELECT `+supportProgramColumns+` FROM support_programs WHERE org_id = ? AND id = ?`, p.OrgID, p.ID))
		if err != nil {
			return err
		}
		now := t.db.now()
		groups, _ := json.Marshal(nonNil(p.Groups))
		sevs, _ := json.Marshal(nonNil(p.Severities))
		if _, err := t.exec(ctx, `UPDATE support_programs SET name_ja = ?, name_en = ?, url = ?, description_ja = ?, description_en = ?,
			control_groups = ?, severities = ?, max_employees = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			p.Name.JA, p.Name.EN, p.URL, p.Description.JA, p.Description.EN, string(groups), string(sevs), p.MaxEmployees, now, p.OrgID, p.ID); err != nil {
			return err
		}
		p.Code, p.CreatedAt, p.UpdatedAt = cur.Code, cur.CreatedAt, now
		return t.audit(ctx, change{OrgID: p.OrgID, Action: "support_program.update", ObjectType: "support_program", ObjectID: p.ID,
			Detail: map[string]any{"name": p.Name}})
	})
}

// DeleteSupportProgram implements renkei.ReviewStore.
func (db *DB) DeleteSupportProgram(ctx context.Context, orgID, id string) error {
	if err := staffOnly(ctx, orgID, renkei.PermWrite, "support_program"); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM support_programs WHERE org_id = ? AND id = ?`, orgID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return renkei.ErrNotFound("support_program")
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "support_program.delete", ObjectType: "support_program", ObjectID: id})
	})
}
