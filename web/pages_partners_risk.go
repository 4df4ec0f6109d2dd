package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/renkei/renkei"
)

// /settings/risk: the organization's risk policy — the points of each
// factor, the tier thresholds and the small-supplier rule. Every member
// may read it; admins change it, and saving evaluates every partner again.

// defaultRiskWeights are the points each factor adds under the default
// policy: the reasons of a partner to whom every factor applies.
var defaultRiskWeights = func() map[string]int {
	p := renkei.Partner{Type: renkei.PartnerOverseas, Company: renkei.Company{Country: "US"}, Profile: renkei.Profile{
		Provides:      append([]string(nil), renkei.ProvidesCodes...),
		NetworkAccess: []string{"remote_maintenance", "site_to_site", "onsite_devices"},
		PersonalData:  true, PersonalDataCount: 1_000_000, SensitivePersonalData: true, ConfidentialTechnical: true, FinancialData: true,
		OutageStopsBusiness: true, CriticalInfrastructure: true, Subcontracts: true,
		HandlesConfidentialOnOwnIT: true, OutageUnacceptable: true, ReachesInternalNetwork: true,
	}}
	out := map[string]int{}
	for _, r := range renkei.DefaultRiskPolicy().AssessRisk(&p).Reasons {
		out[r.Factor] = r.Points
	}
	return out
}()

type factorRow struct {
	Code, Name, ID, Text, Value, Error string
	Default                            int
}

// riskPolicyView is the risk policy page.
type riskPolicyView struct {
	Factors                                []factorRow
	HighAt, MediumAt, SmallLevel, SmallMax string
	Levels                                 []option
	Errors                                 map[string]string
	lang                                   string
}

// Err is a field's message.
func (v *riskPolicyView) Err(name string) string { return fieldMessage(v.lang, v.Errors[name]) }

func (s *Server) riskPolicyView(lang string, values url.Values, fields map[string]string) *riskPolicyView {
	v := &riskPolicyView{HighAt: values.Get("high_at"), MediumAt: values.Get("medium_at"), SmallLevel: values.Get("small_supplier_level"),
		SmallMax: values.Get("small_supplier_max_employees"), Errors: fields, lang: lang}
	for _, code := range renkei.RiskFactorCodes() {
		words, _ := renkei.RiskFactorReason(code, 0)
		name := "weights." + code
		v.Factors = append(v.Factors, factorRow{Code: code, Name: name, ID: fieldID(name), Text: reasonText(lang, words),
			Value: values.Get(name), Default: defaultRiskWeights[code], Error: fieldMessage(lang, fields[name])})
	}
	v.Levels = []option{{Value: "", Label: "", Selected: v.SmallLevel == ""}}
	for _, l := range []string{renkei.LevelStar2, renkei.LevelStar1} {
		v.Levels = append(v.Levels, option{Value: l, Label: levelLabel(l), Selected: v.SmallLevel == l})
	}
	return v
}

// policyValues is a policy as the form's values.
func policyValues(rp renkei.RiskPolicy) url.Values {
	v := url.Values{}
	for _, code := range renkei.RiskFactorCodes() {
		w, ok := rp.Weights[code]
		if !ok {
			w = defaultRiskWeights[code]
		}
		v.Set("weights."+code, strconv.Itoa(w))
	}
	high, medium := rp.HighAt, rp.MediumAt
	if high == 0 && medium == 0 {
		high, medium = renkei.DefaultRiskPolicy().HighAt, renkei.DefaultRiskPolicy().MediumAt
	}
	v.Set("high_at", strconv.Itoa(high))
	v.Set("medium_at", strconv.Itoa(medium))
	v.Set("small_supplier_level", rp.SmallSupplierLevel)
	if rp.SmallSupplierMaxEmployees > 0 {
		v.Set("small_supplier_max_employees", strconv.Itoa(rp.SmallSupplierMaxEmployees))
	}
	return v
}

func (s *Server) riskPolicyPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	rp, err := s.cfg.Store.RiskPolicy(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	flash := ""
	if r.URL.Query().Get("done") == "risk_saved" {
		flash = "partners_web.risk.saved"
	}
	s.render(w, r, http.StatusOK, "partners_risk", &pageData{Title: "partners_web.risk.title", Section: "settings", Flash: flash,
		Data: s.riskPolicyView(langOf(r), policyValues(rp), nil)})
	return nil
}

// riskPolicySave keeps the policy (weights equal to the default are left
// out, so the default stays in force for them) and re-evaluates every
// partner, in the store's one transaction.
func (s *Server) riskPolicySave(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	fields := map[string]string{}
	num := func(name, key string) int {
		n, ok := parseCount(r.PostFormValue(name))
		if !ok {
			fields[name] = key
		}
		return n
	}
	rp := renkei.RiskPolicy{Weights: map[string]int{}}
	for _, code := range renkei.RiskFactorCodes() {
		name := "weights." + code
		if strings.TrimSpace(r.PostFormValue(name)) == "" {
			continue
		}
		if n := num(name, "field.weight"); n != defaultRiskWeights[code] {
			rp.Weights[code] = n
		}
	}
	rp.HighAt = num("high_at", "field.thresholds")
	rp.MediumAt = num("medium_at", "field.thresholds")
	rp.SmallSupplierLevel = r.PostFormValue("small_supplier_level")
	if rp.SmallSupplierLevel != "" {
		rp.SmallSupplierMaxEmployees = num("small_supplier_max_employees", "field.number")
	}
	var err error
	if len(fields) > 0 {
		err = renkei.Invalid(fields)
	} else {
		err = s.cfg.Store.SetRiskPolicy(r.Context(), a.OrgID, rp)
	}
	if err != nil {
		e := formError(err)
		if e == nil {
			return err
		}
		fe := map[string]string{}
		for k, v := range e.Fields {
			fe[k] = v
		}
		if _, ok := fe["high_at"]; ok {
			fe["medium_at"] = fe["high_at"]
		}
		s.render(w, r, statusOf(e.Code), "partners_risk", &pageData{Title: "partners_web.risk.title", Section: "settings", Error: e,
			Data: s.riskPolicyView(langOf(r), r.PostForm, fe)})
		return nil
	}
	seeOther(w, r, "/settings/risk?done=risk_saved")
	return nil
}
