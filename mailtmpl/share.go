package mailtmpl

// ShareRequest is the data of the "share_request" template: an
// organization asks a partner company to share an assessment it has
// already answered. The mail carries no sign-in link: the partner signs in
// on the portal (by mail link or password) and decides there.
type ShareRequest struct {
	OrgName     string // who asks
	CompanyName string // the partner company, as the organization knows it
	Message     string // the organization's message, may be ""
	URL         string // the portal's page of requests (/portal/shares)
}
