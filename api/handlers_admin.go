package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"carefit/access"
	"carefit/candidates"
	"carefit/jobs"
)

// me describes the caller: a clinician's profile, a recruiter's
// organization, or an admin's key.
func (s *Server) me(c echo.Context) error {
	p := principal(c)
	out := map[string]any{"key_id": p.KeyID, "role": p.Role}
	ctx := c.Request().Context()
	switch p.Role {
	case access.Clinician:
		prof, err := s.cands.GetProfile(ctx, p.ProfileID)
		if err != nil {
			return err
		}
		out["profile"] = prof
	case access.Recruiter:
		org, err := s.jobs.GetOrganization(ctx, p.OrgID, jobs.Scope{OrgID: p.OrgID})
		if err != nil {
			return err
		}
		out["organization"] = org
	}
	return c.JSON(http.StatusOK, out)
}

// createdKey is the answer to POST /v1/keys: the secret is shown once.
type createdKey struct {
	Key    access.Key `json:"key"`
	Secret string     `json:"secret,omitempty"`
	// SecretWithheld says, in a replay, why the secret is not there.
	SecretWithheld string `json:"secret_withheld,omitempty"`
}

// secretWithheld is what a replayed key creation says instead of the secret.
const secretWithheld = "the secret was shown once, in the first answer, and is not stored: revoke this key and create another if that answer was lost"

func (s *Server) createKey(c echo.Context) error {
	var req access.NewKey
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.Check(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	// The organization or profile must exist; an unknown one is a field error.
	switch req.Role {
	case access.Recruiter:
		if _, err := s.jobs.GetOrganization(ctx, req.OrgID, jobs.Scope{}); errors.Is(err, jobs.ErrNotFound) {
			return unprocessable("no such organization", FieldError{Path: "org_id", Message: "no organization has this ID"})
		} else if err != nil {
			return err
		}
	case access.Clinician:
		if _, err := s.cands.GetProfile(ctx, req.ProfileID); errors.Is(err, candidates.ErrNotFound) {
			return unprocessable("no such profile", FieldError{Path: "profile_id", Message: "no profile has this ID"})
		} else if err != nil {
			return err
		}
	}
	k, secret, err := s.keys.Create(ctx, req)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/keys/"+k.ID)
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	// What an Idempotency-Key replay answers: the key without its secret.
	if replay, err := json.Marshal(createdKey{Key: k, SecretWithheld: secretWithheld}); err == nil {
		c.Set(replayBodyKey, replay)
	}
	return c.JSON(http.StatusCreated, createdKey{Key: k, Secret: secret})
}

func (s *Server) listKeys(c echo.Context) error {
	keys, err := s.keys.List(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": keys})
}

func (s *Server) revokeKey(c echo.Context) error {
	if err := s.keys.Revoke(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) listAudit(c echo.Context) error {
	if err := queryParams(c, "subject_id", "key_id", "before", "limit"); err != nil {
		return err
	}
	limit, err := intParam(c, "limit")
	if err != nil {
		return err
	}
	// IDs are checked here so that a malformed one is a 400 naming the
	// parameter, like every other bad query parameter.
	for _, name := range []string{"subject_id", "key_id"} {
		if v := c.QueryParam(name); v != "" {
			if _, err := uuid.Parse(v); err != nil || len(v) != 36 {
				return malformed("a query parameter is not valid",
					FieldError{Path: name, Message: "must be a UUID like 123e4567-e89b-12d3-a456-426614174000"})
			}
		}
	}
	var before int64
	if b := c.QueryParam("before"); b != "" {
		if before, err = strconv.ParseInt(b, 10, 64); err != nil || before < 1 {
			return malformed("before is an audit entry ID", FieldError{Path: "before", Message: "must be a positive whole number"})
		}
	}
	entries, err := s.keys.Audit(c.Request().Context(), access.AuditFilter{SubjectID: c.QueryParam("subject_id"),
		KeyID: c.QueryParam("key_id"), Before: before, Limit: limit})
	if err != nil {
		return err
	}
	next := ""
	if limit == 0 {
		limit = 100
	}
	if len(entries) == limit {
		next = strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": entries, "next_before": next})
}

// changed wakes the search sync after a committed change to positions or
// profiles; the outbox row written in the change's transaction is the
// record, so a lost wake-up only delays indexing until the periodic sweep.
func (s *Server) changed(c echo.Context) {
	if s.onWrite != nil {
		s.onWrite(c.Request().Context())
	}
}
