// Package access is who may call carefit: API keys with roles, stored as
// SHA-256 hashes and shown in full only once, and the audit log of reads of
// clinicians' private data. Package accessdb keeps both in Postgres.
//
// Keys are 32 random bytes, so a fast hash is safe at rest: there is no
// password to guess, and a lookup by hash costs one index probe.
package access

import (
	"time"

	"github.com/google/uuid"

	"carefit/internal/kit/errs"
	"carefit/internal/kit/textrule"
)

// Role is what a key may do.
type Role string

// The roles.
const (
	// Admin operates the service: every organization and profile, keys,
	// the audit log.
	Admin Role = "admin"
	// Recruiter manages one organization's positions and sees the
	// clinicians eligible for them.
	Recruiter Role = "recruiter"
	// Clinician edits one profile and browses open positions.
	Clinician Role = "clinician"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == Admin || r == Recruiter || r == Clinician }

// Sentinel errors of this package. Every error the package returns is an
// *errs.Error; errors.Is matches any error of the sentinel's kind from
// this package, whatever its message.
var (
	// ErrUnauthenticated means no key, an unknown key or a revoked key.
	ErrUnauthenticated = errs.E("access", errs.Unauthenticated, "the API key is unknown or revoked")
	// ErrInvalid means a key cannot be made as asked (bad role or scope),
	// or a filter value is not valid; the error names the field.
	ErrInvalid = errs.E("access", errs.Invalid, "the request is not valid")
	// ErrNotFound means no such key.
	ErrNotFound = errs.E("access", errs.NotFound, "no such key")
)

// Principal is the caller behind a request.
type Principal struct {
	KeyID     string `json:"key_id"`
	Role      Role   `json:"role"`
	OrgID     string `json:"org_id,omitempty"`
	ProfileID string `json:"profile_id,omitempty"`
}

// Key describes a stored key; the secret itself is never stored.
type Key struct {
	ID         string     `json:"id"`
	Prefix     string     `json:"prefix"`
	Role       Role       `json:"role"`
	OrgID      string     `json:"org_id,omitempty"`
	ProfileID  string     `json:"profile_id,omitempty"`
	Label      string     `json:"label"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// NewKey asks for a key.
type NewKey struct {
	Role      Role   `json:"role"`
	OrgID     string `json:"org_id,omitempty"`
	ProfileID string `json:"profile_id,omitempty"`
	Label     string `json:"label,omitempty"`
}

// Check validates a key request: a known role with the organization or
// profile it needs, and a label of at most 200 characters on one line
// without invisible formatting characters. It returns an Invalid
// *errs.Error (matching ErrInvalid) that names the field.
func (n NewKey) Check() error {
	bad := func(field, msg string) error { return errs.Invalidf("access.Check", field, "%s", msg) }
	if !n.Role.Valid() {
		return bad("role", "must be admin, recruiter or clinician")
	}
	// Postgres text cannot hold NUL, a label is one line, and a label
	// with U+202E can read as another one in the key list.
	if msg := textrule.Check(n.Label, 200, false, false); msg != "" {
		return bad("label", msg)
	}
	if n.Role == Recruiter {
		if _, err := uuid.Parse(n.OrgID); err != nil {
			return bad("org_id", "a recruiter key needs the UUID of its organization")
		}
	} else if n.OrgID != "" {
		return bad("org_id", "only recruiter keys belong to an organization")
	}
	if n.Role == Clinician {
		if _, err := uuid.Parse(n.ProfileID); err != nil {
			return bad("profile_id", "a clinician key needs the UUID of its profile")
		}
	} else if n.ProfileID != "" {
		return bad("profile_id", "only clinician keys belong to a profile")
	}
	return nil
}
