// Package cpename reads CPE names — CPE 2.3 formatted strings
// ("cpe:2.3:a:apache:log4j:2.14.1:*:…") and CPE 2.2 URIs ("cpe:/a:apache:
// log4j:2.14.1") — with github.com/knqyf263/go-cpe, and gives what matching
// keys a product by: part, vendor and product, and the version. SBOM
// components of commercial software and firmware, and vendors' CSAF
// advisories (JVN's among them), often name products by CPE alone.
package cpename

import (
	"errors"
	"strings"

	"github.com/knqyf263/go-cpe/common"
	"github.com/knqyf263/go-cpe/naming"
)

// Name is a CPE name as matching reads it. The values are unquoted and in
// lower case (CPE names compare without regard to case).
type Name struct {
	Part, Vendor, Product string
	// Version is "" when the name's version is ANY or NA.
	Version string
	// Qualified is true when an attribute after the version (update,
	// edition, language, sw_edition, target_sw, target_hw, other) has a
	// value other than ANY or NA: the name then says more than a product
	// at a version.
	Qualified bool
	wfn       common.WellFormedName
}

// ErrNoProduct is returned for a name whose vendor or product is not a
// plain value (ANY, NA or a wildcard).
var ErrNoProduct = errors.New("the CPE name does not name a vendor and a product")

// maxLength bounds what is read: real CPE names are under 200 characters.
const maxLength = 1024

// Parse reads a CPE 2.3 formatted string or a CPE 2.2 URI.
func Parse(s string) (n Name, err error) {
	s = strings.TrimSpace(s)
	if len(s) > maxLength {
		return Name{}, errors.New("the CPE name is too long")
	}
	// The library indexes past the end of some malformed names (found by
	// FuzzParse): a panic in it is a name we cannot read.
	defer func() {
		if recover() != nil {
			n, err = Name{}, errors.New("the CPE name is malformed")
		}
	}()
	var w common.WellFormedName
	switch {
	case strings.HasPrefix(strings.ToLower(s), "cpe:2.3:"):
		w, err = naming.UnbindFS(s)
	case strings.HasPrefix(strings.ToLower(s), "cpe:/"):
		w, err = naming.UnbindURI(s)
	default:
		return Name{}, errors.New("not a CPE name: it starts with neither cpe:2.3: nor cpe:/")
	}
	if err != nil {
		return Name{}, err
	}
	n = Name{wfn: w}
	var ok [3]bool
	n.Part, ok[0] = plain(w[common.AttributePart])
	n.Vendor, ok[1] = plain(w[common.AttributeVendor])
	n.Product, ok[2] = plain(w[common.AttributeProduct])
	if !ok[0] || !ok[1] || !ok[2] {
		return Name{}, ErrNoProduct
	}
	if v, isPlain := plain(w[common.AttributeVersion]); isPlain {
		n.Version = v
	}
	for _, a := range []string{common.AttributeUpdate, common.AttributeEdition, common.AttributeLanguage,
		common.AttributeSwEdition, common.AttributeTargetSw, common.AttributeTargetHw, common.AttributeOther} {
		if _, logical := w[a].(common.LogicalValue); !logical && w[a] != nil {
			n.Qualified = true
		}
	}
	return n, nil
}

// plain returns a WFN value without its quoting, in lower case; ok is
// false for ANY, NA and values with wildcards.
func plain(v any) (string, bool) {
	s, ok := v.(string)
	if !ok || s == "" || common.ContainsWildcards(s) {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return strings.ToLower(b.String()), true
}

// Key is the product's key: "part:vendor:product".
func (n Name) Key() string { return n.Part + ":" + n.Vendor + ":" + n.Product }

// Ref is the name as a CPE 2.3 formatted string in lower case, with
// version put in when the name's own version is ANY or NA: how a
// component is referred to when it is matched by its CPE.
func (n Name) Ref(version string) string {
	w := common.WellFormedName{}
	for k, v := range n.wfn {
		w[k] = v
	}
	if n.Version == "" && version != "" {
		w[common.AttributeVersion] = quote(strings.ToLower(version))
	}
	return strings.ToLower(naming.BindToFS(w))
}

// quote writes a value in WFN form: every character other than letters,
// digits and the underscore is preceded by a backslash.
func quote(s string) string {
	var b strings.Builder
	for _, r := range s {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
