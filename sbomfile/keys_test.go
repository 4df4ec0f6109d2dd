package sbomfile

import (
	"strings"
	"testing"

	"github.com/renkei/renkei/i18n"
)

// keyArgs is every message key this package returns, with the number of
// arguments it gives.
var keyArgs = map[string]int{
	KeyTooLarge: 1, KeyEmpty: 0, KeyFormatUnknown: 0, KeyVersionUnsupported: 2,
	KeyMalformedJSON: 2, KeyMalformedXML: 2, KeyWrongType: 3, KeyDoctype: 1, KeyTooDeep: 2,
	KeyTooManyComponents: 1, KeyTooManyRelations: 1, KeySPDXInvalid: 1, KeyNotUTF8: 0,
	KeyUnreadable: 1, KeyPURLInvalid: 2, KeyDependencyUnknown: 1, KeyDuplicateRef: 1,
	KeyComponentNoVersion: 1,
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
}
