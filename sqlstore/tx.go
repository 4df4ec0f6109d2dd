package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/renkei/renkei"
)

// tx is a write transaction. Every change goes through one, and appends its
// audit entries inside it, so that a change and its record land together or
// not at all.
type tx struct {
	db *DB
	tx *sql.Tx
}

func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(ctx, t.db.q(query), args...)
	return res, mapErr(err)
}

func (t *tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.db.q(query), args...)
}

// write runs fn in a transaction and commits when it returns nil. A
// panic in fn rolls the transaction back before it goes on: left open, it
// would hold SQLite's write lock and its connection for good.
func (db *DB) write(ctx context.Context, fn func(*tx) error) error {
	stx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			_ = stx.Rollback()
			panic(r)
		}
	}()
	t := &tx{db: db, tx: stx}
	if err := fn(t); err != nil {
		_ = stx.Rollback()
		return err
	}
	return mapErr(stx.Commit())
}

// change describes one audited change.
type change struct {
	OrgID      string
	Action     string
	ObjectType string
	ObjectID   string
	Detail     any // marshalled to JSON; nil for none
}

// audit appends an entry for the actor in ctx. The chain head is read and
// extended under a lock: PostgreSQL takes a transaction-scoped advisory
// lock; SQLite's immediate transactions already hold the write lock.
func (t *tx) audit(ctx context.Context, c change) error {
	e := &renkei.AuditEntry{
		ID: NewID(), OrgID: c.OrgID, Action: c.Action,
		ObjectType: c.ObjectType, ObjectID: c.ObjectID, At: t.db.now(),
	}
	if c.Detail != nil {
		b, err := json.Marshal(c.Detail)
		if err != nil {
			return err
		}
		e.Detail = string(b)
	}
	if a := renkei.ActorFrom(ctx); a != nil {
		e.ActorID, e.ActorLabel, e.IP = a.UserID, a.Label, a.IP
		if e.ActorLabel == "" {
			e.ActorLabel = a.Email
		}
	}
	return t.appendAudit(ctx, e)
}

// auditLockKey is the advisory lock that serializes the audit chain.
const auditLockKey = 0x52454e4b4549 // "RENKEI"

func (t *tx) appendAudit(ctx context.Context, e *renkei.AuditEntry) error {
	if t.db.dialect == Postgres {
		if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(auditLockKey)); err != nil {
			return err
		}
	}
	var seq int64
	var prev string
	err := t.queryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
	if err == sql.ErrNoRows {
		seq, prev = 0, renkei.GenesisHash
	} else if err != nil {
		return err
	}
	if e.ID == "" {
		e.ID = NewID()
	}
	e.At = utc(e.At)
	e.Seq, e.PrevHash = seq+1, prev
	e.Hash = e.ComputeHash()
	_, err = t.exec(ctx, `INSERT INTO audit_log (seq, id, org_id, actor_id, actor_label, action, object_type, object_id, detail, ip, at, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.ID, e.OrgID, e.ActorID, e.ActorLabel, e.Action, e.ObjectType, e.ObjectID, e.Detail, e.IP, e.At, e.PrevHash, e.Hash)
	return err
}
