package argon2id

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h := New(Fast)
	enc, err := h.Hash("正しいパスワード-horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("format: %s", enc)
	}
	if ok, err := h.Verify(enc, "正しいパスワード-horse"); !ok || err != nil {
		t.Fatalf("right password refused: %v %v", ok, err)
	}
	if ok, _ := h.Verify(enc, "正しいパスワード-horsE"); ok {
		t.Fatal("wrong password accepted")
	}
	enc2, _ := h.Hash("正しいパスワード-horse")
	if enc2 == enc {
		t.Fatal("same salt twice")
	}
	// A hasher with other defaults still verifies old hashes.
	if ok, _ := New(Default).Verify(enc, "正しいパスワード-horse"); !ok {
		t.Fatal("parameters not read from the hash")
	}
}

func FuzzVerify(f *testing.F) {
	h := New(Fast)
	good, _ := h.Hash("pw")
	for _, s := range []string{good, "", "$argon2id$", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "$bcrypt$x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, enc string) {
		ok, err := h.Verify(enc, "pw")
		if err != nil && ok {
			t.Fatal("error and success together")
		}
	})
}
