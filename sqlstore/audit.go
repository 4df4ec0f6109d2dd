package sqlstore

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/renkei/renkei"
)

// AppendAudit appends an entry that belongs to no other change (sign-ins).
func (db *DB) AppendAudit(ctx context.Context, e *renkei.AuditEntry) error {
	if e.At.IsZero() {
		e.At = db.now()
	}
	return db.write(ctx, func(t *tx) error { return t.appendAudit(ctx, e) })
}

const auditColumns = `seq, id, org_id, actor_id, actor_label, action, object_type, object_id, detail, ip, at, prev_hash, hash`

func scanAudit(s interface{ Scan(...any) error }, e *renkei.AuditEntry) error {
	if err := s.Scan(&e.Seq, &e.ID, &e.OrgID, &e.ActorID, &e.ActorLabel, &e.Action, &e.ObjectType, &e.ObjectID, &e.Detail, &e.IP, &e.At, &e.PrevHash, &e.Hash); err != nil {
		return err
	}
	e.At = e.At.UTC()
	return nil
}

// ListAudit returns an organization's entries, newest first.
func (db *DB) ListAudit(ctx context.Context, orgID string, page renkei.Page) ([]renkei.AuditEntry, string, error) {
	page = page.Normalize()
	after, err := renkei.DecodeCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	var rows *sql.Rows
	if after == "" {
		rows, err = db.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE org_id = ? ORDER BY seq DESC LIMIT ?`, orgID, page.Limit+1)
	} else {
		seq, perr := strconv.ParseInt(after, 10, 64)
		if perr != nil {
			return nil, "", renkei.Invalid(map[string]string{"cursor": "field.cursor"})
		}
		rows, err = db.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE org_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`, orgID, seq, page.Limit+1)
	}
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []renkei.AuditEntry
	for rows.Next() {
		var e renkei.AuditEntry
		if err := scanAudit(rows, &e); err != nil {
			return nil, "", err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > page.Limit {
		out = out[:page.Limit]
		next = renkei.EncodeCursor(itoa(out[len(out)-1].Seq))
	}
	return out, next, nil
}

// WalkAudit calls fn for every entry of the installation in sequence order,
// reading in batches so that a long log does not sit in memory.
func (db *DB) WalkAudit(ctx context.Context, fn func(*renkei.AuditEntry) error) error {
	var after int64
	for {
		rows, err := db.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000`, after)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var e renkei.AuditEntry
			if err := scanAudit(rows, &e); err != nil {
				rows.Close()
				return err
			}
			n++
			after = e.Seq
			if err := fn(&e); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil || n == 0 {
			return err
		}
	}
}

// AuditHead returns the last sequence number and hash.
func (db *DB) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var h string
	err := db.queryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &h)
	if err == sql.ErrNoRows {
		return 0, renkei.GenesisHash, nil
	}
	return seq, h, err
}

// VerifyAudit walks the chain and returns the first break, or nil when the
// whole chain is intact, with the number of entries checked.
func (db *DB) VerifyAudit(ctx context.Context) (*renkei.ChainBreak, int64, error) {
	v := renkei.NewChainVerifier()
	var brk *renkei.ChainBreak
	stop := errStop{}
	err := db.WalkAudit(ctx, func(e *renkei.AuditEntry) error {
		if b := v.Next(e); b != nil {
			brk = b
			return stop
		}
		return nil
	})
	if err != nil && err != error(stop) {
		return nil, v.Checked, err
	}
	return brk, v.Checked, nil
}

type errStop struct{}

func (errStop) Error() string { return "stop" }
