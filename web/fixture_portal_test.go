package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// Portal fixtures: an assessment sent to a partner company, and a browser
// signed in as a partner user of a company.

// sentAssessment is an assessment an organization sent to one partner.
type sentAssessment struct {
	Tenant     *tenant
	PartnerID  string
	CompanyID  string
	Assessment renkei.Assessment
}

// sendAssessment makes a partner of tn (a new company with Corporate
// Number corpNum(corp)) and sends it template slug through the API.
func (a *testApp) sendAssessment(t testing.TB, tn *tenant, partnerName string, corp int, slug string) sentAssessment {
	t.Helper()
	var p struct {
		ID string `json:"id"`
	}
	body := map[string]any{"type": "supplier", "company": map[string]any{"name": partnerName, "corporate_number": corpNum(corp)}}
	if st := a.api(tn.Token, "POST", "/api/v1/partners", body, &p); st != http.StatusCreated {
		t.Fatalf("create partner %s: %d", partnerName, st)
	}
	var c struct {
		ID string `json:"id"`
	}
	if st := a.api(tn.Token, "POST", "/api/v1/campaigns", map[string]any{"template": slug, "partner_ids": []string{p.ID}, "due_date": "2026-12-31"}, &c); st != http.StatusCreated {
		t.Fatalf("create campaign: %d", st)
	}
	items, _, err := a.DB.ListAssessments(staffCtx(tn), tn.Org.ID, renkei.AssessmentFilter{CampaignID: c.ID}, renkei.Page{})
	if err != nil || len(items) != 1 {
		t.Fatalf("assessments of the campaign: %d %v", len(items), err)
	}
	return sentAssessment{Tenant: tn, PartnerID: p.ID, CompanyID: items[0].CompanyID, Assessment: items[0]}
}

// staffCtx acts as tn's first user (an admin in the fixtures).
func staffCtx(tn *tenant) context.Context {
	return renkei.WithActor(context.Background(), &renkei.Actor{UserID: tn.User.ID, Email: tn.User.Email, OrgID: tn.Org.ID, Role: renkei.RoleAdmin})
}

// portalLink issues a link through the store (as the campaign's mail and
// the handoff do) and returns its path.
func (a *testApp) portalLink(t testing.TB, l *renkei.PortalLink) string {
	t.Helper()
	secret, err := a.DB.IssuePortalLink(storetest.System(), l)
	if err != nil {
		t.Fatal(err)
	}
	return renkei.PortalLinkPath(secret)
}

// partnerSession signs a fresh browser in as the partner user with email
// of company companyID (creating and tying the user as an invitation link
// does) and returns it.
func (a *testApp) partnerSession(t testing.TB, companyID, email string) *http.Client {
	t.Helper()
	path := a.portalLink(t, &renkei.PortalLink{CompanyID: companyID, Email: email, Purpose: renkei.PortalSignIn})
	c := a.browser()
	res, err := c.PostForm(a.Server.URL+path, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/portal" {
		t.Fatalf("partner sign-in for %s: %d to %q", email, res.StatusCode, res.Header.Get("Location"))
	}
	return c
}

// partnerEmail is a fresh address for a partner user.
func partnerEmail(who string) string {
	return strings.ToLower(who) + "-" + sqlstore.NewID()[30:] + "@partner.example.jp"
}
