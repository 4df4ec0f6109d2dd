package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore/storetest"
	"github.com/renkei/renkei/vulnfile"
	"github.com/xuri/excelize/v2"
)

func init() {
	globalIDRoutes["GET /api/v1/advisories/{id}/affected"] = "TestAPISBOM"
	// A real advisory, for the tests that need one behind every ID route
	// (TestRolesOnEveryRoute); TestCrossTenant leaves global routes out.
	crossTenantFixtures["GET /api/v1/advisories/{id}/affected"] = func(t *testing.T, app *testApp, a *tenant) crossTenantCase {
		importOSV(t, app, osvLodash)
		return crossTenantCase{Path: "/api/v1/advisories/GHSA-TEST-LODASH/affected", OwnStatus: 200, Unchanged: func(t *testing.T) {}}
	}
	// Lists that need a query (sboms by product, components by purl) or
	// whose items carry no ID (findings): TestAPISBOM checks their tenancy.
	for _, p := range []string{"/api/v1/sboms", "/api/v1/components", "/api/v1/findings"} {
		nonListGETs[p] = true
	}
	sharedLists["/api/v1/advisories"] = true
	listFixtures = append(listFixtures, func(t *testing.T, app *testApp, tn *tenant, partnerID string) {
		uploadSBOM(t, app, tn, "制御盤ファームウェア", "1.0", partnerID, sbomWithLodash)
	})
}

const sbomWithLodash = `{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
 "components": [
  {"type": "library", "bom-ref": "lodash", "name": "lodash", "version": "4.17.20", "purl": "pkg:npm/lodash@4.17.20"},
  {"type": "library", "bom-ref": "express", "name": "express", "version": "4.18.2", "purl": "pkg:npm/express@4.18.2"}
 ]}`

const osvLodash = `{"schema_version": "1.6.0", "id": "GHSA-TEST-LODASH", "modified": "2026-10-01T00:00:00Z",
 "aliases": ["CVE-2021-23337"], "summary": "Command injection in lodash",
 "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}`

type apiSBOMImportedT struct {
	Product struct {
		ID string `json:"id"`
	} `json:"product"`
	SBOM struct {
		ID             string `json:"id"`
		ComponentCount int    `json:"component_count"`
	} `json:"sbom"`
	Findings []apiVulnFindingT `json:"findings"`
}

type apiVulnFindingT struct {
	ProductID string `json:"product_id"`
	Product   string `json:"product"`
	Version   string `json:"version"`
	PartnerID string `json:"partner_id"`
	PURL      string `json:"purl"`
	Advisory  string `json:"advisory"`
	Fixed     string `json:"fixed"`
}

func uploadSBOM(t *testing.T, app *testApp, tn *tenant, product, version, partnerID, body string) apiSBOMImportedT {
	t.Helper()
	path := "/api/v1/sboms?product=" + product + "&version=" + version + "&filename=bom.json"
	if partnerID != "" {
		path += "&partner_id=" + partnerID
	}
	r := app.call(t, "POST", path, req{Token: tn.Token, Body: body})
	mustStatus(t, r, 201, "upload SBOM")
	var out apiSBOMImportedT
	r.JSON(t, &out)
	return out
}

func importOSV(t *testing.T, app *testApp, record string) {
	t.Helper()
	adv, err := vulnfile.ParseOSV("record.json", []byte(record))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB.ImportAdvisories(storetest.System(), []renkei.Advisory{adv}); err != nil {
		t.Fatal(err)
	}
}

