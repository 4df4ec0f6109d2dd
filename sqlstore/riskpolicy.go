package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/renkei/renkei"
)

func parsePolicy(err error, s string) (renkei.RiskPolicy, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return renkei.DefaultRiskPolicy(), nil
	}
	if err != nil {
		return renkei.RiskPolicy{}, err
	}
	rp := renkei.DefaultRiskPolicy()
	if err := json.Unmarshal([]byte(s), &rp); err != nil {
		return renkei.RiskPolicy{}, err
	}
	return rp, nil
}

// RiskPolicy returns the organization's risk policy, the default one until
// it sets its own.
func (db *DB) RiskPolicy(ctx context.Context, orgID string) (renkei.RiskPolicy, error) {
	var s string
	err := db.queryRow(ctx, `SELECT policy FROM risk_policies WHERE org_id = ?`, orgID).Scan(&s)
	return parsePolicy(err, s)
}

func (t *tx) riskPolicy(ctx context.Context, orgID string) (renkei.RiskPolicy, error) {
	var s string
	err := t.queryRow(ctx, `SELECT policy FROM risk_policies WHERE org_id = ?`, orgID).Scan(&s)
	return parsePolicy(err, s)
}

// SetRiskPolicy validates and stores the organization's policy and
// re-evaluates every partner of the organization (archived ones too),
// recording a history entry for each partner whose result changed.
func (db *DB) SetRiskPolicy(ctx context.Context, orgID string, rp renkei.RiskPolicy) error {
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return err
	}
	if err := rp.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(rp)
	if err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		if err := t.orgExists(ctx, orgID); err != nil {
			return err
		}
		now := t.db.now()
		if _, err := t.exec(ctx, `INSERT INTO risk_policies (org_id, policy, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (org_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at`, orgID, string(b), now); err != nil {
			return err
		}
		n, err := t.reevaluate(ctx, orgID, rp)
		if err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "risk_policy.update", ObjectType: "risk_policy", ObjectID: orgID,
			Detail: map[string]any{"policy": rp, "changed_partners": n}})
	})
}

// reevaluate applies the policy to every partner of the organization and
// stores the results that changed, with their history entries. It returns
// how many partners changed.
func (t *tx) reevaluate(ctx context.Context, orgID string, rp renkei.RiskPolicy) (int, error) {
	restore, err := t.bigCache(ctx)
	if err != nil {
		return 0, err
	}
	defer restore()
	rows, err := t.queryRows(ctx, `SELECT id, type, country, employees, profile, risk_score, risk_tier, risk_reasons, required_level
		FROM partners WHERE org_id = ?`, orgID)
	if err != nil {
		return 0, err
	}
	var changed []renkei.Partner
	for rows.Next() {
		p := renkei.Partner{OrgID: orgID}
		var profile, tier, reasons, level string
		var score int
		if err := rows.Scan(&p.ID, &p.Type, &p.Company.Country, &p.Company.Employees, &profile, &score, &tier, &reasons, &level); err != nil {
			rows.Close()
			return 0, err
		}
		if p.Profile, err = parseProfile(profile); err != nil {
			rows.Close()
			return 0, err
		}
		rp.Evaluate(&p)
		if p.Risk.Score != score || p.Risk.Tier != tier || p.Required != level || reasonsJSON(p.Risk.Reasons) != reasons {
			changed = append(changed, p)
		}
	}
	if err := closeRows(rows); err != nil {
		return 0, err
	}
	if len(changed) == 0 {
		return 0, nil
	}
	if t.db.dialect == SQLite {
		err = t.storeRisksOneByOne(ctx, orgID, changed)
	} else {
		err = t.storeRisksInBatches(ctx, orgID, changed)
	}
	if err != nil {
		return 0, err
	}
	now, actor := t.db.now(), actorID(ctx)
	hist := t.newBatch(`INSERT INTO partner_risk_history (id, org_id, partner_id, at, score, tier, required_level, reasons, actor_id) VALUES `, 9, "")
	defer hist.close()
	for i := range changed {
		p := &changed[i]
		if err := hist.add(ctx, NewID(), orgID, p.ID, now, p.Risk.Score, p.Risk.Tier, p.Required, reasonsJSON(p.Risk.Reasons), actor); err != nil {
			return 0, err
		}
	}
	return len(changed), hist.flush(ctx)
}

// storeRisksOneByOne writes new evaluations on SQLite: one row per
// statement, OR FAIL so that SQLite keeps no statement journal for it
// (an error rolls the whole transaction back anyway).
func (t *tx) storeRisksOneByOne(ctx context.Context, orgID string, ps []renkei.Partner) error {
	upd, err := t.prepare(ctx, `UPDATE OR FAIL partners SET risk_score = ?, risk_tier = ?, risk_reasons = ?, required_level = ? WHERE id = ? AND org_id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	for i := range ps {
		p := &ps[i]
		if _, err := upd.ExecContext(ctx, p.Risk.Score, p.Risk.Tier, reasonsJSON(p.Risk.Reasons), p.Required, p.ID, orgID); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// storeRisksInBatches writes new evaluations on PostgreSQL, 200 partners
// per statement (one round trip each).
func (t *tx) storeRisksInBatches(ctx context.Context, orgID string, ps []renkei.Partner) error {
	const per = 200
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, s := range stmts {
			s.Close()
		}
	}()
	for len(ps) > 0 {
		n := min(per, len(ps))
		stmt := stmts[n]
		if stmt == nil {
			row := "(?, CAST(? AS INTEGER), ?, ?, ?)"
			var err error
			if stmt, err = t.prepare(ctx, `UPDATE partners SET risk_score = v.column2, risk_tier = v.column3, risk_reasons = v.column4, required_level = v.column5
				FROM (VALUES `+strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")+`) AS v
				WHERE partners.org_id = ? AND partners.id = v.column1`); err != nil {
				return err
			}
			stmts[n] = stmt
		}
		args := make([]any, 0, 5*n+1)
		for i := range ps[:n] {
			p := &ps[i]
			args = append(args, p.ID, p.Risk.Score, p.Risk.Tier, reasonsJSON(p.Risk.Reasons), p.Required)
		}
		if _, err := stmt.ExecContext(ctx, append(args, orgID)...); err != nil {
			return mapErr(err)
		}
		ps = ps[n:]
	}
	return nil
}
