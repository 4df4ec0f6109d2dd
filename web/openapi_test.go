package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
	"github.com/renkei/renkei/web"
)

// spec is web/openapi.json, parsed once, with a cache of compiled schemas
// used to check every API response the tests see.
type spec struct {
	raw   []byte
	doc   map[string]any
	mu    sync.Mutex
	comp  *jsonschema.Compiler
	cache map[string]*jsonschema.Schema
	paths []specPath
}

type specPath struct {
	template string
	re       *regexp.Regexp
}

const specURL = "mem://renkei/openapi.json"

var (
	specOnce sync.Once
	theSpec  *spec
	specErr  error
)

// loadSpec reads and indexes openapi.json.
func loadSpec(t testing.TB) *spec {
	t.Helper()
	specOnce.Do(func() {
		raw, err := os.ReadFile("openapi.json")
		if err != nil {
			specErr = err
			return
		}
		sp := &spec{raw: raw, cache: map[string]*jsonschema.Schema{}}
		if err := json.Unmarshal(raw, &sp.doc); err != nil {
			specErr = fmt.Errorf("openapi.json is not valid JSON: %w", err)
			return
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			specErr = err
			return
		}
		sp.comp = jsonschema.NewCompiler()
		sp.comp.DefaultDraft(jsonschema.Draft2020)
		if err := sp.comp.AddResource(specURL, inst); err != nil {
			specErr = err
			return
		}
		paths, _ := sp.doc["paths"].(map[string]any)
		for tmpl := range paths {
			re := "^" + regexp.MustCompile(`\\\{[^/]+\\\}`).ReplaceAllString(regexp.QuoteMeta(tmpl), `[^/]+`) + "$"
			sp.paths = append(sp.paths, specPath{template: tmpl, re: regexp.MustCompile(re)})
		}
		// Literal paths before templates, so /a/b wins over /a/{id}.
		sort.Slice(sp.paths, func(i, j int) bool {
			return strings.Count(sp.paths[i].template, "{") < strings.Count(sp.paths[j].template, "{")
		})
		theSpec = sp
	})
	if specErr != nil {
		t.Fatal(specErr)
	}
	return theSpec
}

// pointer escapes one JSON pointer token.
func pointer(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

// schemaAt compiles the schema at a JSON pointer of the document.
func (sp *spec) schemaAt(t testing.TB, ptr string) *jsonschema.Schema {
	t.Helper()
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if s, ok := sp.cache[ptr]; ok {
		return s
	}
	s, err := sp.comp.Compile(specURL + "#" + ptr)
	if err != nil {
		t.Fatalf("compile schema %s: %v", ptr, err)
	}
	sp.cache[ptr] = s
	return s
}

// validate checks body against the schema at ptr.
func (sp *spec) validate(t testing.TB, ptr string, body []byte, what string) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Errorf("%s: body is not JSON: %v: %q", what, err, body)
		return
	}
	if err := sp.schemaAt(t, ptr).Validate(inst); err != nil {
		t.Errorf("%s: body does not match %s:\n%v\nbody: %s", what, ptr, err, body)
	}
}

// template finds the documented path that a concrete path matches.
func (sp *spec) template(path string) (string, bool) {
	for _, p := range sp.paths {
		if p.re.MatchString(path) {
			return p.template, true
		}
	}
	return "", false
}

// checkResponse asserts that a response is documented: the operation
// lists its status, and the body matches that response's schema (no body
// when the document gives no content). Responses of routes outside the
// document (unknown routes, wrong methods) must be the error envelope.
func (sp *spec) checkResponse(t testing.TB, method, path string, status int, body []byte) {
	t.Helper()
	what := fmt.Sprintf("%s %s → %d", method, path, status)
	tmpl, ok := sp.template(path)
	var op map[string]any
	if ok {
		op, _ = sp.doc["paths"].(map[string]any)[tmpl].(map[string]any)[strings.ToLower(method)].(map[string]any)
	}
	if op == nil {
		if status < 400 {
			t.Errorf("%s: success from an undocumented operation", what)
		}
		sp.validate(t, "/components/schemas/Error", body, what)
		return
	}
	ptr := "/paths/" + pointer(tmpl) + "/" + strings.ToLower(method) + "/responses/" + strconv.Itoa(status)
	resp, ok := op["responses"].(map[string]any)[strconv.Itoa(status)].(map[string]any)
	if !ok {
		t.Errorf("%s: status %d is not documented for the operation; body %s", what, status, body)
		return
	}
	if ref, ok := resp["$ref"].(string); ok {
		ptr = strings.TrimPrefix(ref, "#")
		resp = sp.resolve(ptr)
	}
	content, _ := resp["content"].(map[string]any)
	if content == nil {
		if len(bytes.TrimSpace(body)) != 0 {
			t.Errorf("%s: documented without a body, got %q", what, body)
		}
		return
	}
	if _, isJSON := content["application/json"]; !isJSON {
		// A file (an export): call checks its Content-Type against
		// mediaTypes; there is no JSON schema to hold it to.
		if len(body) == 0 {
			t.Errorf("%s: documented with a file body, got none", what)
		}
		return
	}
	sp.validate(t, ptr+"/content/application~1json/schema", body, what)
}

