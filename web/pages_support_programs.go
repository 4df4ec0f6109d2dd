package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// /settings/support-programs: the organization's catalog of support
// programs that findings suggest (renkei.SupportProgram). Every member
// reads it; writers add, change and remove programs.

type programForm struct {
	ID, Action                                        string
	NameJA, NameEN, URL, DescJA, DescEN, MaxEmployees string
	Groups, Severities                                []option
	Errors                                            map[string]string
	Seed                                              string // the seed it came from, in words
	Name                                              string // in the page's language
	CSRF                                              string
	lang                                              string
}

// Err is a field's message.
func (f *programForm) Err(name string) string { return fieldMessage(f.lang, f.Errors[name]) }

type supportProgramsView struct {
	Programs []*programForm
	New      *programForm
}

func programFormOf(lang string, p *renkei.SupportProgram, fields map[string]string) *programForm {
	f := &programForm{ID: p.ID, NameJA: p.Name.JA, NameEN: p.Name.EN, URL: p.URL, DescJA: p.Description.JA, DescEN: p.Description.EN,
		Errors: fields, lang: lang, Name: p.Name.Label(lang)}
	if p.MaxEmployees > 0 {
		f.MaxEmployees = strconv.Itoa(p.MaxEmployees)
	}
	f.Action = "/settings/support-programs"
	if p.ID != "" {
		f.Action += "/" + p.ID
	}
	for _, g := range renkei.ControlGroups {
		label := g.JA
		if lang == "en" {
			label = g.EN
		}
		f.Groups = append(f.Groups, option{Value: g.Code, Label: label, Selected: hasString(p.Groups, g.Code)})
	}
	f.Severities = msgOptions(lang, "review.severity.", []string{renkei.SeverityHigh, renkei.SeverityMedium}, p.Severities...)
	if p.Code != "" {
		f.Seed = i18n.T(lang, "review.programs.seeded")
	}
	return f
}

// readProgram reads the form into p.
func readProgram(r *http.Request, p *renkei.SupportProgram) map[string]string {
	fields := map[string]string{}
	p.Name = renkei.Bilingual{JA: strings.TrimSpace(r.PostFormValue("name_ja")), EN: strings.TrimSpace(r.PostFormValue("name_en"))}
	p.Description = renkei.Bilingual{JA: strings.TrimSpace(r.PostFormValue("description_ja")), EN: strings.TrimSpace(r.PostFormValue("description_en"))}
	p.URL = strings.TrimSpace(r.PostFormValue("url"))
	checkText(fields, "name.ja", p.Name.JA)
	checkText(fields, "name.en", p.Name.EN)
	checkText(fields, "url", p.URL)
	checkMultiline(fields, "description.ja", p.Description.JA)
	checkMultiline(fields, "description.en", p.Description.EN)
	p.Groups, p.Severities = r.PostForm["groups"], r.PostForm["severities"]
	p.MaxEmployees = 0
	if v := strings.TrimSpace(r.PostFormValue("max_employees")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			fields["max_employees"] = "field.employees"
		}
		p.MaxEmployees = n
	}
	return fields
}

func (s *Server) renderPrograms(w http.ResponseWriter, r *http.Request, a *renkei.Actor, status int, failed *renkei.SupportProgram, e *renkei.Error) error {
	lang := langOf(r)
	ps, err := s.cfg.Store.SupportPrograms(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	v := &supportProgramsView{New: programFormOf(lang, &renkei.SupportProgram{}, nil)}
	var fields map[string]string
	if e != nil {
		fields = e.Fields
	}
	if failed != nil && failed.ID == "" {
		v.New = programFormOf(lang, failed, fields)
	}
	csrf := csrfOf(r)
	for i := range ps {
		p := &ps[i]
		if failed != nil && failed.ID == p.ID {
			v.Programs = append(v.Programs, programFormOf(lang, failed, fields))
			continue
		}
		v.Programs = append(v.Programs, programFormOf(lang, p, nil))
	}
	v.New.CSRF = csrf
	for _, f := range v.Programs {
		f.CSRF = csrf
	}
	s.render(w, r, status, "support_programs", &pageData{Title: "review.programs.title", Section: "settings", Data: v, Error: e, Flash: reviewNotice(r)})
	return nil
}

// supportProgramsPage is GET /settings/support-programs.
func (s *Server) supportProgramsPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.renderPrograms(w, r, a, http.StatusOK, nil, nil)
}

// supportProgramAdd is POST /settings/support-programs.
func (s *Server) supportProgramAdd(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	p := &renkei.SupportProgram{OrgID: a.OrgID}
	err := invalid(readProgram(r, p))
	if err == nil {
		err = s.cfg.Store.CreateSupportProgram(r.Context(), p)
	}
	if e := formError(err); e != nil {
		p.ID = ""
		return s.renderPrograms(w, r, a, statusOf(e.Code), p, e)
	} else if err != nil {
		return err
	}
	seeOther(w, r, "/settings/support-programs?done=program_added")
	return nil
}

// supportProgramSave is POST /settings/support-programs/{id}.
func (s *Server) supportProgramSave(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	id, err := pathID(r, "support_program")
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	p, err := s.cfg.Store.SupportProgram(r.Context(), a.OrgID, id)
	if err != nil {
		return err
	}
	err = invalid(readProgram(r, p))
	if err == nil {
		err = s.cfg.Store.UpdateSupportProgram(r.Context(), p)
	}
	if e := formError(err); e != nil {
		return s.renderPrograms(w, r, a, statusOf(e.Code), p, e)
	} else if err != nil {
		return err
	}
	seeOther(w, r, "/settings/support-programs?done=program_saved#sp-"+p.ID)
	return nil
}

// supportProgramDelete is POST /settings/support-programs/{id}/delete.
func (s *Server) supportProgramDelete(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	id, err := pathID(r, "support_program")
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	if err := s.cfg.Store.DeleteSupportProgram(r.Context(), a.OrgID, id); err != nil {
		return err
	}
	seeOther(w, r, "/settings/support-programs?done=program_deleted")
	return nil
}
