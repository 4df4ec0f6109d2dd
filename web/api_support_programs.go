package web

import (
	"net/http"
	"time"

	"github.com/renkei/renkei"
)

// The organization's catalog of support programs (renkei.SupportProgram):
// listed, added to, changed and removed by its staff; findings suggest
// from it (api_review.go).

type apiSupportProgram struct {
	ID           string           `json:"id"`
	Code         string           `json:"code"`
	Name         renkei.Bilingual `json:"name"`
	URL          string           `json:"url"`
	Description  renkei.Bilingual `json:"description"`
	Groups       []string         `json:"groups"`
	Severities   []string         `json:"severities"`
	MaxEmployees int              `json:"max_employees"`
	CreatedAt    time.Time        `json:"created_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
}

func toAPISupportProgram(p *renkei.SupportProgram) apiSupportProgram {
	out := apiSupportProgram{ID: p.ID, Code: p.Code, Name: p.Name, URL: p.URL, Description: p.Description, Groups: p.Groups,
		Severities: p.Severities, MaxEmployees: p.MaxEmployees, CreatedAt: utc(p.CreatedAt), UpdatedAt: utc(p.UpdatedAt)}
	if out.Groups == nil {
		out.Groups = []string{}
	}
	if out.Severities == nil {
		out.Severities = []string{}
	}
	return out
}

// supportProgramIn is the body of POST and PATCH: on POST an absent field
// is empty, on PATCH it keeps its value.
type supportProgramIn struct {
	Name         *renkei.Bilingual `json:"name"`
	URL          *string           `json:"url"`
	Description  *renkei.Bilingual `json:"description"`
	Groups       *[]string         `json:"groups"`
	Severities   *[]string         `json:"severities"`
	MaxEmployees *int              `json:"max_employees"`
}

func (in supportProgramIn) apply(p *renkei.SupportProgram) map[string]string {
	fields := map[string]string{}
	if in.Name != nil {
		checkText(fields, "name.ja", in.Name.JA)
		checkText(fields, "name.en", in.Name.EN)
		p.Name = *in.Name
	}
	if in.Description != nil {
		checkMultiline(fields, "description.ja", in.Description.JA)
		checkMultiline(fields, "description.en", in.Description.EN)
		p.Description = *in.Description
	}
	if in.URL != nil {
		checkText(fields, "url", *in.URL)
		p.URL = *in.URL
	}
	if in.Groups != nil {
		p.Groups = *in.Groups
	}
	if in.Severities != nil {
		p.Severities = *in.Severities
	}
	if in.MaxEmployees != nil {
		p.MaxEmployees = *in.MaxEmployees
	}
	return fields
}

// apiListSupportPrograms is GET /api/v1/support_programs: the whole
// catalog (seeded on the organization's first read), in creation order.
func (s *Server) apiListSupportPrograms(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	ps, err := s.cfg.Store.SupportPrograms(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	items, next, err := apiPageSlice(ps, func(p *renkei.SupportProgram) string { return p.ID }, page)
	if err != nil {
		return err
	}
	out := make([]apiSupportProgram, len(items))
	for i := range items {
		out[i] = toAPISupportProgram(&items[i])
	}
	writeList(w, out, next)
	return nil
}

// apiCreateSupportProgram is POST /api/v1/support_programs.
func (s *Server) apiCreateSupportProgram(w http.ResponseWriter, r *http.Request) error {
	var in supportProgramIn
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	p := &renkei.SupportProgram{OrgID: actor(r).OrgID}
	if err := invalid(in.apply(p)); err != nil {
		return err
	}
	if err := s.cfg.Store.CreateSupportProgram(r.Context(), p); err != nil {
		return err
	}
	created(w, toAPISupportProgram(p))
	return nil
}

// apiPatchSupportProgram is PATCH /api/v1/support_programs/{id}.
func (s *Server) apiPatchSupportProgram(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "support_program")
	if err != nil {
		return err
	}
	var in supportProgramIn
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := s.cfg.Store.SupportProgram(r.Context(), actor(r).OrgID, id)
	if err != nil {
		return err
	}
	if err := invalid(in.apply(p)); err != nil {
		return err
	}
	if err := s.cfg.Store.UpdateSupportProgram(r.Context(), p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPISupportProgram(p))
	return nil
}

// apiDeleteSupportProgram is DELETE /api/v1/support_programs/{id}.
func (s *Server) apiDeleteSupportProgram(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "support_program")
	if err != nil {
		return err
	}
	if err := s.cfg.Store.DeleteSupportProgram(r.Context(), actor(r).OrgID, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}
