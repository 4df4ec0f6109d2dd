package sqlstore_test

import (
	"context"
	"testing"

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
