package sbomfile_test

import (
	"fmt"
	"strings"

	"github.com/renkei/renkei/sbomfile"
)

func ExampleParse() {
	res, err := sbomfile.Parse(strings.NewReader(`{
  "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "components": [
    {"bom-ref": "a", "type": "library", "name": "Django", "version": "3.2", "purl": "pkg:pypi/Django@3.2"}
  ]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	c := res.SBOM.Components[0]
	fmt.Println(res.SBOM.Format, res.SBOM.SpecVersion, c.PURL, c.Ecosystem)

	_, err = sbomfile.Parse(strings.NewReader(`<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>`))
	fmt.Println(err)
	// Output:
	// cyclonedx-json 1.6 pkg:pypi/django@3.2 PyPI
	// invalid: sbom.doctype [2]
}