// TestAPISBOM: an SBOM's findings exist as soon as it is uploaded, an
// advisory's affected products as soon as it is imported; both ways the
// answers are the organization's own.
func TestAPISBOM(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲社", renkei.RoleAdmin)
		b := app.newTenant("乙社", renkei.RoleAdmin)
		p := apiNewPartner(t, app, a.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社制御"}})

		// The advisory first, then the SBOM: its findings are in the answer.
		importOSV(t, app, osvLodash)
		up := uploadSBOM(t, app, a, "制御盤ファームウェア", "2.1", p.ID, sbomWithLodash)
		if up.SBOM.ComponentCount != 2 || len(up.Findings) != 1 || up.Findings[0].Advisory != "GHSA-TEST-LODASH" || up.Findings[0].Fixed != "4.17.21" {
			t.Fatalf("upload %+v", up)
		}
		// B's own SBOM with another version of lodash, not affected.
		uploadSBOM(t, app, b, "乙の製品", "1", "", strings.ReplaceAll(sbomWithLodash, "4.17.20", "4.17.21"))

		var aff struct {
			Items []apiVulnFindingT `json:"items"`
		}
		app.call(t, "GET", "/api/v1/advisories/CVE-2021-23337/affected", req{Token: a.Token}).JSON(t, &aff)
		if len(aff.Items) != 1 || aff.Items[0].Product != "制御盤ファームウェア" || aff.Items[0].PartnerID != p.ID || aff.Items[0].PURL != "pkg:npm/lodash@4.17.20" {
			t.Fatalf("affected by alias: %+v", aff.Items)
		}
		app.call(t, "GET", "/api/v1/advisories/GHSA-TEST-LODASH/affected", req{Token: b.Token}).JSON(t, &aff)
		if len(aff.Items) != 0 {
			t.Fatalf("B sees affected products: %+v", aff.Items)
		}
		mustStatus(t, app.call(t, "GET", "/api/v1/advisories/NO-SUCH-ID/affected", req{Token: a.Token}), 404, "unknown advisory")

		var finds struct {
			Items []apiVulnFindingT `json:"items"`
		}
		app.call(t, "GET", "/api/v1/findings", req{Token: a.Token}).JSON(t, &finds)
		if len(finds.Items) != 1 || finds.Items[0].ProductID != up.Product.ID {
			t.Fatalf("A's findings %+v", finds.Items)
		}
		app.call(t, "GET", "/api/v1/findings", req{Token: b.Token}).JSON(t, &finds)
		if len(finds.Items) != 0 {
			t.Fatalf("B's findings %+v", finds.Items)
		}

		var uses struct {
			Items []struct {
				Product string `json:"product"`
				PURL    string `json:"purl"`
			} `json:"items"`
		}
		app.call(t, "GET", "/api/v1/components?purl=pkg:npm/lodash", req{Token: a.Token}).JSON(t, &uses)
		if len(uses.Items) != 1 || uses.Items[0].PURL != "pkg:npm/lodash@4.17.20" {
			t.Fatalf("A's users of lodash %+v", uses.Items)
		}
		app.call(t, "GET", "/api/v1/components?purl=pkg:npm/lodash", req{Token: b.Token}).JSON(t, &uses)
		if len(uses.Items) != 1 || uses.Items[0].Product != "乙の製品" {
			t.Fatalf("B's users of lodash %+v", uses.Items)
		}
		var sboms struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		app.call(t, "GET", "/api/v1/sboms?product_id="+up.Product.ID, req{Token: a.Token}).JSON(t, &sboms)
		if len(sboms.Items) != 1 || sboms.Items[0].ID != up.SBOM.ID {
			t.Fatalf("A's SBOMs %+v", sboms.Items)
		}
		app.call(t, "GET", "/api/v1/sboms?product_id="+up.Product.ID, req{Token: b.Token}).JSON(t, &sboms)
		if len(sboms.Items) != 0 {
			t.Fatalf("B reads A's SBOMs %+v", sboms.Items)
		}

		// In pages: three findings more, read two at a time, in order of
		// product (別 before 制), then purl.
		uploadSBOM(t, app, a, "別の製品", "1", "", `{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
			{"type": "library", "name": "lodash", "version": "4.17.19", "purl": "pkg:npm/lodash@4.17.19"},
			{"type": "library", "name": "lodash", "version": "4.17.18", "purl": "pkg:npm/lodash@4.17.18"},
			{"type": "library", "name": "lodash", "version": "4.17.17", "purl": "pkg:npm/lodash@4.17.17"}]}`)
		var paged []string
		for cursor, pages := "", 0; ; pages++ {
			var pg struct {
				Items      []apiVulnFindingT `json:"items"`
				NextCursor string            `json:"next_cursor"`
			}
			app.call(t, "GET", "/api/v1/findings?limit=2&cursor="+url.QueryEscape(cursor), req{Token: a.Token}).JSON(t, &pg)
			for _, f := range pg.Items {
				paged = append(paged, f.PURL)
			}
			if cursor = pg.NextCursor; cursor == "" || pages > 3 {
				break
			}
		}
		if want := "pkg:npm/lodash@4.17.17 pkg:npm/lodash@4.17.18 pkg:npm/lodash@4.17.19 pkg:npm/lodash@4.17.20"; strings.Join(paged, " ") != want {
			t.Fatalf("paged findings %q, want %q", paged, want)
		}
		app.refused(t, a, "GET", "/api/v1/findings?limit=0", req{Token: a.Token}, 400, "invalid")
		app.refused(t, a, "GET", "/api/v1/findings?limit=10001", req{Token: a.Token}, 400, "invalid")
		app.refused(t, a, "GET", "/api/v1/findings?cursor=bm90LWEtY3Vyc29y", req{Token: a.Token}, 400, "invalid")

		// Bad input changes nothing: a broken file, another tenant's
		// partner, no product name.
		app.refused(t, a, "POST", "/api/v1/sboms?product=x&version=1", req{Token: a.Token, Body: `{"bomFormat": "CycloneDX", "specVersion": `}, 400, "")
		app.refused(t, b, "POST", "/api/v1/sboms?product=x&version=1&partner_id="+p.ID, req{Token: b.Token, Body: sbomWithLodash}, 400, "invalid")
		app.refused(t, a, "POST", "/api/v1/sboms?version=1", req{Token: a.Token, Body: sbomWithLodash}, 400, "invalid")
		app.refused(t, a, "GET", "/api/v1/components?purl=not-a-purl", req{Token: a.Token}, 400, "invalid")
	})
}

