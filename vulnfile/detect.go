package vulnfile

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/renkei/renkei"
)

// Kinds of vulnerability files.
const (
	KindOSV     = "osv"
	KindCSAF    = "csaf"
	KindKEV     = "kev"
	KindOpenVEX = "openvex"
	KindZip     = "zip"
)

// Detect names the kind of a vulnerability file from its content, so that
// an importer given a path can route it: a zip archive (osv.dev's
// all.zip), a CSAF document (document.csaf_version), the KEV catalog
// (catalogVersion with vulnerabilities), an OpenVEX document (an OpenVEX
// @context), or an OSV record (id and modified). Only the top-level keys
// are read; the parsers check the rest.
func Detect(b []byte) (string, error) {
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) || bytes.HasPrefix(b, []byte("PK\x05\x06")) {
		return KindZip, nil
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	var top map[string]json.RawMessage
	if err := checkJSON("file", b); err != nil {
		return "", err
	}
	if err := json.Unmarshal(b, &top); err != nil {
		return "", renkei.Errorf(renkei.EINVALID, KeyUnknownKind)
	}
	has := func(k string) bool { _, ok := top[k]; return ok }
	switch {
	case has("document") && (has("product_tree") || has("vulnerabilities") || bytes.Contains(top["document"], []byte(`"csaf_version"`))):
		return KindCSAF, nil
	case has("catalogVersion") && has("vulnerabilities"):
		return KindKEV, nil
	case has("@context"):
		var ctx string
		if json.Unmarshal(top["@context"], &ctx) == nil && strings.HasPrefix(ctx, "https://openvex.dev/ns") {
			return KindOpenVEX, nil
		}
	case has("id") && has("modified"):
		return KindOSV, nil
	}
	return "", renkei.Errorf(renkei.EINVALID, KeyUnknownKind)
}
