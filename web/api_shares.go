package web

import (
	"net/http"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/mailtmpl"
)

// Sharing with consent, the asking organization's side (docs/sharing.md):
// it asks a partner for an assessment, and reads the copies its partners
// granted. The partner's side (grant, decline, revoke) is in the portal,
// portal_shares.go.

// apiShare is a share request or grant as the asking organization sees
// it. Which organization the shared assessment was answered for is not
// said.
type apiShare struct {
	ID          string     `json:"id"`
	PartnerID   string     `json:"partner_id"`
	Message     string     `json:"message"`
	Status      string     `json:"status"` // requested, granted, declined, revoked or expired
	ExpiresOn   string     `json:"expires_on"`
	RequestedBy string     `json:"requested_by"`
	CreatedAt   time.Time  `json:"created_at"`
	DecidedAt   *time.Time `json:"decided_at"`
	RevokedAt   *time.Time `json:"revoked_at"`
}

func (s *Server) toAPIShare(sh *renkei.Share) apiShare {
	return apiShare{ID: sh.ID, PartnerID: sh.PartnerID, Message: sh.Message, Status: sh.State(s.now()), ExpiresOn: sh.ExpiresOn,
		RequestedBy: sh.RequestedBy, CreatedAt: utc(sh.CreatedAt), DecidedAt: utcPtr(sh.DecidedAt), RevokedAt: utcPtr(sh.RevokedAt)}
}

type shareRequestCreate struct {
	Message string `json:"message"`
}

// apiRequestShare is POST /api/v1/partners/{id}/share_requests: ask the
// partner's company to share one of its assessments.
func (s *Server) apiRequestShare(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "partner")
	if err != nil {
		return err
	}
	var in shareRequestCreate
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	sh, err := s.cfg.Store.RequestShare(r.Context(), actor(r).OrgID, id, in.Message, s.shareMail(r))
	if err != nil {
		return err
	}
	s.cfg.WakeJobs()
	created(w, s.toAPIShare(sh))
	return nil
}

// shareMail renders the mail that tells a partner's contact about a
// request, in the contact's language, pointing at the portal's requests;
// a template fault must not lose the request, so it falls back to a plain
// message with the address (and logs the fault).
func (s *Server) shareMail(r *http.Request) func(renkei.ShareMail) *renkei.Mail {
	return func(m renkei.ShareMail) *renkei.Mail {
		url := s.baseURL(r) + "/portal/shares"
		subject, text, html, err := mailtmpl.Render("share_request", m.Locale, mailtmpl.ShareRequest{
			OrgName: m.OrgName, CompanyName: m.Partner, Message: m.Message, URL: url})
		if err != nil {
			s.log.ErrorContext(r.Context(), "share mail template", "err", err, "locale", m.Locale)
			subject, text, html = "Renkei", url+"\n", ""
		}
		return &renkei.Mail{Subject: subject, Text: text, HTML: html, Template: "share_request", Locale: m.Locale}
	}
}

// apiListSharedAssessments is GET /api/v1/shared_assessments: the shares
// partners granted the organization, ended ones included.
func (s *Server) apiListSharedAssessments(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	shs, next, err := s.cfg.Store.SharedAssessments(r.Context(), actor(r).OrgID, page)
	if err != nil {
		return err
	}
	out := make([]apiShare, len(shs))
	for i := range shs {
		out[i] = s.toAPIShare(&shs[i])
	}
	writeList(w, out, next)
	return nil
}

// apiSharedAssessment is GET /api/v1/shared_assessments/{id}.
type apiSharedAssessment struct {
	apiShare
	Template   apiTemplate            `json:"template"`
	Assessment apiSharedStatus        `json:"assessment"`
	Score      *apiScore              `json:"score"`
	Answers    []apiSharedAnswerEntry `json:"answers"`
}

type apiSharedStatus struct {
	Status      string     `json:"status"`
	SubmittedAt *time.Time `json:"submitted_at"`
}

// apiSharedAnswerEntry is one question with its answer (null when it was
// not answered).
type apiSharedAnswerEntry struct {
	Question string           `json:"question"`
	Section  string           `json:"section"`
	Kind     string           `json:"kind"`
	Text     renkei.Bilingual `json:"text"`
	Answer   *renkei.Answer   `json:"answer"`
}

// sharedEntries lists every question of the copy's template in order with
// its answer.
func sharedEntries(cp *renkei.SharedCopy) []apiSharedAnswerEntry {
	byRef := make(map[string]renkei.Answer, len(cp.Answers))
	for _, a := range cp.Answers {
		byRef[a.QuestionRef] = a.Answer
	}
	var out []apiSharedAnswerEntry
	for _, sec := range cp.Template.Sections {
		for _, q := range sec.Questions {
			e := apiSharedAnswerEntry{Question: q.Ref, Section: sec.Ref, Kind: q.Kind, Text: q.Text}
			if a, ok := byRef[q.Ref]; ok {
				e.Answer = &a
			}
			out = append(out, e)
		}
	}
	return out
}

// apiGetSharedAssessment is GET /api/v1/shared_assessments/{id}: the
// read-only copy; 410 once revoked or expired.
func (s *Server) apiGetSharedAssessment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "shared_assessment")
	if err != nil {
		return err
	}
	cp, err := s.cfg.Store.SharedAssessment(r.Context(), actor(r).OrgID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiSharedAssessment{
		apiShare:   s.toAPIShare(&cp.Share),
		Template:   toAPITemplate(cp.Template),
		Assessment: apiSharedStatus{Status: cp.Status, SubmittedAt: utcPtr(cp.SubmittedAt)},
		Score:      toAPIScore(cp.Score),
		Answers:    sharedEntries(cp),
	})
	return nil
}
