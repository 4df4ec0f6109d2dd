package mailtmpl_test

import (
	"strings"
	"testing"

	"github.com/renkei/renkei/mailtmpl"
)

// The remediation reminder joins the shared samples in its own file.
func init() {
	samples["remediation_reminder"] = map[string]any{
		"OrgName":     "連携工業株式会社",
		"PartnerName": "株式会社佐藤製作所",
		"Title":       "ソフトウェアを最新の状態に保つ",
		"DueDate":     "2026-12-31",
		"Overdue":     "", // samples are strings: "" is false to {{if}}
		"URL":         "https://renkei.example.jp/remediations/0193/edit",
	}
}

func TestRemediationReminderSaysBeforeOrOverdue(t *testing.T) {
	for _, c := range []struct {
		loc     string
		overdue bool
		want    string
	}{{"ja", false, "期限が近づいています"}, {"ja", true, "期限を過ぎています"}, {"en", false, "due date is near"}, {"en", true, "past its due date"}} {
		subject, text, html, err := mailtmpl.Render("remediation_reminder", c.loc, mailtmpl.RemediationReminder{
			OrgName: "連携工業", PartnerName: "<b>佐藤</b>", Title: "更新", DueDate: "2026-12-31", Overdue: c.overdue, URL: "https://r.example/remediations/X/edit"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, c.want) || !strings.Contains(text, "2026-12-31") || !strings.Contains(text, "https://r.example/remediations/X/edit") {
			t.Errorf("%s overdue=%v text: %s", c.loc, c.overdue, text)
		}
		if strings.Contains(html, "<b>佐藤</b>") || !strings.Contains(subject, "<b>佐藤</b>") {
			t.Errorf("%s: the partner's name is not escaped in HTML only: %s / %s", c.loc, subject, html)
		}
	}
}
