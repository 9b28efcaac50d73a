// Package accessdb is the Postgres store of package access: API keys,
// kept as SHA-256 hashes of their secrets, and the audit log.
package accessdb

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

	"carefit/access"
	"carefit/internal/kit/errs"
	"carefit/internal/platform/pg"
)

// keyPrefix starts every secret: anything else is no key and costs no
// lookup.
const keyPrefix = "cf_"

// hash is what the table keeps of a secret. Keys are 32 random bytes, so
// a fast hash is safe at rest (see package access).
func hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// Store keeps keys and the audit log in Postgres.
type Store struct {
	DB  pg.DBTX
	Now func() time.Time
}

// Create makes a key and returns its record and the secret, which is
// shown this once and never stored. The caller checks that the
// organization or profile exists. It returns the error of NewKey.Check,
// or an *errs.Error for a database failure.
func (s *Store) Create(ctx context.Context, n access.NewKey) (access.Key, string, error) {
	if err := n.Check(); err != nil {
		return access.Key{}, "", err
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return access.Key{}, "", errs.Internalf("access.Create", err)
	}
	secret := keyPrefix + base64.RawURLEncoding.EncodeToString(buf)
	k := access.Key{ID: uuid.NewString(), Prefix: secret[:11], Role: n.Role, OrgID: n.OrgID, ProfileID: n.ProfileID,
		Label: n.Label, CreatedAt: s.Now().UTC().Truncate(time.Microsecond)}
	_, err := s.DB.Exec(ctx, `INSERT INTO api_keys (id, prefix, hash, role, org_id, profile_id, label, created_at)
		VALUES ($1, $2, $3, $4, NULLIF($5, '')::uuid, NULLIF($6, '')::uuid, $7, $8)`,
		k.ID, k.Prefix, hash(secret), k.Role, k.OrgID, k.ProfileID, k.Label, k.CreatedAt)
	if err != nil {
		return access.Key{}, "", pg.Classify("access.Create", err)
	}
	return k, secret, nil
}

// Authenticate returns the principal of a secret in one round trip,
// stamping the key's last use at most once a minute. It returns
// access.ErrUnauthenticated for an unknown or revoked key, or an
// *errs.Error for a database failure (Unavailable when the database
// cannot be reached).
func (s *Store) Authenticate(ctx context.Context, secret string) (access.Principal, error) {
	if !strings.HasPrefix(secret, keyPrefix) || len(secret) > 100 {
		return access.Principal{}, access.ErrUnauthenticated
	}
	var p access.Principal
	var org, prof *string
	// One round trip: the UPDATE stamps last_used_at unless the key was
	// used in the last minute, and the SELECT reads the key either way
	// (it sees the row as it was before the UPDATE, whose columns it does
	// not read).
	err := s.DB.QueryRow(ctx, `WITH touched AS (
			UPDATE api_keys SET last_used_at = $2
			WHERE hash = $1 AND revoked_at IS NULL
			  AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')
			RETURNING id)
		SELECT id, role, org_id::text, profile_id::text FROM api_keys
		WHERE hash = $1 AND revoked_at IS NULL`, hash(secret), s.Now()).Scan(&p.KeyID, &p.Role, &org, &prof)
	if errors.Is(err, pgx.ErrNoRows) {
		return access.Principal{}, access.ErrUnauthenticated
	}
	if err != nil {
		return access.Principal{}, pg.Classify("access.Authenticate", err)
	}
	if org != nil {
		p.OrgID = *org
	}
	if prof != nil {
		p.ProfileID = *prof
	}
	return p, nil
}

// Revoke disables a key at once. It returns access.ErrNotFound for an
// unknown or already revoked key, or an *errs.Error for a database failure.
func (s *Store) Revoke(ctx context.Context, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return access.ErrNotFound
	}
	tag, err := s.DB.Exec(ctx, `UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, id, s.Now())
	if err != nil {
		return pg.Classify("access.Revoke", err)
	}
	if tag.RowsAffected() == 0 {
		return access.ErrNotFound
	}
	return nil
}

// List returns every key, newest first (at most 1,000). It returns an
// *errs.Error for a database failure.
func (s *Store) List(ctx context.Context) ([]access.Key, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, prefix, role, coalesce(org_id::text, ''), coalesce(profile_id::text, ''),
		label, created_at, revoked_at, last_used_at FROM api_keys ORDER BY created_at DESC LIMIT 1000`)
	if err != nil {
		return nil, pg.Classify("access.List", err)
	}
	keys, err := pgx.CollectRows(rows, scanKey)
	if err != nil {
		return nil, pg.Classify("access.List", err)
	}
	return keys, nil
}

// scanKey reads a key selected as List selects it.
func scanKey(r pgx.CollectableRow) (access.Key, error) {
	var k access.Key
	err := r.Scan(&k.ID, &k.Prefix, &k.Role, &k.OrgID, &k.ProfileID, &k.Label, &k.CreatedAt, &k.RevokedAt, &k.LastUsedAt)
	return k, err
}
