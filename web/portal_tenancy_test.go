package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/renkei/renkei"
)

// The portal's cross-company harness: every guarded /portal route that
// takes an ID is tried, on a real object of company Y (sent by organization
// B), by a partner user of another company X and by a staff member of
// another organization. Both must get 404 (or 403) and change nothing;
// Y's own partner user then gets OwnStatus on the same request, proof that
// the ID named something real.
//
// A new portal route with a path parameter must add its fixture to
// portalCrossFixtures (from its own test file, in an init function, if it
// likes): TestPortalCrossCompany fails for a route without one.

// portalVictim is company Y's side: the assessment organization B sent it
// and a browser signed in as Y's partner user.
type portalVictim struct {
	Sent   sentAssessment
	Client *http.Client
	// EvidenceRef is a question of the assessment that takes files.
	EvidenceRef string
}

// portalCase is one request aimed at Y's object.
type portalCase struct {
	Method, Path string
	Form         url.Values // a form body (with the CSRF token added)
	// File, when set, is sent as a multipart form with this file in the
	// field "file".
	File *portalUpload
	// OwnStatus is what Y's partner user gets for the same request.
	OwnStatus int
	// Unchanged asserts that Y's object is as it was.
	Unchanged func(t *testing.T)
}

// portalUpload is a file of a multipart request.
type portalUpload struct {
	Name    string
	Content []byte
}

// portalCrossFixtures builds, for each guarded portal route with a path
// parameter (METHOD + pattern), a case aimed at a real object of Y.
var portalCrossFixtures = map[string]func(t *testing.T, app *testApp, y *portalVictim) portalCase{
	"GET /portal/assessments/{id}": func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		return portalCase{Method: "GET", Path: "/portal/assessments/" + y.Sent.Assessment.ID, OwnStatus: 200,
			Unchanged: statusStays(app, y, renkei.AssessmentSent)}
	},
	"POST /portal/assessments/{id}/answers/{ref}": func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		return portalCase{Method: "POST", Path: "/portal/assessments/" + y.Sent.Assessment.ID + "/answers/gov.1", Form: url.Values{"value": {"no"}},
			OwnStatus: http.StatusSeeOther, Unchanged: answersStay(app, y, 0)}
	},
	"POST /portal/assessments/{id}/answers/{ref}/confirm": func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		yAnswer(t, app, y, "gov.1", "yes")
		return portalCase{Method: "POST", Path: "/portal/assessments/" + y.Sent.Assessment.ID + "/answers/gov.1/confirm",
			OwnStatus: http.StatusSeeOther, Unchanged: answersStay(app, y, 1)}
	},
	"GET /portal/assessments/{id}/submit": func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		return portalCase{Method: "GET", Path: "/portal/assessments/" + y.Sent.Assessment.ID + "/submit", OwnStatus: 200,
			Unchanged: statusStays(app, y, renkei.AssessmentSent)}
	},
	"POST /portal/assessments/{id}/submit": func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		return portalCase{Method: "POST", Path: "/portal/assessments/" + y.Sent.Assessment.ID + "/submit",
			OwnStatus: http.StatusUnprocessableEntity, Unchanged: statusStays(app, y, renkei.AssessmentSent)}
	},
	"POST /portal/assessments/{id}/evidence": func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		return portalCase{Method: "POST", Path: "/portal/assessments/" + y.Sent.Assessment.ID + "/evidence?question=" + y.EvidenceRef,
			File: &portalUpload{Name: "policy.txt", Content: []byte("規程\n")}, OwnStatus: http.StatusSeeOther, Unchanged: evidenceStays(app, y, 0)}
	},
	"GET /portal/assessments/{id}/evidence/{eid}": func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		id := yEvidence(t, app, y)
		return portalCase{Method: "GET", Path: "/portal/assessments/" + y.Sent.Assessment.ID + "/evidence/" + id, OwnStatus: 200,
			Unchanged: evidenceStays(app, y, 1)}
	},
	"POST /portal/assessments/{id}/evidence/{eid}/delete": func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		id := yEvidence(t, app, y)
		return portalCase{Method: "POST", Path: "/portal/assessments/" + y.Sent.Assessment.ID + "/evidence/" + id + "/delete",
			OwnStatus: http.StatusSeeOther, Unchanged: evidenceStays(app, y, 1)}
	},
	"POST /portal/assessments/{id}/handoff": func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		to := partnerEmail("colleague")
		return portalCase{Method: "POST", Path: "/portal/assessments/" + y.Sent.Assessment.ID + "/handoff",
			Form: url.Values{"section": {"gov"}, "email": {to}}, OwnStatus: http.StatusSeeOther, Unchanged: func(t *testing.T) {
				t.Helper()
				if n := countRowsWhere(t, app, "section_handoffs", "assessment_id", y.Sent.Assessment.ID); n != 0 {
					t.Fatalf("%d handoffs recorded", n)
				}
				if n := countRowsWhere(t, app, "mail_outbox", "to_addr", to); n != 0 {
					t.Fatalf("%d mails to the colleague", n)
				}
			}}
	},
}

