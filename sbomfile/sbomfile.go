// Package sbomfile reads SBOM files — CycloneDX 1.4–1.6 JSON and XML (with
// github.com/CycloneDX/cyclonedx-go) and SPDX 2.2/2.3 JSON and tag-value
// (with github.com/spdx/tools-golang) — into the core's renkei.SBOM, purls
// normalized with github.com/package-url/packageurl-go.
//
// Files are checked before the libraries see them: size, JSON and XML
// nesting depth, no XML DOCTYPE (hence no entities, internal or external),
// and afterwards the number of components. Every rejection is a
// *renkei.Error whose key says what is wrong and whose arguments say where.
package sbomfile

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	jsonv1 "github.com/go-json-experiment/json/v1"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"

	"github.com/renkei/renkei"
)

// Message keys (i18n/messages/sbom.*.json).
const (
	KeyTooLarge           = "sbom.too_large"            // limit
	KeyEmpty              = "sbom.empty"                //
	KeyFormatUnknown      = "sbom.format_unknown"       //
	KeyVersionUnsupported = "sbom.version_unsupported"  // format, version
	KeyMalformedJSON      = "sbom.malformed_json"       // line, detail
	KeyMalformedXML       = "sbom.malformed_xml"        // line, detail
	KeyWrongType          = "sbom.wrong_type"           // field, line, expected type
	KeyDoctype            = "sbom.doctype"              // line
	KeyTooDeep            = "sbom.too_deep"             // limit, line
	KeyTooManyComponents  = "sbom.too_many_components"  // limit
	KeyTooManyRelations   = "sbom.too_many_relations"   // limit
	KeySPDXInvalid        = "sbom.spdx_invalid"         // detail
	KeyNotUTF8            = "sbom.not_utf8"             //
	KeyUnreadable         = "sbom.unreadable"           // format
	KeyPURLInvalid        = "sbom.purl_invalid"         // component, purl (a warning)
	KeyDependencyUnknown  = "sbom.dependency_unknown"   // ref (a warning)
	KeyDuplicateRef       = "sbom.duplicate_ref"        // ref (a warning)
	KeyComponentNoVersion = "sbom.component_no_version" // component (a warning)
)

// Limits bound what Parse accepts. The zero value means the core's
// defaults (renkei.MaxSBOMBytes, …).
type Limits struct {
	MaxBytes      int64
	MaxComponents int
	MaxDepth      int
	MaxRelations  int

	// parallelFrom is the number of top-level CycloneDX components from
	// which they are decoded in parallel (0: parallelMinComponents);
	// tests set it to compare both ways.
	parallelFrom int
}

func (l Limits) withDefaults() Limits {
	if l.parallelFrom <= 0 {
		l.parallelFrom = parallelMinComponents
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = renkei.MaxSBOMBytes
	}
	if l.MaxComponents <= 0 {
		l.MaxComponents = renkei.MaxSBOMComponents
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = renkei.MaxSBOMDepth
	}
	if l.MaxRelations <= 0 {
		l.MaxRelations = renkei.MaxSBOMRelations
	}
	return l
}

// Result is a parsed SBOM, the VEX statements of a CycloneDX BOM's
// vulnerabilities that carry an analysis (CycloneDX VEX), and what was
// noticed on the way without being fatal (a purl that does not parse, an
// edge to an unknown component).
type Result struct {
	SBOM     *renkei.SBOM
	VEX      []renkei.VEXStatement
	Warnings []*renkei.Error
}

// Parse reads an SBOM of any accepted format with the default limits.
func Parse(r io.Reader) (*Result, error) { return Limits{}.Parse(r) }

// Parse reads at most l.MaxBytes from r, detects the format and parses it.
func (l Limits) Parse(r io.Reader) (*Result, error) {
	b, err := l.Read(r)
	if err != nil {
		return nil, err
	}
	return l.ParseBytes(b)
}

// Read reads a file to parse, refusing one over l.MaxBytes. A file (an
// io.Reader with Stat) is read into a buffer of its size at once.
func (l Limits) Read(r io.Reader) ([]byte, error) {
	l = l.withDefaults()
	var buf bytes.Buffer
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if st, err := f.Stat(); err == nil && st.Size() > 0 && st.Size() <= l.MaxBytes {
			buf.Grow(int(st.Size()) + 1)
		}
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, l.MaxBytes+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > l.MaxBytes {
		return nil, renkei.Errorf(renkei.ETOOLARGE, KeyTooLarge, sizeString(l.MaxBytes))
	}
	return buf.Bytes(), nil
}

