// Package mailtmpl renders Renkei's mail in Japanese and English from
// templates embedded in the binary.
//
// Each template NAME has, per locale, templates/LOCALE/NAME.txt (defining
// "subject" and "body", run with text/template) and
// templates/LOCALE/NAME.html (defining "content", run with html/template,
// which escapes the data). layout.txt and layout.html wrap them with the
// footer. A missing key in map data is an error, never "<no value>".
package mailtmpl

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"slices"
	"strings"
	texttemplate "text/template"
)

// Locales, the first being the default.
var locales = []string{"ja", "en"}

//go:embed templates
var files embed.FS

// Invitation is the data of the "invitation" template.
type Invitation struct {
	OrgName     string
	InviterName string
	Role        string // the role's label, already in the mail's language
	URL         string // the link that accepts the invitation
	ExpiresAt   string // already formatted in Asia/Tokyo; the template says "Japan time"
}

type set struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

var (
	sets  map[string]map[string]*set // name → locale → templates
	names []string
)

func init() {
	var err error
	sets, names, err = load(files)
	if err != nil {
		panic("mailtmpl: " + err.Error())
	}
}

func load(fsys fs.FS) (map[string]map[string]*set, []string, error) {
	out := map[string]map[string]*set{}
	perLocale := map[string][]string{}
	for _, loc := range locales {
		entries, err := fs.ReadDir(fsys, "templates/"+loc)
		if err != nil {
			return nil, nil, err
		}
		for _, e := range entries {
			name, ok := strings.CutSuffix(e.Name(), ".txt")
			if !ok || name == "layout" {
				continue
			}
			dir := "templates/" + loc + "/"
			txt, err := texttemplate.New(name).Option("missingkey=error").
				ParseFS(fsys, dir+"layout.txt", dir+name+".txt")
			if err != nil {
				return nil, nil, err
			}
			// The subject comes from the .txt file, so it is written once.
			html, err := htmltemplate.New(name).Option("missingkey=error").
				ParseFS(fsys, dir+"layout.html", dir+name+".txt", dir+name+".html")
			if err != nil {
				return nil, nil, err
			}
			for _, t := range []string{"subject", "body", "text"} {
				if txt.Lookup(t) == nil {
					return nil, nil, fmt.Errorf("%s%s.txt: no %q template", dir, name, t)
				}
			}
			for _, t := range []string{"content", "html"} {
				if html.Lookup(t) == nil {
					return nil, nil, fmt.Errorf("%s%s.html: no %q template", dir, name, t)
				}
			}
			if out[name] == nil {
				out[name] = map[string]*set{}
			}
			out[name][loc] = &set{text: txt, html: html}
			perLocale[loc] = append(perLocale[loc], name)
		}
	}
	all := perLocale[locales[0]]
	slices.Sort(all)
	for _, loc := range locales[1:] {
		got := perLocale[loc]
		slices.Sort(got)
		if !slices.Equal(all, got) {
			return nil, nil, fmt.Errorf("templates differ between %s %v and %s %v", locales[0], all, loc, got)
		}
	}
	return out, all, nil
}

// Names lists the templates, sorted.
func Names() []string { return slices.Clone(names) }

// Locale returns the mail locale for a language tag: "en" for English
// ("en", "en-US", "en_GB"…), otherwise "ja".
func Locale(tag string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	base, _, _ = strings.Cut(base, "_")
	if slices.Contains(locales, base) {
		return base
	}
	return locales[0]
}

// Render renders template name in locale (see Locale; unknown locales get
// Japanese) with data. subject is one line; text ends with one newline;
// html is a complete document.
func Render(name, locale string, data any) (subject, text, html string, err error) {
	s := sets[name][Locale(locale)]
	if s == nil {
		return "", "", "", fmt.Errorf("mailtmpl: no template %q", name)
	}
	var b bytes.Buffer
	if err := s.text.ExecuteTemplate(&b, "subject", data); err != nil {
		return "", "", "", fmt.Errorf("mailtmpl: %s subject: %w", name, err)
	}
	// One line: line breaks from the data or the template become spaces;
	// other spaces, the ideographic space included, stay as they are.
	subject = strings.TrimSpace(strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ", "\t", " ").Replace(b.String()))
	b.Reset()
	if err := s.text.ExecuteTemplate(&b, "text", data); err != nil {
		return "", "", "", fmt.Errorf("mailtmpl: %s text: %w", name, err)
	}
	text = strings.TrimSpace(b.String()) + "\n"
	b.Reset()
	if err := s.html.ExecuteTemplate(&b, "html", data); err != nil {
		return "", "", "", fmt.Errorf("mailtmpl: %s html: %w", name, err)
	}
	return subject, text, b.String(), nil
}