var portalPathParam = regexp.MustCompile(`\{[a-z_]+\}`)

func TestPortalCrossCompany(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		var routes []string
		for _, rt := range app.Web.PortalRoutes() {
			if portalPathParam.MatchString(rt) {
				routes = append(routes, rt)
			}
		}
		sort.Strings(routes)
		if len(routes) < 9 {
			t.Fatalf("only %d portal routes with an ID: %v", len(routes), routes)
		}
		// X: organization A's partner company, its partner user, and A's
		// staff (another organization than Y's).
		a := app.newTenant("甲社", renkei.RoleAdmin)
		x := app.sendAssessment(t, a, "株式会社エックス", 830001, "supply-chain-star4")
		xPartner := app.partnerSession(t, x.CompanyID, partnerEmail("x"))
		xStaff := app.browser()
		login(t, app, xStaff, a.User.Email, testPassword)
		b := app.newTenant("乙社", renkei.RoleAdmin)
		for i, key := range routes {
			build, ok := portalCrossFixtures[key]
			if !ok {
				t.Errorf("portal route %s has no fixture in portalCrossFixtures", key)
				continue
			}
			t.Run(key, func(t *testing.T) {
				ys := app.sendAssessment(t, b, "株式会社ワイ", 830100+i, "supply-chain-star4")
				y := &portalVictim{Sent: ys, Client: app.partnerSession(t, ys.CompanyID, partnerEmail("y")), EvidenceRef: "gov.5"}
				c := build(t, app, y)
				for who, client := range map[string]*http.Client{"partner of X": xPartner, "staff of A": xStaff} {
					before := auditSeq(t, app)
					status := portalRequest(t, app, client, c)
					if status != http.StatusNotFound && status != http.StatusForbidden {
						t.Fatalf("%s: %s %s gave %d, want 404 or 403", who, c.Method, c.Path, status)
					}
					if auditSeq(t, app) != before {
						t.Fatalf("%s: the audit log moved", who)
					}
					c.Unchanged(t)
				}
				if got := portalRequest(t, app, y.Client, c); got != c.OwnStatus {
					t.Fatalf("Y on its own object: %d, want %d", got, c.OwnStatus)
				}
			})
		}
		for key := range portalCrossFixtures {
			found := false
			for _, r := range routes {
				found = found || r == key
			}
			if !found {
				t.Errorf("fixture for %s, which is no portal route", key)
			}
		}
		// A company is switched to only by its own partner users.
		tok := csrf(t, app, xPartner, "/portal")
		other := app.sendAssessment(t, b, "株式会社ゼット", 830099, "self-check-25")
		p := post(t, app, xPartner, "/portal/company", url.Values{"csrf_token": {tok}, "company_id": {other.CompanyID}})
		if p.Status != http.StatusNotFound {
			t.Fatalf("switch to another company: %d", p.Status)
		}
	})
}

