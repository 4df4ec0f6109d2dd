package smtptest

import (
	"strings"
	"testing"
)

func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

func TestParse(t *testing.T) {
	cases := []struct {
		name, data          string
		subject, text, html string
		err                 string
	}{
		{
			name:    "plain ascii",
			data:    "Subject: hello\nFrom: a@example.jp\n\nline 1\nline 2\n",
			subject: "hello", text: "line 1\nline 2\n",
		},
		{
			name:    "quoted-printable Japanese with Q-encoded subject",
			data:    "Subject: =?UTF-8?q?=E6=8B=9B=E5=BE=85?=\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n=E6=8B=9B=E5=BE=85=E3=81=A7=E3=81=99=\n\n",
			subject: "招待", text: "招待です\n",
		},
		{
			name:    "multipart/alternative in multipart/mixed, base64",
			data:    "Subject: =?UTF-8?b?44GK55+l44KJ44Gb?=\nContent-Type: multipart/mixed; boundary=OUT\n\n--OUT\nContent-Type: multipart/alternative; boundary=IN\n\n--IN\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n5pys5paH\n--IN\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\nPHA+5pys5paHPC9wPg==\n--IN--\n--OUT\nContent-Type: application/pdf\n\nxx\n--OUT--\n",
			subject: "お知らせ", text: "本文", html: "<p>本文</p>",
		},
		{
			name:    "multipart without boundary",
			data:    "Subject: x\nContent-Type: multipart/alternative\n\nbody\n",
			subject: "x", err: "without boundary",
		},
		{
			name:    "Shift_JIS is reported, not guessed",
			data:    "Subject: x\nContent-Type: text/plain; charset=Shift_JIS\n\n\x93\xfa\x96\x7b\n",
			subject: "x", err: "shift_jis",
		},
		{
			name:    "no header end",
			data:    "Subject: x",
			subject: "x",
		},
		{
			name: "garbage",
			data: "\x00\x01 not a message",
			err:  "malformed",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := Parse(crlf(c.data))
			if c.err == "" && m.Err != nil {
				t.Fatalf("unexpected error %v", m.Err)
			}
			if c.err != "" && (m.Err == nil || !strings.Contains(m.Err.Error(), c.err)) {
				t.Fatalf("error %v, want one containing %q", m.Err, c.err)
			}
			if m.Subject != c.subject || m.Text != c.text || m.HTML != c.html {
				t.Fatalf("got subject %q text %q html %q", m.Subject, m.Text, m.HTML)
			}
		})
	}
}

// FuzzParse checks that Parse never panics and that what it decodes holds
// no CRLF (line ends come out as \n). Seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add(crlf("Subject: hello\n\nbody\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := Parse(data)
		if strings.Contains(m.Text, "\r\n") || strings.Contains(m.HTML, "\r\n") {
			t.Fatalf("CRLF left in body: %q %q", m.Text, m.HTML)
		}
		if string(m.Data) != string(data) {
			t.Fatal("Data is not the input")
		}
	})
}
