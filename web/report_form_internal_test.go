package web

import (
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzReportForm feeds the report link's form fields (what anyone on the
// internet can send) through their reading into a case: nothing panics,
// and a form read without field errors is a case the core accepts.
func FuzzReportForm(f *testing.F) {
	f.Add("株式会社山田精工", "soc@example.jp", "", "ransomware", "2026-11-20T08:30", "", "暗号化された", "12")
	f.Add("<script>alert(1)</script>", "", "03-0000-0000", "emotet", "", "2026-11-21T09:00", "x\u202ey", "")
	f.Add("", "", "", "aliens", "yesterday", "2099-01-01T00:00", "", "-5")
	f.Add("A", "a@b", "1", "other", "2026-13-40T25:61", "", "\x00", "99999999999999999999")
	now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, company, email, phone, typ, occurred, discovered, description, persons string) {
		form := reportLinkForm{Company: company, Email: email, Phone: phone, Type: typ, Occurred: occurred,
			Discovered: discovered, Description: description, Persons: persons, Containment: ""}
		in, fields := form.incident("org", now)
		if len(fields) > 0 {
			return
		}
		if err := in.Validate(now); err != nil {
			t.Fatalf("accepted form gives an invalid case: %v", err)
		}
		if !utf8.ValidString(in.Title) || !utf8.ValidString(in.Description) {
			t.Fatalf("invalid UTF-8 accepted")
		}
	})
}
