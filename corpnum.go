package renkei

// ValidCorporateNumber reports whether s is a 13-digit Japanese Corporate
// Number (法人番号) whose first digit is the check digit of the other 12,
// as the National Tax Agency defines it: 9 − (Σ Pn×Qn mod 9), where Pn is
// the n-th digit of the 12-digit base counted from its last digit and Qn
// is 1 for odd n and 2 for even n.
func ValidCorporateNumber(s string) bool {
	if len(s) != 13 {
		return false
	}
	for i := 0; i < 13; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[0]-'0' == CorporateNumberCheckDigit(s[1:])
}

// CorporateNumberCheckDigit computes the check digit of a 12-digit base
// number. The caller guarantees 12 ASCII digits.
func CorporateNumberCheckDigit(base string) byte {
	sum := 0
	for n := 1; n <= 12; n++ {
		p := int(base[12-n] - '0')
		q := 1
		if n%2 == 0 {
			q = 2
		}
		sum += p * q
	}
	return byte(9 - sum%9)
}
