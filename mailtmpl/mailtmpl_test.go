package mailtmpl_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/renkei/renkei/mailtmpl"
)

// samples holds data for every template, as a map so that missingkey=error
// catches a template that uses a key the data lacks. A new template without
// a sample fails TestEveryTemplateRendersInBothLocales.
var samples = map[string]map[string]any{
	"invitation": {
		"OrgName":     "株式会社山田製作所",
		"InviterName": "山田 太郎",
		"Role":        "編集者",
		"URL":         "https://renkei.example.jp/invitations/accept?token=abc123",
		"ExpiresAt":   "2026-12-03 18:00",
	},
}

func TestNames(t *testing.T) {
	names := mailtmpl.Names()
	if !slices.Contains(names, "invitation") || !slices.IsSorted(names) {
		t.Fatalf("Names() = %v", names)
	}
	names[0] = "changed"
	if mailtmpl.Names()[0] == "changed" {
		t.Fatal("Names returns the package's own slice")
	}
}

func TestEveryTemplateRendersInBothLocales(t *testing.T) {
	for _, name := range mailtmpl.Names() {
		data, ok := samples[name]
		if !ok {
			t.Errorf("template %q has no sample data in this test", name)
			continue
		}
		subjects := map[string]string{}
		for _, loc := range []string{"ja", "en"} {
			subject, text, html, err := mailtmpl.Render(name, loc, data)
			if err != nil {
				t.Errorf("%s/%s: %v", name, loc, err)
				continue
			}
			subjects[loc] = subject
			if subject == "" || strings.ContainsAny(subject, "\r\n") {
				t.Errorf("%s/%s: subject %q", name, loc, subject)
			}
			if !strings.HasSuffix(text, "\n") || strings.HasSuffix(text, "\n\n") {
				t.Errorf("%s/%s: text must end with exactly one newline: %q", name, loc, text)
			}
			if !strings.HasPrefix(html, "<!DOCTYPE html>") || !strings.Contains(html, `lang="`+loc+`"`) {
				t.Errorf("%s/%s: html is not a %s document", name, loc, loc)
			}
			for _, out := range []string{subject, text, html} {
				if strings.Contains(out, "<no value>") || strings.Contains(out, "{{") {
					t.Errorf("%s/%s: unfilled placeholder in %q", name, loc, out)
				}
			}
			// Every value given appears in the text and in the HTML.
			for k, v := range data {
				s := v.(string)
				if !strings.Contains(text, s) {
					t.Errorf("%s/%s: text lacks %s %q", name, loc, k, s)
				}
				if !strings.Contains(html, strings.ReplaceAll(s, "&", "&amp;")) {
					t.Errorf("%s/%s: html lacks %s %q", name, loc, k, s)
				}
			}
		}
		if subjects["ja"] == subjects["en"] {
			t.Errorf("%s: Japanese and English subjects are the same: %q", name, subjects["ja"])
		}
	}
}

func TestInvitationWording(t *testing.T) {
	data := mailtmpl.Invitation{OrgName: "株式会社山田製作所", InviterName: "山田 太郎", Role: "編集者", URL: "https://renkei.example.jp/i/x", ExpiresAt: "2026-12-03 18:00"}
	subject, text, _, err := mailtmpl.Render("invitation", "ja", data)
	if err != nil {
		t.Fatal(err)
	}
	if subject != "【Renkei】株式会社山田製作所 への招待" {
		t.Errorf("ja subject %q", subject)
	}
	if !strings.Contains(text, "2026-12-03 18:00（日本時間）") || !strings.Contains(text, "山田 太郎 様") {
		t.Errorf("ja text:\n%s", text)
	}
	subject, text, _, err = mailtmpl.Render("invitation", "en", data)
	if err != nil {
		t.Fatal(err)
	}
	if subject != "[Renkei] Invitation to 株式会社山田製作所" || !strings.Contains(text, "(Japan time)") {
		t.Errorf("en: %q\n%s", subject, text)
	}
}

func TestMissingKeyIsAnError(t *testing.T) {
	data := map[string]any{}
	for k, v := range samples["invitation"] {
		data[k] = v
	}
	delete(data, "URL")
	if _, _, _, err := mailtmpl.Render("invitation", "ja", data); err == nil || !strings.Contains(err.Error(), "URL") {
		t.Fatalf("want a missing-key error naming URL, got %v", err)
	}
	type partial struct{ OrgName string }
	if _, _, _, err := mailtmpl.Render("invitation", "en", partial{"x"}); err == nil {
		t.Fatal("struct without the fields rendered")
	}
}

func TestLocaleFallback(t *testing.T) {
	for in, want := range map[string]string{"": "ja", "ja": "ja", "ja-JP": "ja", "en": "en", "EN-us": "en", "en_GB": "en", "fr": "ja", "zh-Hant": "ja"} {
		if got := mailtmpl.Locale(in); got != want {
			t.Errorf("Locale(%q) = %q, want %q", in, got, want)
		}
	}
	ja, _, _, _ := mailtmpl.Render("invitation", "ja", samples["invitation"])
	fr, _, _, err := mailtmpl.Render("invitation", "fr", samples["invitation"])
	if err != nil || fr != ja {
		t.Fatalf("unknown locale: %q %v", fr, err)
	}
	if _, _, _, err := mailtmpl.Render("nope", "ja", nil); err == nil {
		t.Fatal("unknown template rendered")
	}
}

func TestDataIsEscapedInHTMLAndKeptOnOneLineInSubject(t *testing.T) {
	data := mailtmpl.Invitation{
		OrgName:     "<script>alert(1)</script>\r\nBcc: x@example.com",
		InviterName: `"><img src=x onerror=alert(1)>`,
		Role:        "編集者",
		URL:         "javascript:alert(1)",
		ExpiresAt:   "2026-12-03 18:00",
	}
	subject, _, html, err := mailtmpl.Render("invitation", "ja", data)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(subject, "\r\n") {
		t.Errorf("subject spans lines: %q", subject)
	}
	for _, bad := range []string{"<script>", "<img", `href="javascript:`} {
		if strings.Contains(html, bad) {
			t.Errorf("html contains %q", bad)
		}
	}
}
