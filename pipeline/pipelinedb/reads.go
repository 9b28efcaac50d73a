package pipelinedb

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/kit/check"
	"carefit/internal/platform/pg"
	"carefit/jobs"
	"carefit/pipeline"
)

// inScopePosition selects the position $1 if it is in the scope $2; the
// reads filter by it, so a position the caller may not see has no entries.
const inScopePosition = `SELECT id FROM positions WHERE id = $1 AND ($2::uuid IS NULL OR org_id = $2::uuid)`

func collectEntries(rows pgx.Rows, err error) ([]pipeline.Entry, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (pipeline.Entry, error) { return scanEntry(r) })
}

// List returns the entries of the position positionID, most recently
// changed first, only those in states when states is not empty, each
// flagged with its place in the stored matches. A pipeline is as long as
// a recruiter's work on one position, so it is not paged. It returns
// ErrNotFound when the position is not in sc. The check and the entries
// are one batch: one round trip.
func (s *Store) List(ctx context.Context, positionID string, states []pipeline.State, sc jobs.Scope) ([]pipeline.Entry, error) {
	const op = "pipeline.List"
	if !inScope(sc, positionID) {
		return nil, pipeline.ErrNotFound
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT EXISTS (`+inScopePosition+`)`, positionID, scopeArg(sc))
	b.Queue(`SELECT `+entryCols+` FROM pipeline pl `+matchJoin+`
		WHERE pl.position_id IN (`+inScopePosition+`) AND ($3::text[] IS NULL OR pl.state = ANY($3::text[]))
		ORDER BY pl.changed_at DESC, pl.profile_id`, positionID, scopeArg(sc), stateArgs(states))
	br := s.db.SendBatch(ctx, b)
	defer br.Close()
	var found bool
	if err := br.QueryRow().Scan(&found); err != nil {
		return nil, pg.Classify(op, err)
	}
	if !found {
		return nil, pipeline.ErrNotFound
	}
	out, err := collectEntries(br.Query())
	if err != nil {
		return nil, pg.Classify(op, err)
	}
	return out, nil
}

// Get returns the pair's entry and its history, oldest change first, in
// one round trip. It returns ErrNotFound when the position is not in sc
// or the pair has no entry.
func (s *Store) Get(ctx context.Context, positionID, profileID string, sc jobs.Scope) (pipeline.Entry, []pipeline.Event, error) {
	const op = "pipeline.Get"
	if !inScope(sc, positionID, profileID) {
		return pipeline.Entry{}, nil, pipeline.ErrNotFound
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT `+entryCols+` FROM pipeline pl `+matchJoin+`
		WHERE pl.position_id IN (`+inScopePosition+`) AND pl.profile_id = $3`, positionID, scopeArg(sc), profileID)
	b.Queue(`SELECT state, note, coalesce(changed_by_key::text, ''), changed_at FROM pipeline_history
		WHERE position_id IN (`+inScopePosition+`) AND profile_id = $3 ORDER BY id`, positionID, scopeArg(sc), profileID)
	br := s.db.SendBatch(ctx, b)
	defer br.Close()
	entries, err := collectEntries(br.Query())
	if err != nil {
		return pipeline.Entry{}, nil, pg.Classify(op, err)
	}
	if len(entries) == 0 {
		return pipeline.Entry{}, nil, pipeline.ErrNotFound
	}
	rows, err := br.Query()
	if err != nil {
		return pipeline.Entry{}, nil, pg.Classify(op, err)
	}
	history, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pipeline.Event, error) {
		var e pipeline.Event
		err := r.Scan(&e.State, &e.Note, &e.ChangedByKey, &e.ChangedAt)
		e.ChangedAt = e.ChangedAt.UTC()
		return e, err
	})
	if err != nil {
		return pipeline.Entry{}, nil, pg.Classify(op, err)
	}
	return entries[0], history, nil
}

// candidate is a profile with its standing with one position's
// organization.
type candidate struct {
	profile  candidates.Profile
	standing pipeline.Standing
}

// scanCandidate scans a row of candidatesdb.ProfileColumns followed by
// the pair's standing (profileStanding's columns).
func scanCandidate(row pgx.Row) (*candidate, error) {
	c := new(candidate)
	var state *string
	err := candidatesdb.ScanProfile(row, &c.profile, &state, &c.standing.Introduced, &c.standing.Blocked, &c.standing.Related)
	if state != nil {
		c.standing.State = pipeline.State(*state)
	}
	return c, err
}

