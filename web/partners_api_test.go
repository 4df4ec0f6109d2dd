package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"

	"github.com/renkei/renkei"
)

// Shapes of the partners API the tests decode: the domain's JSON, plus
// what the API adds.
type (
	apiPartnerT struct {
		renkei.Partner
		HasIncidentContact bool `json:"has_incident_contact"`
	}
	apiAgreementT struct {
		ID              string     `json:"id"`
		PartnerID       string     `json:"partner_id"`
		RequirementID   string     `json:"requirement_id"`
		RequirementCode string     `json:"requirement_code"`
		Contract        string     `json:"contract"`
		ValidFrom       *time.Time `json:"valid_from"`
		ValidUntil      *time.Time `json:"valid_until"`
		Notes           string     `json:"notes"`
		Active          bool       `json:"active"`
	}
	apiRequirementT struct {
		ID      string `json:"id"`
		Code    string `json:"code"`
		NameJA  string `json:"name_ja"`
		NameEN  string `json:"name_en"`
		Builtin bool   `json:"builtin"`
	}
	apiImportT struct {
		Created int  `json:"created"`
		Updated int  `json:"updated"`
		DryRun  bool `json:"dry_run"`
		Errors  []struct {
			Row     int    `json:"row"`
			Column  string `json:"column"`
			Message string `json:"message"`
		} `json:"errors"`
	}
)

func apiPartnerID(p apiPartnerT) string         { return p.ID }
func apiAgreementID(a apiAgreementT) string     { return a.ID }
func apiRequirementID(k apiRequirementT) string { return k.ID }

// apiCorpNum is a valid Corporate Number built from n.
func apiCorpNum(n int64) string {
	base := fmt.Sprintf("%012d", n)
	return string('0'+renkei.CorporateNumberCheckDigit(base)) + base
}

// apiBadCorpNum is n's Corporate Number with a wrong check digit.
func apiBadCorpNum(n int64) string {
	c := apiCorpNum(n)
	return string('0'+(c[0]-'0')%9+1) + c[1:]
}

// apiNewPartner creates a partner through the API.
func apiNewPartner(t testing.TB, app *testApp, token string, body map[string]any) apiPartnerT {
	t.Helper()
	r := app.call(t, "POST", "/api/v1/partners", req{Token: token, Body: body})
	mustStatus(t, r, 201, "create partner")
	var p apiPartnerT
	r.JSON(t, &p)
	return p
}

func apiGetPartnerT(t testing.TB, app *testApp, token, id string) apiPartnerT {
	t.Helper()
	r := app.call(t, "GET", "/api/v1/partners/"+id, req{Token: token})
	mustStatus(t, r, 200, "get partner")
	var p apiPartnerT
	r.JSON(t, &p)
	return p
}

// apiPartnerCount counts the organization's partners in the store.
func apiPartnerCount(t testing.TB, app *testApp, tn *tenant, archived bool) int {
	t.Helper()
	n, err := app.DB.CountPartners(context.Background(), tn.Org.ID, renkei.PartnerFilter{Archived: archived})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func apiHasReason(rs []renkei.RiskReason, factor string, points int) bool {
	for _, r := range rs {
		if r.Factor == factor && r.Points == points && r.JA != "" && r.EN != "" {
			return true
		}
	}
	return false
}

func TestAPIPartnerCreate(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		cn := apiCorpNum(700000000101)
		// The shape.
		body := map[string]any{
			"type":    "supplier",
			"company": map[string]any{"name": "株式会社山田製作所", "corporate_number": cn, "industry": "d", "country": "JP", "employees": 120},
			"profile": map[string]any{"provides": []string{"it_operations"}, "personal_data_count": 5000},
		}
		r := app.call(t, "POST", "/api/v1/partners", req{Token: tn.Token, Body: body})
		mustStatus(t, r, 201, "create")
		var raw map[string]any
		r.JSON(t, &raw)
		for _, k := range []string{"id", "type", "company", "profile", "inherent_risk", "required_level", "required_level_reason"} {
			if _, ok := raw[k]; !ok {
				t.Fatalf("no %s in %s", k, r.Body)
			}
		}
		risk := raw["inherent_risk"].(map[string]any)
		for _, k := range []string{"score", "tier", "reasons"} {
			if _, ok := risk[k]; !ok {
				t.Fatalf("no inherent_risk.%s in %s", k, r.Body)
			}
		}
		var p apiPartnerT
		r.JSON(t, &p)
		c := p.Company
		if p.Type != "supplier" || c.Name != "株式会社山田製作所" || c.CorporateNumber != cn || c.Industry != "d" || c.Country != "JP" || c.Employees != 120 || c.ID == "" {
			t.Fatalf("partner = %+v", p)
		}
		// it_operations 10 + more than 1,000 persons 10 + personal data 5.
		if p.Risk.Score != 25 || p.Risk.Tier != "low" || len(p.Risk.Reasons) != 3 || !apiHasReason(p.Risk.Reasons, "it_operations", 10) ||
			!apiHasReason(p.Risk.Reasons, "personal_data_over_1000", 10) || !apiHasReason(p.Risk.Reasons, "personal_data", 5) {
			t.Fatalf("risk = %+v", p.Risk)
		}
		if !p.Profile.PersonalData || !slices.Equal(p.Profile.Provides, []string{"it_operations"}) || p.Profile.NetworkAccess == nil {
			t.Fatalf("profile = %+v", p.Profile)
		}
		if p.Required != "star3" || !strings.Contains(p.RequiredReason.EN, "star 3") || p.RequiredReason.JA == "" {
			t.Fatalf("required = %s %+v", p.Required, p.RequiredReason)
		}
		if got := apiGetPartnerT(t, app, tn.Token, p.ID); got.ID != p.ID || got.Risk.Score != 25 || got.Company.Name != c.Name {
			t.Fatalf("GET = %+v", got)
		}
		if es := auditFor(t, app, tn, "partner.create"); len(es) != 1 || es[0].ObjectID != p.ID {
			t.Fatalf("audit = %+v", es)
		}

		// An invalid Corporate Number: 400 with fields.corporate_number
		// (and its JSON path), nothing stored.
		en := map[string]string{"Accept-Language": "en"}
		bad := map[string]any{"type": "supplier", "company": map[string]any{"name": "東京商事株式会社", "corporate_number": apiBadCorpNum(700000000102)}}
		e := app.refused(t, tn, "POST", "/api/v1/partners", req{Token: tn.Token, Body: bad, Header: en}, 400, "invalid")
		if !strings.Contains(e.Error.Fields["corporate_number"], "Corporate Number") || e.Error.Fields["company.corporate_number"] != e.Error.Fields["corporate_number"] {
			t.Fatalf("fields = %v", e.Error.Fields)
		}
		for _, n := range []string{"123", "12345678901234", "abcdefghijklm"} {
			bad["company"].(map[string]any)["corporate_number"] = n
			if e := app.refused(t, tn, "POST", "/api/v1/partners", req{Token: tn.Token, Body: bad}, 400, "invalid"); e.Error.Fields["corporate_number"] == "" {
				t.Fatalf("%s: fields = %v", n, e.Error.Fields)
			}
		}
		// Full-width digits and hyphens are normalized.
		fw := strings.Map(func(r rune) rune { return r - '0' + '０' }, apiCorpNum(700000000103))
		fwr := []rune(fw)
		p2 := apiNewPartner(t, app, tn.Token, map[string]any{"type": "group", "company": map[string]any{"name": "連携ホールディングス", "corporate_number": string(fwr[:4]) + "－" + string(fwr[4:])}})
		if p2.Company.CorporateNumber != apiCorpNum(700000000103) || p2.Company.Country != "JP" {
			t.Fatalf("normalized = %+v", p2.Company)
		}
		// The same company twice, or an external ID in use: 409.
		dup := map[string]any{"type": "supplier", "company": map[string]any{"name": "山田製作所", "corporate_number": cn}}
		if e := app.refused(t, tn, "POST", "/api/v1/partners", req{Token: tn.Token, Body: dup}, 409, "conflict"); e.Error.Fields["corporate_number"] == "" {
			t.Fatalf("same company: %v", e.Error.Fields)
		}
		apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "external_id": "V-1", "company": map[string]any{"name": "一"}})
		if e := app.refused(t, tn, "POST", "/api/v1/partners", req{Token: tn.Token, Body: map[string]any{"type": "supplier", "external_id": "V-1", "company": map[string]any{"name": "二"}}}, 409, "conflict"); e.Error.Fields["external_id"] == "" {
			t.Fatalf("external id: %v", e.Error.Fields)
		}
		// Another organization may have the same company: it is one record.
		other := app.newTenant("乙社", renkei.RoleAdmin)
		p3 := apiNewPartner(t, app, other.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "(株)山田製作所", "corporate_number": cn}})
		if p3.Company.ID != p.Company.ID || p3.ID == p.ID {
			t.Fatalf("company not shared: %s vs %s", p3.Company.ID, p.Company.ID)
		}

		// The same name without a Corporate Number is a possible duplicate.
		p4 := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "山田製作所（株）"}})
		var dups list[renkei.Company]
		app.call(t, "GET", "/api/v1/partners/"+p.ID+"/duplicates", req{Token: tn.Token}).JSON(t, &dups)
		if len(dups.Items) != 1 || dups.Items[0].ID != p4.Company.ID || dups.Items[0].Name != "山田製作所（株）" {
			t.Fatalf("duplicates of %s: %+v", p.ID, dups.Items)
		}
		app.call(t, "GET", "/api/v1/partners/"+p2.ID+"/duplicates", req{Token: tn.Token}).JSON(t, &dups)
		if len(dups.Items) != 0 {
			t.Fatalf("duplicates of %s: %+v", p2.ID, dups.Items)
		}

		// Missing and wrong fields.
		e = app.refused(t, tn, "POST", "/api/v1/partners", req{Token: tn.Token, Body: `{}`}, 400, "invalid")
		if e.Error.Fields["type"] == "" || e.Error.Fields["company.name"] == "" || e.Error.Fields["name"] == "" {
			t.Fatalf("empty body: %v", e.Error.Fields)
		}
		e = app.refused(t, tn, "POST", "/api/v1/partners", req{Token: tn.Token, Body: `{"type":"customer","department":"sales","company":{"name":"x","country":"Japan","industry":"z","web_domain":"not a domain"},"profile":{"provides":["gold"],"network_access":["none","site_to_site"]},"contacts":{"incident":{"email":"nope"}}}`}, 400, "invalid")
		for _, f := range []string{"type", "department", "company.country", "country", "industry", "web_domain", "profile.provides", "profile.network_access", "contacts.incident.email"} {
			if e.Error.Fields[f] == "" {
				t.Errorf("no field error %s: %v", f, e.Error.Fields)
			}
		}
		if n := apiPartnerCount(t, app, tn, false); n != 4 {
			t.Fatalf("%d partners after the refusals", n)
		}

		// A viewer reads but does not write.
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		mustStatus(t, app.call(t, "GET", "/api/v1/partners/"+p.ID, req{Token: viewer}), 200, "viewer reads")
		app.refused(t, tn, "POST", "/api/v1/partners", req{Token: viewer, Body: body}, 403, "forbidden")
		app.refused(t, tn, "PATCH", "/api/v1/partners/"+p.ID, req{Token: viewer, Body: `{"notes":"x"}`}, 403, "forbidden")
		app.refused(t, tn, "POST", "/api/v1/partners/"+p.ID+"/archive", req{Token: viewer}, 403, "forbidden")
		// A department role writes.
		proc := app.addUserToken(tn, renkei.RoleProcurement)
		apiNewPartner(t, app, proc, map[string]any{"type": "overseas", "company": map[string]any{"name": "Renkei Vietnam Co., Ltd.", "country": "VN"}})
	})
}

