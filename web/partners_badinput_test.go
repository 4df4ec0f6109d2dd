package web_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/renkei/renkei"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// TestAPIPartnerImportBadFiles: a file that cannot be imported as a whole
// is an error in the envelope, and changes nothing.
func TestAPIPartnerImportBadFiles(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		const path = "/api/v1/partners/import"
		en := func(ct string) map[string]string {
			return map[string]string{"Content-Type": ct, "Accept-Language": "en"}
		}
		good := []byte("name,type\nGood Co.,supplier\n")

		// Over 64 MiB: 413, whether the length is announced or not.
		big := bytes.Repeat([]byte("a"), 64<<20+1)
		copy(big, good)
		e := app.refused(t, tn, "POST", path, req{Token: tn.Token, Body: big, Header: en("text/csv")}, 413, "too_large")
		if !strings.Contains(e.Error.Message, "64 MB") {
			t.Errorf("too large: %q", e.Error.Message)
		}
		before := app.state(t, tn)
		hr, _ := http.NewRequest("POST", app.Server.URL+path, io.MultiReader(bytes.NewReader(big), strings.NewReader("tail")))
		hr.Header.Set("Authorization", "Bearer "+tn.Token)
		hr.Header.Set("Content-Type", "text/csv")
		if hr.ContentLength != 0 {
			t.Fatal("the body should be sent chunked")
		}
		res, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 413 || !strings.Contains(string(body), `"too_large"`) {
			t.Fatalf("chunked over the limit: %d %s", res.StatusCode, body)
		}
		loadSpec(t).checkResponse(t, "POST", path, res.StatusCode, body)
		if after := app.state(t, tn); after.AuditSeq != before.AuditSeq {
			t.Fatal("an oversized import changed something")
		}

		// Not CSV or XLSX: 415.
		for _, ct := range []string{"application/json", "text/html", "image/png", "multipart/form-data; boundary=x", "application/pdf"} {
			e := app.refused(t, tn, "POST", path, req{Token: tn.Token, Body: good, Header: en(ct)}, 415, "unsupported_media_type")
			if !strings.Contains(e.Error.Message, "CSV") {
				t.Errorf("%s: %q", ct, e.Error.Message)
			}
		}
		app.refused(t, tn, "POST", path, req{Token: tn.Token, Body: good, Header: map[string]string{"Content-Type": ""}}, 415, "unsupported_media_type")

		// Files that cannot be read: 400 with a message that says why.
		for name, c := range map[string]struct {
			ct   string
			data []byte
			want string
		}{
			"empty":        {"text/csv", []byte{}, "empty"},
			"header only":  {"text/csv", []byte("name,type\r\n"), "only the header"},
			"bad quotes":   {"text/csv", []byte("name,type\n\"Unclosed,supplier\nx,y\n"), "malformed"},
			"corrupt xlsx": {xlsxType, append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 100)...), "cannot be read"},
			"xlsx as text": {xlsxType, good, "cannot be read"},
			"legacy xls":   {"application/vnd.ms-excel", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0}, ".xls"},
		} {
			e := app.refused(t, tn, "POST", path, req{Token: tn.Token, Body: c.data, Header: en(c.ct)}, 400, "invalid")
			if !strings.Contains(e.Error.Message, c.want) {
				t.Errorf("%s: %q", name, e.Error.Message)
			}
		}
		// Bad parameters.
		for q, field := range map[string]string{"?mode=all": "mode", "?mode=SKIP_INVALID": "mode", "?dry_run=yes": "dry_run"} {
			if e := app.refused(t, tn, "POST", path+q, req{Token: tn.Token, Body: good, Header: en("text/csv")}, 400, "invalid"); e.Error.Fields[field] == "" {
				t.Errorf("%s: %v", q, e.Error.Fields)
			}
		}
		// A header the importer does not know is a row-1 problem: 200,
		// nothing imported.
		r := app.call(t, "POST", path, req{Token: tn.Token, Body: []byte("name,type,favourite_colour\nX,supplier,blue\n"), Header: en("text/csv")})
		mustStatus(t, r, 200, "unknown column")
		var res2 apiImportT
		r.JSON(t, &res2)
		if res2.Created != 0 || len(res2.Errors) != 1 || res2.Errors[0].Row != 1 || res2.Errors[0].Column != "favourite_colour" {
			t.Fatalf("unknown column: %+v", res2)
		}
		if n := apiPartnerCount(t, app, tn, false); n != 0 {
			t.Fatalf("%d partners after the refusals", n)
		}
		// The same file, well formed, goes in.
		if res := apiImport(t, app, tn.Token, "", "text/csv; charset=utf-8", good, ""); res.Created != 1 {
			t.Fatalf("good file: %+v", res)
		}
	})
}

