package renkei

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
)

// NewSecret returns a random URL-safe secret of n random bytes.
func NewSecret(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("renkei: no randomness: " + err.Error())
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// HashSecret returns the hex SHA-256 of a high-entropy secret (session
// cookies, API tokens, links). Passwords use the PasswordHasher instead.
func HashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// SecretsEqual compares two secrets in constant time.
func SecretsEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// PasswordHasher hashes and checks passwords (argon2id in production).
type PasswordHasher interface {
	Hash(password string) (string, error)
	Verify(hash, password string) (bool, error)
}

// TOTP makes and checks time-based one-time codes (RFC 6238).
type TOTP interface {
	// NewKey returns a new secret and its otpauth:// URI for the account.
	NewKey(issuer, account string) (secret, uri string, err error)
	Validate(code, secret string) bool
}
