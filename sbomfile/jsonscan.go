package sbomfile

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/renkei/renkei"
)

// jsonFacts is what one walk of a JSON document learns before any decoder
// builds anything from it: the top-level scalar members (bomFormat,
// specVersion, spdxVersion: enough to tell the format and its version)
// and how many objects the arrays under each list key hold, at any depth
// (CycloneDX nests components in components).
type jsonFacts struct {
	top   map[string]jsonScalar
	lists map[string]int
	// spans are the byte ranges of the elements of the top-level
	// components array, so that they can be decoded apart (in parallel);
	// nil when that array is missing, empty or given more than once.
	spans [][2]int64
	// componentArrays counts the top-level components members, and
	// oddElements the elements of that array that are not objects.
	componentArrays, oddElements int
}

// jsonScalar is a top-level member's value: its kind ('"' for a string)
// and its text.
type jsonScalar struct {
	kind jsontext.Kind
	text string
}

// str returns the member's value when it is a string.
func (f *jsonFacts) str(name string) (string, bool) {
	v, ok := f.top[name]
	if !ok || v.kind != '"' {
		return "", false
	}
	return v.text, true
}

// listKeys are the members whose arrays hold the components: CycloneDX's
// components and SPDX's packages.
var listKeys = []string{"components", "packages"}

// scanJSON walks the document token by token with jsontext (the token
// reader of Go's JSON v2, which allocates nothing per token): it finds
// syntax errors (with their line), nesting deeper than the limit and data
// after the document, and gathers jsonFacts. A 50 MiB file of a million
// tiny components is thus refused by its count without decoding a million
// structs. Duplicate member names are allowed, as encoding/json allows
// them.
func scanJSON(b []byte, l Limits) (*jsonFacts, error) {
	if !utf8.Valid(b) {
		return nil, renkei.Errorf(renkei.EINVALID, KeyNotUTF8)
	}
	type frame struct {
		obj, expectName bool
		name            string // the member being read, in an object
		list            string // the list key whose array this is
	}
	facts := &jsonFacts{top: map[string]jsonScalar{}, lists: map[string]int{}}
	var stack []frame
	dec := jsontext.NewDecoder(bytes.NewReader(b), jsontext.AllowDuplicateNames(true))
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			if err == io.EOF && len(stack) != 0 {
				err = io.ErrUnexpectedEOF
			}
			return nil, scanError(b, dec, err)
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		kind := tok.Kind()
		if len(stack) == 2 && top.list == "components" && kind != '{' && kind != ']' {
			facts.oddElements++
		}
		if top != nil && top.obj && top.expectName && kind == '"' {
			top.name, top.expectName = tok.String(), false
			continue
		}
		switch kind {
		case '{', '[':
			if kind == '{' && top != nil && top.list != "" {
				if facts.lists[top.list]++; facts.lists[top.list] > l.MaxComponents {
					return nil, renkei.Errorf(renkei.EINVALID, KeyTooManyComponents, l.MaxComponents)
				}
			}
			f := frame{obj: kind == '{', expectName: kind == '{'}
			if kind == '[' && top != nil && top.obj && slices.Contains(listKeys, top.name) {
				f.list = top.name
				if len(stack) == 1 && top.name == "components" {
					facts.componentArrays++
				}
			}
			if kind == '{' && len(stack) == 2 && top.list == "components" {
				facts.spans = append(facts.spans, [2]int64{dec.InputOffset() - 1, 0})
			}
			stack = append(stack, f)
			if len(stack) > l.MaxDepth {
				return nil, renkei.Errorf(renkei.EINVALID, KeyTooDeep, l.MaxDepth, lineAt(b, dec.InputOffset()))
			}
			continue
		case '}', ']':
			stack = stack[:len(stack)-1]
			if kind == '}' && len(stack) == 2 && stack[1].list == "components" {
				facts.spans[len(facts.spans)-1][1] = dec.InputOffset()
			}
		default:
			if len(stack) == 1 && top.obj {
				facts.top[top.name] = jsonScalar{kind: kind, text: tok.String()}
			}
		}
		// A value has ended: the enclosing object expects a name next.
		if len(stack) > 0 && stack[len(stack)-1].obj {
			stack[len(stack)-1].expectName = true
		}
		if len(stack) == 0 {
			if _, err := dec.ReadToken(); err != io.EOF {
				return nil, renkei.Errorf(renkei.EINVALID, KeyMalformedJSON, lineAt(b, dec.InputOffset()), "data after the end of the document")
			}
			if facts.componentArrays != 1 || facts.oddElements != 0 {
				facts.spans = nil
			}
			return facts, nil
		}
	}
}

// scanError turns the token reader's error into a coded one with its line.
func scanError(b []byte, dec *jsontext.Decoder, err error) error {
	off := dec.InputOffset()
	detail := err.Error()
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		off = se.ByteOffset
		if se.Err != nil {
			detail = se.Err.Error()
		}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
		off, detail = int64(len(b)), "unexpected end of file"
	}
	return renkei.Errorf(renkei.EINVALID, KeyMalformedJSON, lineAt(b, off), detail)
}
