// Package argon2id hashes passwords with Argon2id (golang.org/x/crypto),
// in the PHC string format: $argon2id$v=19$m=...,t=...,p=...$salt$hash.
package argon2id

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the cost parameters. The defaults follow RFC 9106's second
// recommended option scaled for a shared 2-core server: 64 MiB, 2 passes.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// Default is used in production.
var Default = Params{Memory: 64 * 1024, Time: 2, Threads: 2, KeyLen: 32, SaltLen: 16}

// Fast is for tests only: cheap, still real Argon2id.
var Fast = Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// Hasher implements renkei.PasswordHasher.
type Hasher struct{ P Params }

// New returns a hasher with the given parameters.
func New(p Params) *Hasher { return &Hasher{P: p} }

var b64 = base64.RawStdEncoding

// Hash returns the PHC string of password with a fresh salt.
func (h *Hasher) Hash(password string) (string, error) {
	salt := make([]byte, h.P.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, h.P.Time, h.P.Memory, h.P.Threads, h.P.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.P.Memory, h.P.Time, h.P.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrFormat is returned for a stored hash that is not an Argon2id PHC string.
var ErrFormat = errors.New("argon2id: malformed hash")

// Verify checks password against a PHC string, using the parameters stored
// in it (so that raising the defaults does not lock anyone out).
func (h *Hasher) Verify(encoded, password string) (bool, error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

func decode(s string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, ErrFormat
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, ErrFormat
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, ErrFormat
	}
	// Refuse absurd costs from a tampered row rather than exhaust memory.
	if p.Memory == 0 || p.Memory > 1<<22 || p.Time == 0 || p.Time > 64 || p.Threads == 0 {
		return p, nil, nil, ErrFormat
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, ErrFormat
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, ErrFormat
	}
	return p, salt, key, nil
}
