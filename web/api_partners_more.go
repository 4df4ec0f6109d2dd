package web

import (
	"net/http"
	"time"

	"github.com/renkei/renkei"
)

// ---- support records ----

// apiSupport is a support record as the API shows it.
type apiSupport struct {
	ID          string    `json:"id"`
	PartnerID   string    `json:"partner_id"`
	Kind        string    `json:"kind"`
	Date        time.Time `json:"date"`
	Description string    `json:"description"`
	AmountYen   int64     `json:"amount_yen"`
	CreatedAt   time.Time `json:"created_at"`
}

func toAPISupport(s *renkei.SupportRecord) apiSupport {
	return apiSupport{ID: s.ID, PartnerID: s.PartnerID, Kind: s.Kind, Date: utc(s.Date), Description: s.Description,
		AmountYen: s.AmountYen, CreatedAt: utc(s.CreatedAt)}
}

// apiListSupport is GET /api/v1/partners/{id}/support: the support given
// to the partner, latest first.
func (s *Server) apiListSupport(w http.ResponseWriter, r *http.Request) error {
	return writePartnerList(w, r, s.cfg.Store.SupportRecords, func(s *renkei.SupportRecord) string { return s.ID }, toAPISupport)
}

type supportIn struct {
	Kind        string  `json:"kind"`
	Date        apiDate `json:"date"`
	Description string  `json:"description"`
	AmountYen   int64   `json:"amount_yen"`
}

// apiCreateSupport is POST /api/v1/partners/{id}/support {kind, date,
// description, amount_yen}; kind is a code of the vocabulary's "support"
// list, date a day (Tokyo) or an RFC 3339 time.
func (s *Server) apiCreateSupport(w http.ResponseWriter, r *http.Request) error {
	partnerID, err := s.partnerOf(r)
	if err != nil {
		return err
	}
	var in supportIn
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	rec := &renkei.SupportRecord{OrgID: actor(r).OrgID, PartnerID: partnerID, AmountYen: in.AmountYen}
	fields := map[string]string{}
	apiText(fields, "kind", &in.Kind, &rec.Kind)
	apiLongText(fields, "description", &in.Description, &rec.Description)
	if d := in.Date.at(fields, "date", false); d != nil {
		rec.Date = *d
	} else if _, bad := fields["date"]; !bad {
		fields["date"] = "field.required"
	}
	if err := invalid(fields); err != nil {
		return err
	}
	if err := s.cfg.Store.CreateSupportRecord(r.Context(), rec); err != nil {
		return err
	}
	created(w, toAPISupport(rec))
	return nil
}

// ---- risk policy ----

// apiRiskFactor describes one rule of the risk score.
type apiRiskFactor struct {
	Code string `json:"code"`
	JA   string `json:"ja"`
	EN   string `json:"en"`
}

// apiRiskPolicy is GET and PUT /api/v1/risk_policy: the organization's
// policy, and (read only) the rules it weighs.
type apiRiskPolicy struct {
	renkei.RiskPolicy
	Factors []apiRiskFactor `json:"factors"`
}

type riskPolicyIn struct {
	Weights                   map[string]int `json:"weights"`
	HighAt                    int            `json:"high_at"`
	MediumAt                  int            `json:"medium_at"`
	SmallSupplierLevel        string         `json:"small_supplier_level"`
	SmallSupplierMaxEmployees int            `json:"small_supplier_max_employees"`
}

func (s *Server) writeRiskPolicy(w http.ResponseWriter, r *http.Request) error {
	rp, err := s.cfg.Store.RiskPolicy(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	if rp.Weights == nil {
		rp.Weights = map[string]int{}
	}
	out := apiRiskPolicy{RiskPolicy: rp, Factors: []apiRiskFactor{}}
	for _, code := range renkei.RiskFactorCodes() {
		reason, _ := renkei.RiskFactorReason(code, 0)
		out.Factors = append(out.Factors, apiRiskFactor{Code: code, JA: reason.JA, EN: reason.EN})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiGetRiskPolicy is GET /api/v1/risk_policy.
func (s *Server) apiGetRiskPolicy(w http.ResponseWriter, r *http.Request) error {
	return s.writeRiskPolicy(w, r)
}

// apiPutRiskPolicy is PUT /api/v1/risk_policy: the policy is replaced as a
// whole (weights absent from the map take their defaults; high_at and
// medium_at both 0 or absent take 60 and 30) and every partner of the
// organization is evaluated again, with history.
func (s *Server) apiPutRiskPolicy(w http.ResponseWriter, r *http.Request) error {
	var in riskPolicyIn
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	rp := renkei.RiskPolicy{Weights: in.Weights, HighAt: in.HighAt, MediumAt: in.MediumAt,
		SmallSupplierLevel: in.SmallSupplierLevel, SmallSupplierMaxEmployees: in.SmallSupplierMaxEmployees}
	if err := s.cfg.Store.SetRiskPolicy(r.Context(), actor(r).OrgID, rp); err != nil {
		return err
	}
	return s.writeRiskPolicy(w, r)
}