func TestAPIPartnerPatchRequiredLevel(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		p := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "department": "procurement",
			"company":  map[string]any{"name": "株式会社保守サービス", "employees": 50},
			"profile":  map[string]any{"provides": []string{"it_operations"}, "network_access": []string{"remote_maintenance"}},
			"contacts": map[string]any{"business": map[string]any{"name": "山田", "email": "yamada@example.jp"}}})
		if p.Required != "star3" || p.Risk.Score != 20 || apiHasReason(p.Risk.Reasons, "reaches_internal_network", 20) {
			t.Fatalf("before: %s %+v", p.Required, p.Risk)
		}
		// Turning on one METI question makes it star4, with the reason.
		r := app.call(t, "PATCH", "/api/v1/partners/"+p.ID, req{Token: tn.Token, Body: `{"profile":{"reaches_internal_network":true}}`})
		mustStatus(t, r, 200, "patch")
		var q apiPartnerT
		r.JSON(t, &q)
		if q.Required != "star4" || !strings.Contains(q.RequiredReason.EN, "can reach our internal network") || !strings.Contains(q.RequiredReason.JA, "社内ネットワーク") {
			t.Fatalf("after: %s %+v", q.Required, q.RequiredReason)
		}
		if q.Risk.Score != 40 || q.Risk.Tier != "medium" || !apiHasReason(q.Risk.Reasons, "reaches_internal_network", 20) || q.Risk.Reasons[0].Factor != "reaches_internal_network" {
			t.Fatalf("risk after: %+v", q.Risk)
		}
		// The rest is as it was: nested objects change field by field.
		if !slices.Equal(q.Profile.Provides, []string{"it_operations"}) || !slices.Equal(q.Profile.NetworkAccess, []string{"remote_maintenance"}) ||
			q.Company.Name != "株式会社保守サービス" || q.Company.Employees != 50 || q.Department != "procurement" || q.Contacts.Business.Email != "yamada@example.jp" {
			t.Fatalf("patch changed more: %+v", q)
		}
		if got := apiGetPartnerT(t, app, tn.Token, p.ID); got.Required != "star4" || !got.Profile.ReachesInternalNetwork {
			t.Fatalf("stored: %+v", got)
		}
		// The history, newest first.
		var hist list[renkei.RiskHistoryEntry]
		app.call(t, "GET", "/api/v1/partners/"+p.ID+"/risk_history", req{Token: tn.Token}).JSON(t, &hist)
		if len(hist.Items) != 2 || hist.Items[0].Required != "star4" || hist.Items[0].Score != 40 || hist.Items[1].Required != "star3" ||
			hist.Items[0].ActorID != tn.User.ID || !apiHasReason(hist.Items[0].Reasons, "reaches_internal_network", 20) {
			t.Fatalf("history = %+v", hist.Items)
		}
		// A change that leaves the risk alone adds no history; one that
		// changes nothing changes nothing.
		r = app.call(t, "PATCH", "/api/v1/partners/"+p.ID, req{Token: tn.Token, Body: map[string]any{"company": map[string]any{"name_kana": "ホシュサービス"},
			"contacts": map[string]any{"incident": map[string]any{"phone": "03-0000-0000"}, "incident_procedure": "一次報告は1時間以内に電話で"}, "notes": "二行\n目"}})
		mustStatus(t, r, 200, "patch kana")
		r.JSON(t, &q)
		if q.Company.NameKana != "ホシュサービス" || !q.HasIncidentContact || q.Notes != "二行\n目" || q.Contacts.Business.Name != "山田" {
			t.Fatalf("after second patch: %+v", q)
		}
		before := auditSeq(t, app)
		mustStatus(t, app.call(t, "PATCH", "/api/v1/partners/"+p.ID, req{Token: tn.Token, Body: `{}`}), 200, "empty patch")
		if auditSeq(t, app) != before {
			t.Fatal("an empty patch was recorded")
		}
		app.call(t, "GET", "/api/v1/partners/"+p.ID+"/risk_history", req{Token: tn.Token}).JSON(t, &hist)
		if len(hist.Items) != 2 {
			t.Fatalf("history after non-risk changes: %d entries", len(hist.Items))
		}
		// Turning it off again.
		r = app.call(t, "PATCH", "/api/v1/partners/"+p.ID, req{Token: tn.Token, Body: `{"profile":{"reaches_internal_network":false,"outage_unacceptable":true}}`})
		mustStatus(t, r, 200, "patch outage")
		r.JSON(t, &q)
		if q.Required != "star4" || !strings.Contains(q.RequiredReason.EN, "unacceptable delay") || strings.Contains(q.RequiredReason.EN, "internal network") {
			t.Fatalf("outage: %s %+v", q.Required, q.RequiredReason)
		}
		// Invalid patches change nothing.
		app.refused(t, tn, "PATCH", "/api/v1/partners/"+p.ID, req{Token: tn.Token, Body: `{"type":"customer"}`}, 400, "invalid")
		e := app.refused(t, tn, "PATCH", "/api/v1/partners/"+p.ID, req{Token: tn.Token, Body: map[string]any{"company": map[string]any{"corporate_number": "1234567890123"}}}, 400, "invalid")
		if e.Error.Fields["corporate_number"] == "" {
			t.Fatalf("patch corporate number: %v", e.Error.Fields)
		}

		// Archive and bring back.
		r = app.call(t, "POST", "/api/v1/partners/"+p.ID+"/archive", req{Token: tn.Token})
		mustStatus(t, r, 200, "archive")
		r.JSON(t, &q)
		if q.ArchivedAt == nil {
			t.Fatalf("archived_at = nil: %s", r.Body)
		}
		if ids := listAll(t, app, tn.Token, "/api/v1/partners", 0, apiPartnerID); len(ids) != 0 {
			t.Fatalf("active list after archive: %d", len(ids))
		}
		if ids := listAll(t, app, tn.Token, "/api/v1/partners?archived=1", 0, apiPartnerID); len(ids) != 1 || ids[0].ID != p.ID {
			t.Fatalf("archived list: %+v", ids)
		}
		mustStatus(t, app.call(t, "POST", "/api/v1/partners/"+p.ID+"/archive", req{Token: tn.Token}), 200, "archive twice")
		r = app.call(t, "POST", "/api/v1/partners/"+p.ID+"/unarchive", req{Token: tn.Token})
		mustStatus(t, r, 200, "unarchive")
		r.JSON(t, &q)
		if q.ArchivedAt != nil || apiPartnerCount(t, app, tn, false) != 1 {
			t.Fatalf("after unarchive: %s", r.Body)
		}
		if es := auditFor(t, app, tn, "partner.archive"); len(es) != 1 {
			t.Fatalf("archive audit: %d", len(es))
		}
	})
}

