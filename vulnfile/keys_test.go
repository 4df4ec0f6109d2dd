package vulnfile

import (
	"strings"
	"testing"

	"github.com/renkei/renkei/i18n"
)

// keyArgs is every message key this package and the core's vulnerability
// rules return, with the number of arguments they give.
var keyArgs = map[string]int{
	KeyTooLarge: 1, KeyMalformedJSON: 2, KeyTooDeep: 2, KeyOSVInvalid: 2, KeyCSAFInvalid: 1,
	KeyCSAFVersion: 1, KeyKEVInvalid: 1, KeyZipInvalid: 1, KeyZipEntries: 1, KeyZipEntryName: 1,
	KeyZipEntrySize: 2, KeyZipTotalSize: 1, KeyZipRatio: 1, KeyDirFiles: 1, KeyVersUnsupported: 1,
	KeyVersInvalid: 1, KeyOpenVEXInvalid: 1, KeyUnknownKind: 0, "vulnfile.csaf_no_purl": 0, "vulnfile.csaf_bad_purl": 0,
	"vulnfile.csaf_no_ecosystem": 0, "vulnfile.csaf_no_version": 0, "vulnfile.csaf_bad_cpe": 0, "vulnfile.csaf_cpe_qualified": 0,
	// the core's (advisory.go, vex.go)
	"sbom.advisory_range_type": 1, "sbom.advisory_event": 0, "sbom.advisory_no_introduced": 0,
	"sbom.advisory_fixed_and_last": 0, "sbom.vex_justification_required": 0,
	"sbom.vex_justification_unknown": 0, "sbom.vex_status_unknown": 0, "field.required": 0,
}

func TestMessageKeys(t *testing.T) {
	for key, n := range keyArgs {
		texts, missing := i18n.WithPlaceholders(key, n)
		for _, lang := range missing {
			t.Errorf("%s missing in %s", key, lang)
		}
		for lang, msg := range texts {
			if strings.Contains(msg, "%!") || strings.Count(msg, "ARG") != n {
				t.Errorf("%s %s with %d args: %q", lang, key, n, msg)
			}
		}
	}
	for _, lang := range i18n.Languages {
		for _, key := range i18n.Keys(lang) {
			if _, ok := keyArgs[key]; strings.HasPrefix(key, "vulnfile.") && !ok {
				t.Errorf("%s: %s is in the catalog but not used", lang, key)
			}
		}
	}
}
