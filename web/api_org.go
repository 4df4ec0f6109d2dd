package web

import "net/http"

// apiGetOrganization is GET /api/v1/organization: the caller's
// organization.
func (s *Server) apiGetOrganization(w http.ResponseWriter, r *http.Request) error {
	o, err := s.cfg.Store.OrganizationByID(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

type orgPatch struct {
	Name *string `json:"name"`
}

// apiPatchOrganization is PATCH /api/v1/organization {name}.
func (s *Server) apiPatchOrganization(w http.ResponseWriter, r *http.Request) error {
	var in orgPatch
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	if in.Name == nil {
		fields["name"] = "field.required"
	} else {
		checkText(fields, "name", *in.Name)
	}
	if err := invalid(fields); err != nil {
		return err
	}
	ctx := r.Context()
	o, err := s.cfg.Store.OrganizationByID(ctx, actor(r).OrgID)
	if err != nil {
		return err
	}
	o.Name = *in.Name
	if err := s.cfg.Store.UpdateOrganization(ctx, o); err != nil {
		return err
	}
	if o, err = s.cfg.Store.OrganizationByID(ctx, o.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}
