// Package vulnfile reads vulnerability data into the core's
// renkei.Advisory: OSV records (one JSON file, a directory of them, or the
// per-ecosystem all.zip osv.dev publishes), CSAF 2.0 advisories (with the
// VEX profile's statements) and CISA's Known Exploited Vulnerabilities
// catalog. All three are decoded with encoding/json into structs that follow
// the specifications; every input is bounded (record size, entry count,
// JSON depth) and every rejection is a coded *renkei.Error.
package vulnfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/renkei/renkei"
)

// Message keys (i18n/messages/vulnfile.*.json).
const (
	KeyTooLarge        = "vulnfile.too_large"        // limit
	KeyMalformedJSON   = "vulnfile.malformed_json"   // name, detail
	KeyTooDeep         = "vulnfile.too_deep"         // name, limit
	KeyOSVInvalid      = "vulnfile.osv_invalid"      // name, detail
	KeyCSAFInvalid     = "vulnfile.csaf_invalid"     // detail
	KeyCSAFVersion     = "vulnfile.csaf_version"     // version
	KeyKEVInvalid      = "vulnfile.kev_invalid"      // detail
	KeyZipInvalid      = "vulnfile.zip_invalid"      // detail
	KeyZipEntries      = "vulnfile.zip_entries"      // limit
	KeyZipEntryName    = "vulnfile.zip_entry_name"   // name
	KeyZipEntrySize    = "vulnfile.zip_entry_size"   // name, limit
	KeyZipTotalSize    = "vulnfile.zip_total_size"   // limit
	KeyZipRatio        = "vulnfile.zip_ratio"        // name
	KeyDirFiles        = "vulnfile.dir_files"        // limit
	KeyVersUnsupported = "vulnfile.vers_unsupported" // vers
	KeyVersInvalid     = "vulnfile.vers_invalid"     // vers
	KeyOpenVEXInvalid  = "vulnfile.openvex_invalid"  // detail
	KeyUnknownKind     = "vulnfile.unknown_kind"     //
)

// Limits bound what the readers accept.
const (
	MaxRecordBytes   = 8 << 20   // one OSV record, one file of a directory, one zip entry
	MaxDocumentBytes = 64 << 20  // one CSAF document or the KEV catalog
	MaxZipEntries    = 1_000_000 // osv.dev's largest all.zip holds a few hundred thousand
	MaxZipTotalBytes = 16 << 30  // all entries uncompressed
	MaxZipRatio      = 200       // uncompressed / compressed for one entry; JSON rarely passes 20
	MaxDirFiles      = 1_000_000
	MaxJSONDepth     = 64
)

// osvRecord follows the OSV schema (ossf/osv-schema, docs/schema.md),
// keeping the fields Renkei uses.
type osvRecord struct {
	SchemaVersion string        `json:"schema_version"`
	ID            string        `json:"id"`
	Modified      string        `json:"modified"`
	Published     string        `json:"published"`
	Withdrawn     string        `json:"withdrawn"`
	Aliases       []string      `json:"aliases"`
	Summary       string        `json:"summary"`
	Details       string        `json:"details"`
	Severity      []osvSeverity `json:"severity"`
	Affected      []struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
			PURL      string `json:"purl"`
		} `json:"package"`
		Severity []osvSeverity `json:"severity"`
		Ranges   []struct {
			Type   string `json:"type"`
			Repo   string `json:"repo"`
			Events []struct {
				Introduced   string `json:"introduced"`
				Fixed        string `json:"fixed"`
				LastAffected string `json:"last_affected"`
				Limit        string `json:"limit"`
			} `json:"events"`
		} `json:"ranges"`
		Versions         []string        `json:"versions"`
		DatabaseSpecific json.RawMessage `json:"database_specific"`
	} `json:"affected"`
	References []struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	} `json:"references"`
	DatabaseSpecific json.RawMessage `json:"database_specific"`
}

