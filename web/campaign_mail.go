package web

import (
	"net/http"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/mailtmpl"
)

// createCampaign creates the campaign with its invitation mails, whose
// links are under the public address, and wakes the job worker to send
// them. The API and the page both create campaigns through here.
func (s *Server) createCampaign(r *http.Request, c *renkei.Campaign, partnerIDs []string) (renkei.CampaignResult, error) {
	res, err := s.cfg.Store.CreateCampaign(r.Context(), c, partnerIDs, mailtmpl.CampaignMailer{BaseURL: s.baseURL(r)})
	if err != nil {
		return res, err
	}
	if res.Mailed > 0 {
		s.cfg.WakeJobs()
	}
	return res, nil
}
