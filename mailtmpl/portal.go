package mailtmpl

// PortalSignIn is the data of the "portal_signin" template: the link a
// partner user asked for on the portal's sign-in page.
type PortalSignIn struct {
	URL       string // the sign-in link
	ExpiresAt string // already formatted in Asia/Tokyo; the template says "Japan time"
	Minutes   int    // how long the link works
}

// PortalHandoff is the data of the "portal_handoff" template: a partner
// user hands one section of an assessment to a colleague.
type PortalHandoff struct {
	FromName     string // who hands the section over (name or address)
	CompanyName  string // the partner company
	OrgName      string // the organization that asks
	TemplateName string // the checklist, in the mail's language
	SectionTitle string // in the mail's language
	DueDate      string // YYYY-MM-DD
	URL          string
	ExpiresAt    string // already formatted in Asia/Tokyo
}
