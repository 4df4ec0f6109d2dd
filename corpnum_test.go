package renkei

import "testing"

func TestCorporateNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"7000012050002", true},  // 国税庁 (National Tax Agency), published
		{"2021001052596", true},  // check digit computed by hand for base 021001052596
		{"1000012050002", false}, // wrong check digit
		{"700001205000", false},  // 12 digits
		{"70000120500021", false},
		{"700001205000A", false},
		{"７000012050002", false}, // full-width digit
		{"", false},
	} {
		if got := ValidCorporateNumber(tc.in); got != tc.want {
			t.Errorf("ValidCorporateNumber(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func FuzzCorporateNumber(f *testing.F) {
	for _, s := range []string{"7000012050002", "1234567890123", "", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidCorporateNumber(s) {
			// Any single-digit change to a valid number must be caught.
			b := []byte(s)
			b[0] = '0' + (b[0]-'0'+1)%10
			if ValidCorporateNumber(string(b)) {
				t.Fatalf("%s and %s both valid", s, b)
			}
		}
	})
}