// apiSeedPartners makes a varied set of partners and returns them by
// name.
func apiSeedPartners(t *testing.T, app *testApp, tn *tenant) map[string]apiPartnerT {
	t.Helper()
	out := map[string]apiPartnerT{}
	add := func(name string, body map[string]any) {
		company, _ := body["company"].(map[string]any)
		if company == nil {
			company = map[string]any{}
			body["company"] = company
		}
		company["name"] = name
		if body["external_id"] == nil {
			// An identifier, so that an export imports again as the same
			// partners.
			body["external_id"] = fmt.Sprintf("P-%03d", len(out)+1)
		}
		out[name] = apiNewPartner(t, app, tn.Token, body)
	}
	incident := map[string]any{"incident": map[string]any{"email": "soc@example.jp"}, "incident_procedure": "1時間以内に電話"}
	add("株式会社ＡＢＣ製作所", map[string]any{"type": "supplier", "department": "procurement", "external_id": "S-001",
		"company": map[string]any{"industry": "d", "employees": 20, "corporate_number": apiCorpNum(700000000201)},
		"profile": map[string]any{"reaches_internal_network": true}, "contacts": incident})
	add("東京システム合同会社", map[string]any{"type": "supplier", "department": "it_security",
		"company": map[string]any{"industry": "f", "employees": 300},
		"profile": map[string]any{"provides": []string{"it_operations", "saas"}, "network_access": []string{"site_to_site", "remote_maintenance"},
			"handles_confidential_on_own_it": true, "outage_unacceptable": true, "outage_stops_business": true, "confidential_technical": true}})
	add("大阪物流株式会社", map[string]any{"type": "supplier", "department": "business",
		"company": map[string]any{"industry": "g"}, "profile": map[string]any{"provides": []string{"logistics"}}, "contacts": incident})
	add("連携グループ株式会社", map[string]any{"type": "group", "department": "legal",
		"company": map[string]any{"industry": "d", "employees": 5000}, "profile": map[string]any{"provides": []string{"bpo"}, "personal_data_count": 20000}})
	add("Renkei Vietnam Co., Ltd.", map[string]any{"type": "overseas", "department": "it_security",
		"company": map[string]any{"industry": "d", "country": "VN"}, "profile": map[string]any{"subcontracts": true}})
	add("みらい商事株式会社", map[string]any{"type": "supplier", "department": "procurement",
		"company": map[string]any{"industry": "h"}, "contacts": incident})
	return out
}

func apiNames(ps []apiPartnerT) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Company.Name
	}
	return out
}

func TestAPIPartnerListFiltersSortingPaging(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		seed := apiSeedPartners(t, app, tn)
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		// An agreement for confidentiality on two of them.
		for _, n := range []string{"株式会社ＡＢＣ製作所", "大阪物流株式会社"} {
			mustStatus(t, app.call(t, "POST", "/api/v1/partners/"+seed[n].ID+"/agreements", req{Token: tn.Token,
				Body: map[string]any{"requirement_code": "confidentiality", "contract": "秘密保持契約"}}), 201, "agreement")
		}
		other := app.newTenant("乙社", renkei.RoleAdmin)
		apiNewPartner(t, app, other.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社ABC製作所 乙", "industry": "d"}})

		get := func(query string) []string {
			t.Helper()
			got := apiNames(listAll(t, app, viewer, "/api/v1/partners?"+query, 2, apiPartnerID))
			sort.Strings(got)
			return got
		}
		sorted := func(ns ...string) []string { sort.Strings(ns); return ns }
		for _, c := range []struct {
			query string
			want  []string
		}{
			{"", sorted("株式会社ＡＢＣ製作所", "東京システム合同会社", "大阪物流株式会社", "連携グループ株式会社", "Renkei Vietnam Co., Ltd.", "みらい商事株式会社")},
			{"type=group", sorted("連携グループ株式会社")},
			{"type=overseas", sorted("Renkei Vietnam Co., Ltd.")},
			{"required_level=star4", sorted("株式会社ＡＢＣ製作所", "東京システム合同会社")},
			{"tier=high", sorted("東京システム合同会社")},
			{"industry=d", sorted("株式会社ＡＢＣ製作所", "連携グループ株式会社", "Renkei Vietnam Co., Ltd.")},
			{"department=it_security", sorted("東京システム合同会社", "Renkei Vietnam Co., Ltd.")},
			{"industry=d&type=supplier", sorted("株式会社ＡＢＣ製作所")},
			{"missing_agreement=confidentiality", sorted("東京システム合同会社", "連携グループ株式会社", "Renkei Vietnam Co., Ltd.", "みらい商事株式会社")},
			{"missing_agreement=sbom", get("")},
			{"missing_incident_contact=1", sorted("東京システム合同会社", "連携グループ株式会社", "Renkei Vietnam Co., Ltd.")},
			{"missing_incident_contact=true&type=supplier", sorted("東京システム合同会社")},
			{"missing_incident_contact=false", get("")},
			{"q=abc", sorted("株式会社ＡＢＣ製作所")},
			{"q=" + url.QueryEscape("ＡＢＣ"), sorted("株式会社ＡＢＣ製作所")},
			{"q=S-001", sorted("株式会社ＡＢＣ製作所")},
			{"q=" + apiCorpNum(700000000201), sorted("株式会社ＡＢＣ製作所")},
			{"q=vietnam", sorted("Renkei Vietnam Co., Ltd.")},
			{"q=" + url.QueryEscape("%"), nil},
			{"archived=1", nil},
		} {
			if got := get(c.query); !slices.Equal(got, c.want) {
				t.Errorf("%q: got %v, want %v", c.query, got, c.want)
			}
		}
		// Sorting, across pages of 2.
		all := listAll(t, app, viewer, "/api/v1/partners?sort=risk", 0, apiPartnerID)
		for _, s := range []string{"name", "-name", "risk", "-risk", "created", "-created", ""} {
			ps := listAll(t, app, viewer, "/api/v1/partners?sort="+s, 2, apiPartnerID)
			if len(ps) != len(all) {
				t.Fatalf("sort %q: %d of %d", s, len(ps), len(all))
			}
			ok := sort.SliceIsSorted(ps, func(i, j int) bool {
				a, b := ps[i], ps[j]
				switch s {
				case "name":
					return renkei.NormalizeCompanyName(a.Company.Name) < renkei.NormalizeCompanyName(b.Company.Name)
				case "-name":
					return renkei.NormalizeCompanyName(a.Company.Name) > renkei.NormalizeCompanyName(b.Company.Name)
				case "risk":
					return a.Risk.Score < b.Risk.Score
				case "created":
					return a.CreatedAt.Before(b.CreatedAt) || a.CreatedAt.Equal(b.CreatedAt) && a.ID < b.ID
				case "-created":
					return a.CreatedAt.After(b.CreatedAt) || a.CreatedAt.Equal(b.CreatedAt) && a.ID > b.ID
				}
				return a.Risk.Score > b.Risk.Score
			})
			if !ok {
				t.Errorf("sort %q out of order: %v", s, apiNames(ps))
			}
		}
		if ps := listAll(t, app, viewer, "/api/v1/partners?sort=-risk", 0, apiPartnerID); ps[0].Company.Name != "東京システム合同会社" {
			t.Errorf("highest risk first: %v", apiNames(ps))
		}
		// The created order is the order of creation.
		ps := listAll(t, app, viewer, "/api/v1/partners?sort=created", 1, apiPartnerID)
		if ps[0].Company.Name != "株式会社ＡＢＣ製作所" || ps[len(ps)-1].Company.Name != "みらい商事株式会社" {
			t.Errorf("created order: %v", apiNames(ps))
		}
		// A page holds at most limit; a cursor from one sort does not
		// serve another.
		var page list[apiPartnerT]
		app.call(t, "GET", "/api/v1/partners?sort=name&limit=2", req{Token: viewer}).JSON(t, &page)
		if len(page.Items) != 2 || page.NextCursor == "" {
			t.Fatalf("first page: %d %q", len(page.Items), page.NextCursor)
		}
		e := app.refused(t, tn, "GET", "/api/v1/partners?sort=risk&cursor="+page.NextCursor, req{Token: viewer}, 400, "invalid")
		if e.Error.Fields["cursor"] == "" {
			t.Fatalf("cursor of another sort: %v", e.Error.Fields)
		}

		// Each filter value outside its set is a 400 naming the parameter.
		for param, v := range map[string]string{
			"type": "customer", "tier": "extreme", "required_level": "star5", "industry": "z", "department": "sales",
			"missing_incident_contact": "maybe", "archived": "2", "sort": "size", "missing_agreement": "no-such-kind",
			"q": strings.Repeat("長", 201),
		} {
			e := app.refused(t, tn, "GET", "/api/v1/partners?"+param+"="+url.QueryEscape(v), req{Token: viewer, Header: map[string]string{"Accept-Language": "en"}}, 400, "invalid")
			if e.Error.Fields[param] == "" || len(e.Error.Fields) != 1 {
				t.Errorf("%s=%s: fields %v", param, v, e.Error.Fields)
			}
		}
	})
}

