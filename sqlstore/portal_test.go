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

func (f portalFixture) as(userID string) context.Context {
	return renkei.WithActor(context.Background(), &renkei.Actor{UserID: userID, Email: userID + "@example.jp", Role: renkei.RolePartner, PartnerCompanyID: f.assessment.CompanyID})
}

func TestPartnerAssessmentScopedToTheCompany(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		x := newPortalFixture(t, db, "甲社", 231)
		y := newPortalFixture(t, db, "乙社", 232)
		got, err := db.PartnerAssessment(x.as("px"), x.assessment.ID)
		if err != nil || got.ID != x.assessment.ID || got.OrgID != x.org.ID {
			t.Fatalf("own: %+v %v", got, err)
		}
		_, err = db.PartnerAssessment(x.as("px"), y.assessment.ID)
		wantCode(t, "another company's", err, renkei.ENOTFOUND)
		_, err = db.PartnerAssessment(x.staff, x.assessment.ID)
		wantCode(t, "staff", err, renkei.ENOTFOUND)
		// Opening marks a sent assessment opened, once, and only one's own.
		wantCode(t, "open another's", db.MarkOpened(x.as("px"), y.org.ID, y.assessment.ID), "")
		if a, _ := db.Assessment(y.staff, y.org.ID, y.assessment.ID); a.Status != renkei.AssessmentSent {
			t.Fatalf("another company opened it: %s", a.Status)
		}
		before := auditCount(t, db, x.org.ID)
		for range 2 {
			if err := db.MarkOpened(x.as("px"), x.org.ID, x.assessment.ID); err != nil {
				t.Fatal(err)
			}
		}
		if a, _ := db.Assessment(x.staff, x.org.ID, x.assessment.ID); a.Status != renkei.AssessmentOpened || auditCount(t, db, x.org.ID) != before+1 {
			t.Fatalf("opened: %s, %d audit entries", a.Status, auditCount(t, db, x.org.ID)-before)
		}
	})
}

