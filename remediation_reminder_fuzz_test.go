package renkei

import (
	"strings"
	"testing"
)

// FuzzOwnerEmail: the owner field is free text typed by staff; whatever it
// holds, OwnerEmail gives either nothing or one bare address taken from it,
// which is where a reminder would go.
func FuzzOwnerEmail(f *testing.F) {
	for _, s := range []string{"sato@example.jp", " 情報システム部 ", "Sato <sato@example.jp>", "a@b@c", "\"x y\"@example.jp", "@", "x@\u202eexample.jp", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, owner string) {
		got := OwnerEmail(owner)
		if got == "" {
			return
		}
		if !strings.Contains(got, "@") || strings.ContainsAny(got, "\r\n<>") || !strings.Contains(owner, strings.Split(got, "@")[1]) {
			t.Fatalf("OwnerEmail(%q) = %q", owner, got)
		}
	})
}

// FuzzReminderKind: a due date comes from a form; any text is either a
// date with at most one reminder due, or no reminder.
func FuzzReminderKind(f *testing.F) {
	for _, s := range [][2]string{{"2026-12-10", "2026-12-03"}, {"2026-12-10", "2026-12-11"}, {"2026-02-30", "2026-03-01"}, {"", "2026-01-01"}, {"9999-12-31", "0000-01-01"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, due, today string) {
		switch k := ReminderKind(due, today); k {
		case "", ReminderBefore, ReminderOverdue:
			if k != "" && !ValidDate(due) {
				t.Fatalf("ReminderKind(%q, %q) = %q for a due date that is not a date", due, today, k)
			}
		default:
			t.Fatalf("ReminderKind(%q, %q) = %q", due, today, k)
		}
	})
}
