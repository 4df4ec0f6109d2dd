package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
	"github.com/renkei/renkei/vulnfetch"
)

// TestVulnFetchSchedule: the scheduled fetch imports an OSV all.zip and
// the KEV catalog from their URLs, does not download what has not changed
// (conditional GET), imports a newer version, and keeps a failing source's
// error without stopping the others.
func TestVulnFetchSchedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		dir := t.TempDir()
		zipPath := filepath.Join(dir, "all.zip")
		writeZip(t, zipPath, map[string]string{"GHSA-1.json": osvRecord("GHSA-1", "2026-11-01T00:00:00Z", "lodash", "0", "4.17.21", "CVE-2021-23337")})
		kevBody := `{"title": "KEV", "catalogVersion": "2026.11.20", "dateReleased": "2026-11-20T00:00:00Z", "count": 1,
 "vulnerabilities": [{"cveID": "CVE-2021-23337", "vendorProject": "lodash", "product": "lodash", "vulnerabilityName": "x",
  "dateAdded": "2026-11-20", "shortDescription": "x", "requiredAction": "x", "dueDate": "2026-12-11", "knownRansomwareCampaignUse": "Unknown", "notes": ""}]}`
		var mu sync.Mutex
		version, served := "v1", 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			switch r.URL.Path {
			case "/npm/all.zip":
				if r.Header.Get("If-None-Match") == `"`+version+`"` {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				served++
				w.Header().Set("ETag", `"`+version+`"`)
				http.ServeFile(w, r, zipPath)
			case "/kev.json":
				_, _ = w.Write([]byte(kevBody))
			default:
				http.Error(w, "gone", http.StatusGone)
			}
		}))
		defer srv.Close()
		urls := []string{srv.URL + "/npm/all.zip", srv.URL + "/kev.json", srv.URL + "/broken"}
		ctx := storetest.System()
		log := slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
		f := vulnfetch.Fetcher{Client: srv.Client(), Dir: t.TempDir()}
		if err := vulnFetch(ctx, db, f, urls, log); err == nil {
			t.Fatal("the broken source's error is not returned")
		}
		adv, err := db.Advisory(ctx, "GHSA-1")
		if err != nil || adv.ID != "GHSA-1" {
			t.Fatalf("advisory after the first fetch: %+v %v", adv, err)
		}
		if e, err := db.KEVEntry(ctx, "CVE-2021-23337"); err != nil || e == nil {
			t.Fatalf("KEV entry: %+v %v", e, err)
		}
		if s, _ := db.VulnSource(ctx, srv.URL+"/broken"); s.LastError == "" {
			t.Fatalf("the broken source has no error recorded: %+v", s)
		}
		// Again: the zip has not changed and is not downloaded.
		_ = vulnFetch(ctx, db, f, urls, log)
		if served != 1 {
			t.Fatalf("the unchanged zip was downloaded %d times", served)
		}
		// A newer version is downloaded and imported.
		writeZip(t, zipPath, map[string]string{"GHSA-2.json": osvRecord("GHSA-2", "2026-11-25T00:00:00Z", "express", "0", "4.19.0")})
		mu.Lock()
		version = "v2"
		mu.Unlock()
		_ = vulnFetch(ctx, db, f, urls, log)
		if served != 2 {
			t.Fatalf("the changed zip was downloaded %d times", served)
		}
		if _, err := db.Advisory(ctx, "GHSA-2"); err != nil {
			t.Fatalf("the newer zip's advisory: %v", err)
		}
		// Not the system: refused.
		member := renkei.WithActor(context.Background(), &renkei.Actor{UserID: "u", OrgID: "o", Role: renkei.RoleAdmin})
		if _, err := db.VulnSource(member, srv.URL); renkei.ErrorCode(err) != renkei.EFORBIDDEN {
			t.Fatalf("a member reads the sources: %v", err)
		}
	})
}

// TestPruneVulnChanges: the hourly job deletes change rows older than a
// week and keeps the newest.
func TestPruneVulnChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		if _, err := db.ImportAdvisories(ctx, []renkei.Advisory{{ID: "GHSA-old", Modified: time.Now(), Source: renkei.SourceOSV}}); err != nil {
			t.Fatal(err)
		}
		if err := db.ImportKEV(ctx, nil); err != nil {
			t.Fatal(err)
		}
		var before int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM vuln_changes`).Scan(&before); err != nil || before != 2 {
			t.Fatalf("change rows before: %d %v", before, err)
		}
		log := slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
		if err := pruneVulnChanges(ctx, db, time.Now(), log); err != nil {
			t.Fatal(err)
		}
		var after int
		_ = db.SQL().QueryRow(`SELECT COUNT(*) FROM vuln_changes`).Scan(&after)
		if after != 2 {
			t.Fatalf("rows of today pruned: %d left", after)
		}
		if err := pruneVulnChanges(ctx, db, time.Now().Add(vulnChangesKept+time.Hour), log); err != nil {
			t.Fatal(err)
		}
		_ = db.SQL().QueryRow(`SELECT COUNT(*) FROM vuln_changes`).Scan(&after)
		if after != 1 {
			t.Fatalf("a week later %d rows are left, want the newest", after)
		}
	})
}
