package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// cmdResult is what one run of the CLI printed and returned.
type cmdResult struct {
	code           int
	stdout, stderr string
}

// renkeiCmd runs the CLI in-process with env and stdin.
func renkeiCmd(t *testing.T, env map[string]string, stdin string, args ...string) cmdResult {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	var in io.Reader = strings.NewReader(stdin)
	code := run(context.Background(), args, getenv, in, &out, &errb)
	return cmdResult{code, out.String(), errb.String()}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// eachDB runs fn with the --db value of a fresh database per dialect.
func eachDB(t *testing.T, fn func(t *testing.T, dsn string)) {
	for dialect, dsn := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) { fn(t, dsn) })
	}
}

func TestAdminCommands(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		env := map[string]string{"RENKEI_DB": dsn} // every subcommand honours RENKEI_<FLAG>
		if r := renkeiCmd(t, env, "", "migrate"); r.code != 0 || (!strings.Contains(r.stdout, "applied ") || strings.Contains(r.stdout, "applied 0 ")) {
			t.Fatalf("migrate: %+v", r)
		}
		if r := renkeiCmd(t, env, "", "migrate"); r.code != 0 || !strings.Contains(r.stdout, "applied 0 migration") {
			t.Fatalf("second migrate: %+v", r)
		}
		if r := renkeiCmd(t, env, "", "org", "create", "--name", "連携工業株式会社", "--slug", "renkei-kogyo"); r.code != 0 {
			t.Fatalf("org create: %+v", r)
		}
		if r := renkeiCmd(t, env, "", "org", "create", "--name", "X", "--slug", "renkei-kogyo"); r.code != 1 || !strings.Contains(r.stderr, "already taken") {
			t.Fatalf("duplicate slug: %+v", r)
		}
		if r := renkeiCmd(t, env, "", "org", "create", "--name", "", "--slug", "Bad Slug"); r.code != 1 || !strings.Contains(r.stderr, "--slug") || !strings.Contains(r.stderr, "--name") {
			t.Fatalf("invalid org: %+v", r)
		}
		// Password piped on stdin.
		r := renkeiCmd(t, env, "piped-password-123\n", "user", "create", "--org", "renkei-kogyo", "--email", "Admin@Example.JP", "--role", "admin")
		if r.code != 0 || strings.Contains(r.stdout, "password (shown once)") {
			t.Fatalf("user create: %+v", r)
		}
		// No password given: one is generated and printed once.
		r = renkeiCmd(t, env, "", "user", "create", "--org", "renkei-kogyo", "--email", "viewer@example.jp", "--role", "viewer")
		if r.code != 0 || !strings.Contains(r.stdout, "password (shown once): ") {
			t.Fatalf("generated password: %+v", r)
		}
		if r := renkeiCmd(t, env, "x-password-123\n", "user", "create", "--org", "renkei-kogyo", "--email", "a@example.jp", "--role", "owner"); r.code != 1 || !strings.Contains(r.stderr, "--role") {
			t.Fatalf("bad role: %+v", r)
		}
		if r := renkeiCmd(t, env, "x-password-123\n", "user", "create", "--org", "nosuch", "--email", "a@example.jp", "--role", "admin"); r.code != 1 || !strings.Contains(r.stderr, "nosuch") {
			t.Fatalf("unknown org: %+v", r)
		}
		r = renkeiCmd(t, env, "", "token", "create", "--org", "renkei-kogyo", "--email", "admin@example.jp", "--name", "ci")
		if r.code != 0 || !strings.HasPrefix(lastLine(r.stdout), "rk_") {
			t.Fatalf("token create must print the token on the last line: %+v", r)
		}
		if r := renkeiCmd(t, env, "", "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "intact") {
			t.Fatalf("audit verify: %+v", r)
		}
		if r := renkeiCmd(t, env, "", "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "renkei ") {
			t.Fatalf("version: %+v", r)
		}
		if r := renkeiCmd(t, env, "", "frobnicate"); r.code != 2 {
			t.Fatalf("unknown command: %+v", r)
		}
	})
}

// TestAuditVerifyCatchesTampering alters one entry and removes another
// directly in the database; verify must fail and name the first bad entry.
func TestAuditVerifyCatchesTampering(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		env := map[string]string{"RENKEI_DB": dsn}
		for _, slug := range []string{"a-sha", "b-sha", "c-sha", "d-sha"} {
			if r := renkeiCmd(t, env, "", "org", "create", "--name", slug, "--slug", slug); r.code != 0 {
				t.Fatal(r)
			}
		}
		db, err := sqlstore.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		exec := func(q string, args ...any) {
			if _, err := db.SQL().Exec(db.Rebind(q), args...); err != nil {
				t.Fatal(err)
			}
		}
		var id string
		if err := db.SQL().QueryRow(db.Rebind(`SELECT id FROM audit_log WHERE seq = ?`), 2).Scan(&id); err != nil {
			t.Fatal(err)
		}
		exec(`UPDATE audit_log SET actor_label = 'someone else' WHERE seq = ?`, 2)
		r := renkeiCmd(t, env, "", "audit", "verify")
		if r.code == 0 || !strings.Contains(r.stderr, "seq 2") || !strings.Contains(r.stderr, id) || !strings.Contains(r.stderr, "altered") {
			t.Fatalf("altered entry not named: %+v", r)
		}
		exec(`UPDATE audit_log SET actor_label = 'cli' WHERE seq = ?`, 2) // put it back
		if r := renkeiCmd(t, env, "", "audit", "verify"); r.code != 0 {
			t.Fatalf("restored chain: %+v", r)
		}
		exec(`DELETE FROM audit_log WHERE seq = ?`, 3)
		r = renkeiCmd(t, env, "", "audit", "verify")
		if r.code == 0 || !strings.Contains(r.stderr, "seq 4") || !strings.Contains(r.stderr, "removed") {
			t.Fatalf("removed entry not caught: %+v", r)
		}
	})
}

// TestBackupAndRestore backs up a live SQLite database, restores it by
// copying the file into place, and finds the data and an intact chain.
func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	live := "sqlite:" + filepath.Join(dir, "live.db")
	env := map[string]string{"RENKEI_DB": live}
	if r := renkeiCmd(t, env, "", "org", "create", "--name", "バックアップ", "--slug", "backup"); r.code != 0 {
		t.Fatal(r)
	}
	// Keep a connection open, as a running server would.
	db, err := sqlstore.Open(context.Background(), live)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	backupFile := filepath.Join(dir, "backup.db")
	if r := renkeiCmd(t, env, "", "backup", backupFile); r.code != 0 {
		t.Fatalf("backup: %+v", r)
	}
	if r := renkeiCmd(t, env, "", "backup", backupFile); r.code == 0 || !strings.Contains(r.stderr, "exists") {
		t.Fatalf("backup must not overwrite: %+v", r)
	}
	// Restore: copy the backup over a new database path (server stopped).
	restored := filepath.Join(dir, "restored.db")
	b, err := os.ReadFile(backupFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restored, b, 0o600); err != nil {
		t.Fatal(err)
	}
	renv := map[string]string{"RENKEI_DB": restored}
	if r := renkeiCmd(t, renv, "", "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "1 entries") {
		t.Fatalf("restored audit: %+v", r)
	}
	sdb, _ := sql.Open("sqlite", restored)
	defer sdb.Close()
	var name string
	if err := sdb.QueryRow(`SELECT name FROM organizations WHERE slug = 'backup'`).Scan(&name); err != nil || name != "バックアップ" {
		t.Fatalf("restored data: %q %v", name, err)
	}
}
