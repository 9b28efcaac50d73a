// Package introdb is the Postgres store of package intro: introductions
// (table introductions) and the organizations clinicians block
// (profile_blocks). Each change commits with its entry in the consent
// record (accessdb.RecordConsent) and, for an accepted introduction, with
// the pair's move to contacted in the recruiter's pipeline (pipelinedb, on
// the same transaction). The limits hold under concurrent requests: a
// request takes a transaction-scoped advisory lock on its recruiter key
// (the daily limit) and on its organization and clinician (the other
// rules) before it counts and inserts, and a unique partial index keeps
// one pending request per pair whatever happens.
package introdb

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/internal/kit/check"
	"carefit/internal/platform/pg"
	"carefit/intro"
)

// Store reads and writes introductions and blocks. Every error it returns
// is an *errs.Error: a database that cannot be reached is Unavailable, any
// other unexpected failure Internal (see pg.Classify).
type Store struct {
	db pg.DB
	pg.Clock
}

// NewStore returns a Store on db whose clock is time.Now. Build it on
// pg.Ambient so that it joins a request's transaction.
func NewStore(db pg.DB) *Store { return &Store{db: db, Clock: pg.Clock{Now: time.Now}} }

// introCols read an introduction; the queries alias the table as i.
const introCols = `i.id::text, i.org_id::text, i.position_id::text, i.profile_id::text, i.initiator,
	coalesce(i.requested_by_key::text, ''), i.message, i.status, i.reply, i.created_at, i.expires_at,
	i.answered_at, coalesce(i.answered_by_key::text, ''), i.revoked_at, coalesce(i.revoked_by_key::text, '')`

func scanIntro(row pgx.Row) (intro.Introduction, error) {
	var in intro.Introduction
	err := row.Scan(&in.ID, &in.OrgID, &in.PositionID, &in.ProfileID, &in.Initiator, &in.RequestedByKey, &in.Message,
		&in.Status, &in.Reply, &in.CreatedAt, &in.ExpiresAt, &in.AnsweredAt, &in.AnsweredByKey, &in.RevokedAt, &in.RevokedByKey)
	in.CreatedAt, in.ExpiresAt = in.CreatedAt.UTC(), in.ExpiresAt.UTC()
	in.AnsweredAt, in.RevokedAt = pg.TimePtr(in.AnsweredAt), pg.TimePtr(in.RevokedAt)
	return in, err
}

// keyArg is a nullable key argument.
func keyArg(id string) any {
	if !check.UUID(id) {
		return nil
	}
	return id
}

// lock takes a transaction-scoped advisory lock on name: requests that
// share a name run one at a time, so a count and the insert it allows are
// one step. A hash collision only serializes two unrelated requests.
func lock(ctx context.Context, tx pgx.Tx, name string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, name)
	return err
}

// target is what a request needs of its position.
type target struct {
	orgID  string
	listed bool
}

// readTarget reads the position and whether the clinician exists. It
// returns intro.ErrNotFound when either is missing, when the position is
// not of r.OrgID for a recruiter, or is not listed for a clinician (who
// sees no other), and intro.ErrNotOpen for a recruiter's position that is
// not open.
func readTarget(ctx context.Context, tx pgx.Tx, r intro.Request, now time.Time) (target, error) {
	var t target
	var exists bool
	err := tx.QueryRow(ctx, `SELECT p.org_id::text, p.status = 'open' AND (p.expires_at IS NULL OR p.expires_at > $3),
			EXISTS (SELECT 1 FROM profiles WHERE id = $2)
		FROM positions p WHERE p.id = $1`, r.PositionID, r.ProfileID, now).Scan(&t.orgID, &t.listed, &exists)
	switch {
	case errors.Is(err, pgx.ErrNoRows), err == nil && !exists:
		return t, intro.ErrNotFound
	case err != nil:
		return t, err
	case r.Side == intro.Recruiter && t.orgID != r.OrgID, r.Side == intro.Clinician && !t.listed:
		return t, intro.ErrNotFound
	case !t.listed:
		return t, intro.ErrNotOpen
	}
	return t, nil
}

// Request records r as a pending introduction that expires after
// intro.Lifetime, in one transaction with its checks: the position is the
// recruiter's organization's and open (for a clinician, listed), the
// clinician exists and has not blocked the organization, the pair is not
// introduced already, no request of the pair waits for an answer, the
// asking side was not declined (nor, for recruiters, revoked) within
// intro.Cooldown, and a recruiter key opened fewer than r.DailyLimit
// requests in the last intro.DailyWindow. A clinician's interest is kept
// in their consent record. It returns an Invalid *errs.Error for a bad
// message, intro.ErrNotFound, intro.ErrNotOpen for a recruiter's position
// that is not open, intro.ErrBlocked for a clinician asking an
// organization they blocked, or the error of the rule that refuses it
// (ErrIntroduced, ErrOpen, CooldownError, DailyLimitError).
func (s *Store) Request(ctx context.Context, r intro.Request) (intro.Introduction, error) {
	const op = "intro.Request"
	if err := r.Validate(); err != nil {
		return intro.Introduction{}, err
	}
	if !check.UUID(r.PositionID) || !check.UUID(r.ProfileID) || r.Side == intro.Recruiter && !check.UUID(r.OrgID) {
		return intro.Introduction{}, intro.ErrNotFound
	}
	var out intro.Introduction
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		now := s.Stamp()
		// Locks in one order: the key (daily limit), then the pair.
		if r.Side == intro.Recruiter {
			if err := lock(ctx, tx, "intro.key."+r.KeyID); err != nil {
				return err
			}
		}
		t, err := readTarget(ctx, tx, r, now)
		if err != nil {
			return err
		}
		if err := lockPair(ctx, tx, t.orgID, r.ProfileID); err != nil {
			return err
		}
		if err := checkPair(ctx, tx, t.orgID, r, now); err != nil {
			return err
		}
		if r.Side == intro.Recruiter {
			if err := checkDaily(ctx, tx, r, now); err != nil {
				return err
			}
		}
		out, err = insert(ctx, tx, t.orgID, r, now)
		return err
	})
	if pe, ok := pg.UniqueViolation(err); ok && pe.ConstraintName == "introductions_one_pending" {
		return intro.Introduction{}, intro.ErrOpen
	}
	if err != nil {
		return intro.Introduction{}, pg.Classify(op, err)
	}
	return out, nil
}