// ---- import and export ----

// sjisBytes encodes s in Shift_JIS.
func apiSJIS(t testing.TB, s string) []byte {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func apiImport(t testing.TB, app *testApp, token, query string, ct string, data []byte, lang string) apiImportT {
	t.Helper()
	h := map[string]string{"Content-Type": ct}
	if lang != "" {
		h["Accept-Language"] = lang
	}
	r := app.call(t, "POST", "/api/v1/partners/import"+query, req{Token: token, Body: data, Header: h})
	mustStatus(t, r, 200, "import "+query)
	var res apiImportT
	r.JSON(t, &res)
	if res.Errors == nil {
		t.Fatalf("errors is null: %s", r.Body)
	}
	return res
}

type apiImportErrSig struct {
	Row    int
	Column string
}

func (res apiImportT) sigs() []apiImportErrSig {
	var out []apiImportErrSig
	for _, e := range res.Errors {
		out = append(out, apiImportErrSig{e.Row, e.Column})
	}
	return out
}

func TestAPIPartnerImportShiftJIS(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		lines := []string{
			"取引先コード,企業名,法人番号,種別,従業員数,業種,インシデント連絡先メール,インシデント連絡手順,提供するもの,社内ネットワークに到達,備考",
			"S-001,株式会社山田製作所," + apiCorpNum(700000000301) + ",仕入先,120,製造業,soc@yamada.example.jp,電話で1時間以内,直接材、ITの運用・保守,はい,",
			"S-002,東京商事株式会社," + apiBadCorpNum(700000000302) + ",仕入先,30,卸売業,,,,いいえ,",
			"S-003,大阪工業株式会社,,顧客,10,d,,,,,",
			"S-004,髙橋精機株式会社," + apiCorpNum(700000000304) + ",グループ会社,\"1,200\",製造業,,,,×,\"一行目",
			"二行目\"",
			"Ｓ－００５,渡邉電機株式会社,,海外拠点,１，２３４,Ｄ,,,,有,",
		}
		data := apiSJIS(t, strings.Join(lines, "\r\n")+"\r\n")
		if bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) || strings.ToValidUTF8(string(data), "") == string(data) {
			t.Fatal("the fixture should be Shift_JIS")
		}
		wantErrs := []apiImportErrSig{{3, "法人番号"}, {4, "種別"}}
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		app.refused(t, tn, "POST", "/api/v1/partners/import", req{Token: viewer, Body: data, Header: map[string]string{"Content-Type": "text/csv"}}, 403, "forbidden")

		// All or nothing (the default): nothing is created, every
		// problem is listed, in Japanese by default.
		before := auditSeq(t, app)
		res := apiImport(t, app, tn.Token, "", "text/csv", data, "")
		if res.Created != 0 || res.Updated != 0 || !slices.Equal(res.sigs(), wantErrs) {
			t.Fatalf("all or nothing: %+v", res)
		}
		if !strings.Contains(res.Errors[0].Message, "法人番号") || !strings.Contains(res.Errors[1].Message, "顧客") {
			t.Fatalf("Japanese messages: %+v", res.Errors)
		}
		if n := apiPartnerCount(t, app, tn, false); n != 0 || auditSeq(t, app) != before {
			t.Fatalf("all or nothing kept %d partners (audit %d → %d)", n, before, auditSeq(t, app))
		}
		res = apiImport(t, app, tn.Token, "?mode=all_or_nothing", "text/csv; charset=Shift_JIS", data, "en")
		if res.Created != 0 || !slices.Equal(res.sigs(), wantErrs) || !strings.Contains(res.Errors[0].Message, "corporate number") || !strings.Contains(res.Errors[1].Message, "not a partner type") {
			t.Fatalf("English: %+v", res)
		}
		// A dry run of skip_invalid counts the good rows and keeps nothing.
		res = apiImport(t, app, tn.Token, "?mode=skip_invalid&dry_run=1", "text/csv", data, "")
		if res.Created != 3 || res.Updated != 0 || !res.DryRun || !slices.Equal(res.sigs(), wantErrs) {
			t.Fatalf("dry run: %+v", res)
		}
		if n := apiPartnerCount(t, app, tn, false); n != 0 || auditSeq(t, app) != before {
			t.Fatalf("dry run kept %d partners", n)
		}
		// skip_invalid keeps the good rows.
		res = apiImport(t, app, tn.Token, "?mode=skip_invalid", "text/csv", data, "")
		if res.Created != 3 || res.Updated != 0 || !slices.Equal(res.sigs(), wantErrs) {
			t.Fatalf("skip invalid: %+v", res)
		}
		ps := listAll(t, app, tn.Token, "/api/v1/partners?sort=created", 0, apiPartnerID)
		if got := apiNames(ps); !slices.Equal(got, []string{"株式会社山田製作所", "髙橋精機株式会社", "渡邉電機株式会社"}) {
			t.Fatalf("imported: %v", got)
		}
		yamada := ps[0]
		if yamada.ExternalID != "S-001" || yamada.Company.Employees != 120 || yamada.Company.Industry != "d" || yamada.Required != "star4" ||
			!yamada.HasIncidentContact || !slices.Equal(yamada.Profile.Provides, []string{"direct_materials", "it_operations"}) {
			t.Fatalf("row 2 = %+v", yamada)
		}
		if ps[1].Type != "group" || ps[1].Company.Employees != 1200 || ps[1].Notes != "一行目\n二行目" || ps[2].Type != "overseas" || ps[2].ExternalID != "Ｓ－００５" {
			t.Fatalf("rows 5, 7 = %+v / %+v", ps[1], ps[2])
		}
		if es := auditFor(t, app, tn, "partner.import"); len(es) != 1 || es[0].Detail["created"] != float64(3) {
			t.Fatalf("import audit = %+v", es)
		}
		// Importing the same file again creates nothing and changes nothing.
		before = auditSeq(t, app)
		for _, mode := range []string{"skip_invalid", "all_or_nothing"} {
			res = apiImport(t, app, tn.Token, "?mode="+mode, "text/csv", data, "")
			if res.Created != 0 || res.Updated != 0 || !slices.Equal(res.sigs(), wantErrs) {
				t.Fatalf("re-import %s: %+v", mode, res)
			}
		}
		if n := apiPartnerCount(t, app, tn, false); n != 3 {
			t.Fatalf("%d partners after re-import", n)
		}
		// The fixed file: all or nothing now goes through; the rows seen
		// before are updated only where they changed.
		fixed := append([]string{}, lines...)
		fixed[2] = "S-002,東京商事株式会社," + apiCorpNum(700000000302) + ",仕入先,30,卸売業,,,,いいえ,"
		fixed[3] = "S-003,大阪工業株式会社,,仕入先,10,d,,,,,"
		fixed[1] = strings.Replace(fixed[1], ",120,", ",130,", 1)
		res = apiImport(t, app, tn.Token, "", "text/csv", apiSJIS(t, strings.Join(fixed, "\r\n")), "")
		if res.Created != 2 || res.Updated != 1 || len(res.Errors) != 0 {
			t.Fatalf("fixed file: %+v", res)
		}
		if p := apiGetPartnerT(t, app, tn.Token, yamada.ID); p.Company.Employees != 130 {
			t.Fatalf("update by external ID: %+v", p.Company)
		}
		// A problem only the store sees: a Corporate Number another partner
		// has, under another external ID. Named by the column's standard
		// header in the request's language.
		clash := "取引先コード,企業名,法人番号,種別\r\nS-009,山田製作所（別名）," + apiCorpNum(700000000301) + ",仕入先\r\nS-010,新規株式会社,,仕入先\r\n"
		res = apiImport(t, app, tn.Token, "", "text/csv", []byte(clash), "")
		if res.Created != 0 || !slices.Equal(res.sigs(), []apiImportErrSig{{2, "法人番号"}}) || !strings.Contains(res.Errors[0].Message, "S-001") {
			t.Fatalf("store error: %+v", res)
		}
		res = apiImport(t, app, tn.Token, "?mode=skip_invalid", "text/csv", []byte(clash), "en")
		if res.Created != 1 || !slices.Equal(res.sigs(), []apiImportErrSig{{2, "corporate_number"}}) {
			t.Fatalf("store error, skip invalid: %+v", res)
		}
		// Cell problems and store problems together, in row order.
		mixed := "name,type,corporate_number,external_id\r\nBad Type Co.,customer,,X-1\r\nClash,supplier," + apiCorpNum(700000000304) + ",X-2\r\nOK Co.,supplier,,X-3\r\n"
		res = apiImport(t, app, tn.Token, "", "text/csv", []byte(mixed), "en")
		if res.Created != 0 || !slices.Equal(res.sigs(), []apiImportErrSig{{2, "type"}, {3, "corporate_number"}}) {
			t.Fatalf("mixed: %+v", res)
		}
	})
}

