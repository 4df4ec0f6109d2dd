package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/web"
)

// state is what a refused request must leave alone: the organization's
// name, its members and roles, tokens, open invitations, and the audit
// head (every change appends to the audit log in its own transaction).
type state struct {
	OrgName     string
	Members     map[string]renkei.Role
	Tokens      map[string]bool // id → revoked
	Invitations []string
	AuditSeq    int64
}

func (a *testApp) state(t testing.TB, tn *tenant) state {
	t.Helper()
	ctx := context.Background()
	o, err := a.DB.OrganizationByID(ctx, tn.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	st := state{OrgName: o.Name, Members: map[string]renkei.Role{}, Tokens: map[string]bool{}}
	ms, _, err := a.DB.ListMembers(ctx, tn.Org.ID, renkei.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		st.Members[m.ID] = m.Role
	}
	ts, _, err := a.DB.ListTokens(ctx, tn.Org.ID, renkei.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range ts {
		st.Tokens[k.ID] = k.RevokedAt != nil
	}
	invs, _, err := a.DB.ListInvitations(ctx, tn.Org.ID, renkei.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range invs {
		st.Invitations = append(st.Invitations, i.ID)
	}
	st.AuditSeq = auditSeq(t, a)
	return st
}

// refused sends a request that must fail with status (and code, when not
// empty), and asserts that it changed nothing.
func (a *testApp) refused(t *testing.T, tn *tenant, method, path string, rq req, status int, code string) errBody {
	t.Helper()
	before := a.state(t, tn)
	r := a.call(t, method, path, rq)
	if r.Status != status {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.Body)
	}
	e := r.Err(t)
	if code != "" && e.Error.Code != code {
		t.Fatalf("%s %s: code %q, want %q: %s", method, path, e.Error.Code, code, r.Body)
	}
	if strings.Contains(e.Error.Message, "%!") || strings.Contains(e.Error.Message, "%v") {
		t.Fatalf("%s %s: unformatted message %q", method, path, e.Error.Message)
	}
	for f, msg := range e.Error.Fields {
		if msg == "" || strings.HasPrefix(msg, "field.") || strings.HasPrefix(msg, "api.") || strings.Contains(msg, "%") {
			t.Fatalf("%s %s: field %s has message %q", method, path, f, msg)
		}
	}
	if after := a.state(t, tn); !reflect.DeepEqual(before, after) {
		t.Fatalf("%s %s was refused but changed state:\nbefore %+v\nafter  %+v", method, path, before, after)
	}
	return e
}

func TestBadJSON(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		const path = "/api/v1/organization"
		en := map[string]string{"Accept-Language": "en"}

		e := app.refused(t, tn, "PATCH", path, req{Token: tn.Token, Body: `{"name": "x",}`}, 400, "invalid")
		if !strings.Contains(e.Error.Message, "offset 14") || !strings.Contains(e.Error.Message, "JSON") {
			t.Errorf("malformed JSON message does not name the offset: %q", e.Error.Message)
		}
		e = app.refused(t, tn, "PATCH", path, req{Token: tn.Token, Body: `{"name": "x",}`, Header: en}, 400, "invalid")
		if e.Error.Message != "The JSON is malformed (offset 14)." {
			t.Errorf("English malformed JSON message = %q", e.Error.Message)
		}

		e = app.refused(t, tn, "PATCH", path, req{Token: tn.Token, Body: `{"name": 5}`, Header: en}, 400, "invalid")
		if len(e.Error.Fields) != 1 || e.Error.Fields["name"] != "Wrong type of value." {
			t.Errorf("wrong type: fields %v", e.Error.Fields)
		}
		e = app.refused(t, tn, "POST", "/api/v1/tokens", req{Token: tn.Token, Body: `{"name": ["a"]}`}, 400, "invalid")
		if e.Error.Fields["name"] == "" {
			t.Errorf("wrong type on tokens: %v", e.Error.Fields)
		}

		e = app.refused(t, tn, "PATCH", path, req{Token: tn.Token, Body: `{"name": "x", "slug": "hijack"}`}, 400, "invalid")
		if e.Error.Fields["slug"] == "" {
			t.Errorf("unknown field: fields %v", e.Error.Fields)
		}
		e = app.refused(t, tn, "POST", "/api/v1/invitations", req{Token: tn.Token, Body: `{"email":"a@example.jp","role":"viewer","org_id":"` + tn.Org.ID + `"}`}, 400, "invalid")
		if e.Error.Fields["org_id"] == "" {
			t.Errorf("org_id in the body is not refused: %v", e.Error.Fields)
		}

		for _, body := range []string{"", " ", "{", `{"name": "x"`, `null`, `[]`, `"name"`, `{"name":"x"} {"name":"y"}`, `{"name":"x"}garbage`} {
			app.refused(t, tn, "PATCH", path, req{Token: tn.Token, Body: body}, 400, "invalid")
		}
		// The body limit is 1 MiB.
		big := `{"name":"` + strings.Repeat("a", 1<<20) + `"}`
		e = app.refused(t, tn, "PATCH", path, req{Token: tn.Token, Body: big, Header: en}, 413, "too_large")
		if !strings.Contains(e.Error.Message, "1 MiB") {
			t.Errorf("too large message = %q", e.Error.Message)
		}
		app.refused(t, tn, "POST", "/api/v1/tokens", req{Token: tn.Token, Body: big}, 413, "too_large")

		for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"} {
			app.refused(t, tn, "PATCH", path, req{Token: tn.Token, Body: `{"name":"x"}`, Header: map[string]string{"Content-Type": ct}}, 415, "unsupported_media_type")
		}
		// application/json with a charset is JSON.
		r := app.call(t, "PATCH", path, req{Token: tn.Token, Body: `{"name":"甲社"}`, Header: map[string]string{"Content-Type": "application/json; charset=utf-8"}})
		mustStatus(t, r, 200, "JSON with charset")

		// A missing required field.
		e = app.refused(t, tn, "PATCH", path, req{Token: tn.Token, Body: `{}`}, 400, "invalid")
		if e.Error.Fields["name"] == "" {
			t.Errorf("missing name: %v", e.Error.Fields)
		}
		for _, body := range []string{`{"name":""}`, `{"name":"   "}`} {
			if e := app.refused(t, tn, "PATCH", path, req{Token: tn.Token, Body: body}, 400, "invalid"); e.Error.Fields["name"] == "" {
				t.Errorf("%s: %v", body, e.Error.Fields)
			}
		}
		if e := app.refused(t, tn, "POST", "/api/v1/tokens", req{Token: tn.Token, Body: `{}`}, 400, "invalid"); e.Error.Fields["name"] == "" {
			t.Errorf("token without a name: %v", e.Error.Fields)
		}
	})
}

