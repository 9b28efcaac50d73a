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
	// Begin claims the key. When no finished request holds it, run is the
	// context to run the request under (its writes join the key's
	// transaction), commit records a successful answer together with
	// them, and abort rolls both back. When a finished request holds it,
	// run is nil and Lookup has the answer. A retry while the first request
	// runs waits for it, then answers Conflict.
	Begin(ctx context.Context, keyID, idemKey, route string, hash []byte) (run context.Context,
		commit func(ctx context.Context, status int, body []byte, headers map[string]string) error, abort func(), err error)
	// Lookup returns a finished request's hash and answer; found is false
	// when there is none.
	Lookup(ctx context.Context, keyID, idemKey string) (hash []byte, status int, body []byte, headers map[string]string, found bool, err error)
}

// replayBodyKey is the context key under which a handler may give the
// body to store for replays instead of the one it answered, when that
// answer holds something that must be shown once and never stored (a new
// key's secret).
const replayBodyKey = "carefit.replay_body"

// replayedHeaders are the response headers a replay repeats.
var replayedHeaders = []string{echo.HeaderContentType, echo.HeaderLocation, "ETag", echo.HeaderCacheControl}

// idempotent makes a POST with an Idempotency-Key safe to retry. The
// request runs in one transaction with the key's record: its writes and
// its answer commit together, and only then is the answer sent, so a
// client never holds an answer for a write that was not kept. A retry of
// the same request gets the stored answer; the same key with a different
// body gets 422. A failure, a crash or a lost connection rolls back both
// the writes and the record, so the key is free for a retry and no retry
// creates a second record.
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

		run, commit, abort, err := s.idem.Begin(ctx, p.KeyID, idemKey, route, sum[:])
		if err != nil {
			return err
		}
		if run == nil {
			return s.replay(c, p.KeyID, idemKey, sum[:])
		}
		defer abort() // a no-op once committed; rolls back on a panic
		return s.runHeld(c, next, run, commit)
	}
}

// runHeld runs the request under run with its answer held back, commits
// a successful answer with the request's writes, and only then sends it.
func (s *Server) runHeld(c echo.Context, next echo.HandlerFunc, run context.Context,
	commit func(ctx context.Context, status int, body []byte, headers map[string]string) error) error {
	req, res := c.Request(), c.Response()
	c.SetRequest(req.WithContext(run))
	defer c.SetRequest(req)
	held := &heldWriter{header: res.Writer.Header()}
	real := res.Writer
	res.Writer = held
	herr := next(c)
	if herr != nil {
		c.Error(herr) // write the problem now, so the status is known
	}
	res.Writer = real
	if held.status < 200 || held.status > 299 {
		return held.flush(real) // abort (deferred) rolls the writes back
	}
	hdr := map[string]string{}
	for _, h := range replayedHeaders {
		if v := res.Header().Get(h); v != "" {
			hdr[h] = v
		}
	}
	stored := held.buf.Bytes()
	if b, ok := c.Get(replayBodyKey).([]byte); ok {
		stored = b
	}
	// A detached context: the outcome must be recorded even if the client
	// went away, since it may retry.
	dctx, cancel := context.WithTimeout(context.WithoutCancel(req.Context()), 5*time.Second)
	defer cancel()
	if err := commit(dctx, held.status, stored, hdr); err != nil {
		// Nothing was kept: take back the success and say why.
		for _, h := range []string{echo.HeaderContentType, echo.HeaderLocation, "ETag", echo.HeaderCacheControl} {
			res.Header().Del(h)
		}
		res.Committed, res.Status, res.Size = false, 0, 0
		return err
	}
	s.changed(c) // the writes are visible only now: wake the followers again
	return held.flush(real)
}

func (s *Server) replay(c echo.Context, keyID, idemKey string, sum []byte) error {
	hash, status, body, headers, ok, err := s.idem.Lookup(c.Request().Context(), keyID, idemKey)
	if err != nil {
		return err
	}
	if !ok {
		return fail(errs.Conflict, "the answer to this Idempotency-Key has expired: use a new key")
	}
	if !bytes.Equal(hash, sum) {
		return unprocessable("this Idempotency-Key was used for a different request",
			FieldError{Path: "Idempotency-Key", Message: "reused with a different request; use a new key"})
	}
	for k, v := range headers {
		c.Response().Header().Set(k, v)
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	c.Response().WriteHeader(status)
	_, err = c.Response().Write(body)
	return err
}

// heldWriter holds a response (status and body; the header map is the
// real one) until flush sends it.
type heldWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (h *heldWriter) Header() http.Header { return h.header }

func (h *heldWriter) WriteHeader(status int) {
	if h.status == 0 {
		h.status = status
	}
}

func (h *heldWriter) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	return h.buf.Write(b)
}

// flush sends the held response to w.
func (h *heldWriter) flush(w http.ResponseWriter) error {
	if h.status == 0 {
		h.status = http.StatusNoContent
	}
	w.WriteHeader(h.status)
	_, err := w.Write(h.buf.Bytes())
	return err
}
