package web_test

import (
	"bytes"
	"context"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
	"github.com/renkei/renkei/web"
)

// crossTenantCase is one ID-taking route aimed at tenant A's object.
type crossTenantCase struct {
	Path   string            // the concrete path, A's object's ID filled in
	Body   any               // request body, if the route takes one
	Header map[string]string // request headers (Content-Type of a file body)
	// Unchanged asserts that A's object is as it was.
	Unchanged func(t *testing.T)
	// OwnStatus is what A itself gets for the same request: proof that
	// the ID names a real object, so that B's 404 means something.
	OwnStatus int
}

// crossTenantFixtures builds, for each ID-taking route (METHOD + pattern),
// a real object of the right kind in tenant a. Every route with a path
// parameter must have one: TestCrossTenant fails for a route without, so
// each new route joins this harness.
var crossTenantFixtures = map[string]func(t *testing.T, app *testApp, a *tenant) crossTenantCase{
	"GET /api/v1/users/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		u := app.addUser(a, renkei.RoleSecurity)
		return crossTenantCase{Path: "/api/v1/users/" + u.ID, OwnStatus: 200, Unchanged: memberUnchanged(app, a, u, renkei.RoleSecurity)}
	},
	"PATCH /api/v1/users/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		u := app.addUser(a, renkei.RoleSecurity)
		return crossTenantCase{Path: "/api/v1/users/" + u.ID, Body: map[string]string{"role": "viewer"}, OwnStatus: 200,
			Unchanged: memberUnchanged(app, a, u, renkei.RoleSecurity)}
	},
	"DELETE /api/v1/users/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		u := app.addUser(a, renkei.RoleLegal)
		return crossTenantCase{Path: "/api/v1/users/" + u.ID, OwnStatus: 204, Unchanged: memberUnchanged(app, a, u, renkei.RoleLegal)}
	},
	"DELETE /api/v1/invitations/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		r := app.call(t, "POST", "/api/v1/invitations", req{Token: a.Token, Body: map[string]string{"email": "guest-" + sqlstore.NewID()[30:] + "@example.jp", "role": "viewer"}})
		mustStatus(t, r, 201, "fixture invitation")
		var inv invitation
		r.JSON(t, &inv)
		return crossTenantCase{Path: "/api/v1/invitations/" + inv.ID, OwnStatus: 204, Unchanged: func(t *testing.T) {
			t.Helper()
			for _, it := range listAll(t, app, a.Token, "/api/v1/invitations", 200, invitationID) {
				if it.ID == inv.ID {
					return
				}
			}
			t.Fatalf("A's invitation %s is gone", inv.ID)
		}}
	},
	"DELETE /api/v1/tokens/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		r := app.call(t, "POST", "/api/v1/tokens", req{Token: a.Token, Body: map[string]string{"name": "fixture"}})
		mustStatus(t, r, 201, "fixture token")
		var c struct {
			Token  apiToken `json:"token"`
			Secret string   `json:"secret"`
		}
		r.JSON(t, &c)
		return crossTenantCase{Path: "/api/v1/tokens/" + c.Token.ID, OwnStatus: 204, Unchanged: func(t *testing.T) {
			t.Helper()
			mustStatus(t, app.call(t, "GET", "/api/v1/me", req{Token: c.Secret}), 200, "A's token still works")
			tk, err := app.DB.TokenByID(context.Background(), a.Org.ID, c.Token.ID)
			if err != nil || tk.RevokedAt != nil {
				t.Fatalf("A's token: %+v, %v", tk, err)
			}
		}}
	},

	// Partners. Each fixture is a fresh partner of A's (with an agreement
	// where the route needs one); Unchanged reads it back from the store.
	"GET /api/v1/partners/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID, OwnStatus: 200, Unchanged: partnerUnchanged(app, a, p)}
	},
	"PATCH /api/v1/partners/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID, OwnStatus: 200, Unchanged: partnerUnchanged(app, a, p),
			Body: map[string]any{"notes": "乗っ取り", "profile": map[string]any{"reaches_internal_network": true}, "company": map[string]any{"name": "乗っ取り株式会社"}}}
	},
	"POST /api/v1/partners/{id}/archive": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/archive", OwnStatus: 200, Unchanged: partnerUnchanged(app, a, p)}
	},
	"POST /api/v1/partners/{id}/unarchive": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		mustStatus(t, app.call(t, "POST", "/api/v1/partners/"+p.ID+"/archive", req{Token: a.Token}), 200, "fixture archive")
		p.partner, p.agreements, p.support = partnerState(t, app, a, p.ID)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/unarchive", OwnStatus: 200, Unchanged: partnerUnchanged(app, a, p)}
	},
	"GET /api/v1/partners/{id}/risk_history": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/risk_history", OwnStatus: 200, Unchanged: partnerUnchanged(app, a, p)}
	},
	"GET /api/v1/partners/{id}/duplicates": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/duplicates", OwnStatus: 200, Unchanged: partnerUnchanged(app, a, p)}
	},
	"GET /api/v1/partners/{id}/agreements": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/agreements", OwnStatus: 200, Unchanged: partnerUnchanged(app, a, p)}
	},
	"POST /api/v1/partners/{id}/agreements": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/agreements", OwnStatus: 201, Unchanged: partnerUnchanged(app, a, p),
			Body: map[string]any{"requirement_code": "confidentiality", "contract": "乗っ取り契約"}}
	},
	"PATCH /api/v1/partners/{id}/agreements/{agreement_id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/agreements/" + p.agreementID, OwnStatus: 200, Unchanged: partnerUnchanged(app, a, p),
			Body: map[string]any{"contract": "乗っ取り契約", "valid_until": nil}}
	},
	"DELETE /api/v1/partners/{id}/agreements/{agreement_id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/agreements/" + p.agreementID, OwnStatus: 204, Unchanged: partnerUnchanged(app, a, p)}
	},
	"PUT /api/v1/partners/{id}/agreements/{agreement_id}/document": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p, doc := apiTenancyDocument(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/agreements/" + p.agreementID + "/document?filename=" + url.QueryEscape("乗っ取り.pdf"),
			Body: []byte("%PDF-1.7\n乗っ取り"), Header: map[string]string{"Content-Type": "application/pdf"}, OwnStatus: 200,
			Unchanged: documentUnchanged(app, a, p, doc)}
	},
	"GET /api/v1/partners/{id}/agreements/{agreement_id}/document": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p, doc := apiTenancyDocument(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/agreements/" + p.agreementID + "/document", OwnStatus: 200,
			Unchanged: documentUnchanged(app, a, p, doc)}
	},
	"DELETE /api/v1/partners/{id}/agreements/{agreement_id}/document": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p, doc := apiTenancyDocument(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/agreements/" + p.agreementID + "/document", OwnStatus: 204,
			Unchanged: documentUnchanged(app, a, p, doc)}
	},
	"GET /api/v1/partners/{id}/support": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/support", OwnStatus: 200, Unchanged: partnerUnchanged(app, a, p)}
	},
	"POST /api/v1/partners/{id}/support": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/support", OwnStatus: 201, Unchanged: partnerUnchanged(app, a, p),
			Body: map[string]any{"kind": "cost_sharing", "date": "2026-04-01", "amount_yen": 1}}
	},
	"GET /api/v1/assessments/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		c := apiTenancyCampaign(t, app, a)
		as := listAll(t, app, a.Token, "/api/v1/assessments?campaign_id="+c.ID, 200, apiAssessmentID)
		if len(as) != 1 {
			t.Fatalf("fixture assessments: %+v", as)
		}
		return crossTenantCase{Path: "/api/v1/assessments/" + as[0].ID, OwnStatus: 200, Unchanged: campaignUnchanged(app, a, c)}
	},
	"PUT /api/v1/assessments/{id}/answers": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		id := apiTenancyAssessment(t, app, a, false)
		return crossTenantCase{Path: "/api/v1/assessments/" + id + "/answers", Body: map[string]any{"answers": []map[string]any{{"question": "1", "value": "yes"}}},
			OwnStatus: 200, Unchanged: assessmentUnchanged(app, a, id, renkei.AssessmentSent, 0)}
	},
	"POST /api/v1/assessments/{id}/submit": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		id := apiTenancyAssessment(t, app, a, true)
		return crossTenantCase{Path: "/api/v1/assessments/" + id + "/submit", OwnStatus: 200, Unchanged: assessmentUnchanged(app, a, id, renkei.AssessmentInProgress, 25)}
	},
	"GET /api/v1/campaigns/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		c := apiTenancyCampaign(t, app, a)
		return crossTenantCase{Path: "/api/v1/campaigns/" + c.ID, OwnStatus: 200, Unchanged: campaignUnchanged(app, a, c)}
	},
	// Templates, the XLSX round trip and sharing (api_templates.go,
	// api_assessment_xlsx.go, api_shares.go).
	"GET /api/v1/templates/{slug}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		slug := "own-" + sqlstore.NewID()[30:]
		mustStatus(t, app.call(t, "POST", "/api/v1/templates", req{Token: a.Token, Body: ownTemplateFile(t, slug)}), 201, "fixture template")
		return crossTenantCase{Path: "/api/v1/templates/" + slug, OwnStatus: 200, Unchanged: func(t *testing.T) {
			t.Helper()
			if st, err := app.DB.OrgTemplate(storetest.System(), a.Org.ID, slug, 0); err != nil || st.Version != 1 {
				t.Fatalf("A's template: %+v, %v", st, err)
			}
		}}
	},
	"GET /api/v1/assessments/{id}/xlsx": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		id := apiTenancyAssessment(t, app, a, true)
		return crossTenantCase{Path: "/api/v1/assessments/" + id + "/xlsx", OwnStatus: 200, Unchanged: assessmentUnchanged(app, a, id, renkei.AssessmentInProgress, 25)}
	},
	"PUT /api/v1/assessments/{id}/xlsx": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		id := apiTenancyAssessment(t, app, a, false)
		file := app.call(t, "GET", "/api/v1/assessments/"+id+"/xlsx", req{Token: a.Token}).Body
		return crossTenantCase{Path: "/api/v1/assessments/" + id + "/xlsx", Body: fillXLSX(t, file, map[string]string{"1": "いいえ"}),
			Header: map[string]string{"Content-Type": xlsxType}, OwnStatus: 200, Unchanged: assessmentUnchanged(app, a, id, renkei.AssessmentSent, 0)}
	},
	"POST /api/v1/partners/{id}/share_requests": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		p := apiTenancyPartner(t, app, a)
		return crossTenantCase{Path: "/api/v1/partners/" + p.ID + "/share_requests", Body: map[string]any{"message": "乗っ取り"}, OwnStatus: 201,
			Unchanged: partnerUnchanged(app, a, p)}
	},
	"GET /api/v1/shared_assessments/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		sc := newSharedCompany(t, app, app.newTenant("丁社 "+sqlstore.NewID()[30:], renkei.RoleAdmin), a)
		sc.grant(t, app, aYearAhead())
		return crossTenantCase{Path: "/api/v1/shared_assessments/" + sc.requestID, OwnStatus: 200, Unchanged: func(t *testing.T) {
			t.Helper()
			mustStatus(t, app.call(t, "GET", "/api/v1/shared_assessments/"+sc.requestID, req{Token: a.Token}), 200, "A's shared copy")
		}}
	},
	// Review, findings, remediation and support programs (api_review.go,
	// api_remediations.go, api_support_programs.go; helpers in
	// review_api_test.go).
	"GET /api/v1/assessments/{id}/answers": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		id := apiTenancyAssessment(t, app, a, true)
		return crossTenantCase{Path: "/api/v1/assessments/" + id + "/answers", OwnStatus: 200, Unchanged: assessmentUnchanged(app, a, id, renkei.AssessmentInProgress, 25)}
	},
	"POST /api/v1/assessments/{id}/review": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		as, _ := apiSubmittedWithRemediation(t, app, a, "")
		return crossTenantCase{Path: "/api/v1/assessments/" + as.ID + "/review", OwnStatus: 200, Unchanged: reviewUnchanged(app, a, as.ID),
			Body: map[string]any{"reviews": []map[string]any{{"question": "1", "status": "returned", "comment": "乗っ取り", "internal_note": "乗っ取り"}}}}
	},
	"GET /api/v1/assessments/{id}/findings": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		as, _ := apiSubmittedWithRemediation(t, app, a, "")
		return crossTenantCase{Path: "/api/v1/assessments/" + as.ID + "/findings", OwnStatus: 200, Unchanged: reviewUnchanged(app, a, as.ID)}
	},
	"GET /api/v1/remediations/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		_, m := apiSubmittedWithRemediation(t, app, a, "")
		return crossTenantCase{Path: "/api/v1/remediations/" + m.ID, OwnStatus: 200, Unchanged: remediationUnchanged(app, a, m.ID)}
	},
	"PATCH /api/v1/remediations/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		_, m := apiSubmittedWithRemediation(t, app, a, "")
		return crossTenantCase{Path: "/api/v1/remediations/" + m.ID, OwnStatus: 200, Unchanged: remediationUnchanged(app, a, m.ID),
			Body: map[string]any{"status": "done", "owner": "乗っ取り", "closure_evidence": "乗っ取り"}}
	},
	"PUT /api/v1/remediations/{id}/evidence": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		_, m := apiSubmittedWithRemediation(t, app, a, "")
		return crossTenantCase{Path: "/api/v1/remediations/" + m.ID + "/evidence?filename=" + url.QueryEscape("乗っ取り.pdf"), OwnStatus: 200,
			Body: []byte("%PDF-1.7\n乗っ取り"), Header: map[string]string{"Content-Type": "application/pdf"}, Unchanged: remediationUnchanged(app, a, m.ID)}
	},
	"GET /api/v1/remediations/{id}/evidence": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		m := apiRemediationWithEvidence(t, app, a)
		return crossTenantCase{Path: "/api/v1/remediations/" + m.ID + "/evidence", OwnStatus: 200, Unchanged: remediationUnchanged(app, a, m.ID)}
	},
	"PATCH /api/v1/support_programs/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		sp := apiTenancySupportProgram(t, app, a)
		return crossTenantCase{Path: "/api/v1/support_programs/" + sp.ID, OwnStatus: 200, Unchanged: supportProgramUnchanged(app, a, sp),
			Body: map[string]any{"name": map[string]any{"ja": "乗っ取り"}, "max_employees": 1}}
	},
	"DELETE /api/v1/support_programs/{id}": func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		sp := apiTenancySupportProgram(t, app, a)
		return crossTenantCase{Path: "/api/v1/support_programs/" + sp.ID, OwnStatus: 204, Unchanged: supportProgramUnchanged(app, a, sp)}
	},
}

