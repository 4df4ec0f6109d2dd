package web

import (
	"slices"
	"strconv"
	"strings"

	"github.com/renkei/renkei/i18n"
	"net/http"

	"github.com/renkei/renkei"
)

// The asking organization's pages of sharing with consent: /shared lists
// its requests and what became of them (shared, declined, ended), and
// /shared/{id} is the read-only copy: questions, answers and score, nothing
// of the sending organization's review. A revoked or expired share is the
// 410 page saying which.

// sharedRow is one line of /shared.
type sharedRow struct {
	ID, PartnerID, PartnerName, Status, ExpiresOn string
}

func (s *Server) sharedList(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	var rows []sharedRow
	names := map[string]string{}
	cursor := ""
	for {
		shs, next, err := s.cfg.Store.ShareRequests(r.Context(), a.OrgID, renkei.Page{Limit: renkei.MaxPageLimit, Cursor: cursor})
		if err != nil {
			return err
		}
		for _, sh := range shs {
			name, ok := names[sh.PartnerID]
			if !ok {
				if p, err := s.cfg.Store.Partner(r.Context(), a.OrgID, sh.PartnerID); err == nil {
					name = p.Company.Name
				}
				names[sh.PartnerID] = name
			}
			rows = append(rows, sharedRow{ID: sh.ID, PartnerID: sh.PartnerID, PartnerName: name, Status: sh.State(s.now()), ExpiresOn: sh.ExpiresOn})
		}
		if next == "" {
			break
		}
		cursor = next
	}
	pd := &pageData{Title: "sharing.list.title", Section: "assessments", Data: rows}
	if r.URL.Query().Get("notice") == "requested" {
		pd.Flash = "sharing.request.done"
	}
	s.render(w, r, http.StatusOK, "shares", pd)
	return nil
}

// sharedView is the copy page.
type sharedView struct {
	Copy        *renkei.SharedCopy
	PartnerName string
	Sections    []sharedSection
	Titles      map[string]renkei.Bilingual // section titles by ref
}

type sharedSection struct {
	Title     renkei.Bilingual
	Questions []sharedQuestion
}

type sharedQuestion struct {
	Ref    string
	Text   renkei.Bilingual
	Answer string // in words
}

func (s *Server) sharedCopyPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	id, err := pathID(r, "shared_assessment")
	if err != nil {
		return err
	}
	cp, err := s.cfg.Store.SharedAssessment(r.Context(), a.OrgID, id)
	if err != nil {
		return err
	}
	v := &sharedView{Copy: cp, Titles: map[string]renkei.Bilingual{}}
	if p, err := s.cfg.Store.Partner(r.Context(), a.OrgID, cp.Share.PartnerID); err == nil {
		v.PartnerName = p.Company.Name
	}
	lang := langOf(r)
	byRef := map[string]renkei.Answer{}
	for _, sa := range cp.Answers {
		byRef[sa.QuestionRef] = sa.Answer
	}
	for _, sec := range cp.Template.Sections {
		ss := sharedSection{Title: sec.Title}
		v.Titles[sec.Ref] = sec.Title
		for i := range sec.Questions {
			q := &sec.Questions[i]
			sq := sharedQuestion{Ref: q.Ref, Text: q.Text}
			if ans, ok := byRef[q.Ref]; ok {
				sq.Answer = answerWords(q, ans, lang)
			}
			ss.Questions = append(ss.Questions, sq)
		}
		v.Sections = append(v.Sections, ss)
	}
	s.render(w, r, http.StatusOK, "shares_copy", &pageData{Title: "sharing.copy.title", Section: "assessments", Data: v})
	return nil
}

// answerWords says an answer in words: a yes/no answer in the page's
// language, the labels of the choices, the number, date or text as given.
func answerWords(q *renkei.Question, a renkei.Answer, lang string) string {
	var parts []string
	switch q.Kind {
	case renkei.QuestionYesNo:
		if a.Value != "" {
			parts = append(parts, i18n.T(lang, "templates_web.answer."+a.Value))
		}
	case renkei.QuestionSingle, renkei.QuestionMulti:
		chosen := append([]string{a.Value}, a.Values...)
		for _, c := range q.Choices {
			if slices.Contains(chosen, c.Value) {
				parts = append(parts, c.Label.Label(lang))
			}
		}
	case renkei.QuestionNumber:
		if a.Number != nil {
			parts = append(parts, strconv.FormatFloat(*a.Number, 'f', -1, 64))
		}
	case renkei.QuestionDate:
		parts = append(parts, a.Date)
	}
	if a.Text != "" {
		parts = append(parts, a.Text)
	}
	if a.Files > 0 {
		parts = append(parts, i18n.T(lang, "sharing.copy.files", a.Files))
	}
	return strings.Join(parts, " / ")
}

// shareRequestView is the page that asks a partner for an assessment.
type shareRequestView struct {
	PartnerID, PartnerName, Message string
}

// shareRequestPage is GET /shared/request?partner_id=ID: the partner's
// name and a message to send with the request.
func (s *Server) shareRequestPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	p, err := s.cfg.Store.Partner(r.Context(), a.OrgID, r.URL.Query().Get("partner_id"))
	if err != nil {
		return renkei.ErrNotFound("partner")
	}
	v := &shareRequestView{PartnerID: p.ID, PartnerName: p.Company.Name}
	s.render(w, r, http.StatusOK, "shares_request", &pageData{Title: "sharing.request.title", Section: "assessments", Data: v})
	return nil
}

// shareRequest is POST /shared/request: the request is made (audited) and
// the person goes back to /shared; a message the store refuses is shown
// on the form.
func (s *Server) shareRequest(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	id := r.FormValue("partner_id")
	p, err := s.cfg.Store.Partner(r.Context(), a.OrgID, id)
	if err != nil {
		return renkei.ErrNotFound("partner")
	}
	v := &shareRequestView{PartnerID: p.ID, PartnerName: p.Company.Name, Message: r.FormValue("message")}
	if _, err := s.cfg.Store.RequestShare(r.Context(), a.OrgID, p.ID, v.Message, s.shareMail(r)); err != nil {
		e := formError(err)
		if e == nil {
			return err
		}
		s.render(w, r, statusOf(e.Code), "shares_request", &pageData{Title: "sharing.request.title", Section: "assessments", Data: v, Error: e})
		return nil
	}
	s.cfg.WakeJobs()
	seeOther(w, r, "/shared?notice=requested")
	return nil
}