// TestSBOMPages: staff store an SBOM from the page and see its finding,
// look up who uses a package and what an advisory affects, filter and
// export the findings; another tenant sees none of it.
func TestSBOMPages(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲社", renkei.RoleAdmin)
		p := apiNewPartner(t, app, a.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社制御"}})
		importOSV(t, app, osvLodash)
		c := signIn(t, app, a.User)
		pg := get(t, app, c, "/sbom")
		checkPartnerPage(t, "/sbom", pg)
		tok := csrf(t, app, c, "/sbom")
		pg = postFile(t, app, c, "/sbom", map[string]string{"csrf_token": tok, "product": "制御盤", "version": "3.0", "partner_id": p.ID}, "bom.json", []byte(sbomWithLodash))
		if pg.Status != 201 || !strings.Contains(pg.Doc.Find("#uploaded").Text(), "GHSA-TEST-LODASH") {
			t.Fatalf("upload: %d %s", pg.Status, pg.Doc.Find("main").Text())
		}
		pg = get(t, app, c, "/sbom?purl=pkg:npm/lodash")
		if !strings.Contains(pg.Doc.Find("#uses").Text(), "株式会社制御") {
			t.Fatalf("uses: %q", pg.Doc.Find("#uses").Text())
		}
		pg = get(t, app, c, "/sbom?advisory=CVE-2021-23337")
		if !strings.Contains(pg.Doc.Find("#affected").Text(), "制御盤 3.0") || !strings.Contains(pg.Doc.Find("#affected").Text(), "4.17.21") {
			t.Fatalf("affected: %q", pg.Doc.Find("#affected").Text())
		}
		if pg := get(t, app, c, "/sbom?kev=true"); pg.Doc.Find("#findings").Length() != 0 {
			t.Fatal("the KEV filter keeps a finding that is not known exploited")
		}
		// Staff record that the partner's product is not affected: the
		// finding leaves the list, and comes back with its VEX mark when
		// asked for all.
		vex := url.Values{"csrf_token": {tok}, "partner_id": {p.ID}, "advisory": {"GHSA-TEST-LODASH"}, "purl": {"pkg:npm/lodash@4.17.20"},
			"status": {"not_affected"}, "justification": {"vulnerable_code_not_in_execute_path"}}
		if pg := post(t, app, c, "/sbom/vex", vex); pg.Status != 303 {
			t.Fatalf("state VEX: %d %s", pg.Status, pg.Body)
		}
		if pg := get(t, app, c, "/sbom"); pg.Doc.Find("#findings").Length() != 0 {
			t.Fatal("a not-affected finding is still listed")
		}
		if pg := get(t, app, c, "/sbom?vex=all"); !strings.Contains(pg.Doc.Find("#findings").Text(), "影響なし") {
			t.Fatalf("with vex=all: %q", pg.Doc.Find("#findings").Text())
		}
		vex.Set("justification", "")
		if pg := post(t, app, c, "/sbom/vex", vex); pg.Status != 400 {
			t.Fatalf("not_affected without a reason: %d", pg.Status)
		}
		if csvPage := get(t, app, c, "/sbom/findings.csv"); strings.Contains(csvPage.Body, "GHSA-TEST-LODASH") {
			t.Fatalf("the CSV lists a not-affected finding: %q", csvPage.Body)
		}
		csvPage := get(t, app, c, "/sbom/findings.csv?vex=all")
		if !strings.Contains(csvPage.Body, "GHSA-TEST-LODASH") || !strings.Contains(csvPage.Body, "株式会社制御") || !strings.Contains(csvPage.Body, "not_affected") {
			t.Fatalf("csv %q", csvPage.Body)
		}
		xl := get(t, app, c, "/sbom/findings.xlsx?vex=all")
		if xl.Status != 200 {
			t.Fatalf("xlsx: %d", xl.Status)
		}
		sheet := xlsxRows(t, xl.Body, "findings")
		if len(sheet) != 2 || sheet[0][5] != "advisory" || sheet[1][0] != "株式会社制御" || sheet[1][5] != "GHSA-TEST-LODASH" || sheet[1][9] != "not_affected" {
			t.Fatalf("xlsx rows %q", sheet)
		}
		// A portfolio with more findings than the page lists: the page
		// shows the first ones and says how many there are; the exports
		// hold them all.
		var many []string
		for i := range 205 {
			many = append(many, fmt.Sprintf(`{"type": "library", "bom-ref": "c%d", "name": "lodash", "version": "4.17.20", "purl": "pkg:npm/lodash@4.17.20?build=%d"}`, i, i))
		}
		big := `{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [` + strings.Join(many, ",") + `]}`
		pg = postFile(t, app, c, "/sbom", map[string]string{"csrf_token": tok, "product": "大きな製品", "version": "1"}, "big.json", []byte(big))
		if pg.Status != 201 {
			t.Fatalf("upload of 205 components: %d", pg.Status)
		}
		pg = get(t, app, c, "/sbom")
		if n := pg.Doc.Find("#findings tbody tr").Length(); n != 200 || !strings.Contains(pg.Doc.Find("#findings-shown").Text(), "205") {
			t.Fatalf("page lists %d findings; notice %q", n, pg.Doc.Find("#findings-shown").Text())
		}
		if rows := xlsxRows(t, get(t, app, c, "/sbom/findings.xlsx").Body, "findings"); len(rows) != 206 {
			t.Fatalf("xlsx holds %d rows, want the header and 205", len(rows))
		}
		// A broken file: the error is shown and nothing is stored.
		pg = postFile(t, app, c, "/sbom", map[string]string{"csrf_token": tok, "product": "壊れた", "version": "1"}, "bad.json", []byte(`{"bomFormat": "CycloneDX"`))
		if pg.Status != 400 || pg.Doc.Find(".error-summary").Length() != 1 {
			t.Fatalf("broken file: %d", pg.Status)
		}
		b := app.newTenant("乙社", renkei.RoleAdmin)
		bc := signIn(t, app, b.User)
		if pg := get(t, app, bc, "/sbom?advisory=CVE-2021-23337"); strings.Contains(pg.Body, "制御盤") {
			t.Fatal("another tenant sees the product")
		}
		if csv := get(t, app, bc, "/sbom/findings.csv"); strings.Contains(csv.Body, "制御盤") {
			t.Fatal("another tenant's CSV holds the product")
		}
		if rows := xlsxRows(t, get(t, app, bc, "/sbom/findings.xlsx").Body, "findings"); len(rows) != 1 {
			t.Fatalf("another tenant's workbook holds %d rows", len(rows))
		}
	})
}

