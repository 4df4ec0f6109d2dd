// Package totp makes and checks RFC 6238 one-time codes with
// github.com/pquerna/otp.
package totp

import (
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP implements renkei.TOTP: 6 digits, 30-second steps, SHA-1 (what
// authenticator apps expect), one step of clock skew allowed.
type TOTP struct {
	Now func() time.Time
}

// NewKey makes a secret for an account.
func (t TOTP) NewKey(issuer, account string) (string, string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// Validate checks a code at the current time.
func (t TOTP) Validate(code, secret string) bool {
	if secret == "" || len(code) != 6 {
		return false
	}
	now := time.Now()
	if t.Now != nil {
		now = t.Now()
	}
	ok, err := totp.ValidateCustom(code, secret, now.UTC(), totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	return err == nil && ok
}

// Code returns the current code for secret (tests and the demo).
func Code(secret string, at time.Time) (string, error) {
	return totp.GenerateCode(secret, at.UTC())
}
