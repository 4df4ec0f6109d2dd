package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/renkei/renkei"
)

// The partner's side of sharing and of the Excel round trip, through the
// portal's pages, as a partner user's browser would.

func TestPortalSharesGrantDeclineRevoke(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲工業株式会社", renkei.RoleAdmin)
		b := app.newTenant("乙商事株式会社", renkei.RoleAdmin)
		sa := app.sendAssessment(t, a, "X製作所", 7301, "self-check-25")
		mustStatus(t, app.call(t, "PUT", "/api/v1/assessments/"+sa.Assessment.ID+"/answers", req{Token: a.Token, Body: map[string]any{"answers": selfCheckAnswers(25, "yes")}}), 200, "answers")
		mustStatus(t, app.call(t, "POST", "/api/v1/assessments/"+sa.Assessment.ID+"/submit", req{Token: a.Token}), 200, "submit")
		// A second assessment, not submitted: not offered.
		var c2 apiCampaignT
		r := app.call(t, "POST", "/api/v1/campaigns", req{Token: a.Token, Body: map[string]any{"template": "supply-chain-star3", "partner_ids": []string{sa.PartnerID}, "due_date": "2099-06-30"}})
		mustStatus(t, r, 201, "second campaign")
		r.JSON(t, &c2)
		draft := listAll(t, app, a.Token, "/api/v1/assessments?campaign_id="+c2.ID, 200, apiAssessmentID)[0]
		pb := apiNewPartner(t, app, b.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "X製作所", "corporate_number": corpNum(7301)}})
		ask := func() string {
			r := app.call(t, "POST", "/api/v1/partners/"+pb.ID+"/share_requests", req{Token: b.Token, Body: map[string]any{"message": "取引開始にあたり、自己診断の結果をご共有ください。"}})
			mustStatus(t, r, 201, "request")
			var s apiShareT
			r.JSON(t, &s)
			return s.ID
		}
		first, second := ask(), ask()

		x := app.partnerSession(t, sa.CompanyID, partnerEmail("x"))
		p := get(t, app, x, "/portal/shares")
		checkPartnerPage(t, "/portal/shares", p)
		if p.Status != 200 || !strings.Contains(text(p), b.Org.Name) || !strings.Contains(text(p), "自己診断の結果をご共有ください") {
			t.Fatalf("/portal/shares: %d\n%s", p.Status, text(p))
		}
		options := p.Doc.Find("#share-" + first + ` select[name="assessment_id"] option`)
		if options.Length() != 1 || options.AttrOr("value", "") != sa.Assessment.ID || strings.Contains(p.Body, `value="`+draft.ID+`"`) {
			t.Fatalf("offered assessments: %d %q", options.Length(), options.AttrOr("value", ""))
		}
		tok := csrf(t, app, x, "/portal/shares")

		// A past date is refused next to its request; nothing is shared.
		p = post(t, app, x, "/portal/shares/"+first+"/grant", url.Values{"csrf_token": {tok}, "assessment_id": {sa.Assessment.ID}, "expires_on": {"2020-01-01"}})
		if p.Status != 400 || p.Doc.Find("#share-"+first+" .error-summary").Length() != 1 {
			t.Fatalf("past expiry: %d\n%s", p.Status, text(p))
		}
		p = post(t, app, x, "/portal/shares/"+first+"/grant", url.Values{"csrf_token": {tok}, "assessment_id": {"\x00' OR 1=1"}, "expires_on": {aYearAhead()}})
		if p.Status != 400 || p.Doc.Find("#share-"+first+" .error-summary").Length() != 1 {
			t.Fatalf("hostile assessment ID: %d\n%s", p.Status, text(p))
		}
		mustStatus(t, app.call(t, "GET", "/api/v1/shared_assessments/"+first, req{Token: b.Token}), 404, "not shared yet")

		// Granted: B reads it.
		p = post(t, app, x, "/portal/shares/"+first+"/grant", url.Values{"csrf_token": {tok}, "assessment_id": {sa.Assessment.ID}, "expires_on": {aYearAhead()}})
		wantRedirect(t, p, "/portal/shares?notice=granted")
		mustStatus(t, app.call(t, "GET", "/api/v1/shared_assessments/"+first, req{Token: b.Token}), 200, "shared")
		// Declined: nothing to read.
		p = post(t, app, x, "/portal/shares/"+second+"/decline", url.Values{"csrf_token": {tok}})
		wantRedirect(t, p, "/portal/shares?notice=declined")
		mustStatus(t, app.call(t, "GET", "/api/v1/shared_assessments/"+second, req{Token: b.Token}), 404, "declined")

		// Another company's user cannot touch X's grant, nor staff.
		y := app.partnerSession(t, app.sendAssessment(t, a, "Y工業", 7302, "self-check-25").CompanyID, partnerEmail("y"))
		ytok := csrf(t, app, y, "/portal")
		if p := post(t, app, y, "/portal/shares/"+first+"/revoke", url.Values{"csrf_token": {ytok}}); p.Status != 404 {
			t.Fatalf("Y revokes X's grant: %d", p.Status)
		}
		if p := get(t, app, y, "/portal/shares"); strings.Contains(p.Body, first) || strings.Contains(text(p), b.Org.Name) {
			t.Fatalf("Y sees X's requests:\n%s", text(p))
		}
		staff := signIn(t, app, b.User)
		if p := get(t, app, staff, "/portal/shares"); p.Status != 403 {
			t.Fatalf("staff on /portal/shares: %d", p.Status)
		}

		// Revoked: B gets 410.
		p = post(t, app, x, "/portal/shares/"+first+"/revoke", url.Values{"csrf_token": {tok}})
		wantRedirect(t, p, "/portal/shares?notice=revoked")
		mustStatus(t, app.call(t, "GET", "/api/v1/shared_assessments/"+first, req{Token: b.Token}), 410, "revoked")
		if p := get(t, app, x, "/portal/shares"); !strings.Contains(text(p), "取り消されました") {
			t.Fatalf("after revocation:\n%s", text(p))
		}
	})
}

