package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/renkei/renkei"
)

// The organization's report link: a secret URL through which anyone — a
// partner without an account above all — reports an incident, so that
// every partner has a channel. No session is needed; the secret is the
// credential. Reports are limited per address (the sign-in limiter, its
// own key space), per link per day and in size, and get a receipt number.

// reportLinkDailyCap bounds the reports one link takes in a day, so that a
// leaked link cannot flood the organization's case list.
const reportLinkDailyCap = 200

// reportLinkMaxBytes bounds a report's form body.
const reportLinkMaxBytes = 64 << 10

// reportLinkView is the report form.
type reportLinkView struct {
	OrgName string
	Secret  string
	Types   []string
	// Containments are the containment states, "" (not known) first.
	Containments []string
	Form         reportLinkForm
	Receipt      string
	Received     time.Time
}

// reportLinkForm is what the reporter typed, kept to show it again.
type reportLinkForm struct {
	Company, Name, Email, Phone, Type, Occurred, Discovered string
	Description, Systems, Persons, Containment              string
	OurData, OurNetwork, OurProducts                        bool
	Sensitive, Financial, Unauthorized                      bool
}

// reportLinkPage is GET /report/{secret}.
func (s *Server) reportLinkPage(w http.ResponseWriter, r *http.Request) {
	org, _, err := s.cfg.Store.ReportLinkOrg(r.Context(), r.PathValue("secret"))
	if err != nil {
		s.errorPage(w, r, renkei.Errorf(renkei.ENOTFOUND, "report.link_unknown"))
		return
	}
	s.renderReportForm(w, r, http.StatusOK, org, reportLinkForm{}, nil)
}

func (s *Server) renderReportForm(w http.ResponseWriter, r *http.Request, status int, org *renkei.Organization, f reportLinkForm, e *renkei.Error) {
	view := reportLinkView{OrgName: org.Name, Secret: r.PathValue("secret"), Types: renkei.IncidentTypes,
		Containments: renkei.ContainmentStates, Form: f}
	s.render(w, r, status, "report_link", &pageData{Title: "report.title", Data: view, Error: e})
}

// reportLinkSubmit is POST /report/{secret}: the report becomes a case of
// the organization (source public_link, aware now) and the reporter gets
// its receipt number.
func (s *Server) reportLinkSubmit(w http.ResponseWriter, r *http.Request) {
	secret := r.PathValue("secret")
	org, today, err := s.cfg.Store.ReportLinkOrg(r.Context(), secret)
	if err != nil {
		s.errorPage(w, r, renkei.Errorf(renkei.ENOTFOUND, "report.link_unknown"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, reportLinkMaxBytes)
	if err := r.ParseForm(); err != nil {
		s.renderReportForm(w, r, http.StatusRequestEntityTooLarge, org, reportLinkForm{},
			renkei.Errorf(renkei.ETOOLARGE, "error.too_large", humanBytes(reportLinkMaxBytes)))
		return
	}
	f := readReportForm(r)
	if !s.limiter.allow("report:"+clientIP(r)) || today >= reportLinkDailyCap {
		s.renderReportForm(w, r, http.StatusTooManyRequests, org, f, renkei.Errorf(renkei.ERATELIMITED, "report.rate_limited"))
		return
	}
	in, fields := f.incident(org.ID, s.cfg.Now())
	if len(fields) == 0 {
		ctx := renkei.WithActor(r.Context(), &renkei.Actor{System: true, Label: "report-link", IP: clientIP(r)})
		err = s.cfg.Store.CreateIncident(ctx, in)
	} else {
		err = renkei.Invalid(fields)
	}
	if err != nil {
		if e := formError(err); e != nil {
			s.renderReportForm(w, r, statusOf(e.Code), org, f, e)
			return
		}
		s.errorPage(w, r, err)
		return
	}
	view := reportLinkView{OrgName: org.Name, Receipt: in.Ref, Received: in.CreatedAt}
	s.render(w, r, http.StatusCreated, "report_link_done", &pageData{Title: "report.done_title", Data: view})
}

func readReportForm(r *http.Request) reportLinkForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	on := func(k string) bool { return r.PostFormValue(k) == "on" }
	return reportLinkForm{
		Company: v("company"), Name: v("contact.name"), Email: v("contact.email"), Phone: v("contact.phone"),
		Type: v("type"), Occurred: v("occurred_at"), Discovered: v("discovered_at"),
		Description: r.PostFormValue("description"), Systems: r.PostFormValue("systems"),
		Persons: v("personal_data.persons"), Containment: v("containment"),
		OurData: on("affects.our_data"), OurNetwork: on("affects.our_network"), OurProducts: on("affects.our_products"),
		Sensitive: on("personal_data.sensitive"), Financial: on("personal_data.financial"), Unauthorized: on("personal_data.unauthorized_purpose"),
	}
}

// incident turns the form into a case: aware now (we learn of it as it
// arrives), the reporter's company in the title and the contact. Field
// errors the core does not check (required company and a way to reach
// the reporter, date and number formats) come back here.
func (f reportLinkForm) incident(orgID string, now time.Time) (*renkei.Incident, map[string]string) {
	fields := map[string]string{}
	if f.Company == "" {
		fields["company"] = "report.company_required"
	}
	if f.Email == "" && f.Phone == "" {
		fields["contact.email"] = "report.contact_required"
	}
	if strings.TrimSpace(f.Description) == "" {
		fields["description"] = "report.description_required"
	}
	in := &renkei.Incident{OrgID: orgID, Type: f.Type, Title: reportTitle(f.Company), Description: f.Description,
		Systems: f.Systems, AwareAt: now.UTC(), Source: renkei.IncidentSourceLink, Containment: f.Containment,
		Contact:      renkei.Contact{Name: f.Name, Email: f.Email, Phone: f.Phone},
		Affects:      renkei.Affects{OurData: f.OurData, OurNetwork: f.OurNetwork, OurProducts: f.OurProducts},
		PersonalData: renkei.PersonalData{Sensitive: f.Sensitive, Financial: f.Financial, UnauthorizedPurpose: f.Unauthorized}}
	in.OccurredAt = formTime(fields, "occurred_at", f.Occurred)
	in.DiscoveredAt = formTime(fields, "discovered_at", f.Discovered)
	if f.Persons != "" {
		n, err := strconv.Atoi(f.Persons)
		if err != nil {
			fields["personal_data.persons"] = "incident.persons_range"
		}
		in.PersonalData.Persons = n
	}
	if len(fields) == 0 {
		if err := in.Validate(now); err != nil {
			return in, err.(*renkei.Error).Fields
		}
	}
	return in, fields
}

// reportTitle names a case reported through the link by its reporter.
func reportTitle(company string) string {
	r := []rune(company)
	if len(r) > 150 {
		r = r[:150]
	}
	return "［報告リンク］" + string(r)
}

// formTime reads a datetime-local value in Japan time ("" is none).
func formTime(fields map[string]string, name, v string) *time.Time {
	if v == "" {
		return nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", v, renkei.Japan)
	if err != nil {
		fields[name] = "report.time_format"
		return nil
	}
	t = t.UTC()
	return &t
}
