package api

import (
	"bytes"
	"carefit/internal/kit/errs"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"
)

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

		tag, err := s.pool.Exec(ctx, `INSERT INTO idempotency_keys (key_id, idem_key, route, request_hash, status, body)
			VALUES ($1, $2, $3, $4, 0, '') ON CONFLICT DO NOTHING`, p.KeyID, idemKey, route, sum[:])
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
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
			hb, _ := json.Marshal(hdr)
			_, err = s.pool.Exec(dctx, `UPDATE idempotency_keys SET status = $3, body = $4, headers = $5
				WHERE key_id = $1 AND idem_key = $2`, p.KeyID, idemKey, status, rec.buf.Bytes(), hb)
		} else {
			_, err = s.pool.Exec(dctx, `DELETE FROM idempotency_keys WHERE key_id = $1 AND idem_key = $2`, p.KeyID, idemKey)
		}
		if err != nil {
			s.log.ErrorContext(ctx, "recording idempotent response", "err", err)
		}
		return nil
	}
}

func (s *Server) replay(c echo.Context, keyID, idemKey string, sum []byte) error {
	var (
		hash    []byte
		status  int
		body    []byte
		headers map[string]string
	)
	err := s.pool.QueryRow(c.Request().Context(), `SELECT request_hash, status, body, headers FROM idempotency_keys
		WHERE key_id = $1 AND idem_key = $2`, keyID, idemKey).Scan(&hash, &status, &body, &headers)
	if errors.Is(err, pgx.ErrNoRows) {
		return fail(errs.Conflict, "the first request with this Idempotency-Key just failed: retry")
	}
	if err != nil {
		return err
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