func TestPortalXLSXRoundTrip(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲工業株式会社", renkei.RoleAdmin)
		sa := app.sendAssessment(t, a, "X製作所", 7311, "self-check-25")
		x := app.partnerSession(t, sa.CompanyID, partnerEmail("x"))
		base := "/portal/assessments/" + sa.Assessment.ID
		p := get(t, app, x, base+"/xlsx/upload")
		checkPartnerPage(t, "portal xlsx page", p)
		res, file := download(t, app, x, base+"/xlsx?lang=ja")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), xlsxType) {
			t.Fatalf("download: %d", res.StatusCode)
		}
		tok := csrf(t, app, x, base+"/xlsx/upload")
		p = postFile(t, app, x, base+"/xlsx", map[string]string{"csrf_token": tok}, "回答.xlsx", fillXLSX(t, file, map[string]string{"1": "はい", "2": "一部", "3": "そのうち"}))
		if p.Status != 400 || p.Doc.Find("#xlsx-result tbody tr").Length() != 1 {
			t.Fatalf("upload: %d\n%s", p.Status, text(p))
		}
		got := portalStoredAnswers(t, app, sa)
		if len(got) != 2 || got["2"].Value != "partly" || got["1"].OnBehalf {
			t.Fatalf("saved: %+v", got)
		}
		// Another company's user: not found.
		y := app.partnerSession(t, app.sendAssessment(t, a, "Y工業", 7312, "self-check-25").CompanyID, partnerEmail("y"))
		if res, _ := download(t, app, y, base+"/xlsx"); res.StatusCode != 404 {
			t.Fatalf("Y downloads X's workbook: %d", res.StatusCode)
		}
		ytok := csrf(t, app, y, "/portal")
		if p := postFile(t, app, y, base+"/xlsx", map[string]string{"csrf_token": ytok}, "回答.xlsx", file); p.Status != 404 || len(portalStoredAnswers(t, app, sa)) != 2 {
			t.Fatalf("Y uploads to X's assessment: %d", p.Status)
		}
	})
}

