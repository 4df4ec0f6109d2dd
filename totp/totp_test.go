package totp

import (
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	tt := TOTP{Now: func() time.Time { return at }}
	secret, uri, err := tt.NewKey("Renkei", "a@example.jp")
	if err != nil || secret == "" || uri == "" {
		t.Fatalf("%q %q %v", secret, uri, err)
	}
	code, _ := Code(secret, at)
	if !tt.Validate(code, secret) {
		t.Fatal("current code refused")
	}
	old, _ := Code(secret, at.Add(-5*time.Minute))
	if old != code && tt.Validate(old, secret) {
		t.Fatal("five-minute-old code accepted")
	}
	if tt.Validate("12345", secret) || tt.Validate(code, "") {
		t.Fatal("malformed input accepted")
	}
}
