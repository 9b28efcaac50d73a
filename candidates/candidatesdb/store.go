// Package candidatesdb is the Postgres store of package candidates:
// clinician profiles and their bulk NDJSON import (binary COPY, see
// copybin.go). Every write queues the changed profile in the outbox in its
// own transaction (package outbox).
package candidatesdb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/candidates"
	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/geo"
	"carefit/internal/kit/page"
	"carefit/internal/platform/outbox"
	"carefit/internal/platform/pg"
)

// DB is what the store needs (pg.DB); given a pgx.Tx, the store's
// transactions become savepoints inside the caller's.
type DB = pg.DB

// Store reads and writes clinician profiles in Postgres. Every write also
// queues the profile for search sync in the outbox, in the same
// transaction. The store returns whole profiles: redacting contact details
// and licence numbers for recruiters (Profile.Redacted) is the caller's
// job, as is checking that a clinician reads only their own profile.
// Every error it returns is an *errs.Error: a database that cannot be
// reached is Unavailable, any other unexpected database failure Internal.
type Store struct {
	pg.Clock // Now is time.Now unless a test sets it
	db       DB
}

// NewStore returns a Store on db.
func NewStore(db DB) *Store { return &Store{Clock: pg.Clock{Now: time.Now}, db: db} }

const profileCols = `id, name, contact, credential, npi, taxonomies, board_certifications, licences,
	years_experience, languages, ehrs_used, ehrs_avoid, home_state, home_lat, home_lng, home_postal_code,
	max_commute_miles, willing_to_move_states, available_from, employment_types, schedule, pay_floor,
	wishes, importance, visible_to_recruiters, consent_updated_at, version, created_at, updated_at`

// insertCols are profileCols followed by the columns derived for filters.
var insertCols = append(strings.Fields(strings.ReplaceAll(profileCols, ",", " ")), "licence_states", "multistate")

func scanProfile(row pgx.Row) (candidates.Profile, error) {
	var p candidates.Profile
	err := scanProfileInto(row, &p)
	return p, err
}

// profileFields is how many columns profileCols selects.
const profileFields = 29

// scanProfileInto scans a row of profileCols into p, then the columns
// after them into more.
func scanProfileInto(row pgx.Row, p *candidates.Profile, more ...any) error {
	dest := make([]any, 0, profileFields+len(more))
	dest = append(dest, &p.ID, &p.Name, &p.Contact, &p.Credential, &p.NPI, &p.Taxonomies, &p.BoardCertifications, &p.Licences,
		&p.YearsExperience, &p.Languages, &p.EHRsUsed, &p.EHRsAvoid, &p.Home.State, &p.Home.Lat, &p.Home.Lng, &p.Home.PostalCode,
		&p.MaxCommuteMiles, &p.WillingToMoveStates, &p.AvailableFrom, &p.EmploymentTypes, &p.Schedule, &p.PayFloor,
		&p.Wishes, &p.Importance, &p.VisibleToRecruiters, &p.ConsentUpdatedAt, &p.Version, &p.CreatedAt, &p.UpdatedAt)
	err := row.Scan(append(dest, more...)...)
	p.CreatedAt, p.UpdatedAt, p.ConsentUpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC(), pg.TimePtr(p.ConsentUpdatedAt)
	return err
}

// profileArgs are the values of insertCols for p.
func profileArgs(p candidates.Profile) []any {
	states, multistate := licenceStates(p)
	return []any{p.ID, p.Name, p.Contact, p.Credential, p.NPI, p.Taxonomies, p.BoardCertifications, p.Licences,
		p.YearsExperience, p.Languages, p.EHRsUsed, p.EHRsAvoid, p.Home.State, p.Home.Lat, p.Home.Lng, p.Home.PostalCode,
		p.MaxCommuteMiles, p.WillingToMoveStates, p.AvailableFrom, p.EmploymentTypes, p.Schedule, p.PayFloor,
		p.Wishes, p.Importance, p.VisibleToRecruiters, p.ConsentUpdatedAt, p.Version, p.CreatedAt, p.UpdatedAt,
		states, multistate}
}

// licenceStates derives the licence_states and multistate columns.
func licenceStates(p candidates.Profile) ([]string, bool) {
	var states []string
	multistate := false
	for _, l := range p.Licences {
		if !slices.Contains(states, l.State) {
			states = append(states, l.State)
		}
		multistate = multistate || l.Multistate
	}
	return pg.NonNil(states), multistate
}

