package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/argon2id"
	"github.com/renkei/renkei/blobstore"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
	"github.com/renkei/renkei/totp"
	"github.com/renkei/renkei/web"
)

// testApp is a real server over a real database, on a loopback port,
// with its files in a directory bucket of its own.
type testApp struct {
	t        *testing.T
	DB       *sqlstore.DB
	Accounts *renkei.Accounts
	Server   *httptest.Server
	Web      *web.Server
	Files    renkei.FileStore
	DataDir  string // the directory the files are in
}

const testPassword = "correct-horse-battery"

// testLogger keeps the request log quiet in tests but shows warnings and
// errors (a 500 logs its cause).
var testLogger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

// newApp starts a server on db.
func newApp(t *testing.T, db *sqlstore.DB) *testApp {
	t.Helper()
	db.KeepVulnIndex() // as renkei serve does: SBOM reads from the index
	acc := &renkei.Accounts{Store: db, Hasher: argon2id.New(argon2id.Fast), TOTP: totp.TOTP{}, Issuer: "Renkei test"}
	dataDir := t.TempDir()
	bucket, err := blobstore.Open(context.Background(), dataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bucket.Close() })
	files := blobstore.Files{Bucket: bucket}
	srv := web.New(web.Config{Store: db, Accounts: acc, Version: "test", Logger: testLogger, Files: files})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testApp{t: t, DB: db, Accounts: acc, Server: hs, Web: srv, Files: files, DataDir: dataDir}
}

// eachApp runs fn on SQLite and (when configured) PostgreSQL.
func eachApp(t *testing.T, fn func(t *testing.T, app *testApp)) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) { fn(t, newApp(t, db)) })
}

// tenant is an organization with one user of a role and an API token.
type tenant struct {
	Org   *renkei.Organization
	User  *renkei.User
	Token string
}

// newTenant creates an organization, a user with role and password
// testPassword, and a token for that user.
func (a *testApp) newTenant(name string, role renkei.Role) *tenant {
	a.t.Helper()
	ctx := storetest.System()
	org := storetest.Org(a.t, a.DB, name)
	u := &renkei.User{Email: strings.ToLower(org.Slug) + "-" + string(role) + "@example.jp", Name: name + " " + string(role)}
	if err := a.Accounts.CreateUser(ctx, org.ID, u, role, testPassword); err != nil {
		a.t.Fatal(err)
	}
	_, secret, err := a.Accounts.CreateToken(ctx, org.ID, u.ID, "test")
	if err != nil {
		a.t.Fatal(err)
	}
	return &tenant{Org: org, User: u, Token: secret}
}

// addUser adds another user with role to a tenant's organization.
func (a *testApp) addUser(tn *tenant, role renkei.Role) *renkei.User {
	return a.addNamedUser(tn, role, string(role), "", "")
}

// addNamedUser adds a user with role, an address beginning with local,
// a name and a language ("" for the defaults) to a tenant's organization.
func (a *testApp) addNamedUser(tn *tenant, role renkei.Role, local, name, locale string) *renkei.User {
	a.t.Helper()
	u := &renkei.User{Email: tn.Org.Slug + "-" + local + "-" + sqlstore.NewID()[30:] + "@example.jp", Name: name, Locale: locale}
	if err := a.Accounts.CreateUser(storetest.System(), tn.Org.ID, u, role, testPassword); err != nil {
		a.t.Fatal(err)
	}
	return u
}

// api sends a JSON request with a bearer token and decodes the response
// into out (when not nil); it returns the status.
func (a *testApp) api(token, method, path string, body any, out any) int {
	a.t.Helper()
	var rd io.Reader
	if s, ok := body.(string); ok {
		rd = strings.NewReader(s)
	} else if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, a.Server.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			a.t.Fatalf("%s %s: %d, undecodable body %q: %v", method, path, res.StatusCode, b, err)
		}
	}
	return res.StatusCode
}

// browser is an HTTP client with a cookie jar, as a browser would be.
func (a *testApp) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var _ = context.Background

func TestMeWithToken(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社テスト", renkei.RoleSecurity)
		var me struct {
			User         map[string]any `json:"user"`
			Organization map[string]any `json:"organization"`
			Role         string         `json:"role"`
		}
		if st := app.api(tn.Token, "GET", "/api/v1/me", nil, &me); st != 200 {
			t.Fatalf("status %d", st)
		}
		if me.User["email"] != tn.User.Email || me.Organization["id"] != tn.Org.ID || me.Role != "security" {
			t.Fatalf("me = %+v", me)
		}
		if _, leaked := me.User["password_hash"]; leaked {
			t.Fatal("password hash in /me")
		}
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if st := app.api("rk_nope", "GET", "/api/v1/me", nil, &e); st != 401 || e.Error.Code != "unauthorized" || e.Error.Message == "" {
			t.Fatalf("bad token: %d %+v", st, e)
		}
	})
}