// TestAPIVEX: a partner's OpenVEX statement that lodash is not affected
// takes the finding out of the views (still there with vex=all); a
// statement about another partner's product changes nothing; a bad
// document stores nothing.
func TestAPIVEX(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲社", renkei.RoleAdmin)
		p := apiNewPartner(t, app, a.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社制御"}})
		q := apiNewPartner(t, app, a.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社別会社"}})
		importOSV(t, app, osvLodash)
		uploadSBOM(t, app, a, "制御盤", "2.1", p.ID, sbomWithLodash)
		openvex := `{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.jp/vex/1", "author": "株式会社制御",
		 "timestamp": "2026-11-20T00:00:00Z", "version": 1,
		 "statements": [{"vulnerability": {"name": "CVE-2021-23337"}, "products": [{"@id": "pkg:npm/lodash"}],
		   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}`
		var findings struct {
			Items []struct {
				Advisory  string `json:"advisory"`
				VEXStatus string `json:"vex_status"`
			} `json:"items"`
		}
		// About another partner: nothing changes.
		mustStatus(t, app.call(t, "POST", "/api/v1/vex?partner_id="+q.ID, req{Token: a.Token, Body: openvex}), 201, "vex for q")
		app.call(t, "GET", "/api/v1/findings", req{Token: a.Token}).JSON(t, &findings)
		if len(findings.Items) != 1 || findings.Items[0].VEXStatus != "" {
			t.Fatalf("after another partner's VEX: %+v", findings.Items)
		}
		r := app.call(t, "POST", "/api/v1/vex?partner_id="+p.ID, req{Token: a.Token, Body: openvex})
		mustStatus(t, r, 201, "vex for p")
		app.call(t, "GET", "/api/v1/findings", req{Token: a.Token}).JSON(t, &findings)
		if len(findings.Items) != 0 {
			t.Fatalf("a not_affected finding is still shown: %+v", findings.Items)
		}
		app.call(t, "GET", "/api/v1/findings?vex=all", req{Token: a.Token}).JSON(t, &findings)
		if len(findings.Items) != 1 || findings.Items[0].VEXStatus != "not_affected" {
			t.Fatalf("with vex=all: %+v", findings.Items)
		}
		app.call(t, "GET", "/api/v1/advisories/GHSA-TEST-LODASH/affected", req{Token: a.Token}).JSON(t, &findings)
		if len(findings.Items) != 0 {
			t.Fatalf("affected honours VEX: %+v", findings.Items)
		}
		bad := strings.Replace(openvex, `"justification": "vulnerable_code_not_in_execute_path"`, `"justification": "we think so"`, 1)
		app.refused(t, a, "POST", "/api/v1/vex?partner_id="+p.ID, req{Token: a.Token, Body: bad}, 400, "")
		b := app.newTenant("乙社", renkei.RoleAdmin)
		app.refused(t, b, "POST", "/api/v1/vex?partner_id="+p.ID, req{Token: b.Token, Body: openvex}, 400, "invalid")
	})
}