func TestBadRoutesAndMethods(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		for _, p := range []string{"/api/v1/nope", "/api/v2/me", "/api/v1/users/x/y", "/api/", "/api/v1/organization/extra"} {
			app.refused(t, tn, "GET", p, req{Token: tn.Token}, 404, "not_found")
			app.refused(t, tn, "GET", p, req{}, 404, "not_found")
		}
		for _, c := range []struct{ method, path, allow string }{
			{"PUT", "/api/v1/organization", "GET, PATCH"},
			{"DELETE", "/api/v1/organization", "GET, PATCH"},
			{"POST", "/api/v1/users/" + tn.User.ID, "GET, PATCH, DELETE"},
			{"PATCH", "/api/v1/tokens", "GET, POST"},
			{"POST", "/api/v1/audit", "GET"},
			{"POST", "/api/v1/me", "GET"},
		} {
			before := app.state(t, tn)
			r := app.call(t, c.method, c.path, req{Token: tn.Token, Body: `{}`})
			if r.Status != 405 || r.Err(t).Error.Code != "method_not_allowed" || r.Header.Get("Allow") != c.allow {
				t.Errorf("%s %s: %d Allow=%q %s (want 405 Allow=%q)", c.method, c.path, r.Status, r.Header.Get("Allow"), r.Body, c.allow)
			}
			if !reflect.DeepEqual(before, app.state(t, tn)) {
				t.Errorf("%s %s changed state", c.method, c.path)
			}
		}
		// IDs that are not UUIDs name nothing: 404, never 500.
		for _, id := range []string{"abc", "1", "0", "'%20OR%201=1--", "%00", "..%2F..%2Fetc", strings.Repeat("a", 5000), "00000000-0000-0000-0000-00000000000g"} {
			for _, rt := range web.APIRoutes(app.Web) {
				if !pathParam.MatchString(rt[1]) {
					continue
				}
				p := pathParam.ReplaceAllString(rt[1], id)
				var body any
				if rt[0] == "PATCH" {
					body = `{"role":"viewer"}`
				}
				app.refused(t, tn, rt[0], p, req{Token: tn.Token, Body: body}, 404, "not_found")
			}
		}
	})
}

