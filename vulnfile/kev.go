package vulnfile

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/renkei/renkei"
)

// KEVCatalog is CISA's Known Exploited Vulnerabilities catalog.
type KEVCatalog struct {
	Title      string
	Version    string
	ReleasedAt time.Time
	Entries    []renkei.KEVEntry
}

// kevFile follows the catalog's JSON schema
// (known_exploited_vulnerabilities.json and its schema on cisa.gov).
type kevFile struct {
	Title           string `json:"title"`
	CatalogVersion  string `json:"catalogVersion"`
	DateReleased    string `json:"dateReleased"`
	Count           int    `json:"count"`
	Vulnerabilities []struct {
		CVEID                      string   `json:"cveID"`
		VendorProject              string   `json:"vendorProject"`
		Product                    string   `json:"product"`
		VulnerabilityName          string   `json:"vulnerabilityName"`
		DateAdded                  string   `json:"dateAdded"`
		ShortDescription           string   `json:"shortDescription"`
		RequiredAction             string   `json:"requiredAction"`
		DueDate                    string   `json:"dueDate"`
		KnownRansomwareCampaignUse string   `json:"knownRansomwareCampaignUse"`
		Notes                      string   `json:"notes"`
		CWEs                       []string `json:"cwes"`
	} `json:"vulnerabilities"`
}

// ParseKEV reads the KEV catalog. Every entry needs a CVE ID of the form
// CVE-YYYY-NNNN… and a dateAdded; the catalog's count, when given, must
// equal its entries.
func ParseKEV(b []byte) (*KEVCatalog, error) {
	if len(b) > MaxDocumentBytes {
		return nil, renkei.Errorf(renkei.ETOOLARGE, KeyTooLarge, sizeString(MaxDocumentBytes))
	}
	if err := checkJSON("KEV", b); err != nil {
		return nil, err
	}
	var f kevFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, jsonError("KEV", err)
	}
	bad := func(detail string) error { return renkei.Errorf(renkei.EINVALID, KeyKEVInvalid, detail) }
	if f.Vulnerabilities == nil {
		return nil, bad("no vulnerabilities")
	}
	if f.Count != 0 && f.Count != len(f.Vulnerabilities) {
		return nil, bad("count does not match the entries")
	}
	cat := &KEVCatalog{Title: f.Title, Version: f.CatalogVersion}
	var err error
	if cat.ReleasedAt, err = parseTime(f.DateReleased); err != nil {
		return nil, bad("dateReleased: " + f.DateReleased)
	}
	for i, v := range f.Vulnerabilities {
		if !validCVE(v.CVEID) {
			return nil, bad("entry " + itoa(i+1) + ": cveID " + v.CVEID)
		}
		e := renkei.KEVEntry{
			CVE:               v.CVEID,
			VendorProject:     v.VendorProject,
			Product:           v.Product,
			Name:              v.VulnerabilityName,
			RequiredAction:    v.RequiredAction,
			KnownRansomware:   strings.EqualFold(v.KnownRansomwareCampaignUse, "Known"),
			ShortDescription:  v.ShortDescription,
			Notes:             v.Notes,
			CWEs:              v.CWEs,
			CatalogVersion:    f.CatalogVersion,
			CatalogReleasedAt: cat.ReleasedAt,
		}
		if e.DateAdded, err = parseTime(v.DateAdded); err != nil || v.DateAdded == "" {
			return nil, bad(v.CVEID + ": dateAdded " + v.DateAdded)
		}
		if e.DueDate, err = parseTime(v.DueDate); err != nil {
			return nil, bad(v.CVEID + ": dueDate " + v.DueDate)
		}
		cat.Entries = append(cat.Entries, e)
	}
	return cat, nil
}

func validCVE(id string) bool {
	rest, ok := strings.CutPrefix(id, "CVE-")
	if !ok || len(rest) < 9 || rest[4] != '-' {
		return false
	}
	for i, c := range rest {
		if i != 4 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