// tenancyPartner is a partner of A's made for a cross-tenant fixture,
// with one agreement and one support record, as stored.
type tenancyPartner struct {
	ID, agreementID string
	partner         *renkei.Partner
	agreements      []renkei.Agreement
	support         []renkei.SupportRecord
}

func apiTenancyPartner(t *testing.T, app *testApp, a *tenant) *tenancyPartner {
	t.Helper()
	p := apiNewPartner(t, app, a.Token, map[string]any{"type": "supplier", "external_id": "T-" + sqlstore.NewID()[24:],
		"company": map[string]any{"name": "甲の取引先株式会社", "employees": 40}, "notes": "元のメモ",
		"contacts": map[string]any{"incident": map[string]any{"email": "soc@example.jp"}, "incident_procedure": "電話で1時間以内"}})
	r := app.call(t, "POST", "/api/v1/partners/"+p.ID+"/agreements", req{Token: a.Token, Body: map[string]any{
		"requirement_code": "incident_handling", "contract": "基本契約", "valid_from": "2025-04-01", "valid_until": "2028-03-31"}})
	mustStatus(t, r, 201, "fixture agreement")
	var ag apiAgreementT
	r.JSON(t, &ag)
	mustStatus(t, app.call(t, "POST", "/api/v1/partners/"+p.ID+"/support", req{Token: a.Token, Body: map[string]any{
		"kind": "education", "date": "2026-01-15", "description": "研修"}}), 201, "fixture support")
	tp := &tenancyPartner{ID: p.ID, agreementID: ag.ID}
	tp.partner, tp.agreements, tp.support = partnerState(t, app, a, p.ID)
	return tp
}