// exportFile downloads an export and checks its headers.
func apiExport(t testing.TB, app *testApp, token, query, wantType, wantExt string) []byte {
	t.Helper()
	r := app.call(t, "GET", "/api/v1/partners/export"+query, req{Token: token})
	mustStatus(t, r, 200, "export "+query)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, wantType) {
		t.Fatalf("export %s: Content-Type %q", query, ct)
	}
	cd := r.Header.Get("Content-Disposition")
	today := time.Now().In(renkei.Tokyo)
	names := []string{today.Format("20060102"), today.Add(-time.Minute).Format("20060102")}
	if !regexp.MustCompile(`^attachment; filename="partners-\d{8}\.`+wantExt+`"$`).MatchString(cd) ||
		!strings.Contains(cd, names[0]) && !strings.Contains(cd, names[1]) {
		t.Fatalf("export %s: Content-Disposition %q", query, cd)
	}
	return r.Body
}

func TestAPIPartnerExportRoundTrip(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		seed := apiSeedPartners(t, app, tn)
		hostile := map[string]string{
			"=HYPERLINK(\"http://evil.example/\",\"click\")": "name",
			"+81-3-0000-0000":        "phone",
			"@SUM(A1:A9)":            "notes",
			"-2+3+cmd|' /C calc'!A0": "kana",
		}
		var hostileNames []string
		for v, where := range hostile {
			body := map[string]any{"type": "supplier", "external_id": "H-" + where, "company": map[string]any{"name": "注入テスト " + where}}
			switch where {
			case "name":
				body["company"] = map[string]any{"name": v}
			case "phone":
				body["contacts"] = map[string]any{"incident": map[string]any{"phone": v}}
			case "notes":
				body["notes"] = v
			case "kana":
				body["company"].(map[string]any)["name_kana"] = v
			}
			p := apiNewPartner(t, app, tn.Token, body)
			seed[p.Company.Name] = p
			hostileNames = append(hostileNames, p.Company.Name)
		}
		total := len(seed)

		// CSV, UTF-8 with a BOM, English headers.
		data := apiExport(t, app, tn.Token, "?lang=en", "text/csv", "csv")
		if !bytes.HasPrefix(data, []byte("\ufeff")) {
			t.Fatalf("no BOM: %q", data[:20])
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != total+1 || recs[0][0] != "external_id" || !slices.Contains(recs[0], "corporate_number") || !slices.Contains(recs[0], "risk_score") {
			t.Fatalf("CSV: %d records, header %v", len(recs), recs[0])
		}
		for v := range hostile {
			found := false
			for _, rec := range recs[1:] {
				for _, cell := range rec {
					if cell == v {
						t.Fatalf("formula exported as is: %q", cell)
					}
					if cell == "'"+v {
						found = true
					}
				}
			}
			if !found {
				t.Fatalf("%q not found neutralized in the CSV", v)
			}
		}
		// Japanese headers by default (the request's language), and
		// Shift_JIS on request.
		ja := apiExport(t, app, tn.Token, "?encoding=shift_jis", "text/csv", "csv")
		text, err := japanese.ShiftJIS.NewDecoder().Bytes(ja)
		if err != nil || !strings.HasPrefix(string(text), "取引先コード,企業名,") || !strings.Contains(string(text), "連携グループ株式会社") || bytes.HasPrefix(ja, []byte("\ufeff")) {
			t.Fatalf("Shift_JIS export: %v %q", err, text[:min(len(text), 80)])
		}
		// The filters apply.
		groups := apiExport(t, app, tn.Token, "?type=group&lang=en", "text/csv", "csv")
		if recs, _ := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(groups, []byte("\ufeff")))).ReadAll(); len(recs) != 2 || !slices.Contains(recs[1], "連携グループ株式会社") {
			t.Fatalf("group export: %v", recs)
		}

		// XLSX: formulas are text with a leading quote, never formulas.
		x := apiExport(t, app, tn.Token, "?format=xlsx&lang=ja", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
		f, err := excelize.OpenReader(bytes.NewReader(x))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("取引先")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != total+1 || rows[0][1] != "企業名" {
			t.Fatalf("XLSX: %d rows, header %v", len(rows), rows[0])
		}
		neutral := 0
		for i, row := range rows[1:] {
			for j, cell := range row {
				name, _ := excelize.CoordinatesToCellName(j+1, i+2)
				if formula, _ := f.GetCellFormula("取引先", name); formula != "" {
					t.Fatalf("%s is a formula: %q", name, formula)
				}
				if _, ok := hostile[cell]; ok {
					t.Fatalf("%s exported as is: %q", name, cell)
				}
				if _, ok := hostile[strings.TrimPrefix(cell, "'")]; ok {
					neutral++
				}
			}
		}
		f.Close()
		if neutral != len(hostile) {
			t.Fatalf("%d neutralized cells, want %d", neutral, len(hostile))
		}

		// Round trips: each export imports into another organization as
		// the same partners, and into this one as nothing new.
		for _, c := range []struct {
			ct   string
			data []byte
		}{{"text/csv", data}, {"text/csv", ja}, {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", x}} {
			res := apiImport(t, app, tn.Token, "", c.ct, c.data, "")
			if res.Created != 0 || res.Updated != 0 || len(res.Errors) != 0 {
				t.Fatalf("re-import of the export (%s): %+v", c.ct, res)
			}
			other := app.newTenant("乙社", renkei.RoleAdmin)
			res = apiImport(t, app, other.Token, "", c.ct, c.data, "")
			if res.Created != total || len(res.Errors) != 0 {
				t.Fatalf("import of the export elsewhere (%s): %+v", c.ct, res)
			}
			got := map[string]apiPartnerT{}
			for _, p := range listAll(t, app, other.Token, "/api/v1/partners", 200, apiPartnerID) {
				got[p.Company.Name] = p
			}
			for name, want := range seed {
				g, ok := got[name]
				if !ok {
					t.Fatalf("%s: %q missing after the round trip (%v)", c.ct, name, apiNames(listAll(t, app, other.Token, "/api/v1/partners", 200, apiPartnerID)))
				}
				if g.Type != want.Type || g.ExternalID != want.ExternalID || g.Department != want.Department || g.Company.NameKana != want.Company.NameKana ||
					g.Company.CorporateNumber != want.Company.CorporateNumber || g.Company.Industry != want.Company.Industry ||
					g.Company.Country != want.Company.Country || g.Company.Employees != want.Company.Employees ||
					g.Notes != want.Notes || g.Contacts != want.Contacts || g.Risk.Score != want.Risk.Score || g.Required != want.Required ||
					!slices.Equal(g.Profile.Provides, want.Profile.Provides) || !slices.Equal(g.Profile.NetworkAccess, want.Profile.NetworkAccess) {
					t.Fatalf("%s: %q changed in the round trip:\n got %+v\nwant %+v", c.ct, name, g.Partner, want.Partner)
				}
			}
		}
		for _, n := range hostileNames {
			if _, ok := seed[n]; !ok {
				t.Fatal(n)
			}
		}

		// Bad parameters.
		for param, v := range map[string]string{"format": "pdf", "encoding": "euc-jp", "lang": "fr", "type": "x", "sort": "y"} {
			e := app.refused(t, tn, "GET", "/api/v1/partners/export?"+param+"="+v, req{Token: tn.Token}, 400, "invalid")
			if e.Error.Fields[param] == "" {
				t.Errorf("%s=%s: %v", param, v, e.Error.Fields)
			}
		}
		// A character Shift_JIS cannot hold: a clean 400 naming where.
		apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "絵文字商店 🏭"}})
		e := app.refused(t, tn, "GET", "/api/v1/partners/export?encoding=shift_jis&lang=en", req{Token: tn.Token, Header: map[string]string{"Accept-Language": "en"}}, 400, "invalid")
		if !strings.Contains(e.Error.Message, "🏭") || !strings.Contains(e.Error.Message, "name") {
			t.Fatalf("unencodable: %q", e.Error.Message)
		}
		apiExport(t, app, tn.Token, "?encoding=utf-8", "text/csv", "csv")
		// Readers may export.
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		apiExport(t, app, viewer, "?format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
	})
}

