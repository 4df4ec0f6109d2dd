// Package smtptest runs a real SMTP server in the test process, built on
// github.com/emersion/go-smtp, and keeps every message it accepts, parsed
// for assertions: headers, the decoded subject, the decoded text and HTML
// bodies.
package smtptest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one accepted message.
type Message struct {
	From string   // MAIL FROM
	To   []string // RCPT TO
	Data []byte   // the message as received
	// Header is the parsed header; nil when the message did not parse.
	Header mail.Header
	// Subject is the Subject header, RFC 2047-decoded.
	Subject string
	// Text and HTML are the decoded text/plain and text/html bodies, found
	// at the top level or inside multipart/alternative or multipart/mixed.
	Text, HTML string
	// Err is why the message did not parse, if it did not.
	Err error
}

// Server is a running test SMTP server.
type Server struct {
	srv  *smtp.Server
	ln   net.Listener
	user string
	pass string

	mu       sync.Mutex
	msgs     []Message
	failNext int
	failed   int
}

// Option configures Start.
type Option func(*Server)

// WithAuth makes the server offer AUTH PLAIN and accept mail only from a
// client that authenticated as user with pass.
func WithAuth(user, pass string) Option {
	return func(s *Server) { s.user, s.pass = user, pass }
}

// Start listens on 127.0.0.1 on a free port and serves until the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{}
	for _, o := range opts {
		o(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s.ln = ln
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true // AUTH over plain TCP: it is loopback
	s.srv.EnableSMTPUTF8 = true
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.ReadTimeout = time.Minute
	s.srv.WriteTimeout = time.Minute
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.srv.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = s.srv.Close()
		// Close may run before Serve has registered the listener; closing
		// it here too ends Serve either way.
		_ = ln.Close()
		<-done
	})
	return s
}

// Addr is host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Host is the IP address the server listens on.
func (s *Server) Host() string { return s.ln.Addr().(*net.TCPAddr).IP.String() }

// Port is the port the server listens on.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Messages returns a copy of the messages accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// WaitFor polls until n messages have arrived or timeout passes, and
// returns what it has either way: assert on the count, not on the time.
func (s *Server) WaitFor(n int, timeout time.Duration) []Message {
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if len(msgs) >= n || time.Now().After(deadline) {
			return msgs
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// FailNext makes the next n DATA commands fail with 451, a temporary error
// after which a client should retry.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = n
}

// Rejected counts the DATA commands failed on purpose by FailNext.
func (s *Server) Rejected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

// session is one SMTP connection.
type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*session)(nil)

func (x *session) AuthMechanisms() []string {
	if x.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(mech string) (sasl.Server, error) {
	if x.s.user == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if (identity != "" && identity != user) || user != x.s.user || pass != x.s.pass {
			return smtp.ErrAuthFailed
		}
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.user != "" && !x.authed {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.failNext > 0 {
		x.s.failNext--
		x.s.failed++
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Temporary failure (smtptest.FailNext)"}
	}
	m := Parse(data)
	m.From, m.To = x.from, append([]string(nil), x.to...)
	x.s.msgs = append(x.s.msgs, m)
	return nil
}

func (x *session) Reset() { x.from, x.to = "", nil }

func (x *session) Logout() error { return nil }

// maxDepth bounds multipart nesting.
const maxDepth = 8

// Parse reads a message as the server does: header, decoded subject,
// decoded text and HTML bodies. It never panics; a message that does not
// parse has Err set and whatever could be read.
func Parse(data []byte) Message {
	m := Message{Data: data}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		m.Err = err
		return m
	}
	m.Header = msg.Header
	dec := mime.WordDecoder{}
	if subj, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		m.Err = fmt.Errorf("subject: %w", err)
		m.Subject = msg.Header.Get("Subject")
	} else {
		m.Subject = subj
	}
	if err := m.walk(msg.Header, msg.Body, 0); err != nil && m.Err == nil {
		m.Err = err
	}
	return m
}

// header is what walk needs of a header: mail.Header or a part's
// textproto.MIMEHeader.
type header interface{ Get(string) string }

// walk finds the text and HTML parts of a body with header h.
func (m *Message) walk(h header, body io.Reader, depth int) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain; charset=us-ascii"
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("content-type %q: %w", ct, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		if depth >= maxDepth {
			return errors.New("multipart nested too deep")
		}
		if params["boundary"] == "" {
			return fmt.Errorf("%s without boundary", mediaType)
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", mediaType, err)
			}
			if err := m.walk(p.Header, p, depth+1); err != nil {
				return err
			}
		}
	}
	if mediaType != "text/plain" && mediaType != "text/html" {
		return nil
	}
	if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "us-ascii" {
		return fmt.Errorf("charset %q is not supported (only UTF-8)", cs)
	}
	text, err := decodeBody(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return err
	}
	if mediaType == "text/plain" && m.Text == "" {
		m.Text = text
	} else if mediaType == "text/html" && m.HTML == "" {
		m.HTML = text
	}
	return nil
}

var newlines = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// decodeBody undoes a Content-Transfer-Encoding and normalizes line ends
// (CRLF and a lone CR) to \n.
func decodeBody(cte string, r io.Reader) (string, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "", "7bit", "8bit", "binary":
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r) // ignores line breaks
	default:
		return "", fmt.Errorf("content-transfer-encoding %q is not supported", cte)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return "", fmt.Errorf("body (%s): %w", cte, err)
	}
	return newlines.Replace(string(b)), nil
}
