package renkei

// Role is what a member may do in an organization. The staff roles follow
// the departments of the METI survey; RolePartner is a person of a partner
// company, who sees only that company's work.
type Role string

const (
	RoleAdmin       Role = "admin"
	RoleSecurity    Role = "security"
	RoleProcurement Role = "procurement"
	RoleBusiness    Role = "business"
	RoleLegal       Role = "legal"
	RoleViewer      Role = "viewer"
	RolePartner     Role = "partner"
)

// StaffRoles are the roles an organization assigns to its own people, in the
// order the settings page lists them.
var StaffRoles = []Role{RoleAdmin, RoleSecurity, RoleProcurement, RoleBusiness, RoleLegal, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, s := range StaffRoles {
		if r == s {
			return true
		}
	}
	return r == RolePartner
}

// Permission names one kind of action.
type Permission string

const (
	PermRead         Permission = "read"          // see the organization's data
	PermWrite        Permission = "write"         // change partners, assessments, incidents…
	PermManageUsers  Permission = "manage_users"  // invite, change roles, remove
	PermManageTokens Permission = "manage_tokens" // create and revoke API tokens
	PermManageOrg    Permission = "manage_org"    // organization settings
)

// Can reports whether a role holds a permission. Admin holds all; the
// department roles read and write; viewer only reads. Partner users act
// only through the partner portal and hold none of these.
func (r Role) Can(p Permission) bool {
	switch r {
	case RoleAdmin:
		return true
	case RoleSecurity, RoleProcurement, RoleBusiness, RoleLegal:
		return p == PermRead || p == PermWrite
	case RoleViewer:
		return p == PermRead
	}
	return false
}
