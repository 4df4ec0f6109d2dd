package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// statusOf maps an error code to its HTTP status.
func statusOf(code string) int {
	switch code {
	case renkei.EINVALID:
		return http.StatusBadRequest
	case renkei.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case renkei.EFORBIDDEN:
		return http.StatusForbidden
	case renkei.ENOTFOUND:
		return http.StatusNotFound
	case renkei.ECONFLICT:
		return http.StatusConflict
	case renkei.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case renkei.ELOCKED:
		return http.StatusLocked
	case renkei.ERATELIMITED:
		return http.StatusTooManyRequests
	case renkei.EGONE: // a share revoked or expired
		return http.StatusGone
	case "method_not_allowed":
		return http.StatusMethodNotAllowed
	case "unsupported_media_type":
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// apiError is the JSON error body: {"error": {"code", "message", "fields"}}.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// coded returns err as a *renkei.Error, logging and hiding internal errors.
func (s *Server) coded(r *http.Request, err error) *renkei.Error {
	var e *renkei.Error
	if errors.As(err, &e) {
		return e
	}
	s.log.ErrorContext(r.Context(), "internal error", "err", err, "method", r.Method, "path", r.URL.Path)
	return renkei.Errorf(renkei.EINTERNAL, "error.internal")
}

// writeError writes err as JSON in the request's language.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := s.coded(r, err)
	lang := langOf(r)
	body := apiError{Error: apiErrorBody{Code: e.Code, Message: i18n.T(lang, e.Key, e.Args...)}}
	if len(e.Fields) > 0 {
		body.Error.Fields = map[string]string{}
		for f, key := range e.Fields {
			body.Error.Fields[f] = i18n.T(lang, key)
		}
	}
	writeJSON(w, statusOf(e.Code), body)
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// listResponse is every list's shape.
type listResponse[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func writeList[T any](w http.ResponseWriter, items []T, next string) {
	if items == nil {
		items = []T{}
	}
	writeJSON(w, http.StatusOK, listResponse[T]{Items: items, NextCursor: next})
}

// decodeJSON reads a JSON object body into v. It refuses a wrong content
// type, a body over the limit, malformed JSON, unknown fields, wrong types
// and trailing data, each with an error that says what and where.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return renkei.Errorf("unsupported_media_type", "error.unsupported_media_type")
	}
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return s.jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return renkei.Errorf(renkei.EINVALID, "error.malformed_json", "trailing data after the object")
	}
	return nil
}

func (s *Server) jsonError(err error) error {
	var tooBig *http.MaxBytesError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return renkei.Errorf(renkei.ETOOLARGE, "error.too_large", humanBytes(tooBig.Limit))
	case errors.As(err, &syn):
		return renkei.Errorf(renkei.EINVALID, "error.malformed_json", fmt.Sprintf("offset %d", syn.Offset))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return &renkei.Error{Code: renkei.EINVALID, Key: "error.invalid_fields", Fields: map[string]string{field: "field.type"}}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return renkei.Errorf(renkei.EINVALID, "error.malformed_json", "empty or truncated body")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &renkei.Error{Code: renkei.EINVALID, Key: "error.invalid_fields", Fields: map[string]string{name: "field.unknown"}}
	}
	return renkei.Errorf(renkei.EINVALID, "error.malformed_json", err.Error())
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// pageOf reads limit and cursor from the query string.
func pageOf(r *http.Request) (renkei.Page, error) {
	p := renkei.Page{Cursor: r.URL.Query().Get("cursor")}
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > renkei.MaxPageLimit {
			return p, renkei.Invalid(map[string]string{"limit": "field.limit"})
		}
		p.Limit = n
	}
	if _, err := renkei.DecodeCursor(p.Cursor); err != nil {
		return p, err
	}
	return p, nil
}
