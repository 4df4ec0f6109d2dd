package renkei

import (
	"context"
	"time"
)

// SBOMReader answers the portfolio questions of the API and the pages:
// which advisories are known, who uses a package, and every finding of
// the organization's products now.
type SBOMReader interface {
	// ListAdvisories pages through the known advisories by ID (global:
	// every organization sees the same).
	ListAdvisories(ctx context.Context, page Page) ([]AdvisorySummary, string, error)
	// ComponentUsage lists the organization's components of the purl's
	// package (at its version when the purl has one), with their products.
	ComponentUsage(ctx context.Context, orgID, purl string) ([]ComponentUse, error)
	// SBOMs lists a product's stored SBOMs.
	SBOMs(ctx context.Context, orgID, productID string) ([]StoredSBOM, error)
	// OrgFindings matches every component of the organization's products
	// against the stored advisories now.
	OrgFindings(ctx context.Context, orgID string) ([]Affected, error)
	// ListFindings is the organization's findings that q selects, a page of
	// them, and counts over all of them: what a list, an export or an
	// API page shows, without holding every finding of a large portfolio.
	ListFindings(ctx context.Context, orgID string, q FindingQuery) (*FindingList, error)
}

// FindingQuery selects findings. The zero value selects every one.
type FindingQuery struct {
	PartnerID string // only this partner's products
	ProductID string // only this product
	KEVOnly   bool   // only known-exploited vulnerabilities
	// Keep, when set, decides each finding the fields above let through,
	// given its advisory's aliases: the views apply VEX statements here.
	Keep func(f *Affected, aliases []string) bool
	// Offset findings are skipped; then at most Limit are listed (0: all).
	Offset, Limit int
	// Visit, when set, is given each listed finding with its advisory's
	// aliases instead of its being kept in Items: an export of millions
	// of findings writes them out as they come. It may run under the
	// store's locks, so it must be quick and must not call the store.
	Visit func(f *Affected, aliases []string)
}

// FindingList is what a FindingQuery selects: a page in the order of
// product, version, partner, SBOM, purl and advisory, and counts.
type FindingList struct {
	Items  []Affected
	Listed int // every finding the query selects, on all pages
	// Total and KEV count every finding of the organization (no filter,
	// no Keep) and the known-exploited ones; PerProduct per product ID.
	Total, KEV int
	PerProduct map[string]int
}

// FindingPager builds a FindingList from findings given in list order.
type FindingPager struct {
	q    FindingQuery
	list FindingList
}

// NewFindingPager starts a list for q.
func NewFindingPager(q FindingQuery) *FindingPager {
	return &FindingPager{q: q, list: FindingList{PerProduct: map[string]int{}}}
}

// Add counts f and lists it when the query selects it and it falls on
// the page. aliases is asked only when Keep needs it.
func (p *FindingPager) Add(f *Affected, aliases func() []string) {
	p.AddLazy(f.ProductID, f.PartnerID, f.KEV, func() Affected { return *f }, aliases)
}

// AddLazy is Add for a finding not built yet: build is called only when
// Keep must see the finding or it falls on the page.
func (p *FindingPager) AddLazy(productID, partnerID string, kev bool, build func() Affected, aliases func() []string) {
	p.list.Total++
	p.list.PerProduct[productID]++
	if kev {
		p.list.KEV++
	}
	if (p.q.PartnerID != "" && partnerID != p.q.PartnerID) || (p.q.ProductID != "" && productID != p.q.ProductID) || (p.q.KEVOnly && !kev) {
		return
	}
	var f Affected
	built := false
	if p.q.Keep != nil {
		f, built = build(), true
		if !p.q.Keep(&f, aliases()) {
			return
		}
	}
	p.list.Listed++
	if p.list.Listed > p.q.Offset && (p.q.Limit == 0 || len(p.list.Items) < p.q.Limit) {
		if !built {
			f = build()
		}
		if p.q.Visit != nil {
			p.q.Visit(&f, aliases())
			return
		}
		p.list.Items = append(p.list.Items, f)
	}
}

// List returns the list built.
func (p *FindingPager) List() *FindingList { return &p.list }

// AdvisorySummary is an advisory as a list shows it.
type AdvisorySummary struct {
	ID        string
	Source    string
	Summary   string
	Severity  string
	Modified  time.Time
	Withdrawn *time.Time
}

// ComponentUse is one component of one of the organization's products.
type ComponentUse struct {
	ProductID string
	Product   string
	Version   string // the product's version
	PartnerID string
	SBOMID    string
	PURL      string
}
