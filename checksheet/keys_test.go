package checksheet

import (
	"os"
	"regexp"
	"testing"

	"github.com/renkei/renkei/i18n"
)

// Every message key of keys.go is in both catalogs.
func TestKeysInCatalog(t *testing.T) {
	src, err := os.ReadFile("keys.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`"(checksheet\.[a-z_]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(keys) < 20 {
		t.Fatalf("only %d keys found", len(keys))
	}
	for _, k := range keys {
		for _, lang := range []string{"ja", "en"} {
			if i18n.T(lang, k[1]) == k[1] {
				t.Errorf("%s: no %s message", k[1], lang)
			}
		}
	}
}
