package sqlstore

import (
	"context"
)

// The kinds of vuln_changes rows: what a process holding the portfolio's
// index must read again.
const (
	changeProduct  = "product"  // ref: the product whose SBOMs were replaced
	changeAdvisory = "advisory" // ref: the advisory added, replaced or withdrawn
	changeKEV      = "kev"      // the catalog replaced; ref ""
)

// vulnChanged appends change rows, one per ref. The sequence is read and
// extended under the audit chain's lock (PostgreSQL: a transaction-scoped
// advisory lock; SQLite's immediate transactions hold the write lock), so
// rows become visible in sequence order and a reader that has seen seq n
// has seen every row before it.
func (t *tx) vulnChanged(ctx context.Context, kind string, refs ...string) error {
	if len(refs) == 0 {
		return nil
	}
	if t.db.dialect == Postgres {
		if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(auditLockKey)); err != nil {
			return err
		}
	}
	var last int64
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM vuln_changes`).Scan(&last); err != nil {
		return err
	}
	now := t.db.now()
	rows := make([][]any, len(refs))
	for i, ref := range refs {
		rows[i] = []any{last + int64(i) + 1, kind, ref, now}
	}
	return t.insertRows(ctx, `INSERT INTO vuln_changes (seq, kind, ref, at) VALUES `, 4, rows)
}
