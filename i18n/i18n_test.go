package i18n

import "testing"

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	ja, en := Keys("ja"), Keys("en")
	inJA := map[string]bool{}
	for _, k := range ja {
		inJA[k] = true
	}
	for _, k := range en {
		if !inJA[k] {
			t.Errorf("key %q is in English but not in Japanese", k)
		}
		delete(inJA, k)
	}
	for k := range inJA {
		t.Errorf("key %q is in Japanese but not in English", k)
	}
}

func TestMatch(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "ja",
		"en-US,en;q=0.9":          "en",
		"ja-JP,ja;q=0.9,en;q=0.8": "ja",
		"fr-FR":                   "ja",
		"fr;q=0.9,en;q=0.5":       "en",
		";;;garbage":              "ja",
	} {
		if got := Match(in); got != want {
			t.Errorf("Match(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTFallsBackToJapanese(t *testing.T) {
	if got := T("xx", "error.forbidden"); got != T("ja", "error.forbidden") {
		t.Fatalf("unknown language: %q", got)
	}
	if got := T("en", "error.not_found", "user"); got != "Not found (user)." {
		t.Fatalf("args: %q", got)
	}
}
