package sbomfile

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	jsonv1 "github.com/go-json-experiment/json/v1"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/package-url/packageurl-go"
	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/tagvalue"

	"github.com/renkei/renkei"
)

type parser struct {
	limits   Limits
	sbom     renkei.SBOM
	vex      []renkei.VEXStatement
	warnings []*renkei.Error
	refs     map[string]bool
	seq      int

	// give, when set, is given the components as they are read
	// (flush); given counts those given; giving is true while give runs.
	give   func([]renkei.Component) error
	given  int
	giving bool
}

// flush gives the components read since the last flush to give.
func (p *parser) flush() error {
	if p.give == nil || p.given == len(p.sbom.Components) {
		return nil
	}
	batch := p.sbom.Components[p.given:]
	p.given = len(p.sbom.Components)
	p.giving = true // left set if give panics: ParseStream lets that go on
	err := p.give(batch)
	p.giving = false
	return err
}

// restart forgets what was read, to read the document again.
func (p *parser) restart() {
	p.sbom = renkei.SBOM{Format: p.sbom.Format}
	p.vex, p.warnings, p.refs, p.seq = nil, nil, map[string]bool{}, 0
}

func (p *parser) warn(key string, args ...any) {
	if len(p.warnings) < 100 {
		p.warnings = append(p.warnings, renkei.Errorf(renkei.EINVALID, key, args...))
	}
}

// NormalizePURL returns the canonical form of a purl (type and the
// namespaces of the types that are case-insensitive in lower case,
// qualifiers sorted, percent-encoding canonical), and the parsed purl.
//
// One departure from packageurl-go's Normalize: a golang purl keeps the
// case of its module path. Go module paths are case-sensitive
// (github.com/BurntSushi/toml is not github.com/burntsushi/toml) and OSV's
// Go records spell them with their case; lower-casing would lose matches.
func NormalizePURL(s string) (string, packageurl.PackageURL, error) {
	s = strings.TrimSpace(s)
	p, err := packageurl.FromString(s)
	if err != nil {
		return "", p, err
	}
	if err := p.Normalize(); err != nil {
		return "", p, err
	}
	if p.Type == packageurl.TypeGolang {
		// The library folds golang namespaces and names as it parses;
		// the same purl read as a generic one keeps them as written.
		if _, rest, ok := strings.Cut(s, "/"); ok {
			if g, err := packageurl.FromString("pkg:generic/" + rest); err == nil {
				p.Namespace, p.Name = strings.Trim(g.Namespace, "/"), g.Name
			}
		}
	}
	return p.ToString(), p, nil
}

// purlFields is what a component's purl gives it, read apart from the
// parser's state so that components can be read in parallel.
type purlFields struct {
	purl, ecosystem, version string
	invalid                  bool
}

func readPURL(raw string) purlFields {
	if raw == "" {
		return purlFields{}
	}
	norm, pu, err := NormalizePURL(raw)
	if err != nil {
		return purlFields{invalid: true}
	}
	return purlFields{purl: norm, ecosystem: renkei.EcosystemForPURL(pu.Type, pu.Namespace, pu.Qualifiers.Map()["distro"]), version: pu.Version}
}

// component fills in the purl-derived fields and the BOMRef.
func (p *parser) component(c renkei.Component, rawPURL string) renkei.Component {
	return p.componentWith(c, rawPURL, readPURL(rawPURL))
}

// componentWith is component with the purl already read.
func (p *parser) componentWith(c renkei.Component, rawPURL string, f purlFields) renkei.Component {
	switch {
	case f.invalid:
		p.warn(KeyPURLInvalid, c.Name, rawPURL)
	case f.purl != "":
		c.PURL, c.Ecosystem = f.purl, f.ecosystem
		if c.Version == "" {
			c.Version = f.version
		}
	}
	if c.Version == "" {
		p.warn(KeyComponentNoVersion, c.Name)
	}
	if c.BOMRef == "" {
		p.seq++
		c.BOMRef = fmt.Sprintf("renkei:component-%d", p.seq)
	}
	if p.refs[c.BOMRef] {
		p.warn(KeyDuplicateRef, c.BOMRef)
	}
	p.refs[c.BOMRef] = true
	return c
}

