package cpename

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in                           string
		key, version, ref, refWith12 string
		qualified                    bool
		err                          bool
	}{
		{in: "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*", key: "a:apache:log4j", version: "2.14.1",
			ref: "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*", refWith12: "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"},
		// A 2.2 URI; case does not matter; quoting is undone.
		{in: "cpe:/a:Apache:HTTP_Server:2.4.1", key: "a:apache:http_server", version: "2.4.1",
			ref: "cpe:2.3:a:apache:http_server:2.4.1:*:*:*:*:*:*:*", refWith12: "cpe:2.3:a:apache:http_server:2.4.1:*:*:*:*:*:*:*"},
		{in: `cpe:2.3:a:example:log4j-core:1.0\:beta:*:*:*:*:*:*:*`, key: "a:example:log4j-core", version: "1.0:beta",
			ref: `cpe:2.3:a:example:log4j-core:1.0\:beta:*:*:*:*:*:*:*`, refWith12: `cpe:2.3:a:example:log4j-core:1.0\:beta:*:*:*:*:*:*:*`},
		// No version of its own: the component's is put in the reference.
		{in: "cpe:2.3:o:example:firmware:*:*:*:*:*:*:*:*", key: "o:example:firmware",
			ref: "cpe:2.3:o:example:firmware:*:*:*:*:*:*:*:*", refWith12: "cpe:2.3:o:example:firmware:1.2-r3:*:*:*:*:*:*:*"},
		{in: "cpe:2.3:h:example:router:-:*:*:*:*:*:*:*", key: "h:example:router",
			ref: "cpe:2.3:h:example:router:-:*:*:*:*:*:*:*", refWith12: "cpe:2.3:h:example:router:1.2-r3:*:*:*:*:*:*:*"},
		// NA in the update says nothing more; a target platform does.
		{in: "cpe:2.3:o:cisco:ios_xe:17.3.1:-:*:*:*:*:*:*", key: "o:cisco:ios_xe", version: "17.3.1",
			ref: "cpe:2.3:o:cisco:ios_xe:17.3.1:-:*:*:*:*:*:*", refWith12: "cpe:2.3:o:cisco:ios_xe:17.3.1:-:*:*:*:*:*:*"},
		{in: "cpe:2.3:a:example:app:1.0:*:*:*:*:android:*:*", key: "a:example:app", version: "1.0", qualified: true,
			ref: "cpe:2.3:a:example:app:1.0:*:*:*:*:android:*:*", refWith12: "cpe:2.3:a:example:app:1.0:*:*:*:*:android:*:*"},
		{in: "cpe:2.3:a:*:log4j:1.0:*:*:*:*:*:*:*", err: true},      // no vendor
		{in: "cpe:2.3:a:apache:log4*:1.0:*:*:*:*:*:*:*", err: true}, // a wildcard
		{in: "cpe:2.3:a:apache", err: true},
		{in: "pkg:npm/left-pad@1.0.0", err: true},
		{in: "", err: true},
	} {
		n, err := Parse(tc.in)
		if tc.err {
			if err == nil {
				t.Errorf("%q: accepted as %+v", tc.in, n)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if n.Key() != tc.key || n.Version != tc.version || n.Qualified != tc.qualified {
			t.Errorf("%q: key %q version %q qualified %v", tc.in, n.Key(), n.Version, n.Qualified)
		}
		if got := n.Ref(""); got != tc.ref {
			t.Errorf("%q: ref %q, want %q", tc.in, got, tc.ref)
		}
		if got := n.Ref("1.2-R3"); got != tc.refWith12 {
			t.Errorf("%q: ref with a version %q, want %q", tc.in, got, tc.refWith12)
		}
	}
}

// A reference reads back as the same product and version.
func TestRefRoundTrip(t *testing.T) {
	n, err := Parse("cpe:/o:example:firmware")
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(n.Ref("2.0.1+build.7"))
	if err != nil || back.Key() != "o:example:firmware" || back.Version != "2.0.1+build.7" {
		t.Fatalf("%+v %v", back, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*", "cpe:/a:apache:http_server:2.4.1", `cpe:2.3:a:x:y:1\:0:-:*:*:*:android:*:*`, "cpe:/o:x:y::sp1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			return
		}
		if n.Part == "" || n.Vendor == "" || n.Product == "" {
			t.Fatalf("%q: %+v", s, n)
		}
		ref := n.Ref("1.0")
		back, err := Parse(ref)
		if err != nil {
			t.Fatalf("%q: its reference %q does not parse: %v", s, ref, err)
		}
		if back.Key() != n.Key() || (n.Version != "" && back.Version != n.Version) || strings.ToLower(ref) != ref {
			t.Fatalf("%q: reference %q reads back as %+v", s, ref, back)
		}
	})
}
