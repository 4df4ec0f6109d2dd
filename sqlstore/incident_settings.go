package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"reflect"
	"time"

	"github.com/renkei/renkei"
)

// IncidentSettings implements renkei.IncidentStore: the organization's
// facts, its latest duty rules and disclosure policy, or the defaults
// while it has saved none.
func (db *DB) IncidentSettings(ctx context.Context, orgID string) (*renkei.IncidentSettings, error) {
	if err := staffRead(ctx, orgID); err != nil {
		return nil, err
	}
	s := &renkei.IncidentSettings{Rules: renkei.DefaultObligationRules(), Policy: renkei.DefaultDisclosurePolicy()}
	var flags string
	err := db.queryRow(ctx, `SELECT industry, flags FROM incident_settings WHERE org_id = ?`, orgID).Scan(&s.Industry, &flags)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return nil, mapErr(err)
	default:
		if err := json.Unmarshal([]byte(flags), &s.Flags); err != nil {
			return nil, err
		}
	}
	if err := db.latestVersion(ctx, `SELECT rules FROM obligation_rule_sets WHERE org_id = ? ORDER BY version DESC LIMIT 1`, orgID, &s.Rules); err != nil {
		return nil, err
	}
	if err := db.latestVersion(ctx, `SELECT policy FROM disclosure_policies WHERE org_id = ? ORDER BY version DESC LIMIT 1`, orgID, &s.Policy); err != nil {
		return nil, err
	}
	return s, nil
}

// latestVersion reads the newest stored version into v, leaving v as it
// is when there is none.
func (db *DB) latestVersion(ctx context.Context, query, orgID string, v any) error {
	var body string
	err := db.queryRow(ctx, query, orgID).Scan(&body)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return mapErr(err)
	}
	return json.Unmarshal([]byte(body), v)
}

// SaveIncidentSettings implements renkei.IncidentStore. Rules or a policy
// that differ from the current ones are stored as the next version; cases
// keep the version their duties came from until their facts change.
func (db *DB) SaveIncidentSettings(ctx context.Context, orgID string, s *renkei.IncidentSettings) error {
	if isPartnerUser(ctx) {
		return renkei.ErrNotFound("organization")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermManageOrg); err != nil {
		return err
	}
	if s.Flags == nil {
		s.Flags = []string{}
	}
	if err := s.Validate(); err != nil {
		return err
	}
	cur, err := db.IncidentSettings(ctx, orgID)
	if err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		now := t.db.now()
		flags, _ := json.Marshal(s.Flags)
		if _, err := t.exec(ctx, `DELETE FROM incident_settings WHERE org_id = ?`, orgID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO incident_settings (org_id, industry, flags, updated_at) VALUES (?, ?, ?, ?)`,
			orgID, s.Industry, string(flags), now); err != nil {
			return err
		}
		detail := map[string]any{"industry": s.Industry, "flags": s.Flags}
		rulesBody := s.Rules
		rulesBody.Version = cur.Rules.Version
		if !reflect.DeepEqual(rulesBody, cur.Rules) {
			s.Rules.Version = cur.Rules.Version + 1
			b, _ := json.Marshal(s.Rules)
			if _, err := t.exec(ctx, `INSERT INTO obligation_rule_sets (org_id, version, rules, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
				orgID, s.Rules.Version, string(b), actorName(ctx), now); err != nil {
				return err
			}
			detail["rules_version"] = s.Rules.Version
		} else {
			s.Rules.Version = cur.Rules.Version
		}
		policy := s.Policy
		policy.Version = cur.Policy.Version
		if !reflect.DeepEqual(policy, cur.Policy) {
			s.Policy.Version = cur.Policy.Version + 1
			b, _ := json.Marshal(s.Policy)
			if _, err := t.exec(ctx, `INSERT INTO disclosure_policies (org_id, version, policy, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
				orgID, s.Policy.Version, string(b), actorName(ctx), now); err != nil {
				return err
			}
			detail["policy_version"] = s.Policy.Version
		} else {
			s.Policy.Version = cur.Policy.Version
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "incident.settings", ObjectType: "organization", ObjectID: orgID, Detail: detail})
	})
}

// RotateReportLink implements renkei.IncidentStore.
func (db *DB) RotateReportLink(ctx context.Context, orgID string) (string, error) {
	if isPartnerUser(ctx) {
		return "", renkei.ErrNotFound("organization")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermManageOrg); err != nil {
		return "", err
	}
	secret := renkei.NewSecret(24)
	err := db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DELETE FROM report_links WHERE org_id = ?`, orgID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO report_links (org_id, token_hash, created_by, created_at) VALUES (?, ?, ?, ?)`,
			orgID, renkei.HashSecret(secret), actorName(ctx), t.db.now()); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "incident.report_link", ObjectType: "organization", ObjectID: orgID})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// ReportLinkCreated implements renkei.IncidentStore.
func (db *DB) ReportLinkCreated(ctx context.Context, orgID string) (*time.Time, error) {
	if err := staffRead(ctx, orgID); err != nil {
		return nil, err
	}
	var at time.Time
	err := db.queryRow(ctx, `SELECT created_at FROM report_links WHERE org_id = ?`, orgID).Scan(&at)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, mapErr(err)
	}
	at = at.UTC()
	return &at, nil
}

// ReportLinkOrg implements renkei.IncidentStore. It needs no actor: the
// secret is the credential.
func (db *DB) ReportLinkOrg(ctx context.Context, secret string) (*renkei.Organization, int, error) {
	var orgID string
	err := db.queryRow(ctx, `SELECT org_id FROM report_links WHERE token_hash = ?`, renkei.HashSecret(secret)).Scan(&orgID)
	if err != nil {
		return nil, 0, notFound(err, "report_link")
	}
	o, err := db.OrganizationByID(ctx, orgID)
	if err != nil {
		return nil, 0, err
	}
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM incidents WHERE org_id = ? AND source = ? AND created_at > ?`,
		orgID, renkei.IncidentSourceLink, db.now().Add(-24*time.Hour)).Scan(&n); err != nil {
		return nil, 0, mapErr(err)
	}
	return o, n, nil
}
