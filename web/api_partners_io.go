package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/partnerio"
)

// maxImportBytes bounds an import file (the JSON limit is far smaller).
const maxImportBytes = MaxUploadBytes

// apiImportError is one problem of an import, in the request's language.
type apiImportError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// apiImportResult is what POST /api/v1/partners/import answers.
type apiImportResult struct {
	Created int              `json:"created"`
	Updated int              `json:"updated"`
	Errors  []apiImportError `json:"errors"`
	DryRun  bool             `json:"dry_run"`
	Mode    string           `json:"mode"`
}

// apiImportPartners is POST /api/v1/partners/import: the body is the file
// (CSV in UTF-8, Shift_JIS or UTF-16, or XLSX), ?mode=all_or_nothing (the
// default) or skip_invalid, ?dry_run=1 to see what would happen.
//
// A file that can be read answers 200 with the counts and every problem
// found, by row and column: the cells partnerio refuses and the rows the
// store refuses (a Corporate Number of another partner, the same partner
// twice). In all_or_nothing mode any problem keeps nothing and the counts
// are 0 (the store is still asked, dry, so that the answer lists its
// problems too). A file that cannot be read at all is an error: 400
// (empty, header only, malformed, undecodable, corrupt), 413 (over 64 MiB
// or 200,000 rows) or 415 (not CSV or XLSX).
func (s *Server) apiImportPartners(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fields := map[string]string{}
	mode := q.Get("mode")
	switch mode {
	case "":
		mode = renkei.ImportAllOrNothing
	case renkei.ImportAllOrNothing, renkei.ImportSkipInvalid:
	default:
		fields["mode"] = "partners_api.field.mode"
	}
	dry := apiQueryBool(fields, r, "dry_run")
	if err := invalid(fields); err != nil {
		return err
	}
	limit := humanSize(maxImportBytes)
	if r.ContentLength > maxImportBytes {
		return renkei.Errorf(renkei.ETOOLARGE, partnerio.KeyTooLarge, limit)
	}
	rows, perrs, err := partnerio.Read(r.Body, r.Header.Get("Content-Type"), maxImportBytes)
	var e *renkei.Error
	switch {
	case errors.As(err, &e) && e.Key == partnerio.KeyContentType:
		return &renkei.Error{Code: "unsupported_media_type", Key: e.Key, Args: e.Args}
	case err != nil:
		return err
	}
	res := renkei.ImportResult{}
	if len(rows) > 0 {
		// With cell errors an all-or-nothing import keeps nothing: the
		// store only checks the good rows.
		storeDry := dry || (mode == renkei.ImportAllOrNothing && len(perrs) > 0)
		if res, err = s.cfg.Store.ImportPartners(r.Context(), actor(r).OrgID, rows, mode, storeDry); err != nil {
			return err
		}
	}
	if mode == renkei.ImportAllOrNothing && (len(perrs) > 0 || len(res.Errors) > 0) {
		res.Created, res.Updated = 0, 0
	}
	lang := langOf(r)
	out := apiImportResult{Created: res.Created, Updated: res.Updated, DryRun: dry, Mode: mode, Errors: []apiImportError{}}
	for _, pe := range perrs {
		out.Errors = append(out.Errors, apiImportError{Row: pe.Row, Column: pe.Column, Message: i18n.T(lang, pe.Key, pe.Args...)})
	}
	for _, se := range res.Errors {
		out.Errors = append(out.Errors, apiImportError{Row: se.Row, Column: importColumn(se.Column, lang),
			Message: i18n.T(lang, apiMsgKey(se.Key), se.Args...)})
	}
	slices.SortStableFunc(out.Errors, func(a, b apiImportError) int { return a.Row - b.Row })
	writeJSON(w, http.StatusOK, out)
	return nil
}

// humanSize is a limit as partnerio words it ("64 MB").
func humanSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// importColumn names the column of an error the store found, given as the
// field's JSON path ("company.corporate_number"), by the column's standard
// header in lang (法人番号, corporate_number). Errors found reading the file
// name the header as written in the file.
func importColumn(path, lang string) string {
	key := path
	switch {
	case strings.HasPrefix(path, "company."):
		key = strings.TrimPrefix(path, "company.")
	case strings.HasPrefix(path, "profile."):
		key = strings.TrimPrefix(path, "profile.")
	case strings.HasPrefix(path, "contacts."):
		rest := strings.TrimPrefix(path, "contacts.")
		if who, f, ok := strings.Cut(rest, "."); ok {
			key = who + "_contact_" + f
		} else {
			key = rest
		}
	}
	for _, c := range partnerio.Columns() {
		if c.Key == key {
			if lang == "ja" {
				return c.JA
			}
			return c.Key
		}
	}
	return path
}

