package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/argon2id"
	"github.com/renkei/renkei/sqlstore/storetest"
	"github.com/renkei/renkei/totp"
	"github.com/renkei/renkei/web"
)

// BenchmarkPortalAssessmentPage measures GET /portal/assessments/{id} of a
// 153-question assessment (renkei.SyntheticTemplate(50, 74, 29), half of its
// questions answered) over real HTTP against SQLite, as a partner user's browser asks
// for it, one request at a time, and reports p50, p95 and p99. The command
// and the figures are in docs/performance.md.
func BenchmarkPortalAssessmentPage(b *testing.B) {
	db := storetest.Open(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
	acc := &renkei.Accounts{Store: db, Hasher: argon2id.New(argon2id.Fast), TOTP: totp.TOTP{}, Issuer: "Renkei bench"}
	hs := httptest.NewServer(web.New(web.Config{Store: db, Accounts: acc, Logger: slog.New(slog.DiscardHandler)}))
	b.Cleanup(hs.Close)
	sys := storetest.System()
	org := storetest.Org(b, db, "株式会社ベンチ")
	tpl := renkei.SyntheticTemplate(50, 74, 29)
	if n := tpl.QuestionCount(); n != 153 {
		b.Fatalf("the synthetic template has %d questions", n)
	}
	if _, err := db.SaveTemplate(sys, org.ID, tpl); err != nil {
		b.Fatal(err)
	}
	p := &renkei.Partner{OrgID: org.ID, Type: renkei.PartnerSupplier, Company: renkei.Company{Name: "株式会社性能", CorporateNumber: corpNum(860001)}}
	if err := db.CreatePartner(sys, p); err != nil {
		b.Fatal(err)
	}
	c := &renkei.Campaign{OrgID: org.ID, TemplateSlug: tpl.Slug, DueDate: "2026-12-31"}
	if _, err := db.CreateCampaign(sys, c, []string{p.ID}, nil); err != nil {
		b.Fatal(err)
	}
	items, _, err := db.ListAssessments(sys, org.ID, renkei.AssessmentFilter{CampaignID: c.ID}, renkei.Page{})
	if err != nil || len(items) != 1 {
		b.Fatalf("assessments: %d %v", len(items), err)
	}
	a := items[0]
	partner := renkei.WithActor(sys, &renkei.Actor{UserID: "bench", Role: renkei.RolePartner, PartnerCompanyID: a.CompanyID})
	var answers []renkei.AnswerInput
	for i, q := range tpl.Questions() {
		if i%2 == 0 && q.Kind == renkei.QuestionYesNo && q.ShowIf == nil {
			answers = append(answers, renkei.AnswerInput{QuestionRef: q.Ref, Answer: renkei.Answer{Value: renkei.AnswerYes}})
		}
	}
	if err := db.SaveAnswers(partner, org.ID, a.ID, answers, false); err != nil {
		b.Fatal(err)
	}
	secret, err := db.IssuePortalLink(sys, &renkei.PortalLink{OrgID: org.ID, CompanyID: a.CompanyID, AssessmentID: a.ID, Email: "bench@partner.example.jp", Purpose: renkei.PortalInvite})
	if err != nil {
		b.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm(hs.URL+renkei.PortalLinkPath(secret), url.Values{})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		b.Fatalf("sign in: %v", err)
	}
	res.Body.Close()
	page := hs.URL + "/portal/assessments/" + a.ID
	get := func() time.Duration {
		start := time.Now()
		res, err := client.Get(page)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
		return time.Since(start)
	}
	for range 20 { // warm the connection pool and the caches
		get()
	}
	lat := make([]time.Duration, 0, b.N)
	for b.Loop() {
		lat = append(lat, get())
	}
	slices.Sort(lat)
	at := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
