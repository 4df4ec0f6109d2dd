package renkei

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Organization is a tenant: the company that runs its supply chain in Renkei.
type Organization struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Slug      string    `json:"slug"`
	Demo      bool      `json:"demo"`
	CreatedAt time.Time `json:"created_at"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

// Validate checks the organization's name and slug.
func (o *Organization) Validate() error {
	fields := map[string]string{}
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		fields["name"] = "field.required"
	} else if utf8.RuneCountInString(o.Name) > 200 {
		fields["name"] = "field.too_long"
	} else if hasControl(o.Name) {
		fields["name"] = "field.text"
	}
	if !slugPattern.MatchString(o.Slug) {
		fields["slug"] = "field.slug"
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// OrganizationStore keeps organizations.
type OrganizationStore interface {
	CreateOrganization(ctx context.Context, o *Organization) error
	OrganizationByID(ctx context.Context, id string) (*Organization, error)
	OrganizationBySlug(ctx context.Context, slug string) (*Organization, error)
	UpdateOrganization(ctx context.Context, o *Organization) error
}
