package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/mailtmpl"
)

// invite records an invitation to the actor's organization and queues its
// mail, in the language of the inviter's request. The HTML settings page
// and the JSON API both invite through here.
func (s *Server) invite(ctx context.Context, r *http.Request, email string, role renkei.Role) (*renkei.Invitation, error) {
	act := renkei.ActorFrom(ctx)
	if act == nil {
		return nil, renkei.Errorf(renkei.EUNAUTHORIZED, "error.unauthorized")
	}
	if act.OrgID == "" {
		return nil, renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	// net/mail accepts any UTF-8 in an address, direction overrides
	// included, and local parts over SMTP's 64 octets (RFC 5321 4.5.3.1.1);
	// an address that displays as another, or that no server takes, is
	// not one we mail.
	trimmed := strings.TrimSpace(email)
	if local, _, _ := strings.Cut(trimmed, "@"); strings.IndexFunc(trimmed, hostileRune) >= 0 || len(local) > 64 {
		fields := map[string]string{"email": "field.email"}
		if !role.Valid() || role == renkei.RolePartner {
			fields["role"] = "field.role"
		}
		return nil, renkei.Invalid(fields)
	}
	org, err := s.cfg.Store.OrganizationByID(ctx, act.OrgID)
	if err != nil {
		return nil, err
	}
	inviter := act.Email
	if u, err := s.cfg.Store.UserByID(ctx, act.UserID); err == nil && u.Name != "" {
		inviter = u.Name
	}
	locale := langOf(r)
	base := s.baseURL(r)
	render := func(inv *renkei.Invitation, secret string) *renkei.Mail {
		data := mailtmpl.Invitation{
			OrgName:     org.Name,
			InviterName: inviter,
			Role:        roleLabel(locale, inv.Role),
			URL:         base + "/invite/" + secret,
			ExpiresAt:   inv.ExpiresAt.In(renkei.Tokyo).Format("2006-01-02 15:04"),
		}
		subject, text, html, err := mailtmpl.Render("invitation", locale, data)
		if err != nil {
			// The invitation must not be lost to a template fault: send a
			// plain message with the link, and log the fault loudly.
			s.log.ErrorContext(ctx, "invitation mail template", "err", err, "locale", locale)
			subject = "Renkei: " + org.Name
			text = data.OrgName + "\n" + data.InviterName + "\n" + data.Role + "\n\n" + data.URL + "\n\n" + data.ExpiresAt + "\n"
			html = ""
		}
		return &renkei.Mail{Subject: subject, Text: text, HTML: html, Template: "invitation", Locale: locale}
	}
	inv, err := s.cfg.Accounts.Invite(ctx, act.OrgID, email, role, render)
	if err != nil {
		return nil, err
	}
	s.cfg.WakeJobs()
	return inv, nil
}

// baseURL is the public address for links in mail: the configured one, or
// the request's own scheme and host.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimRight(s.cfg.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// roleLabel names a role in lang ("role.NAME" in the catalog).
func roleLabel(lang string, role renkei.Role) string {
	if k := "role." + string(role); i18n.Has(lang, k) {
		return i18n.T(lang, k)
	}
	return string(role)
}
