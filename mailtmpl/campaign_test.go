package mailtmpl_test

import (
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/mailtmpl"
)

// Samples for the campaign mails (see samples in mailtmpl_test.go).
func init() {
	partner := map[string]any{
		"OrgName": "連携工業株式会社", "AskedBy": "調達部 佐藤", "Partner": "山田製作所", "Campaign": "2026年度 取引先調査",
		"Template": "セキュリティ自己チェック", "DueDate": "2026年12月31日（木）",
		"URL": "https://renkei.example.jp/portal/link/ABC", "LoginURL": "https://renkei.example.jp/portal/login",
		"LinkExpiresAt": "2027-01-30 18:00",
	}
	with := func(extra map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range partner {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	samples["assessment_invite"] = partner
	samples["assessment_reminder"] = with(map[string]any{"Days": "7"})
	samples["assessment_overdue"] = with(map[string]any{"Days": "2"})
	samples["assessment_escalation"] = map[string]any{
		"OrgName": "連携工業株式会社", "Campaign": "2026年度 取引先調査", "Template": "セキュリティ自己チェック",
		"DueDate": "2026年12月31日（木）", "Days": "3", "Count": "2", "Overdue": "・山田製作所\n・佐藤商事",
		"URL": "https://renkei.example.jp/campaigns/019",
	}
}

func TestCampaignMailer(t *testing.T) {
	mailer := mailtmpl.CampaignMailer{BaseURL: "https://renkei.example.jp/"}
	expires := time.Date(2027, 1, 30, 9, 0, 0, 0, time.UTC) // 18:00 in Japan
	base := renkei.CampaignMail{
		OrgName: "連携工業株式会社", Partner: "Yamada Works", DueDate: "2026-12-31",
		Template: renkei.Bilingual{JA: "自己チェック", EN: "Self-check"}, LinkPath: "/portal/link/SECRET", LinkExpiresAt: expires,
	}
	cases := []struct {
		kind, locale string
		days         int
		want         []string
	}{
		{renkei.CampaignMailInvite, "ja", 0, []string{"2026年12月31日（木）", "https://renkei.example.jp/portal/link/SECRET", "パスワードは必要ありません", "2027-01-30 18:00", "自己チェック"}},
		{renkei.CampaignMailInvite, "en", 0, []string{"Thursday, 31 December 2026", "https://renkei.example.jp/portal/link/SECRET", "No password is needed", "Self-check"}},
		{renkei.CampaignMailReminder, "ja", 3, []string{"あと3日", "https://renkei.example.jp/portal/link/SECRET"}},
		{renkei.CampaignMailReminder, "en", 0, []string{"due today"}},
		{renkei.CampaignMailOverdue, "en", 2, []string{"2 days ago", "https://renkei.example.jp/portal/login"}},
	}
	for _, tc := range cases {
		cm := base
		cm.Kind, cm.Locale, cm.Days = tc.kind, tc.locale, tc.days
		m, err := mailer.RenderCampaignMail(&cm)
		if err != nil {
			t.Fatalf("%s/%s: %v", tc.kind, tc.locale, err)
		}
		if m.Locale != tc.locale {
			t.Errorf("%s/%s: locale %q", tc.kind, tc.locale, m.Locale)
		}
		for _, w := range tc.want {
			if !strings.Contains(m.Subject+m.Text, w) {
				t.Errorf("%s/%s: no %q in\n%s\n%s", tc.kind, tc.locale, w, m.Subject, m.Text)
			}
		}
	}
	esc := renkei.CampaignMail{Kind: renkei.CampaignMailEscalation, Locale: "en", OrgName: "Renkei Kogyo", DueDate: "2026-12-31",
		Days: 3, Overdue: []string{"A Co.", "B Co."}, CampaignID: "c1", Template: base.Template}
	m, err := mailer.RenderCampaignMail(&esc)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"2 partners", "- A Co.\n- B Co.", "https://renkei.example.jp/campaigns/c1"} {
		if !strings.Contains(m.Subject+m.Text, w) {
			t.Errorf("escalation: no %q in\n%s\n%s", w, m.Subject, m.Text)
		}
	}
}

func TestDueDateText(t *testing.T) {
	for _, tc := range []struct{ loc, in, want string }{
		{"ja", "2026-12-31", "2026年12月31日（木）"},
		{"en", "2027-01-04", "Monday, 4 January 2027"},
		{"ja", "bad", "bad"},
	} {
		if got := mailtmpl.DueDateText(tc.loc, tc.in); got != tc.want {
			t.Errorf("DueDateText(%s, %s) = %s", tc.loc, tc.in, got)
		}
	}
}
