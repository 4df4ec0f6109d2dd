// Package web is Renkei's HTTP adapter: the server-rendered pages, the JSON
// API under /api/v1 and the operations endpoints, all from the same
// services. Routes live in one file per surface: routes_pages.go,
// routes_api.go and routes_ops.go.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/renkei/renkei"
)

// Store is what the web adapter needs from storage.
type Store interface {
	renkei.AccountStore
	renkei.MemberStore
	renkei.PartnerStore
	renkei.PartnerImporter
	renkei.AssessmentStore
	renkei.TemplateStore
	renkei.ReviewStore
	renkei.PortalStore
	renkei.ShareStore
	renkei.IncidentStore
	renkei.SBOMStore
	renkei.VulnStore
	renkei.SBOMReader
	renkei.VEXStore
	Ping(ctx context.Context) error
	MigrationsPending(ctx context.Context) (bool, error)
	JobCounts(ctx context.Context) (map[string]int, error)
}

// Config wires the server.
type Config struct {
	Store    Store
	Accounts *renkei.Accounts
	Logger   *slog.Logger
	// BaseURL is the public address, used in mail links
	// (e.g. https://renkei.example.co.jp). Defaults to the request's host.
	BaseURL string
	// SecureCookies sets the Secure flag and the __Host- prefix; on by
	// default, off only for plain-HTTP local use (demo, tests).
	SecureCookies bool
	// Registry receives the server's metrics; nil makes a private one.
	Registry *prometheus.Registry
	Version  string
	// MaxBodyBytes bounds JSON and form bodies (default 1 MiB).
	MaxBodyBytes int64
	// Now is the clock (tests).
	Now func() time.Time
	// WakeJobs nudges the in-process job worker after work is queued.
	WakeJobs func()
	// Files keeps uploaded files (agreements' signed documents):
	// blobstore.Files over the --data bucket. Without it the document
	// routes fail with 500 and say why in the log.
	Files renkei.FileStore
}

// Server serves Renkei over HTTP.
type Server struct {
	cfg       Config
	log       *slog.Logger
	mux       *http.ServeMux
	handler   http.Handler
	metrics   *metrics
	limiter   *loginLimiter
	ready     readiness
	apiRoutes []apiRoute
	// portalRoutes are the partner portal's guarded routes (handlePortal),
	// for the cross-company harness.
	portalRoutes []string
}

// New builds the server and its routes.
func New(cfg Config) *Server {
	templates() // parsed now: a broken page template stops the server at start
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.WakeJobs == nil {
		cfg.WakeJobs = func() {}
	}
	if cfg.Files == nil {
		cfg.Files = noFiles{}
	}
	s := &Server{cfg: cfg, log: cfg.Logger, mux: http.NewServeMux(), limiter: newLoginLimiter(cfg.Now)}
	s.metrics = newMetrics(cfg.Registry, cfg.Store)
	s.routeOps()
	s.routeAPI()
	s.routePages()
	s.routePortal()
	s.handler = s.recoverPanics(s.observe(s.securityHeaders(s.withLanguage(s.authenticate(s.mux)))))
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) now() time.Time { return s.cfg.Now().UTC() }
