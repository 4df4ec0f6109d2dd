package web

import (
	"errors"
	"io"
	"net/http"
	"path"
	"sort"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/partnerio"
)

// Import from a page: /partners/import takes a CSV or XLSX file, checks it
// without keeping anything (the preview: what would be created and
// updated, and every error by row and column), and imports it when
// confirmed. Nothing is kept between the two steps: with the script
// running the file stays selected in the form and the confirmation sends
// it again; without it, the person picks the file again.

// importErrorsShown bounds the errors the preview lists.
const importErrorsShown = 500

type importErrorRow struct {
	Row     int
	Column  string
	Message string
}

// importResult is what a preview or an import found.
type importResult struct {
	FileName         string
	Confirmed        bool // the import ran (else a preview)
	Created, Updated int
	Errors           []importErrorRow
	MoreErrors       int
	Kept             bool // the import kept the valid rows despite errors
	Refused          bool // all-or-nothing with errors: nothing kept
	HTMX             bool // the form still holds the file
}

// importView is the import page.
type importView struct {
	Mode    string
	Result  *importResult
	Columns []importColumnRow
	MaxSize string
}

type importColumnRow struct {
	Key, JA  string
	Required bool
}

func (s *Server) importView(mode string) *importView {
	if mode != renkei.ImportSkipInvalid {
		mode = renkei.ImportAllOrNothing
	}
	v := &importView{Mode: mode, MaxSize: humanSize(maxImportBytes)}
	for _, c := range partnerio.Columns() {
		if !c.ReadOnly {
			v.Columns = append(v.Columns, importColumnRow{Key: c.Key, JA: c.JA, Required: c.Required})
		}
	}
	return v
}

func (s *Server) partnersImportPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	s.render(w, r, http.StatusOK, "partners_import", &pageData{Title: "partners_web.import.title", Section: "partners", Data: s.importView("")})
	return nil
}

// importContentType decides the file's type from its name first (browsers
// send .csv as several types), then from what the browser said.
func importContentType(name, sent string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".csv", ".txt", ".tsv":
		return partnerio.ContentTypeCSV
	case ".xlsx":
		return partnerio.ContentTypeXLSX
	}
	if sent == "" {
		return "application/octet-stream"
	}
	return sent
}

// importMessage is an import error in words (the API's words for the
// store's keys the catalog lacks).
func importMessage(lang string, e renkei.ImportError) string {
	key := apiMsgKey(e.Key)
	if key == "" || !i18n.Has("ja", key) {
		return i18n.T(lang, "partners_web.field_invalid")
	}
	return i18n.T(lang, key, e.Args...)
}

// partnersImport checks (step=preview) or imports (step=confirm) the
// uploaded file.
func (s *Server) partnersImport(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if r.MultipartForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxImportBytes+(1<<20))
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return renkei.Errorf(renkei.ETOOLARGE, "partnerio.too_large", humanSize(maxImportBytes))
			}
			return renkei.Errorf(renkei.EINVALID, "partners_web.import.no_file")
		}
	}
	defer r.MultipartForm.RemoveAll()
	v := s.importView(r.FormValue("mode"))
	confirm := r.FormValue("step") == "confirm"
	res := &importResult{Confirmed: confirm, HTMX: isHTMX(r)}
	v.Result = res
	e := s.runImport(r, a, v.Mode, confirm, res)
	if e != nil {
		v.Result = nil
	}
	pd := &pageData{Title: "partners_web.import.title", Section: "partners", Data: v, Error: e}
	status := http.StatusOK
	if e != nil {
		status = statusOf(e.Code)
	}
	if isHTMX(r) && r.Header.Get("HX-Target") == "import-result" {
		// The answer goes in the result area whatever its status.
		s.renderFragment(w, r, http.StatusOK, "partners_import", "result", pd)
		return nil
	}
	s.render(w, r, status, "partners_import", pd)
	return nil
}

// runImport reads the file and previews or imports it, filling res; a
// problem with the file as a whole is returned.
func (s *Server) runImport(r *http.Request, a *renkei.Actor, mode string, confirm bool, res *importResult) *renkei.Error {
	ctx := r.Context()
	lang := langOf(r)
	f, hdr, err := r.FormFile("file")
	if err != nil || hdr.Size == 0 {
		return renkei.Errorf(renkei.EINVALID, "partners_web.import.no_file")
	}
	defer f.Close()
	res.FileName = hdr.Filename
	rows, readErrs, err := partnerio.Read(io.Reader(f), importContentType(hdr.Filename, hdr.Header.Get("Content-Type")), maxImportBytes)
	if err != nil {
		var e *renkei.Error
		if errors.As(err, &e) {
			return e
		}
		return s.coded(r, err)
	}
	var out renkei.ImportResult
	switch {
	case !confirm:
		// The preview counts what the valid rows would do and gathers the
		// store's errors too; nothing is kept.
		out, err = s.cfg.Store.ImportPartners(ctx, a.OrgID, rows, renkei.ImportSkipInvalid, true)
	case mode == renkei.ImportAllOrNothing && len(readErrs) > 0:
		// Rows the reader refused: all or nothing keeps nothing. Ask the
		// store for its errors too, so the list is complete.
		out, err = s.cfg.Store.ImportPartners(ctx, a.OrgID, rows, renkei.ImportSkipInvalid, true)
		out.Created, out.Updated = 0, 0
		res.Refused = true
	default:
		out, err = s.cfg.Store.ImportPartners(ctx, a.OrgID, rows, mode, false)
	}
	if err != nil {
		return s.coded(r, err)
	}
	var all []importErrorRow
	for _, ie := range readErrs {
		all = append(all, importErrorRow{Row: ie.Row, Column: ie.Column, Message: importMessage(lang, ie)})
	}
	for _, ie := range out.Errors {
		all = append(all, importErrorRow{Row: ie.Row, Column: importColumn(ie.Column, lang), Message: importMessage(lang, ie)})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Row < all[j].Row })
	res.Created, res.Updated = out.Created, out.Updated
	if confirm && len(all) > 0 {
		if mode == renkei.ImportAllOrNothing {
			res.Refused, res.Created, res.Updated = true, 0, 0
		} else {
			res.Kept = true
		}
	}
	if len(all) > importErrorsShown {
		res.MoreErrors = len(all) - importErrorsShown
		all = all[:importErrorsShown]
	}
	res.Errors = all
	return nil
}
