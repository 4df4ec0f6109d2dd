package web_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/renkei/renkei"
)

// ownTemplateFile is self-check-25 as a file of the organization's own,
// under slug, with a title of its own.
func ownTemplateFile(t *testing.T, slug string) []byte {
	t.Helper()
	tpl, _ := renkei.BuiltinTemplate(renkei.TemplateSelfCheck25)
	tpl.Slug, tpl.Kind = slug, renkei.TemplateOrg
	tpl.Title = renkei.Bilingual{JA: "自社の点検表", EN: "Our own check"}
	b, err := renkei.MarshalTemplate(tpl)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAPITemplateExportImport(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		viewer := app.addUserToken(tn, renkei.RoleViewer)

		// A built-in template exports as the documented format, and that
		// file parses back to the same template.
		r := app.call(t, "GET", "/api/v1/templates/"+renkei.TemplateSupplyChainStar4, req{Token: viewer})
		mustStatus(t, r, 200, "export built-in")
		got, err := renkei.ParseTemplate(r.Body)
		if err != nil {
			t.Fatalf("exported file does not parse: %v", err)
		}
		want, _ := renkei.BuiltinTemplate(renkei.TemplateSupplyChainStar4)
		if w, _ := renkei.MarshalTemplate(want); !bytes.Equal(w, r.Body) || got.QuestionCount() != 44 {
			t.Fatalf("export differs from the built-in (%d questions)", got.QuestionCount())
		}
		mustStatus(t, app.call(t, "GET", "/api/v1/templates/"+renkei.TemplateSupplyChainStar4+"?version=99", req{Token: viewer}), 404, "no such built-in version")

		// Import twice: versions 1 and 2; each exports as saved.
		file := ownTemplateFile(t, "own-check")
		for v := 1; v <= 2; v++ {
			r := app.call(t, "POST", "/api/v1/templates", req{Token: tn.Token, Body: file})
			mustStatus(t, r, 201, "import")
			var st apiTemplateT
			r.JSON(t, &st)
			if st.Slug != "own-check" || st.Version != v || st.Kind != renkei.TemplateOrg || st.Questions != 25 || st.Title.JA != "自社の点検表" {
				t.Fatalf("import %d: %+v", v, st)
			}
		}
		if n := len(auditFor(t, app, tn, "template.save")); n != 2 {
			t.Fatalf("audit entries: %d", n)
		}
		for path, version := range map[string]int{"/api/v1/templates/own-check": 2, "/api/v1/templates/own-check?version=1": 1} {
			r := app.call(t, "GET", path, req{Token: viewer})
			mustStatus(t, r, 200, path)
			var f struct {
				Format  int    `json:"format"`
				Version int    `json:"version"`
				Kind    string `json:"kind"`
			}
			r.JSON(t, &f)
			if f.Format != renkei.TemplateFormat || f.Version != version || f.Kind != renkei.TemplateOrg {
				t.Fatalf("%s: %+v", path, f)
			}
		}
		mustStatus(t, app.call(t, "GET", "/api/v1/templates/own-check?version=3", req{Token: viewer}), 404, "no version 3")
		app.refused(t, tn, "GET", "/api/v1/templates/own-check?version=first", req{Token: viewer}, 400, "invalid")

		// Errors by JSON path; nothing saved.
		var doc map[string]any
		if err := json.Unmarshal(file, &doc); err != nil {
			t.Fatal(err)
		}
		secs := doc["sections"].([]any)
		q := secs[0].(map[string]any)["questions"].([]any)[2].(map[string]any)
		q["kind"] = "essay"
		bad, _ := json.Marshal(doc)
		e := app.refused(t, tn, "POST", "/api/v1/templates", req{Token: tn.Token, Body: bad}, 400, "invalid")
		if e.Error.Fields["sections[0].questions[2].kind"] == "" {
			t.Fatalf("kind error not by path: %+v", e.Error)
		}
		q["kind"] = "yesno"
		q["txt"] = "typo"
		bad, _ = json.Marshal(doc)
		if e := app.refused(t, tn, "POST", "/api/v1/templates", req{Token: tn.Token, Body: bad}, 400, "invalid"); e.Error.Fields["sections[0].questions[2].txt"] == "" {
			t.Fatalf("unknown field not by path: %+v", e.Error)
		}
		builtin := app.call(t, "GET", "/api/v1/templates/"+renkei.TemplateSelfCheck25, req{Token: viewer}).Body
		if e := app.refused(t, tn, "POST", "/api/v1/templates", req{Token: tn.Token, Body: builtin}, 400, "invalid"); e.Error.Fields["slug"] == "" {
			t.Fatalf("built-in slug: %+v", e.Error)
		}
		app.refused(t, tn, "POST", "/api/v1/templates", req{Token: tn.Token, Body: `{"format": 1, "slug": `}, 400, "invalid")
		app.refused(t, tn, "POST", "/api/v1/templates", req{Token: tn.Token, Body: file, Header: map[string]string{"Content-Type": "text/plain"}}, 415, "")
		huge := `{"format": 1, "slug": "` + strings.Repeat("x", renkei.MaxTemplateBytes) + `"}`
		app.refused(t, tn, "POST", "/api/v1/templates", req{Token: tn.Token, Body: huge}, 413, "too_large")
		app.refused(t, tn, "POST", "/api/v1/templates", req{Token: viewer, Body: file}, 403, "forbidden")
		r = app.call(t, "GET", "/api/v1/templates/own-check", req{Token: viewer})
		if f, _ := renkei.ParseTemplate(r.Body); f == nil || f.Version != 2 {
			t.Fatalf("a refused import changed the template: %s", r.Body)
		}

		// Another organization does not see it.
		other := app.newTenant("乙社", renkei.RoleAdmin)
		mustStatus(t, app.call(t, "GET", "/api/v1/templates/own-check", req{Token: other.Token}), 404, "other org")
	})
}