func TestBadPaging(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		n := 0
		for _, rt := range web.APIRoutes(app.Web) {
			if rt[0] != "GET" || pathParam.MatchString(rt[1]) || nonListGETs[rt[1]] {
				continue
			}
			n++
			for _, l := range []string{"0", "-1", "201", "abc", "1.5", "", "99999999999999999999"} {
				if l == "" {
					continue
				}
				e := app.refused(t, tn, "GET", rt[1]+"?limit="+l, req{Token: tn.Token}, 400, "invalid")
				if e.Error.Fields["limit"] == "" {
					t.Errorf("%s limit=%s: fields %v", rt[1], l, e.Error.Fields)
				}
			}
			for _, c := range []string{"!!!", "abc", base64.RawURLEncoding.EncodeToString([]byte("x:1")), base64.RawURLEncoding.EncodeToString([]byte("k:" + strings.Repeat("9", 300)))} {
				e := app.refused(t, tn, "GET", rt[1]+"?cursor="+c, req{Token: tn.Token}, 400, "invalid")
				if e.Error.Fields["cursor"] == "" {
					t.Errorf("%s cursor=%s: fields %v", rt[1], c, e.Error.Fields)
				}
			}
			for _, l := range []string{"1", "200"} {
				mustStatus(t, app.call(t, "GET", rt[1]+"?limit="+l, req{Token: tn.Token}), 200, rt[1]+" limit="+l)
			}
		}
		if n < 4 {
			t.Fatalf("only %d lists checked", n)
		}
		// The audit cursor is a sequence number.
		e := app.refused(t, tn, "GET", "/api/v1/audit?cursor="+base64.RawURLEncoding.EncodeToString([]byte("k:abc")), req{Token: tn.Token}, 400, "invalid")
		if e.Error.Fields["cursor"] == "" {
			t.Errorf("audit cursor: %v", e.Error.Fields)
		}
	})
}

func TestBadCredentials(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		revoked := app.tokenFor(tn, tn.User)
		var list struct {
			Items []apiToken `json:"items"`
		}
		app.call(t, "GET", "/api/v1/tokens", req{Token: tn.Token}).JSON(t, &list)
		mustStatus(t, app.call(t, "DELETE", "/api/v1/tokens/"+list.Items[0].ID, req{Token: tn.Token}), 204, "revoke")

		routes := web.APIRoutes(app.Web)
		bad := []map[string]string{
			{}, // no credentials at all
			{"Authorization": "Bearer " + revoked},
			{"Authorization": "Bearer rk_unknowntoken"},
			{"Authorization": "Bearer"},
			{"Authorization": "Bearer  "},
			{"Authorization": "Token " + tn.Token},
			{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"+testPassword))},
			{"Authorization": tn.Token},
			{"Authorization": "Bearer " + strings.TrimPrefix(tn.Token, "rk_")},
			{"Authorization": "Bearer " + tn.Token + "x"},
			{"Authorization": "Bearer " + tn.Token[:len(tn.Token)-1]},
			{"Authorization": "Bearer rk_" + strings.Repeat("a", 500)},
			{"Cookie": "renkei_session=forged"},
		}
		for _, rt := range routes {
			if rt[1] == "/api/v1/openapi.json" {
				continue
			}
			p := pathParam.ReplaceAllString(rt[1], tn.User.ID)
			var body any
			if rt[0] == "POST" || rt[0] == "PATCH" {
				body = `{"name":"x","role":"viewer","email":"x@example.jp"}`
			}
			for _, h := range bad {
				e := app.refused(t, tn, rt[0], p, req{Body: body, Header: h}, 401, "unauthorized")
				if e.Error.Message == "" {
					t.Errorf("%s %s with %v: no message", rt[0], p, h)
				}
			}
		}
		// The revoked token says why, in the request's language.
		e := app.refused(t, tn, "GET", "/api/v1/me", req{Token: revoked, Header: map[string]string{"Accept-Language": "en"}}, 401, "unauthorized")
		if e.Error.Message != "The API token is not valid (unknown, revoked or malformed)." {
			t.Errorf("revoked token message %q", e.Error.Message)
		}
		e = app.refused(t, tn, "GET", "/api/v1/me", req{Token: revoked}, 401, "unauthorized")
		if !utf8.ValidString(e.Error.Message) || !strings.Contains(e.Error.Message, "トークン") {
			t.Errorf("Japanese revoked token message %q", e.Error.Message)
		}
	})
}

