package totp

import (
	"bytes"
	"fmt"
	"image/png"
	"net/url"
	"strings"

	"github.com/pquerna/otp"
)

// QRPNG draws an otpauth:// URI as a square PNG QR code of size pixels,
// for authenticator apps to scan.
func QRPNG(uri string, size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return nil, err
	}
	if u, err := url.Parse(uri); err != nil || u.Scheme != "otpauth" || key.Secret() == "" {
		return nil, fmt.Errorf("totp: not an otpauth URI with a secret")
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// KeyURI rebuilds the otpauth:// URI of an existing secret with the
// parameters TOTP uses (6 digits, 30 seconds, SHA-1), so that a pending
// secret can be shown again without making a new one.
func KeyURI(issuer, account, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("period", "30")
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: strings.ReplaceAll(v.Encode(), "+", "%20")}
	return u.String()
}