// normProfile brings p to what Postgres returns: dates without time,
// microsecond timestamps in UTC, empty (not nil) lists and maps.
func normProfile(p *candidates.Profile) {
	p.AvailableFrom = pg.Date(p.AvailableFrom)
	p.ConsentUpdatedAt = pg.TimePtr(p.ConsentUpdatedAt)
	p.Taxonomies = pg.NonNil(p.Taxonomies)
	p.BoardCertifications = pg.NonNil(p.BoardCertifications)
	p.Licences = pg.NonNil(p.Licences)
	p.Languages = pg.NonNil(p.Languages)
	p.EHRsUsed = pg.NonNil(p.EHRsUsed)
	p.EHRsAvoid = pg.NonNil(p.EHRsAvoid)
	p.WillingToMoveStates = pg.NonNil(p.WillingToMoveStates)
	p.EmploymentTypes = pg.NonNil(p.EmploymentTypes)
	if p.Importance == nil {
		p.Importance = map[factor.Name]int{}
	}
}

// classify is pg.Classify, except that a duplicate NPI says so.
func classify(op string, err error) error {
	if pe, ok := pg.UniqueViolation(err); ok && pe.ConstraintName == "profiles_npi" {
		return errs.Wrap(op, errs.Conflict, err, "this NPI is on another profile")
	}
	return pg.Classify(op, err)
}

// newID returns a new profile ID: a version 7 UUID, whose time-ordered
// prefix makes inserts append to the primary key's index instead of
// landing on random pages (a tenth of Postgres's work in a bulk import).
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// prepareNew makes p a new profile as of now, as every way of creating one
// stores it: an ID when it has none, version 1, both timestamps now,
// consent given at creation stamped now, normalized, then validated.
func prepareNew(p *candidates.Profile, now time.Time) error {
	if p.ID == "" {
		p.ID = newID()
	}
	// The consent time is the server's: consent given on creation was
	// given now, whatever the input says (an import could backdate it).
	p.ConsentUpdatedAt = nil
	if p.VisibleToRecruiters {
		p.ConsentUpdatedAt = &now
	}
	p.Version, p.CreatedAt, p.UpdatedAt = 1, now, now
	normProfile(p)
	return p.Validate(now)
}

// CreateProfile stores a new profile and returns it as stored: the ID is
// assigned when empty, version is 1, and consent given at creation is
// stamped with the store's now and kept in the consent record with the
// caller's key (access.FromContext). It returns an Invalid *errs.Error for
// invalid input, or an error matching ErrConflict when the ID or NPI is
// taken.
func (s *Store) CreateProfile(ctx context.Context, p candidates.Profile) (candidates.Profile, error) {
	if err := prepareNew(&p, s.Stamp()); err != nil {
		return candidates.Profile{}, err
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		ph := make([]string, len(insertCols))
		for i := range ph {
			ph[i] = fmt.Sprintf("$%d", i+1)
		}
		_, err := tx.Exec(ctx, `INSERT INTO profiles (`+strings.Join(insertCols, ", ")+`) VALUES (`+strings.Join(ph, ", ")+`)`, profileArgs(p)...)
		if err != nil {
			return err
		}
		if p.VisibleToRecruiters {
			if err := accessdb.RecordVisibility(ctx, tx, []string{p.ID}, access.KeyFrom(ctx), true); err != nil {
				return err
			}
		}
		return outbox.Write(ctx, tx, outbox.Profile, p.ID, outbox.Upsert, p.CreatedAt)
	})
	if err != nil {
		return candidates.Profile{}, classify("candidates.CreateProfile", err)
	}
	return p, nil
}