// TestAPIPartnerExportPages: an export reads the store a page at a time
// and still holds every partner once.
func TestAPIPartnerExportPages(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		var b strings.Builder
		b.WriteString("external_id,name,type,employees\n")
		const n = 450 // more than two of the export's pages of 200
		for i := range n {
			fmt.Fprintf(&b, "E-%04d,取引先%04d株式会社,supplier,%d\n", i, i, i%7)
		}
		if res := apiImport(t, app, tn.Token, "", "text/csv", []byte(b.String()), ""); res.Created != n {
			t.Fatalf("import: %+v", res)
		}
		for _, s := range []string{"", "name", "-created"} {
			data := apiExport(t, app, tn.Token, "?lang=en&sort="+s, "text/csv", "csv")
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, rec := range recs[1:] {
				if seen[rec[0]] {
					t.Fatalf("sort %q: %s twice", s, rec[0])
				}
				seen[rec[0]] = true
			}
			if len(seen) != n {
				t.Fatalf("sort %q: %d partners exported, want %d", s, len(seen), n)
			}
		}
	})
}

// ---- requirements, agreements, coverage, support, risk policy ----

func TestAPIRequirementsAndAgreements(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		ks := listAll(t, app, viewer, "/api/v1/requirements", 5, apiRequirementID)
		if len(ks) != len(renkei.Terms(renkei.ListRequirement)) || ks[0].Code != "confidentiality" || !ks[0].Builtin || ks[0].NameJA == "" || ks[0].NameEN == "" {
			t.Fatalf("builtin kinds: %+v", ks)
		}
		// The organization's own kind.
		r := app.call(t, "POST", "/api/v1/requirements", req{Token: tn.Token, Body: map[string]any{"code": "org-pentest", "name_ja": "侵入テストの受入れ", "name_en": "Accept penetration tests"}})
		mustStatus(t, r, 201, "create kind")
		var own apiRequirementT
		r.JSON(t, &own)
		if own.Code != "org-pentest" || own.Builtin || own.ID == "" {
			t.Fatalf("own kind: %+v", own)
		}
		if ks := listAll(t, app, viewer, "/api/v1/requirements", 200, apiRequirementID); ks[len(ks)-1].ID != own.ID {
			t.Fatalf("own kind not last: %+v", ks)
		}
		for _, code := range []string{"org-pentest", "confidentiality"} {
			if e := app.refused(t, tn, "POST", "/api/v1/requirements", req{Token: tn.Token, Body: map[string]any{"code": code, "name_ja": "重複"}}, 409, "conflict"); e.Error.Fields["code"] == "" {
				t.Fatalf("clash %s: %v", code, e.Error.Fields)
			}
		}
		for _, body := range []string{`{"code":"Bad Code","name_ja":"x"}`, `{"code":"ok-code"}`, `{"name_ja":"x"}`, `{"code":"x","name_ja":"a\u202eb"}`} {
			app.refused(t, tn, "POST", "/api/v1/requirements", req{Token: tn.Token, Body: body}, 400, "invalid")
		}
		app.refused(t, tn, "POST", "/api/v1/requirements", req{Token: viewer, Body: `{"code":"org-x","name_ja":"x"}`}, 403, "forbidden")
		// Another organization does not see it.
		other := app.newTenant("乙社", renkei.RoleAdmin)
		for _, k := range listAll(t, app, other.Token, "/api/v1/requirements", 200, apiRequirementID) {
			if k.Code == "org-pentest" || k.ID == own.ID {
				t.Fatalf("B sees A's kind: %+v", k)
			}
		}

		p := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社契約先"}})
		base := "/api/v1/partners/" + p.ID + "/agreements"
		// By code, with days in Tokyo: in force from the start of the first
		// day through the end of the last.
		r = app.call(t, "POST", base, req{Token: tn.Token, Body: map[string]any{"requirement_code": "confidentiality", "contract": "秘密保持契約書 2025",
			"valid_from": "2025-04-01", "valid_until": "2099-03-31", "notes": "原本は法務部"}})
		mustStatus(t, r, 201, "agreement by code")
		var a1 apiAgreementT
		r.JSON(t, &a1)
		if a1.RequirementCode != "confidentiality" || a1.RequirementID != ks[0].ID || a1.PartnerID != p.ID || !a1.Active ||
			!a1.ValidFrom.Equal(time.Date(2025, 3, 31, 15, 0, 0, 0, time.UTC)) || !a1.ValidUntil.Equal(time.Date(2099, 3, 31, 15, 0, 0, 0, time.UTC)) {
			t.Fatalf("agreement = %+v", a1)
		}
		// By ID, with RFC 3339 times and no end.
		r = app.call(t, "POST", base, req{Token: tn.Token, Body: map[string]any{"requirement_id": own.ID, "valid_from": "2026-01-01T00:00:00+09:00"}})
		mustStatus(t, r, 201, "agreement by id")
		var a2 apiAgreementT
		r.JSON(t, &a2)
		if a2.RequirementCode != "org-pentest" || a2.ValidUntil != nil || !a2.ValidFrom.Equal(time.Date(2025, 12, 31, 15, 0, 0, 0, time.UTC)) {
			t.Fatalf("agreement 2 = %+v", a2)
		}
		// What is refused.
		for _, c := range []struct {
			body  string
			field string
		}{
			{`{"contract":"x"}`, "requirement_id"},
			{`{"requirement_code":"no-such"}`, "requirement_code"},
			{`{"requirement_id":"` + p.ID + `"}`, "requirement_id"},
			{`{"requirement_id":"nope"}`, "requirement_id"},
			{`{"requirement_id":"` + own.ID + `","requirement_code":"confidentiality"}`, "requirement_code"},
			{`{"requirement_code":"sbom","valid_from":"2025-13-01"}`, "valid_from"},
			{`{"requirement_code":"sbom","valid_from":"yesterday"}`, "valid_from"},
			{`{"requirement_code":"sbom","valid_until":12}`, "valid_until"},
			{`{"requirement_code":"sbom","valid_from":"2026-04-01","valid_until":"2025-03-31"}`, "valid_until"},
			{`{"requirement_code":"sbom","contract":"a\u0000b"}`, "contract"},
		} {
			e := app.refused(t, tn, "POST", base, req{Token: tn.Token, Body: c.body}, 400, "invalid")
			if e.Error.Fields[c.field] == "" {
				t.Errorf("%s: fields %v", c.body, e.Error.Fields)
			}
		}
		// Another organization's kind is not one of ours.
		var otherKinds list[apiRequirementT]
		app.call(t, "GET", "/api/v1/requirements", req{Token: other.Token}).JSON(t, &otherKinds)
		app.refused(t, tn, "POST", base, req{Token: tn.Token, Body: map[string]any{"requirement_id": otherKinds.Items[0].ID}}, 400, "invalid")
		app.refused(t, tn, "POST", base, req{Token: viewer, Body: `{"requirement_code":"sbom"}`}, 403, "forbidden")

		as := listAll(t, app, viewer, base, 1, apiAgreementID)
		if len(as) != 2 {
			t.Fatalf("agreements: %+v", as)
		}
		// PATCH changes what is given; null clears a date.
		r = app.call(t, "PATCH", base+"/"+a1.ID, req{Token: tn.Token, Body: `{"contract":"秘密保持契約書 改訂版","valid_until":null}`})
		mustStatus(t, r, 200, "patch agreement")
		var a1b apiAgreementT
		r.JSON(t, &a1b)
		if a1b.Contract != "秘密保持契約書 改訂版" || a1b.ValidUntil != nil || !a1b.ValidFrom.Equal(*a1.ValidFrom) || a1b.Notes != "原本は法務部" || a1b.RequirementCode != "confidentiality" {
			t.Fatalf("patched = %+v", a1b)
		}
		r = app.call(t, "PATCH", base+"/"+a1.ID, req{Token: tn.Token, Body: `{"requirement_code":"incident_handling"}`})
		mustStatus(t, r, 200, "patch kind")
		if r.JSON(t, &a1b); a1b.RequirementCode != "incident_handling" || a1b.Contract != "秘密保持契約書 改訂版" {
			t.Fatalf("patched kind = %+v", a1b)
		}
		if e := app.refused(t, tn, "PATCH", base+"/"+a1.ID, req{Token: tn.Token, Body: `{"valid_from":"2100-01-01","valid_until":"2099-12-30"}`}, 400, "invalid"); e.Error.Fields["valid_until"] == "" {
			t.Fatalf("date order on patch: %v", e.Error.Fields)
		}
		app.refused(t, tn, "PATCH", base+"/"+a1.ID, req{Token: viewer, Body: `{"contract":"x"}`}, 403, "forbidden")
		// An agreement is reached only through its own partner.
		q := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "別の取引先"}})
		app.refused(t, tn, "PATCH", "/api/v1/partners/"+q.ID+"/agreements/"+a1.ID, req{Token: tn.Token, Body: `{"contract":"x"}`}, 404, "not_found")
		app.refused(t, tn, "DELETE", "/api/v1/partners/"+q.ID+"/agreements/"+a1.ID, req{Token: tn.Token}, 404, "not_found")
		bp := apiNewPartner(t, app, other.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "乙の取引先"}})
		app.refused(t, tn, "PATCH", "/api/v1/partners/"+bp.ID+"/agreements/"+a1.ID, req{Token: other.Token, Body: `{"contract":"x"}`}, 404, "not_found")
		// DELETE.
		mustStatus(t, app.call(t, "DELETE", base+"/"+a2.ID, req{Token: tn.Token}), 204, "delete")
		app.refused(t, tn, "DELETE", base+"/"+a2.ID, req{Token: tn.Token}, 404, "not_found")
		if as := listAll(t, app, viewer, base, 0, apiAgreementID); len(as) != 1 || as[0].ID != a1.ID {
			t.Fatalf("after delete: %+v", as)
		}
		for action, n := range map[string]int{"agreement.create": 2, "agreement.update": 2, "agreement.delete": 1, "requirement.create": 1} {
			if es := auditFor(t, app, tn, action); len(es) != n {
				t.Errorf("audit %s: %d entries, want %d", action, len(es), n)
			}
		}

		// Expiring agreements: the window counts from now.
		soon := time.Now().In(renkei.Tokyo).AddDate(0, 0, 10).Format("2006-01-02")
		later := time.Now().In(renkei.Tokyo).AddDate(0, 0, 200).Format("2006-01-02")
		var s1, s2 apiAgreementT
		app.call(t, "POST", "/api/v1/partners/"+q.ID+"/agreements", req{Token: tn.Token, Body: map[string]any{"requirement_code": "sbom", "valid_until": soon}}).JSON(t, &s1)
		app.call(t, "POST", "/api/v1/partners/"+q.ID+"/agreements", req{Token: tn.Token, Body: map[string]any{"requirement_code": "education", "valid_until": later}}).JSON(t, &s2)
		ids := func(path string) []string {
			var out []string
			for _, a := range listAll(t, app, viewer, path, 1, apiAgreementID) {
				out = append(out, a.ID)
			}
			return out
		}
		if got := ids("/api/v1/agreements/expiring"); !slices.Equal(got, []string{s1.ID}) {
			t.Fatalf("expiring in 90 days: %v (want %s)", got, s1.ID)
		}
		if got := ids("/api/v1/agreements/expiring?within_days=365"); !slices.Equal(got, []string{s1.ID, s2.ID}) {
			t.Fatalf("expiring in 365 days: %v", got)
		}
		if got := ids("/api/v1/agreements/expiring?within_days=5"); len(got) != 0 {
			t.Fatalf("expiring in 5 days: %v", got)
		}
		for _, v := range []string{"0", "-1", "3651", "x"} {
			if e := app.refused(t, tn, "GET", "/api/v1/agreements/expiring?within_days="+v, req{Token: viewer}, 400, "invalid"); e.Error.Fields["within_days"] == "" {
				t.Errorf("within_days=%s: %v", v, e.Error.Fields)
			}
		}
		mustStatus(t, app.call(t, "POST", "/api/v1/partners/"+q.ID+"/archive", req{Token: tn.Token}), 200, "archive")
		if got := ids("/api/v1/agreements/expiring?within_days=365"); len(got) != 0 {
			t.Fatalf("an archived partner's agreements: %v", got)
		}
		mustStatus(t, app.call(t, "POST", "/api/v1/partners/"+q.ID+"/unarchive", req{Token: tn.Token}), 200, "unarchive")

		// Coverage: suppliers × kinds, in percent.
		var cov struct {
			Cells []renkei.CoverageCell `json:"cells"`
		}
		app.call(t, "GET", "/api/v1/partners/coverage", req{Token: viewer}).JSON(t, &cov)
		cell := func(typ, code string) renkei.CoverageCell {
			for _, c := range cov.Cells {
				if c.PartnerType == typ && c.Requirement == code {
					return c
				}
			}
			t.Fatalf("no cell %s × %s", typ, code)
			return renkei.CoverageCell{}
		}
		if len(cov.Cells) != 3*(len(renkei.Terms(renkei.ListRequirement))+1) {
			t.Fatalf("%d cells", len(cov.Cells))
		}
		if c := cell("supplier", "incident_handling"); c.Partners != 2 || c.Covered != 1 || c.Percent != 50 {
			t.Fatalf("supplier × incident_handling = %+v", c)
		}
		if c := cell("supplier", "org-pentest"); c.Partners != 2 || c.Covered != 0 || c.Percent != 0 {
			t.Fatalf("supplier × org-pentest = %+v", c)
		}
		if c := cell("group", "incident_handling"); c.Partners != 0 || c.Percent != 0 {
			t.Fatalf("group × incident_handling = %+v", c)
		}
		// The list's missing_agreement filter agrees.
		if ps := listAll(t, app, viewer, "/api/v1/partners?missing_agreement=incident_handling", 0, apiPartnerID); len(ps) != 1 || ps[0].ID != q.ID {
			t.Fatalf("missing incident_handling: %v", apiNames(ps))
		}
		if ps := listAll(t, app, viewer, "/api/v1/partners?missing_agreement=org-pentest", 0, apiPartnerID); len(ps) != 2 {
			t.Fatalf("missing org-pentest: %v", apiNames(ps))
		}
	})
}