// Cross-company fixtures of the portal's Excel and sharing routes (the
// harness is portal_tenancy_test.go).
func init() {
	xlsxPath := func(y *portalVictim) string { return "/portal/assessments/" + y.Sent.Assessment.ID + "/xlsx" }
	portalCrossFixtures["GET /portal/assessments/{id}/xlsx"] = func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		return portalCase{Method: "GET", Path: xlsxPath(y), OwnStatus: 200, Unchanged: statusStays(app, y, renkei.AssessmentSent)}
	}
	portalCrossFixtures["GET /portal/assessments/{id}/xlsx/upload"] = func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		return portalCase{Method: "GET", Path: xlsxPath(y) + "/upload", OwnStatus: 200, Unchanged: statusStays(app, y, renkei.AssessmentSent)}
	}
	portalCrossFixtures["POST /portal/assessments/{id}/xlsx"] = func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		_, file := download(t, app, y.Client, xlsxPath(y))
		return portalCase{Method: "POST", Path: xlsxPath(y), File: &portalUpload{Name: "回答.xlsx", Content: fillXLSX(t, file, map[string]string{"gov.1": "はい"})},
			OwnStatus: 200, Unchanged: answersStay(app, y, 0)}
	}
	portalCrossFixtures["POST /portal/shares/{id}/grant"] = func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		id, submitted := yShareRequest(t, app, y, true)
		return portalCase{Method: "POST", Path: "/portal/shares/" + id + "/grant", Form: url.Values{"assessment_id": {submitted}, "expires_on": {aYearAhead()}},
			OwnStatus: http.StatusSeeOther, Unchanged: shareStays(app, y, id, renkei.ShareRequested)}
	}
	portalCrossFixtures["POST /portal/shares/{id}/decline"] = func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		id, _ := yShareRequest(t, app, y, false)
		return portalCase{Method: "POST", Path: "/portal/shares/" + id + "/decline", OwnStatus: http.StatusSeeOther, Unchanged: shareStays(app, y, id, renkei.ShareRequested)}
	}
	portalCrossFixtures["POST /portal/shares/{id}/revoke"] = func(t *testing.T, app *testApp, y *portalVictim) portalCase {
		id, submitted := yShareRequest(t, app, y, true)
		if _, err := app.DB.GrantShare(partnerActor(y.Sent.CompanyID), id, submitted, aYearAhead()); err != nil {
			t.Fatal(err)
		}
		return portalCase{Method: "POST", Path: "/portal/shares/" + id + "/revoke", OwnStatus: http.StatusSeeOther, Unchanged: shareStays(app, y, id, renkei.ShareGranted)}
	}
}

// yShareRequest has Y's organization ask Y for an assessment; with
// submitted, a third organization first sends Y self-check-25, which is
// answered and submitted, and its ID is returned too.
func yShareRequest(t *testing.T, app *testApp, y *portalVictim, submitted bool) (string, string) {
	t.Helper()
	tn := y.Sent.Tenant
	var assessmentID string
	if submitted {
		p, err := app.DB.Partner(staffCtx(tn), tn.Org.ID, y.Sent.PartnerID)
		if err != nil {
			t.Fatal(err)
		}
		c := app.newTenant("丙社", renkei.RoleAdmin)
		pc := apiNewPartner(t, app, c.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": p.Company.Name, "corporate_number": p.Company.CorporateNumber}})
		r := app.call(t, "POST", "/api/v1/campaigns", req{Token: c.Token, Body: map[string]any{"template": "self-check-25", "partner_ids": []string{pc.ID}, "due_date": "2099-06-30"}})
		mustStatus(t, r, 201, "third organization's campaign")
		var camp apiCampaignT
		r.JSON(t, &camp)
		assessmentID = listAll(t, app, c.Token, "/api/v1/assessments?campaign_id="+camp.ID, 200, apiAssessmentID)[0].ID
		mustStatus(t, app.call(t, "PUT", "/api/v1/assessments/"+assessmentID+"/answers", req{Token: c.Token, Body: map[string]any{"answers": selfCheckAnswers(25, "yes")}}), 200, "answers")
		mustStatus(t, app.call(t, "POST", "/api/v1/assessments/"+assessmentID+"/submit", req{Token: c.Token}), 200, "submit")
	}
	r := app.call(t, "POST", "/api/v1/partners/"+y.Sent.PartnerID+"/share_requests", req{Token: tn.Token, Body: map[string]any{"message": "共有のお願い"}})
	mustStatus(t, r, 201, "share request")
	var s apiShareT
	r.JSON(t, &s)
	return s.ID, assessmentID
}

// shareStays asserts that Y's share is still in state.
func shareStays(app *testApp, y *portalVictim, id, state string) func(t *testing.T) {
	return func(t *testing.T) {
		t.Helper()
		shares, err := app.DB.PartnerShares(partnerActor(y.Sent.CompanyID))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range shares {
			if s.ID == id {
				if s.Status != state {
					t.Fatalf("Y's share is %s, want %s", s.Status, state)
				}
				return
			}
		}
		t.Fatalf("Y's share %s is gone", id)
	}
}
