package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/jobs"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/vulnfetch"
	"github.com/renkei/renkei/vulnfile"
)

// kindVulnFetch is the scheduled fetch of vulnerability data.
const kindVulnFetch = "vulndb.fetch"

// vulnFetch fetches each source that changed since its last download and
// imports it as `renkei vulndb import` would (OSV record or all.zip, CSAF,
// KEV). One source failing does not stop the others; its error is kept
// with the source and returned (the job is retried).
func vulnFetch(ctx context.Context, db *sqlstore.DB, f vulnfetch.Fetcher, urls []string, log *slog.Logger) error {
	var errs []error
	for _, url := range urls {
		src, err := db.VulnSource(ctx, url)
		if err != nil {
			return err
		}
		n, next, err := fetchAndImport(ctx, db, f, vulnfetch.Source{URL: url, ETag: src.ETag, LastModified: src.LastModified})
		saved := sqlstore.VulnSource{URL: url, ETag: next.ETag, LastModified: next.LastModified}
		if err != nil {
			saved.ETag, saved.LastModified, saved.LastError = src.ETag, src.LastModified, err.Error()
			errs = append(errs, err)
			log.Warn("vulnerability data fetch failed", "url", url, "err", err)
		} else if n >= 0 {
			log.Info("vulnerability data imported", "url", url, "records", n)
		}
		if err := db.SaveVulnSource(ctx, saved); err != nil {
			return err
		}
	}
	return errors.Join(errs...)
}

// fetchAndImport downloads one source and imports it; n is -1 when the
// server said it had not changed.
func fetchAndImport(ctx context.Context, db *sqlstore.DB, f vulnfetch.Fetcher, src vulnfetch.Source) (int, vulnfetch.Source, error) {
	path, next, err := f.Fetch(ctx, src)
	if err != nil || path == "" {
		return -1, next, err
	}
	defer os.Remove(path)
	var advs []renkei.Advisory
	var kev []renkei.KEVEntry
	vexSkipped := 0
	collect := func(r vulnfile.Record) error {
		if r.Err != nil {
			return nil // an unreadable record of a zip: the rest is imported
		}
		advs = append(advs, r.Advisory)
		return nil
	}
	kind, err := importVulnFile(path, collect, &kev, &vexSkipped)
	if err != nil {
		return 0, next, err
	}
	if _, err := db.ImportAdvisories(ctx, advs); err != nil {
		return 0, next, err
	}
	if kind == vulnfile.KindKEV {
		if err := db.ImportKEV(ctx, kev); err != nil {
			return 0, next, err
		}
		return len(kev), next, nil
	}
	return len(advs), next, nil
}

// registerVulnFetch wires the scheduled fetch when sources are given
// (comma-separated URLs); it returns what starts it once the worker runs.
func registerVulnFetch(worker *jobs.Worker, db *sqlstore.DB, urls string, every time.Duration, log *slog.Logger) func(ctx context.Context) {
	var list []string
	for _, u := range strings.Split(urls, ",") {
		if u = strings.TrimSpace(u); u != "" {
			list = append(list, u)
		}
	}
	if len(list) == 0 {
		return func(context.Context) {}
	}
	f := vulnfetch.Fetcher{}
	worker.Register(kindVulnFetch, func(ctx context.Context, _ *renkei.Job) error { return vulnFetch(ctx, db, f, list, log) })
	return func(ctx context.Context) {
		go func() { _ = jobs.EnqueueEvery(ctx, db, kindVulnFetch, every, time.Now) }()
	}
}

// kindVulnChangesPrune prunes the change log the servers' vulnerability
// indexes follow.
const kindVulnChangesPrune = "vulndb.prune_changes"

// vulnChangesKept is how long change rows are kept. A server reads the log
// before every SBOM answer, so it is never days behind; one that is (it
// served nothing for a week) finds rows missing and loads everything
// again.
const vulnChangesKept = 7 * 24 * time.Hour

// pruneVulnChanges is the hourly job: it deletes change rows older than
// vulnChangesKept.
func pruneVulnChanges(ctx context.Context, db *sqlstore.DB, now time.Time, log *slog.Logger) error {
	n, err := db.PruneVulnChanges(renkei.WithActor(ctx, renkei.SystemActor("job:"+kindVulnChangesPrune)), now.Add(-vulnChangesKept))
	if n > 0 {
		log.Info("vulnerability change log pruned", "rows", n)
	}
	return err
}

// registerVulnChangesPrune wires pruneVulnChanges to run every hour.
func registerVulnChangesPrune(worker *jobs.Worker, db *sqlstore.DB, log *slog.Logger) func(ctx context.Context) {
	worker.Register(kindVulnChangesPrune, func(ctx context.Context, _ *renkei.Job) error {
		return pruneVulnChanges(ctx, db, time.Now(), log)
	})
	return func(ctx context.Context) {
		go func() { _ = jobs.EnqueueEvery(ctx, db, kindVulnChangesPrune, time.Hour, time.Now) }()
	}
}