func TestSubmitWaitsForReusedAnswersToBeConfirmed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		first := newPortalFixture(t, db, "甲社", 241)
		all := allAnswers(t, "self-check-25", renkei.AnswerYes)
		if err := db.SaveAnswers(first.as("p1"), first.org.ID, first.assessment.ID, all, false); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Submit(first.as("p1"), first.org.ID, first.assessment.ID); err != nil {
			t.Fatal(err)
		}
		// Another organization asks the same company: prefilled.
		org := storetest.Org(t, db, "丙社")
		staff := asUser(org.ID, renkei.RoleAdmin)
		p := mustCreate(t, db, newPartner(org.ID, "同じ会社", corpNum(241), renkei.PartnerSupplier))
		c, res := campaign(t, db, staff, org.ID, "self-check-25", p.ID)
		if res.Prefilled == 0 {
			t.Skip("self-check-25 shares no controls to prefill")
		}
		second := portalFixture{org: org, staff: staff, assessment: onlyAssessment(t, db, staff, org.ID, c.ID)}
		recs, _ := db.Answers(staff, org.ID, second.assessment.ID)
		reused := map[string]bool{}
		for _, r := range recs {
			if r.Reused {
				reused[r.QuestionRef] = true
			}
		}
		var rest, again []renkei.AnswerInput
		for _, in := range all {
			if reused[in.QuestionRef] {
				again = append(again, in)
			} else {
				rest = append(rest, in)
			}
		}
		if len(rest) > 0 {
			if err := db.SaveAnswers(second.as("p2"), org.ID, second.assessment.ID, rest, false); err != nil {
				t.Fatal(err)
			}
		}
		// Complete, but reused answers unconfirmed: refused by question,
		// through the store, so the API refuses it too.
		_, err := db.Submit(second.as("p2"), org.ID, second.assessment.ID)
		wantCode(t, "unconfirmed", err, renkei.EINVALID)
		e := err.(*renkei.Error)
		if e.Key != "error.assessment_unconfirmed" || len(e.Fields) != len(reused) {
			t.Fatalf("error %+v, %d reused", e, len(reused))
		}
		for ref := range reused {
			if e.Fields[ref] != "answer.reused_unconfirmed" {
				t.Fatalf("field %s: %q", ref, e.Fields[ref])
			}
		}
		// Saving them (confirming as they are) lets it through.
		if err := db.SaveAnswers(second.as("p2"), org.ID, second.assessment.ID, again, false); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Submit(second.as("p2"), org.ID, second.assessment.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestEvidenceCountsInTheAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		staff := asUser(org.ID, renkei.RoleAdmin)
		p := mustCreate(t, db, newPartner(org.ID, "乙製作所", corpNum(251), renkei.PartnerSupplier))
		c, _ := campaign(t, db, staff, org.ID, "supply-chain-star4", p.ID)
		f := portalFixture{org: org, staff: staff, partner: p, assessment: onlyAssessment(t, db, staff, org.ID, c.ID)}
		pu := f.as("pu")
		ev := func(ref string) *renkei.Evidence {
			id := sqlstore.NewID()
			return &renkei.Evidence{ID: id, OrgID: org.ID, AssessmentID: f.assessment.ID, QuestionRef: ref, Key: renkei.EvidenceKey(org.ID, f.assessment.ID, id),
				Name: "規程.pdf", ContentType: renkei.ContentTypePDF, Size: 10}
		}
		// Only a question that takes files.
		wantCode(t, "no evidence question", db.AddEvidence(pu, ev("gov.1")), renkei.EINVALID)
		if err := db.SaveAnswers(pu, org.ID, f.assessment.ID, []renkei.AnswerInput{{QuestionRef: "gov.5", Answer: renkei.Answer{Value: renkei.AnswerYes}}}, false); err != nil {
			t.Fatal(err)
		}
		e1, e2 := ev("gov.5"), ev("gov.5")
		for _, e := range []*renkei.Evidence{e1, e2} {
			if err := db.AddEvidence(pu, e); err != nil {
				t.Fatal(err)
			}
		}
		files := func() int {
			recs, _ := db.Answers(staff, org.ID, f.assessment.ID)
			for _, r := range recs {
				if r.QuestionRef == "gov.5" {
					return r.Files
				}
			}
			return -1
		}
		if files() != 2 {
			t.Fatalf("files %d", files())
		}
		list, err := db.ListEvidence(pu, org.ID, f.assessment.ID)
		if err != nil || len(list) != 2 || list[0].UploadedBy != "pu" {
			t.Fatalf("list %+v %v", list, err)
		}
		// Another company's partner user neither lists nor deletes them.
		other := newPortalFixture(t, db, "丁社", 252)
		_, err = db.ListEvidence(other.as("po"), org.ID, f.assessment.ID)
		wantCode(t, "other company lists", err, renkei.ENOTFOUND)
		_, err = db.DeleteEvidence(other.as("po"), org.ID, f.assessment.ID, e1.ID)
		wantCode(t, "other company deletes", err, renkei.ENOTFOUND)
		got, err := db.DeleteEvidence(pu, org.ID, f.assessment.ID, e1.ID)
		if err != nil || got.Key != e1.Key {
			t.Fatalf("delete %+v %v", got, err)
		}
		if files() != 1 {
			t.Fatalf("files after delete %d", files())
		}
		// At most MaxEvidenceFiles per answer.
		for i := 1; i < renkei.MaxEvidenceFiles; i++ {
			if err := db.AddEvidence(pu, ev("gov.5")); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, "one too many", db.AddEvidence(pu, ev("gov.5")), renkei.EINVALID)
	})
}