type osvSeverity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// ParseOSV reads one OSV record. name says where it came from (a file
// name, a zip entry) for error messages.
func ParseOSV(name string, b []byte) (renkei.Advisory, error) {
	if len(b) > MaxRecordBytes {
		return renkei.Advisory{}, renkei.Errorf(renkei.ETOOLARGE, KeyTooLarge, sizeString(MaxRecordBytes))
	}
	if err := checkJSON(name, b); err != nil {
		return renkei.Advisory{}, err
	}
	var r osvRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return renkei.Advisory{}, jsonError(name, err)
	}
	bad := func(detail string) error { return renkei.Errorf(renkei.EINVALID, KeyOSVInvalid, name, detail) }
	if r.ID == "" {
		return renkei.Advisory{}, bad("no id")
	}
	a := renkei.Advisory{ID: r.ID, Aliases: r.Aliases, Summary: r.Summary, Source: renkei.SourceOSV}
	if a.Summary == "" {
		a.Summary = firstLine(r.Details)
	}
	var err error
	if a.Modified, err = parseTime(r.Modified); err != nil || r.Modified == "" {
		return renkei.Advisory{}, bad("modified: " + r.Modified)
	}
	if a.Published, err = parseTime(r.Published); err != nil {
		return renkei.Advisory{}, bad("published: " + r.Published)
	}
	if a.Withdrawn, err = parseTime(r.Withdrawn); err != nil {
		return renkei.Advisory{}, bad("withdrawn: " + r.Withdrawn)
	}
	level := dbSeverity(r.DatabaseSpecific)
	for _, af := range r.Affected {
		if level == "" {
			level = dbSeverity(af.DatabaseSpecific)
		}
	}
	for _, s := range r.Severity {
		a.Severity = append(a.Severity, severity(s, level))
	}
	if len(r.Severity) == 0 && level != "" {
		a.Severity = append(a.Severity, renkei.Severity{Type: "database_specific", Level: level})
	}
	for _, af := range r.Affected {
		ap := renkei.AffectedPackage{
			Ecosystem: af.Package.Ecosystem,
			Name:      af.Package.Name,
			PURL:      af.Package.PURL,
			Versions:  af.Versions,
		}
		for _, rg := range af.Ranges {
			out := renkei.Range{Type: rg.Type}
			for _, e := range rg.Events {
				out.Events = append(out.Events, renkei.Event{
					Introduced: e.Introduced, Fixed: e.Fixed, LastAffected: e.LastAffected, Limit: e.Limit,
				})
			}
			if err := out.Validate(); err != nil {
				// An event with several fields, or an unknown range
				// type, cannot be read one way only: refuse the
				// record. A range without introduced, or with both
				// fixed and last_affected, is kept: evaluation
				// handles it as the schema's pseudo-code does.
				var e *renkei.Error
				if errors.As(err, &e) && (e.Key == "sbom.advisory_event" || e.Key == "sbom.advisory_range_type") {
					return renkei.Advisory{}, bad(e.Key + " " + rg.Type)
				}
			}
			ap.Ranges = append(ap.Ranges, out)
		}
		for _, s := range af.Severity {
			a.Severity = append(a.Severity, severity(s, ""))
		}
		a.Affected = append(a.Affected, ap)
	}
	for _, ref := range r.References {
		if ref.URL != "" {
			a.References = append(a.References, ref.URL)
		}
	}
	return a, nil
}

func severity(s osvSeverity, level string) renkei.Severity {
	out := renkei.Severity{Type: s.Type, Level: level}
	if strings.HasPrefix(s.Type, "CVSS_") {
		out.Vector = s.Score
	} else if l := renkei.NormalizeLevel(s.Score); l != "" {
		// Ubuntu's and others' own scales give a word as the score.
		out.Level = l
	}
	return out
}

// dbSeverity reads database_specific.severity, which GitHub's and several
// other databases use for their level ("HIGH", "MODERATE").
func dbSeverity(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var ds struct {
		Severity any `json:"severity"`
	}
	if json.Unmarshal(raw, &ds) != nil {
		return ""
	}
	s, _ := ds.Severity.(string)
	return renkei.NormalizeLevel(s)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("not a time: " + s)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// checkJSON walks the JSON once to bound its depth and report syntax errors
// with their place before decoding.
func checkJSON(name string, b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if depth != 0 {
				return renkei.Errorf(renkei.EINVALID, KeyMalformedJSON, name, "unexpected end of file")
			}
			return nil
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return renkei.Errorf(renkei.EINVALID, KeyMalformedJSON, name, "unexpected end of file")
			}
			return renkei.Errorf(renkei.EINVALID, KeyMalformedJSON, name, err.Error())
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
				if depth > MaxJSONDepth {
					return renkei.Errorf(renkei.EINVALID, KeyTooDeep, name, MaxJSONDepth)
				}
			} else {
				depth--
			}
		}
		if depth == 0 && dec.More() {
			return renkei.Errorf(renkei.EINVALID, KeyMalformedJSON, name, "data after the end of the document")
		}
	}
}

func jsonError(name string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return renkei.Errorf(renkei.EINVALID, KeyMalformedJSON, name, "field "+te.Field+" should be "+te.Type.String())
	}
	return renkei.Errorf(renkei.EINVALID, KeyMalformedJSON, name, err.Error())
}
