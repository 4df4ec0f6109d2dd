package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/renkei/renkei"
)

// Organizations' own templates (renkei.TemplateStore): one row per version,
// the body as JSON. A campaign resolves a slug to the organization's latest
// version, else to the built-in template of that slug.

// SaveTemplate implements renkei.TemplateStore.
func (db *DB) SaveTemplate(ctx context.Context, orgID string, tpl *renkei.Template) (*renkei.StoredTemplate, error) {
	if isPartnerUser(ctx) {
		return nil, renkei.ErrNotFound("template")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return nil, err
	}
	t := tpl.Clone()
	t.Normalize()
	t.Kind = renkei.TemplateOrg
	if _, builtin := renkei.BuiltinTemplate(t.Slug); builtin || t.Slug == renkei.TemplateByRequiredLevel {
		return nil, renkei.Invalid(map[string]string{"slug": "template.slug_taken"})
	}
	st := &renkei.StoredTemplate{ID: NewID(), OrgID: orgID, Slug: t.Slug, CreatedAt: db.now()}
	if a := renkei.ActorFrom(ctx); a != nil {
		st.CreatedBy = a.UserID
	}
	err := db.write(ctx, func(x *tx) error {
		var last int
		if err := x.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM org_templates WHERE org_id = ? AND slug = ?`, orgID, t.Slug).Scan(&last); err != nil {
			return err
		}
		t.Version = last + 1
		if err := t.Validate(); err != nil {
			return err
		}
		body, err := json.Marshal(t)
		if err != nil {
			return err
		}
		st.Version, st.Template = t.Version, t
		if _, err := x.exec(ctx, `INSERT INTO org_templates (id, org_id, slug, version, body, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			st.ID, orgID, st.Slug, st.Version, string(body), st.CreatedBy, st.CreatedAt); err != nil {
			return err
		}
		return x.audit(ctx, change{OrgID: orgID, Action: "template.save", ObjectType: "template", ObjectID: st.ID,
			Detail: map[string]any{"slug": st.Slug, "version": st.Version, "questions": t.QuestionCount()}})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

func scanStoredTemplate(r interface{ Scan(...any) error }) (*renkei.StoredTemplate, error) {
	var st renkei.StoredTemplate
	var body string
	if err := r.Scan(&st.ID, &st.OrgID, &st.Slug, &st.Version, &body, &st.CreatedBy, &st.CreatedAt); err != nil {
		return nil, notFound(err, "template")
	}
	st.CreatedAt = st.CreatedAt.UTC()
	st.Template = new(renkei.Template)
	if err := json.Unmarshal([]byte(body), st.Template); err != nil {
		return nil, err
	}
	return &st, nil
}

const templateColumns = `id, org_id, slug, version, body, created_by, created_at`

// OrgTemplate implements renkei.TemplateStore.
func (db *DB) OrgTemplate(ctx context.Context, orgID, slug string, version int) (*renkei.StoredTemplate, error) {
	if err := staffRead(ctx, orgID); err != nil {
		return nil, err
	}
	return db.orgTemplate(ctx, orgID, slug, version)
}

func (db *DB) orgTemplate(ctx context.Context, orgID, slug string, version int) (*renkei.StoredTemplate, error) {
	if version > 0 {
		return scanStoredTemplate(db.queryRow(ctx, `SELECT `+templateColumns+` FROM org_templates WHERE org_id = ? AND slug = ? AND version = ?`, orgID, slug, version))
	}
	return scanStoredTemplate(db.queryRow(ctx, `SELECT `+templateColumns+` FROM org_templates WHERE org_id = ? AND slug = ? ORDER BY version DESC LIMIT 1`, orgID, slug))
}

// ListOrgTemplates implements renkei.TemplateStore.
func (db *DB) ListOrgTemplates(ctx context.Context, orgID string) ([]renkei.StoredTemplate, error) {
	if err := staffRead(ctx, orgID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+templateColumns+` FROM org_templates t WHERE org_id = ?
		AND version = (SELECT MAX(version) FROM org_templates l WHERE l.org_id = t.org_id AND l.slug = t.slug) ORDER BY slug`, orgID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanStoredTemplate)
}

// resolveTemplate returns the template a campaign of orgID sends under
// slug: the organization's latest version, else the built-in one.
func (db *DB) resolveTemplate(ctx context.Context, orgID, slug string) (*renkei.Template, error) {
	st, err := db.orgTemplate(ctx, orgID, slug, 0)
	if err == nil {
		return st.Template, nil
	}
	if renkei.ErrorCode(err) != renkei.ENOTFOUND {
		return nil, err
	}
	t, ok := renkei.BuiltinTemplate(slug)
	if !ok {
		return nil, renkei.Invalid(map[string]string{"template": "field.template"})
	}
	return t, nil
}

var _ renkei.TemplateStore = (*DB)(nil)
