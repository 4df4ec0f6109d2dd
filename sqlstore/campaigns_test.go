package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/mailtmpl"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// recordingMailer renders with the real templates and keeps what it was
// asked to say.
type recordingMailer struct {
	real mailtmpl.CampaignMailer
	got  []renkei.CampaignMail
}

func newMailer() *recordingMailer {
	return &recordingMailer{real: mailtmpl.CampaignMailer{BaseURL: "https://renkei.example.jp"}}
}

func (r *recordingMailer) RenderCampaignMail(m *renkei.CampaignMail) (*renkei.Mail, error) {
	r.got = append(r.got, *m)
	return r.real.RenderCampaignMail(m)
}

// outboxMail is a campaign mail as the outbox holds it.
type outboxMail struct{ id, to, template, locale, subject, text string }

func campaignOutbox(t *testing.T, db *sqlstore.DB) []outboxMail {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT id, to_addr, template, locale, subject, body_text FROM mail_outbox WHERE template LIKE 'assessment_%' ORDER BY to_addr, template, id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxMail
	for rows.Next() {
		var m outboxMail
		if err := rows.Scan(&m.id, &m.to, &m.template, &m.locale, &m.subject, &m.text); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func countRows(t *testing.T, db *sqlstore.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(db.Rebind(query), args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// filterFixture makes partners that differ in every filter field, one
// archived, and one of another organization.
func filterFixture(t *testing.T, db *sqlstore.DB, orgID, otherID string) []*renkei.Partner {
	t.Helper()
	var ps []*renkei.Partner
	types := []string{renkei.PartnerSupplier, renkei.PartnerGroup, renkei.PartnerOverseas}
	depts := []string{"", "procurement", "business", "it_security", "legal"}
	industries := []string{"d", "f", "h"}
	for i := range 12 {
		p := newPartner(orgID, fmt.Sprintf("取引先%02d", i), corpNum(500+i), types[i%3])
		p.Department = depts[i%5]
		p.Company.Industry = industries[i%3]
		// Every fourth partner reaches the internal network: star4 and a
		// higher tier.
		p.Profile.ReachesInternalNetwork = i%4 == 0
		p.Profile.ConfidentialTechnical = i%4 == 0
		p.Profile.OutageStopsBusiness = i%2 == 0
		ps = append(ps, mustCreate(t, db, p))
	}
	if err := db.ArchivePartner(storetest.System(), orgID, ps[3].ID, true); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, db, newPartner(otherID, "他社の取引先", corpNum(599), renkei.PartnerSupplier))
	return ps
}

func TestCampaignFilterResolution(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org, other := storetest.Org(t, db, "甲社"), storetest.Org(t, db, "乙社")
		staff := asUser(org.ID, renkei.RoleProcurement)
		filterFixture(t, db, org.ID, other.ID)
		all, _, err := db.ListPartners(staff, org.ID, renkei.PartnerFilter{}, renkei.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		tiers := map[string]bool{}
		for _, p := range all {
			tiers[p.Risk.Tier] = true
		}
		if len(tiers) < 2 {
			t.Fatalf("the fixture should span tiers: %v", tiers)
		}
		filters := []renkei.CampaignFilter{
			{},
			{Types: []string{renkei.PartnerSupplier}},
			{Tiers: []string{renkei.TierHigh}},
			{Tiers: []string{renkei.TierMedium, renkei.TierLow}, Types: []string{renkei.PartnerGroup, renkei.PartnerOverseas}},
			{RequiredLevels: []string{renkei.LevelStar4}},
			{Industries: []string{"f"}, Departments: []string{"business", "legal"}},
		}
		for i, f := range filters {
			var want []string
			for _, p := range all {
				if f.Matches(&p) {
					want = append(want, p.ID)
				}
			}
			slices.Sort(want)
			n, err := db.CountCampaignPartners(staff, org.ID, f)
			if err != nil || n != len(want) {
				t.Fatalf("filter %d: count %d, want %d (%v)", i, n, len(want), err)
			}
			if len(want) == 0 {
				continue
			}
			c := &renkei.Campaign{OrgID: org.ID, TemplateSlug: "self-check-25", DueDate: "2026-12-31", Filter: &f}
			res, err := db.CreateCampaign(staff, c, nil, nil)
			if err != nil || res.Assessments != len(want) {
				t.Fatalf("filter %d: %+v %v, want %d", i, res, err, len(want))
			}
			items, _, err := db.ListAssessments(staff, org.ID, renkei.AssessmentFilter{CampaignID: c.ID}, renkei.Page{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range items {
				got = append(got, a.PartnerID)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("filter %d: partners %v, want %v", i, got, want)
			}
			stored, err := db.Campaign(staff, org.ID, c.ID)
			if err != nil || stored.Filter == nil || fmt.Sprint(*stored.Filter) != fmt.Sprint(f) {
				t.Fatalf("filter %d: stored %+v %v", i, stored, err)
			}
		}

		// Bad input changes nothing.
		before := countRows(t, db, `SELECT COUNT(*) FROM campaigns`)
		bad := []struct {
			c     renkei.Campaign
			ids   []string
			field string
		}{
			{renkei.Campaign{Filter: &renkei.CampaignFilter{Tiers: []string{"extreme"}}}, nil, "filter.tiers"},
			{renkei.Campaign{Filter: &renkei.CampaignFilter{Departments: []string{"sales"}}}, nil, "filter.departments"},
			{renkei.Campaign{Filter: &renkei.CampaignFilter{}}, []string{all[0].ID}, "partner_ids"},
			{renkei.Campaign{Filter: &renkei.CampaignFilter{Industries: []string{"q"}}}, nil, "filter"},
			{renkei.Campaign{Recurrence: "weekly", Filter: &renkei.CampaignFilter{}}, nil, "recurrence"},
		}
		for _, b := range bad {
			c := b.c
			c.OrgID, c.TemplateSlug, c.DueDate = org.ID, "self-check-25", "2026-12-31"
			_, err := db.CreateCampaign(staff, &c, b.ids, nil)
			if e, ok := err.(*renkei.Error); !ok || e.Code != renkei.EINVALID || e.Fields[b.field] == "" {
				t.Fatalf("%s: %v", b.field, err)
			}
		}
		if _, err := db.CountCampaignPartners(staff, org.ID, renkei.CampaignFilter{Types: []string{"x"}}); renkei.ErrorCode(err) != renkei.EINVALID {
			t.Fatalf("count with a bad filter: %v", err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM campaigns`); n != before {
			t.Fatalf("bad input made %d campaigns", n-before)
		}
		// Another organization's staff cannot count this one's partners.
		if _, err := db.CountCampaignPartners(asUser(other.ID, renkei.RoleAdmin), org.ID, renkei.CampaignFilter{}); renkei.ErrorCode(err) != renkei.EFORBIDDEN {
			t.Fatalf("cross-tenant count: %v", err)
		}
	})
}

// contactPartner makes a partner with the given security and business
// contacts (locale "" for none).
func contactPartner(t *testing.T, db *sqlstore.DB, orgID, name string, n int, security, business renkei.Contact) *renkei.Partner {
	p := newPartner(orgID, name, corpNum(n), renkei.PartnerSupplier)
	p.Contacts.Security, p.Contacts.Business = security, business
	return mustCreate(t, db, p)
}

func TestCampaignInvitationMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "連携工業株式会社")
		ctx := storetest.System()
		u := &renkei.User{Email: "sato@renkei.example.jp", Name: "佐藤 花子"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		staff := renkei.WithActor(context.Background(), &renkei.Actor{UserID: u.ID, OrgID: org.ID, Role: renkei.RoleProcurement})
		en := contactPartner(t, db, org.ID, "Global Parts Ltd.", 601, renkei.Contact{Email: "sec@global.example.com", Locale: "en"}, renkei.Contact{Email: "sales@global.example.com"})
		ja := contactPartner(t, db, org.ID, "山田製作所", 602, renkei.Contact{}, renkei.Contact{Name: "山田", Email: "Yamada@Example.jp"})
		none := contactPartner(t, db, org.ID, "連絡先なし商事", 603, renkei.Contact{Name: "名前だけ"}, renkei.Contact{Phone: "03-0000-0000"})
		mailer := newMailer()
		c := &renkei.Campaign{OrgID: org.ID, Name: "2026年度 点検", TemplateSlug: "self-check-25", DueDate: "2026-12-31"}
		res, err := db.CreateCampaign(staff, c, []string{en.ID, ja.ID, none.ID}, mailer)
		if err != nil {
			t.Fatal(err)
		}
		if res.Assessments != 3 || res.Mailed != 2 || res.NoContact != 1 || !slices.Equal(res.NoContactPartners, []string{none.ID}) {
			t.Fatalf("result %+v", res)
		}
		if ids, err := db.CampaignNoContact(staff, org.ID, c.ID); err != nil || !slices.Equal(ids, []string{none.ID}) {
			t.Fatalf("no contact %v %v", ids, err)
		}
		if got, _ := db.Campaign(staff, org.ID, c.ID); got.Mailed != 2 || got.NoContact != 1 {
			t.Fatalf("campaign counts %+v", got)
		}
		mails := campaignOutbox(t, db)
		if len(mails) != 2 {
			t.Fatalf("%d mails", len(mails))
		}
		// Security contact first, in English; business contact in Japanese.
		if m := mails[0]; m.to != "sec@global.example.com" || m.locale != "en" || m.template != "assessment_invite" ||
			!strings.Contains(m.text, "No password is needed") || !strings.Contains(m.text, "Global Parts Ltd.") || !strings.Contains(m.text, "佐藤 花子") {
			t.Fatalf("English mail %+v", m)
		}
		if m := mails[1]; m.to != "yamada@example.jp" || m.locale != "ja" || !strings.Contains(m.text, "パスワードは必要ありません") ||
			!strings.Contains(m.text, "2026年12月31日（木）") || !strings.Contains(m.subject, "連携工業株式会社") {
			t.Fatalf("Japanese mail %+v", m)
		}
		// Each mail carries its own invite link to its own assessment.
		for _, got := range mailer.got {
			secret := renkei.PortalSecretFromPath(strings.TrimPrefix(got.LinkPath, "/portal/link/"))
			if secret == "" {
				t.Fatalf("link %q", got.LinkPath)
			}
			l, err := db.PortalLink(ctx, secret)
			if err != nil || l.Purpose != renkei.PortalInvite || l.AssessmentID != got.AssessmentID || l.Email != got.To || l.OrgID != org.ID {
				t.Fatalf("link %+v %v for %+v", l, err, got)
			}
			if !l.ExpiresAt.Equal(got.LinkExpiresAt) {
				t.Fatalf("the mail says the link works until %v, it does until %v", got.LinkExpiresAt, l.ExpiresAt)
			}
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM assessment_mail_log WHERE kind = 'invite'`); n != 2 {
			t.Fatalf("%d invite log rows", n)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM jobs WHERE kind = ?`, renkei.MailKindSend); n != 2 {
			t.Fatalf("%d send jobs", n)
		}

		// A template the mailer cannot render fails the whole campaign.
		before := countRows(t, db, `SELECT COUNT(*) FROM assessments`)
		_, err = db.CreateCampaign(staff, &renkei.Campaign{OrgID: org.ID, TemplateSlug: "self-check-25", DueDate: "2026-12-31"}, []string{ja.ID}, failingMailer{})
		if err == nil || countRows(t, db, `SELECT COUNT(*) FROM assessments`) != before || len(campaignOutbox(t, db)) != 2 {
			t.Fatalf("a failed mail left the campaign behind: %v", err)
		}
	})
}

type failingMailer struct{}

func (failingMailer) RenderCampaignMail(*renkei.CampaignMail) (*renkei.Mail, error) {
	return nil, fmt.Errorf("no template")
}

// clock is a settable clock for the store.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// tokyo is 10:00 in Japan on the date.
func tokyo(date string) time.Time {
	d, _ := time.ParseInLocation(time.DateOnly, date, renkei.Tokyo)
	return d.Add(10 * time.Hour).UTC()
}

func TestCampaignReminderSchedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := &clock{tokyo("2026-11-01")}
		db.Now = clk.now
		org := storetest.Org(t, db, "連携工業株式会社")
		ctx := storetest.System()
		creator := &renkei.User{Email: "creator@renkei.example.jp", Name: "作成者"}
		buyer := &renkei.User{Email: "buyer@renkei.example.jp", Name: "Buyer", Locale: "en"}
		for _, u := range []*renkei.User{creator, buyer} {
			if err := db.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.AddMember(ctx, &renkei.Membership{OrgID: org.ID, UserID: creator.ID, Role: renkei.RoleSecurity}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddMember(ctx, &renkei.Membership{OrgID: org.ID, UserID: buyer.ID, Role: renkei.RoleProcurement}); err != nil {
			t.Fatal(err)
		}
		staff := renkei.WithActor(context.Background(), &renkei.Actor{UserID: creator.ID, OrgID: org.ID, Role: renkei.RoleSecurity})
		// Owned by procurement (escalates to the buyer), by no department
		// (escalates to the creator), and one that answers in time.
		proc := contactPartner(t, db, org.ID, "調達先", 701, renkei.Contact{Email: "a@example.jp"}, renkei.Contact{})
		proc.Department = "procurement"
		if err := db.UpdatePartner(ctx, proc); err != nil {
			t.Fatal(err)
		}
		loose := contactPartner(t, db, org.ID, "部門なし", 702, renkei.Contact{Email: "b@example.com", Locale: "en"}, renkei.Contact{})
		quick := contactPartner(t, db, org.ID, "早い会社", 703, renkei.Contact{Email: "c@example.jp"}, renkei.Contact{})
		mailer := newMailer()
		c := &renkei.Campaign{OrgID: org.ID, TemplateSlug: "self-check-25", DueDate: "2026-12-01"}
		if _, err := db.CreateCampaign(staff, c, []string{proc.ID, loose.ID, quick.ID}, mailer); err != nil {
			t.Fatal(err)
		}
		mailer.got = nil
		items, _, _ := db.ListAssessments(staff, org.ID, renkei.AssessmentFilter{CampaignID: c.ID}, renkei.Page{})
		var quickID string
		for _, a := range items {
			if a.PartnerID == quick.ID {
				quickID = a.ID
			}
		}
		run := func(date string) renkei.CampaignMailRun {
			t.Helper()
			clk.t = tokyo(date)
			r, err := db.SendCampaignMail(ctx, mailer)
			if err != nil {
				t.Fatalf("%s: %v", date, err)
			}
			return r
		}
		// Day by day from the day after sending to a week after due; each
		// day twice (the second run sends nothing).
		sent := map[string][]string{} // date → kinds
		for d := tokyo("2026-11-02"); !d.After(tokyo("2026-12-08")); d = d.AddDate(0, 0, 1) {
			date := renkei.TokyoDay(d)
			if date == "2026-11-25" {
				// The quick partner answers.
				if err := db.SaveAnswers(staff, org.ID, quickID, allAnswers(t, "self-check-25", renkei.AnswerYes), true); err != nil {
					t.Fatal(err)
				}
				if _, err := db.Submit(staff, org.ID, quickID); err != nil {
					t.Fatal(err)
				}
			}
			before := len(mailer.got)
			run(date)
			if again := run(date); again != (renkei.CampaignMailRun{}) {
				t.Fatalf("%s: a second run sent %+v", date, again)
			}
			for _, m := range mailer.got[before:] {
				sent[date] = append(sent[date], fmt.Sprintf("%s/%s/%d", m.Kind, m.To, m.Days))
			}
		}
		want := map[string][]string{
			"2026-11-17": {"reminder/a@example.jp/14", "reminder/b@example.com/14", "reminder/c@example.jp/14"},
			"2026-11-24": {"reminder/a@example.jp/7", "reminder/b@example.com/7", "reminder/c@example.jp/7"},
			"2026-11-28": {"reminder/a@example.jp/3", "reminder/b@example.com/3"},
			"2026-11-30": {"reminder/a@example.jp/1", "reminder/b@example.com/1"},
			"2026-12-02": {"overdue/a@example.jp/1", "overdue/b@example.com/1"},
			"2026-12-04": {"escalation/buyer@renkei.example.jp/3", "escalation/creator@renkei.example.jp/3"},
		}
		for date := range sent {
			slices.Sort(sent[date])
		}
		if fmt.Sprint(sent) != fmt.Sprint(want) {
			t.Fatalf("sent\n%v\nwant\n%v", sent, want)
		}
		// Mails in the contact's or member's language, reminders with a
		// fresh sign-in link to the assessment.
		var locales []string
		for _, m := range mailer.got {
			locales = append(locales, m.Kind+"/"+m.Locale)
			if m.Kind == renkei.CampaignMailReminder || m.Kind == renkei.CampaignMailOverdue {
				l, err := db.PortalLink(ctx, strings.TrimPrefix(m.LinkPath, "/portal/link/"))
				if err != nil || l.Purpose != renkei.PortalSignIn || l.AssessmentID != m.AssessmentID || l.Email != m.To {
					t.Fatalf("link %+v %v", l, err)
				}
			}
			if m.Kind == renkei.CampaignMailEscalation && (len(m.Overdue) != 1 || m.LinkPath != "") {
				t.Fatalf("escalation %+v", m)
			}
		}
		if !slices.Contains(locales, "reminder/en") || !slices.Contains(locales, "escalation/en") || !slices.Contains(locales, "overdue/ja") {
			t.Fatalf("locales %v", locales)
		}
		// Every mail is in the outbox once, and the log names them.
		if n := countRows(t, db, `SELECT COUNT(*) FROM mail_outbox WHERE template <> 'assessment_invite'`); n != len(mailer.got) {
			t.Fatalf("%d outbox mails for %d rendered", n, len(mailer.got))
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM assessment_mail_log WHERE kind <> 'invite'`); n != 14 {
			t.Fatalf("%d log rows", n)
		}
	})
}

func TestCampaignMailJobIsForTheSystemOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		if _, err := db.SendCampaignMail(asUser(org.ID, renkei.RoleAdmin), newMailer()); renkei.ErrorCode(err) != renkei.EFORBIDDEN {
			t.Fatalf("reminders as a user: %v", err)
		}
		if _, err := db.RunRecurringCampaigns(asUser(org.ID, renkei.RoleAdmin), newMailer()); renkei.ErrorCode(err) != renkei.EFORBIDDEN {
			t.Fatalf("recurrence as a user: %v", err)
		}
	})
}

func TestRecurringCampaign(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := &clock{tokyo("2026-04-10")}
		db.Now = clk.now
		org := storetest.Org(t, db, "甲社")
		other := storetest.Org(t, db, "乙社")
		staff := asUser(org.ID, renkei.RoleAdmin)
		ps := filterFixture(t, db, org.ID, other.ID)
		f := renkei.CampaignFilter{Types: []string{renkei.PartnerSupplier}}
		c := &renkei.Campaign{OrgID: org.ID, Name: "半期点検", TemplateSlug: "self-check-25", DueDate: "2026-05-31", Recurrence: renkei.RecurHalfYearly, Filter: &f}
		first, err := db.CreateCampaign(staff, c, nil, newMailer())
		if err != nil {
			t.Fatal(err)
		}
		if c.NextRunOn != "2026-10-10" {
			t.Fatalf("next run %q", c.NextRunOn)
		}
		listed := &renkei.Campaign{OrgID: org.ID, TemplateSlug: "contract-requirements", DueDate: "2026-06-30", Recurrence: renkei.RecurYearly}
		if _, err := db.CreateCampaign(staff, listed, []string{ps[0].ID, ps[1].ID}, nil); err != nil {
			t.Fatal(err)
		}
		ctx := storetest.System()
		runOn := func(date string) int {
			t.Helper()
			clk.t = tokyo(date)
			n, err := db.RunRecurringCampaigns(ctx, newMailer())
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := runOn("2026-10-09"); n != 0 {
			t.Fatalf("created %d before the run date", n)
		}
		// A new supplier joins before the next run: the filter picks it up.
		mustCreate(t, db, newPartner(org.ID, "新しい仕入先", corpNum(650), renkei.PartnerSupplier))
		if n := runOn("2026-10-10"); n != 1 {
			t.Fatalf("created %d on the run date", n)
		}
		if n := runOn("2026-10-10"); n != 0 {
			t.Fatalf("a second run created %d", n)
		}
		if n := runOn("2026-10-11"); n != 0 {
			t.Fatalf("the next day created %d", n)
		}
		cs, _, err := db.ListCampaigns(staff, org.ID, renkei.Page{})
		if err != nil || len(cs) != 3 {
			t.Fatalf("%d campaigns %v", len(cs), err)
		}
		next := cs[2]
		if next.PreviousID != c.ID || next.DueDate != "2026-11-30" || next.NextRunOn != "2027-04-10" || next.Recurrence != renkei.RecurHalfYearly ||
			next.TemplateSlug != "self-check-25" || next.Filter == nil || !slices.Equal(next.Filter.Types, f.Types) || next.Name != c.Name {
			t.Fatalf("next %+v", next)
		}
		p, err := db.CampaignProgress(staff, org.ID, next.ID)
		if err != nil || p.Total != first.Assessments+1 {
			t.Fatalf("next has %d assessments, the first %d (%v)", p.Total, first.Assessments, err)
		}
		// The listed yearly one recurs with the same partners a year on.
		if n := runOn("2027-04-10"); n != 2 {
			t.Fatalf("created %d a year on", n)
		}
		cs, _, _ = db.ListCampaigns(staff, org.ID, renkei.Page{})
		var listedNext *renkei.Campaign
		for i := range cs {
			if cs[i].PreviousID == listed.ID {
				listedNext = &cs[i]
			}
		}
		if listedNext == nil || listedNext.DueDate != "2027-06-30" || listedNext.Filter != nil {
			t.Fatalf("listed next %+v", listedNext)
		}
		if p, _ := db.CampaignProgress(staff, org.ID, listedNext.ID); p.Total != 2 {
			t.Fatalf("listed next has %d assessments", p.Total)
		}
	})
}

func TestCampaignRemindersSkipArchivedAndWaitForAnAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := &clock{tokyo("2026-11-01")}
		db.Now = clk.now
		org := storetest.Org(t, db, "甲社")
		ctx := storetest.System()
		staff := asUser(org.ID, renkei.RoleAdmin)
		gone := contactPartner(t, db, org.ID, "取引終了", 901, renkei.Contact{Email: "gone@example.jp"}, renkei.Contact{})
		later := contactPartner(t, db, org.ID, "連絡先あとから", 902, renkei.Contact{}, renkei.Contact{})
		mailer := newMailer()
		c := &renkei.Campaign{OrgID: org.ID, TemplateSlug: "self-check-25", DueDate: "2026-12-01"}
		if res, err := db.CreateCampaign(staff, c, []string{gone.ID, later.ID}, mailer); err != nil || res.Mailed != 1 || res.NoContact != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		if err := db.ArchivePartner(ctx, org.ID, gone.ID, true); err != nil {
			t.Fatal(err)
		}
		clk.t = tokyo("2026-11-17")
		run, err := db.SendCampaignMail(ctx, mailer)
		if err != nil || run != (renkei.CampaignMailRun{NoContact: 1}) {
			t.Fatalf("reminder day: %+v %v", run, err)
		}
		// Staff add the address; the next run sends the reminder that is due.
		later.Contacts.Business = renkei.Contact{Email: "later@example.jp", Locale: "en"}
		if err := db.UpdatePartner(ctx, later); err != nil {
			t.Fatal(err)
		}
		clk.t = tokyo("2026-11-18")
		run, err = db.SendCampaignMail(ctx, mailer)
		if err != nil || run != (renkei.CampaignMailRun{Reminders: 1}) {
			t.Fatalf("after the fix: %+v %v", run, err)
		}
		last := mailer.got[len(mailer.got)-1]
		if last.To != "later@example.jp" || last.Locale != "en" || last.Days != 14 {
			t.Fatalf("reminder %+v", last)
		}
	})
}