func (p *parser) add(c renkei.Component) error {
	if len(p.sbom.Components) >= p.limits.MaxComponents {
		return renkei.Errorf(renkei.EINVALID, KeyTooManyComponents, p.limits.MaxComponents)
	}
	p.sbom.Components = append(p.sbom.Components, c)
	return nil
}

func (p *parser) edge(from, to, kind string) error {
	if !p.refs[from] || !p.refs[to] {
		missing := from
		if p.refs[from] {
			missing = to
		}
		p.warn(KeyDependencyUnknown, missing)
		return nil
	}
	if len(p.sbom.Dependencies) >= p.limits.MaxRelations {
		return renkei.Errorf(renkei.EINVALID, KeyTooManyRelations, p.limits.MaxRelations)
	}
	p.sbom.Dependencies = append(p.sbom.Dependencies, renkei.Dependency{From: from, To: to, Kind: kind})
	return nil
}

// CycloneDX

var cdxVersions = map[cdx.SpecVersion]string{
	cdx.SpecVersion1_4: "1.4", cdx.SpecVersion1_5: "1.5", cdx.SpecVersion1_6: "1.6",
}

func (p *parser) cyclonedxJSON(b []byte, facts *jsonFacts) error {
	// The spec version first: the library refuses versions it does not
	// know with a bare error, and we want to say which version it was.
	sv, _ := facts.str("specVersion")
	switch sv {
	case "1.4", "1.5", "1.6":
	default:
		return renkei.Errorf(renkei.EINVALID, KeyVersionUnsupported, "CycloneDX", facts.top["specVersion"].text)
	}
	p.sbom.Format = renkei.FormatCycloneDXJSON
	if len(facts.spans) >= p.limits.parallelFrom {
		if done, err := p.cyclonedxChunks(b, facts.spans); done || err != nil {
			return err
		}
		// A chunk did not decode: the whole document's decode says
		// what and where.
		p.restart()
	}
	var bom cdx.BOM
	if err := jsonv1.Unmarshal(b, &bom); err != nil {
		return jsonError(b, err)
	}
	if p.given > 0 {
		// Components were handed over already and the whole document
		// reads where a part of it did not: the decoders disagree,
		// which the tests say never happens; refuse rather than give
		// the same components twice.
		return renkei.Errorf(renkei.EINVALID, KeyUnreadable, renkei.FormatCycloneDXJSON)
	}
	return p.cyclonedx(&bom)
}

func (p *parser) cyclonedxXML(b []byte) error {
	if err := checkXML(b, p.limits); err != nil {
		return err
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(b), cdx.BOMFileFormatXML).Decode(&bom); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return renkei.Errorf(renkei.EINVALID, KeyMalformedXML, se.Line, se.Msg)
		}
		return renkei.Errorf(renkei.EINVALID, KeyMalformedXML, 0, err.Error())
	}
	if _, ok := cdxVersions[bom.SpecVersion]; !ok || bom.XMLNS == "" {
		v := strings.TrimPrefix(bom.XMLNS, "http://cyclonedx.org/schema/bom/")
		return renkei.Errorf(renkei.EINVALID, KeyVersionUnsupported, "CycloneDX", v)
	}
	p.sbom.Format = renkei.FormatCycloneDXXML
	return p.cyclonedx(&bom)
}

// cyclonedx reads a decoded BOM: its head, its components, its tail.
func (p *parser) cyclonedx(bom *cdx.BOM) error {
	if err := p.cdxHead(bom); err != nil {
		return err
	}
	if bom.Components != nil {
		if err := p.cdxComponents(*bom.Components, nil, "", 1); err != nil {
			return err
		}
	}
	return p.cdxTail(bom)
}

// cdxHead reads the spec version and the subject (the metadata
// component), whose own nested components are components too.
func (p *parser) cdxHead(bom *cdx.BOM) error {
	p.sbom.SpecVersion = cdxVersions[bom.SpecVersion]
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		mc := bom.Metadata.Component
		s := p.component(cdxComponent(mc, ""), mc.PackageURL)
		p.sbom.Subject = &s
		p.sbom.Name = mc.Name
		if mc.Components != nil {
			if err := p.cdxComponents(*mc.Components, nil, s.BOMRef, 2); err != nil {
				return err
			}
		}
	}
	return p.flush()
}

