// Package access is who may call carefit: API keys with roles, stored as
// SHA-256 hashes and shown in full only once, and the audit log of reads of
// clinicians' private data.
//
// Keys are 32 random bytes, so a fast hash is safe at rest: there is no
// password to guess, and a lookup by hash costs one index probe.
package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"carefit/internal/kit/errs"
	"carefit/internal/kit/textrule"
	"carefit/internal/platform/pg"
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

const keyPrefix = "cf_"

func hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// Store keeps keys and the audit log in Postgres.
type Store struct {
	DB  pg.DBTX
	Now func() time.Time
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

// Create makes a key and returns its record and the secret, which is
// shown this once and never stored. The caller checks that the
// organization or profile exists. It returns the error of Check, or an
// *errs.Error for a database failure.
func (s *Store) Create(ctx context.Context, n NewKey) (Key, string, error) {
	if err := n.Check(); err != nil {
		return Key{}, "", err
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return Key{}, "", errs.Internalf("access.Create", err)
	}
	secret := keyPrefix + base64.RawURLEncoding.EncodeToString(buf)
	k := Key{ID: uuid.NewString(), Prefix: secret[:11], Role: n.Role, OrgID: n.OrgID, ProfileID: n.ProfileID,
		Label: n.Label, CreatedAt: s.Now().UTC().Truncate(time.Microsecond)}
	_, err := s.DB.Exec(ctx, `INSERT INTO api_keys (id, prefix, hash, role, org_id, profile_id, label, created_at)
		VALUES ($1, $2, $3, $4, NULLIF($5, '')::uuid, NULLIF($6, '')::uuid, $7, $8)`,
		k.ID, k.Prefix, hash(secret), k.Role, k.OrgID, k.ProfileID, k.Label, k.CreatedAt)
	if err != nil {
		return Key{}, "", pg.Classify("access.Create", err)
	}
	return k, secret, nil
}

// Authenticate returns the principal of a secret. It returns
// ErrUnauthenticated for an unknown or revoked key, or an *errs.Error for a
// database failure (Unavailable when the database cannot be reached).
func (s *Store) Authenticate(ctx context.Context, secret string) (Principal, error) {
	if !strings.HasPrefix(secret, keyPrefix) || len(secret) > 100 {
		return Principal{}, ErrUnauthenticated
	}
	var p Principal
	var org, prof *string
	err := s.DB.QueryRow(ctx, `UPDATE api_keys SET last_used_at = $2
		WHERE hash = $1 AND revoked_at IS NULL
		  AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')
		RETURNING id, role, org_id::text, profile_id::text`, hash(secret), s.Now()).Scan(&p.KeyID, &p.Role, &org, &prof)
	if errors.Is(err, pgx.ErrNoRows) {
		// Recently used keys are not rewritten; read them instead.
		err = s.DB.QueryRow(ctx, `SELECT id, role, org_id::text, profile_id::text FROM api_keys
			WHERE hash = $1 AND revoked_at IS NULL`, hash(secret)).Scan(&p.KeyID, &p.Role, &org, &prof)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return Principal{}, ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, pg.Classify("access.Authenticate", err)
	}
	if org != nil {
		p.OrgID = *org
	}
	if prof != nil {
		p.ProfileID = *prof
	}
	return p, nil
}

// Revoke disables a key at once. It returns ErrNotFound for an unknown or
// already revoked key, or an *errs.Error for a database failure.
func (s *Store) Revoke(ctx context.Context, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return ErrNotFound
	}
	tag, err := s.DB.Exec(ctx, `UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, id, s.Now())
	if err != nil {
		return pg.Classify("access.Revoke", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// List returns every key, newest first (at most 1,000). It returns an
// *errs.Error for a database failure.
func (s *Store) List(ctx context.Context) ([]Key, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, prefix, role, coalesce(org_id::text, ''), coalesce(profile_id::text, ''),
		label, created_at, revoked_at, last_used_at FROM api_keys ORDER BY created_at DESC LIMIT 1000`)
	if err != nil {
		return nil, pg.Classify("access.List", err)
	}
	keys, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Key, error) {
		var k Key
		err := r.Scan(&k.ID, &k.Prefix, &k.Role, &k.OrgID, &k.ProfileID, &k.Label, &k.CreatedAt, &k.RevokedAt, &k.LastUsedAt)
		return k, err
	})
	if err != nil {
		return nil, pg.Classify("access.List", err)
	}
	return keys, nil
}
