// Package i18n holds Renkei's messages in Japanese and English and picks
// the language of a request. Japanese is the default.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// Languages, Japanese first: it is the default.
var Languages = []string{"ja", "en"}

//go:embed messages/*.json
var files embed.FS

// catalog maps language → key → text. Files are named AREA.LANG.json so
// that each area of the product keeps its own messages.
var catalog = func() map[string]map[string]string {
	out := map[string]map[string]string{"ja": {}, "en": {}}
	entries, err := fs.ReadDir(files, "messages")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		parts := strings.Split(e.Name(), ".")
		if len(parts) != 3 || parts[2] != "json" {
			panic("i18n: bad message file name " + e.Name())
		}
		lang := parts[1]
		if _, ok := out[lang]; !ok {
			panic("i18n: unknown language in " + e.Name())
		}
		b, err := files.ReadFile("messages/" + e.Name())
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic("i18n: " + e.Name() + ": " + err.Error())
		}
		for k, v := range m {
			if _, dup := out[lang][k]; dup {
				panic("i18n: key " + k + " defined twice for " + lang)
			}
			out[lang][k] = v
		}
	}
	return out
}()

// T returns the message for key in lang, formatted with args. An unknown
// language falls back to Japanese; an unknown key returns the key itself,
// which the catalog test forbids for keys used in code.
func T(lang, key string, args ...any) string {
	m, ok := catalog[lang]
	if !ok {
		m = catalog["ja"]
	}
	s, ok := m[key]
	if !ok {
		s, ok = catalog["ja"][key]
		if !ok {
			return key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether key exists in lang.
func Has(lang, key string) bool {
	_, ok := catalog[lang][key]
	return ok
}

// Keys returns the sorted keys of lang.
func Keys(lang string) []string {
	var out []string
	for k := range catalog[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var matcher = language.NewMatcher([]language.Tag{language.Japanese, language.English})

// Match picks ja or en from an Accept-Language header; Japanese when the
// header is empty or names neither.
func Match(acceptLanguage string) string {
	if acceptLanguage == "" {
		return "ja"
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "ja"
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return "ja"
	}
	return Languages[idx]
}

// Valid reports whether lang is one Renkei speaks.
func Valid(lang string) bool { return lang == "ja" || lang == "en" }

// WithPlaceholders formats key in every language with n arguments "ARG",
// for the tests that check each message takes the arguments its code
// gives it. It returns the texts by language and the languages whose
// catalog lacks the key.
func WithPlaceholders(key string, n int) (texts map[string]string, missing []string) {
	args := make([]any, n)
	for i := range args {
		args[i] = "ARG"
	}
	texts = map[string]string{}
	for _, lang := range Languages {
		if !Has(lang, key) {
			missing = append(missing, lang)
			continue
		}
		texts[lang] = T(lang, key, args...)
	}
	return texts, missing
}
