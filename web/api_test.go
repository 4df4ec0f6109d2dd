package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/sqlstore/storetest"
	"github.com/renkei/renkei/web"
)

// reply is one API response.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test when it does not decode.
func (r reply) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("status %d, undecodable body %q: %v", r.Status, r.Body, err)
	}
}

// errBody is the error envelope.
type errBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func (r reply) Err(t testing.TB) errBody {
	t.Helper()
	var e errBody
	r.JSON(t, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("status %d: not the error envelope: %s", r.Status, r.Body)
	}
	return e
}

// req describes one request beyond method and path.
type req struct {
	Token  string            // bearer token; "" for none
	Body   any               // string as is, else marshalled to JSON
	Header map[string]string // extra headers; Content-Type defaults to JSON with a body
}

// call sends a request and checks the response against openapi.json: the
// status must be documented for the operation and the body must match its
// schema.
func (a *testApp) call(t testing.TB, method, path string, rq req) reply {
	t.Helper()
	var rd io.Reader
	var sent []byte
	switch b := rq.Body.(type) {
	case nil:
	case string:
		sent = []byte(b)
	case []byte:
		sent = b
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		sent = j
	}
	if rq.Body != nil {
		rd = bytes.NewReader(sent)
	}
	hr, err := http.NewRequest(method, a.Server.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rq.Token != "" {
		hr.Header.Set("Authorization", "Bearer "+rq.Token)
	}
	if rd != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	for k, v := range rq.Header {
		if v == "" {
			hr.Header.Del(k)
		} else {
			hr.Header.Set(k, v)
		}
	}
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(path)
	loadSpec(t).checkResponse(t, method, u.Path, res.StatusCode, body)
	if res.StatusCode < 300 {
		loadSpec(t).checkRequest(t, method, u.Path, sent)
	}
	if ct := res.Header.Get("Content-Type"); len(body) > 0 && !strings.HasPrefix(ct, "application/json") {
		// Only a documented file (an export) may be anything but JSON.
		mt, _, _ := mime.ParseMediaType(ct)
		if mt == "" || !slices.Contains(loadSpec(t).mediaTypes(method, u.Path, res.StatusCode), mt) {
			t.Errorf("%s %s: Content-Type %q", method, path, ct)
		}
	}
	return reply{Status: res.StatusCode, Header: res.Header, Body: body}
}

// mustStatus fails unless r has status want.
func mustStatus(t testing.TB, r reply, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d: %s", what, r.Status, want, r.Body)
	}
}

// Shapes the tests decode.
type (
	member struct {
		ID          string `json:"id"`
		Email       string `json:"email"`
		Name        string `json:"name"`
		Role        string `json:"role"`
		TOTPEnabled bool   `json:"totp_enabled"`
	}
	invitation struct {
		ID         string  `json:"id"`
		Email      string  `json:"email"`
		Role       string  `json:"role"`
		InvitedBy  string  `json:"invited_by"`
		ExpiresAt  string  `json:"expires_at"`
		AcceptedAt *string `json:"accepted_at"`
	}
	apiToken struct {
		ID        string  `json:"id"`
		UserID    string  `json:"user_id"`
		Name      string  `json:"name"`
		Prefix    string  `json:"prefix"`
		RevokedAt *string `json:"revoked_at"`
	}
	auditEntry struct {
		Seq        int64          `json:"seq"`
		ID         string         `json:"id"`
		ActorID    string         `json:"actor_id"`
		Actor      string         `json:"actor"`
		Action     string         `json:"action"`
		ObjectType string         `json:"object_type"`
		ObjectID   string         `json:"object_id"`
		Detail     map[string]any `json:"detail"`
		At         string         `json:"at"`
	}
	organization struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Slug string `json:"slug"`
	}
	list[T any] struct {
		Items      []T    `json:"items"`
		NextCursor string `json:"next_cursor"`
	}
)