// cdxTail reads what follows the components: the dependencies and the
// vulnerabilities' VEX statements.
func (p *parser) cdxTail(bom *cdx.BOM) error {
	if bom.Dependencies != nil {
		for _, d := range *bom.Dependencies {
			if d.Dependencies == nil {
				continue
			}
			for _, to := range *d.Dependencies {
				if err := p.edge(d.Ref, to, renkei.DependsOn); err != nil {
					return err
				}
			}
		}
	}
	p.cdxVEX(bom)
	return nil
}

func (p *parser) cdxComponents(cs []cdx.Component, purls []purlFields, parent string, depth int) error {
	if depth > p.limits.MaxDepth {
		return renkei.Errorf(renkei.EINVALID, KeyTooDeep, p.limits.MaxDepth, 0)
	}
	for i := range cs {
		var f purlFields
		if purls != nil {
			f = purls[i]
		} else {
			f = readPURL(cs[i].PackageURL)
		}
		c := p.componentWith(cdxComponent(&cs[i], parent), cs[i].PackageURL, f)
		if err := p.add(c); err != nil {
			return err
		}
		if parent != "" {
			// Nesting is containment (CycloneDX: "components …
			// included in the parent").
			if err := p.edge(parent, c.BOMRef, renkei.Contains); err != nil {
				return err
			}
		}
		if cs[i].Components != nil {
			if err := p.cdxComponents(*cs[i].Components, nil, c.BOMRef, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func cdxComponent(c *cdx.Component, parent string) renkei.Component {
	out := renkei.Component{
		BOMRef:  c.BOMRef,
		Name:    c.Name,
		Group:   c.Group,
		Version: c.Version,
		Parent:  parent,
	}
	if c.CPE != "" {
		out.CPEs = []string{c.CPE}
	}
	if c.Hashes != nil {
		for _, h := range *c.Hashes {
			out.Hashes = append(out.Hashes, renkei.Hash{Algorithm: string(h.Algorithm), Value: h.Value})
		}
	}
	if c.Licenses != nil {
		for _, l := range *c.Licenses {
			switch {
			case l.Expression != "":
				out.Licenses = append(out.Licenses, l.Expression)
			case l.License != nil && l.License.ID != "":
				out.Licenses = append(out.Licenses, l.License.ID)
			case l.License != nil && l.License.Name != "":
				out.Licenses = append(out.Licenses, l.License.Name)
			}
		}
	}
	return out
}

// SPDX

func (p *parser) spdxJSON(b []byte, facts *jsonFacts) error {
	v, _ := facts.str("spdxVersion")
	if v != "SPDX-2.2" && v != "SPDX-2.3" {
		return renkei.Errorf(renkei.EINVALID, KeyVersionUnsupported, "SPDX", facts.top["spdxVersion"].text)
	}
	doc, err := spdxjson.Read(bytes.NewReader(b))
	if err != nil {
		return spdxError(b, err)
	}
	p.sbom.Format = renkei.FormatSPDXJSON
	return p.spdx(doc, strings.TrimPrefix(v, "SPDX-"))
}

func (p *parser) spdxTagValue(b []byte) error {
	if !utf8Valid(b) {
		return renkei.Errorf(renkei.EINVALID, KeyNotUTF8)
	}
	v := ""
	for line := range strings.SplitSeq(string(b), "\n") {
		if after, ok := strings.CutPrefix(strings.TrimSpace(line), "SPDXVersion:"); ok {
			v = strings.TrimSpace(after)
			break
		}
	}
	if v != "SPDX-2.2" && v != "SPDX-2.3" {
		return renkei.Errorf(renkei.EINVALID, KeyVersionUnsupported, "SPDX", v)
	}
	// Count before the library builds a struct per package or relation.
	packages, relations := 0, 0
	for line := range bytes.SplitSeq(b, []byte("\n")) {
		line = bytes.TrimLeft(line, " \t")
		switch {
		case bytes.HasPrefix(line, []byte("PackageName:")):
			packages++
			if packages > p.limits.MaxComponents {
				return renkei.Errorf(renkei.EINVALID, KeyTooManyComponents, p.limits.MaxComponents)
			}
		case bytes.HasPrefix(line, []byte("Relationship:")):
			relations++
			if relations > p.limits.MaxRelations {
				return renkei.Errorf(renkei.EINVALID, KeyTooManyRelations, p.limits.MaxRelations)
			}
		}
	}
	doc, err := tagvalue.Read(bytes.NewReader(b))
	if err != nil {
		return renkei.Errorf(renkei.EINVALID, KeySPDXInvalid, err.Error())
	}
	p.sbom.Format = renkei.FormatSPDXTagValue
	return p.spdx(doc, strings.TrimPrefix(v, "SPDX-"))
}

func spdxError(b []byte, err error) error {
	var re *renkei.Error
	if errors.As(err, &re) {
		return re
	}
	if e := jsonError(b, err); e != nil {
		if re, ok := e.(*renkei.Error); ok && re.Key != KeyMalformedJSON {
			return re
		}
	}
	return renkei.Errorf(renkei.EINVALID, KeySPDXInvalid, err.Error())
}

func spdxRef(id common.DocElementID) string {
	if id.SpecialID != "" {
		return id.SpecialID
	}
	ref := "SPDXRef-" + string(id.ElementRefID)
	if id.DocumentRefID != "" {
		ref = "DocumentRef-" + string(id.DocumentRefID) + ":" + ref
	}
	return ref
}

func (p *parser) spdx(doc *spdx.Document, version string) error {
	p.sbom.SpecVersion = version
	p.sbom.Name = doc.DocumentName
	if len(doc.Packages) > p.limits.MaxComponents {
		return renkei.Errorf(renkei.EINVALID, KeyTooManyComponents, p.limits.MaxComponents)
	}
	if len(doc.Relationships) > p.limits.MaxRelations {
		return renkei.Errorf(renkei.EINVALID, KeyTooManyRelations, p.limits.MaxRelations)
	}
	// The package the document describes is its subject.
	described := ""
	for _, r := range doc.Relationships {
		if r == nil {
			continue
		}
		switch strings.ToUpper(r.Relationship) {
		case common.TypeRelationshipDescribe:
			if spdxRef(r.RefA) == "SPDXRef-DOCUMENT" && described == "" {
				described = spdxRef(r.RefB)
			}
		case common.TypeRelationshipDescribeBy:
			if spdxRef(r.RefB) == "SPDXRef-DOCUMENT" && described == "" {
				described = spdxRef(r.RefA)
			}
		}
	}
	for _, pkg := range doc.Packages {
		if pkg == nil {
			continue
		}
		c := renkei.Component{
			BOMRef:  "SPDXRef-" + string(pkg.PackageSPDXIdentifier),
			Name:    pkg.PackageName,
			Version: pkg.PackageVersion,
		}
		purl := ""
		for _, ref := range pkg.PackageExternalReferences {
			if ref == nil {
				continue
			}
			switch strings.ToLower(ref.RefType) {
			case "purl":
				if purl == "" {
					purl = ref.Locator
				}
			case "cpe23type", "cpe22type":
				c.CPEs = append(c.CPEs, ref.Locator)
			}
		}
		for _, lic := range []string{pkg.PackageLicenseConcluded, pkg.PackageLicenseDeclared} {
			if lic != "" && lic != "NOASSERTION" && lic != "NONE" {
				c.Licenses = append(c.Licenses, lic)
				break
			}
		}
		for _, h := range pkg.PackageChecksums {
			c.Hashes = append(c.Hashes, renkei.Hash{Algorithm: string(h.Algorithm), Value: h.Value})
		}
		c = p.component(c, purl)
		if c.BOMRef == described && p.sbom.Subject == nil {
			s := c
			p.sbom.Subject = &s
			continue
		}
		if err := p.add(c); err != nil {
			return err
		}
	}
	for _, r := range doc.Relationships {
		if r == nil {
			continue
		}
		a, b := spdxRef(r.RefA), spdxRef(r.RefB)
		var err error
		switch t := strings.ToUpper(r.Relationship); t {
		case common.TypeRelationshipDependsOn:
			err = p.edge(a, b, renkei.DependsOn)
		case common.TypeRelationshipDependencyOf, common.TypeRelationshipBuildDependencyOf,
			common.TypeRelationshipDevDependencyOf, common.TypeRelationshipOptionalDependencyOf,
			common.TypeRelationshipProvidedDependencyOf, common.TypeRelationshipTestDependencyOf,
			common.TypeRelationshipRuntimeDependencyOf:
			err = p.edge(b, a, renkei.DependsOn)
		case common.TypeRelationshipContains:
			err = p.edge(a, b, renkei.Contains)
		case common.TypeRelationshipContainedBy:
			err = p.edge(b, a, renkei.Contains)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
