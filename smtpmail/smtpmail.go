// Package smtpmail sends Renkei's outbox mail over SMTP. It wraps
// github.com/wneessen/go-mail and implements renkei.MailSender.
package smtpmail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/renkei/renkei"
)

// TLS modes.
const (
	TLSNone     = "none"     // plain text; for a local relay or a test server
	TLSStartTLS = "starttls" // STARTTLS required (port 587); the default
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
)

// Config is the SMTP connection. The CLI maps --smtp-host, --smtp-port,
// --smtp-tls, --smtp-user, --smtp-password and --mail-from onto it.
type Config struct {
	Host string
	// Port defaults by TLS mode: 587 for starttls, 465 for tls, 25 for none.
	Port int
	// TLS is TLSNone, TLSStartTLS (the default when empty) or TLSImplicit.
	TLS string
	// Username turns on SMTP AUTH; go-mail picks the strongest mechanism
	// the server offers (SCRAM, CRAM-MD5, PLAIN, LOGIN). Without TLS a
	// password is only ever sent to a loopback host.
	Username, Password string
	// From is the sender, "noreply@example.jp" or "Renkei <noreply@example.jp>".
	From string
	// Timeout bounds connecting and each command; default 30s.
	Timeout time.Duration
}

// Sender delivers mail through one SMTP server. It is safe for concurrent
// use: each Send opens its own connection.
type Sender struct {
	cfg  Config
	from *mail.Address
}

var _ renkei.MailSender = (*Sender)(nil)

// New checks cfg, fills in the defaults and returns a Sender. It does not
// connect. Every problem found is reported, each naming its setting.
func New(cfg Config) (*Sender, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("smtp: "+format, args...)) }

	cfg.Host = strings.TrimSpace(cfg.Host)
	switch {
	case cfg.Host == "":
		bad("host is required (--smtp-host)")
	case strings.ContainsAny(cfg.Host, " /:@") && net.ParseIP(cfg.Host) == nil:
		bad("host %q must be a bare host name or IP address, without scheme, port or user (--smtp-host)", cfg.Host)
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	switch cfg.TLS {
	case TLSNone, TLSStartTLS, TLSImplicit:
	default:
		bad("TLS mode %q is not one of none, starttls, tls (--smtp-tls)", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = map[string]int{TLSNone: 25, TLSStartTLS: 587, TLSImplicit: 465}[cfg.TLS]
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		bad("port %d is out of range 1–65535 (--smtp-port)", cfg.Port)
	}
	if cfg.Password != "" && cfg.Username == "" {
		bad("a password is set but no user name (--smtp-user)")
	}
	if cfg.Username != "" && cfg.TLS == TLSNone && !isLoopback(cfg.Host) {
		bad("refusing to send the SMTP password unencrypted to %s: use --smtp-tls=starttls or tls", cfg.Host)
	}
	var from *mail.Address
	if strings.TrimSpace(cfg.From) == "" {
		bad("sender address is required (--mail-from)")
	} else if a, err := mail.ParseAddress(cfg.From); err != nil {
		bad("sender address %q is not valid (--mail-from): %v", cfg.From, err)
	} else {
		from = a
	}
	if cfg.Timeout < 0 {
		bad("timeout must not be negative")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &Sender{cfg: cfg, from: from}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Config returns the configuration in use, defaults filled in, without the
// password.
func (s *Sender) Config() Config {
	c := s.cfg
	if c.Password != "" {
		c.Password = "(set)"
	}
	return c
}

// Send delivers m over a new connection. The message carries m.MessageID
// as its Message-ID and m.CreatedAt as its Date, so a resend of the same
// outbox mail is byte-for-byte the same message to the receiver; the body
// is text/plain, with a text/html alternative when m.HTML is set; headers
// and bodies are UTF-8, base64-encoded (RFC 2047 for the subject).
func (s *Sender) Send(ctx context.Context, m *renkei.Mail) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	client, err := gomail.NewClient(s.cfg.Host, s.clientOptions()...)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s:%d: %w", s.cfg.Host, s.cfg.Port, err)
	}
	return nil
}

func (s *Sender) clientOptions() []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(s.cfg.Timeout),
	}
	switch s.cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
		if s.cfg.TLS == TLSNone {
			// go-mail's discovery offers no PLAIN or LOGIN on a plain
			// connection; New allows this case only for a loopback host,
			// which go-mail's PLAIN and LOGIN also insist on.
			opts = append(opts, gomail.WithOpportunisticSMTPAuth(
				gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthCramMD5,
				gomail.SMTPAuthPlain, gomail.SMTPAuthLogin))
		} else {
			opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover))
		}
	}
	return opts
}

// message builds the MIME message for m.
func (s *Sender) message(m *renkei.Mail) (*gomail.Msg, error) {
	id := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(m.MessageID), "<"), ">")
	if id == "" || strings.ContainsAny(id, "<> \t\r\n") || !strings.Contains(id, "@") {
		return nil, fmt.Errorf("smtp: mail %s has no usable Message-ID %q", m.ID, m.MessageID)
	}
	msg := gomail.NewMsg(gomail.WithEncoding(gomail.EncodingB64), gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("smtp: mail %s: recipient %q: %w", m.ID, m.To, err)
	}
	msg.Subject(oneLine(m.Subject))
	msg.SetMessageIDWithValue(id)
	date := m.CreatedAt
	if date.IsZero() {
		date = time.Now()
	}
	msg.SetDateWithValue(date.In(jst))
	msg.SetUserAgent("Renkei")
	// RFC 3834: an automatic message; out-of-office replies stay away.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	if m.Locale != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, m.Locale)
	}
	msg.SetBodyString(gomail.TypeTextPlain, crlf(m.Text))
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, crlf(m.HTML))
	}
	return msg, nil
}

// jst is Japan Standard Time for the Date header (Japan keeps no daylight
// saving time, so a fixed zone is exact and needs no tzdata).
var jst = time.FixedZone("JST", 9*60*60)

// oneLine folds line breaks and tabs in a header value into spaces.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' || r == '\t' }), " ")
}

// crlf puts text in MIME canonical form: CRLF line ends (RFC 2045 6.8,
// before base64).
func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}
