package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/blobstore"
	"github.com/renkei/renkei/demo"
	"github.com/renkei/renkei/jobs"
	"github.com/renkei/renkei/smtpmail"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/web"
)

// serveConfig is everything `renkei serve` takes.
type serveConfig struct {
	addr, db, data, baseURL, logLevel string
	demo, open                        bool
	smtp                              smtpmail.Config
	workers                           int
	vulndbURLs                        string
	vulndbEvery                       time.Duration
}

func (c *cli) serve(args []string) error {
	f := c.flags("serve")
	var sc serveConfig
	f.StringVar(&sc.addr, "addr", "127.0.0.1:8080", "address to listen on")
	dbFlag := f.dbFlag()
	f.StringVar(&sc.data, "data", "renkei-data", "where files live: a directory, or an s3:// bucket URL")
	f.BoolVar(&sc.demo, "demo", false, "create the demo organization and users on an empty database")
	f.BoolVar(&sc.open, "open", true, "with --demo, open the browser")
	f.StringVar(&sc.baseURL, "base-url", "", "public URL for links in mail (default http://ADDR); https:// turns on secure cookies")
	f.StringVar(&sc.logLevel, "log-level", "info", "debug, info, warn or error")
	f.StringVar(&sc.smtp.Host, "smtp-host", "", "SMTP server; empty writes mail to the log instead")
	f.IntVar(&sc.smtp.Port, "smtp-port", 0, "SMTP port (default by --smtp-tls: 587 starttls, 465 tls, 25 none)")
	f.StringVar(&sc.smtp.TLS, "smtp-tls", "starttls", "none, starttls or tls")
	f.StringVar(&sc.smtp.Username, "smtp-user", "", "SMTP user (AUTH only when set)")
	f.StringVar(&sc.smtp.Password, "smtp-password", "", "SMTP password")
	f.StringVar(&sc.smtp.From, "mail-from", "renkei@localhost", "sender address")
	f.IntVar(&sc.workers, "workers", 2, "background jobs run at once in this process")
	f.StringVar(&sc.vulndbURLs, "vulndb-url", "", "vulnerability data to fetch on a schedule: comma-separated URLs of OSV records or all.zip, CSAF advisories or the KEV catalog")
	f.DurationVar(&sc.vulndbEvery, "vulndb-every", 24*time.Hour, "how often --vulndb-url is fetched (a conditional GET: unchanged data is not downloaded)")
	if _, err := f.parse(args); err != nil {
		return err
	}
	sc.db = *dbFlag
	if sc.baseURL == "" {
		sc.baseURL = "http://" + sc.addr
	}
	sc.baseURL = strings.TrimRight(sc.baseURL, "/")
	log, err := c.logger(sc.logLevel)
	if err != nil {
		return err
	}
	return c.runServer(sc, log)
}

