// Package demo loads the demo organization: a mid-size manufacturer with a
// user for every role. Everything it creates is marked as demo data (the
// organization's demo flag, shown as a badge on every page). Later
// capabilities add their demo data here.
package demo

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/renkei/renkei"
)

// Slug is the demo organization's identifier.
const Slug = "demo"

// Password is the demo users' password. The demo is meant for a
// workstation (the server listens on 127.0.0.1 by default); never load it
// into a database that real people use.
const Password = "renkei-demo-2026"

// Store is what the loader needs.
type Store interface {
	renkei.OrganizationStore
	renkei.UserStore
	renkei.PartnerStore
	AssessmentStore
	renkei.IncidentStore
	renkei.SBOMStore
	renkei.VulnStore
	renkei.VEXStore
}

// Result says what the demo holds and how to sign in.
type Result struct {
	Org         *renkei.Organization
	Users       []DemoUser
	Partners    int
	Assessments int  // made by this load (0 when they were there)
	Incidents   int  // made by this load (0 when they were there)
	Products    int  // with their SBOMs, made by this load (0 when they were there)
	Created     bool // false when the demo was already there
}

// DemoUser is one demo sign-in.
type DemoUser struct {
	Email string
	Role  renkei.Role
	Name  string
}

// users has one person per role, named as people in those departments of
// a Japanese manufacturer might be (fictional).
var users = []struct {
	local, name string
	role        renkei.Role
}{
	{"admin", "管理 太郎", renkei.RoleAdmin},
	{"security", "情報 セキュリティ 花子", renkei.RoleSecurity},
	{"procurement", "調達 次郎", renkei.RoleProcurement},
	{"business", "事業 三郎", renkei.RoleBusiness},
	{"legal", "法務 さくら", renkei.RoleLegal},
	{"viewer", "閲覧 一郎", renkei.RoleViewer},
}

// Domain is the demo mail domain (.example is reserved: no mail leaves).
const Domain = "demo-seiki.example"

// Load creates the demo organization and users unless they exist. ctx must
// carry a system actor.
func Load(ctx context.Context, store Store, acc *renkei.Accounts) (*Result, error) {
	res := &Result{}
	org, err := store.OrganizationBySlug(ctx, Slug)
	switch {
	case err == nil && !org.Demo:
		return nil, fmt.Errorf("an organization with slug %q exists and is not a demo: refusing to add demo data to it", Slug)
	case renkei.ErrorCode(err) == renkei.ENOTFOUND:
		org = &renkei.Organization{Name: "デモ精機株式会社", Slug: Slug, Demo: true}
		if err := store.CreateOrganization(ctx, org); err != nil {
			return nil, err
		}
		res.Created = true
	case err != nil:
		return nil, err
	}
	res.Org = org
	for _, u := range users {
		email := u.local + "@" + Domain
		du := DemoUser{Email: email, Role: u.role, Name: u.name}
		res.Users = append(res.Users, du)
		if existing, err := store.UserByEmail(ctx, email); err == nil {
			if _, err := store.Membership(ctx, org.ID, existing.ID); err == nil {
				continue
			}
		}
		user := &renkei.User{Email: email, Name: u.name, Locale: "ja", TimeZone: renkei.DefaultTimeZone}
		if err := acc.CreateUser(ctx, org.ID, user, u.role, Password); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", email, err)
		}
	}
	if res.Partners, err = loadPartners(ctx, store, org, time.Now().UTC()); err != nil {
		return nil, err
	}
	if res.Assessments, err = loadAssessments(ctx, store, org, time.Now().UTC()); err != nil {
		return nil, err
	}
	if res.Incidents, err = loadIncidents(ctx, store, org, time.Now().UTC()); err != nil {
		return nil, err
	}
	if res.Products, err = loadSBOMs(ctx, store, org, time.Now().UTC()); err != nil {
		return nil, err
	}
	return res, nil
}

// Print tells the person at the terminal how to sign in.
func (r *Result) Print(w io.Writer, baseURL string) {
	state := "ready"
	if r.Created {
		state = "created"
	}
	fmt.Fprintf(w, "\nDemo organization %q (%s) %s — デモ用のデータです。\n", r.Org.Name, r.Org.Slug, state)
	fmt.Fprintf(w, "It holds %d fictional partners (架空の取引先).\n", r.Partners)
	if r.Assessments > 0 {
		fmt.Fprintf(w, "%d assessments were sent to them in two campaigns, and one partner shared an assessment.\n", r.Assessments)
	}
	if r.Incidents > 0 {
		fmt.Fprintf(w, "%d incidents were recorded, one with the APPI reporting clock running.\n", r.Incidents)
	}
	if r.Products > 0 {
		fmt.Fprintf(w, "%d products with SBOMs were registered, matched against fictional advisories %s… (架空の脆弱性情報).\n", r.Products, demoAdvisoryPrefix)
	}
	fmt.Fprintf(w, "Open %s and sign in with one of these (password: %s):\n", baseURL, Password)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	for _, u := range r.Users {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", u.Role, u.Email, u.Name)
	}
	tw.Flush()
	fmt.Fprintln(w)
}
