package web

import (
	"fmt"
	"math"
	"net/http"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// The coverage view: of each type of partner, the share with an agreement
// in force for each kind of requirement (as the survey charts it), the
// agreements that end within 90 days, and the partners without an
// incident contact.

type coverageType struct {
	Code, Label string
	Partners    int
}

type coverageCell struct {
	Percent           string // "45.5"
	Bar               string // the CSS class of the bar's width, in steps of 5
	Covered, Partners int
	Missing           string // the list of the type's partners without it
}

type coverageRow struct {
	Code, Kind string
	Cells      []coverageCell
}

type expiringRow struct {
	PartnerID, Partner, Kind, Contract, Until string
}

// coverageView is the coverage page.
type coverageView struct {
	Types      []coverageType
	Rows       []coverageRow
	Expiring   []expiringRow
	ExpNext    string
	ExpFirst   bool
	NoIncident int
	NoIncLink  string
	Total      int
}

// expiringPage is how many expiring agreements the page lists at a time.
const expiringPage = 50

func (s *Server) partnersCoverage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	ctx := r.Context()
	lang, loc := langOf(r), s.userLoc(r)
	kinds, err := s.cfg.Store.RequirementKinds(ctx, a.OrgID)
	if err != nil {
		return err
	}
	cells, err := s.cfg.Store.Coverage(ctx, a.OrgID)
	if err != nil {
		return err
	}
	v := &coverageView{}
	byCell := map[[2]string]renkei.CoverageCell{}
	for _, c := range cells {
		byCell[[2]string{c.PartnerType, c.Requirement}] = c
	}
	for _, t := range renkei.Terms(renkei.ListPartnerType) {
		ct := coverageType{Code: t.Code, Label: i18n.T(lang, "partners_web.type_short."+t.Code)}
		for _, c := range cells {
			if c.PartnerType == t.Code {
				ct.Partners = c.Partners
				break
			}
		}
		v.Total += ct.Partners
		v.Types = append(v.Types, ct)
	}
	for _, k := range kinds {
		row := coverageRow{Code: k.Code, Kind: kindLabel(lang, k)}
		for _, t := range v.Types {
			c := byCell[[2]string{t.Code, k.Code}]
			step := int(math.Round(c.Percent/5)) * 5
			row.Cells = append(row.Cells, coverageCell{
				Percent: fmt.Sprintf("%.1f", c.Percent), Bar: fmt.Sprintf("bar-w-%d", step),
				Covered: c.Covered, Partners: t.Partners,
				Missing: listFilter{Type: t.Code, Missing: k.Code, Sort: "-risk"}.URL(),
			})
		}
		v.Rows = append(v.Rows, row)
	}

	// Agreements ending within 90 days, soonest first, with their
	// partners' names (each partner read once).
	cursor := r.URL.Query().Get("cursor")
	if _, err := renkei.DecodeCursor(cursor); err != nil {
		cursor = ""
	}
	exp, next, err := s.cfg.Store.ExpiringAgreements(ctx, a.OrgID, expiringWithin, renkei.Page{Limit: expiringPage, Cursor: cursor})
	if renkei.ErrorCode(err) == renkei.EINVALID && cursor != "" {
		cursor = ""
		exp, next, err = s.cfg.Store.ExpiringAgreements(ctx, a.OrgID, expiringWithin, renkei.Page{Limit: expiringPage})
	}
	if err != nil {
		return err
	}
	kindName := map[string]string{}
	for _, k := range kinds {
		kindName[k.Code] = kindLabel(lang, k)
	}
	names := map[string]string{}
	for _, ag := range exp {
		name, ok := names[ag.PartnerID]
		if !ok {
			p, err := s.cfg.Store.Partner(ctx, a.OrgID, ag.PartnerID)
			if err != nil {
				return err
			}
			name = p.Company.Name
			names[ag.PartnerID] = name
		}
		v.Expiring = append(v.Expiring, expiringRow{PartnerID: ag.PartnerID, Partner: name, Kind: kindName[ag.Requirement],
			Contract: ag.Contract, Until: untilIn(loc, ag.ValidUntil)})
	}
	if next != "" {
		v.ExpNext = "/partners/coverage?cursor=" + next + "#expiring"
	}
	v.ExpFirst = cursor == ""
	if v.NoIncident, err = s.cfg.Store.CountPartners(ctx, a.OrgID, renkei.PartnerFilter{MissingIncidentInfo: true}); err != nil {
		return err
	}
	v.NoIncLink = listFilter{NoIncident: true, Sort: "-risk"}.URL()
	s.render(w, r, http.StatusOK, "partners_coverage", &pageData{Title: "partners_web.coverage.title", Section: "partners", Data: v})
	return nil
}