// foundationPerms pins the permission of each foundation route, so that a
// slip in the route table (an admin action opened to every member) fails.
var foundationPerms = map[string]renkei.Permission{
	"GET /api/v1/me":                  "",
	"GET /api/v1/organization":        renkei.PermRead,
	"PATCH /api/v1/organization":      renkei.PermManageOrg,
	"GET /api/v1/users":               renkei.PermRead,
	"GET /api/v1/users/{id}":          renkei.PermRead,
	"PATCH /api/v1/users/{id}":        renkei.PermManageUsers,
	"DELETE /api/v1/users/{id}":       renkei.PermManageUsers,
	"GET /api/v1/invitations":         renkei.PermRead,
	"POST /api/v1/invitations":        renkei.PermManageUsers,
	"DELETE /api/v1/invitations/{id}": renkei.PermManageUsers,
	"GET /api/v1/tokens":              renkei.PermManageTokens,
	"POST /api/v1/tokens":             renkei.PermManageTokens,
	"DELETE /api/v1/tokens/{id}":      renkei.PermManageTokens,
	"GET /api/v1/audit":               renkei.PermManageOrg,
}

// TestRolesOnEveryRoute: every staff role is refused (403, nothing
// changed) each route its role does not allow, and may read each GET route
// it does. Only the openapi document is public.
func TestRolesOnEveryRoute(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		tokens := map[renkei.Role]string{renkei.RoleAdmin: tn.Token}
		for _, role := range renkei.StaffRoles {
			if role != renkei.RoleAdmin {
				tokens[role] = app.addUserToken(tn, role)
			}
		}
		for key, perm := range foundationPerms {
			method, path, _ := strings.Cut(key, " ")
			got, public, ok := web.APIRoutePerm(app.Web, method, path)
			if !ok || public || got != perm {
				t.Errorf("%s: permission %q (public %v, exists %v), want %q", key, got, public, ok, perm)
			}
		}
		bodies := map[string]string{
			"PATCH /api/v1/organization": `{"name":"乗っ取り"}`,
			"PATCH /api/v1/users/{id}":   `{"role":"viewer"}`,
			"POST /api/v1/invitations":   `{"email":"evil@example.jp","role":"admin"}`,
			"POST /api/v1/tokens":        `{"name":"evil"}`,
		}
		for _, rt := range web.APIRoutes(app.Web) {
			key := rt[0] + " " + rt[1]
			perm, public, _ := web.APIRoutePerm(app.Web, rt[0], rt[1])
			if public {
				if key != "GET /api/v1/openapi.json" {
					t.Errorf("%s is public", key)
				}
				continue
			}
			p, body := rt[1], bodies[key]
			if pathParam.MatchString(p) {
				// A real object of the tenant's, from the cross-tenant
				// fixtures, so that a refusal is never a 404.
				fixture, ok := crossTenantFixtures[key]
				if !ok {
					t.Errorf("%s: no fixture in crossTenantFixtures", key)
					continue
				}
				c := fixture(t, app, tn)
				p = c.Path
				if c.Body != nil {
					j, _ := json.Marshal(c.Body)
					body = string(j)
				}
			}
			if body == "" && rt[0] != "GET" && rt[0] != "DELETE" {
				body = `{}`
			}
			for _, role := range renkei.StaffRoles {
				if perm == "" || role.Can(perm) {
					if rt[0] == "GET" {
						mustStatus(t, app.call(t, "GET", p, req{Token: tokens[role]}), 200, string(role)+" "+key)
					}
					continue
				}
				var b any
				if body != "" {
					b = body
				}
				e := app.refused(t, tn, rt[0], p, req{Token: tokens[role], Body: b, Header: map[string]string{"Accept-Language": "en"}}, 403, "forbidden")
				if e.Error.Message != "You are not allowed to do this." {
					t.Errorf("%s %s: message %q", role, key, e.Error.Message)
				}
			}
		}
	})
}

