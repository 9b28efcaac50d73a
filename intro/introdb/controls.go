package introdb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
	"carefit/internal/platform/outbox"
	"carefit/internal/platform/pg"
	"carefit/intro"
)

// BlocksOf returns, for each clinician of ids (every clinician when ids
// is nil) who blocks any, the organizations they block: the feature store
// loads them with the profiles (ranking.Sources.Blocks). It returns an
// *errs.Error for a database failure.
func (s *Store) BlocksOf(ctx context.Context, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	var idArg any
	if ids != nil {
		idArg = check.UUIDs(ids)
	}
	rows, err := s.db.Query(ctx, `SELECT profile_id::text, org_id::text FROM profile_blocks
		WHERE $1::uuid[] IS NULL OR profile_id = ANY($1::uuid[]) ORDER BY profile_id, org_id`, idArg)
	if err != nil {
		return nil, pg.Classify("intro.BlocksOf", err)
	}
	var profile, org string
	_, err = pgx.ForEachRow(rows, []any{&profile, &org}, func() error {
		out[profile] = append(out[profile], org)
		return nil
	})
	return out, pg.Classify("intro.BlocksOf", err)
}

// Blocked returns the organizations the clinician profileID blocked, by
// name. It returns an *errs.Error for a database failure.
func (s *Store) Blocked(ctx context.Context, profileID string) ([]intro.Block, error) {
	if !check.UUID(profileID) {
		return []intro.Block{}, nil
	}
	out, err := blocks(ctx, s.db, profileID)
	return out, pg.Classify("intro.Blocked", err)
}

func blocks(ctx context.Context, db pg.DBTX, profileID string) ([]intro.Block, error) {
	rows, err := db.Query(ctx, `SELECT b.org_id::text, o.name, b.created_at FROM profile_blocks b
		JOIN organizations o ON o.id = b.org_id WHERE b.profile_id = $1 ORDER BY o.name, b.org_id`, profileID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (intro.Block, error) {
		var b intro.Block
		err := r.Scan(&b.OrgID, &b.OrgName, &b.BlockedAt)
		b.BlockedAt = b.BlockedAt.UTC()
		return b, err
	})
}

// checkOrgIDs validates a blocked list: at most intro.MaxBlocked UUIDs.
// It returns them without repeats, or an Invalid *errs.Error naming each
// bad one.
func checkOrgIDs(ids []string) ([]string, error) {
	ve := errs.Validation{Op: "intro.SetBlocked"}
	if len(ids) > intro.MaxBlocked {
		ve.Add("organization_ids", "at most %d organizations, got %d", intro.MaxBlocked, len(ids))
		return nil, ve.Err()
	}
	var out []string
	for i, id := range ids {
		if !check.UUID(id) {
			ve.Add(fmt.Sprintf("organization_ids[%d]", i), "must be an organization's UUID")
		} else if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, ve.Err()
}

// SetBlocked makes orgIDs the organizations the clinician profileID
// blocks, in one transaction: blocks added and removed, each kept in the
// consent record with keyID, and every accepted or open introduction with
// a newly blocked organization revoked (and recorded), so that it sees
// nothing of the clinician from then on; an outbox row for the profile
// has every feature store reload its blocks. It returns the new list. It
// returns intro.ErrNotFound for an unknown profile, or an Invalid
// *errs.Error naming each organization ID that is malformed or unknown.
func (s *Store) SetBlocked(ctx context.Context, profileID string, orgIDs []string, keyID string) ([]intro.Block, error) {
	const op = "intro.SetBlocked"
	want, err := checkOrgIDs(orgIDs)
	if err != nil {
		return nil, err
	}
	if !check.UUID(profileID) {
		return nil, intro.ErrNotFound
	}
	var out []intro.Block
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		now := s.Stamp()
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM profiles WHERE id = $1 FOR NO KEY UPDATE`, profileID).Scan(&one); errors.Is(err, pgx.ErrNoRows) {
			return intro.ErrNotFound
		} else if err != nil {
			return err
		}
		if err := knownOrgs(ctx, tx, orgIDs); err != nil {
			return err
		}
		var have []string
		rows, err := tx.Query(ctx, `SELECT org_id::text FROM profile_blocks WHERE profile_id = $1`, profileID)
		if err == nil {
			have, err = pgx.CollectRows(rows, pgx.RowTo[string])
		}
		if err != nil {
			return err
		}
		added := slices.DeleteFunc(slices.Clone(want), func(id string) bool { return slices.Contains(have, id) })
		removed := slices.DeleteFunc(have, func(id string) bool { return slices.Contains(want, id) })
		if err := s.applyBlocks(ctx, tx, profileID, added, removed, keyID, now); err != nil {
			return err
		}
		if len(added)+len(removed) > 0 {
			if err := outbox.Write(ctx, tx, outbox.Profile, profileID, outbox.Upsert, now); err != nil {
				return err
			}
		}
		out, err = blocks(ctx, tx, profileID)
		return err
	})
	if err != nil {
		return nil, pg.Classify(op, err)
	}
	return out, nil
}

// knownOrgs returns an Invalid *errs.Error naming each ID of ids that is
// no organization's.
func knownOrgs(ctx context.Context, tx pgx.Tx, ids []string) error {
	rows, err := tx.Query(ctx, `SELECT id::text FROM organizations WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return err
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	ve := errs.Validation{Op: "intro.SetBlocked"}
	for i, id := range ids {
		if !slices.Contains(found, id) {
			ve.Add(fmt.Sprintf("organization_ids[%d]", i), "no organization has this ID")
		}
	}
	return ve.Err()
}

// applyBlocks writes the added and removed blocks, revokes the added
// organizations' introductions and records it all.
func (s *Store) applyBlocks(ctx context.Context, tx pgx.Tx, profileID string, added, removed []string, keyID string, now time.Time) error {
	slices.Sort(added) // pair locks in one order
	var events []access.ConsentEvent
	for _, org := range added {
		if err := lockPair(ctx, tx, org, profileID); err != nil {
			return err
		}
		events = append(events, access.ConsentEvent{ProfileID: profileID, At: now, Kind: access.ConsentBlocked, KeyID: keyID, OrgID: org})
	}
	for _, org := range removed {
		events = append(events, access.ConsentEvent{ProfileID: profileID, At: now, Kind: access.ConsentUnblocked, KeyID: keyID, OrgID: org})
	}
	if _, err := tx.Exec(ctx, `DELETE FROM profile_blocks WHERE profile_id = $1 AND org_id = ANY($2::uuid[])`, profileID, removed); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO profile_blocks (profile_id, org_id, created_at) SELECT $1, o, $3 FROM unnest($2::uuid[]) o`,
		profileID, added, now); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `UPDATE introductions i SET status = 'revoked', revoked_at = $3, revoked_by_key = $4
		WHERE profile_id = $1 AND org_id = ANY($2::uuid[]) AND (status = 'accepted' OR status = 'pending' AND expires_at > $3)
		RETURNING `+introCols, profileID, added, now, keyArg(keyID))
	if err != nil {
		return err
	}
	revoked, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (intro.Introduction, error) { return scanIntro(r) })
	if err != nil {
		return err
	}
	for _, in := range revoked {
		events = append(events, consentOf(in, access.ConsentRevoked, keyID, now))
	}
	return accessdb.RecordConsent(ctx, tx, events...)
}
