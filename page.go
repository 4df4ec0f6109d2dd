package renkei

import (
	"encoding/base64"
	"strings"
)

// Page asks for one page of a list: at most Limit items after Cursor.
type Page struct {
	Limit  int
	Cursor string
}

// Pagination bounds.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 200
)

// Normalize clamps the limit into 1..MaxPageLimit.
func (p Page) Normalize() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultPageLimit
	}
	if p.Limit > MaxPageLimit {
		p.Limit = MaxPageLimit
	}
	return p
}

// EncodeCursor turns the last key of a page into an opaque cursor.
func EncodeCursor(key string) string {
	if key == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte("k:" + key))
}

// DecodeCursor reverses EncodeCursor; a cursor that was not made by it is
// an EINVALID error on the "cursor" field.
func DecodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), "k:") || len(b) > 200 {
		return "", Invalid(map[string]string{"cursor": "field.cursor"})
	}
	return string(b[2:]), nil
}