// runServer starts everything and blocks until the context ends, then
// shuts down in order: stop taking requests, finish in-flight requests
// and jobs, close the database.
func (c *cli) runServer(sc serveConfig, log *slog.Logger) error {
	ctx := c.ctx
	start := time.Now()
	db, err := c.openDB(sc.db)
	if err != nil {
		return err
	}
	defer db.Close()
	bucket, err := blobstore.Open(ctx, sc.data)
	if err != nil {
		return err
	}
	defer bucket.Close()
	if err := blobstore.Check(ctx, bucket); err != nil {
		return err
	}
	acc := c.accounts(db)
	// The server answers the portfolio's SBOM reads from memory, kept
	// current from the database's change log (sqlstore/vulnindex.go).
	db.KeepVulnIndex()

	if sc.demo {
		res, err := demo.Load(renkei.WithActor(ctx, renkei.SystemActor("demo")), db, acc)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		res.Print(c.stdout, sc.baseURL)
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.SQL(), db.Dialect()))
	jobResults := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "renkei_jobs_processed_total", Help: "Background job runs by kind and outcome.",
	}, []string{"kind", "outcome"})
	reg.MustRegister(jobResults)

	worker := jobs.New(db, jobs.Options{Concurrency: sc.workers, Logger: log, OnResult: func(kind, outcome string, _ time.Duration) {
		jobResults.WithLabelValues(kind, outcome).Inc()
	}})
	sender, err := c.mailSender(sc, log)
	if err != nil {
		return err
	}
	worker.Register(renkei.MailKindSend, func(ctx context.Context, j *renkei.Job) error {
		return renkei.SendOutboxMail(ctx, db, sender, time.Now, j)
	})
	worker.Register(kindSessionCleanup, func(ctx context.Context, _ *renkei.Job) error {
		n, err := db.DeleteExpiredSessions(ctx)
		if n > 0 {
			log.Info("expired sessions removed", "count", n)
		}
		return err
	})
	startCampaignJobs := registerCampaignJobs(worker, db, sc.baseURL, log)
	startRemediationJobs := registerRemediationJobs(worker, db, sc.baseURL, log)
	startIncidentJobs := registerIncidentJobs(worker, db, sc.baseURL, log)
	startVulnFetch := registerVulnFetch(worker, db, sc.vulndbURLs, sc.vulndbEvery, log)
	startVulnChangesPrune := registerVulnChangesPrune(worker, db, log)

	srv := web.New(web.Config{
		Store: db, Accounts: acc, Logger: log, BaseURL: sc.baseURL,
		SecureCookies: strings.HasPrefix(sc.baseURL, "https://"),
		Registry:      reg, Version: versionString(), WakeJobs: worker.Wake,
		Files: blobstore.Files{Bucket: bucket},
	})
	ln, err := net.Listen("tcp", sc.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	workerDone := make(chan error, 1)
	wctx, stopWorker := context.WithCancel(context.WithoutCancel(ctx))
	go func() { workerDone <- worker.Run(wctx) }()
	go func() { _ = jobs.EnqueueEvery(wctx, db, kindSessionCleanup, time.Hour, time.Now) }()
	startCampaignJobs(wctx)
	startRemediationJobs(wctx)
	startIncidentJobs(wctx)
	startVulnFetch(wctx)
	startVulnChangesPrune(wctx)
	go warmVulnIndex(wctx, db, log)

	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	log.Info("renkei listening", "addr", ln.Addr().String(), "url", sc.baseURL, "db", db.Dialect(),
		"version", versionString(), "startup", time.Since(start).Round(time.Millisecond).String())
	if sc.demo && sc.open {
		openBrowser(sc.baseURL)
	}

	select {
	case err := <-serveErr:
		stopWorker()
		<-workerDone
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		log.Warn("shutdown", "err", err)
	}
	stopWorker()
	if err := <-workerDone; err != nil && !errors.Is(err, context.Canceled) {
		log.Warn("job worker", "err", err)
	}
	log.Info("stopped")
	return nil
}

const kindSessionCleanup = "sessions.cleanup"

// mailSender sends over SMTP when a host is set; otherwise it writes each
// mail to the log, so that a demo or a first trial shows its mail.
func (c *cli) mailSender(sc serveConfig, log *slog.Logger) (renkei.MailSender, error) {
	if sc.smtp.Host == "" {
		log.Warn("no --smtp-host: mail is written to this log, not sent")
		return smtpmail.LogSender{Log: log}, nil
	}
	return smtpmail.New(sc.smtp)
}

// openBrowser tries the desktop's opener; on a server without one it does
// nothing (the URL is printed anyway).
func openBrowser(url string) {
	var cmd string
	switch runtime.GOOS {
	case "darwin":
		cmd = "open"
	case "windows":
		cmd = "explorer"
	default:
		cmd = "xdg-open"
	}
	if path, err := exec.LookPath(cmd); err == nil {
		_ = exec.Command(path, url).Start()
	}
}

// warmVulnIndex loads the portfolio's index in the background, so that
// the first SBOM page does not wait for it, and logs what it took.
func warmVulnIndex(ctx context.Context, db *sqlstore.DB, log *slog.Logger) {
	st, err := db.WarmVulnIndex(ctx)
	if err != nil {
		log.Warn("vulnerability index not loaded; the first read will try again", "err", err)
		return
	}
	log.Info("vulnerability index loaded", "sboms", st.SBOMs, "components", st.Components, "advisories", st.Advisories,
		"components_took", st.ComponentsTook.Round(time.Millisecond).String(), "advisories_took", st.AdvisoriesTook.Round(time.Millisecond).String())
}