func TestAPIPartnerSupport(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		p := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社支援先"}})
		base := "/api/v1/partners/" + p.ID + "/support"
		r := app.call(t, "POST", base, req{Token: tn.Token, Body: map[string]any{"kind": "cost_sharing", "date": "2026-04-01", "description": "UTM導入費用の半額\n（補助）", "amount_yen": 500000}})
		mustStatus(t, r, 201, "support")
		var s struct {
			ID          string    `json:"id"`
			Kind        string    `json:"kind"`
			Date        time.Time `json:"date"`
			Description string    `json:"description"`
			AmountYen   int64     `json:"amount_yen"`
		}
		r.JSON(t, &s)
		if s.Kind != "cost_sharing" || !s.Date.Equal(time.Date(2026, 3, 31, 15, 0, 0, 0, time.UTC)) || s.AmountYen != 500000 || s.Description != "UTM導入費用の半額\n（補助）" {
			t.Fatalf("support = %+v", s)
		}
		mustStatus(t, app.call(t, "POST", base, req{Token: tn.Token, Body: `{"kind":"education","date":"2026-05-01T10:00:00+09:00"}`}), 201, "support 2")
		var l list[map[string]any]
		app.call(t, "GET", base, req{Token: viewer}).JSON(t, &l)
		if len(l.Items) != 2 || l.Items[0]["kind"] != "education" {
			t.Fatalf("support list (latest first): %+v", l.Items)
		}
		for body, field := range map[string]string{
			`{"kind":"bribery","date":"2026-04-01"}`:               "kind",
			`{"kind":"staff"}`:                                     "date",
			`{"kind":"staff","date":"04/01/2026"}`:                 "date",
			`{"kind":"staff","date":"2026-04-01","amount_yen":-1}`: "amount_yen",
		} {
			if e := app.refused(t, tn, "POST", base, req{Token: tn.Token, Body: body}, 400, "invalid"); e.Error.Fields[field] == "" {
				t.Errorf("%s: %v", body, e.Error.Fields)
			}
		}
		app.refused(t, tn, "POST", base, req{Token: viewer, Body: `{"kind":"staff","date":"2026-04-01"}`}, 403, "forbidden")
	})
}