func getProfile(ctx context.Context, db pg.DBTX, id string, lock bool) (candidates.Profile, error) {
	if !check.UUID(id) {
		return candidates.Profile{}, candidates.ErrNotFound
	}
	q := `SELECT ` + profileCols + ` FROM profiles WHERE id = $1`
	if lock {
		q += " FOR UPDATE"
	}
	p, err := scanProfile(db.QueryRow(ctx, q, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return candidates.Profile{}, candidates.ErrNotFound
	}
	return p, err
}

// GetProfile returns the profile with id, unredacted. It returns
// ErrNotFound when there is none.
func (s *Store) GetProfile(ctx context.Context, id string) (candidates.Profile, error) {
	p, err := getProfile(ctx, s.db, id, false)
	if err != nil {
		return candidates.Profile{}, classify("candidates.GetProfile", err)
	}
	return p, nil
}

// ListProfiles returns a page of profiles matching f, newest first;
// following NextCursor visits every matching profile exactly once. It
// returns an Invalid *errs.Error naming each bad filter value, limit or
// cursor.
func (s *Store) ListProfiles(ctx context.Context, f candidates.ProfileFilter) (candidates.Page[candidates.Profile], error) {
	const op = "candidates.ListProfiles"
	ve := errs.Validation{Op: op}
	limit := page.Limit(&ve, f.Limit)
	c := page.Decode(&ve, f.Cursor)
	if f.Credential != "" && !f.Credential.Valid() {
		ve.Add("credential", "unknown credential %q", f.Credential)
	}
	if f.LicensedIn != "" && !geo.IsState(f.LicensedIn) {
		ve.Add("licensed_in", "must be a two-letter US state or territory code, got %q", f.LicensedIn)
	}
	if err := ve.Err(); err != nil {
		return candidates.Page[candidates.Profile]{}, err
	}
	w := profileWhere(f)
	rows, err := s.db.Query(ctx, `SELECT `+profileCols+` FROM profiles`+w.Page(c, limit), w.Args...)
	if err != nil {
		return candidates.Page[candidates.Profile]{}, classify(op, err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (candidates.Profile, error) { return scanProfile(r) })
	if err != nil {
		return candidates.Page[candidates.Profile]{}, classify(op, err)
	}
	return page.Cut(items, limit, func(p candidates.Profile) (time.Time, string) { return p.CreatedAt, p.ID }), nil
}

// profileWhere returns f's conditions.
func profileWhere(f candidates.ProfileFilter) *pg.Where {
	var w pg.Where
	if f.Credential != "" {
		w.Add("credential = ?", f.Credential)
	}
	if f.Taxonomy != "" {
		w.Add("taxonomies @> ARRAY[?::text]", f.Taxonomy)
	}
	switch {
	case f.LicensedIn == "":
	case geo.NLC.Has(f.LicensedIn):
		w.Add("(licence_states @> ARRAY[?::text] OR (multistate AND licence_states && ?::text[]))", f.LicensedIn, geo.NLCMembers())
	default:
		w.Add("licence_states @> ARRAY[?::text]", f.LicensedIn)
	}
	if f.VisibleOnly {
		w.Add("visible_to_recruiters")
	}
	if f.IDs != nil {
		w.Add("id = ANY(?::uuid[])", check.UUIDs(f.IDs))
	}
	return &w
}

// UpdateProfile changes the profile with id if its version is still
// version: apply edits a copy, the result is validated and stored with the
// next version and a search outbox row. ID, version and timestamps are
// kept whatever apply does; when visible_to_recruiters changes, consent is
// stamped with the store's now and the change kept in the consent record
// with the caller's key (access.FromContext). It returns ErrNotFound,
// ErrPreconditionFailed when version is stale, an error matching
// ErrConflict when the NPI is on another profile, or an Invalid
// *errs.Error (also for an error returned by apply).
func (s *Store) UpdateProfile(ctx context.Context, id string, version int, apply func(*candidates.Profile) error) (candidates.Profile, error) {
	var out candidates.Profile
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		cur, err := getProfile(ctx, tx, id, true)
		switch {
		case err != nil:
			return err
		case cur.Version != version:
			return candidates.ErrPreconditionFailed
		}
		next := cur
		if err := apply(&next); err != nil {
			return err
		}
		now := s.Stamp()
		next.ID, next.CreatedAt, next.Version, next.UpdatedAt = cur.ID, cur.CreatedAt, cur.Version+1, now
		next.ConsentUpdatedAt = cur.ConsentUpdatedAt
		if next.VisibleToRecruiters != cur.VisibleToRecruiters {
			next.ConsentUpdatedAt = &now
		}
		normProfile(&next)
		if err := next.Validate(now); err != nil {
			return err
		}
		if err := writeProfile(ctx, tx, next, version); err != nil {
			return err
		}
		if next.VisibleToRecruiters != cur.VisibleToRecruiters {
			if err := accessdb.RecordVisibility(ctx, tx, []string{id}, access.KeyFrom(ctx), false); err != nil {
				return err
			}
		}
		out = next
		return outbox.Write(ctx, tx, outbox.Profile, id, outbox.Upsert, now)
	})
	if err != nil {
		return candidates.Profile{}, classify("candidates.UpdateProfile", err)
	}
	return out, nil
}

