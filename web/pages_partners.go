package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// The partner pages: the list with its filters and bulk actions (this
// file), the form (pages_partners_form.go), the partner page with its
// agreements and support (pages_partners_detail.go), import, coverage and
// the risk policy. Labels of coded values come from the vocabulary
// (renkei.Terms) or the catalog (partners_web.*.json).

// ---- labels ----

// option is one choice of a select, radio group or checkbox group.
type option struct {
	Value, Label string
	Selected     bool
}

// termOptions lists a vocabulary list as options, selected marking the
// chosen code.
func termOptions(lang, list, selected string) []option {
	var out []option
	for _, t := range renkei.Terms(list) {
		out = append(out, option{Value: t.Code, Label: t.Label(lang), Selected: t.Code == selected})
	}
	return out
}

// termLabel is a vocabulary code in words, or the code when the list
// does not know it.
func termLabel(lang, list, code string) string {
	if t, ok := renkei.LookupTerm(list, code); ok {
		return t.Label(lang)
	}
	return code
}

// msgOptions lists codes as options labelled by the catalog keys
// prefix+code.
func msgOptions(lang, prefix string, codes []string, selected ...string) []option {
	var out []option
	for _, c := range codes {
		o := option{Value: c, Label: i18n.T(lang, prefix+c)}
		for _, s := range selected {
			o.Selected = o.Selected || s == c
		}
		out = append(out, o)
	}
	return out
}

// levelLabel shows a required level as ★N.
func levelLabel(level string) string {
	if n := strings.TrimPrefix(level, "star"); n != level && n != "" {
		return "★" + n
	}
	return level
}

// reasonText is a risk reason in the page's language.
func reasonText(lang string, r renkei.RiskReason) string {
	if lang == "en" && r.EN != "" {
		return r.EN
	}
	if r.JA != "" {
		return r.JA
	}
	return r.EN
}

// kindLabel is a requirement kind's name in the page's language.
func kindLabel(lang string, k renkei.RequirementKind) string {
	if lang == "en" && k.NameEN != "" {
		return k.NameEN
	}
	if k.NameJA != "" {
		return k.NameJA
	}
	if k.NameEN != "" {
		return k.NameEN
	}
	return k.Code
}

var (
	tierCodes  = []string{renkei.TierHigh, renkei.TierMedium, renkei.TierLow}
	levelCodes = []string{renkei.LevelStar4, renkei.LevelStar3, renkei.LevelStar2, renkei.LevelStar1}
	// listSorts are the list's sorts in the order the select offers them.
	listSorts = []string{"-risk", "risk", "name", "-name", "-created", "created"}
)

func levelOptions(selected string) []option {
	var out []option
	for _, l := range levelCodes {
		out = append(out, option{Value: l, Label: levelLabel(l), Selected: l == selected})
	}
	return out
}

// ---- the list ----

// listPageSize is how many partners one page of the list shows.
const listPageSize = 50

// listFilter is the list's query string: every filter is a GET parameter,
// so a filtered view can be bookmarked and shared.
type listFilter struct {
	Q, Type, Tier, Level, Industry, Department, Missing, Sort string
	NoIncident, Archived                                      bool
}

