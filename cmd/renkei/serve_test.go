package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/renkei/renkei/sqlstore/storetest"
)

// server is `renkei serve` running in-process.
type server struct {
	URL    string
	stdout *syncBuffer
	stop   func()
}

// syncBuffer is a bytes buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer runs serve with args on a free loopback port and waits for
// its "listening" log line, which carries the address.
func startServer(t *testing.T, env map[string]string, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "data"), "--open=false"}, args...)
	go func() {
		done <- run(ctx, args, func(k string) string { return env[k] }, strings.NewReader(""), stdout, stderr)
	}()
	var addr string
	for deadline := time.Now().Add(60 * time.Second); addr == "" && time.Now().Before(deadline); {
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d: %s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		sc := bufio.NewScanner(strings.NewReader(stderr.String()))
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "renkei listening" {
				addr = line.Addr
			}
		}
	}
	if addr == "" {
		t.Fatalf("server did not start: %s", stderr.String())
	}
	s := &server{URL: "http://" + addr, stdout: stdout}
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("serve exited with %d: %s", code, stderr.String())
			}
		})
	}
	t.Cleanup(s.stop)
	return s
}

func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestServeDemo(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	s := startServer(t, map[string]string{"RENKEI_DB": dsn}, "--demo")
	if !strings.Contains(s.stdout.String(), "admin@demo-seiki.example") || !strings.Contains(s.stdout.String(), "password") {
		t.Fatalf("demo did not print how to sign in: %s", s.stdout.String())
	}
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 200, "/api/v1/me": 401, "/api/v1/openapi.json": 200} {
		if code, body := get(t, s.URL+path, ""); code != want {
			t.Errorf("GET %s = %d, want %d: %s", path, code, want, body)
		}
	}
	_, metrics := get(t, s.URL+"/metrics", "")
	for _, series := range []string{"renkei_http_requests_total", "renkei_http_request_duration_seconds", "renkei_jobs", "go_sql_open_connections"} {
		if !strings.Contains(metrics, series) {
			t.Errorf("/metrics lacks %s", series)
		}
	}
	s.stop()
	// A second start on the same database finds the demo and keeps it.
	s2 := startServer(t, map[string]string{"RENKEI_DB": dsn}, "--demo")
	if !strings.Contains(s2.stdout.String(), "ready") {
		t.Fatalf("second demo start: %s", s2.stdout.String())
	}
}

// TestReplicas runs two servers on one PostgreSQL database: a session made
// through one is valid on the other, and an API token works on both.
func TestReplicas(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	if dsn == "" {
		t.Skip("RENKEI_TEST_POSTGRES not set")
	}
	env := map[string]string{"RENKEI_DB": dsn}
	a := startServer(t, env)
	b := startServer(t, env)
	renkeiCmd(t, env, "", "org", "create", "--name", "二重化", "--slug", "replica")
	if r := renkeiCmd(t, env, "replica-password-1\n", "user", "create", "--org", "replica", "--email", "r@example.jp", "--role", "admin"); r.code != 0 {
		t.Fatal(r)
	}
	tok := lastLine(renkeiCmd(t, env, "", "token", "create", "--org", "replica", "--email", "r@example.jp").stdout)
	for _, s := range []*server{a, b} {
		if code, body := get(t, s.URL+"/api/v1/me", tok); code != 200 || !strings.Contains(body, "r@example.jp") {
			t.Fatalf("token on %s: %d %s", s.URL, code, body)
		}
	}
	// Sign in through A.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm(a.URL+"/login", url.Values{"email": {"r@example.jp"}, "password": {"replica-password-1"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "renkei_session" && c.Value != "" {
			session = c
		}
	}
	if session == nil {
		t.Fatalf("no session cookie from login on A (status %d)", res.StatusCode)
	}
	req, _ := http.NewRequest("GET", b.URL+"/api/v1/me", nil)
	req.AddCookie(session)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "r@example.jp") {
		t.Fatalf("session from A on B: %d %s", res.StatusCode, body)
	}
}

var _ = os.Getenv