// listAll reads every page of a list route with the given page size and
// checks the pagination contract along the way: no page over the limit,
// no item twice, next_cursor empty exactly at the end.
func listAll[T any](t testing.TB, a *testApp, token, path string, limit int, id func(T) string) []T {
	t.Helper()
	var all []T
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatalf("%s: pagination does not end", path)
		}
		q := url.Values{}
		if limit > 0 {
			q.Set("limit", fmt.Sprint(limit))
		}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		p := path
		if len(q) > 0 {
			if strings.Contains(path, "?") {
				p += "&" + q.Encode()
			} else {
				p += "?" + q.Encode()
			}
		}
		r := a.call(t, "GET", p, req{Token: token})
		mustStatus(t, r, 200, "GET "+p)
		var page list[T]
		r.JSON(t, &page)
		if page.Items == nil {
			t.Fatalf("GET %s: items is null, want []", p)
		}
		if limit > 0 && len(page.Items) > limit {
			t.Fatalf("GET %s: %d items over limit %d", p, len(page.Items), limit)
		}
		if cursor != "" && len(page.Items) == 0 {
			t.Fatalf("GET %s: the previous page's next_cursor led to an empty page", p)
		}
		if page.NextCursor != "" && limit > 0 && len(page.Items) != limit {
			t.Fatalf("GET %s: a short page (%d) with a next cursor", p, len(page.Items))
		}
		for _, it := range page.Items {
			if seen[id(it)] {
				t.Fatalf("GET %s: %s listed twice", p, id(it))
			}
			seen[id(it)] = true
			all = append(all, it)
		}
		if page.NextCursor == "" {
			return all
		}
		cursor = page.NextCursor
	}
}

func memberID(m member) string         { return m.ID }
func invitationID(i invitation) string { return i.ID }
func tokenID(k apiToken) string        { return k.ID }
func auditID(e auditEntry) string      { return e.ID }