// apiTenancyDocument is apiTenancyPartner with a signed document attached
// to its agreement; it returns the document's bytes.
func apiTenancyDocument(t *testing.T, app *testApp, a *tenant) (*tenancyPartner, []byte) {
	t.Helper()
	tp := apiTenancyPartner(t, app, a)
	doc := []byte("%PDF-1.7\n甲社の秘密保持契約書\n%%EOF\n")
	mustStatus(t, app.call(t, "PUT", "/api/v1/partners/"+tp.ID+"/agreements/"+tp.agreementID+"/document?filename="+url.QueryEscape("秘密保持契約書.pdf"),
		req{Token: a.Token, Body: doc, Header: map[string]string{"Content-Type": "application/pdf"}}), 200, "fixture document")
	tp.partner, tp.agreements, tp.support = partnerState(t, app, a, tp.ID)
	if !tp.agreements[0].HasDocument() {
		t.Fatal("fixture document not recorded")
	}
	return tp, doc
}

// documentUnchanged is partnerUnchanged, and A's document still
// downloads as it was.
func documentUnchanged(app *testApp, a *tenant, tp *tenancyPartner, doc []byte) func(t *testing.T) {
	same := partnerUnchanged(app, a, tp)
	return func(t *testing.T) {
		t.Helper()
		same(t)
		r := app.call(t, "GET", "/api/v1/partners/"+tp.ID+"/agreements/"+tp.agreementID+"/document", req{Token: a.Token})
		if r.Status != 200 || !bytes.Equal(r.Body, doc) {
			t.Fatalf("A's document: %d, %d bytes (want %d)", r.Status, len(r.Body), len(doc))
		}
	}
}

