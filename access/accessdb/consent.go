package accessdb

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/access"
	"carefit/internal/kit/check"
	"carefit/internal/platform/pg"
)

// The consent record (table consent_events) keeps every change of a
// clinician's consent with its time and the API key that made it. It is
// written by the stores that make the changes, in their own transactions
// (candidatesdb for visible_to_recruiters, introdb for blocks and
// introductions), through the two functions below, so no change commits
// without its entry; this package owns the table and reads it.

// RecordConsent appends events to the consent record on db, which should
// be the transaction making the changes. Empty IDs are stored as NULL. It
// returns the database's error.
func RecordConsent(ctx context.Context, db pg.DBTX, events ...access.ConsentEvent) error {
	if len(events) == 0 {
		return nil
	}
	n := len(events)
	profiles, kinds := make([]string, n), make([]string, n)
	ats := make([]time.Time, n)
	keys, orgs, positions, intros := make([]*string, n), make([]*string, n), make([]*string, n), make([]*string, n)
	for i, e := range events {
		profiles[i], kinds[i], ats[i] = e.ProfileID, string(e.Kind), e.At
		keys[i], orgs[i], positions[i], intros[i] = idOrNil(e.KeyID), idOrNil(e.OrgID), idOrNil(e.PositionID), idOrNil(e.IntroductionID)
	}
	_, err := db.Exec(ctx, `INSERT INTO consent_events (profile_id, at, kind, key_id, org_id, position_id, introduction_id)
		SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[])`,
		profiles, ats, kinds, keys, orgs, positions, intros)
	return err
}

func idOrNil(id string) *string {
	if !check.UUID(id) {
		return nil
	}
	return &id
}

// RecordVisibility appends to the consent record, on db, the current
// visible_to_recruiters of each profile in ids, at its consent_updated_at,
// made by key ("" for none). With created, the profiles are new and only
// those created visible are recorded: anonymous is the default, not a
// change. It returns the database's error.
func RecordVisibility(ctx context.Context, db pg.DBTX, ids []string, key string, created bool) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := db.Exec(ctx, `INSERT INTO consent_events (profile_id, at, kind, key_id)
		SELECT id, coalesce(consent_updated_at, updated_at),
			CASE WHEN visible_to_recruiters THEN $3 ELSE $4 END, $5
		FROM profiles WHERE id = ANY($1::uuid[]) AND (visible_to_recruiters OR NOT $2)`,
		ids, created, string(access.ConsentNamed), string(access.ConsentAnonymous), idOrNil(key))
	return err
}

// Consents returns the consent record of the profile profileID, oldest
// first, each entry with its key's role and its organization's name. An
// ID that is not a UUID has none. It returns an *errs.Error for a
// database failure.
func (s *Store) Consents(ctx context.Context, profileID string) ([]access.ConsentEvent, error) {
	const op = "access.Consents"
	if !check.UUID(profileID) {
		return []access.ConsentEvent{}, nil
	}
	rows, err := s.DB.Query(ctx, `SELECT c.id, c.at, c.kind, coalesce(c.key_id::text, ''), coalesce(k.role, ''),
			coalesce(c.org_id::text, ''), coalesce(o.name, ''), coalesce(c.position_id::text, ''), coalesce(c.introduction_id::text, '')
		FROM consent_events c LEFT JOIN api_keys k ON k.id = c.key_id LEFT JOIN organizations o ON o.id = c.org_id
		WHERE c.profile_id = $1 ORDER BY c.id`, profileID)
	if err != nil {
		return nil, pg.Classify(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (access.ConsentEvent, error) {
		e := access.ConsentEvent{ProfileID: profileID}
		err := r.Scan(&e.ID, &e.At, &e.Kind, &e.KeyID, &e.ByRole, &e.OrgID, &e.OrgName, &e.PositionID, &e.IntroductionID)
		e.At = e.At.UTC()
		return e, err
	})
	if err != nil {
		return nil, pg.Classify(op, err)
	}
	return out, nil
}

// KeysOf returns the clinician keys of the profile profileID, newest
// first, revoked ones included (for the clinician's export). It returns
// an *errs.Error for a database failure.
func (s *Store) KeysOf(ctx context.Context, profileID string) ([]access.Key, error) {
	if !check.UUID(profileID) {
		return []access.Key{}, nil
	}
	rows, err := s.DB.Query(ctx, `SELECT id, prefix, role, coalesce(org_id::text, ''), coalesce(profile_id::text, ''),
		label, created_at, revoked_at, last_used_at FROM api_keys WHERE profile_id = $1 ORDER BY created_at DESC`, profileID)
	if err != nil {
		return nil, pg.Classify("access.KeysOf", err)
	}
	keys, err := pgx.CollectRows(rows, scanKey)
	if err != nil {
		return nil, pg.Classify("access.KeysOf", err)
	}
	return keys, nil
}
