package sqlstore

import (
	"context"
	"time"

	"github.com/renkei/renkei"
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

// PruneVulnChanges deletes change rows written before the time, except the
// newest (so that the sequence goes on from it), and returns how many it
// deleted. A process whose index has not caught up with a deleted row
// notices the gap and loads everything again (vulnIndex.catchUp).
func (db *DB) PruneVulnChanges(ctx context.Context, before time.Time) (int64, error) {
	if a := renkei.ActorFrom(ctx); a == nil || !a.System {
		return 0, renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	var n int64
	err := db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM vuln_changes WHERE at < ? AND seq < (SELECT MAX(seq) FROM vuln_changes)`, utc(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