// mediaTypes lists the media types documented for a response (nil when
// the operation or status is not documented).
func (sp *spec) mediaTypes(method, path string, status int) []string {
	tmpl, ok := sp.template(path)
	if !ok {
		return nil
	}
	op, _ := sp.doc["paths"].(map[string]any)[tmpl].(map[string]any)[strings.ToLower(method)].(map[string]any)
	resp, _ := op["responses"].(map[string]any)[strconv.Itoa(status)].(map[string]any)
	resp = sp.deref(resp)
	content, _ := resp["content"].(map[string]any)
	var out []string
	for mt := range content {
		out = append(out, mt)
	}
	return out
}

// checkRequest asserts that a request body the server accepted matches
// the operation's documented request body.
func (sp *spec) checkRequest(t testing.TB, method, path string, body []byte) {
	t.Helper()
	tmpl, ok := sp.template(path)
	if !ok {
		return
	}
	op, _ := sp.doc["paths"].(map[string]any)[tmpl].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if op == nil {
		return
	}
	if op["requestBody"] == nil {
		if len(bytes.TrimSpace(body)) > 0 {
			t.Errorf("%s %s accepted a body, but the document gives it none", method, path)
		}
		return
	}
	if content, _ := sp.deref(op["requestBody"].(map[string]any))["content"].(map[string]any); content["application/json"] == nil {
		return // a file upload (an import): no JSON schema to hold it to
	}
	ptr := "/paths/" + pointer(tmpl) + "/" + strings.ToLower(method) + "/requestBody/content/application~1json/schema"
	sp.validate(t, ptr, body, "request "+method+" "+path)
}

// resolve returns the object at a JSON pointer.
func (sp *spec) resolve(ptr string) map[string]any {
	var cur any = sp.doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, _ := cur.(map[string]any)
		cur = m[tok]
	}
	m, _ := cur.(map[string]any)
	return m
}