func TestAPIRiskPolicy(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		sec := app.addUserToken(tn, renkei.RoleSecurity)
		var rp struct {
			Weights                   map[string]int `json:"weights"`
			HighAt                    int            `json:"high_at"`
			MediumAt                  int            `json:"medium_at"`
			SmallSupplierLevel        string         `json:"small_supplier_level"`
			SmallSupplierMaxEmployees int            `json:"small_supplier_max_employees"`
			Factors                   []struct{ Code, JA, EN string }
		}
		app.call(t, "GET", "/api/v1/risk_policy", req{Token: sec}).JSON(t, &rp)
		if rp.HighAt != 60 || rp.MediumAt != 30 || rp.Weights == nil || len(rp.Factors) != len(renkei.RiskFactorCodes()) || rp.Factors[0].Code != "reaches_internal_network" || rp.Factors[0].JA == "" {
			t.Fatalf("default policy: %+v", rp)
		}
		net := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "接続先", "employees": 500},
			"profile": map[string]any{"reaches_internal_network": true}})
		small := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "小さな仕入先", "employees": 12},
			"profile": map[string]any{"provides": []string{"direct_materials"}}})
		if net.Risk.Score != 20 || small.Required != "star3" {
			t.Fatalf("before: %+v / %+v", net.Risk, small.Required)
		}
		// Only admins change the policy.
		body := `{"weights":{"reaches_internal_network":70},"high_at":70,"medium_at":35,"small_supplier_level":"star2","small_supplier_max_employees":20}`
		app.refused(t, tn, "PUT", "/api/v1/risk_policy", req{Token: sec, Body: body}, 403, "forbidden")
		r := app.call(t, "PUT", "/api/v1/risk_policy", req{Token: tn.Token, Body: body})
		mustStatus(t, r, 200, "put policy")
		r.JSON(t, &rp)
		if rp.HighAt != 70 || rp.Weights["reaches_internal_network"] != 70 || rp.SmallSupplierLevel != "star2" || len(rp.Factors) == 0 {
			t.Fatalf("stored policy: %+v", rp)
		}
		// Every partner is evaluated again.
		got := apiGetPartnerT(t, app, tn.Token, net.ID)
		if got.Risk.Score != 70 || got.Risk.Tier != "high" || !apiHasReason(got.Risk.Reasons, "reaches_internal_network", 70) || got.Required != "star4" {
			t.Fatalf("re-evaluated: %+v", got.Risk)
		}
		got = apiGetPartnerT(t, app, tn.Token, small.ID)
		if got.Required != "star2" || !strings.Contains(got.RequiredReason.EN, "star 2 is accepted") {
			t.Fatalf("small supplier: %s %+v", got.Required, got.RequiredReason)
		}
		var hist list[renkei.RiskHistoryEntry]
		app.call(t, "GET", "/api/v1/partners/"+net.ID+"/risk_history", req{Token: sec}).JSON(t, &hist)
		if len(hist.Items) != 2 || hist.Items[0].Score != 70 {
			t.Fatalf("history after the policy change: %+v", hist.Items)
		}
		if ps := listAll(t, app, sec, "/api/v1/partners?required_level=star2", 0, apiPartnerID); len(ps) != 1 || ps[0].ID != small.ID {
			t.Fatalf("star2 filter: %v", apiNames(ps))
		}
		// What is refused.
		for b, field := range map[string]string{
			`{"weights":{"reaches_internal_network":101}}`: "weights.reaches_internal_network",
			`{"weights":{"astrology":5}}`:                  "weights.astrology",
			`{"high_at":30,"medium_at":60}`:                "high_at",
			`{"small_supplier_level":"star3"}`:             "small_supplier_level",
			`{"small_supplier_level":"star1"}`:             "small_supplier_max_employees",
			`{"weights":{"saas":"x"}}`:                     "weights",
		} {
			if e := app.refused(t, tn, "PUT", "/api/v1/risk_policy", req{Token: tn.Token, Body: b}, 400, "invalid"); e.Error.Fields[field] == "" {
				t.Errorf("%s: %v", b, e.Error.Fields)
			}
		}
		// Back to the defaults.
		mustStatus(t, app.call(t, "PUT", "/api/v1/risk_policy", req{Token: tn.Token, Body: `{}`}), 200, "reset")
		if got := apiGetPartnerT(t, app, tn.Token, net.ID); got.Risk.Score != 20 {
			t.Fatalf("after reset: %+v", got.Risk)
		}
	})
}
