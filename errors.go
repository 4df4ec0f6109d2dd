package renkei

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the web adapter and to one
// exit code class in the CLI.
const (
	EINVALID      = "invalid"      // the input is malformed or breaks a rule
	EUNAUTHORIZED = "unauthorized" // no credentials, or bad ones
	EFORBIDDEN    = "forbidden"    // credentials fine, action not allowed
	ENOTFOUND     = "not_found"    // absent, or another tenant's
	ECONFLICT     = "conflict"     // clashes with existing state
	ETOOLARGE     = "too_large"    // the body or file is over the limit
	ELOCKED       = "locked"       // the account is locked for a while
	ERATELIMITED  = "rate_limited" // too many attempts
	EINTERNAL     = "internal"     // our fault
)

// Error is the coded error every layer returns. Key names a message in the
// i18n catalog (Japanese and English); Args fill its placeholders. Fields maps
// an input field to the message key that says what is wrong with it.
type Error struct {
	Code   string
	Key    string
	Args   []any
	Fields map[string]string
}

func (e *Error) Error() string {
	if len(e.Args) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Key, e.Args)
	}
	return e.Code + ": " + e.Key
}

// Errorf builds a coded error with a message key.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Invalid builds an EINVALID error for one or more fields.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: EINVALID, Key: "error.invalid_fields", Fields: fields}
}

// ErrorCode returns the code of err, EINTERNAL for errors that carry none.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrNotFound is the shared "absent or another tenant's" error.
func ErrNotFound(kind string) *Error {
	return Errorf(ENOTFOUND, "error.not_found", kind)
}
