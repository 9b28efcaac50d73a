package introdb

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/internal/kit/check"
	"carefit/internal/platform/pg"
	"carefit/intro"
	"carefit/jobs"
	"carefit/pipeline"
	"carefit/pipeline/pipelinedb"
)

// lockIntro reads the introduction id for update, if the scope sees it:
// a recruiter's organization's, a clinician's own. It returns
// intro.ErrNotFound otherwise.
func lockIntro(ctx context.Context, tx pgx.Tx, id string, sc intro.Scope) (intro.Introduction, error) {
	if !check.UUID(id) {
		return intro.Introduction{}, intro.ErrNotFound
	}
	in, err := scanIntro(tx.QueryRow(ctx, `SELECT `+introCols+` FROM introductions i WHERE i.id = $1 FOR UPDATE`, id))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return in, intro.ErrNotFound
	case err != nil:
		return in, err
	case sc.OrgID != "" && in.OrgID != sc.OrgID, sc.ProfileID != "" && in.ProfileID != sc.ProfileID:
		return in, intro.ErrNotFound
	}
	return in, nil
}

// blocked reports whether the introduction's clinician blocked its
// organization.
func blocked(ctx context.Context, tx pgx.Tx, in intro.Introduction) (bool, error) {
	var b bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM profile_blocks WHERE profile_id = $1 AND org_id = $2)`,
		in.ProfileID, in.OrgID).Scan(&b)
	return b, err
}

// Answer accepts or declines a pending introduction, in one transaction:
// the answer with its reply, key and time; its consent record entry; and,
// on acceptance, the pair's move to contacted in the organization's
// pipeline (pipelinedb.Store.Advance: a pair already further along stays).
// Only the side that did not ask answers, within intro.Lifetime. It returns
// an Invalid *errs.Error for a bad reply, intro.ErrNotFound for an
// introduction outside the answering side's scope (or of an organization
// the clinician blocked, for recruiters), intro.ErrOtherSide when the
// asking side answers, intro.ErrExpired, a NotPendingError, or
// intro.ErrBlocked for a clinician accepting an organization they blocked.
func (s *Store) Answer(ctx context.Context, a intro.Answer) (intro.Introduction, error) {
	const op = "intro.Answer"
	if err := a.Validate(); err != nil {
		return intro.Introduction{}, err
	}
	sc := intro.Scope{OrgID: a.OrgID, ProfileID: a.ProfileID}
	if a.Side == intro.Recruiter {
		sc.ProfileID = ""
	} else {
		sc.OrgID = ""
	}
	if sc.OrgID == "" && sc.ProfileID == "" {
		return intro.Introduction{}, intro.ErrNotFound // every answer is in a scope
	}
	var out intro.Introduction
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		now := s.Stamp()
		in, err := lockIntro(ctx, tx, a.ID, sc)
		if err != nil {
			return err
		}
		if err := answerable(ctx, tx, in, a.Side, now); err != nil {
			return err
		}
		in.Status, in.Reply, in.AnsweredAt, in.AnsweredByKey = intro.Declined, a.Reply, &now, a.KeyID
		kind := access.ConsentDeclined
		if a.Accept {
			in.Status, kind = intro.Accepted, access.ConsentAccepted
		}
		if !check.UUID(in.AnsweredByKey) {
			in.AnsweredByKey = ""
		}
		if _, err := tx.Exec(ctx, `UPDATE introductions SET status = $2, reply = $3, answered_at = $4, answered_by_key = $5 WHERE id = $1`,
			in.ID, in.Status, in.Reply, now, keyArg(a.KeyID)); err != nil {
			return err
		}
		if err := accessdb.RecordConsent(ctx, tx, consentOf(in, kind, a.KeyID, now)); err != nil {
			return err
		}
		if a.Accept {
			if err := s.contacted(ctx, tx, in, a.KeyID); err != nil {
				return err
			}
		}
		out = in
		return nil
	})
	if err != nil {
		return intro.Introduction{}, pg.Classify(op, err)
	}
	return out, nil
}

// answerable checks that side may answer in at now.
func answerable(ctx context.Context, tx pgx.Tx, in intro.Introduction, side intro.Side, now time.Time) error {
	if in.Initiator == side {
		return intro.ErrOtherSide
	}
	switch st := in.StatusAt(now); st {
	case intro.Pending:
	case intro.Expired:
		return intro.ErrExpired
	default:
		return intro.NotPendingError(st)
	}
	b, err := blocked(ctx, tx, in)
	switch {
	case err != nil:
		return err
	case b && side == intro.Recruiter:
		return intro.ErrNotFound
	case b:
		return intro.ErrBlocked
	}
	return nil
}

// contacted moves the accepted pair to contacted in the organization's
// pipeline, on tx, with the answering key.
func (s *Store) contacted(ctx context.Context, tx pgx.Tx, in intro.Introduction, key string) error {
	pl := pipelinedb.NewStore(tx)
	pl.Now = s.Now
	_, err := pl.Advance(ctx, pipeline.Change{PositionID: in.PositionID, ProfileID: in.ProfileID, State: pipeline.Contacted, KeyID: key}, jobs.Scope{})
	return err
}

// Revoke is the clinician taking back an introduction, in one transaction
// with its consent record entry: an accepted one, after which the
// organization no longer sees their contact details, or their own interest
// still waiting for an answer. A recruiter's request waiting for the
// clinician is declined, not revoked. It returns intro.ErrNotFound for an
// introduction not of r.ProfileID, or a NotPendingError for one that
// cannot be revoked.
func (s *Store) Revoke(ctx context.Context, r intro.Revocation) (intro.Introduction, error) {
	if !check.UUID(r.ProfileID) {
		return intro.Introduction{}, intro.ErrNotFound
	}
	var out intro.Introduction
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		now := s.Stamp()
		in, err := lockIntro(ctx, tx, r.ID, intro.Scope{ProfileID: r.ProfileID})
		if err != nil {
			return err
		}
		switch st := in.StatusAt(now); {
		case st == intro.Accepted, st == intro.Pending && in.Initiator == intro.Clinician:
		case st == intro.Pending:
			return intro.ErrDeclineInstead
		default:
			return intro.NotPendingError(st)
		}
		in.Status, in.RevokedAt, in.RevokedByKey = intro.Revoked, &now, r.KeyID
		if !check.UUID(in.RevokedByKey) {
			in.RevokedByKey = ""
		}
		if _, err := tx.Exec(ctx, `UPDATE introductions SET status = 'revoked', revoked_at = $2, revoked_by_key = $3 WHERE id = $1`,
			in.ID, now, keyArg(r.KeyID)); err != nil {
			return err
		}
		out = in
		return accessdb.RecordConsent(ctx, tx, consentOf(in, access.ConsentRevoked, r.KeyID, now))
	})
	if err != nil {
		return intro.Introduction{}, pg.Classify("intro.Revoke", err)
	}
	return out, nil
}
