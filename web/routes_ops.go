package web

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// readiness caches "migrations applied": once true it stays true for the
// life of the process (migrations only move forward).
type readiness struct{ migrated atomic.Bool }

// routeOps registers the operations endpoints.
func (s *Server) routeOps() {
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.mux.HandleFunc("GET /readyz", s.handleReady)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.cfg.Registry, promhttp.HandlerOpts{}))
}

// handleReady answers 200 when the database answers and no migration is
// pending, 503 otherwise, with the reason in the body.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.cfg.Store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unreachable\n"))
		return
	}
	if !s.ready.migrated.Load() {
		pending, err := s.cfg.Store.MigrationsPending(ctx)
		if err != nil || pending {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("migrations pending\n"))
			return
		}
		s.ready.migrated.Store(true)
	}
	_, _ = w.Write([]byte("ready\n"))
}