// parseListFilter reads the filter from the query; values the lists do
// not know are dropped (an old bookmark still opens).
func parseListFilter(q url.Values, kinds []renkei.RequirementKind) listFilter {
	f := listFilter{
		Q:          strings.TrimSpace(q.Get("q")),
		Type:       q.Get("type"),
		Tier:       q.Get("tier"),
		Level:      q.Get("required_level"),
		Industry:   q.Get("industry"),
		Department: q.Get("department"),
		Missing:    q.Get("missing_agreement"),
		Sort:       q.Get("sort"),
		NoIncident: truthy(q.Get("missing_incident_contact")),
		Archived:   truthy(q.Get("archived")),
	}
	f.Q = strings.Map(func(r rune) rune {
		if hostileRune(r) {
			return -1
		}
		return r
	}, f.Q)
	if len([]rune(f.Q)) > 200 {
		f.Q = string([]rune(f.Q)[:200])
	}
	if !renkei.ValidTerm(renkei.ListPartnerType, f.Type) {
		f.Type = ""
	}
	if !hasString(tierCodes, f.Tier) {
		f.Tier = ""
	}
	if !hasString(levelCodes, f.Level) {
		f.Level = ""
	}
	if !renkei.ValidTerm(renkei.ListIndustry, f.Industry) {
		f.Industry = ""
	}
	if !renkei.ValidTerm(renkei.ListDepartment, f.Department) {
		f.Department = ""
	}
	known := false
	for _, k := range kinds {
		known = known || k.Code == f.Missing
	}
	if !known {
		f.Missing = ""
	}
	if !hasString(listSorts, f.Sort) {
		f.Sort = "-risk"
	}
	return f
}

func truthy(v string) bool { return v == "1" || v == "true" || v == "on" || v == "yes" }

func hasString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// store is the filter as the store takes it.
func (f listFilter) store() renkei.PartnerFilter {
	return renkei.PartnerFilter{Query: f.Q, Type: f.Type, Tier: f.Tier, RequiredLevel: f.Level, Industry: f.Industry,
		Department: f.Department, MissingAgreement: f.Missing, MissingIncidentInfo: f.NoIncident, Archived: f.Archived, Sort: f.Sort}
}

// values is the filter as query parameters, leaving out what is unset.
func (f listFilter) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", f.Q)
	set("type", f.Type)
	set("tier", f.Tier)
	set("required_level", f.Level)
	set("industry", f.Industry)
	set("department", f.Department)
	set("missing_agreement", f.Missing)
	if f.NoIncident {
		v.Set("missing_incident_contact", "1")
	}
	if f.Archived {
		v.Set("archived", "1")
	}
	if f.Sort != "-risk" {
		v.Set("sort", f.Sort)
	}
	return v
}

// Active reports whether any filter narrows the list.
func (f listFilter) Active() bool {
	g := f
	g.Sort = ""
	return g != listFilter{}
}

// URL is the list's address with this filter and extra parameters
// (name, value pairs).
func (f listFilter) URL(extra ...string) string {
	v := f.values()
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	if len(v) == 0 {
		return "/partners"
	}
	return "/partners?" + v.Encode()
}

// partnerListRow is one row of the list, its labels in the page's language.
type partnerListRow struct {
	ID, Name, NameKana, CorporateNumber string
	Type, Industry, Department          string
	Tier, TierLabel                     string
	Score                               int
	Level                               string
	HasIncidentContact                  bool
	Archived                            bool
}

func listRow(lang string, p *renkei.Partner) partnerListRow {
	row := partnerListRow{
		ID: p.ID, Name: p.Company.Name, NameKana: p.Company.NameKana, CorporateNumber: p.Company.CorporateNumber,
		Type:     i18n.T(lang, "partners_web.type_short."+p.Type),
		Tier:     p.Risk.Tier,
		Score:    p.Risk.Score,
		Level:    levelLabel(p.Required),
		Archived: p.ArchivedAt != nil, HasIncidentContact: p.Contacts.HasIncidentContact(),
	}
	row.TierLabel = i18n.T(lang, "partners_web.tier."+p.Risk.Tier)
	if p.Company.Industry != "" {
		row.Industry = termLabel(lang, renkei.ListIndustry, p.Company.Industry)
	}
	if p.Department != "" {
		row.Department = termLabel(lang, renkei.ListDepartment, p.Department)
	}
	return row
}

// partnersListView is the list page.
type partnersListView struct {
	Filter   listFilter
	Rows     []partnerListRow
	Total    int
	From, To int    // the rows shown, counted from 1
	Next     string // the next page's address, "" on the last
	First    string // the first page's address, "" on it
	Self     string // this page's address (bulk actions come back to it)

	Types, Tiers, Levels, Industries, Departments, Kinds, Sorts []option
	ExportCSV, ExportXLSX, ExportSJIS                           string
}

