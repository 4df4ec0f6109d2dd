package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/renkei/renkei"
)

// Enqueue adds a job unless one of the same kind and key exists.
func (db *DB) Enqueue(ctx context.Context, j *renkei.Job) (bool, error) {
	var added bool
	err := db.write(ctx, func(t *tx) error {
		var err error
		added, err = t.enqueue(ctx, j)
		return err
	})
	return added, err
}

func (t *tx) enqueue(ctx context.Context, j *renkei.Job) (bool, error) {
	if j.ID == "" {
		j.ID = NewID()
	}
	if j.Key == "" {
		j.Key = j.ID
	}
	if j.MaxTries <= 0 {
		j.MaxTries = 10
	}
	now := t.db.now()
	if j.RunAt.IsZero() {
		j.RunAt = now
	}
	payload := string(j.Payload)
	if payload == "" {
		payload = "{}"
	}
	res, err := t.exec(ctx, `INSERT INTO jobs (id, kind, job_key, payload, state, attempts, max_tries, run_at, created_at)
		VALUES (?, ?, ?, ?, 'available', 0, ?, ?, ?) ON CONFLICT (kind, job_key) DO NOTHING`,
		j.ID, j.Kind, j.Key, payload, j.MaxTries, utc(j.RunAt), now)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Claim leases the next due job: an available one whose time has come, or
// a running one whose lease ran out because its worker died. PostgreSQL
// skips rows other replicas hold; SQLite's write lock serializes claims.
func (db *DB) Claim(ctx context.Context, worker string, lease time.Duration) (*renkei.Job, error) {
	var j *renkei.Job
	err := db.write(ctx, func(t *tx) error {
		now := t.db.now()
		lockClause := ""
		if t.db.dialect == Postgres {
			lockClause = " FOR UPDATE SKIP LOCKED"
		}
		var job renkei.Job
		err := t.queryRow(ctx, `UPDATE jobs SET state = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1
			WHERE id = (SELECT id FROM jobs WHERE (state = 'available' AND run_at <= ?) OR (state = 'running' AND locked_until < ?)
				ORDER BY run_at, id LIMIT 1`+lockClause+`)
			RETURNING id, kind, job_key, payload, attempts, max_tries, run_at, last_error`,
			worker, now.Add(lease), now, now).
			Scan(&job.ID, &job.Kind, &job.Key, &job.Payload, &job.Attempts, &job.MaxTries, &job.RunAt, &job.LastError)
		if err == sql.ErrNoRows {
			return nil
		} else if err != nil {
			return err
		}
		j = &job
		return nil
	})
	return j, err
}

// Complete marks a job done, if this worker still holds it.
func (db *DB) Complete(ctx context.Context, id, worker string) error {
	_, err := db.exec(ctx, `UPDATE jobs SET state = 'done', locked_by = '', locked_until = NULL, finished_at = ?, last_error = '' WHERE id = ? AND locked_by = ?`, db.now(), id, worker)
	return err
}

// Fail records an error and schedules the retry, or gives up when the
// job's tries are used up. (Two statements rather than one CASE: PostgreSQL
// cannot infer the type of a placeholder inside CASE.)
func (db *DB) Fail(ctx context.Context, id, worker, msg string, retryAt time.Time) error {
	msg = strings.ToValidUTF8(msg, "?")
	if len(msg) > 2000 {
		cut := 2000
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut]
	}
	return db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `UPDATE jobs SET state = 'failed', finished_at = ?, run_at = ?, locked_by = '', locked_until = NULL, last_error = ?
			WHERE id = ? AND locked_by = ? AND attempts >= max_tries`, t.db.now(), utc(retryAt), msg, id, worker); err != nil {
			return err
		}
		_, err := t.exec(ctx, `UPDATE jobs SET state = 'available', finished_at = NULL, run_at = ?, locked_by = '', locked_until = NULL, last_error = ?
			WHERE id = ? AND locked_by = ? AND attempts < max_tries`, utc(retryAt), msg, id, worker)
		return err
	})
}

// JobCounts counts jobs by state.
func (db *DB) JobCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.query(ctx, `SELECT state, COUNT(*) FROM jobs GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{renkei.JobAvailable: 0, renkei.JobRunning: 0, renkei.JobDone: 0, renkei.JobFailed: 0}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}