// lockPair takes the lock of the organization and clinician pair, which
// requests, answers' checks and blocks of the pair share.
func lockPair(ctx context.Context, tx pgx.Tx, orgID, profileID string) error {
	return lock(ctx, tx, "intro.pair."+orgID+"."+profileID)
}

// checkPair applies the rules of the organization and clinician pair,
// under the pair's lock (so a block or a request committed meanwhile is
// seen): a block (a recruiter's organization never sees the clinician, a
// clinician is told to unblock first), already introduced, a request
// still open, or a refusal of the asking side within the cooldown.
func checkPair(ctx context.Context, tx pgx.Tx, orgID string, r intro.Request, now time.Time) error {
	var blocked, introduced, open bool
	var refused *time.Time
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM profile_blocks WHERE profile_id = $2 AND org_id = $1),
			coalesce(bool_or(status = 'accepted'), false),
			coalesce(bool_or(status = 'pending' AND expires_at > $3), false),
			max(CASE WHEN status = 'declined' AND initiator = $4 THEN answered_at
			         WHEN status = 'revoked' AND $4 = 'recruiter' THEN revoked_at END)
		FROM introductions WHERE org_id = $1 AND profile_id = $2`, orgID, r.ProfileID, now, r.Side).Scan(&blocked, &introduced, &open, &refused)
	switch {
	case err != nil:
		return err
	case blocked && r.Side == intro.Recruiter:
		return intro.ErrNotFound
	case blocked:
		return intro.ErrBlocked
	case introduced:
		return intro.ErrIntroduced
	case open:
		return intro.ErrOpen
	case refused != nil && now.Before(refused.Add(intro.Cooldown)):
		return intro.CooldownError(refused.Add(intro.Cooldown))
	}
	return nil
}

// checkDaily applies the daily limit of a recruiter key, under the key's
// lock: every request it opened in the window counts, whatever became of
// it.
func checkDaily(ctx context.Context, tx pgx.Tx, r intro.Request, now time.Time) error {
	limit := r.DailyLimit
	if limit <= 0 {
		limit = intro.DefaultDailyLimit
	}
	var n int
	var oldest *time.Time
	err := tx.QueryRow(ctx, `SELECT count(*), min(created_at) FROM (
			SELECT created_at FROM introductions
			WHERE requested_by_key = $1 AND initiator = 'recruiter' AND created_at > $2
			ORDER BY created_at DESC LIMIT $3) recent`,
		keyArg(r.KeyID), now.Add(-intro.DailyWindow), limit).Scan(&n, &oldest)
	if err != nil {
		return err
	}
	if n >= limit && oldest != nil {
		return intro.DailyLimitError(limit, oldest.Add(intro.DailyWindow))
	}
	return nil
}

// insert stores the request, after marking the pair's pending requests
// past their expiry as expired (so the unique index of pending requests
// holds), and keeps a clinician's interest in their consent record.
func insert(ctx context.Context, tx pgx.Tx, orgID string, r intro.Request, now time.Time) (intro.Introduction, error) {
	if _, err := tx.Exec(ctx, `UPDATE introductions SET status = 'expired'
		WHERE org_id = $1 AND profile_id = $2 AND status = 'pending' AND expires_at <= $3`, orgID, r.ProfileID, now); err != nil {
		return intro.Introduction{}, err
	}
	in := intro.Introduction{ID: uuid.Must(uuid.NewV7()).String(), OrgID: orgID, PositionID: r.PositionID, ProfileID: r.ProfileID,
		Initiator: r.Side, RequestedByKey: r.KeyID, Message: r.Message, Status: intro.Pending,
		CreatedAt: now, ExpiresAt: now.Add(intro.Lifetime)}
	if !check.UUID(in.RequestedByKey) {
		in.RequestedByKey = ""
	}
	_, err := tx.Exec(ctx, `INSERT INTO introductions (id, org_id, position_id, profile_id, initiator, requested_by_key, message, status, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)`,
		in.ID, in.OrgID, in.PositionID, in.ProfileID, in.Initiator, keyArg(in.RequestedByKey), in.Message, in.CreatedAt, in.ExpiresAt)
	if err != nil || r.Side != intro.Clinician {
		return in, err
	}
	return in, accessdb.RecordConsent(ctx, tx, consentOf(in, access.ConsentInterest, r.KeyID, now))
}

// consentOf is the consent record entry of kind about in, made by key at.
func consentOf(in intro.Introduction, kind access.ConsentKind, key string, at time.Time) access.ConsentEvent {
	return access.ConsentEvent{ProfileID: in.ProfileID, At: at, Kind: kind, KeyID: key, OrgID: in.OrgID,
		PositionID: in.PositionID, IntroductionID: in.ID}
}