// apiTenancyCampaign makes one of A's campaigns, to one new partner.
func apiTenancyCampaign(t *testing.T, app *testApp, a *tenant) apiCampaignT {
	t.Helper()
	p := apiNewPartner(t, app, a.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社調査先 " + sqlstore.NewID()[30:]}})
	r := app.call(t, "POST", "/api/v1/campaigns", req{Token: a.Token, Body: map[string]any{"template": "self-check-25", "partner_ids": []string{p.ID}, "due_date": "2099-12-31"}})
	mustStatus(t, r, 201, "fixture campaign")
	var c apiCampaignT
	r.JSON(t, &c)
	return c
}

// apiTenancyAssessment makes one of A's assessments (self-check-25),
// with every question answered when answered is set.
func apiTenancyAssessment(t *testing.T, app *testApp, a *tenant, answered bool) string {
	t.Helper()
	c := apiTenancyCampaign(t, app, a)
	as := listAll(t, app, a.Token, "/api/v1/assessments?campaign_id="+c.ID, 200, apiAssessmentID)
	if len(as) != 1 {
		t.Fatalf("fixture assessments: %+v", as)
	}
	if answered {
		mustStatus(t, app.call(t, "PUT", "/api/v1/assessments/"+as[0].ID+"/answers", req{Token: a.Token, Body: map[string]any{"answers": selfCheckAnswers(25, "yes")}}), 200, "fixture answers")
	}
	return as[0].ID
}

// assessmentUnchanged asserts A's assessment still has status and that
// many answers, and no score.
func assessmentUnchanged(app *testApp, a *tenant, id, status string, answered int) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		var got apiAssessmentT
		app.call(t, "GET", "/api/v1/assessments/"+id, req{Token: a.Token}).JSON(t, &got)
		if got.Status != status || got.Score != nil || got.Progress == nil || got.Progress.Answered != answered {
			t.Fatalf("A's assessment changed: %+v", got)
		}
	}
}