func TestHandOffRecordsAndMailsInOneGo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newPortalFixture(t, db, "甲社", 261)
		pu := f.as("pu")
		render := func(l *renkei.PortalLink, secret string) *renkei.Mail {
			return &renkei.Mail{Subject: "s", Text: renkei.PortalLinkPath(secret), Template: "portal_handoff", Locale: "ja"}
		}
		h := &renkei.Handoff{OrgID: f.org.ID, AssessmentID: f.assessment.ID, SectionRef: "nope", ToEmail: "col@example.jp"}
		wantCode(t, "unknown section", db.HandOff(pu, h, render), renkei.EINVALID)
		h.SectionRef = "basics"
		wantCode(t, "staff hand off", db.HandOff(f.staff, h, render), renkei.ENOTFOUND)
		h.ToEmail = "Col@Example.jp"
		if err := db.HandOff(pu, h, render); err != nil {
			t.Fatal(err)
		}
		hs, err := db.Handoffs(f.staff, f.org.ID, f.assessment.ID)
		if err != nil || len(hs) != 1 || hs[0].ToEmail != "col@example.jp" || hs[0].FromEmail != "pu@example.jp" || hs[0].SectionRef != "basics" {
			t.Fatalf("handoffs %+v %v", hs, err)
		}
		var text string
		if err := db.SQL().QueryRow(db.Rebind(`SELECT body_text FROM mail_outbox WHERE to_addr = ?`), "col@example.jp").Scan(&text); err != nil {
			t.Fatal(err)
		}
		secret := renkei.PortalSecretFromPath(text[len("/portal/link/"):])
		l, err := db.PortalLink(context.Background(), secret)
		if err != nil || l.Purpose != renkei.PortalHandoff || l.SectionRef != "basics" || l.ID != hs[0].LinkID || !l.ExpiresAt.Equal(l.CreatedAt.Add(renkei.PortalHandoffTTL)) {
			t.Fatalf("link %+v %v", l, err)
		}
	})
}

func TestPartnerSessionActor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newPortalFixture(t, db, "甲社", 271)
		ctx := context.Background()
		// The link flow needs no password hasher: partner users sign in
		// by link.
		acc := &renkei.Accounts{Store: db}
		secret, err := db.IssuePortalLink(f.staff, f.invite("kimura@example.jp"))
		if err != nil {
			t.Fatal(err)
		}
		res, l, err := acc.UsePortalLink(ctx, secret, "en", "192.0.2.1", "test")
		if err != nil || l.AssessmentID != f.assessment.ID || res.User.Locale != "en" {
			t.Fatalf("use: %+v %+v %v", res, l, err)
		}
		s, err := acc.SessionFor(ctx, res.Secret)
		if err != nil {
			t.Fatal(err)
		}
		act, u, err := acc.ActorForSession(ctx, s, "192.0.2.1")
		if err != nil || u.Email != "kimura@example.jp" {
			t.Fatalf("actor: %v", err)
		}
		if act.Role != renkei.RolePartner || act.PartnerCompanyID != f.assessment.CompanyID || act.OrgID != "" || act.System {
			t.Fatalf("actor %+v", act)
		}
		for _, p := range []renkei.Permission{renkei.PermRead, renkei.PermWrite, renkei.PermManageUsers, renkei.PermManageTokens, renkei.PermManageOrg} {
			if act.Role.Can(p) || renkei.Require(renkei.WithActor(ctx, act), f.org.ID, p) == nil {
				t.Fatalf("a partner user holds %s", p)
			}
		}
		// Switching to a company the user is not tied to is refused.
		g := newPortalFixture(t, db, "乙社", 272)
		wantCode(t, "switch", acc.SwitchPartnerCompany(ctx, s, g.assessment.CompanyID), renkei.ENOTFOUND)
		// Untied from the company, the session no longer acts.
		if _, err := db.SQL().Exec(db.Rebind(`DELETE FROM partner_users WHERE user_id = ?`), u.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = acc.ActorForSession(ctx, s, "192.0.2.1")
		wantCode(t, "untied", err, renkei.EUNAUTHORIZED)
		// A malformed secret is refused before any lookup.
		_, _, err = acc.UsePortalLink(ctx, "not-a-secret", "ja", "", "")
		wantCode(t, "malformed", err, renkei.ENOTFOUND)
	})
}