// exportBatch is how many partners the export reads at a time: the
// store's largest page.
const exportBatch = renkei.MaxPageLimit

// partnerSource yields the organization's partners that pass f, reading
// them from the store a page at a time, so that an export of 100,000
// partners never holds more than one page.
func (s *Server) partnerSource(ctx context.Context, orgID string, f renkei.PartnerFilter) func() (*renkei.Partner, bool, error) {
	var buf []renkei.Partner
	i, cursor, done := 0, "", false
	return func() (*renkei.Partner, bool, error) {
		for i >= len(buf) {
			if done {
				return nil, false, nil
			}
			ps, next, err := s.cfg.Store.ListPartners(ctx, orgID, f, renkei.Page{Limit: exportBatch, Cursor: cursor})
			if err != nil {
				return nil, false, err
			}
			buf, i, cursor, done = ps, 0, next, next == ""
		}
		i++
		return &buf[i-1], true, nil
	}
}

// lazyResponse sends the download's headers with its first byte, so that
// an export that fails before writing anything can still answer with a
// JSON error.
type lazyResponse struct {
	w       http.ResponseWriter
	header  func(h http.Header)
	started bool
}

func (l *lazyResponse) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		l.header(l.w.Header())
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(b)
}

// apiExportPartners is GET /api/v1/partners/export: every partner that
// passes the list's filters (not paged), as CSV (format=csv, the default;
// encoding=utf-8 with a BOM, the default, or shift_jis) or XLSX
// (format=xlsx), with headers in lang (ja or en; the request's language by
// default). Cells a spreadsheet could take for a formula are neutralized
// by partnerio. The file is named partners-YYYYMMDD.csv|xlsx after the
// date in Tokyo.
//
// XLSX is assembled before its first byte is sent, and Shift_JIS CSV is
// written to a temporary file first (a character Shift_JIS cannot hold is
// a 400 naming the line and column), so both fail cleanly. UTF-8 CSV
// streams; should the store fail half-way, the connection is cut rather
// than a shortened file passed off as complete.
func (s *Server) apiExportPartners(w http.ResponseWriter, r *http.Request) error {
	f, err := apiPartnerFilter(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	fields := map[string]string{}
	format := strings.ToLower(q.Get("format"))
	switch format {
	case "":
		format = "csv"
	case "csv", "xlsx":
	default:
		fields["format"] = "partners_api.field.format"
	}
	enc := partnerio.EncodingUTF8
	switch strings.ToLower(strings.ReplaceAll(q.Get("encoding"), "_", "-")) {
	case "", "utf-8", "utf8":
	case "shift-jis", "sjis", "cp932", "windows-31j":
		enc = partnerio.EncodingShiftJIS
	default:
		fields["encoding"] = "partners_api.field.encoding"
	}
	lang := q.Get("lang")
	if lang == "" {
		lang = langOf(r)
	} else if !i18n.Valid(lang) {
		fields["lang"] = "partners_api.field.lang"
	}
	if err := invalid(fields); err != nil {
		return err
	}
	next := s.partnerSource(r.Context(), actor(r).OrgID, f)
	name := "partners-" + s.now().In(renkei.Tokyo).Format("20060102") + "." + format
	header := func(ctype string) func(h http.Header) {
		return func(h http.Header) {
			h.Set("Content-Type", ctype)
			h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
			h.Set("Cache-Control", "no-store")
		}
	}
	switch {
	case format == "xlsx":
		lw := &lazyResponse{w: w, header: header(partnerio.ContentTypeXLSX)}
		return s.finishExport(r, lw, partnerio.WriteXLSX(lw, next, lang))
	case enc == partnerio.EncodingShiftJIS:
		tmp, err := os.CreateTemp("", "renkei-export-*.csv")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		if err := partnerio.WriteCSV(tmp, next, lang, enc); err != nil {
			return err
		}
		size, err := tmp.Seek(0, io.SeekCurrent)
		if err != nil {
			return err
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return err
		}
		header("text/csv; charset=Shift_JIS")(w.Header())
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		w.WriteHeader(http.StatusOK)
		_, err = io.Copy(w, tmp)
		return s.finishExport(r, &lazyResponse{started: true}, err)
	default:
		lw := &lazyResponse{w: w, header: header("text/csv; charset=utf-8")}
		return s.finishExport(r, lw, partnerio.WriteCSV(lw, next, lang, enc))
	}
}

// finishExport returns err as the response when nothing was sent yet;
// after that it logs err and cuts the connection, so that the client sees
// a failed download instead of a short file.
func (s *Server) finishExport(r *http.Request, lw *lazyResponse, err error) error {
	if err == nil || !lw.started {
		return err
	}
	if r.Context().Err() == nil {
		s.log.ErrorContext(r.Context(), "partner export failed after it started", "err", err)
	}
	panic(http.ErrAbortHandler)
}