// TotalText is the count with thousands separators.
func (v *partnersListView) TotalText() string { return grouped(int64(v.Total)) }

// partnerNotices are the confirmations the partner pages show after a
// redirect (?done=NAME).
var partnerNotices = map[string]bool{
	"archived": true, "unarchived": true, "department_set": true, "created": true, "saved": true,
	"agreement_added": true, "agreement_saved": true, "agreement_deleted": true, "support_added": true,
	"document_attached": true, "document_removed": true,
}

func partnerNotice(r *http.Request) string {
	if n := r.URL.Query().Get("done"); partnerNotices[n] {
		return "partners_web.done." + n
	}
	return ""
}

// partnersList serves /partners: one ListPartners and one CountPartners
// per page, whatever the filter (and the requirement kinds for the
// filter's select). htmx asks for the results only (hx-target #results).
func (s *Server) partnersList(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	ctx := r.Context()
	lang := langOf(r)
	q := r.URL.Query()
	kinds, err := s.cfg.Store.RequirementKinds(ctx, a.OrgID)
	if err != nil {
		return err
	}
	f := parseListFilter(q, kinds)
	cursor := q.Get("cursor")
	if _, err := renkei.DecodeCursor(cursor); err != nil {
		cursor = ""
	}
	at, _ := strconv.Atoi(q.Get("at"))
	if at < 0 || cursor == "" {
		at = 0
	}
	// The count runs beside the page: each is one query.
	type counted struct {
		n   int
		err error
	}
	countc := make(chan counted, 1)
	go func() {
		n, err := s.cfg.Store.CountPartners(ctx, a.OrgID, f.store())
		countc <- counted{n, err}
	}()
	list, next, err := s.cfg.Store.ListPartners(ctx, a.OrgID, f.store(), renkei.Page{Limit: listPageSize, Cursor: cursor})
	if renkei.ErrorCode(err) == renkei.EINVALID && cursor != "" {
		// A cursor of another sort (an edited bookmark): start over.
		cursor, at = "", 0
		list, next, err = s.cfg.Store.ListPartners(ctx, a.OrgID, f.store(), renkei.Page{Limit: listPageSize})
	}
	c := <-countc
	if err != nil {
		return err
	}
	if c.err != nil {
		return c.err
	}
	total := c.n
	v := &partnersListView{Filter: f, Total: total}
	for i := range list {
		v.Rows = append(v.Rows, listRow(lang, &list[i]))
	}
	if len(v.Rows) > 0 {
		v.From, v.To = at+1, at+len(v.Rows)
	}
	if next != "" {
		v.Next = f.URL("cursor", next, "at", strconv.Itoa(at+len(v.Rows)))
	}
	if cursor != "" {
		v.First = f.URL()
		v.Self = f.URL("cursor", cursor, "at", strconv.Itoa(at))
	} else {
		v.Self = f.URL()
	}
	v.Types = termOptions(lang, renkei.ListPartnerType, f.Type)
	v.Tiers = msgOptions(lang, "partners_web.tier.", tierCodes, f.Tier)
	v.Levels = levelOptions(f.Level)
	v.Industries = termOptions(lang, renkei.ListIndustry, f.Industry)
	v.Departments = termOptions(lang, renkei.ListDepartment, f.Department)
	v.Sorts = msgOptions(lang, "partners_web.sort.", listSorts, f.Sort)
	for _, k := range kinds {
		v.Kinds = append(v.Kinds, option{Value: k.Code, Label: kindLabel(lang, k), Selected: k.Code == f.Missing})
	}
	exp := f.values()
	exp.Del("sort")
	exp.Set("lang", lang)
	exp.Set("format", "xlsx")
	v.ExportXLSX = "/api/v1/partners/export?" + exp.Encode()
	exp.Set("format", "csv")
	v.ExportCSV = "/api/v1/partners/export?" + exp.Encode()
	exp.Set("encoding", "shift_jis")
	v.ExportSJIS = "/api/v1/partners/export?" + exp.Encode()

	pd := &pageData{Title: "nav.partners", Section: "partners", Data: v, Flash: partnerNotice(r)}
	w.Header().Add("Vary", "HX-Request")
	if isHTMX(r) && r.Header.Get("HX-Target") == "results" && r.Header.Get("HX-History-Restore-Request") != "true" {
		// The address bar gets the filter as the page reads it: no empty
		// parameters, nothing the lists do not know.
		w.Header().Set("HX-Push-Url", v.Self)
		s.renderFragment(w, r, http.StatusOK, "partners", "results_fragment", pd)
		return nil
	}
	s.render(w, r, http.StatusOK, "partners", pd)
	return nil
}