// auditFor returns tenant's audit entries with an action, newest first.
func auditFor(t testing.TB, a *testApp, tn *tenant, action string) []auditEntry {
	t.Helper()
	var out []auditEntry
	for _, e := range listAll(t, a, tn.Token, "/api/v1/audit", 200, auditID) {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// auditSeq is the installation's audit head: every change appends to it
// in the change's own transaction, so an unchanged head means nothing
// changed.
func auditSeq(t testing.TB, a *testApp) int64 {
	t.Helper()
	seq, _, err := a.DB.AuditHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

func TestAPIOrganization(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社連携テスト", renkei.RoleAdmin)
		var o organization
		r := app.call(t, "GET", "/api/v1/organization", req{Token: tn.Token})
		mustStatus(t, r, 200, "get")
		r.JSON(t, &o)
		if o.ID != tn.Org.ID || o.Name != "株式会社連携テスト" || o.Slug != tn.Org.Slug {
			t.Fatalf("organization = %+v", o)
		}
		r = app.call(t, "PATCH", "/api/v1/organization", req{Token: tn.Token, Body: map[string]any{"name": "  連携商事株式会社  "}})
		mustStatus(t, r, 200, "patch")
		r.JSON(t, &o)
		if o.Name != "連携商事株式会社" || o.Slug != tn.Org.Slug {
			t.Fatalf("after patch = %+v", o)
		}
		if got, _ := app.DB.OrganizationByID(context.Background(), tn.Org.ID); got.Name != "連携商事株式会社" {
			t.Fatalf("stored name %q", got.Name)
		}
		es := auditFor(t, app, tn, "organization.update")
		if len(es) != 1 || es[0].ObjectID != tn.Org.ID || es[0].ActorID != tn.User.ID || es[0].Detail["name"] != "連携商事株式会社" ||
			!strings.Contains(es[0].Actor, "token") {
			t.Fatalf("audit = %+v", es)
		}
		// A department role reads but may not rename.
		sec := app.addUserToken(tn, renkei.RoleSecurity)
		mustStatus(t, app.call(t, "GET", "/api/v1/organization", req{Token: sec}), 200, "security reads")
		mustStatus(t, app.call(t, "PATCH", "/api/v1/organization", req{Token: sec, Body: `{"name":"x"}`}), 403, "security renames")
	})
}

// addUserToken adds a user with role to the tenant and returns a token of
// theirs.
func (a *testApp) addUserToken(tn *tenant, role renkei.Role) string {
	a.t.Helper()
	u := a.addUser(tn, role)
	_, secret, err := a.Accounts.CreateToken(storetest.System(), tn.Org.ID, u.ID, "t-"+string(role))
	if err != nil {
		a.t.Fatal(err)
	}
	return secret
}

func TestAPIUsers(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		u := app.addUser(tn, renkei.RoleProcurement)
		viewer := app.addUserToken(tn, renkei.RoleViewer)

		// Everyone in the organization can list and read.
		ms := listAll(t, app, viewer, "/api/v1/users", 0, memberID)
		if len(ms) != 3 {
			t.Fatalf("members = %+v", ms)
		}
		roles := map[string]string{}
		for _, m := range ms {
			roles[m.ID] = m.Role
		}
		if roles[tn.User.ID] != "admin" || roles[u.ID] != "procurement" {
			t.Fatalf("roles = %v", roles)
		}
		r := app.call(t, "GET", "/api/v1/users/"+u.ID, req{Token: viewer})
		mustStatus(t, r, 200, "get user")
		for _, secret := range []string{"password_hash", "totp_secret", "argon2", "failed_logins", "locked_until"} {
			if strings.Contains(string(r.Body), secret) {
				t.Fatalf("user body carries %s: %s", secret, r.Body)
			}
		}
		var m member
		r.JSON(t, &m)
		if m.ID != u.ID || m.Email != u.Email || m.Role != "procurement" {
			t.Fatalf("member = %+v", m)
		}
		// The same user in upper case is the same ID.
		mustStatus(t, app.call(t, "GET", "/api/v1/users/"+strings.ToUpper(u.ID), req{Token: viewer}), 200, "upper-case id")

		// Only admins change roles.
		mustStatus(t, app.call(t, "PATCH", "/api/v1/users/"+u.ID, req{Token: viewer, Body: `{"role":"admin"}`}), 403, "viewer promotes")
		r = app.call(t, "PATCH", "/api/v1/users/"+u.ID, req{Token: tn.Token, Body: `{"role":"legal"}`})
		mustStatus(t, r, 200, "admin changes role")
		r.JSON(t, &m)
		if m.Role != "legal" {
			t.Fatalf("after patch %+v", m)
		}
		if got, _ := app.DB.Member(context.Background(), tn.Org.ID, u.ID); got.Role != renkei.RoleLegal {
			t.Fatalf("stored role %q", got.Role)
		}
		if e := app.call(t, "PATCH", "/api/v1/users/"+u.ID, req{Token: tn.Token, Body: `{"role":"partner"}`}); e.Status != 400 || e.Err(t).Error.Fields["role"] == "" {
			t.Fatalf("partner role: %d %s", e.Status, e.Body)
		}
		if e := app.call(t, "PATCH", "/api/v1/users/"+u.ID, req{Token: tn.Token, Body: `{}`}); e.Status != 400 || e.Err(t).Error.Fields["role"] == "" {
			t.Fatalf("no role: %d %s", e.Status, e.Body)
		}

		// The last admin can be neither demoted nor removed.
		before := auditSeq(t, app)
		for _, r := range []reply{
			app.call(t, "PATCH", "/api/v1/users/"+tn.User.ID, req{Token: tn.Token, Body: `{"role":"viewer"}`}),
			app.call(t, "DELETE", "/api/v1/users/"+tn.User.ID, req{Token: tn.Token}),
		} {
			if r.Status != 409 || r.Err(t).Error.Code != "conflict" {
				t.Fatalf("last admin: %d %s", r.Status, r.Body)
			}
		}
		if auditSeq(t, app) != before {
			t.Fatal("a refused change was recorded")
		}
		if got, _ := app.DB.Member(context.Background(), tn.Org.ID, tn.User.ID); got.Role != renkei.RoleAdmin {
			t.Fatalf("last admin's role is now %q", got.Role)
		}

		// Removing a member ends their tokens here.
		mustStatus(t, app.call(t, "DELETE", "/api/v1/users/"+u.ID, req{Token: viewer}), 403, "viewer removes")
		uTok := app.tokenFor(tn, u)
		mustStatus(t, app.call(t, "GET", "/api/v1/me", req{Token: uTok}), 200, "member's token before")
		mustStatus(t, app.call(t, "DELETE", "/api/v1/users/"+u.ID, req{Token: tn.Token}), 204, "remove")
		mustStatus(t, app.call(t, "GET", "/api/v1/users/"+u.ID, req{Token: tn.Token}), 404, "removed user")
		mustStatus(t, app.call(t, "DELETE", "/api/v1/users/"+u.ID, req{Token: tn.Token}), 404, "remove twice")
		mustStatus(t, app.call(t, "GET", "/api/v1/me", req{Token: uTok}), 401, "removed member's token")
		if _, err := app.DB.UserByID(context.Background(), u.ID); err != nil {
			t.Fatalf("the account itself should stay: %v", err)
		}

		for action, obj := range map[string]string{"member.role": u.ID, "member.remove": u.ID} {
			es := auditFor(t, app, tn, action)
			if len(es) != 1 || es[0].ObjectID != obj || es[0].ActorID != tn.User.ID {
				t.Fatalf("audit %s = %+v", action, es)
			}
		}
		if es := auditFor(t, app, tn, "member.role"); es[0].Detail["role"] != "legal" {
			t.Fatalf("member.role detail = %v", es[0].Detail)
		}
	})
}

