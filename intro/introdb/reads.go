package introdb

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/page"
	"carefit/internal/platform/pg"
	"carefit/intro"
)

// notBlocked keeps the introductions of the organization $n whose
// clinician has not blocked it; a block hides everything of the clinician
// from that organization.
const notBlocked = `NOT EXISTS (SELECT 1 FROM profile_blocks b WHERE b.profile_id = i.profile_id AND b.org_id = i.org_id)`

// uuidOrNil is a nullable uuid argument for a scope: NULL for "".
func uuidOrNil(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// Get returns the introduction id if sc sees it: a recruiter's
// organization's (unless the clinician blocked it), a clinician's own, or
// any for an empty scope (admins). It returns intro.ErrNotFound otherwise.
func (s *Store) Get(ctx context.Context, id string, sc intro.Scope) (intro.Introduction, error) {
	if !check.UUID(id) || sc.OrgID != "" && !check.UUID(sc.OrgID) || sc.ProfileID != "" && !check.UUID(sc.ProfileID) {
		return intro.Introduction{}, intro.ErrNotFound
	}
	in, err := scanIntro(s.db.QueryRow(ctx, `SELECT `+introCols+` FROM introductions i
		WHERE i.id = $1 AND ($2::uuid IS NULL OR (i.org_id = $2::uuid AND `+notBlocked+`))
		  AND ($3::uuid IS NULL OR i.profile_id = $3::uuid)`, id, uuidOrNil(sc.OrgID), uuidOrNil(sc.ProfileID)))
	if errors.Is(err, pgx.ErrNoRows) {
		return intro.Introduction{}, intro.ErrNotFound
	}
	if err != nil {
		return intro.Introduction{}, pg.Classify("intro.Get", err)
	}
	return in, nil
}

// List returns a page of the introductions f selects, newest first; an
// organization's leave out clinicians who blocked it. It returns an
// Invalid *errs.Error naming a bad limit, cursor or status.
func (s *Store) List(ctx context.Context, f intro.Filter) (page.Page[intro.Introduction], error) {
	const op = "intro.List"
	ve := errs.Validation{Op: op}
	limit := page.Limit(&ve, f.Limit)
	c := page.Decode(&ve, f.Cursor)
	for i, st := range f.Statuses {
		if !st.Valid() {
			ve.Add("status", "value %d: must be one of %v, got %q", i+1, intro.Statuses(), st)
		}
	}
	if err := ve.Err(); err != nil {
		return page.Page[intro.Introduction]{}, err
	}
	for _, id := range []string{f.OrgID, f.ProfileID, f.PositionID} {
		if id != "" && !check.UUID(id) {
			return page.Page[intro.Introduction]{Items: []intro.Introduction{}}, nil // names nothing
		}
	}
	var w pg.Where
	if f.OrgID != "" {
		w.Add("i.org_id = ?::uuid AND "+notBlocked, f.OrgID)
	}
	if f.ProfileID != "" {
		w.Add("i.profile_id = ?::uuid", f.ProfileID)
	}
	if f.PositionID != "" {
		w.Add("i.position_id = ?::uuid", f.PositionID)
	}
	if len(f.Statuses) > 0 {
		sts := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			sts[i] = string(st)
		}
		w.Add("(CASE WHEN i.status = 'pending' AND i.expires_at <= ? THEN 'expired' ELSE i.status END) = ANY(?::text[])", f.Now, sts)
	}
	rows, err := s.db.Query(ctx, `SELECT `+introCols+` FROM introductions i`+w.Page(c, limit), w.Args...)
	if err != nil {
		return page.Page[intro.Introduction]{}, pg.Classify(op, err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (intro.Introduction, error) { return scanIntro(r) })
	if err != nil {
		return page.Page[intro.Introduction]{}, pg.Classify(op, err)
	}
	return page.Cut(items, limit, func(in intro.Introduction) (time.Time, string) { return in.CreatedAt, in.ID }), nil
}

// Reach returns what Postgres knows of which clinicians the organization
// orgID may see (see intro.Reach), among ids, or among all clinicians when
// ids is nil, in one query: the clinicians who blocked it, those in its
// pipeline or introductions, and those introduced to it.
func (s *Store) Reach(ctx context.Context, orgID string, ids []string) (intro.Reach, error) {
	out := intro.Reach{Blocked: map[string]struct{}{}, Related: map[string]struct{}{}, Introduced: map[string]string{}}
	if !check.UUID(orgID) {
		return out, nil
	}
	var idArg any
	if ids != nil {
		idArg = check.UUIDs(ids)
	}
	rows, err := s.db.Query(ctx, `SELECT profile_id::text, 'b', '' FROM profile_blocks
			WHERE org_id = $1 AND ($2::uuid[] IS NULL OR profile_id = ANY($2::uuid[]))
		UNION ALL
		SELECT DISTINCT pl.profile_id::text, 'r', '' FROM pipeline pl JOIN positions p ON p.id = pl.position_id
			WHERE p.org_id = $1 AND ($2::uuid[] IS NULL OR pl.profile_id = ANY($2::uuid[]))
		UNION ALL
		SELECT DISTINCT profile_id::text, CASE WHEN status = 'accepted' THEN 'i' ELSE 'r' END,
			CASE WHEN status = 'accepted' THEN position_id::text ELSE '' END FROM introductions
			WHERE org_id = $1 AND ($2::uuid[] IS NULL OR profile_id = ANY($2::uuid[]))`, orgID, idArg)
	if err != nil {
		return out, pg.Classify("intro.Reach", err)
	}
	var id, kind, position string
	_, err = pgx.ForEachRow(rows, []any{&id, &kind, &position}, func() error {
		switch kind {
		case "b":
			out.Blocked[id] = struct{}{}
		case "i":
			out.Introduced[id] = position // one accepted introduction per organization and clinician
			out.Related[id] = struct{}{}
		default:
			out.Related[id] = struct{}{}
		}
		return nil
	})
	return out, pg.Classify("intro.Reach", err)
}
