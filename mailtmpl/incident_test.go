package mailtmpl_test

import (
	"strings"
	"testing"

	"github.com/renkei/renkei/mailtmpl"
)

// The incident duty reminder joins the shared samples in its own file.
func init() {
	samples["incident_duty_reminder"] = map[string]any{
		"OrgName": "連携工業株式会社",
		"Ref":     "INC-2026-00012",
		"Title":   "ファイルサーバーの暗号化",
		"Duty":    "個人情報保護委員会への速報",
		"DueAt":   "2026-12-03 23:59",
		"Overdue": "",
		"URL":     "https://renkei.example.jp/incidents/0193",
	}
}

func TestIncidentDutyReminderEscapesAndSaysWhich(t *testing.T) {
	for _, c := range []struct {
		loc     string
		overdue bool
		want    string
	}{{"ja", false, "近づいています"}, {"ja", true, "過ぎた"}, {"en", false, "falls due soon"}, {"en", true, "overdue"}} {
		subject, text, html, err := mailtmpl.Render("incident_duty_reminder", c.loc, mailtmpl.IncidentDutyReminder{
			OrgName: "連携工業", Ref: "INC-2026-00001", Title: "<script>x</script>", Duty: "速報", DueAt: "2026-12-03 23:59", Overdue: c.overdue, URL: "https://r.example/incidents/1"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(subject, c.want) || !strings.Contains(text, "INC-2026-00001") || strings.Contains(html, "<script>x") {
			t.Errorf("%s overdue=%v: %q / html escaped: %v", c.loc, c.overdue, subject, !strings.Contains(html, "<script>x"))
		}
	}
}
