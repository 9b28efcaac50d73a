package api

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"carefit/access"
	"carefit/internal/kit/errs"
)

// The pages' session. A signed-in browser holds the API key it was given,
// pasted once, in an HttpOnly, SameSite=Strict cookie (Secure over TLS), so
// each page request authenticates exactly as an API request does
// (useKey) and revoking the key signs every browser holding it out.
//
// Every form carries a CSRF token. A signed-in form's token is an HMAC of
// a fixed label keyed by the API key itself: only a page rendered for this
// key can know it, and no server state or shared secret is needed across
// processes. The sign-in form, before there is a key, uses a random token
// also set as a cookie (double submit).

const (
	sessionCookie = "carefit_session"
	signinCookie  = "carefit_signin"
	csrfField     = "csrf"
	csrfKey       = "carefit.csrf"
	csrfLabel     = "carefit pages csrf v1"
)

// csrfToken is the CSRF token of the forms rendered for a key.
func csrfToken(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(csrfLabel))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sameToken compares tokens in constant time; an empty one never matches.
func sameToken(a, b string) bool {
	return a != "" && b != "" && hmac.Equal([]byte(a), []byte(b))
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// setCookie writes a cookie the page scripts cannot read and no other
// site's request carries; Secure when the request came over TLS (directly
// or through a trusted proxy), so it is never sent in clear afterwards.
func setCookie(c echo.Context, name, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: c.Scheme() == "https"})
}

// errCSRF refuses a form posted without the token of the page that
// rendered it.
var errCSRF = errs.E("api.pages", errs.Forbidden,
	"This form was not sent from a page carefit rendered for you (its security token is missing or stale). Reload the page and try again.")

// signedIn authenticates a page request from the session cookie. Without
// a valid key it sends the browser to the sign-in page (clearing a stale
// cookie); a POST must also carry the session's CSRF token.
func (s *Server) signedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(sessionCookie)
		if err != nil || ck.Value == "" {
			return c.Redirect(http.StatusSeeOther, "/")
		}
		if err := s.useKey(c, ck.Value); err != nil {
			if errs.KindOf(err) != errs.Unauthenticated {
				return err
			}
			setCookie(c, sessionCookie, "", -1)
			return c.Redirect(http.StatusSeeOther, "/?expired=1")
		}
		token := csrfToken(ck.Value)
		c.Set(csrfKey, token)
		if c.Request().Method == http.MethodPost && !sameToken(c.FormValue(csrfField), token) {
			return errCSRF
		}
		return next(c)
	}
}

// only lets the given roles see a page; others get a 403 page.
func only(roles ...access.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			for _, r := range roles {
				if principal(c).Role == r {
					return next(c)
				}
			}
			return fail(errs.Forbidden, "This page is not for your role. Use the links at the top of the page.")
		}
	}
}

// homeOf is where each role lands after signing in.
func homeOf(r access.Role) string {
	switch r {
	case access.Recruiter:
		return "/positions"
	case access.Clinician:
		return "/roles"
	default:
		return "/runs"
	}
}

// signinPage shows the sign-in form, or sends a signed-in browser home.
func (s *Server) signinPage(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if s.useKey(c, ck.Value) == nil {
			return c.Redirect(http.StatusSeeOther, homeOf(principal(c).Role))
		}
	}
	return s.renderSignin(c, http.StatusOK, "")
}

func (s *Server) renderSignin(c echo.Context, status int, problem string) error {
	token := randomToken()
	setCookie(c, signinCookie, token, 3600)
	c.Set(csrfKey, token)
	msg := problem
	if msg == "" && c.QueryParam("expired") != "" {
		msg = "Your key is no longer valid: paste a current one."
	}
	return s.render(c, status, "signin", "Sign in", map[string]string{"Problem": msg})
}

// signin checks the pasted key and keeps it in the session cookie.
func (s *Server) signin(c echo.Context) error {
	ck, err := c.Cookie(signinCookie)
	if err != nil || !sameToken(c.FormValue(csrfField), ck.Value) {
		return errCSRF
	}
	secret := strings.TrimSpace(c.FormValue("key"))
	if secret == "" {
		return s.renderSignin(c, http.StatusUnprocessableEntity, "Paste your API key.")
	}
	if err := s.useKey(c, secret); err != nil {
		if errs.KindOf(err) != errs.Unauthenticated {
			return err
		}
		return s.renderSignin(c, http.StatusUnauthorized, "That key is unknown or revoked.")
	}
	setCookie(c, signinCookie, "", -1)
	setCookie(c, sessionCookie, secret, 0)
	return c.Redirect(http.StatusSeeOther, homeOf(principal(c).Role))
}

// signout forgets the key in this browser (signedIn checked the token).
func (s *Server) signout(c echo.Context) error {
	setCookie(c, sessionCookie, "", -1)
	return c.Redirect(http.StatusSeeOther, "/")
}
