package web

import (
	"net/http"
	"time"

	"github.com/renkei/renkei"
)

// apiRequirement is a requirement kind as the API shows it.
type apiRequirement struct {
	ID        string    `json:"id"`
	Code      string    `json:"code"`
	NameJA    string    `json:"name_ja"`
	NameEN    string    `json:"name_en"`
	Builtin   bool      `json:"builtin"`
	CreatedAt time.Time `json:"created_at"`
}

func toAPIRequirement(k *renkei.RequirementKind) apiRequirement {
	return apiRequirement{ID: k.ID, Code: k.Code, NameJA: k.NameJA, NameEN: k.NameEN, Builtin: k.Builtin, CreatedAt: utc(k.CreatedAt)}
}

// apiListRequirements is GET /api/v1/requirements: the organization's
// requirement kinds, the survey's (builtin) first in their order, then its
// own in the order they were added.
func (s *Server) apiListRequirements(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	ks, err := s.cfg.Store.RequirementKinds(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	items, next, err := apiPageSlice(ks, func(k *renkei.RequirementKind) string { return k.ID }, page)
	if err != nil {
		return err
	}
	out := make([]apiRequirement, len(items))
	for i := range items {
		out[i] = toAPIRequirement(&items[i])
	}
	writeList(w, out, next)
	return nil
}

type requirementCreate struct {
	Code   string `json:"code"`
	NameJA string `json:"name_ja"`
	NameEN string `json:"name_en"`
}

// apiCreateRequirement is POST /api/v1/requirements {code, name_ja,
// name_en}: one of the organization's own kinds. A code any kind of the
// organization has (the builtin ones included) is 409.
func (s *Server) apiCreateRequirement(w http.ResponseWriter, r *http.Request) error {
	var in requirementCreate
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	checkText(fields, "code", in.Code)
	checkText(fields, "name_ja", in.NameJA)
	checkText(fields, "name_en", in.NameEN)
	if err := invalid(fields); err != nil {
		return err
	}
	k := &renkei.RequirementKind{OrgID: actor(r).OrgID, Code: in.Code, NameJA: in.NameJA, NameEN: in.NameEN}
	if err := s.cfg.Store.CreateRequirementKind(r.Context(), k); err != nil {
		return err
	}
	created(w, toAPIRequirement(k))
	return nil
}
