package vulnfetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestFetchConditionalAndBounded(t *testing.T) {
	body := `{"id": "GHSA-1", "modified": "2026-11-01T00:00:00Z"}`
	gets := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gets++
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	f := Fetcher{Client: srv.Client(), Dir: t.TempDir()}
	path, src, err := f.Fetch(context.Background(), Source{URL: srv.URL + "/osv.json"})
	if err != nil || path == "" || src.ETag != `"v1"` {
		t.Fatalf("first fetch: %q %+v %v", path, src, err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != body {
		t.Fatalf("body %q", b)
	}
	path, again, err := f.Fetch(context.Background(), src)
	if err != nil || path != "" || again != src {
		t.Fatalf("not modified: %q %+v %v", path, again, err)
	}
	if _, _, err := f.Fetch(context.Background(), Source{URL: srv.URL + "/missing"}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("404: %v", err)
	}
	small := Fetcher{Client: srv.Client(), Dir: t.TempDir(), MaxBytes: 10}
	if _, _, err := small.Fetch(context.Background(), Source{URL: srv.URL + "/osv.json"}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("too large: %v", err)
	}
	if entries, _ := os.ReadDir(small.Dir); len(entries) != 0 {
		t.Fatalf("a refused download left %d files", len(entries))
	}
}
