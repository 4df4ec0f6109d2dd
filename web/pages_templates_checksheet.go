package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/checksheet"
	"github.com/renkei/renkei/i18n"
)

// An organization's own Excel checksheet turned into a template, on one
// page (/templates/checksheet) in four steps, each sent with the file:
// inspect (the sheets with their first rows and the columns guessed from
// the header), preview (the template the chosen sheet and columns make, or
// every problem by cell reference), save (a new version of the
// organization's template). The form holds the file, so with the script
// running each step sends it again by itself; without it, the person picks
// the file again and the choices made are kept in the form.

// Checksheet steps.
const (
	csInspect = "inspect"
	csPreview = "preview"
	csSave    = "save"
)

// csField is one mapped column of the form: the Mapping field, its form
// name and label.
type csField struct {
	Name, Label, Value, Error string
	Required                  bool
}

// cellProblem is one problem of the sheet, in words.
type cellProblem struct {
	Cell, Message string
}

// previewRow is a row of the chosen sheet with its number.
type previewRow struct {
	N     int
	Cells []string
}

// checksheetView is the checksheet page.
type checksheetView struct {
	Step     string
	FileName string
	MaxSize  string
	HTMX     bool
	Sheets   []checksheet.Sheet
	Sheet    *checksheet.Sheet // the chosen one
	Rows     []previewRow      // its first rows, numbered
	Fields   []csField         // the column mapping
	Header   string            // header row
	Meta     checksheet.TemplateMeta
	Problems []cellProblem
	Result   *renkei.Template
	Saved    *renkei.StoredTemplate
}

// csColumns are the mapping's fields in the order the form shows them.
var csColumns = []struct {
	name, label string
	required    bool
}{
	{"question", "templates_web.cs.col.question", true},
	{"id", "templates_web.cs.col.id", false},
	{"section", "templates_web.cs.col.section", false},
	{"choices", "templates_web.cs.col.choices", false},
	{"weight", "templates_web.cs.col.weight", false},
	{"help", "templates_web.cs.col.help", false},
	{"level", "templates_web.cs.col.level", false},
}

func (s *Server) checksheetPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	v := &checksheetView{MaxSize: humanSize(checksheet.DefaultMaxBytes), Meta: checksheet.TemplateMeta{Lang: langOf(r)}}
	s.render(w, r, http.StatusOK, "templates_checksheet", &pageData{Title: "templates_web.cs.title", Section: "assessments", Data: v})
	return nil
}

// checksheetStep runs the step the form asks for. Problems with the file
// as a whole are shown above the form; problems of cells are listed by
// reference; nothing is saved unless the step is save and there are none.
func (s *Server) checksheetStep(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	v := &checksheetView{MaxSize: humanSize(checksheet.DefaultMaxBytes), HTMX: isHTMX(r)}
	pd := &pageData{Title: "templates_web.cs.title", Section: "assessments", Data: v}
	data, name, err := uploadedFile(w, r, checksheet.DefaultMaxBytes, checksheet.KeyTooLarge, "templates_web.import.no_file")
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	v.FileName = name
	v.Step = r.FormValue("step")
	v.Meta = checksheet.TemplateMeta{Slug: r.FormValue("slug"), TitleJA: r.FormValue("title_ja"), TitleEN: r.FormValue("title_en"), Lang: r.FormValue("lang")}
	if v.Meta.Lang != "en" {
		v.Meta.Lang = "ja"
	}
	if err == nil {
		err = s.runChecksheet(r, a, data, v)
	}
	if err != nil {
		e := formError(err)
		if e == nil {
			return err
		}
		pd.Error = e
	}
	for i := range v.Fields {
		v.Fields[i].Error = pd.FieldError(v.Fields[i].Name)
	}
	status := http.StatusOK
	if pd.Error != nil {
		status = statusOf(pd.Error.Code)
	} else if len(v.Problems) > 0 {
		status = http.StatusBadRequest
	}
	if isHTMX(r) && r.Header.Get("HX-Target") == "cs-steps" {
		s.renderFragment(w, r, http.StatusOK, "templates_checksheet", "steps", pd)
		return nil
	}
	s.render(w, r, status, "templates_checksheet", pd)
	return nil
}

// runChecksheet inspects the workbook, fills the mapping (guessed when the
// sheet is newly chosen, as sent otherwise) and, past the inspect step,
// converts and maybe saves.
func (s *Server) runChecksheet(r *http.Request, a *renkei.Actor, data []byte, v *checksheetView) error {
	wb, err := checksheet.Inspect(bytes.NewReader(data), checksheet.DefaultMaxBytes)
	if err != nil {
		return err
	}
	v.Sheets = wb.Sheets
	v.Sheet = &wb.Sheets[0]
	for i := range wb.Sheets {
		if wb.Sheets[i].Name == r.FormValue("sheet") {
			v.Sheet = &wb.Sheets[i]
		}
	}
	// A sheet chosen anew gets its guessed columns; the same sheet keeps
	// what the person set.
	m := v.Sheet.Guess
	if r.FormValue("mapped_sheet") == v.Sheet.Name && v.Step != csInspect {
		m = checksheet.Mapping{Sheet: v.Sheet.Name}
		m.HeaderRow, _ = strconv.Atoi(strings.TrimSpace(r.FormValue("header_row")))
		for _, c := range csColumns {
			*m.Field(c.name) = strings.TrimSpace(r.FormValue("col_" + c.name))
		}
	}
	m.Sheet = v.Sheet.Name
	for i, row := range v.Sheet.Rows {
		v.Rows = append(v.Rows, previewRow{N: i + 1, Cells: row})
	}
	v.Header = strconv.Itoa(m.HeaderRow)
	for _, c := range csColumns {
		v.Fields = append(v.Fields, csField{Name: c.name, Label: c.label, Value: *m.Field(c.name), Required: c.required})
	}
	if v.Step != csPreview && v.Step != csSave {
		v.Step = csInspect
		return nil
	}
	tpl, cellErrs, err := checksheet.Convert(bytes.NewReader(data), checksheet.DefaultMaxBytes, m, v.Meta)
	if err != nil {
		return err
	}
	lang := langOf(r)
	for _, ce := range cellErrs {
		v.Problems = append(v.Problems, cellProblem{Cell: ce.Cell, Message: i18n.T(lang, ce.Key, ce.Args...)})
	}
	if tpl == nil {
		return nil
	}
	v.Result = tpl
	if v.Step == csSave {
		v.Saved, err = s.cfg.Store.SaveTemplate(r.Context(), a.OrgID, tpl)
		return err
	}
	return nil
}