// ParseBytes parses an SBOM held in memory.
func (l Limits) ParseBytes(b []byte) (*Result, error) { return l.ParseStream(b, nil) }

// ParseStream is ParseBytes for a caller that stores the components while
// the rest of the file is read: give, when not nil, is called with the
// components in document order, in batches, as they are read — for a large
// CycloneDX JSON file while later components are still being decoded on
// other processors; for any other file once, after the whole file is read.
// The Result holds every component as well. When ParseStream returns an
// error, the batches given must be thrown away (a store rolls its
// transaction back); an error from give stops the parse and is returned.
func (l Limits) ParseStream(b []byte, give func([]renkei.Component) error) (res *Result, err error) {
	l = l.withDefaults()
	if int64(len(b)) > l.MaxBytes {
		return nil, renkei.Errorf(renkei.ETOOLARGE, KeyTooLarge, sizeString(l.MaxBytes))
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	// JSON is walked once, before anything is decoded: the walk checks
	// the limits and tells the format.
	var facts *jsonFacts
	var format string
	if t := bytes.TrimLeft(b, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		format, facts, err = detectJSON(b, l)
	} else {
		format, err = Detect(b)
	}
	if err != nil {
		return nil, err
	}
	// The libraries are not written for hostile input: a panic in one is
	// a file we cannot read, not a crash.
	// A panic in the caller's give is the caller's, and goes on.
	p := &parser{limits: l, refs: map[string]bool{}, give: give}
	defer func() {
		if r := recover(); r != nil {
			if p.giving {
				panic(r)
			}
			res, err = nil, renkei.Errorf(renkei.EINVALID, KeyUnreadable, format)
		}
	}()
	switch format {
	case renkei.FormatCycloneDXJSON:
		err = p.cyclonedxJSON(b, facts)
	case renkei.FormatCycloneDXXML:
		err = p.cyclonedxXML(b)
	case renkei.FormatSPDXJSON:
		err = p.spdxJSON(b, facts)
	case renkei.FormatSPDXTagValue:
		err = p.spdxTagValue(b)
	}
	if err == nil {
		err = p.flush()
	}
	if err != nil {
		return nil, err
	}
	return &Result{SBOM: &p.sbom, VEX: p.vex, Warnings: p.warnings}, nil
}

// detectJSON walks a JSON document (scanJSON) and names its format. A
// document that does not parse but plainly says what it is gets that
// format and the walk's error, with its line; one that says nothing is of
// an unknown format.
func detectJSON(b []byte, l Limits) (string, *jsonFacts, error) {
	facts, err := scanJSON(b, l)
	if err != nil {
		var re *renkei.Error
		if errors.As(err, &re) && re.Key != KeyMalformedJSON {
			return "", nil, err
		}
		switch {
		case bytes.Contains(b, []byte(`"spdxVersion"`)):
			return renkei.FormatSPDXJSON, nil, err
		case bytes.Contains(b, []byte(`"bomFormat"`)):
			return renkei.FormatCycloneDXJSON, nil, err
		}
		return "", nil, renkei.Errorf(renkei.EINVALID, KeyFormatUnknown)
	}
	if f, ok := facts.str("bomFormat"); ok && f == "CycloneDX" {
		return renkei.FormatCycloneDXJSON, facts, nil
	}
	if _, ok := facts.top["spdxVersion"]; ok {
		return renkei.FormatSPDXJSON, facts, nil
	}
	return "", nil, renkei.Errorf(renkei.EINVALID, KeyFormatUnknown)
}

// Detect names the format of an SBOM from its content: a JSON object with
// bomFormat "CycloneDX" or with spdxVersion, an XML document whose root is
// CycloneDX's bom, or SPDX tag-value text (an SPDXVersion tag).
func Detect(b []byte) (string, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) == 0 {
		return "", renkei.Errorf(renkei.EINVALID, KeyEmpty)
	}
	switch t[0] {
	case '{':
		// The walk the parse makes; a file broken after saying what it
		// is still gets its format here (the parse reports the fault).
		format, _, err := detectJSON(t, Limits{}.withDefaults())
		if format != "" {
			return format, nil
		}
		return "", err
	case '<':
		dec := xml.NewDecoder(bytes.NewReader(t))
		for range 64 {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok {
				if se.Name.Local == "bom" && strings.HasPrefix(se.Name.Space, "http://cyclonedx.org/schema/bom/") {
					return renkei.FormatCycloneDXXML, nil
				}
				break
			}
		}
		// A DOCTYPE or a broken prolog before the root still says what
		// it is when the root's namespace is plainly there.
		if bytes.Contains(t, []byte("http://cyclonedx.org/schema/bom/")) {
			return renkei.FormatCycloneDXXML, nil
		}
		return "", renkei.Errorf(renkei.EINVALID, KeyFormatUnknown)
	}
	for line := range strings.SplitSeq(string(t[:min(len(t), 64<<10)]), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "SPDXVersion:") {
			return renkei.FormatSPDXTagValue, nil
		}
		break
	}
	return "", renkei.Errorf(renkei.EINVALID, KeyFormatUnknown)
}