// TestHostileText: markup is stored as given and comes back escaped;
// control characters, NUL, direction overrides and over-long text are
// refused with a field error and change nothing.
func TestHostileText(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		for _, name := range []string{`<script>alert("x")</script>`, `"><img src=x onerror=alert(1)>`, `'; DROP TABLE organizations; --`, "株式会社\u3000連携 & Co. 🏭"} {
			r := app.call(t, "PATCH", "/api/v1/organization", req{Token: tn.Token, Body: map[string]string{"name": name}})
			mustStatus(t, r, 200, "rename to "+name)
			if strings.ContainsAny(string(r.Body), "<>") {
				t.Fatalf("markup not escaped in JSON: %s", r.Body)
			}
			var o organization
			app.call(t, "GET", "/api/v1/organization", req{Token: tn.Token}).JSON(t, &o)
			if o.Name != name {
				t.Fatalf("name %q came back as %q", name, o.Name)
			}
			r = app.call(t, "POST", "/api/v1/tokens", req{Token: tn.Token, Body: map[string]string{"name": name}})
			mustStatus(t, r, 201, "token named "+name)
			if strings.ContainsAny(string(r.Body), "<>") {
				t.Fatalf("markup not escaped in JSON: %s", r.Body)
			}
		}
		en := map[string]string{"Accept-Language": "en"}
		for _, c := range []struct {
			name, value, msg string
		}{
			{"NUL", "a\x00b", "Control characters and text-direction overrides are not accepted."},
			{"RTL override", "invoice\u202Etxt.exe", "Control characters and text-direction overrides are not accepted."},
			{"RTL isolate", "a\u2067b", "Control characters and text-direction overrides are not accepted."},
			{"newline", "a\nb", "Control characters and text-direction overrides are not accepted."},
			{"escape", "a\x1b[31mb", "Control characters and text-direction overrides are not accepted."},
			{"10k characters", strings.Repeat("長", 10000), "Too long."},
			{"201 characters", strings.Repeat("a", 201), "Too long."},
		} {
			e := app.refused(t, tn, "PATCH", "/api/v1/organization", req{Token: tn.Token, Body: map[string]string{"name": c.value}, Header: en}, 400, "invalid")
			if e.Error.Fields["name"] != c.msg {
				t.Errorf("org name with %s: fields %v", c.name, e.Error.Fields)
			}
			e = app.refused(t, tn, "POST", "/api/v1/tokens", req{Token: tn.Token, Body: map[string]string{"name": c.value}, Header: en}, 400, "invalid")
			if e.Error.Fields["name"] != c.msg {
				t.Errorf("token name with %s: fields %v", c.name, e.Error.Fields)
			}
			e = app.refused(t, tn, "POST", "/api/v1/invitations", req{Token: tn.Token, Body: map[string]string{"email": "x" + c.value + "@example.jp", "role": "viewer"}}, 400, "invalid")
			if e.Error.Fields["email"] == "" {
				t.Errorf("email with %s: fields %v", c.name, e.Error.Fields)
			}
		}
		// Bytes that are not UTF-8 arrive as U+FFFD and are refused too.
		app.refused(t, tn, "PATCH", "/api/v1/organization", req{Token: tn.Token, Body: "{\"name\":\"a\xff\xfeb\"}"}, 400, "invalid")
		// Surrounding white space, a pasted line break included, is trimmed.
		r := app.call(t, "POST", "/api/v1/invitations", req{Token: tn.Token, Body: map[string]string{"email": " pasted@example.jp\r\n", "role": "viewer"}})
		mustStatus(t, r, 201, "address with a line break around it")
		var inv invitation
		if r.JSON(t, &inv); inv.Email != "pasted@example.jp" {
			t.Fatalf("stored address %q", inv.Email)
		}
		// Within the limit, exactly.
		long := strings.Repeat("長", 200)
		mustStatus(t, app.call(t, "PATCH", "/api/v1/organization", req{Token: tn.Token, Body: map[string]string{"name": long}}), 200, "200 characters")
	})
}

// TestErrorLanguage: messages are Japanese by default and English on
// request, by Accept-Language or by the language cookie, fields included.
func TestErrorLanguage(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		cases := []struct {
			header map[string]string
			want   string
			field  string
		}{
			{nil, "入力内容に誤りがあります", "入力してください"},
			{map[string]string{"Accept-Language": "ja-JP,ja;q=0.9"}, "入力内容に誤りがあります", "入力してください"},
			{map[string]string{"Accept-Language": "fr-FR"}, "入力内容に誤りがあります", "入力してください"},
			{map[string]string{"Accept-Language": "en-US,en;q=0.9"}, "Some of the input is not valid", "Required."},
			{map[string]string{"Cookie": "renkei_lang=en"}, "Some of the input is not valid", "Required."},
			{map[string]string{"Cookie": "renkei_lang=en", "Accept-Language": "ja"}, "Some of the input is not valid", "Required."},
		}
		for _, c := range cases {
			e := app.refused(t, tn, "PATCH", "/api/v1/organization", req{Token: tn.Token, Body: `{"name":""}`, Header: c.header}, 400, "invalid")
			if !strings.Contains(e.Error.Message, c.want) || !strings.Contains(e.Error.Fields["name"], c.field) {
				t.Errorf("%v: %q / %q, want %q / %q", c.header, e.Error.Message, e.Error.Fields["name"], c.want, c.field)
			}
		}
		e := app.refused(t, tn, "GET", "/api/v1/users/"+fmt.Sprint(renkei.HashSecret("x")[:8]), req{Token: tn.Token, Header: map[string]string{"Accept-Language": "en"}}, 404, "not_found")
		if e.Error.Message != "Not found (user)." {
			t.Errorf("English not found: %q", e.Error.Message)
		}
	})
}