// campaignUnchanged asserts A's campaign is still there with its one
// assessment.
func campaignUnchanged(app *testApp, a *tenant, c apiCampaignT) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		var got apiCampaignT
		app.call(t, "GET", "/api/v1/campaigns/"+c.ID, req{Token: a.Token}).JSON(t, &got)
		if got.ID != c.ID || got.Template != c.Template || got.Progress.Total != 1 {
			t.Fatalf("A's campaign changed: before %+v, after %+v", c, got)
		}
	}
}

// partnerState reads a partner, its agreements and support records from
// the store.
func partnerState(t *testing.T, app *testApp, a *tenant, id string) (*renkei.Partner, []renkei.Agreement, []renkei.SupportRecord) {
	t.Helper()
	ctx := context.Background()
	p, err := app.DB.Partner(ctx, a.Org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	as, err := app.DB.Agreements(ctx, a.Org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	ss, err := app.DB.SupportRecords(ctx, a.Org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return p, as, ss
}

// partnerUnchanged asserts that A's partner, its agreements and support
// records are as they were when the fixture was made.
func partnerUnchanged(app *testApp, a *tenant, tp *tenancyPartner) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		p, as, ss := partnerState(t, app, a, tp.ID)
		if !reflect.DeepEqual(p, tp.partner) {
			t.Fatalf("A's partner changed:\nbefore %+v\nafter  %+v", tp.partner, p)
		}
		if !reflect.DeepEqual(as, tp.agreements) || len(as) != 1 {
			t.Fatalf("A's agreements changed:\nbefore %+v\nafter  %+v", tp.agreements, as)
		}
		if !reflect.DeepEqual(ss, tp.support) || len(ss) != 1 {
			t.Fatalf("A's support records changed:\nbefore %+v\nafter  %+v", tp.support, ss)
		}
	}
}

// nonListGETs are the parameterless GET routes that answer one object,
// not a list: TestCrossTenantLists and TestBadPaging leave them out.
var nonListGETs = map[string]bool{
	"/api/v1/me": true, "/api/v1/openapi.json": true, "/api/v1/organization": true,
	"/api/v1/partners/export": true, "/api/v1/partners/coverage": true, "/api/v1/risk_policy": true,
}

// listFixtures add, for TestCrossTenantLists, items to the lists of a
// capability in one tenant (given one of its partners). A file of routes
// appends its own in init, beside its crossTenantFixtures.
var listFixtures []func(t *testing.T, app *testApp, tn *tenant, partnerID string)

// globalIDRoutes are ID routes whose ID names an object every organization
// shares (an advisory): another tenant gets its own answer, not 404. Each
// names the test that checks the answer holds none of the first tenant's
// objects.
var globalIDRoutes = map[string]string{}

// sharedLists are lists every organization sees in part (the built-in
// templates), with no IDs: TestCrossTenantLists leaves them out, and
// TestAPITemplates checks that an organization's own templates stay its own.
var sharedLists = map[string]bool{"/api/v1/templates": true}

// memberUnchanged asserts u is still A's member with role, and can still
// use A.
func memberUnchanged(app *testApp, a *tenant, u *renkei.User, role renkei.Role) func(t *testing.T) {
	tok := app.tokenFor(a, u)
	return func(t *testing.T) {
		t.Helper()
		m, err := app.DB.Member(context.Background(), a.Org.ID, u.ID)
		if err != nil || m.Role != role {
			t.Fatalf("A's member %s: %+v, %v (want role %s)", u.Email, m, err, role)
		}
		mustStatus(t, app.call(t, "GET", "/api/v1/me", req{Token: tok}), 200, "A's member's token still works")
	}
}

var pathParam = regexp.MustCompile(`\{[^/}]+\}`)

// TestCrossTenant aims every ID-taking route of tenant B at tenant A's
// objects. B is an admin, so nothing but tenancy stands in the way. Each
// must be 404 exactly as for an ID that exists nowhere, and must leave A's
// object as it was; then A itself succeeds with the same request.
func TestCrossTenant(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲社", renkei.RoleAdmin)
		b := app.newTenant("乙社", renkei.RoleAdmin)
		var routes []string
		for _, rt := range web.APIRoutes(app.Web) {
			if pathParam.MatchString(rt[1]) {
				routes = append(routes, rt[0]+" "+rt[1])
			}
		}
		sort.Strings(routes)
		if len(routes) < 5 {
			t.Fatalf("only %d ID-taking routes found: %v", len(routes), routes)
		}
		for _, key := range routes {
			if test, ok := globalIDRoutes[key]; ok {
				t.Logf("%s names a global object: %s checks what another tenant sees", key, test)
				continue
			}
			fixture, ok := crossTenantFixtures[key]
			if !ok {
				t.Errorf("route %s takes an ID but has no cross-tenant fixture in tenancy_test.go", key)
				continue
			}
			method, pattern, _ := strings.Cut(key, " ")
			t.Run(method+pattern, func(t *testing.T) {
				c := fixture(t, app, a)
				before := auditSeq(t, app)
				r := app.call(t, method, c.Path, req{Token: b.Token, Body: c.Body, Header: c.Header})
				if r.Status != 404 || r.Err(t).Error.Code != "not_found" {
					t.Fatalf("B on A's object: %d %s", r.Status, r.Body)
				}
				if auditSeq(t, app) != before {
					t.Fatal("B's request on A's object changed something")
				}
				c.Unchanged(t)
				// Indistinguishable from an ID that names nothing.
				nowhere := pathParam.ReplaceAllString(pattern, sqlstore.NewID())
				r2 := app.call(t, method, nowhere, req{Token: b.Token, Body: c.Body, Header: c.Header})
				if r2.Status != r.Status || !bytes.Equal(r2.Body, r.Body) {
					t.Fatalf("A's object answers %d %s, a missing one %d %s", r.Status, r.Body, r2.Status, r2.Body)
				}
				// The fixture is real: A reaches it.
				mustStatus(t, app.call(t, method, c.Path, req{Token: a.Token, Body: c.Body, Header: c.Header}), c.OwnStatus, "A on its own object")
			})
		}
		for key := range crossTenantFixtures {
			if !contains(routes, key) {
				t.Errorf("fixture for %s, which is not a route", key)
			}
		}
	})
}

