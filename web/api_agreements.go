package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/renkei/renkei"
)

// apiAgreement is an agreement as the API shows it. Active says whether it
// is in force now. The signed document is described by its name, type and
// size (and downloaded from .../document); its storage key stays inside.
type apiAgreement struct {
	ID                  string     `json:"id"`
	PartnerID           string     `json:"partner_id"`
	RequirementID       string     `json:"requirement_id"`
	RequirementCode     string     `json:"requirement_code"`
	Contract            string     `json:"contract"`
	ValidFrom           *time.Time `json:"valid_from"`
	ValidUntil          *time.Time `json:"valid_until"`
	DocumentName        string     `json:"document_name"`
	DocumentContentType string     `json:"document_content_type"`
	DocumentSize        int64      `json:"document_size"`
	HasDocument         bool       `json:"has_document"`
	Notes               string     `json:"notes"`
	ReportingHours      int        `json:"reporting_hours"`
	Active              bool       `json:"active"`
	CreatedAt           time.Time  `json:"created_at"`
	UpdatedAt           time.Time  `json:"updated_at"`
}

func toAPIAgreement(a *renkei.Agreement, now time.Time) apiAgreement {
	return apiAgreement{
		ID: a.ID, PartnerID: a.PartnerID, RequirementID: a.RequirementID, RequirementCode: a.Requirement,
		Contract: a.Contract, ValidFrom: utcPtr(a.ValidFrom), ValidUntil: utcPtr(a.ValidUntil),
		DocumentName: a.DocumentName, DocumentContentType: a.DocumentContentType, DocumentSize: a.DocumentSize, HasDocument: a.HasDocument(),
		Notes: a.Notes, ReportingHours: a.ReportingHours, Active: a.ActiveAt(now),
		CreatedAt: utc(a.CreatedAt), UpdatedAt: utc(a.UpdatedAt),
	}
}

// apiDate is an optional date of a JSON body: absent, null, a day
// "YYYY-MM-DD" (in Asia/Tokyo) or an RFC 3339 time. It never fails to
// decode: a bad value is a field error when it is read (at).
type apiDate struct {
	Set, Null bool
	Raw       string
	bad       bool
}

func (d *apiDate) UnmarshalJSON(b []byte) error {
	d.Set = true
	if string(b) == "null" {
		d.Null = true
		return nil
	}
	if err := json.Unmarshal(b, &d.Raw); err != nil {
		d.bad = true
	}
	return nil
}

// at returns the time the value names, nil for null or absent. A day
// means its start in Tokyo, or with end the start of the next day: an
// agreement "valid until 2027-03-31" is in force through that day.
func (d *apiDate) at(fields map[string]string, field string, end bool) *time.Time {
	if !d.Set || d.Null {
		return nil
	}
	s := strings.TrimSpace(d.Raw)
	var t time.Time
	var err error
	if len(s) == 10 {
		t, err = time.ParseInLocation("2006-01-02", s, renkei.Tokyo)
		if err == nil && end {
			t = t.AddDate(0, 0, 1)
		}
	} else {
		t, err = time.Parse(time.RFC3339Nano, s)
	}
	if d.bad || err != nil || t.Year() < 1900 || t.Year() > 2200 {
		fields[field] = "partners_api.field.date"
		return nil
	}
	u := utc(t)
	return &u
}

type agreementIn struct {
	RequirementID   *string `json:"requirement_id"`
	RequirementCode *string `json:"requirement_code"`
	Contract        *string `json:"contract"`
	ValidFrom       apiDate `json:"valid_from"`
	ValidUntil      apiDate `json:"valid_until"`
	Notes           *string `json:"notes"`
	ReportingHours  *int    `json:"reporting_hours"`
}

// apply writes the fields present onto a; the requirement is resolved by
// resolveRequirement.
func (in *agreementIn) apply(a *renkei.Agreement) map[string]string {
	fields := map[string]string{}
	apiText(fields, "contract", in.Contract, &a.Contract)
	apiLongText(fields, "notes", in.Notes, &a.Notes)
	if in.ReportingHours != nil {
		a.ReportingHours = *in.ReportingHours
	}
	if in.ValidFrom.Set {
		a.ValidFrom = in.ValidFrom.at(fields, "valid_from", false)
	}
	if in.ValidUntil.Set {
		a.ValidUntil = in.ValidUntil.at(fields, "valid_until", true)
	}
	return fields
}

