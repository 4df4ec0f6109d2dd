package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/renkei/renkei"
)

// Cookie names. With secure cookies the session cookie takes the __Host-
// prefix, which browsers accept only with Secure, Path=/ and no Domain.
const (
	sessionCookieName       = "renkei_session"
	secureSessionCookieName = "__Host-renkei_session"
	langCookie              = "renkei_lang"
	csrfHeader              = "X-CSRF-Token"
	csrfField               = "csrf_token"
)

// authState is who made the request, as far as the credentials tell.
type authState struct {
	Actor    *renkei.Actor   // nil when anonymous or halfway through TOTP
	User     *renkei.User    // set with a session
	Session  *renkei.Session // set with a session cookie, also MFA-pending
	ViaToken bool            // Authorization: Bearer
	// Expired is set when a session cookie came but named no live session.
	Expired bool
	// BadToken holds the error of a bearer token that did not check out.
	BadToken error
}

type authKey struct{}

func authOf(r *http.Request) *authState {
	if a, ok := r.Context().Value(authKey{}).(*authState); ok {
		return a
	}
	return &authState{}
}

func (s *Server) sessionCookieName() string {
	if s.cfg.SecureCookies {
		return secureSessionCookieName
	}
	return sessionCookieName
}

// authenticate resolves the bearer token or session cookie into an actor,
// and enforces CSRF protection on state-changing browser requests.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &authState{}
		ctx := r.Context()
		ip := clientIP(r)
		if h := r.Header.Get("Authorization"); h != "" {
			st.ViaToken = true
			// The scheme name is case-insensitive (RFC 9110 §11.1).
			scheme, bearer, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				st.BadToken = renkei.Errorf(renkei.EUNAUTHORIZED, "error.bad_token")
			} else if act, err := s.cfg.Accounts.ActorForToken(ctx, strings.TrimSpace(bearer), ip); err != nil {
				st.BadToken = err
			} else {
				st.Actor = act
			}
		} else if c, err := r.Cookie(s.sessionCookieName()); err == nil && c.Value != "" {
			sess, err := s.cfg.Accounts.SessionFor(ctx, c.Value)
			switch {
			case err != nil && renkei.ErrorCode(err) != renkei.EUNAUTHORIZED:
				s.fail(w, r, err)
				return
			case err != nil:
				st.Expired = true
				s.clearSessionCookie(w)
			default:
				st.Session = sess
				if !sess.MFAPending {
					act, u, err := s.cfg.Accounts.ActorForSession(ctx, sess, ip)
					if err != nil {
						st.Expired, st.Session = true, nil
						s.clearSessionCookie(w)
					} else {
						st.Actor, st.User = act, u
					}
				}
			}
		}
		if st.Actor != nil {
			ctx = renkei.WithActor(ctx, st.Actor)
		}
		r = r.WithContext(context.WithValue(ctx, authKey{}, st))
		if !st.ViaToken && unsafeMethod(r.Method) && !s.csrfOK(r, st) {
			s.fail(w, r, renkei.Errorf(renkei.EFORBIDDEN, "error.csrf"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

var crossOrigin = http.NewCrossOriginProtection()

// csrfOK checks a browser's state-changing request: it must come from our
// own origin (Sec-Fetch-Site / Origin), and, with a session, carry the
// session's CSRF token in the X-CSRF-Token header or the csrf_token field.
func (s *Server) csrfOK(r *http.Request, st *authState) bool {
	if err := crossOrigin.Check(r); err != nil {
		return false
	}
	if st.Session == nil {
		return true // sign-in forms: the origin check is the protection
	}
	got := r.Header.Get(csrfHeader)
	if got == "" {
		// Forms: read the field without consuming more than the body limit;
		// a file upload (multipart) may be as large as an upload may be, and
		// its files past 32 MiB are spooled to disk by ParseMultipartForm.
		limit := s.cfg.MaxBodyBytes
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			limit = MaxUploadBytes
		}
		r.Body = http.MaxBytesReader(nil, r.Body, limit)
		got = r.PostFormValue(csrfField)
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(st.Session.CSRFToken)) == 1 && got != ""
}

// MaxUploadBytes bounds a file sent from a page or to an upload endpoint.
const MaxUploadBytes = 64 << 20

// setSessionCookie hands the browser a new session secret.
func (s *Server) setSessionCookie(w http.ResponseWriter, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: s.sessionCookieName(), Value: secret, Path: "/",
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
		MaxAge: int(renkei.SessionAbsoluteTimeout / time.Second),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: s.sessionCookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// loginLimiter bounds sign-in attempts per client address on this
// replica: a burst of 10, refilled at one every 6 seconds. Per-account
// lockout, shared by all replicas, lives in the database.
type loginLimiter struct {
	mu      sync.Mutex
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

const (
	loginBurst      = 10
	loginRefillRate = 1.0 / 6 // tokens per second
)

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, buckets: map[string]*bucket{}}
}

// allow takes one attempt for key and reports whether it may proceed.
func (l *loginLimiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.buckets) > 100000 { // bound memory under a flood of addresses
		l.buckets = map[string]*bucket{}
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: loginBurst, at: now}
		l.buckets[key] = b
	}
	b.tokens += now.Sub(b.at).Seconds() * loginRefillRate
	if b.tokens > loginBurst {
		b.tokens = loginBurst
	}
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