// tokenFor makes a token for a user of the tenant.
func (a *testApp) tokenFor(tn *tenant, u *renkei.User) string {
	a.t.Helper()
	_, secret, err := a.Accounts.CreateToken(storetest.System(), tn.Org.ID, u.ID, "for "+u.Email)
	if err != nil {
		a.t.Fatal(err)
	}
	return secret
}

func TestAPITokens(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		r := app.call(t, "POST", "/api/v1/tokens", req{Token: tn.Token, Body: `{"name":"  CI 連携  "}`})
		mustStatus(t, r, 201, "create")
		var c struct {
			Token  apiToken `json:"token"`
			Secret string   `json:"secret"`
		}
		r.JSON(t, &c)
		if !regexp.MustCompile(`^rk_[a-z2-7]{48}$`).MatchString(c.Secret) || c.Token.Name != "CI 連携" ||
			c.Token.UserID != tn.User.ID || !strings.HasPrefix(c.Secret, c.Token.Prefix) || c.Token.RevokedAt != nil {
			t.Fatalf("created = %+v", c)
		}
		// The new secret works, acting as the creator.
		var me struct {
			User     struct{ ID string } `json:"user"`
			ViaToken bool                `json:"via_token"`
		}
		app.call(t, "GET", "/api/v1/me", req{Token: c.Secret}).JSON(t, &me)
		if me.User.ID != tn.User.ID || !me.ViaToken {
			t.Fatalf("me with new token = %+v", me)
		}
		// It is listed, without its secret, ever again.
		r = app.call(t, "GET", "/api/v1/tokens", req{Token: tn.Token})
		if strings.Contains(string(r.Body), c.Secret) || strings.Contains(string(r.Body), renkei.HashSecret(c.Secret)) {
			t.Fatalf("list shows the secret: %s", r.Body)
		}
		ts := listAll(t, app, tn.Token, "/api/v1/tokens", 0, tokenID)
		if len(ts) != 2 || ts[0].ID != c.Token.ID {
			t.Fatalf("tokens (newest first) = %+v", ts)
		}
		// Revoke: 204, then it no longer authenticates, and is shown revoked.
		mustStatus(t, app.call(t, "DELETE", "/api/v1/tokens/"+c.Token.ID, req{Token: tn.Token}), 204, "revoke")
		mustStatus(t, app.call(t, "GET", "/api/v1/me", req{Token: c.Secret}), 401, "revoked token")
		mustStatus(t, app.call(t, "DELETE", "/api/v1/tokens/"+c.Token.ID, req{Token: tn.Token}), 404, "revoke twice")
		ts = listAll(t, app, tn.Token, "/api/v1/tokens", 0, tokenID)
		if ts[0].RevokedAt == nil || ts[1].RevokedAt != nil {
			t.Fatalf("after revoke = %+v", ts)
		}
		if es := auditFor(t, app, tn, "token.create"); len(es) != 2 || es[0].ObjectID != c.Token.ID || es[0].ActorID != tn.User.ID || es[0].Detail["name"] != "CI 連携" {
			t.Fatalf("token.create audit = %+v", es)
		}
		if es := auditFor(t, app, tn, "token.revoke"); len(es) != 1 || es[0].ObjectID != c.Token.ID {
			t.Fatalf("token.revoke audit = %+v", es)
		}
		// Department roles neither see nor make tokens.
		sec := app.addUserToken(tn, renkei.RoleSecurity)
		for _, rr := range []reply{
			app.call(t, "GET", "/api/v1/tokens", req{Token: sec}),
			app.call(t, "POST", "/api/v1/tokens", req{Token: sec, Body: `{"name":"x"}`}),
			app.call(t, "DELETE", "/api/v1/tokens/"+ts[1].ID, req{Token: sec}),
		} {
			if rr.Status != 403 {
				t.Fatalf("security role on tokens: %d %s", rr.Status, rr.Body)
			}
		}
	})
}

