package totp

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
)

func TestQRPNG(t *testing.T) {
	secret, uri, err := TOTP{}.NewKey("Renkei 連携", "a@example.jp")
	if err != nil {
		t.Fatal(err)
	}
	b, err := QRPNG(uri, 240)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if r := img.Bounds(); r.Dx() != 240 || r.Dy() != 240 {
		t.Fatalf("size %v", r)
	}
	if _, err := QRPNG("https://example.jp/", 240); err == nil {
		t.Fatal("a non-otpauth URI made a QR code")
	}
	// KeyURI rebuilds a URI with the same secret, issuer and account.
	again := KeyURI("Renkei 連携", "a@example.jp", secret)
	k, err := otp.NewKeyFromURL(again)
	if err != nil {
		t.Fatal(err)
	}
	if k.Secret() != secret || k.Issuer() != "Renkei 連携" || k.AccountName() != "a@example.jp" || k.Period() != 30 || k.Digits() != otp.DigitsSix {
		t.Fatalf("key from %s: %+v", again, k)
	}
	if strings.Contains(again, "+") {
		t.Fatalf("space encoded as +: %s", again)
	}
	code, _ := Code(k.Secret(), time.Now())
	if !(TOTP{}).Validate(code, k.Secret()) {
		t.Fatal("code from the rebuilt key does not validate")
	}
}