// resolveRequirement finds the requirement kind the body names, by ID or
// code (both must agree when both are given), among the organization's.
// A kind it does not have is 400 on the field, not 404: the path's object
// exists.
func (s *Server) resolveRequirement(r *http.Request, in *agreementIn, a *renkei.Agreement, fields map[string]string) error {
	if in.RequirementID == nil && in.RequirementCode == nil {
		return nil
	}
	ks, err := s.cfg.Store.RequirementKinds(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	var found *renkei.RequirementKind
	if in.RequirementID != nil {
		id, perr := uuid.Parse(*in.RequirementID)
		for i := range ks {
			if perr == nil && ks[i].ID == id.String() {
				found = &ks[i]
			}
		}
		if found == nil {
			fields["requirement_id"] = "partners_api.field.requirement"
			return nil
		}
	}
	if in.RequirementCode != nil {
		if found != nil && found.Code != *in.RequirementCode {
			fields["requirement_code"] = "partners_api.field.requirement_mismatch"
			return nil
		}
		for i := range ks {
			if found == nil && ks[i].Code == *in.RequirementCode {
				found = &ks[i]
			}
		}
		if found == nil {
			fields["requirement_code"] = "partners_api.field.requirement"
			return nil
		}
	}
	a.RequirementID, a.Requirement = found.ID, found.Code
	return nil
}

// partnerOf checks that the path's partner is the organization's and
// returns its ID; another organization's is 404, as a missing one.
func (s *Server) partnerOf(r *http.Request) (string, error) {
	id, err := pathID(r, "partner")
	if err != nil {
		return "", err
	}
	if _, err := s.cfg.Store.Partner(r.Context(), actor(r).OrgID, id); err != nil {
		return "", err
	}
	return id, nil
}

// apiListAgreements is GET /api/v1/partners/{id}/agreements: the partner's
// agreements, by requirement kind, the latest-ending first.
func (s *Server) apiListAgreements(w http.ResponseWriter, r *http.Request) error {
	now := s.now()
	return writePartnerList(w, r, s.cfg.Store.Agreements, func(a *renkei.Agreement) string { return a.ID },
		func(a *renkei.Agreement) apiAgreement { return toAPIAgreement(a, now) })
}

// writePartnerList answers GET on a list that belongs to the partner in
// the path: the whole list is read (it is short) and paged by ID here.
func writePartnerList[T, O any](w http.ResponseWriter, r *http.Request,
	load func(ctx context.Context, orgID, partnerID string) ([]T, error), key func(*T) string, conv func(*T) O) error {
	id, err := pathID(r, "partner")
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	all, err := load(r.Context(), actor(r).OrgID, id)
	if err != nil {
		return err
	}
	items, next, err := apiPageSlice(all, key, page)
	if err != nil {
		return err
	}
	out := make([]O, len(items))
	for i := range items {
		out[i] = conv(&items[i])
	}
	writeList(w, out, next)
	return nil
}

// apiCreateAgreement is POST /api/v1/partners/{id}/agreements.
func (s *Server) apiCreateAgreement(w http.ResponseWriter, r *http.Request) error {
	partnerID, err := s.partnerOf(r)
	if err != nil {
		return err
	}
	var in agreementIn
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	a := &renkei.Agreement{OrgID: actor(r).OrgID, PartnerID: partnerID}
	fields := in.apply(a)
	if in.RequirementID == nil && in.RequirementCode == nil {
		fields["requirement_id"] = "field.required"
	} else if err := s.resolveRequirement(r, &in, a, fields); err != nil {
		return err
	}
	if err := invalid(fields); err != nil {
		return err
	}
	if err := s.cfg.Store.CreateAgreement(r.Context(), a); err != nil {
		return err
	}
	created(w, toAPIAgreement(a, s.now()))
	return nil
}

// agreementOf finds the path's agreement of the path's partner.
func (s *Server) agreementOf(r *http.Request) (*renkei.Agreement, error) {
	partnerID, err := pathID(r, "partner")
	if err != nil {
		return nil, err
	}
	aid, err := uuid.Parse(r.PathValue("agreement_id"))
	if err != nil {
		return nil, renkei.ErrNotFound("agreement")
	}
	as, err := s.cfg.Store.Agreements(r.Context(), actor(r).OrgID, partnerID)
	if err != nil {
		return nil, err
	}
	for i := range as {
		if as[i].ID == aid.String() {
			return &as[i], nil
		}
	}
	return nil, renkei.ErrNotFound("agreement")
}

// apiPatchAgreement is PATCH /api/v1/partners/{id}/agreements/{agreement_id}:
// the fields present replace the stored ones; null clears a date.
func (s *Server) apiPatchAgreement(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agreementOf(r)
	if err != nil {
		return err
	}
	var in agreementIn
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	fields := in.apply(a)
	if err := s.resolveRequirement(r, &in, a, fields); err != nil {
		return err
	}
	if err := invalid(fields); err != nil {
		return err
	}
	if err := s.cfg.Store.UpdateAgreement(r.Context(), a); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIAgreement(a, s.now()))
	return nil
}

// apiDeleteAgreement is DELETE /api/v1/partners/{id}/agreements/{agreement_id}.
// Its signed document goes with it.
func (s *Server) apiDeleteAgreement(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agreementOf(r)
	if err != nil {
		return err
	}
	if err := s.deleteAgreement(r.Context(), a); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// apiExpiringAgreements is GET /api/v1/agreements/expiring?within_days=90:
// the agreements in force that end within the window (1 to 3650 days, 90
// by default), soonest first, of partners that are not archived.
func (s *Server) apiExpiringAgreements(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	days := 90
	if v := r.URL.Query().Get("within_days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3650 {
			return renkei.Invalid(map[string]string{"within_days": "partners_api.field.within_days"})
		}
		days = n
	}
	as, next, err := s.cfg.Store.ExpiringAgreements(r.Context(), actor(r).OrgID, time.Duration(days)*24*time.Hour, page)
	if err != nil {
		return err
	}
	now := s.now()
	out := make([]apiAgreement, len(as))
	for i := range as {
		out[i] = toAPIAgreement(&as[i], now)
	}
	writeList(w, out, next)
	return nil
}