func TestAPIInvitations(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		r := app.call(t, "POST", "/api/v1/invitations", req{Token: tn.Token, Body: `{"email":" New.Person@Example.JP ","role":"legal"}`,
			Header: map[string]string{"Accept-Language": "en-US,en;q=0.9"}})
		mustStatus(t, r, 201, "invite")
		var inv invitation
		r.JSON(t, &inv)
		if inv.Email != "new.person@example.jp" || inv.Role != "legal" || inv.InvitedBy != tn.User.ID || inv.AcceptedAt != nil {
			t.Fatalf("invitation = %+v", inv)
		}
		// The mail is queued in the inviter's language, with a link that
		// opens this invitation; the API answer never carries the secret.
		m := app.mailTo(t, "new.person@example.jp")
		if m.Locale != "en" || m.Template != "invitation" || m.OrgID != tn.Org.ID || m.Subject == "" {
			t.Fatalf("mail = %+v", m)
		}
		link := regexp.MustCompile(`(https?://[^\s"<]+)/invite/([A-Za-z0-9_-]+)`).FindStringSubmatch(m.Text)
		if link == nil || link[1] != app.Server.URL {
			t.Fatalf("no invitation link to %s in mail text:\n%s", app.Server.URL, m.Text)
		}
		if strings.Contains(string(r.Body), link[2]) || strings.Contains(string(r.Body), renkei.HashSecret(link[2])) {
			t.Fatalf("API answer carries the link secret: %s", r.Body)
		}
		opened, err := app.Accounts.OpenInvitation(context.Background(), link[2])
		if err != nil || opened.ID != inv.ID {
			t.Fatalf("link opens %+v, %v", opened, err)
		}
		if !strings.Contains(m.Text, "甲社") || !strings.Contains(m.Text, i18n.T("en", "role.legal")) || !strings.Contains(m.Text, tn.User.Name) {
			t.Errorf("mail does not name the organization, the role in English and the inviter:\n%s", m.Text)
		}
		// Rendered from the mail templates: a subject naming the
		// organization and an HTML part with the same link.
		if !strings.Contains(m.Subject, "甲社") || !strings.Contains(m.HTML, link[0]) || !strings.Contains(m.HTML, "<html") {
			t.Errorf("mail not rendered from its template: subject %q, html:\n%s", m.Subject, m.HTML)
		}
		exp, err := time.Parse(time.RFC3339, inv.ExpiresAt)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Text, exp.In(renkei.Tokyo).Format("2006-01-02 15:04")) {
			t.Errorf("mail does not give the expiry in Tokyo time (%s):\n%s", exp.In(renkei.Tokyo).Format("2006-01-02 15:04"), m.Text)
		}

		// Japanese by default.
		mustStatus(t, app.call(t, "POST", "/api/v1/invitations", req{Token: tn.Token, Body: `{"email":"ja@example.jp","role":"viewer"}`}), 201, "invite ja")
		if m := app.mailTo(t, "ja@example.jp"); m.Locale != "ja" || !strings.Contains(m.Text, i18n.T("ja", "role.viewer")) {
			t.Fatalf("default mail: locale %q, text:\n%s", m.Locale, m.Text)
		}

		invs := listAll(t, app, tn.Token, "/api/v1/invitations", 0, invitationID)
		if len(invs) != 2 || invs[1].ID != inv.ID {
			t.Fatalf("invitations (newest first) = %+v", invs)
		}
		// A member cannot be invited again; a bad address or role is 400.
		before := auditSeq(t, app)
		if e := app.call(t, "POST", "/api/v1/invitations", req{Token: tn.Token, Body: map[string]any{"email": tn.User.Email, "role": "viewer"}}); e.Status != 409 {
			t.Fatalf("inviting a member: %d %s", e.Status, e.Body)
		}
		e := app.call(t, "POST", "/api/v1/invitations", req{Token: tn.Token, Body: `{"email":"not an address","role":"king"}`})
		if e.Status != 400 || e.Err(t).Error.Fields["email"] == "" || e.Err(t).Error.Fields["role"] == "" {
			t.Fatalf("bad invitation: %d %s", e.Status, e.Body)
		}
		if auditSeq(t, app) != before {
			t.Fatal("a refused invitation changed something")
		}

		// Withdraw: 204, the link stops working, the list forgets it.
		mustStatus(t, app.call(t, "DELETE", "/api/v1/invitations/"+inv.ID, req{Token: tn.Token}), 204, "withdraw")
		if _, err := app.Accounts.OpenInvitation(context.Background(), link[2]); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("withdrawn link still opens: %v", err)
		}
		mustStatus(t, app.call(t, "DELETE", "/api/v1/invitations/"+inv.ID, req{Token: tn.Token}), 404, "withdraw twice")
		if invs := listAll(t, app, tn.Token, "/api/v1/invitations", 0, invitationID); len(invs) != 1 || invs[0].ID == inv.ID {
			t.Fatalf("after withdraw = %+v", invs)
		}
		if es := auditFor(t, app, tn, "invitation.create"); len(es) != 2 || es[1].ObjectID != inv.ID || es[1].ActorID != tn.User.ID {
			t.Fatalf("invitation.create audit = %+v", es)
		}
		if es := auditFor(t, app, tn, "invitation.revoke"); len(es) != 1 || es[0].ObjectID != inv.ID {
			t.Fatalf("invitation.revoke audit = %+v", es)
		}
		// Department roles see invitations but do not send them.
		sec := app.addUserToken(tn, renkei.RoleBusiness)
		mustStatus(t, app.call(t, "GET", "/api/v1/invitations", req{Token: sec}), 200, "business lists")
		mustStatus(t, app.call(t, "POST", "/api/v1/invitations", req{Token: sec, Body: `{"email":"x@example.jp","role":"viewer"}`}), 403, "business invites")
	})
}