// TestCrossTenantLists: no list of B's shows any of A's items, and A's
// lists are not empty (so the check can fail). Every parameterless GET
// route but a few singletons is a list and is checked.
func TestCrossTenantLists(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲社", renkei.RoleAdmin)
		b := app.newTenant("乙社", renkei.RoleAdmin)
		app.addUser(a, renkei.RoleViewer)
		for _, tn := range []*tenant{a, b} {
			mustStatus(t, app.call(t, "POST", "/api/v1/invitations", req{Token: tn.Token, Body: map[string]string{"email": "i-" + tn.Org.Slug + "@example.jp", "role": "viewer"}}), 201, "invite")
			mustStatus(t, app.call(t, "POST", "/api/v1/tokens", req{Token: tn.Token, Body: `{"name":"list"}`}), 201, "token")
			mustStatus(t, app.call(t, "PATCH", "/api/v1/organization", req{Token: tn.Token, Body: map[string]string{"name": tn.Org.Name + "（改）"}}), 200, "rename")
		}
		// A user in both organizations is each one's member, and is the
		// one item the two member lists may share.
		shared := app.addUser(a, renkei.RoleSecurity)
		if err := app.DB.AddMember(storetest.System(), &renkei.Membership{OrgID: b.Org.ID, UserID: shared.ID, Role: renkei.RoleViewer}); err != nil {
			t.Fatal(err)
		}
		// Partners, agreements about to expire (and requirement kinds,
		// seeded) in both organizations.
		for _, tn := range []*tenant{a, b} {
			p := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "共有株式会社 " + tn.Org.Slug}})
			mustStatus(t, app.call(t, "POST", "/api/v1/partners/"+p.ID+"/agreements", req{Token: tn.Token, Body: map[string]any{
				"requirement_code": "confidentiality", "valid_until": time.Now().AddDate(0, 0, 30).Format("2006-01-02")}}), 201, "expiring agreement")
			mustStatus(t, app.call(t, "POST", "/api/v1/partners/"+p.ID+"/support", req{Token: tn.Token, Body: map[string]any{
				"kind": "education", "date": "2026-04-01"}}), 201, "support")
			mustStatus(t, app.call(t, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: map[string]any{
				"template": "self-check-25", "partner_ids": []string{p.ID}, "due_date": "2099-12-31"}}), 201, "campaign")
			apiSubmittedWithRemediation(t, app, tn, p.ID)
			for _, add := range listFixtures {
				add(t, app, tn, p.ID)
			}
		}
		// A share granted to each, by a company both have as a partner.
		newSharedCompany(t, app, b, a).grant(t, app, aYearAhead())
		newSharedCompany(t, app, a, b).grant(t, app, aYearAhead())
		singletons := nonListGETs
		type item = map[string]any
		ids := func(tn *tenant, path string) map[string]bool {
			out := map[string]bool{}
			for _, it := range listAll(t, app, tn.Token, path, 200, func(it item) string { s, _ := it["id"].(string); return s }) {
				out[it["id"].(string)] = true
			}
			return out
		}
		n := 0
		for _, rt := range web.APIRoutes(app.Web) {
			if rt[0] != "GET" || pathParam.MatchString(rt[1]) || singletons[rt[1]] || sharedLists[rt[1]] {
				continue
			}
			n++
			aIDs, bIDs := ids(a, rt[1]), ids(b, rt[1])
			if len(aIDs) == 0 || len(bIDs) == 0 {
				t.Errorf("%s: A has %d items, B %d: the fixtures do not exercise this list", rt[1], len(aIDs), len(bIDs))
			}
			for id := range bIDs {
				if aIDs[id] && id != shared.ID {
					t.Errorf("%s: B's list shows A's item %s", rt[1], id)
				}
			}
		}
		if n < 4 {
			t.Fatalf("only %d list routes checked", n)
		}
		// The singletons are each tenant's own.
		for _, tn := range []*tenant{a, b} {
			var o organization
			app.call(t, "GET", "/api/v1/organization", req{Token: tn.Token}).JSON(t, &o)
			if o.ID != tn.Org.ID {
				t.Fatalf("organization of %s = %+v", tn.Org.Slug, o)
			}
			other := a
			if tn == a {
				other = b
			}
			// The export holds the tenant's partner and not the other's;
			// the coverage counts only the tenant's.
			r := app.call(t, "GET", "/api/v1/partners/export?lang=en", req{Token: tn.Token})
			mustStatus(t, r, 200, "export")
			if !strings.Contains(string(r.Body), "共有株式会社 "+tn.Org.Slug) || strings.Contains(string(r.Body), "共有株式会社 "+other.Org.Slug) {
				t.Fatalf("export of %s: %s", tn.Org.Slug, r.Body)
			}
			var cov struct {
				Cells []struct {
					PartnerType string `json:"partner_type"`
					Requirement string `json:"requirement_code"`
					Partners    int    `json:"partners"`
					Covered     int    `json:"covered"`
				} `json:"cells"`
			}
			app.call(t, "GET", "/api/v1/partners/coverage", req{Token: tn.Token}).JSON(t, &cov)
			for _, c := range cov.Cells {
				if c.PartnerType == "supplier" && (c.Partners != 1 || c.Requirement == "confidentiality" && c.Covered != 1) {
					t.Fatalf("coverage of %s: %+v", tn.Org.Slug, c)
				}
			}
			if len(cov.Cells) == 0 {
				t.Fatal("no coverage cells")
			}
		}
		// A's risk policy is A's alone.
		mustStatus(t, app.call(t, "PUT", "/api/v1/risk_policy", req{Token: a.Token, Body: `{"high_at": 80, "medium_at": 40}`}), 200, "A's policy")
		var rp struct {
			HighAt int `json:"high_at"`
		}
		if app.call(t, "GET", "/api/v1/risk_policy", req{Token: b.Token}).JSON(t, &rp); rp.HighAt != 60 {
			t.Fatalf("B's policy after A's change: %+v", rp)
		}
		// The shared user's role in B changes only in B.
		mustStatus(t, app.call(t, "PATCH", "/api/v1/users/"+shared.ID, req{Token: b.Token, Body: `{"role":"admin"}`}), 200, "B promotes shared user")
		if m, _ := app.DB.Member(context.Background(), a.Org.ID, shared.ID); m.Role != renkei.RoleSecurity {
			t.Fatalf("shared user's role in A became %s", m.Role)
		}
		mustStatus(t, app.call(t, "DELETE", "/api/v1/users/"+shared.ID, req{Token: b.Token}), 204, "B removes shared user")
		if _, err := app.DB.Member(context.Background(), a.Org.ID, shared.ID); err != nil {
			t.Fatalf("shared user left A too: %v", err)
		}
	})
}