// TestPortalSBOMVEX: a partner user sees the findings in its company's
// products (not another partner's), states that one is not affected, and
// the organization's views honour it; an organization the company does
// not work for is refused.
func TestPortalSBOMVEX(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲社", renkei.RoleAdmin)
		sent := app.sendAssessment(t, a, "株式会社制御", 884, "self-check-25")
		other := apiNewPartner(t, app, a.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社別"}})
		importOSV(t, app, osvLodash)
		uploadSBOM(t, app, a, "制御盤", "4.0", sent.PartnerID, sbomWithLodash)
		uploadSBOM(t, app, a, "別の製品", "1.0", other.ID, sbomWithLodash)
		c := app.partnerSession(t, sent.CompanyID, "psirt@seigyo.example.jp")
		pg := get(t, app, c, "/portal/sbom")
		checkPartnerPage(t, "/portal/sbom", pg)
		if !strings.Contains(pg.Body, "制御盤 4.0") || strings.Contains(pg.Body, "別の製品") || !strings.Contains(pg.Body, "GHSA-TEST-LODASH") {
			t.Fatalf("partner's findings: %s", pg.Doc.Find("main").Text())
		}
		tok := csrf(t, app, c, "/portal/sbom")
		form := url.Values{"csrf_token": {tok}, "org_id": {a.Org.ID}, "advisory": {"GHSA-TEST-LODASH"}, "purl": {"pkg:npm/lodash@4.17.20"},
			"status": {"not_affected"}, "justification": {""}}
		if pg := post(t, app, c, "/portal/sbom/vex", form); pg.Status != 400 {
			t.Fatalf("not_affected without a reason: %d", pg.Status)
		}
		form.Set("justification", "component_not_present")
		if pg := post(t, app, c, "/portal/sbom/vex", form); pg.Status != 303 {
			t.Fatalf("state: %d %s", pg.Status, pg.Body)
		}
		var finds struct {
			Items []apiVulnFindingT `json:"items"`
		}
		app.call(t, "GET", "/api/v1/findings", req{Token: a.Token}).JSON(t, &finds)
		if len(finds.Items) != 1 || finds.Items[0].Product != "別の製品" {
			t.Fatalf("the organization's findings after the partner's statement: %+v", finds.Items)
		}
		b := app.newTenant("乙社", renkei.RoleAdmin)
		form.Set("org_id", b.Org.ID)
		if pg := post(t, app, c, "/portal/sbom/vex", form); pg.Status != 404 {
			t.Fatalf("an organization the company does not work for: %d", pg.Status)
		}
	})
}

