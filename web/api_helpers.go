package web

import (
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/renkei/renkei"
)

// pathID returns the {id} path value in canonical form. Anything that is
// not a UUID names nothing, so it is ENOTFOUND of kind, as an ID of
// another organization is.
func pathID(r *http.Request, kind string) (string, error) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return "", renkei.ErrNotFound(kind)
	}
	return id.String(), nil
}

// checkText refuses control characters (NUL included, which PostgreSQL
// cannot store) and the bidirectional overrides and isolates that make a
// name display as something else. Other text, markup included, is stored
// as given and escaped on output.
func checkText(fields map[string]string, field, v string) {
	if _, bad := fields[field]; bad {
		return
	}
	if strings.IndexFunc(v, hostileRune) >= 0 {
		fields[field] = "api.field.control_chars"
	}
}

func hostileRune(c rune) bool {
	switch {
	case unicode.IsControl(c):
		return true
	case c >= 0x202A && c <= 0x202E, c >= 0x2066 && c <= 0x2069, c == 0x200E, c == 0x200F, c == 0x061C:
		return true
	case c == 0xFEFF, c == unicode.ReplacementChar:
		return true
	}
	return false
}

// invalid returns the EINVALID error for fields, or nil when there is none.
func invalid(fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	return renkei.Invalid(fields)
}

// created writes v with 201 Created.
func created(w http.ResponseWriter, v any) { writeJSON(w, http.StatusCreated, v) }

// noContent writes 204 No Content.
func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// utc returns t as stored: UTC, to the microsecond. A create answers with
// the same times a later read gives.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// utcPtr is utc for optional times; nil stays nil.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := utc(*t)
	return &u
}
