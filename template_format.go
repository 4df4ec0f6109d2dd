package renkei

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// TemplateFormat is the version of the template file format
// (docs/template-format.md). A file names it in its "format" field.
const TemplateFormat = 1

// templateFile is a template as a file: the format version, then the
// template's own fields.
type templateFile struct {
	Format int `json:"format"`
	Template
}

// ParseTemplate reads a template file: JSON of at most MaxTemplateBytes,
// decoded strictly (an unknown or repeated field, or a value of the wrong
// type, is an error naming its path, such as
// "sections[0].questions[2].txt"), then normalized and validated. Every
// error is a *Error.
func ParseTemplate(data []byte) (*Template, error) {
	if len(data) > MaxTemplateBytes {
		return nil, Errorf(ETOOLARGE, "template.too_large", MaxTemplateBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a BOM some editors write
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	c := &jsonChecker{dec: dec}
	if err := c.check(reflect.TypeFor[templateFile](), "", ""); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, Errorf(EINVALID, "template.json", dec.InputOffset())
	}
	var f templateFile
	if err := json.Unmarshal(data, &f); err != nil {
		// The checker has seen every value; this is a safety net.
		return nil, Errorf(EINVALID, "template.json", 0)
	}
	if f.Format != TemplateFormat {
		return nil, Invalid(map[string]string{"format": "template.format"})
	}
	t := f.Template
	t.Normalize()
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return &t, nil
}

// MarshalTemplate writes a valid template as a file of the current
// format: indented JSON, UTF-8 without escaping, ending in a newline.
// ParseTemplate reads it back equal.
func MarshalTemplate(t *Template) ([]byte, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(templateFile{Format: TemplateFormat, Template: *t}); err != nil {
		return nil, Errorf(EINTERNAL, "template.json", 0)
	}
	return buf.Bytes(), nil
}

// jsonPathError is an error at a path of the document.
func jsonPathError(path, key string) error {
	if path == "" {
		path = "$"
	}
	return Invalid(map[string]string{path: key})
}

// syntaxError turns a decoder error into a coded one.
func syntaxError(dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return Errorf(EINVALID, "template.json", se.Offset)
	}
	return Errorf(EINVALID, "template.json", dec.InputOffset())
}

// jsonFields lists the JSON names of a struct's fields, embedded structs'
// fields included.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// listLimits caps the lists of the format by their field name while they
// are read, so that a small file cannot expand into a huge template
// (Validate checks the same limits on templates built in code).
var listLimits = map[string]int{
	"sections":  MaxTemplateSections,
	"questions": MaxTemplateQuestions,
	"choices":   MaxQuestionChoices,
	"levels":    MaxTemplateLevels,
	"bands":     MaxTemplateBands,
	"controls":  maxQuestionControls,
	"values":    MaxQuestionChoices,
}

// jsonChecker reads a document token by token and checks it against a Go
// type: only known fields (spelt exactly), none twice, values of the
// right type, integers where integers are expected, finite numbers, lists
// within their limits and at most MaxTemplateQuestions questions in all.
// It follows the type, so it never descends deeper than the format does.
type jsonChecker struct {
	dec       *json.Decoder
	questions int
}

// check reads one value at path; name is the field it is the value of.
func (c *jsonChecker) check(t reflect.Type, path, name string) error {
	tok, err := c.dec.Token()
	if err != nil {
		return syntaxError(c.dec, err)
	}
	if tok == nil { // null: allowed where Go has nil
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			return nil
		}
		return jsonPathError(path, "template.type")
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	dec := c.dec
	switch t.Kind() {
	case reflect.Struct:
		if tok != json.Delim('{') {
			return jsonPathError(path, "template.type")
		}
		fields := jsonFields(t)
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return syntaxError(dec, err)
			}
			key, _ := kt.(string)
			p := key
			if path != "" {
				p = path + "." + key
			}
			ft, ok := fields[key]
			switch {
			case !ok:
				return jsonPathError(p, "template.unknown_field")
			case seen[key]:
				return jsonPathError(p, "template.duplicate_field")
			}
			seen[key] = true
			if err := c.check(ft, p, key); err != nil {
				return err
			}
		}
		return closing(dec)
	case reflect.Map:
		if tok != json.Delim('{') {
			return jsonPathError(path, "template.type")
		}
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return syntaxError(dec, err)
			}
			key, _ := kt.(string)
			p := path + "." + key
			if seen[key] {
				return jsonPathError(p, "template.duplicate_field")
			}
			seen[key] = true
			if len(seen) > len(yesNoAnswers) {
				return jsonPathError(p, "template.points")
			}
			if err := c.check(t.Elem(), p, ""); err != nil {
				return err
			}
		}
		return closing(dec)
	case reflect.Slice:
		if tok != json.Delim('[') {
			return jsonPathError(path, "template.type")
		}
		limit, ok := listLimits[name]
		if !ok {
			limit = MaxTemplateQuestions
		}
		for i := 0; dec.More(); i++ {
			if name == "questions" {
				c.questions++
			}
			if i >= limit || c.questions > MaxTemplateQuestions {
				return jsonPathError(path, "template.too_many")
			}
			if err := c.check(t.Elem(), path+"["+strconv.Itoa(i)+"]", ""); err != nil {
				return err
			}
		}
		return closing(dec)
	case reflect.String:
		if _, ok := tok.(string); !ok {
			return jsonPathError(path, "template.type")
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return jsonPathError(path, "template.type")
		}
	case reflect.Int:
		n, ok := tok.(json.Number)
		if !ok {
			return jsonPathError(path, "template.type")
		}
		if _, err := strconv.ParseInt(string(n), 10, 32); err != nil {
			return jsonPathError(path, "template.integer")
		}
	case reflect.Float64:
		n, ok := tok.(json.Number)
		if !ok {
			return jsonPathError(path, "template.type")
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(f, 0) {
			return jsonPathError(path, "template.number")
		}
	default:
		return jsonPathError(path, "template.type")
	}
	return nil
}

// closing reads the } or ] that ends an object or array.
func closing(dec *json.Decoder) error {
	if _, err := dec.Token(); err != nil {
		return syntaxError(dec, err)
	}
	return nil
}
