package mailtmpl_test

import (
	"strings"
	"testing"

	"github.com/renkei/renkei/mailtmpl"
)

// The portal's templates join the shared samples (in their own file, so
// that other areas add theirs without touching this one).
func init() {
	samples["portal_signin"] = map[string]any{
		"URL":       "https://renkei.example.jp/portal/link/ABCDEF",
		"ExpiresAt": "2026-12-03 18:30",
		"Minutes":   "30",
	}
	samples["portal_handoff"] = map[string]any{
		"FromName":     "佐藤 花子",
		"CompanyName":  "株式会社佐藤製作所",
		"OrgName":      "連携工業株式会社",
		"TemplateName": "セキュリティ自己点検 25",
		"SectionTitle": "社内の守り",
		"DueDate":      "2026-12-31",
		"URL":          "https://renkei.example.jp/portal/link/ABCDEF",
		"ExpiresAt":    "2026-12-10 18:00",
	}
}

func TestPortalMailCarriesTheLinkAndItsEnd(t *testing.T) {
	for _, loc := range []string{"ja", "en"} {
		_, text, html, err := mailtmpl.Render("portal_handoff", loc, mailtmpl.PortalHandoff{
			FromName: "<b>佐藤</b>", SectionTitle: "社内の守り", URL: "https://r.example/portal/link/XYZ", ExpiresAt: "2026-12-10 18:00",
		})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "https://r.example/portal/link/XYZ") || !strings.Contains(text, "2026-12-10 18:00") {
			t.Fatalf("%s text: %s", loc, text)
		}
		if strings.Contains(html, "<b>佐藤</b>") || !strings.Contains(html, "&lt;b&gt;") {
			t.Fatalf("%s html does not escape the sender's name", loc)
		}
	}
}
