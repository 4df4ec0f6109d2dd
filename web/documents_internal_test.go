package web

import (
	"mime"
	"testing"
)

func TestAttachmentDisposition(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"contract.pdf", `attachment; filename="contract.pdf"; filename*=UTF-8''contract.pdf`},
		{"秘密保持契約書.pdf", `attachment; filename="document.pdf"; filename*=UTF-8''%E7%A7%98%E5%AF%86%E4%BF%9D%E6%8C%81%E5%A5%91%E7%B4%84%E6%9B%B8.pdf`},
		{"NDA_株式会社山田 2025.pdf", `attachment; filename="NDA__ 2025.pdf"; filename*=UTF-8''NDA_%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE%E5%B1%B1%E7%94%B0%202025.pdf`},
		{`a"b\c%d;e.txt`, `attachment; filename="a_b_c_d;e.txt"; filename*=UTF-8''a%22b%5Cc%25d%3Be.txt`},
		{"メモ.テキスト", `attachment; filename="document"; filename*=UTF-8''%E3%83%A1%E3%83%A2.%E3%83%86%E3%82%AD%E3%82%B9%E3%83%88`},
		{"", "attachment"},
	} {
		got := attachmentDisposition(c.name)
		if got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.name, got, c.want)
		}
		// Go's own parser (as a client would) reads the UTF-8 name back.
		if _, params, err := mime.ParseMediaType(got); c.name != "" && (err != nil || params["filename"] != c.name) {
			t.Errorf("%q: parsed back as %q (%v)", c.name, params["filename"], err)
		}
	}
}

func TestHumanFileSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1 KB", 126_000: "123 KB", 1_572_864: "1.5 MB", 20 << 20: "20.0 MB"} {
		if got := humanFileSize(n); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}