// writeProfile overwrites the stored profile p.ID if its version is still
// version.
func writeProfile(ctx context.Context, tx pgx.Tx, p candidates.Profile, version int) error {
	all := profileArgs(p)
	args := []any{p.ID, version}
	sets := make([]string, 0, len(insertCols))
	for i, col := range insertCols {
		if col != "id" && col != "created_at" {
			args = append(args, all[i])
			sets = append(sets, fmt.Sprintf("%s = $%d", col, len(args)))
		}
	}
	tag, err := tx.Exec(ctx, `UPDATE profiles SET `+strings.Join(sets, ", ")+` WHERE id = $1 AND version = $2`, args...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return candidates.ErrPreconditionFailed
	}
	return nil
}

// PatchProfile applies a merge patch to the profile with id; see
// UpdateProfile for the errors.
func (s *Store) PatchProfile(ctx context.Context, id string, version int, pp candidates.ProfilePatch) (candidates.Profile, error) {
	return s.UpdateProfile(ctx, id, version, func(p *candidates.Profile) error { return pp.Apply(p, s.Stamp()) })
}

// SetConsent records whether recruiters see the clinician by name
// (visible) or anonymously. It needs no version: consent is the
// clinician's current wish and overrides any concurrent edit of it.
// Changing it bumps the version, stamps ConsentUpdatedAt and keeps the
// change in the consent record with the caller's key
// (access.FromContext); setting the value it already has changes
// nothing. It returns ErrNotFound when there is no such profile.
func (s *Store) SetConsent(ctx context.Context, id string, visible bool) (candidates.Profile, error) {
	var out candidates.Profile
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		p, err := getProfile(ctx, tx, id, true)
		if err != nil {
			return err
		}
		out = p
		if p.VisibleToRecruiters == visible {
			return nil
		}
		now := s.Stamp()
		out.VisibleToRecruiters, out.ConsentUpdatedAt, out.Version, out.UpdatedAt = visible, &now, p.Version+1, now
		if _, err := tx.Exec(ctx, `UPDATE profiles SET visible_to_recruiters = $2, consent_updated_at = $3, version = $4, updated_at = $3
			WHERE id = $1`, id, visible, now, out.Version); err != nil {
			return err
		}
		if err := accessdb.RecordVisibility(ctx, tx, []string{id}, access.KeyFrom(ctx), false); err != nil {
			return err
		}
		return outbox.Write(ctx, tx, outbox.Profile, id, outbox.Upsert, now)
	})
	if err != nil {
		return candidates.Profile{}, classify("candidates.SetConsent", err)
	}
	return out, nil
}

// DeleteProfile deletes the profile with id, revokes the clinician API
// keys of the profile and queues its removal from search, all in one
// transaction, so no request made with such a key succeeds once the
// profile is gone. It returns ErrNotFound when there is none.
//
// Keys are revoked, not deleted: the audit log refers to them, and the
// key list keeps showing when they stopped working. (api_keys.profile_id
// has no foreign key; ON DELETE SET NULL would break the table's check
// that a clinician key has a profile.)
func (s *Store) DeleteProfile(ctx context.Context, id string) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if !check.UUID(id) {
			return candidates.ErrNotFound
		}
		tag, err := tx.Exec(ctx, `DELETE FROM profiles WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return candidates.ErrNotFound
		}
		now := s.Stamp()
		if _, err := tx.Exec(ctx, `UPDATE api_keys SET revoked_at = $2 WHERE profile_id = $1 AND revoked_at IS NULL`, id, now); err != nil {
			return err
		}
		return outbox.Write(ctx, tx, outbox.Profile, id, outbox.Delete, now)
	})
	return classify("candidates.DeleteProfile", err)
}

// EachProfile calls fn for every profile whose ID is in ids, or for every
// profile when ids is nil, in ID order, streaming rows so memory stays flat
// for hundreds of thousands of profiles. It stops at fn's first error and
// returns it, or returns an *errs.Error for a database failure. Used to
// build the in-memory feature store and search documents.
func (s *Store) EachProfile(ctx context.Context, ids []string, fn func(candidates.Profile) error) error {
	q := `SELECT ` + profileCols + ` FROM profiles WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[]) ORDER BY id`
	return pg.Each(ctx, s.db, "candidates.EachProfile", q, []any{pg.IDsArg(ids)}, scanProfile, fn)
}
