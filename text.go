package renkei

import "unicode"

// hasControl reports whether s holds a control character or a character
// that changes the direction of text (which can make one name look like
// another). Such text is refused in names and identifiers.
func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u202e' || r == '\u202d' || r == '\u2066' || r == '\u2067' || r == '\u2068' {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
