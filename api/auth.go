package api

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/labstack/echo/v4"

	"carefit/access"
	"carefit/internal/kit/errs"
	"carefit/internal/platform/logging"
)

const principalKey = "carefit.principal"

// authenticate resolves the bearer API key into a principal. Requests
// without a valid key get 401 before any handler runs.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || secret == "" {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="carefit"`)
			return fail(errs.Unauthenticated, "send an API key as Authorization: Bearer <key>")
		}
		if err := s.useKey(c, secret); err != nil {
			if errs.KindOf(err) == errs.Unauthenticated {
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="carefit", error="invalid_token"`)
			}
			return err
		}
		return next(c)
	}
}

// useKey resolves an API key's secret into the request's principal: the
// API's bearer keys and the pages' signed-in cookie go through it alike.
// An unknown or revoked key is an Unauthenticated error.
func (s *Server) useKey(c echo.Context, secret string) error {
	p, err := s.keys.Authenticate(c.Request().Context(), strings.TrimSpace(secret))
	if errors.Is(err, access.ErrUnauthenticated) {
		return fail(errs.Unauthenticated, "the API key is unknown or revoked")
	}
	if err != nil {
		return err
	}
	c.Set(principalKey, p)
	req := c.Request()
	// The caller also travels in the context, for the stores that keep
	// a record of who acted (the consent record).
	ctx := access.NewContext(req.Context(), p)
	c.SetRequest(req.WithContext(logging.WithAttrs(ctx, slog.String("key_id", p.KeyID), slog.String("role", string(p.Role)))))
	return nil
}

// allow lets only the given roles through; others get 403.
func allow(roles ...access.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := principal(c)
			for _, r := range roles {
				if p.Role == r {
					return next(c)
				}
			}
			return fail(errs.Forbidden, "this API key's role may not use this route")
		}
	}
}

// principal is the authenticated caller.
func principal(c echo.Context) access.Principal {
	p, _ := c.Get(principalKey).(access.Principal)
	return p
}
