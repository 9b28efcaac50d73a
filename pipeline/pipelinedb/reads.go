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

// stateRow scans a row of candidatesdb.ProfileColumns followed by the
// pair's pipeline state: its Scan appends the state's destination.
type stateRow struct {
	pgx.Row
	state **string
}

func (r stateRow) Scan(dest ...any) error { return r.Row.Scan(append(dest, r.state)...) }

// candidate is a profile with its pipeline state on one position.
type candidate struct {
	profile candidates.Profile
	state   pipeline.State
}

func scanCandidate(row pgx.Row) (candidate, error) {
	var st *string
	p, err := candidatesdb.ScanProfile(stateRow{Row: row, state: &st})
	c := candidate{profile: p}
	if st != nil {
		c.state = pipeline.State(*st)
	}
	return c, err
}

// profileStates reads whole profiles (the subquery's rows) with their
// pipeline state on the position $1.
const profileStates = `SELECT c.*, pl.state FROM (SELECT ` + candidatesdb.ProfileColumns + ` FROM profiles WHERE %s) c
	LEFT JOIN pipeline pl ON pl.position_id = $1 AND pl.profile_id = c.id ORDER BY c.id`

// EachProfile calls fn for every profile whose ID is in ids, with its
// pipeline state on the position positionID ("" when the pair has no
// entry), in one query: a ranked page's rows and their states cost one
// round trip. IDs with no profile are skipped. It stops at fn's first
// error and returns it, or returns an *errs.Error for a database failure.
// The caller has checked that it may see the position.
func (s *Store) EachProfile(ctx context.Context, positionID string, ids []string, fn func(candidates.Profile, pipeline.State) error) error {
	// A malformed ID names no profile; Postgres would refuse it.
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !check.UUID(id) })
	if len(ids) == 0 || !inScope(jobs.Scope{}, positionID) {
		return nil
	}
	q := fmt.Sprintf(profileStates, `id = ANY($2::uuid[])`)
	return pg.Each(ctx, s.db, "pipeline.EachProfile", q, []any{positionID, ids}, scanCandidate,
		func(c candidate) error { return fn(c.profile, c.state) })
}

// EachProfileIn calls fn for every profile in the position's pipeline in
// one of states, with its state, in one query: a ranked list filtered by
// state keeps these clinicians and builds its page from them, with no
// second round trip. It stops at fn's first error and returns it, or
// returns an *errs.Error for a database failure. The caller has checked
// that it may see the position.
func (s *Store) EachProfileIn(ctx context.Context, positionID string, states []pipeline.State, fn func(candidates.Profile, pipeline.State) error) error {
	if len(states) == 0 || !inScope(jobs.Scope{}, positionID) {
		return nil
	}
	q := fmt.Sprintf(profileStates, `id IN (SELECT profile_id FROM pipeline WHERE position_id = $1 AND state = ANY($2::text[]))`)
	return pg.Each(ctx, s.db, "pipeline.EachProfileIn", q, []any{positionID, stateArgs(states)}, scanCandidate,
		func(c candidate) error { return fn(c.profile, c.state) })
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
