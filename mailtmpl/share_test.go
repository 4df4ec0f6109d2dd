package mailtmpl_test

import (
	"strings"
	"testing"

	"github.com/renkei/renkei/mailtmpl"
)

func init() {
	samples["share_request"] = map[string]any{
		"OrgName":     "連携工業株式会社",
		"CompanyName": "株式会社佐藤製作所",
		"Message":     "新規取引の審査のため、共有をお願いします。",
		"URL":         "https://renkei.example.jp/portal/shares",
	}
}

func TestShareRequestMail(t *testing.T) {
	for _, loc := range []string{"ja", "en"} {
		data := mailtmpl.ShareRequest{OrgName: "連携工業株式会社", CompanyName: "株式会社佐藤製作所",
			Message: "<script>審査のため</script>", URL: "https://r.example/portal/shares"}
		subject, text, html, err := mailtmpl.Render("share_request", loc, data)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(subject, "連携工業株式会社") || !strings.Contains(text, data.URL) || !strings.Contains(text, "審査のため") {
			t.Fatalf("%s: %q\n%s", loc, subject, text)
		}
		if strings.Contains(html, "<script>") || !strings.Contains(html, "&lt;script&gt;") || !strings.Contains(html, `href="https://r.example/portal/shares"`) {
			t.Fatalf("%s html: %s", loc, html)
		}
		// Without a message the mail says nothing of one.
		data.Message = ""
		_, text, _, err = mailtmpl.Render("share_request", loc, data)
		if err != nil || strings.Contains(text, "メッセージ") || strings.Contains(text, "Their message") {
			t.Fatalf("%s without message: %v\n%s", loc, err, text)
		}
	}
}
