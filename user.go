package renkei

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// User is a person who signs in. One user may belong to several
// organizations (Membership) or, as a partner user, to a partner company.
type User struct {
	ID           string     `json:"id"`
	Email        string     `json:"email"`
	Name         string     `json:"name"`
	Locale       string     `json:"locale"`    // "ja" or "en"
	TimeZone     string     `json:"time_zone"` // IANA name, Asia/Tokyo by default
	PasswordHash string     `json:"-"`
	TOTPSecret   string     `json:"-"`
	TOTPEnabled  bool       `json:"totp_enabled"`
	FailedLogins int        `json:"-"`
	LockedUntil  *time.Time `json:"-"`
	CreatedAt    time.Time  `json:"created_at"`
}

// Membership ties a user to an organization with a role.
type Membership struct {
	OrgID     string    `json:"org_id"`
	UserID    string    `json:"user_id"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// Member is a user as seen from one organization.
type Member struct {
	User
	Role Role `json:"role"`
}

// DefaultTimeZone is where times are shown unless a user chooses otherwise.
const DefaultTimeZone = "Asia/Tokyo"

// NormalizeEmail lower-cases and trims an address, and checks it parses as
// a bare address.
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 254 {
		return s, false
	}
	if hasControl(s) {
		return s, false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return s, false
	}
	if at := strings.LastIndexByte(s, '@'); at < 1 || at > 64 {
		return s, false // the local part is at most 64 octets (RFC 5321)
	}
	return s, true
}

// Validate normalizes and checks a user's profile fields.
func (u *User) Validate() error {
	fields := map[string]string{}
	email, ok := NormalizeEmail(u.Email)
	u.Email = email
	if !ok {
		fields["email"] = "field.email"
	}
	u.Name = strings.TrimSpace(u.Name)
	if utf8.RuneCountInString(u.Name) > 200 {
		fields["name"] = "field.too_long"
	} else if hasControl(u.Name) {
		fields["name"] = "field.text"
	}
	if u.Locale == "" {
		u.Locale = "ja"
	}
	if u.Locale != "ja" && u.Locale != "en" {
		fields["locale"] = "field.locale"
	}
	if u.TimeZone == "" {
		u.TimeZone = DefaultTimeZone
	}
	if _, err := time.LoadLocation(u.TimeZone); err != nil {
		fields["time_zone"] = "field.time_zone"
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// Location returns the user's time zone, Asia/Tokyo when unset or unknown.
func (u *User) Location() *time.Location {
	if loc, err := time.LoadLocation(u.TimeZone); err == nil && u.TimeZone != "" {
		return loc
	}
	return Tokyo
}

// Tokyo is Asia/Tokyo; it falls back to a fixed +09:00 zone where the
// system has no zone database (Japan has no daylight saving time).
var Tokyo = func() *time.Location {
	if loc, err := time.LoadLocation(DefaultTimeZone); err == nil {
		return loc
	}
	return time.FixedZone("JST", 9*60*60)
}()

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// ValidatePassword checks a new password against the policy: at least 12
// characters and not more than 256 bytes.
func ValidatePassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return Invalid(map[string]string{"password": "field.password_short"})
	}
	if len(pw) > 256 {
		return Invalid(map[string]string{"password": "field.too_long"})
	}
	return nil
}

// UserStore keeps users and memberships.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	UserByID(ctx context.Context, id string) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	UpdateUserProfile(ctx context.Context, u *User) error
	SetPasswordHash(ctx context.Context, userID, hash string) error
	SetTOTP(ctx context.Context, userID, secret string, enabled bool) error
	// RecordLoginFailure counts a failed login and locks the account until
	// lockUntil when the count reaches the limit; it returns the new count.
	RecordLoginFailure(ctx context.Context, userID string, limit int, lockUntil time.Time) (int, error)
	ResetLoginFailures(ctx context.Context, userID string) error

	AddMember(ctx context.Context, m *Membership) error
	Membership(ctx context.Context, orgID, userID string) (*Membership, error)
	Memberships(ctx context.Context, userID string) ([]Membership, error)
	ListMembers(ctx context.Context, orgID string, page Page) ([]Member, string, error)
	SetMemberRole(ctx context.Context, orgID, userID string, role Role) error
	RemoveMember(ctx context.Context, orgID, userID string) error
}
