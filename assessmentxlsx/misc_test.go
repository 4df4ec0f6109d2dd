package assessmentxlsx

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/renkei/renkei/i18n"
)

func itoa(i int) string { return strconv.Itoa(i) }

func asError[T error](err error, target *T) bool { return err != nil && errors.As(err, target) }

func TestCatalog(t *testing.T) {
	for key, n := range keyArgs {
		for _, lang := range i18n.Languages {
			if !i18n.Has(lang, key) {
				t.Errorf("%s missing in %s", key, lang)
				continue
			}
			if !strings.HasPrefix(key, "assessmentxlsx.") {
				continue
			}
			args := make([]any, n)
			for i := range args {
				args[i] = "ARG" + itoa(i)
			}
			msg := i18n.T(lang, key, args...)
			if strings.Contains(msg, "%!") {
				t.Errorf("%s %s: %q", lang, key, msg)
			}
			for i := range args {
				if !strings.Contains(msg, "ARG"+itoa(i)) {
					t.Errorf("%s %s does not show argument %d: %q", lang, key, i, msg)
				}
			}
		}
	}
	for _, lang := range i18n.Languages {
		for _, key := range i18n.Keys(lang) {
			if _, ok := keyArgs[key]; strings.HasPrefix(key, "assessmentxlsx.") && !ok {
				t.Errorf("%s: unused key %s", lang, key)
			}
		}
	}
}