// lineAt returns the 1-based line of byte offset off in b.
func lineAt(b []byte, off int64) int {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(b[:off], []byte("\n")) + 1
}

func sizeString(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// jsonError turns a decoder's error into a coded one.
func jsonError(b []byte, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "(document)"
		}
		return renkei.Errorf(renkei.EINVALID, KeyWrongType, field, lineAt(b, te.Offset), te.Type.String())
	}
	// The same from the v1-compatible decoder of Go's JSON v2, which
	// CycloneDX JSON is decoded with; its field path names array indexes
	// (components.0.name).
	var te1 *jsonv1.UnmarshalTypeError
	if errors.As(err, &te1) {
		field, typ := te1.Field, "?"
		if field == "" {
			field = "(document)"
		}
		if te1.Type != nil {
			typ = te1.Type.String()
		}
		return renkei.Errorf(renkei.EINVALID, KeyWrongType, field, lineAt(b, te1.Offset), typ)
	}
	var se1 *jsonv1.SyntaxError
	if errors.As(err, &se1) {
		return renkei.Errorf(renkei.EINVALID, KeyMalformedJSON, lineAt(b, se1.Offset), se1.Error())
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return renkei.Errorf(renkei.EINVALID, KeyMalformedJSON, lineAt(b, se.Offset), se.Error())
	}
	var re *renkei.Error
	if errors.As(err, &re) {
		return re
	}
	return renkei.Errorf(renkei.EINVALID, KeyMalformedJSON, 0, err.Error())
}

// checkXML walks the XML token by token: a DOCTYPE (or any other
// directive) is refused outright, so no entity is ever declared, and
// nesting and the number of component elements are bounded. encoding/xml never fetches external entities and
// knows no entities but the five predefined ones; refusing the DOCTYPE
// makes that a rule of ours, not a property of the decoder.
func checkXML(b []byte, l Limits) error {
	maxDepth := l.MaxDepth
	dec := xml.NewDecoder(bytes.NewReader(b))
	depth, count := 0, 0
	root := false
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			if depth != 0 || !root {
				return renkei.Errorf(renkei.EINVALID, KeyMalformedXML, lineAt(b, int64(len(b))), "unexpected end of file")
			}
			return nil
		}
		if err != nil {
			line := lineAt(b, dec.InputOffset())
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line = se.Line
			}
			return renkei.Errorf(renkei.EINVALID, KeyMalformedXML, line, err.Error())
		}
		switch t := tok.(type) {
		case xml.Directive:
			return renkei.Errorf(renkei.EINVALID, KeyDoctype, lineAt(b, dec.InputOffset()))
		case xml.StartElement:
			if depth == 0 && root {
				return renkei.Errorf(renkei.EINVALID, KeyMalformedXML, lineAt(b, dec.InputOffset()), "more than one root element")
			}
			root = true
			depth++
			if depth > maxDepth {
				return renkei.Errorf(renkei.EINVALID, KeyTooDeep, maxDepth, lineAt(b, dec.InputOffset()))
			}
			if t.Name.Local == "component" {
				count++
				if count > l.MaxComponents {
					return renkei.Errorf(renkei.EINVALID, KeyTooManyComponents, l.MaxComponents)
				}
			}
		case xml.EndElement:
			depth--
		}
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func utf8Valid(b []byte) bool { return utf8.Valid(b) }