// profileStanding reads whole profiles (the subquery's rows) with their
// standing with the organization of the position $1: the pair's pipeline
// state, and whether the clinician is introduced to, blocked or is related
// to (in the pipeline or introductions of) that organization. Each is an
// index probe per row. A position that is gone leaves the organization
// NULL, and every flag false.
const profileStanding = `SELECT c.*, pl.state,
		EXISTS (SELECT 1 FROM introductions i WHERE i.profile_id = c.id AND i.org_id = o.org_id AND i.status = 'accepted'),
		EXISTS (SELECT 1 FROM profile_blocks b WHERE b.profile_id = c.id AND b.org_id = o.org_id),
		EXISTS (SELECT 1 FROM introductions i WHERE i.profile_id = c.id AND i.org_id = o.org_id)
			OR EXISTS (SELECT 1 FROM pipeline p2 JOIN positions q ON q.id = p2.position_id WHERE p2.profile_id = c.id AND q.org_id = o.org_id)
	FROM (SELECT ` + candidatesdb.ProfileColumns + ` FROM profiles WHERE %s) c
	LEFT JOIN (SELECT org_id FROM positions WHERE id = $1) o ON true
	LEFT JOIN pipeline pl ON pl.position_id = $1 AND pl.profile_id = c.id ORDER BY c.id`

// EachProfile calls fn for every profile whose ID is in ids, with its
// standing with the position positionID's organization (pipeline.Standing:
// its state on the position, "" when the pair has no entry), in one query:
// a ranked page's rows, their states and what the organization may see of
// them cost one round trip. IDs with no profile are skipped. It stops at
// fn's first error and returns it, or returns an *errs.Error for a
// database failure. The caller has checked that it may see the position.
func (s *Store) EachProfile(ctx context.Context, positionID string, ids []string, fn func(candidates.Profile, pipeline.Standing) error) error {
	// A malformed ID names no profile; Postgres would refuse it.
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !check.UUID(id) })
	if len(ids) == 0 || !inScope(jobs.Scope{}, positionID) {
		return nil
	}
	q := fmt.Sprintf(profileStanding, `id = ANY($2::uuid[])`)
	return pg.Each(ctx, s.db, "pipeline.EachProfile", q, []any{positionID, ids}, scanCandidate,
		func(c *candidate) error { return fn(c.profile, c.standing) })
}

// EachProfileIn calls fn for every profile in the position's pipeline in
// one of states, with its standing, in one query: a ranked list filtered
// by state keeps these clinicians and builds its page from them, with no
// second round trip. It stops at fn's first error and returns it, or
// returns an *errs.Error for a database failure. The caller has checked
// that it may see the position.
func (s *Store) EachProfileIn(ctx context.Context, positionID string, states []pipeline.State, fn func(candidates.Profile, pipeline.Standing) error) error {
	if len(states) == 0 || !inScope(jobs.Scope{}, positionID) {
		return nil
	}
	q := fmt.Sprintf(profileStanding, `id IN (SELECT profile_id FROM pipeline WHERE position_id = $1 AND state = ANY($2::text[]))`)
	return pg.Each(ctx, s.db, "pipeline.EachProfileIn", q, []any{positionID, stateArgs(states)}, scanCandidate,
		func(c *candidate) error { return fn(c.profile, c.standing) })
}

// stateArgs is a states filter argument: NULL (any state) when empty.
func stateArgs(states []pipeline.State) any {
	if len(states) == 0 {
		return nil
	}
	out := make([]string, len(states))
	for i, st := range states {
		out[i] = string(st)
	}
	return out
}

// Placed returns, for each of the positions positionIDs in the scope sc,
// the clinicians placed in it, in one query: a list of positions shows
// each one's placements against its headcount. Positions outside sc, or
// with no placement, are absent.
func (s *Store) Placed(ctx context.Context, positionIDs []string, sc jobs.Scope) (map[string][]string, error) {
	out := map[string][]string{}
	ids := check.UUIDs(positionIDs)
	if len(ids) == 0 || !inScope(sc) {
		return out, nil
	}
	err := pg.Each(ctx, s.db, "pipeline.Placed", `SELECT pl.position_id::text, pl.profile_id::text
		FROM pipeline pl JOIN positions p ON p.id = pl.position_id AND ($2::uuid IS NULL OR p.org_id = $2::uuid)
		WHERE pl.position_id = ANY($1::uuid[]) AND pl.state = $3 ORDER BY pl.position_id, pl.profile_id`,
		[]any{ids, scopeArg(sc), string(pipeline.Placed)},
		func(r pgx.Row) ([2]string, error) {
			var pair [2]string
			err := r.Scan(&pair[0], &pair[1])
			return pair, err
		},
		func(pair [2]string) error { out[pair[0]] = append(out[pair[0]], pair[1]); return nil })
	return out, err
}