// TestPortalSBOMUpload: a partner user registers one of its company's
// products with its SBOM for an organization it works for; the product is
// that organization's partner's, its findings are on the portal page at
// once; a broken file and an organization the company does not work for
// store nothing.
func TestPortalSBOMUpload(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		a := app.newTenant("甲社", renkei.RoleAdmin)
		sent := app.sendAssessment(t, a, "株式会社制御", 884, "self-check-25")
		importOSV(t, app, osvLodash)
		c := app.partnerSession(t, sent.CompanyID, "psirt@seigyo.example.jp")
		pg := get(t, app, c, "/portal/sbom")
		if pg.Doc.Find("#sbom-register select[name=org_id] option").Length() != 1 {
			t.Fatalf("the registration form: %s", pg.Doc.Find("main").Text())
		}
		tok := csrf(t, app, c, "/portal/sbom")
		fields := map[string]string{"csrf_token": tok, "org_id": a.Org.ID, "product": "制御ユニット", "version": "5.1"}
		if pg := postFile(t, app, c, "/portal/sbom", fields, "bom.json", []byte(sbomWithLodash)); pg.Status != 303 {
			t.Fatalf("register: %d %s", pg.Status, pg.Doc.Find("main").Text())
		}
		pg = get(t, app, c, "/portal/sbom?notice=sbom_registered")
		if !strings.Contains(pg.Body, "制御ユニット 5.1") || !strings.Contains(pg.Body, "GHSA-TEST-LODASH") {
			t.Fatalf("the new product's findings on the portal: %s", pg.Doc.Find("main").Text())
		}
		var products struct {
			Items []struct {
				Name      string `json:"name"`
				PartnerID string `json:"partner_id"`
			} `json:"items"`
		}
		app.call(t, "GET", "/api/v1/products", req{Token: a.Token}).JSON(t, &products)
		if len(products.Items) != 1 || products.Items[0].Name != "制御ユニット" || products.Items[0].PartnerID != sent.PartnerID {
			t.Fatalf("the organization's products: %+v", products.Items)
		}
		// A broken file: said where, nothing stored.
		fields["version"] = "5.2"
		pg = postFile(t, app, c, "/portal/sbom", fields, "bad.json", []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [`))
		if pg.Status != 400 || pg.Doc.Find(".error-summary").Length() != 1 || pg.Doc.Find("#reg-product").AttrOr("value", "") != "制御ユニット" {
			t.Fatalf("broken file: %d %s", pg.Status, pg.Doc.Find("main").Text())
		}
		// An organization the company does not work for.
		b := app.newTenant("乙社", renkei.RoleAdmin)
		fields["org_id"] = b.Org.ID
		if pg := postFile(t, app, c, "/portal/sbom", fields, "bom.json", []byte(sbomWithLodash)); pg.Status != 404 {
			t.Fatalf("another organization: %d", pg.Status)
		}
		app.call(t, "GET", "/api/v1/products", req{Token: a.Token}).JSON(t, &products)
		if len(products.Items) != 1 {
			t.Fatalf("products after the refusals: %+v", products.Items)
		}
		app.call(t, "GET", "/api/v1/products", req{Token: b.Token}).JSON(t, &products)
		if len(products.Items) != 0 {
			t.Fatalf("B's products: %+v", products.Items)
		}
	})
}

// xlsxRows reads a sheet of a downloaded workbook.
func xlsxRows(t *testing.T, body, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