// An escalation is one mail per campaign and department, however many
// batches the job read the overdue assessments in.
func TestCampaignEscalationAcrossBatches(t *testing.T) {
	defer sqlstore.SetCampaignMailBatchSize(2)()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := &clock{tokyo("2026-11-01")}
		db.Now = clk.now
		org := storetest.Org(t, db, "甲社")
		ctx := storetest.System()
		admin := &renkei.User{Email: "admin@kou.example.jp"}
		if err := db.CreateUser(ctx, admin); err != nil {
			t.Fatal(err)
		}
		if err := db.AddMember(ctx, &renkei.Membership{OrgID: org.ID, UserID: admin.ID, Role: renkei.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for i := range 5 {
			p := contactPartner(t, db, org.ID, fmt.Sprintf("遅れ%d", i), 950+i, renkei.Contact{Email: fmt.Sprintf("p%d@example.jp", i)}, renkei.Contact{})
			ids = append(ids, p.ID)
		}
		// Created by a user who is not a member: the administrators hear.
		mailer := newMailer()
		c := &renkei.Campaign{OrgID: org.ID, TemplateSlug: "self-check-25", DueDate: "2026-11-20", Reminders: []int{}}
		if _, err := db.CreateCampaign(asUser(org.ID, renkei.RoleProcurement), c, ids, mailer); err != nil {
			t.Fatal(err)
		}
		clk.t = tokyo("2026-11-23")
		run, err := db.SendCampaignMail(ctx, mailer)
		if err != nil || run != (renkei.CampaignMailRun{Overdue: 5, Escalations: 1}) {
			t.Fatalf("run %+v %v", run, err)
		}
		last := mailer.got[len(mailer.got)-1]
		if last.Kind != renkei.CampaignMailEscalation || last.To != admin.Email || len(last.Overdue) != 5 || last.Days != 3 {
			t.Fatalf("escalation %+v", last)
		}
		if again, _ := db.SendCampaignMail(ctx, mailer); again != (renkei.CampaignMailRun{}) {
			t.Fatalf("again %+v", again)
		}
	})
}