// ---- bulk actions ----

// bulkLimit bounds how many partners one bulk action changes.
const bulkLimit = 200

// bulkView is the page that confirms a bulk action.
type bulkView struct {
	Action, Department, DepartmentLabel string
	Partners                            []partnerListRow
	Back                                string
}

// partnersBulk applies an action to the selected partners. The first POST
// shows what will change and how many partners (a confirmation that needs
// no script); the second, with confirm=1, does it.
func (s *Server) partnersBulk(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	lang := langOf(r)
	back := safeNext(r.PostFormValue("back"))
	if back != "/partners" && !strings.HasPrefix(back, "/partners?") {
		back = "/partners"
	}
	action, dept := r.PostFormValue("action"), r.PostFormValue("department")
	fields := map[string]string{}
	switch action {
	case "archive", "unarchive":
		dept = ""
	case "set_department":
		if dept != "" && !renkei.ValidTerm(renkei.ListDepartment, dept) {
			fields["department"] = "field.department"
		}
	default:
		fields["action"] = "partners_web.bulk.no_action"
	}
	ids := map[string]bool{}
	var order []string
	for _, id := range r.PostForm["id"] {
		if !ids[id] {
			ids[id] = true
			order = append(order, id)
		}
	}
	switch {
	case len(order) == 0:
		fields["id"] = "partners_web.bulk.none_selected"
	case len(order) > bulkLimit:
		fields["id"] = "partners_web.bulk.too_many"
	}
	for _, k := range []string{"id", "action", "department"} {
		if key, bad := fields[k]; bad {
			// Shown on the error page, which says what is wrong and
			// leads back to the list.
			return &renkei.Error{Code: renkei.EINVALID, Key: key, Fields: fields}
		}
	}
	var partners []*renkei.Partner
	for _, id := range order {
		p, err := s.cfg.Store.Partner(ctx, a.OrgID, id)
		if err != nil {
			return err // another organization's ID is not found, as is a made-up one
		}
		partners = append(partners, p)
	}
	if r.PostFormValue("confirm") != "1" {
		v := &bulkView{Action: action, Department: dept, Back: back}
		if dept != "" {
			v.DepartmentLabel = termLabel(lang, renkei.ListDepartment, dept)
		}
		for _, p := range partners {
			v.Partners = append(v.Partners, listRow(lang, p))
		}
		s.render(w, r, http.StatusOK, "partners_bulk", &pageData{Title: "partners_web.bulk.title", Section: "partners", Data: v})
		return nil
	}
	done := ""
	for _, p := range partners {
		var err error
		switch action {
		case "archive", "unarchive":
			err = s.cfg.Store.ArchivePartner(ctx, a.OrgID, p.ID, action == "archive")
			done = action + "d"
		case "set_department":
			if p.Department != dept {
				p.Department = dept
				err = s.cfg.Store.UpdatePartner(ctx, p)
			}
			done = "department_set"
		}
		if err != nil {
			return err
		}
	}
	seeOther(w, r, withDone(back, done))
	return nil
}

// withDone adds the done notice to a local address, replacing one there.
func withDone(path, done string) string {
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	q := u.Query()
	q.Set("done", done)
	u.RawQuery = q.Encode()
	return u.String()
}
