package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"carefit/internal/kit/errs"
)

// Idempotency stores the answers of POSTs sent with an Idempotency-Key
// (idemstore.Store).
type Idempotency interface {
	// Reserve claims the key and reports whether this call did.
	Reserve(ctx context.Context, keyID, idemKey, route string, hash []byte) (bool, error)
	// Lookup returns the stored request's hash and answer (status 0
	// while it runs); found is false when it was released.
	Lookup(ctx context.Context, keyID, idemKey string) (hash []byte, status int, body []byte, headers map[string]string, found bool, err error)
	Complete(ctx context.Context, keyID, idemKey string, status int, body []byte, headers map[string]string) error
	Release(ctx context.Context, keyID, idemKey string) error
}

// replayBodyKey is the context key under which a handler may give the
// body to store for replays instead of the one it answered, when that
// answer holds something that must be shown once and never stored (a new
// key's secret).
const replayBodyKey = "carefit.replay_body"

// replayedHeaders are the response headers a replay repeats.
var replayedHeaders = []string{echo.HeaderContentType, echo.HeaderLocation, "ETag", echo.HeaderCacheControl}

// idempotent makes a POST with an Idempotency-Key safe to retry: the first
// request reserves the key (per API key), a successful answer is stored
// and replayed for retries of the same request, a retry while the first is
// still running gets 409, and the same key with a different body gets 422.
// Failed requests release the key so the client can retry.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		idemKey := c.Request().Header.Get("Idempotency-Key")
		if idemKey == "" {
			return next(c)
		}
		if len(idemKey) > 200 {
			return malformed("Idempotency-Key is too long", FieldError{Path: "Idempotency-Key", Message: "at most 200 characters"})
		}
		body, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return err // BodyLimit's 413
		}
		c.Request().Body = io.NopCloser(bytes.NewReader(body))
		route := c.Request().Method + " " + c.Path() + " " + c.Request().URL.Path
		sum := sha256.Sum256(append([]byte(route+"\n"), body...))
		p := principal(c)
		ctx := c.Request().Context()

		reserved, err := s.idem.Reserve(ctx, p.KeyID, idemKey, route, sum[:])
		if err != nil {
			return err
		}
		if !reserved {
			return s.replay(c, p.KeyID, idemKey, sum[:])
		}

		rec := &recorder{ResponseWriter: c.Response().Writer}
		c.Response().Writer = rec
		herr := next(c)
		if herr != nil {
			c.Error(herr) // write the problem now, so the status is known
		}
		status := c.Response().Status
		// A detached context: the outcome must be recorded even if the
		// client went away.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if status >= 200 && status < 300 {
			hdr := map[string]string{}
			for _, h := range replayedHeaders {
				if v := c.Response().Header().Get(h); v != "" {
					hdr[h] = v
				}
			}
			stored := rec.buf.Bytes()
			if b, ok := c.Get(replayBodyKey).([]byte); ok {
				stored = b
			}
			err = s.idem.Complete(dctx, p.KeyID, idemKey, status, stored, hdr)
		} else {
			err = s.idem.Release(dctx, p.KeyID, idemKey)
		}
		if err != nil {
			s.log.ErrorContext(ctx, "recording idempotent response", "err", err)
		}
		return nil
	}
}

func (s *Server) replay(c echo.Context, keyID, idemKey string, sum []byte) error {
	hash, status, body, headers, ok, err := s.idem.Lookup(c.Request().Context(), keyID, idemKey)
	if err != nil {
		return err
	}
	if !ok {
		return fail(errs.Conflict, "the first request with this Idempotency-Key just failed: retry")
	}
	if !bytes.Equal(hash, sum) {
		return unprocessable("this Idempotency-Key was used for a different request",
			FieldError{Path: "Idempotency-Key", Message: "reused with a different request; use a new key"})
	}
	if status == 0 {
		return fail(errs.Conflict, "a request with this Idempotency-Key is still running: retry shortly")
	}
	for k, v := range headers {
		c.Response().Header().Set(k, v)
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	c.Response().WriteHeader(status)
	_, err = c.Response().Write(body)
	return err
}

// recorder keeps a copy of the body written through it.
type recorder struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}