// deref follows a local $ref.
func (sp *spec) deref(v map[string]any) map[string]any {
	if ref, ok := v["$ref"].(string); ok {
		return sp.resolve(strings.TrimPrefix(ref, "#"))
	}
	return v
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func TestOpenAPIDocumentIsOpenAPI31(t *testing.T) {
	sp := loadSpec(t)
	if v, _ := sp.doc["openapi"].(string); !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(v) {
		t.Fatalf("openapi = %q, want 3.1.x", v)
	}
	info, _ := sp.doc["info"].(map[string]any)
	if info["title"] == "" || info["version"] == "" || info["title"] == nil || info["version"] == nil {
		t.Errorf("info needs title and version: %v", info)
	}
	servers, _ := sp.doc["servers"].([]any)
	if len(servers) == 0 || strings.Contains(fmt.Sprint(servers), "://") {
		t.Errorf("servers must be relative: %v", servers)
	}
	comps, _ := sp.doc["components"].(map[string]any)
	schemes, _ := comps["securitySchemes"].(map[string]any)
	if b, _ := schemes["bearer"].(map[string]any); b["type"] != "http" || b["scheme"] != "bearer" {
		t.Errorf("securitySchemes.bearer = %v", b)
	}
	for _, name := range []string{"User", "Organization", "Member", "Invitation", "Token", "AuditEntry", "Error",
		"MemberList", "InvitationList", "TokenList", "AuditEntryList"} {
		if _, ok := comps["schemas"].(map[string]any)[name]; !ok {
			t.Errorf("components.schemas.%s missing", name)
		}
		sp.schemaAt(t, "/components/schemas/"+name) // compiles
	}
	// Every $ref in the document resolves.
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				if !strings.HasPrefix(ref, "#/") || sp.resolve(strings.TrimPrefix(ref, "#")) == nil {
					t.Errorf("%s: $ref %q does not resolve", at, ref)
				}
			}
			for k, c := range v {
				walk(c, at+"/"+k)
			}
		case []any:
			for i, c := range v {
				walk(c, at+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(sp.doc, "")
}

func TestOpenAPIOperationsAreComplete(t *testing.T) {
	sp := loadSpec(t)
	opIDs := map[string]string{}
	paramRe := regexp.MustCompile(`\{([^}]+)\}`)
	for tmpl, item := range sp.doc["paths"].(map[string]any) {
		inTemplate := map[string]bool{}
		for _, m := range paramRe.FindAllStringSubmatch(tmpl, -1) {
			inTemplate[m[1]] = true
		}
		for method, v := range item.(map[string]any) {
			op, ok := v.(map[string]any)
			if !ok || !contains(httpMethods, method) {
				continue
			}
			where := strings.ToUpper(method) + " " + tmpl
			id, _ := op["operationId"].(string)
			if id == "" {
				t.Errorf("%s: no operationId", where)
			} else if other, dup := opIDs[id]; dup {
				t.Errorf("%s: operationId %q also used by %s", where, id, other)
			}
			opIDs[id] = where
			if op["summary"] == nil {
				t.Errorf("%s: no summary", where)
			}
			declared := map[string]bool{}
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				p := sp.deref(p.(map[string]any))
				if p["in"] == "path" {
					name, _ := p["name"].(string)
					declared[name] = true
					if p["required"] != true {
						t.Errorf("%s: path parameter %s must be required", where, name)
					}
					if !inTemplate[name] {
						t.Errorf("%s: path parameter %s is not in the path", where, name)
					}
				}
			}
			for name := range inTemplate {
				if !declared[name] {
					t.Errorf("%s: path parameter {%s} is not declared", where, name)
				}
			}
			resps, _ := op["responses"].(map[string]any)
			public := false
			if sec, ok := op["security"].([]any); ok && len(sec) == 0 {
				public = true
			}
			var success bool
			for code := range resps {
				if code[0] == '2' {
					success = true
				}
			}
			if !success {
				t.Errorf("%s: no success response", where)
			}
			want := []string{"500"}
			if !public {
				want = append(want, "401", "403")
			}
			if len(inTemplate) > 0 {
				want = append(want, "404")
			}
			if op["requestBody"] != nil {
				want = append(want, "400", "413", "415")
			}
			for _, p := range params {
				if p := sp.deref(p.(map[string]any)); p["name"] == "limit" || p["name"] == "cursor" {
					want = append(want, "400")
				}
			}
			for _, code := range want {
				r, ok := resps[code].(map[string]any)
				if !ok {
					t.Errorf("%s: no %s response", where, code)
					continue
				}
				r = sp.deref(r)
				if !strings.Contains(fmt.Sprint(r["content"]), "#/components/schemas/Error") {
					t.Errorf("%s: %s response is not the Error schema", where, code)
				}
			}
		}
	}
}

// TestOpenAPIMatchesRoutes: the document describes exactly the routes the
// server serves, no more and no fewer.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	sp := loadSpec(t)
	db := storetest.Open(t, storetest.DSNs(t)[sqlstore.SQLite])
	app := newApp(t, db)
	served := map[string]bool{}
	for _, rt := range web.APIRoutes(app.Web) {
		key := rt[0] + " " + rt[1]
		if served[key] {
			t.Errorf("route %s registered twice", key)
		}
		served[key] = true
	}
	documented := map[string]bool{}
	for tmpl, item := range sp.doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			if contains(httpMethods, method) {
				documented[strings.ToUpper(method)+" "+tmpl] = true
			}
		}
	}
	for k := range served {
		if !documented[k] {
			t.Errorf("served but not in openapi.json: %s", k)
		}
	}
	for k := range documented {
		if !served[k] {
			t.Errorf("in openapi.json but not served: %s", k)
		}
	}
	if len(served) < 15 {
		t.Errorf("only %d routes: the route table did not load", len(served))
	}

	// The document is served as is, without credentials.
	res, err := http.Get(app.Server.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(res.Body)
	if res.StatusCode != 200 || !bytes.Equal(buf.Bytes(), sp.raw) || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/v1/openapi.json: %d %s, %d bytes (file has %d)", res.StatusCode, res.Header.Get("Content-Type"), buf.Len(), len(sp.raw))
	}
}

// TestOpenAPIValidatorCanFail makes sure the response checker rejects
// what it should, so that passing API tests mean something.
func TestOpenAPIValidatorCanFail(t *testing.T) {
	sp := loadSpec(t)
	for _, c := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/api/v1/users/0190a0a0-0000-7000-8000-000000000000", 200, `{"id":"0190a0a0-0000-7000-8000-000000000000","email":"a@example.jp","name":"","role":"admin","locale":"ja","time_zone":"Asia/Tokyo","totp_enabled":false,"created_at":"2026-01-01T00:00:00Z","password_hash":"x"}`},
		{"GET", "/api/v1/users", 200, `{"items":[]}`},
		{"GET", "/api/v1/users", 418, `{}`},
		{"DELETE", "/api/v1/tokens/0190a0a0-0000-7000-8000-000000000000", 204, `{"x":1}`},
		{"GET", "/api/v1/nope", 404, `{"error":{"message":"x"}}`},
	} {
		ft := &fakeT{}
		sp.checkResponse(ft, c.method, c.path, c.status, []byte(c.body))
		if !ft.failed {
			t.Errorf("%s %s %d %s: accepted", c.method, c.path, c.status, c.body)
		}
	}
	ft := &fakeT{}
	sp.checkResponse(ft, "GET", "/api/v1/users", 200, []byte(`{"items":[],"next_cursor":""}`))
	if ft.failed {
		t.Errorf("a valid empty list was refused: %v", ft.msgs)
	}
}

// fakeT records failures instead of failing.
type fakeT struct {
	testing.TB
	failed bool
	msgs   []string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.failed = true
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}
func (f *fakeT) Fatalf(format string, args ...any) { f.Errorf(format, args...) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