// mailTo returns the one outbox mail to an address.
func (a *testApp) mailTo(t testing.TB, to string) *renkei.Mail {
	t.Helper()
	rows, err := a.DB.SQL().Query(a.DB.Rebind(`SELECT id FROM mail_outbox WHERE to_addr = ?`), to)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) != 1 {
		t.Fatalf("%d mails to %s, want 1", len(ids), to)
	}
	m, err := a.DB.MailByID(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestInviteWakesJobsAndUsesBaseURL(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		woken := 0
		srv := web.New(web.Config{Store: app.DB, Accounts: app.Accounts, Logger: testLogger, BaseURL: "https://renkei.example.co.jp/", WakeJobs: func() { woken++ }})
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		ctx := renkei.WithActor(context.Background(), &renkei.Actor{UserID: tn.User.ID, Email: tn.User.Email, OrgID: tn.Org.ID, Role: renkei.RoleAdmin})
		hr, _ := http.NewRequestWithContext(ctx, "POST", "http://internal.invalid/api/v1/invitations", nil)
		inv, err := web.Invite(srv, ctx, hr, "base@example.jp", renkei.RoleViewer)
		if err != nil || inv.ID == "" {
			t.Fatalf("invite: %+v %v", inv, err)
		}
		if woken != 1 {
			t.Fatalf("WakeJobs called %d times", woken)
		}
		m := app.mailTo(t, "base@example.jp")
		if !strings.Contains(m.Text, "https://renkei.example.co.jp/invite/") || strings.Contains(m.Text, "internal.invalid") {
			t.Fatalf("link does not use BaseURL:\n%s", m.Text)
		}
		// A refused invitation queues nothing and wakes nobody.
		if _, err := web.Invite(srv, ctx, hr, "bad", renkei.RoleViewer); renkei.ErrorCode(err) != renkei.EINVALID || woken != 1 {
			t.Fatalf("bad invite: %v, woken %d", err, woken)
		}
	})
}

