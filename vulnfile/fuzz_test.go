package vulnfile

import (
	"bytes"
	"testing"

	"github.com/renkei/renkei"
)

func coded(t *testing.T, err error) {
	t.Helper()
	if err != nil && renkei.ErrorCode(err) == renkei.EINTERNAL {
		t.Fatalf("uncoded error: %v", err)
	}
}

func FuzzOSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseOSV("fuzz", b)
		coded(t, err)
		if err == nil && (a.ID == "" || a.Modified.IsZero()) {
			t.Fatalf("accepted without id or modified: %+v", a)
		}
	})
}

func FuzzCSAF(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseCSAF(b)
		coded(t, err)
		if err != nil {
			return
		}
		for _, a := range res.Advisories {
			if a.ID == "" || a.Source != renkei.SourceCSAF {
				t.Fatalf("advisory %+v", a)
			}
			for _, ap := range a.Affected {
				if ap.Ecosystem == "" || ap.Name == "" {
					t.Fatalf("affected package without identity: %+v", ap)
				}
			}
		}
	})
}

func FuzzKEV(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		cat, err := ParseKEV(b)
		coded(t, err)
		if err == nil {
			for _, e := range cat.Entries {
				if !validCVE(e.CVE) || e.DateAdded.IsZero() {
					t.Fatalf("entry %+v", e)
				}
			}
		}
	})
}

func FuzzZip(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		n := 0
		err := ReadOSVZip(bytes.NewReader(b), int64(len(b)), func(r Record) error {
			n++
			if !safeEntryName(r.Name) {
				t.Fatalf("unsafe name reached the callback: %q", r.Name)
			}
			coded(t, r.Err)
			return nil
		})
		coded(t, err)
	})
}

func FuzzVers(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		vr, err := ParseVers(s)
		coded(t, err)
		if err != nil {
			return
		}
		for _, r := range vr.Ranges {
			if len(r.Events) == 0 || r.Events[0].Introduced == "" {
				t.Fatalf("%q: range without introduced first: %+v", s, r)
			}
			for _, e := range r.Events {
				if e.Kind() == "several" || e.Kind() == "" {
					t.Fatalf("%q: bad event %+v", s, e)
				}
			}
		}
	})
}

func FuzzOpenVEX(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		sts, err := ParseOpenVEX(b)
		coded(t, err)
		for _, s := range sts {
			if err := s.Validate(); err != nil {
				t.Fatalf("invalid statement returned: %+v", s)
			}
		}
	})
}
