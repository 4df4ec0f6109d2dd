package sbomfile

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

var update = flag.Bool("update", false, "rewrite the generated CycloneDX example files in testdata/")

// exampleBOM is our own example product: an application with a Maven, an
// npm (scoped and plain), a PyPI and a Debian component, one nested
// component, hashes, licenses, a CPE and dependencies.
func exampleBOM() *cdx.BOM {
	bom := cdx.NewBOM()
	bom.SerialNumber = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
	bom.Metadata = &cdx.Metadata{
		Timestamp:  "2024-05-01T09:00:00Z",
		Lifecycles: &[]cdx.Lifecycle{{Phase: cdx.LifecyclePhaseBuild}}, // 1.5 and later
		Component: &cdx.Component{
			BOMRef: "app", Type: cdx.ComponentTypeApplication, Name: "renkei-demo-app", Version: "2.3.0",
			PackageURL: "pkg:generic/renkei-kogyo/renkei-demo-app@2.3.0",
		},
	}
	bom.Components = &[]cdx.Component{
		{
			BOMRef: "log4j", Type: cdx.ComponentTypeLibrary, Group: "org.apache.logging.log4j", Name: "log4j-core",
			Version: "2.14.1", PackageURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
			CPE:      "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*",
			Hashes:   &[]cdx.Hash{{Algorithm: cdx.HashAlgoSHA256, Value: "ade7402a70667a727635d5c4c29495f4ff96f061f12539763f6f123973b465b0"}},
			Licenses: &cdx.Licenses{{License: &cdx.License{ID: "Apache-2.0"}}},
			Components: &[]cdx.Component{{
				BOMRef: "log4j-api", Type: cdx.ComponentTypeLibrary, Group: "org.apache.logging.log4j", Name: "log4j-api",
				Version: "2.14.1", PackageURL: "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1",
			}},
		},
		{
			BOMRef: "babel", Type: cdx.ComponentTypeLibrary, Group: "@babel", Name: "core", Version: "7.22.0",
			PackageURL: "pkg:npm/%40babel/core@7.22.0", Licenses: &cdx.Licenses{{Expression: "MIT"}},
		},
		{
			BOMRef: "lodash", Type: cdx.ComponentTypeLibrary, Name: "lodash", Version: "4.17.20",
			PackageURL: "pkg:npm/lodash@4.17.20",
			OmniborID:  &[]string{"gitoid:blob:sha1:261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64"}, // 1.6 and later
		},
		{
			BOMRef: "django", Type: cdx.ComponentTypeLibrary, Name: "Django", Version: "3.2",
			PackageURL: "pkg:pypi/Django@3.2",
		},
		{
			BOMRef: "openssl", Type: cdx.ComponentTypeLibrary, Name: "openssl", Version: "3.0.11-1~deb12u2",
			PackageURL: "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
		},
	}
	bom.Dependencies = &[]cdx.Dependency{
		{Ref: "app", Dependencies: &[]string{"log4j", "babel", "lodash", "django", "openssl"}},
		{Ref: "log4j", Dependencies: &[]string{"log4j-api"}},
		{Ref: "babel", Dependencies: &[]string{"lodash"}},
	}
	return bom
}

// TestGenerateCycloneDX writes testdata/cyclonedx-1.{4,5,6}.{json,xml} with
// the library's encoder (go test ./sbomfile -run Generate -update); without
// -update it checks the committed files are what the encoder makes.
func TestGenerateCycloneDX(t *testing.T) {
	for _, v := range []cdx.SpecVersion{cdx.SpecVersion1_4, cdx.SpecVersion1_5, cdx.SpecVersion1_6} {
		for _, f := range []struct {
			ext    string
			format cdx.BOMFileFormat
		}{{"json", cdx.BOMFileFormatJSON}, {"xml", cdx.BOMFileFormatXML}} {
			path := filepath.Join("testdata", "cyclonedx-"+v.String()+"."+f.ext)
			tmp := filepath.Join(t.TempDir(), "out")
			out, err := os.Create(tmp)
			if err != nil {
				t.Fatal(err)
			}
			enc := cdx.NewBOMEncoder(out, f.format).SetPretty(true)
			if err := enc.EncodeVersion(exampleBOM(), v); err != nil {
				t.Fatal(err)
			}
			out.Close()
			got, _ := os.ReadFile(tmp)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%s: %v (run with -update)", path, err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from the encoder's output (run with -update)", path)
			}
		}
	}
}