// TestAPIPartnerHostileInput: text with control characters or direction
// overrides, wrong types, fields the API does not take and over-long text
// are refused naming the field, and change nothing; markup is stored as
// given and escaped in JSON.
func TestAPIPartnerHostileInput(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		en := map[string]string{"Accept-Language": "en"}
		base := func() map[string]any {
			return map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社安全"}}
		}
		with := func(path string, v any) map[string]any {
			b := base()
			parts := strings.Split(path, ".")
			m := b
			for _, p := range parts[:len(parts)-1] {
				next, ok := m[p].(map[string]any)
				if !ok {
					next = map[string]any{}
					m[p] = next
				}
				m = next
			}
			m[parts[len(parts)-1]] = v
			return b
		}
		for _, c := range []struct {
			path  string
			value any
			field string
		}{
			{"company.name", "a\u202eb", "company.name"},
			{"company.name", "a\x00b", "name"},
			{"company.name", "a\nb", "company.name"},
			{"company.name", strings.Repeat("長", 201), "company.name"},
			{"company.name_kana", "ア\u2066イ", "name_kana"},
			{"external_id", "V\t1", "external_id"},
			{"profile.region", "関東\u200f", "profile.region"},
			{"profile.provides", []string{"saas\x00"}, "profile.provides"},
			{"contacts.incident.name", "x\x1b[31m", "contacts.incident.name"},
			{"contacts.incident_procedure", "電話\x00", "contacts.incident_procedure"},
			{"notes", "メモ\x07", "notes"},
			{"notes", strings.Repeat("a", 10001), "notes"},
			{"company.employees", "many", "employees"},
			{"company.employees", -1, "company.employees"},
			{"company.listed", "yes", "company.listed"},
			{"profile.provides", "saas", "profile.provides"},
			{"profile.personal_data_count", 1.5, "profile.personal_data_count"},
			{"profile.reaches_internal_network", "true", "profile.reaches_internal_network"},
			{"org_id", tn.Org.ID, "org_id"},
			{"id", "01900000-0000-7000-8000-000000000000", "id"},
			{"inherent_risk", map[string]any{"score": 0}, "inherent_risk"},
			{"required_level", "star1", "required_level"},
			{"company.id", "x", "id"},
		} {
			e := app.refused(t, tn, "POST", "/api/v1/partners", req{Token: tn.Token, Body: with(c.path, c.value), Header: en}, 400, "invalid")
			if e.Error.Fields[c.field] == "" {
				t.Errorf("%s = %.40q: fields %v", c.path, c.value, e.Error.Fields)
			}
		}
		// Line breaks are fine in notes and the incident procedure.
		p := apiNewPartner(t, app, tn.Token, with("notes", "一行目\r\n二行目\tタブ"))
		if p.Notes != "一行目\r\n二行目\tタブ" {
			t.Fatalf("notes %q", p.Notes)
		}
		// Markup is stored as given and escaped in the JSON.
		for _, name := range []string{`<script>alert("x")</script>`, `"><img src=x onerror=alert(1)>`, `'; DROP TABLE partners; --`} {
			r := app.call(t, "POST", "/api/v1/partners", req{Token: tn.Token, Body: with("company.name", name)})
			mustStatus(t, r, 201, "markup name")
			if strings.ContainsAny(string(r.Body), "<>") {
				t.Fatalf("markup not escaped: %s", r.Body)
			}
			var got apiPartnerT
			r.JSON(t, &got)
			if got.Company.Name != name {
				t.Fatalf("%q came back as %q", name, got.Company.Name)
			}
		}
		// The same on PATCH, and the partner stays as it was.
		for _, body := range []string{`{"company":{"name":"a\u202eb"}}`, `{"company":{"employees":"x"}}`, `{"archived_at":null}`, `{"type":null,"profile":[]}`} {
			app.refused(t, tn, "PATCH", "/api/v1/partners/"+p.ID, req{Token: tn.Token, Body: body}, 400, "invalid")
		}
		if got := apiGetPartnerT(t, app, tn.Token, p.ID); got.Company.Name != "株式会社安全" || got.UpdatedAt != p.UpdatedAt {
			t.Fatalf("after refused patches: %+v", got)
		}
		// JSON bodies are bounded at 1 MiB and must be JSON.
		app.refused(t, tn, "POST", "/api/v1/partners", req{Token: tn.Token, Body: `{"notes":"` + strings.Repeat("a", 1<<20) + `"}`}, 413, "too_large")
		app.refused(t, tn, "PATCH", "/api/v1/partners/"+p.ID, req{Token: tn.Token, Body: `{"notes":"x"}`, Header: map[string]string{"Content-Type": "text/csv"}}, 415, "unsupported_media_type")
		app.refused(t, tn, "POST", "/api/v1/partners/"+p.ID+"/agreements", req{Token: tn.Token, Body: `{"requirement_code":`}, 400, "invalid")
		// A path ID that is not a UUID, in either place, names nothing.
		a := app.call(t, "POST", "/api/v1/partners/"+p.ID+"/agreements", req{Token: tn.Token, Body: `{"requirement_code":"sbom"}`})
		mustStatus(t, a, 201, "agreement")
		var ag apiAgreementT
		a.JSON(t, &ag)
		for _, path := range []string{
			"/api/v1/partners/" + p.ID + "/agreements/not-a-uuid",
			"/api/v1/partners/not-a-uuid/agreements/" + ag.ID,
			"/api/v1/partners/" + strings.ToUpper(p.ID) + "x/agreements/" + ag.ID,
		} {
			app.refused(t, tn, "PATCH", path, req{Token: tn.Token, Body: `{"contract":"x"}`}, 404, "not_found")
			app.refused(t, tn, "DELETE", path, req{Token: tn.Token}, 404, "not_found")
		}
		// Upper-case IDs are the same IDs.
		mustStatus(t, app.call(t, "PATCH", "/api/v1/partners/"+strings.ToUpper(p.ID)+"/agreements/"+strings.ToUpper(ag.ID), req{Token: tn.Token, Body: `{"contract":"大文字"}`}), 200, "upper-case IDs")
	})
}
