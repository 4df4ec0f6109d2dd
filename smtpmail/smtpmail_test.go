package smtpmail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/smtpmail"
	"github.com/renkei/renkei/smtpmail/smtptest"
)

func sender(t *testing.T, srv *smtptest.Server, mod func(*smtpmail.Config)) *smtpmail.Sender {
	t.Helper()
	cfg := smtpmail.Config{Host: srv.Host(), Port: srv.Port(), TLS: smtpmail.TLSNone, From: "Renkei <noreply@renkei.example>", Timeout: 10 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	s, err := smtpmail.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func japaneseMail() *renkei.Mail {
	return &renkei.Mail{
		ID:        "m1",
		To:        "tanaka@supplier.example.jp",
		Subject:   "【Renkei】株式会社山田製作所 への招待のお知らせ（長い件名でも正しく折り返されることを確認します）",
		Text:      "田中様\n\n株式会社山田製作所 から招待が届いています。\nhttps://renkei.example/invite/abc\n",
		HTML:      "<p>田中様</p><p>株式会社山田製作所 から招待が届いています。</p>",
		Locale:    "ja",
		MessageID: "<0190-abc@renkei>",
		CreatedAt: time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC),
	}
}

func TestSendJapaneseMail(t *testing.T) {
	srv := smtptest.Start(t)
	m := japaneseMail()
	if err := sender(t, srv, nil).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("got %d messages", len(msgs))
	}
	got := msgs[0]
	if got.Err != nil {
		t.Fatalf("parse: %v\n%s", got.Err, got.Data)
	}
	if got.Subject != m.Subject {
		t.Errorf("subject %q, want %q", got.Subject, m.Subject)
	}
	if got.Text != m.Text {
		t.Errorf("text %q, want %q", got.Text, m.Text)
	}
	if got.HTML != m.HTML {
		t.Errorf("html %q, want %q", got.HTML, m.HTML)
	}
	if h := got.Header.Get("Message-ID"); h != "<0190-abc@renkei>" {
		t.Errorf("Message-ID %q", h)
	}
	if d, err := got.Header.Date(); err != nil || !d.Equal(m.CreatedAt) {
		t.Errorf("Date %v %v", d, err)
	}
	if h := got.Header.Get("Date"); !strings.HasSuffix(h, "+0900") {
		t.Errorf("Date %q not in Japan time", h)
	}
	// Text goes out in canonical form, CRLF line ends, before base64.
	if raw := rawPart(t, got.Data, "text/plain"); !strings.Contains(raw, "田中様\r\n\r\n") {
		t.Errorf("text part not CRLF: %q", raw)
	}
	if got.From != "noreply@renkei.example" || len(got.To) != 1 || got.To[0] != m.To {
		t.Errorf("envelope %q → %q", got.From, got.To)
	}
	if h := got.Header.Get("From"); !strings.Contains(h, "<noreply@renkei.example>") {
		t.Errorf("From %q", h)
	}
	if h := got.Header.Get("Content-Language"); h != "ja" {
		t.Errorf("Content-Language %q", h)
	}
	if h := got.Header.Get("Auto-Submitted"); h != "auto-generated" {
		t.Errorf("Auto-Submitted %q", h)
	}
	if h := got.Header.Get("Content-Type"); !strings.HasPrefix(h, "multipart/alternative") {
		t.Errorf("Content-Type %q", h)
	}
	// The raw subject is 7-bit, encoded words, and no header line is over
	// the RFC 5322 limit of 998 characters.
	for _, line := range strings.Split(string(got.Data), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line of %d characters", len(line))
		}
	}
	if raw := got.Header["Subject"][0]; !strings.Contains(raw, "=?UTF-8?") {
		t.Errorf("raw subject not RFC 2047-encoded: %q", raw)
	}
}

func TestSendTextOnly(t *testing.T) {
	srv := smtptest.Start(t)
	m := japaneseMail()
	m.HTML = ""
	if err := sender(t, srv, nil).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()[0]
	if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q", ct)
	}
	if got.Text != m.Text || got.HTML != "" {
		t.Errorf("text %q html %q", got.Text, got.HTML)
	}
}

func TestSubjectCannotInjectHeaders(t *testing.T) {
	srv := smtptest.Start(t)
	m := japaneseMail()
	m.Subject = "hello\r\nBcc: victim@example.com\r\n\r\nbody"
	if err := sender(t, srv, nil).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()[0]
	if got.Header.Get("Bcc") != "" || len(got.To) != 1 {
		t.Fatalf("header injected: Bcc=%q to=%v", got.Header.Get("Bcc"), got.To)
	}
	if got.Subject != "hello Bcc: victim@example.com body" {
		t.Fatalf("subject %q: line breaks must fold into spaces", got.Subject)
	}
	if got.Text != m.Text {
		t.Fatalf("body changed: %q", got.Text)
	}
}

