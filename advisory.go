package renkei

import (
	"strings"
	"time"
)

// Advisory sources.
const (
	SourceOSV  = "osv"
	SourceCSAF = "csaf"
	SourceKEV  = "kev"
)

// Range types, as in the OSV schema.
const (
	RangeSemver    = "SEMVER"
	RangeEcosystem = "ECOSYSTEM"
	RangeGit       = "GIT"
)

// Severity levels (the CVSS qualitative scale).
const (
	CVSSNone     = "none"
	CVSSLow      = "low"
	CVSSMedium   = "medium"
	CVSSHigh     = "high"
	CVSSCritical = "critical"
)

// Advisory is one vulnerability record, from OSV, CSAF or KEV, in the shape
// of the OSV schema: the packages it affects with their version ranges.
type Advisory struct {
	ID        string
	Aliases   []string
	Modified  time.Time
	Published time.Time
	Withdrawn time.Time // zero unless withdrawn
	Summary   string
	Severity  []Severity
	Affected  []AffectedPackage
	// References are URLs.
	References   []string
	Remediations []VendorRemediation // CSAF remediations (vendor_fix, workaround, …)
	Source       string              // SourceOSV, SourceCSAF, SourceKEV
	KEV          *KEVEntry
}

// VendorRemediation is what a vendor says to do about an advisory, for the
// packages named by PURLs (empty: all of the advisory's).
type VendorRemediation struct {
	Category string // CSAF: vendor_fix, workaround, mitigation, no_fix_planned, none_available
	Details  string
	URL      string
	PURLs    []string
}

// Severity is one score of an advisory: a CVSS vector and score when given,
// and its level.
type Severity struct {
	Type   string  // "CVSS_V3", "CVSS_V4", "CVSS_V2", or a database's own ("GHSA")
	Vector string  // the CVSS vector when Type is CVSS_*
	Score  float64 // the base score when the source gives it, else 0
	Level  string  // CVSSLow … CVSSCritical, "" when unknown
}

// AffectedPackage is one package an advisory affects. Ecosystem and Name
// follow OSV; PURL is set when the source names the package by purl (CSAF)
// or gives one (OSV's package.purl).
type AffectedPackage struct {
	Ecosystem string
	Name      string
	PURL      string
	Ranges    []Range
	Versions  []string
}

// Range is an OSV range: a type and its events.
type Range struct {
	Type   string
	Events []Event
}

// Event is one OSV range event; exactly one field is set.
type Event struct {
	Introduced   string `json:",omitempty"`
	Fixed        string `json:",omitempty"`
	LastAffected string `json:",omitempty"`
	Limit        string `json:",omitempty"`
}

// Kind returns the event's one field name ("introduced", "fixed",
// "last_affected", "limit"), "" when none is set and "several" when more than
// one is.
func (e Event) Kind() string {
	kind, n := "", 0
	for _, f := range []struct{ name, v string }{
		{"introduced", e.Introduced}, {"fixed", e.Fixed},
		{"last_affected", e.LastAffected}, {"limit", e.Limit},
	} {
		if f.v != "" {
			kind = f.name
			n++
		}
	}
	if n > 1 {
		return "several"
	}
	return kind
}

// Version returns the version the event names.
func (e Event) Version() string {
	return e.Introduced + e.Fixed + e.LastAffected + e.Limit
}

// Validate checks a range against the OSV schema's requirements: a known
// type, events with exactly one field each, at least one introduced event,
// and not both fixed and last_affected.
func (r Range) Validate() error {
	switch r.Type {
	case RangeSemver, RangeEcosystem, RangeGit:
	default:
		return Errorf(EINVALID, "sbom.advisory_range_type", r.Type)
	}
	introduced, fixed, last := false, false, false
	for _, e := range r.Events {
		switch e.Kind() {
		case "introduced":
			introduced = true
		case "fixed":
			fixed = true
		case "last_affected":
			last = true
		case "limit":
		default:
			return Errorf(EINVALID, "sbom.advisory_event")
		}
	}
	if !introduced {
		return Errorf(EINVALID, "sbom.advisory_no_introduced")
	}
	if fixed && last {
		return Errorf(EINVALID, "sbom.advisory_fixed_and_last")
	}
	return nil
}

// IsWithdrawn reports whether the advisory has been withdrawn.
func (a *Advisory) IsWithdrawn() bool { return !a.Withdrawn.IsZero() }

// Supersedes reports whether a replaces old, the record with the same ID
// already held: a strictly newer Modified wins; an equal one does not, so
// re-importing the same data changes nothing.
func (a *Advisory) Supersedes(old *Advisory) bool {
	return a.Modified.After(old.Modified)
}

// CVEs returns the advisory's ID and aliases that are CVE IDs.
func (a *Advisory) CVEs() []string {
	var out []string
	for _, id := range append([]string{a.ID}, a.Aliases...) {
		if strings.HasPrefix(id, "CVE-") {
			out = append(out, id)
		}
	}
	return out
}

// MaxLevel returns the highest level among the advisory's severities.
func (a *Advisory) MaxLevel() string {
	best := ""
	for _, s := range a.Severity {
		if levelRank(s.Level) > levelRank(best) {
			best = s.Level
		}
	}
	return best
}

func levelRank(l string) int {
	switch l {
	case CVSSNone:
		return 1
	case CVSSLow:
		return 2
	case CVSSMedium:
		return 3
	case CVSSHigh:
		return 4
	case CVSSCritical:
		return 5
	}
	return 0
}

// LevelForScore maps a CVSS base score to its qualitative level (CVSS v3.1
// and v4.0 use the same bands): 0 none, 0.1–3.9 low, 4.0–6.9 medium,
// 7.0–8.9 high, 9.0–10.0 critical. A score outside 0–10 has no level.
func LevelForScore(score float64) string {
	switch {
	case score < 0 || score > 10:
		return ""
	case score == 0:
		return CVSSNone
	case score < 4:
		return CVSSLow
	case score < 7:
		return CVSSMedium
	case score < 9:
		return CVSSHigh
	}
	return CVSSCritical
}

// NormalizeLevel maps a source's severity word ("HIGH", "Moderate",
// "important") to a level, "" when it is not one.
func NormalizeLevel(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none":
		return CVSSNone
	case "low":
		return CVSSLow
	case "medium", "moderate":
		return CVSSMedium
	case "high", "important":
		return CVSSHigh
	case "critical":
		return CVSSCritical
	}
	return ""
}

// KEVEntry is an advisory's entry in CISA's Known Exploited Vulnerabilities
// catalog.
type KEVEntry struct {
	CVE               string
	VendorProject     string
	Product           string
	Name              string
	DateAdded         time.Time
	DueDate           time.Time
	RequiredAction    string
	KnownRansomware   bool // knownRansomwareCampaignUse == "Known"
	ShortDescription  string
	Notes             string
	CWEs              []string
	CatalogVersion    string
	CatalogReleasedAt time.Time
}

// VulnFinding is one component of one SBOM affected by one advisory.
type VulnFinding struct {
	SBOMID     string
	PURL       string
	Ecosystem  string
	Package    string // the normalized package name
	Version    string
	AdvisoryID string
	Fixed      string // the lowest fixed version above Version, "" when none is known
	Level      string
	KEV        bool
}
