package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// portalFixture is an organization with one partner and an assessment of
// self-check-25 sent to it.
type portalFixture struct {
	org        *renkei.Organization
	staff      context.Context
	partner    *renkei.Partner
	assessment renkei.Assessment
}

func newPortalFixture(t *testing.T, db *sqlstore.DB, name string, corp int) portalFixture {
	t.Helper()
	org := storetest.Org(t, db, name)
	staff := asUser(org.ID, renkei.RoleAdmin)
	p := mustCreate(t, db, newPartner(org.ID, name+"の取引先", corpNum(corp), renkei.PartnerSupplier))
	c, _ := campaign(t, db, staff, org.ID, "self-check-25", p.ID)
	return portalFixture{org: org, staff: staff, partner: p, assessment: onlyAssessment(t, db, staff, org.ID, c.ID)}
}

func (f portalFixture) invite(email string) *renkei.PortalLink {
	return &renkei.PortalLink{OrgID: f.org.ID, CompanyID: f.assessment.CompanyID, AssessmentID: f.assessment.ID, Email: email, Purpose: renkei.PortalInvite}
}

func TestPortalLinkIssueStoresOnlyTheHash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newPortalFixture(t, db, "甲社", 201)
		l := f.invite(" Tanaka@Example.JP ")
		secret, err := db.IssuePortalLink(f.staff, l)
		if err != nil {
			t.Fatal(err)
		}
		if renkei.PortalSecretFromPath(secret) != secret {
			t.Fatalf("secret %q is not a link secret", secret)
		}
		if l.Email != "tanaka@example.jp" || !l.ExpiresAt.Equal(l.CreatedAt.Add(renkei.PortalInviteTTL)) || l.CreatedBy == "" {
			t.Fatalf("link %+v", l)
		}
		var stored string
		if err := db.SQL().QueryRow(db.Rebind(`SELECT token_hash FROM portal_links WHERE id = ?`), l.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == secret || stored != renkei.HashSecret(secret) {
			t.Fatalf("stored %q", stored)
		}
		got, err := db.PortalLink(context.Background(), secret)
		if err != nil || got.ID != l.ID || got.AssessmentID != f.assessment.ID || got.UsedAt != nil {
			t.Fatalf("lookup %+v %v", got, err)
		}
		if _, err := db.PortalLink(context.Background(), renkei.NewSecret(32)); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("unknown secret: %v", err)
		}

		bad := &renkei.PortalLink{CompanyID: f.assessment.CompanyID, Email: "not an address", Purpose: "party"}
		_, err = db.IssuePortalLink(f.staff, bad)
		wantCode(t, "bad link", err, renkei.EINVALID)
		if e := err.(*renkei.Error); e.Fields["email"] == "" || e.Fields["purpose"] == "" {
			t.Fatalf("fields %v", e.Fields)
		}
	})
}

func newTestSession() *renkei.Session {
	now := time.Now().UTC()
	return &renkei.Session{TokenHash: renkei.HashSecret(renkei.NewSecret(32)), CSRFToken: "c", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
}

func TestPortalLinkConsumeOnceMakesAPartnerUserAndSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newPortalFixture(t, db, "甲社", 211)
		ctx := context.Background()
		secret, err := db.IssuePortalLink(f.staff, f.invite("suzuki@example.jp"))
		if err != nil {
			t.Fatal(err)
		}
		s := newTestSession()
		l, u, err := db.ConsumePortalLink(ctx, secret, &renkei.User{Locale: "en"}, s)
		if err != nil {
			t.Fatal(err)
		}
		if l.AssessmentID != f.assessment.ID || u.Email != "suzuki@example.jp" || u.Locale != "en" || u.PasswordHash != "" {
			t.Fatalf("link %+v user %+v", l, u)
		}
		stored, err := db.SessionByTokenHash(ctx, s.TokenHash)
		if err != nil || stored.CompanyID != f.assessment.CompanyID || stored.OrgID != "" || stored.UserID != u.ID {
			t.Fatalf("session %+v %v", stored, err)
		}
		cs, err := db.PartnerCompanies(ctx, u.ID)
		if err != nil || len(cs) != 1 || cs[0].ID != f.assessment.CompanyID || cs[0].Name != "甲社の取引先" {
			t.Fatalf("companies %+v %v", cs, err)
		}
		if ms, _ := db.Memberships(ctx, u.ID); len(ms) != 0 {
			t.Fatalf("a partner user got memberships %+v", ms)
		}

		// Single use: the second try fails and makes no session.
		s2 := newTestSession()
		_, _, err = db.ConsumePortalLink(ctx, secret, &renkei.User{}, s2)
		wantCode(t, "second use", err, renkei.ENOTFOUND)
		if _, err := db.SessionByTokenHash(ctx, s2.TokenHash); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("a used link made a session: %v", err)
		}
		if got, _ := db.PortalLink(ctx, secret); got.UsedAt == nil {
			t.Fatal("used_at not set")
		}

		// A second link for the same person to another company (of another
		// organization) ties the same user to both.
		g := newPortalFixture(t, db, "乙社", 212)
		secret2, err := db.IssuePortalLink(g.staff, g.invite("SUZUKI@example.jp"))
		if err != nil {
			t.Fatal(err)
		}
		_, u2, err := db.ConsumePortalLink(ctx, secret2, &renkei.User{}, newTestSession())
		if err != nil || u2.ID != u.ID {
			t.Fatalf("second company: %+v %v", u2, err)
		}
		if cs, _ := db.PartnerCompanies(ctx, u.ID); len(cs) != 2 {
			t.Fatalf("companies %+v", cs)
		}
	})
}

func TestPortalLinkExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newPortalFixture(t, db, "甲社", 221)
		now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		l := &renkei.PortalLink{CompanyID: f.assessment.CompanyID, Email: "sato@example.jp", Purpose: renkei.PortalSignIn}
		secret, err := db.IssuePortalLink(context.Background(), l)
		if err != nil {
			t.Fatal(err)
		}
		if !l.ExpiresAt.Equal(now.Add(renkei.PortalSignInTTL)) {
			t.Fatalf("expires %v", l.ExpiresAt)
		}
		now = now.Add(renkei.PortalSignInTTL)
		_, _, err = db.ConsumePortalLink(context.Background(), secret, &renkei.User{}, newTestSession())
		wantCode(t, "expired link", err, renkei.ENOTFOUND)
		if _, err := db.UserByEmail(context.Background(), "sato@example.jp"); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("an expired link made a user: %v", err)
		}
		if got, _ := db.PortalLink(context.Background(), secret); got.UsedAt != nil {
			t.Fatal("an expired link was marked used")
		}
	})
}