func TestBadRecipientAndMessageID(t *testing.T) {
	srv := smtptest.Start(t)
	s := sender(t, srv, nil)
	m := japaneseMail()
	m.To = "not an address"
	if err := s.Send(context.Background(), m); err == nil {
		t.Fatal("bad recipient accepted")
	}
	m = japaneseMail()
	m.MessageID = ""
	if err := s.Send(context.Background(), m); err == nil || !strings.Contains(err.Error(), "Message-ID") {
		t.Fatalf("missing Message-ID: %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages sent", n)
	}
}

func TestTemporaryFailureIsAnError(t *testing.T) {
	srv := smtptest.Start(t)
	srv.FailNext(1)
	s := sender(t, srv, nil)
	err := s.Send(context.Background(), japaneseMail())
	if err == nil || !strings.Contains(err.Error(), "451") {
		t.Fatalf("want a 451 error, got %v", err)
	}
	if err := s.Send(context.Background(), japaneseMail()); err != nil {
		t.Fatal(err)
	}
	if n, r := len(srv.Messages()), srv.Rejected(); n != 1 || r != 1 {
		t.Fatalf("messages %d rejected %d", n, r)
	}
}

func TestAuth(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithAuth("renkei", "s3cret"))
	ctx := context.Background()

	if err := sender(t, srv, nil).Send(ctx, japaneseMail()); err == nil {
		t.Fatal("sent without authenticating")
	}
	wrong := sender(t, srv, func(c *smtpmail.Config) { c.Username, c.Password = "renkei", "wrong" })
	if err := wrong.Send(ctx, japaneseMail()); err == nil {
		t.Fatal("sent with a wrong password")
	}
	right := sender(t, srv, func(c *smtpmail.Config) { c.Username, c.Password = "renkei", "s3cret" })
	if err := right.Send(ctx, japaneseMail()); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d messages", n)
	}
}

func TestStartTLSIsNotDowngraded(t *testing.T) {
	// The test server offers no STARTTLS: a sender that requires it must
	// refuse to send in clear rather than fall back.
	srv := smtptest.Start(t)
	s := sender(t, srv, func(c *smtpmail.Config) { c.TLS = smtpmail.TLSStartTLS })
	err := s.Send(context.Background(), japaneseMail())
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("want a STARTTLS error, got %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages sent in clear", n)
	}
}

func TestNewValidates(t *testing.T) {
	ok := smtpmail.Config{Host: "smtp.example.jp", From: "noreply@example.jp"}
	s, err := smtpmail.New(ok)
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Config(); c.TLS != smtpmail.TLSStartTLS || c.Port != 587 || c.Timeout != 30*time.Second {
		t.Fatalf("defaults: %+v", c)
	}
	for _, c := range []struct {
		mod  func(*smtpmail.Config)
		want string
	}{
		{func(c *smtpmail.Config) { c.Host = "" }, "--smtp-host"},
		{func(c *smtpmail.Config) { c.Host = "smtp://smtp.example.jp" }, "--smtp-host"},
		{func(c *smtpmail.Config) { c.Host = "smtp.example.jp:587" }, "--smtp-host"},
		{func(c *smtpmail.Config) { c.TLS = "ssl" }, "--smtp-tls"},
		{func(c *smtpmail.Config) { c.Port = 70000 }, "--smtp-port"},
		{func(c *smtpmail.Config) { c.Password = "x" }, "--smtp-user"},
		{func(c *smtpmail.Config) { c.From = "" }, "--mail-from"},
		{func(c *smtpmail.Config) { c.From = "not an address" }, "--mail-from"},
		{func(c *smtpmail.Config) { c.TLS, c.Username, c.Password = "none", "u", "p" }, "unencrypted"},
	} {
		cfg := ok
		c.mod(&cfg)
		if _, err := smtpmail.New(cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error naming %s", cfg, err, c.want)
		}
	}
	for tls, port := range map[string]int{"none": 25, "starttls": 587, "tls": 465} {
		cfg := ok
		cfg.TLS = tls
		s, err := smtpmail.New(cfg)
		if err != nil || s.Config().Port != port {
			t.Errorf("%s: %v %+v", tls, err, s)
		}
	}
	cfg := ok
	cfg.TLS, cfg.Host, cfg.Username, cfg.Password = "none", "127.0.0.1", "u", "p"
	if s, err := smtpmail.New(cfg); err != nil || s.Config().Password != "(set)" {
		t.Errorf("loopback with auth and no TLS: %v", err)
	}
}

// rawPart returns the first part of the given type in a multipart message,
// base64-decoded but with line ends untouched.
func rawPart(t *testing.T, data []byte, mediaType string) string {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err != nil {
			t.Fatalf("no %s part: %v", mediaType, err)
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), mediaType) {
			b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
}

func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	s := smtpmail.LogSender{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	if err := s.Send(context.Background(), japaneseMail()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"tanaka@supplier.example.jp", "【Renkei】株式会社山田製作所", "https://renkei.example/invite/abc", "<0190-abc@renkei>"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}
