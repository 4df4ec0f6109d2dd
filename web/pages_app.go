package web

import (
	"context"
	"net/http"

	"github.com/renkei/renkei"
)

// pendingSections are the product's sections whose work is still to come;
// each has a page that says so plainly and what it will do.
var pendingSections = []string{"advisories", "reports"}

// count is how many items a list holds, counted up to a bound.
type count struct {
	N    int
	More bool // there are more than N
}

// countPages bounds counting to this many full pages.
const countPages = 10

// countList counts the items of a paginated list that keep accepts.
func countList[T any](list func(renkei.Page) ([]T, string, error), keep func(*T) bool) (count, error) {
	var c count
	p := renkei.Page{Limit: renkei.MaxPageLimit}
	for i := 0; i < countPages; i++ {
		items, next, err := list(p)
		if err != nil {
			return c, err
		}
		for j := range items {
			if keep == nil || keep(&items[j]) {
				c.N++
			}
		}
		if next == "" {
			return c, nil
		}
		p.Cursor = next
	}
	c.More = true
	return c, nil
}

// dashboardView holds the counts that exist today.
type dashboardView struct {
	Name        string
	Role        renkei.Role
	Members     count
	Invitations count
	Tokens      count
	Partners    partnerCounts
}

// partnerCounts are the partner figures the dashboard shows, each a link
// to the list filtered the same way.
type partnerCounts struct {
	Total, High, Star4, NoIncidentContact int
}

func (s *Server) partnerCounts(ctx context.Context, orgID string) (partnerCounts, error) {
	var c partnerCounts
	for _, q := range []struct {
		dst *int
		f   renkei.PartnerFilter
	}{
		{&c.Total, renkei.PartnerFilter{}},
		{&c.High, renkei.PartnerFilter{Tier: renkei.TierHigh}},
		{&c.Star4, renkei.PartnerFilter{RequiredLevel: renkei.LevelStar4}},
		{&c.NoIncidentContact, renkei.PartnerFilter{MissingIncidentInfo: true}},
	} {
		n, err := s.cfg.Store.CountPartners(ctx, orgID, q.f)
		if err != nil {
			return c, err
		}
		*q.dst = n
	}
	return c, nil
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	ctx := r.Context()
	u := authOf(r).User
	v := dashboardView{Name: u.Name, Role: a.Role}
	if v.Name == "" {
		v.Name = u.Email
	}
	var err error
	if v.Members, err = countList(func(p renkei.Page) ([]renkei.Member, string, error) {
		return s.cfg.Store.ListMembers(ctx, a.OrgID, p)
	}, nil); err != nil {
		return err
	}
	if v.Invitations, err = countList(func(p renkei.Page) ([]renkei.Invitation, string, error) {
		return s.cfg.Store.ListInvitations(ctx, a.OrgID, p)
	}, func(inv *renkei.Invitation) bool { return s.now().Before(inv.ExpiresAt) }); err != nil {
		return err
	}
	if v.Tokens, err = countList(func(p renkei.Page) ([]renkei.APIToken, string, error) {
		return s.cfg.Store.ListTokens(ctx, a.OrgID, p)
	}, func(t *renkei.APIToken) bool { return t.RevokedAt == nil }); err != nil {
		return err
	}
	if v.Partners, err = s.partnerCounts(ctx, a.OrgID); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "dashboard", &pageData{Title: "nav.dashboard", Section: "dashboard", Data: v, Flash: noticeOf(r)})
	return nil
}

// sectionPending serves the page of a section that is not built yet.
func (s *Server) sectionPending(section string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
		s.render(w, r, http.StatusOK, "section_pending", &pageData{Title: "nav." + section, Section: section, Data: section})
		return nil
	}
}
