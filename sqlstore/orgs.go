package sqlstore

import (
	"context"

	"github.com/renkei/renkei"
)

// CreateOrganization adds a tenant.
func (db *DB) CreateOrganization(ctx context.Context, o *renkei.Organization) error {
	if err := o.Validate(); err != nil {
		return err
	}
	o.ID, o.CreatedAt = NewID(), db.now()
	return db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO organizations (id, name, slug, demo, created_at) VALUES (?, ?, ?, ?, ?)`,
			o.ID, o.Name, o.Slug, o.Demo, o.CreatedAt); err != nil {
			if renkei.ErrorCode(err) == renkei.ECONFLICT {
				return &renkei.Error{Code: renkei.ECONFLICT, Key: "error.slug_taken", Fields: map[string]string{"slug": "field.slug_taken"}}
			}
			return err
		}
		return t.audit(ctx, change{OrgID: o.ID, Action: "organization.create", ObjectType: "organization", ObjectID: o.ID, Detail: map[string]any{"name": o.Name, "slug": o.Slug}})
	})
}

const orgColumns = `id, name, slug, demo, created_at`

func scanOrg(s interface{ Scan(...any) error }) (*renkei.Organization, error) {
	var o renkei.Organization
	if err := s.Scan(&o.ID, &o.Name, &o.Slug, &o.Demo, &o.CreatedAt); err != nil {
		return nil, notFound(err, "organization")
	}
	o.CreatedAt = o.CreatedAt.UTC()
	return &o, nil
}

// OrganizationByID returns one organization.
func (db *DB) OrganizationByID(ctx context.Context, id string) (*renkei.Organization, error) {
	return scanOrg(db.queryRow(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = ?`, id))
}

// OrganizationBySlug returns one organization.
func (db *DB) OrganizationBySlug(ctx context.Context, slug string) (*renkei.Organization, error) {
	return scanOrg(db.queryRow(ctx, `SELECT `+orgColumns+` FROM organizations WHERE slug = ?`, slug))
}

// ListOrganizations returns every organization (CLI and demo use only).
func (db *DB) ListOrganizations(ctx context.Context) ([]renkei.Organization, error) {
	rows, err := db.query(ctx, `SELECT `+orgColumns+` FROM organizations ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []renkei.Organization
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}

// UpdateOrganization changes the organization's name.
func (db *DB) UpdateOrganization(ctx context.Context, o *renkei.Organization) error {
	if err := renkei.Require(ctx, o.ID, renkei.PermManageOrg); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE organizations SET name = ? WHERE id = ?`, o.Name, o.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return renkei.ErrNotFound("organization")
		}
		return t.audit(ctx, change{OrgID: o.ID, Action: "organization.update", ObjectType: "organization", ObjectID: o.ID, Detail: map[string]any{"name": o.Name}})
	})
}
