package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/incidentxlsx"
	"github.com/renkei/renkei/mailtmpl"
)

// The APPI report draft of a case: a printable page, an XLSX workbook and
// the API's JSON, all from renkei.APPIReportDraft.

// reportDraft reads what the draft needs and lays it out in lang.
func (s *Server) reportDraft(r *http.Request, orgID, id, lang string) (*renkei.Incident, []renkei.ReportItem, error) {
	ctx := r.Context()
	in, err := s.cfg.Store.Incident(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	f := renkei.ReportFacts{Lang: lang}
	if in.PartnerID != "" {
		if p, err := s.cfg.Store.Partner(ctx, orgID, in.PartnerID); err == nil {
			f.PartnerName = p.Company.Name
		}
	}
	if f.Decision, err = s.cfg.Store.Decision(ctx, orgID, id); err != nil {
		return nil, nil, err
	}
	if f.Obligations, err = s.cfg.Store.Obligations(ctx, orgID, id); err != nil {
		return nil, nil, err
	}
	return in, renkei.APPIReportDraft(in, f), nil
}

type reportDraftView struct {
	In    *renkei.Incident
	Items []renkei.ReportItem
	Lang  string
}

// incidentReportPage is GET /incidents/{id}/report: the draft to print.
func (s *Server) incidentReportPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	lang := langOf(r)
	in, items, err := s.reportDraft(r, a.OrgID, r.PathValue("id"), lang)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "incident_report", &pageData{Title: "incidents.report_title", Section: "incidents",
		Data: reportDraftView{In: in, Items: items, Lang: lang}})
	return nil
}

// incidentReportXLSX is GET /incidents/{id}/report.xlsx.
func (s *Server) incidentReportXLSX(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	lang := langOf(r)
	in, items, err := s.reportDraft(r, a.OrgID, r.PathValue("id"), lang)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	title := in.Ref + " " + map[bool]string{true: "APPI breach report (draft)", false: "個人情報保護委員会への報告（案）"}[lang == "en"]
	if err := incidentxlsx.WriteReport(&buf, title, items, lang); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+in.Ref+`-appi-report.xlsx"`)
	_, err = buf.WriteTo(w)
	return err
}

// apiIncidentReport is GET /api/v1/incidents/{id}/report: the draft's
// items in the reader's language.
func (s *Server) apiIncidentReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "incident")
	if err != nil {
		return err
	}
	_, items, err := s.reportDraft(r, actor(r).OrgID, id, langOf(r))
	if err != nil {
		return err
	}
	writeList(w, items, "")
	return nil
}

// IncidentReminderMail is the renderer of the duty reminder job
// (renkei.SendDutyReminders): the mail in the recipient's language, with a
// link to the case under baseURL.
func IncidentReminderMail(baseURL string) func(renkei.DutyReminder) (*renkei.Mail, error) {
	return func(r renkei.DutyReminder) (*renkei.Mail, error) {
		locale := mailtmpl.Locale(r.Locale)
		data := mailtmpl.IncidentDutyReminder{OrgName: r.OrgName, Ref: r.Ref, Title: r.Title, Duty: r.Duty.Label(locale),
			DueAt: r.DueAt.In(renkei.Japan).Format("2006-01-02 15:04"), Overdue: r.Kind == renkei.ReminderOverdue,
			URL: strings.TrimRight(baseURL, "/") + "/incidents/" + r.IncidentID}
		subject, text, html, err := mailtmpl.Render("incident_duty_reminder", locale, data)
		if err != nil {
			return nil, err
		}
		return &renkei.Mail{Subject: subject, Text: text, HTML: html, Template: "incident_duty_reminder", Locale: locale}, nil
	}
}
