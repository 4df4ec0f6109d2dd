package renkei

import (
	"strings"
	"testing"
	"time"
)

func TestPortalLinkPrepare(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		link   PortalLink
		fields []string // expected invalid fields, none when ok
		ttl    time.Duration
	}{
		{"invite", PortalLink{OrgID: "o", AssessmentID: "a", CompanyID: "c", Email: "A@Example.JP", Purpose: PortalInvite}, nil, 30 * 24 * time.Hour},
		{"sign-in", PortalLink{CompanyID: "c", Email: "a@example.jp", Purpose: PortalSignIn}, nil, 30 * time.Minute},
		{"handoff", PortalLink{OrgID: "o", AssessmentID: "a", CompanyID: "c", SectionRef: "gov", Email: "a@example.jp", Purpose: PortalHandoff}, nil, 14 * 24 * time.Hour},
		{"handoff without section", PortalLink{OrgID: "o", AssessmentID: "a", CompanyID: "c", Email: "a@example.jp", Purpose: PortalHandoff}, []string{"section_ref"}, 0},
		{"unknown purpose", PortalLink{CompanyID: "c", Email: "a@example.jp", Purpose: "admin"}, []string{"purpose"}, 0},
		{"no company", PortalLink{Email: "a@example.jp", Purpose: PortalSignIn}, []string{"company_id"}, 0},
		{"bad address", PortalLink{CompanyID: "c", Email: "a@\u202eexample.jp", Purpose: PortalSignIn}, []string{"email"}, 0},
		{"assessment without org", PortalLink{AssessmentID: "a", CompanyID: "c", Email: "a@example.jp", Purpose: PortalInvite}, []string{"assessment_id"}, 0},
		{"hostile section", PortalLink{OrgID: "o", AssessmentID: "a", CompanyID: "c", SectionRef: "g\x00v", Email: "a@example.jp", Purpose: PortalHandoff}, []string{"section_ref"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := c.link
			secret, err := l.Prepare(now)
			if len(c.fields) > 0 {
				e, ok := err.(*Error)
				if !ok || e.Code != EINVALID || len(e.Fields) != len(c.fields) {
					t.Fatalf("err %v", err)
				}
				for _, f := range c.fields {
					if e.Fields[f] == "" {
						t.Fatalf("no error for %s: %v", f, e.Fields)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if PortalSecretFromPath(secret) != secret || l.Email != strings.ToLower(c.link.Email) {
				t.Fatalf("secret %q email %q", secret, l.Email)
			}
			if !l.CreatedAt.Equal(now) || l.ExpiresAt.Sub(l.CreatedAt) != c.ttl {
				t.Fatalf("created %v expires %v", l.CreatedAt, l.ExpiresAt)
			}
		})
	}
}

func TestPortalSecretFromPath(t *testing.T) {
	good := NewSecret(portalSecretBytes)
	for in, want := range map[string]string{
		good:                        good,
		" " + good + " ":            good,
		strings.ToLower(good):       "",
		good[1:]:                    "",
		good + "A":                  "",
		good[:len(good)-1] + "1":    "", // 1 is not in base32
		good[:len(good)-1] + "=":    "",
		"":                          "",
		"../" + good[3:]:            "",
		good[:10] + "漢" + good[13:]: "",
	} {
		if got := PortalSecretFromPath(in); got != want {
			t.Errorf("PortalSecretFromPath(%q) = %q, want %q", in, got, want)
		}
	}
	if PortalLinkPath("ABC") != "/portal/link/ABC" {
		t.Fatal(PortalLinkPath("ABC"))
	}
}

func FuzzPortalSecretFromPath(f *testing.F) {
	f.Add(NewSecret(portalSecretBytes))
	f.Add("")
	f.Add("%2e%2e/")
	f.Fuzz(func(t *testing.T, s string) {
		got := PortalSecretFromPath(s)
		if got == "" {
			return
		}
		if len(got) != portalSecretLen || strings.TrimSpace(s) != got || strings.Trim(got, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
			t.Fatalf("%q accepted as %q", s, got)
		}
	})
}

func TestPortalLinkTTL(t *testing.T) {
	for p, want := range map[string]time.Duration{PortalInvite: PortalInviteTTL, PortalSignIn: PortalSignInTTL, PortalHandoff: PortalHandoffTTL, "other": 0} {
		if got := PortalLinkTTL(p); got != want {
			t.Errorf("%s: %v", p, got)
		}
	}
}

func TestUnconfirmedReused(t *testing.T) {
	tpl := &Template{Sections: []Section{{Ref: "s", Questions: []Question{
		{Ref: "a", Kind: QuestionYesNo},
		{Ref: "b", Kind: QuestionYesNo},
		{Ref: "c", Kind: QuestionText, ShowIf: &Condition{Question: "a", Values: []string{AnswerYes}}},
	}}}}
	rec := func(ref, value, text string, reused bool) AnswerRecord {
		return AnswerRecord{QuestionRef: ref, Answer: Answer{Value: value, Text: text}, Reused: reused}
	}
	cases := []struct {
		name string
		recs []AnswerRecord
		want string
	}{
		{"none", nil, ""},
		{"all confirmed", []AnswerRecord{rec("a", "yes", "", false), rec("b", "no", "", false)}, ""},
		{"two reused, question order", []AnswerRecord{rec("b", "no", "", true), rec("a", "yes", "", true)}, "a,b"},
		{"reused and shown", []AnswerRecord{rec("a", "yes", "", false), rec("c", "", "x", true)}, "c"},
		{"reused but hidden", []AnswerRecord{rec("a", "no", "", false), rec("c", "", "x", true)}, ""},
	}
	for _, c := range cases {
		if got := strings.Join(UnconfirmedReused(tpl, c.recs), ","); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestTakesEvidence(t *testing.T) {
	for _, c := range []struct {
		q    Question
		want bool
	}{
		{Question{Kind: QuestionFile}, true},
		{Question{Kind: QuestionYesNo, Evidence: true}, true},
		{Question{Kind: QuestionYesNo}, false},
		{Question{Kind: QuestionText}, false},
	} {
		if got := c.q.TakesEvidence(); got != c.want {
			t.Errorf("%+v: %v", c.q, got)
		}
	}
	if got := EvidenceKey("o", "a", "f"); got != "orgs/o/assessments/a/f" {
		t.Fatal(got)
	}
}