func TestAPIAudit(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		for i := range 3 {
			mustStatus(t, app.call(t, "PATCH", "/api/v1/organization", req{Token: tn.Token, Body: map[string]string{"name": fmt.Sprintf("甲社 %d", i)}}), 200, "rename")
		}
		es := listAll(t, app, tn.Token, "/api/v1/audit", 0, auditID)
		if len(es) < 3 {
			t.Fatalf("audit = %+v", es)
		}
		if !slices.IsSortedFunc(es, func(a, b auditEntry) int { return int(b.Seq - a.Seq) }) {
			t.Fatalf("audit not newest first: %+v", es)
		}
		if es[0].Action != "organization.update" || es[0].Detail["name"] != "甲社 2" || !strings.HasSuffix(es[0].At, "Z") {
			t.Fatalf("newest entry = %+v", es[0])
		}
		// Only admins read the log.
		mustStatus(t, app.call(t, "GET", "/api/v1/audit", req{Token: app.addUserToken(tn, renkei.RoleSecurity)}), 403, "security reads audit")
	})
}

// TestAPIPagination walks every list with limit=2 and compares the union of
// the pages with one big page: no duplicates, no gaps, same order.
func TestAPIPagination(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		for i := range 5 {
			app.addUser(tn, renkei.RoleViewer)
			mustStatus(t, app.call(t, "POST", "/api/v1/tokens", req{Token: tn.Token, Body: map[string]string{"name": fmt.Sprint("t", i)}}), 201, "token")
			mustStatus(t, app.call(t, "POST", "/api/v1/invitations", req{Token: tn.Token, Body: map[string]string{"email": fmt.Sprintf("p%d@example.jp", i), "role": "viewer"}}), 201, "invite")
		}
		check := func(name string, small, big []string, want int) {
			t.Helper()
			if len(big) < want {
				t.Fatalf("%s: %d items, want at least %d", name, len(big), want)
			}
			if !slices.Equal(small, big) {
				t.Fatalf("%s: pages of 2 give\n%v\none page gives\n%v", name, small, big)
			}
		}
		mids := func(limit int) []string {
			var out []string
			for _, m := range listAll(t, app, tn.Token, "/api/v1/users", limit, memberID) {
				out = append(out, m.ID)
			}
			return out
		}
		check("users", mids(2), mids(200), 6)
		tids := func(limit int) []string {
			var out []string
			for _, k := range listAll(t, app, tn.Token, "/api/v1/tokens", limit, tokenID) {
				out = append(out, k.ID)
			}
			return out
		}
		check("tokens", tids(2), tids(200), 6)
		iids := func(limit int) []string {
			var out []string
			for _, k := range listAll(t, app, tn.Token, "/api/v1/invitations", limit, invitationID) {
				out = append(out, k.ID)
			}
			return out
		}
		check("invitations", iids(2), iids(200), 5)
		aids := func(limit int) []string {
			var out []string
			for _, e := range listAll(t, app, tn.Token, "/api/v1/audit", limit, auditID) {
				out = append(out, e.ID)
			}
			return out
		}
		check("audit", aids(2), aids(200), 16)

		// 6 members in pages of 2: the third page is full and last.
		var page list[member]
		app.call(t, "GET", "/api/v1/users?limit=200", req{Token: tn.Token}).JSON(t, &page)
		if page.NextCursor != "" || len(page.Items) != 6 {
			t.Fatalf("one big page: %d items, cursor %q", len(page.Items), page.NextCursor)
		}
	})
}