// portalRequest sends c with client (its CSRF token taken from a page it
// may open) and returns the status.
func portalRequest(t *testing.T, app *testApp, client *http.Client, c portalCase) int {
	t.Helper()
	var body *bytes.Buffer
	contentType := ""
	if c.Method != "GET" {
		tok := csrfOf(t, app, client)
		body = &bytes.Buffer{}
		if c.File != nil {
			mw := multipart.NewWriter(body)
			_ = mw.WriteField("csrf_token", tok)
			fw, _ := mw.CreateFormFile("file", c.File.Name)
			_, _ = fw.Write(c.File.Content)
			mw.Close()
			contentType = mw.FormDataContentType()
		} else {
			form := url.Values{}
			for k, v := range c.Form {
				form[k] = v
			}
			form.Set("csrf_token", tok)
			body.WriteString(form.Encode())
			contentType = "application/x-www-form-urlencoded"
		}
	}
	var req *http.Request
	if body != nil {
		req, _ = http.NewRequest(c.Method, app.Server.URL+c.Path, body)
		req.Header.Set("Content-Type", contentType)
	} else {
		req, _ = http.NewRequest(c.Method, app.Server.URL+c.Path, nil)
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// csrfOf reads the CSRF token of client's session from a page it can open.
func csrfOf(t *testing.T, app *testApp, client *http.Client) string {
	t.Helper()
	for _, path := range []string{"/portal", "/"} {
		p := get(t, app, client, path)
		if tok, ok := p.Doc.Find(`meta[name="csrf-token"]`).Attr("content"); ok && p.Status == 200 && tok != "" {
			return tok
		}
	}
	t.Fatal("no CSRF token for the client")
	return ""
}

// yAnswer saves an answer as Y's partner user.
func yAnswer(t *testing.T, app *testApp, y *portalVictim, ref, value string) {
	t.Helper()
	if st := portalRequest(t, app, y.Client, portalCase{Method: "POST", Path: "/portal/assessments/" + y.Sent.Assessment.ID + "/answers/" + ref,
		Form: url.Values{"value": {value}}}); st != http.StatusSeeOther {
		t.Fatalf("Y answers %s: %d", ref, st)
	}
}

// yEvidence attaches a file as Y's partner user and returns its ID.
func yEvidence(t *testing.T, app *testApp, y *portalVictim) string {
	t.Helper()
	if st := portalRequest(t, app, y.Client, portalCase{Method: "POST", Path: "/portal/assessments/" + y.Sent.Assessment.ID + "/evidence?question=" + y.EvidenceRef,
		File: &portalUpload{Name: "規程.txt", Content: []byte("情報セキュリティ規程\n")}}); st != http.StatusSeeOther {
		t.Fatalf("Y attaches a file: %d", st)
	}
	ev, err := app.DB.ListEvidence(staffCtx(y.Sent.Tenant), y.Sent.Tenant.Org.ID, y.Sent.Assessment.ID)
	if err != nil || len(ev) != 1 {
		t.Fatalf("Y's evidence: %d %v", len(ev), err)
	}
	return ev[0].ID
}

func statusStays(app *testApp, y *portalVictim, want string) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		if st := assessmentStatus(t, app, y.Sent); st != want {
			t.Fatalf("Y's assessment is %s, want %s", st, want)
		}
	}
}

func answersStay(app *testApp, y *portalVictim, n int) func(t *testing.T) {
	var before map[string]renkei.AnswerRecord
	return func(t *testing.T) {
		t.Helper()
		got := portalStoredAnswers(t, app, y.Sent)
		if len(got) != n {
			t.Fatalf("Y has %d answers, want %d", len(got), n)
		}
		if before == nil {
			before = got
		}
		for ref, r := range got {
			if !r.UpdatedAt.Equal(before[ref].UpdatedAt) || r.Value != before[ref].Value {
				t.Fatalf("Y's answer %s changed", ref)
			}
		}
	}
}

func evidenceStays(app *testApp, y *portalVictim, n int) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		if got := countRowsWhere(t, app, "assessment_evidence", "assessment_id", y.Sent.Assessment.ID); got != n {
			t.Fatalf("Y has %d evidence files, want %d", got, n)
		}
		if n > 0 && !strings.Contains(strings.Join(app.dataFiles(t), "\n"), y.Sent.Assessment.ID) {
			t.Fatal("Y's evidence file is gone from the file store")
		}
	}
}
