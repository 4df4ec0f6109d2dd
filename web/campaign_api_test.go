package web_test

import (
	"testing"

	"github.com/renkei/renkei"
)

type apiCampaignCreatedT struct {
	ID                  string                 `json:"id"`
	Assessments         int                    `json:"assessments"`
	Mailed              int                    `json:"mailed"`
	NoContact           int                    `json:"no_contact"`
	NoContactPartnerIDs []string               `json:"no_contact_partner_ids"`
	Filter              *renkei.CampaignFilter `json:"filter"`
	Recurrence          string                 `json:"recurrence"`
	NextRunOn           string                 `json:"next_run_on"`
}

// The campaign body beyond the acceptance checks' {template, partner_ids,
// due_date}: a filter, recurrence, and what was mailed.
func TestAPICampaignFilterAndMail(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		withMail := apiNewPartner(t, app, tn.Token, map[string]any{"type": "group", "company": map[string]any{"name": "甲グループ株式会社"},
			"contacts": map[string]any{"security": map[string]any{"email": "sec@group.example.jp", "locale": "en"}}})
		noMail := apiNewPartner(t, app, tn.Token, map[string]any{"type": "group", "company": map[string]any{"name": "連絡先なし株式会社"}})
		apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社仕入"}})
		r := app.call(t, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: map[string]any{
			"template": "self-check-25", "due_date": "2099-06-30", "filter": map[string]any{"types": []string{"group"}}, "recurrence": "yearly"}})
		mustStatus(t, r, 201, "campaign by filter")
		var c apiCampaignCreatedT
		r.JSON(t, &c)
		if c.Assessments != 2 || c.Mailed != 1 || c.NoContact != 1 || len(c.NoContactPartnerIDs) != 1 || c.NoContactPartnerIDs[0] != noMail.ID ||
			c.Filter == nil || len(c.Filter.Types) != 1 || c.Recurrence != "yearly" || c.NextRunOn == "" {
			t.Fatalf("created %+v", c)
		}
		// Reading the campaign back shows how its partners were chosen and
		// what was mailed.
		var got apiCampaignCreatedT
		app.call(t, "GET", "/api/v1/campaigns/"+c.ID, req{Token: tn.Token}).JSON(t, &got)
		if got.Filter == nil || len(got.Filter.Types) != 1 || got.Recurrence != "yearly" || got.NextRunOn != c.NextRunOn || got.Mailed != 1 || got.NoContact != 1 {
			t.Fatalf("read back %+v", got)
		}
		// The contact's language is in the partners API.
		var p apiPartnerT
		app.call(t, "GET", "/api/v1/partners/"+withMail.ID, req{Token: tn.Token}).JSON(t, &p)
		if p.Contacts.Security.Locale != "en" || p.Contacts.Business.Locale != "ja" {
			t.Fatalf("contacts %+v", p.Contacts)
		}
		if e := app.refused(t, tn, "POST", "/api/v1/partners", req{Token: tn.Token, Body: map[string]any{"type": "supplier",
			"company": map[string]any{"name": "株式会社言語"}, "contacts": map[string]any{"business": map[string]any{"locale": "fr"}}}}, 400, "invalid"); e.Error.Fields["contacts.business.locale"] == "" {
			t.Fatalf("bad locale: %v", e.Error.Fields)
		}

		// Bad input: a coded error per field, nothing created.
		before := len(listAll(t, app, tn.Token, "/api/v1/campaigns", 200, apiCampaignID))
		for field, body := range map[string]map[string]any{
			"filter.tiers":           {"template": "self-check-25", "due_date": "2099-06-30", "filter": map[string]any{"tiers": []string{"extreme"}}},
			"filter.required_levels": {"template": "self-check-25", "due_date": "2099-06-30", "filter": map[string]any{"required_levels": []string{"star9"}}},
			"filter.industries":      {"template": "self-check-25", "due_date": "2099-06-30", "filter": map[string]any{"industries": []string{"zz"}}},
			"filter.departments":     {"template": "self-check-25", "due_date": "2099-06-30", "filter": map[string]any{"departments": []string{"sales"}}},
			"filter.types":           {"template": "self-check-25", "due_date": "2099-06-30", "filter": map[string]any{"types": []string{"vendor"}}},
			"filter":                 {"template": "self-check-25", "due_date": "2099-06-30", "filter": map[string]any{"industries": []string{"q"}}},
			"partner_ids":            {"template": "self-check-25", "due_date": "2099-06-30", "filter": map[string]any{}, "partner_ids": []string{noMail.ID}},
			"recurrence":             {"template": "self-check-25", "due_date": "2099-06-30", "filter": map[string]any{}, "recurrence": "monthly"},
		} {
			if e := app.refused(t, tn, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: body}, 400, "invalid"); e.Error.Fields[field] == "" {
				t.Errorf("%s: fields %v", field, e.Error.Fields)
			}
		}
		// A filter of the wrong shape is malformed JSON for the API.
		app.refused(t, tn, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: `{"template":"self-check-25","due_date":"2099-06-30","filter":{"tiers":"high"}}`}, 400, "invalid")
		app.refused(t, tn, "POST", "/api/v1/campaigns", req{Token: tn.Token, Body: `{"template":"self-check-25","due_date":"2099-06-30","filter":{"tier":["high"]}}`}, 400, "invalid")
		if after := len(listAll(t, app, tn.Token, "/api/v1/campaigns", 200, apiCampaignID)); after != before {
			t.Fatalf("bad input made %d campaigns", after-before)
		}
	})
}
