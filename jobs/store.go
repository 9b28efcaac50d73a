package jobs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"carefit/internal/kit/factor"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/platform/pg"
)

// DB is what the store needs: queries, COPY and the ability to begin a
// transaction. *pgxpool.Pool, *pgx.Conn and pgx.Tx satisfy it; given a
// pgx.Tx, the store's transactions become savepoints inside the caller's,
// so an API handler can wrap a store call and its own writes in one
// transaction.
type DB interface {
	pg.DBTX
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Scope says on whose behalf a call runs. The zero value is unrestricted
// (admins, background jobs).
type Scope struct {
	// OrgID, when set, restricts the call to that organisation's rows:
	// a row of another organisation is reported as ErrNotFound, so a
	// recruiter cannot even learn that it exists.
	OrgID string
	// KeyID is the API key making a change, recorded in a position's
	// version history; empty for system changes.
	KeyID string
}

// Page limits.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 200
)

// Page is one page of a list and the cursor of the next page, which is
// empty on the last page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// Store reads and writes organisations and positions in Postgres. Methods
// that change data run in their own transaction (a savepoint when the
// Store was given a pgx.Tx) and write the position's version history and
// search outbox rows in the same transaction.
type Store struct {
	db DB
	// Now is the clock, injected so tests are deterministic; NewStore sets
	// it to time.Now.
	Now func() time.Time
}

// NewStore returns a Store on db.
func NewStore(db DB) *Store { return &Store{db: db, Now: time.Now} }

// now returns the clock in UTC at Postgres's microsecond precision, so a
// value returned by a write equals the value read back later.
func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

func normTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func normTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := normTime(*t)
	return &v
}

// normDate keeps the calendar date only, as the date column does.
func normDate(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func validUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// scopeArg is the org_id filter argument: NULL means unrestricted.
func scopeArg(sc Scope) any {
	if sc.OrgID == "" {
		return nil
	}
	return sc.OrgID
}

func keyArg(sc Scope) any {
	if sc.KeyID == "" || !validUUID(sc.KeyID) {
		return nil
	}
	return sc.KeyID
}

// checkScope reports whether id and the scope's organisation are
// well-formed UUIDs; malformed ones cannot match any row.
func checkScope(id string, sc Scope) bool {
	return validUUID(id) && (sc.OrgID == "" || validUUID(sc.OrgID))
}

func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// pgError translates a database error into the package's errors: a unique
// violation into ErrConflict, a check violation into a ValidationError
// naming the constraint, and everything else unchanged. Foreign keys are
// handled by the callers, which know the field.
func pgError(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "23505":
		return fmt.Errorf("%w: %s", ErrConflict, pe.Detail)
	case "23514":
		return &ValidationError{Errors: []FieldError{{Field: pe.ConstraintName, Message: "violates a database constraint"}}}
	}
	return err
}

func isFKViolation(err error) (*pgconn.PgError, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23503" {
		return pe, true
	}
	return nil, false
}

// cursor is the position in a list ordered by (created_at, id) descending.
type cursor struct {
	CreatedAt time.Time `json:"t"`
	ID        string    `json:"i"`
}

func encodeCursor(t time.Time, id string) string {
	b, _ := json.Marshal(cursor{t, id})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor parses an opaque cursor; "" is the first page.
func decodeCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || !validUUID(c.ID) || c.CreatedAt.IsZero() {
		return nil, &ValidationError{Errors: []FieldError{{Field: "cursor", Message: "is not a cursor returned by this list"}}}
	}
	return &c, nil
}

func checkLimit(ve *ValidationError, limit int) int {
	switch {
	case limit == 0:
		return DefaultPageLimit
	case limit < 1 || limit > MaxPageLimit:
		ve.Add("limit", "must be between 1 and %d, got %d", MaxPageLimit, limit)
	}
	return limit
}

// where accumulates SQL conditions and their arguments.
type where struct {
	conds []string
	args  []any
}

// add appends a condition in which "?" stands for the next argument.
func (w *where) add(cond string, arg any) {
	w.args = append(w.args, arg)
	w.conds = append(w.conds, strings.Replace(cond, "?", fmt.Sprintf("$%d", len(w.args)), 1))
}

// page adds the cursor condition and returns the WHERE clause and the
// ORDER BY and LIMIT (one extra row, to tell whether a next page exists).
func (w *where) page(c *cursor, limit int) string {
	if c != nil {
		w.args = append(w.args, c.CreatedAt, c.ID)
		n := len(w.args)
		w.conds = append(w.conds, fmt.Sprintf("(created_at, id) < ($%d, $%d)", n-1, n))
	}
	clause := ""
	if len(w.conds) > 0 {
		clause = " WHERE " + strings.Join(w.conds, " AND ")
	}
	return clause + fmt.Sprintf(" ORDER BY created_at DESC, id DESC LIMIT %d", limit+1)
}

// ---- Organisations ----

const orgCols = `id, name, kind, weight_overrides, version, created_at, updated_at`

const locationCols = `id, name, address_line, city, postal_code, state, lat, lng, time_zone`

func scanOrg(row pgx.Row) (Organization, error) {
	var o Organization
	err := row.Scan(&o.ID, &o.Name, &o.Kind, &o.WeightOverrides, &o.Version, &o.CreatedAt, &o.UpdatedAt)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, err
}

func scanLocation(row pgx.Row) (Location, error) {
	var l Location
	err := row.Scan(&l.ID, &l.Name, &l.AddressLine, &l.City, &l.PostalCode, &l.State, &l.Lat, &l.Lng, &l.TimeZone)
	return l, err
}

// CreateOrganization stores a new organisation and its locations,
// assigning IDs that are empty, and returns it as stored. It returns a
// *ValidationError for invalid input and an error wrapping ErrConflict
// when an ID is taken.
func (s *Store) CreateOrganization(ctx context.Context, o Organization) (Organization, error) {
	now := s.now()
	if o.ID == "" {
		o.ID = uuid.NewString()
	}
	for i := range o.Locations {
		if o.Locations[i].ID == "" {
			o.Locations[i].ID = uuid.NewString()
		}
	}
	if o.WeightOverrides == nil {
		o.WeightOverrides = map[factor.Name]float64{}
	}
	o.Locations = emptyIfNil(o.Locations)
	o.Version, o.CreatedAt, o.UpdatedAt = 1, now, now
	if err := o.Validate(); err != nil {
		return Organization{}, fmt.Errorf("jobs: create organization: %w", err)
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO organizations (`+orgCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			o.ID, o.Name, o.Kind, o.WeightOverrides, o.Version, o.CreatedAt, o.UpdatedAt)
		if err != nil {
			return pgError(err)
		}
		return upsertLocations(ctx, tx, o)
	})
	if err != nil {
		return Organization{}, fmt.Errorf("jobs: create organization: %w", err)
	}
	return o, nil
}

// upsertLocations writes o's locations in list order; a location ID that
// belongs to another organisation is a field error.
func upsertLocations(ctx context.Context, tx pgx.Tx, o Organization) error {
	var ve ValidationError
	for i, l := range o.Locations {
		tag, err := tx.Exec(ctx, `
			INSERT INTO locations (org_id, ordinal, `+locationCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (id) DO UPDATE SET ordinal = EXCLUDED.ordinal, name = EXCLUDED.name,
				address_line = EXCLUDED.address_line, city = EXCLUDED.city, postal_code = EXCLUDED.postal_code,
				state = EXCLUDED.state, lat = EXCLUDED.lat, lng = EXCLUDED.lng, time_zone = EXCLUDED.time_zone
			WHERE locations.org_id = EXCLUDED.org_id`,
			o.ID, i, l.ID, l.Name, l.AddressLine, l.City, l.PostalCode, l.State, l.Lat, l.Lng, l.TimeZone)
		if err != nil {
			return pgError(err)
		}
		if tag.RowsAffected() == 0 {
			ve.Add(fmt.Sprintf("locations[%d].id", i), "belongs to another organisation")
		}
	}
	return ve.Err()
}

// getOrg reads an organisation and its locations; lock takes a row lock
// for an update.
func getOrg(ctx context.Context, db pg.DBTX, id string, sc Scope, lock bool) (Organization, error) {
	if !checkScope(id, sc) {
		return Organization{}, ErrNotFound
	}
	q := `SELECT ` + orgCols + ` FROM organizations WHERE id = $1 AND ($2::uuid IS NULL OR id = $2::uuid)`
	if lock {
		q += " FOR UPDATE"
	}
	o, err := scanOrg(db.QueryRow(ctx, q, id, scopeArg(sc)))
	if errors.Is(err, pgx.ErrNoRows) {
		return Organization{}, ErrNotFound
	}
	if err != nil {
		return Organization{}, err
	}
	rows, err := db.Query(ctx, `SELECT `+locationCols+` FROM locations WHERE org_id = $1 ORDER BY ordinal`, id)
	if err != nil {
		return Organization{}, err
	}
	o.Locations, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Location, error) { return scanLocation(r) })
	return o, err
}

// GetOrganization returns the organisation with id and its locations. It
// returns an error wrapping ErrNotFound when there is none in scope.
func (s *Store) GetOrganization(ctx context.Context, id string, sc Scope) (Organization, error) {
	o, err := getOrg(ctx, s.db, id, sc, false)
	if err != nil {
		return Organization{}, fmt.Errorf("jobs: get organization %s: %w", id, err)
	}
	return o, nil
}

// OrgFilter selects a page of organisations, newest first.
type OrgFilter struct {
	// Limit is 1 to MaxPageLimit; 0 means DefaultPageLimit.
	Limit int
	// Cursor is NextCursor of the previous page; empty for the first.
	Cursor string
}

// ListOrganizations returns a page of organisations in scope, newest
// first, with their locations. It returns a *ValidationError for a bad
// limit or cursor.
func (s *Store) ListOrganizations(ctx context.Context, f OrgFilter, sc Scope) (Page[Organization], error) {
	var ve ValidationError
	limit := checkLimit(&ve, f.Limit)
	c, err := decodeCursor(f.Cursor)
	ve.Merge("", err)
	if sc.OrgID != "" && !validUUID(sc.OrgID) {
		return Page[Organization]{Items: []Organization{}}, nil
	}
	if err := ve.Err(); err != nil {
		return Page[Organization]{}, fmt.Errorf("jobs: list organizations: %w", err)
	}
	var w where
	if sc.OrgID != "" {
		w.add("id = ?", sc.OrgID)
	}
	rows, err := s.db.Query(ctx, `SELECT `+orgCols+` FROM organizations`+w.page(c, limit), w.args...)
	if err != nil {
		return Page[Organization]{}, fmt.Errorf("jobs: list organizations: %w", err)
	}
	orgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Organization, error) { return scanOrg(r) })
	if err != nil {
		return Page[Organization]{}, fmt.Errorf("jobs: list organizations: %w", err)
	}
	page := Page[Organization]{Items: orgs}
	if len(orgs) > limit {
		page.Items = orgs[:limit]
		last := page.Items[limit-1]
		page.NextCursor = encodeCursor(last.CreatedAt, last.ID)
	}
	ids := make([]string, len(page.Items))
	at := make(map[string]int, len(page.Items))
	for i, o := range page.Items {
		ids[i], at[o.ID] = o.ID, i
		page.Items[i].Locations = []Location{}
	}
	rows, err = s.db.Query(ctx, `SELECT org_id, `+locationCols+` FROM locations WHERE org_id = ANY($1) ORDER BY org_id, ordinal`, ids)
	if err != nil {
		return Page[Organization]{}, fmt.Errorf("jobs: list organizations: locations: %w", err)
	}
	var orgID string
	var l Location
	_, err = pgx.ForEachRow(rows, []any{&orgID, &l.ID, &l.Name, &l.AddressLine, &l.City, &l.PostalCode, &l.State, &l.Lat, &l.Lng, &l.TimeZone}, func() error {
		i := at[orgID]
		page.Items[i].Locations = append(page.Items[i].Locations, l)
		return nil
	})
	if err != nil {
		return Page[Organization]{}, fmt.Errorf("jobs: list organizations: locations: %w", err)
	}
	return page, nil
}

// UpdateOrganization changes the organisation with id if its version is
// still version: apply edits a copy (OrganizationPatch.Apply fits), then
// the result is validated and stored with the next version. Locations are
// matched by ID: new ones are added, missing ones removed. Positions at a
// changed location get the new coordinates, and every position of the
// organisation is queued for search sync. It returns an error wrapping
// ErrNotFound when the organisation is not in scope, ErrPreconditionFailed
// when version is stale, or a *ValidationError (also when a removed
// location still has positions).
func (s *Store) UpdateOrganization(ctx context.Context, id string, version int, sc Scope, apply func(*Organization) error) (Organization, error) {
	var out Organization
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		cur, err := getOrg(ctx, tx, id, sc, true)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return ErrPreconditionFailed
		}
		next := cur
		next.Locations = append([]Location(nil), cur.Locations...)
		if err := apply(&next); err != nil {
			return err
		}
		now := s.now()
		next.ID, next.CreatedAt, next.Version, next.UpdatedAt = cur.ID, cur.CreatedAt, cur.Version+1, now
		for i := range next.Locations {
			if next.Locations[i].ID == "" {
				next.Locations[i].ID = uuid.NewString()
			}
		}
		if next.WeightOverrides == nil {
			next.WeightOverrides = map[factor.Name]float64{}
		}
		next.Locations = emptyIfNil(next.Locations)
		if err := next.Validate(); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE organizations SET name = $3, kind = $4, weight_overrides = $5, version = $6, updated_at = $7
			WHERE id = $1 AND version = $2`, id, version, next.Name, next.Kind, next.WeightOverrides, next.Version, next.UpdatedAt)
		if err != nil {
			return pgError(err)
		}
		if tag.RowsAffected() == 0 {
			return ErrPreconditionFailed
		}
		keep := make([]string, len(next.Locations))
		for i, l := range next.Locations {
			keep[i] = l.ID
		}
		if _, err := tx.Exec(ctx, `DELETE FROM locations WHERE org_id = $1 AND NOT (id = ANY($2))`, id, keep); err != nil {
			if _, ok := isFKViolation(err); ok {
				return &ValidationError{Errors: []FieldError{{Field: "locations", Message: "a removed location still has positions; move them to another location first"}}}
			}
			return err
		}
		if err := upsertLocations(ctx, tx, next); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE positions p SET state = l.state, lat = l.lat, lng = l.lng
			FROM locations l WHERE p.location_id = l.id AND p.org_id = $1
			AND (p.state, p.lat, p.lng) IS DISTINCT FROM (l.state, l.lat, l.lng)`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO outbox (entity, entity_id, op, created_at)
			SELECT 'position', id, 'upsert', $2 FROM positions WHERE org_id = $1`, id, now); err != nil {
			return err
		}
		out = next
		return nil
	})
	if err != nil {
		return Organization{}, fmt.Errorf("jobs: update organization %s: %w", id, err)
	}
	return out, nil
}

// DeleteOrganization deletes the organisation with id together with its
// locations and positions (and their version history), revokes the
// organisation's recruiter API keys and queues the positions' removal
// from search, all in one transaction, so no request made with such a key
// succeeds once the organisation is gone. It is meant for admins. It
// returns an error wrapping ErrNotFound when the organisation is not in
// scope.
//
// Keys are revoked, not deleted: the audit log refers to them, and the
// key list keeps showing when they stopped working.
func (s *Store) DeleteOrganization(ctx context.Context, id string, sc Scope) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := getOrg(ctx, tx, id, sc, true); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.Exec(ctx, `INSERT INTO outbox (entity, entity_id, op, created_at)
			SELECT 'position', id, 'delete', $2 FROM positions WHERE org_id = $1`, id, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE api_keys SET revoked_at = $2 WHERE org_id = $1 AND revoked_at IS NULL`, id, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM organizations WHERE id = $1`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("jobs: delete organization %s: %w", id, err)
	}
	return nil
}

// ---- Positions ----

const positionCols = `id, org_id, location_id, title, description, credentials, taxonomies, licence_states,
	employment_type, start_date, duration_weeks, schedule, pay_min, pay_max, pay_period, pay_currency,
	headcount, status, expires_at, environment, wants, version, created_at, updated_at`

func scanPosition(row pgx.Row) (Position, error) {
	var p Position
	err := row.Scan(&p.ID, &p.OrgID, &p.LocationID, &p.Title, &p.Description, &p.Credentials, &p.Taxonomies, &p.LicenceStates,
		&p.EmploymentType, &p.StartDate, &p.DurationWeeks, &p.Schedule, &p.Pay.Min, &p.Pay.Max, &p.Pay.Period, &p.Pay.Currency,
		&p.Headcount, &p.Status, &p.ExpiresAt, &p.Environment, &p.Wants, &p.Version, &p.CreatedAt, &p.UpdatedAt)
	p.CreatedAt, p.UpdatedAt, p.ExpiresAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC(), normTimePtr(p.ExpiresAt)
	return p, err
}

// positionArgs are the arguments for positionCols in order, followed by
// the location's state, lat and lng.
func positionArgs(p Position, loc Location) []any {
	return []any{p.ID, p.OrgID, p.LocationID, p.Title, p.Description, emptyIfNil(p.Credentials), emptyIfNil(p.Taxonomies), emptyIfNil(p.LicenceStates),
		p.EmploymentType, p.StartDate, p.DurationWeeks, p.Schedule, p.Pay.Min, p.Pay.Max, p.Pay.Period, p.Pay.Currency,
		p.Headcount, p.Status, p.ExpiresAt, p.Environment, p.Wants, p.Version, p.CreatedAt, p.UpdatedAt,
		loc.State, loc.Lat, loc.Lng}
}

// normPosition brings p's times to what Postgres stores, so that the
// value returned by a write equals the value read back.
func normPosition(p *Position) {
	p.StartDate = normDate(p.StartDate)
	p.ExpiresAt = normTimePtr(p.ExpiresAt)
	p.Credentials = emptyIfNil(p.Credentials)
	p.Taxonomies = emptyIfNil(p.Taxonomies)
	p.LicenceStates = emptyIfNil(p.LicenceStates)
}

// recordPosition writes the version-history row and the search outbox row
// for a position just stored.
func recordPosition(ctx context.Context, tx pgx.Tx, p Position, sc Scope) error {
	snap, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `WITH v AS (
			INSERT INTO position_versions (position_id, version, snapshot, changed_at, changed_by_key)
			VALUES ($1, $2, $3, $4, $5))
		INSERT INTO outbox (entity, entity_id, op, created_at) VALUES ('position', $1, 'upsert', $4)`,
		p.ID, p.Version, snap, p.UpdatedAt, keyArg(sc))
	return err
}

// checkPositionOrg loads p's organisation, applies its defaults to p and
// validates p at now; every problem, including a missing organisation or
// a location of another organisation, is in the returned
// *ValidationError.
func checkPositionOrg(ctx context.Context, tx pgx.Tx, p *Position, now time.Time) (Location, error) {
	var ve ValidationError
	var loc Location
	org, err := getOrg(ctx, tx, p.OrgID, Scope{}, false)
	switch {
	case errors.Is(err, ErrNotFound):
		ve.Add("org_id", "no such organisation")
	case err != nil:
		return loc, err
	default:
		ve.Merge("", p.ApplyDefaults(org))
		loc, _ = org.Location(p.LocationID)
	}
	if err := p.Validate(now); err != nil {
		var vErr *ValidationError
		errors.As(err, &vErr)
		for _, fe := range vErr.Errors {
			if !ve.Has(fe.Field) {
				ve.Errors = append(ve.Errors, fe)
			}
		}
	}
	return loc, ve.Err()
}

// fkPosition turns a foreign-key violation on a position write (a location
// removed concurrently) into a field error.
func fkPosition(err error) error {
	if pe, ok := isFKViolation(err); ok {
		field := "location_id"
		if strings.Contains(pe.ConstraintName, "org") && !strings.Contains(pe.ConstraintName, "location") {
			field = "org_id"
		}
		return &ValidationError{Errors: []FieldError{{Field: field, Message: "does not exist"}}}
	}
	return pgError(err)
}

// CreatePosition stores a new position and returns it as stored: the ID
// is assigned when empty, status defaults to draft, licence states and
// currency get their defaults (ApplyDefaults), and version is 1. Within
// sc, the position belongs to sc's organisation. It returns a
// *ValidationError for invalid input (including an unknown organisation
// or a location of another organisation), an error wrapping ErrNotFound
// when the position names an organisation outside sc, or ErrConflict when
// the ID is taken.
func (s *Store) CreatePosition(ctx context.Context, p Position, sc Scope) (Position, error) {
	if sc.OrgID != "" {
		switch p.OrgID {
		case "":
			p.OrgID = sc.OrgID
		case sc.OrgID:
		default:
			return Position{}, fmt.Errorf("jobs: create position: organization %s: %w", p.OrgID, ErrNotFound)
		}
	}
	now := s.now()
	if p.ID == "" {
		p.ID = uuid.NewString()
	}
	if p.Status == "" {
		p.Status = StatusDraft
	}
	p.Version, p.CreatedAt, p.UpdatedAt = 1, now, now
	normPosition(&p)
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		loc, err := checkPositionOrg(ctx, tx, &p, now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO positions (`+positionCols+`, state, lat, lng)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)`,
			positionArgs(p, loc)...); err != nil {
			return fkPosition(err)
		}
		return recordPosition(ctx, tx, p, sc)
	})
	if err != nil {
		return Position{}, fmt.Errorf("jobs: create position: %w", err)
	}
	return p, nil
}

func getPosition(ctx context.Context, db pg.DBTX, id string, sc Scope, lock bool) (Position, error) {
	if !checkScope(id, sc) {
		return Position{}, ErrNotFound
	}
	q := `SELECT ` + positionCols + ` FROM positions WHERE id = $1 AND ($2::uuid IS NULL OR org_id = $2::uuid)`
	if lock {
		q += " FOR UPDATE"
	}
	p, err := scanPosition(db.QueryRow(ctx, q, id, scopeArg(sc)))
	if errors.Is(err, pgx.ErrNoRows) {
		return Position{}, ErrNotFound
	}
	return p, err
}

// GetPosition returns the position with id. It returns an error wrapping
// ErrNotFound when there is none in sc.
func (s *Store) GetPosition(ctx context.Context, id string, sc Scope) (Position, error) {
	p, err := getPosition(ctx, s.db, id, sc, false)
	if err != nil {
		return Position{}, fmt.Errorf("jobs: get position %s: %w", id, err)
	}
	return p, nil
}

// PositionFilter selects a page of positions, newest first. Empty fields
// do not filter.
type PositionFilter struct {
	OrgID          string
	Status         Status
	Credential     taxonomy.Credential
	Taxonomy       string
	State          string // the location's state
	EmploymentType taxonomy.EmploymentType
	// ListedAt, when set, keeps only the positions listed at that time
	// (Position.Listed: open and not yet expired). It filters in SQL, so
	// pages stay full and cursors consistent, which dropping expired rows
	// after the LIMIT would not.
	ListedAt time.Time
	// Limit is 1 to MaxPageLimit; 0 means DefaultPageLimit.
	Limit int
	// Cursor is NextCursor of the previous page; empty for the first.
	Cursor string
}

// ListPositions returns a page of positions in sc matching f, newest
// first; following NextCursor visits every matching position exactly
// once. It returns a *ValidationError for a bad filter value, limit or
// cursor.
func (s *Store) ListPositions(ctx context.Context, f PositionFilter, sc Scope) (Page[Position], error) {
	var ve ValidationError
	limit := checkLimit(&ve, f.Limit)
	c, err := decodeCursor(f.Cursor)
	ve.Merge("", err)
	if f.OrgID != "" && !validUUID(f.OrgID) {
		ve.Add("org_id", "must be a UUID")
	}
	if f.Status != "" && !f.Status.Valid() {
		ve.Add("status", "must be one of %v, got %q", statuses, f.Status)
	}
	if f.Credential != "" && !f.Credential.Valid() {
		ve.Add("credential", "unknown credential %q", f.Credential)
	}
	if f.EmploymentType != "" && !f.EmploymentType.Valid() {
		ve.Add("employment_type", "unknown employment type %q", f.EmploymentType)
	}
	if err := ve.Err(); err != nil {
		return Page[Position]{}, fmt.Errorf("jobs: list positions: %w", err)
	}
	if sc.OrgID != "" && !validUUID(sc.OrgID) {
		return Page[Position]{Items: []Position{}}, nil
	}
	var w where
	if sc.OrgID != "" {
		w.add("org_id = ?", sc.OrgID)
	}
	if f.OrgID != "" {
		w.add("org_id = ?", f.OrgID)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if f.Credential != "" {
		w.add("credentials @> ARRAY[?::text]", f.Credential)
	}
	if f.Taxonomy != "" {
		w.add("taxonomies @> ARRAY[?::text]", f.Taxonomy)
	}
	if f.State != "" {
		w.add("state = ?", f.State)
	}
	if f.EmploymentType != "" {
		w.add("employment_type = ?", f.EmploymentType)
	}
	if !f.ListedAt.IsZero() {
		w.add("status = 'open' AND expires_at > ?", f.ListedAt)
	}
	rows, err := s.db.Query(ctx, `SELECT `+positionCols+` FROM positions`+w.page(c, limit), w.args...)
	if err != nil {
		return Page[Position]{}, fmt.Errorf("jobs: list positions: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Position, error) { return scanPosition(r) })
	if err != nil {
		return Page[Position]{}, fmt.Errorf("jobs: list positions: %w", err)
	}
	page := Page[Position]{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		last := page.Items[limit-1]
		page.NextCursor = encodeCursor(last.CreatedAt, last.ID)
	}
	return page, nil
}

// UpdatePosition changes the position with id if its version is still
// version: apply edits a copy (PositionPatch.Apply fits), then the result
// gets its defaults, is validated at the store's now and is stored with
// the next version, a version-history row and a search outbox row. ID,
// organisation, status, version and timestamps are kept whatever apply
// does (status changes go through SetStatus). It returns an error
// wrapping ErrNotFound when the position is not in sc,
// ErrPreconditionFailed when version is stale, or a *ValidationError
// (also for an error returned by apply).
func (s *Store) UpdatePosition(ctx context.Context, id string, version int, sc Scope, apply func(*Position) error) (Position, error) {
	var out Position
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		cur, err := getPosition(ctx, tx, id, sc, true)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return ErrPreconditionFailed
		}
		next := cur
		if err := apply(&next); err != nil {
			return err
		}
		now := s.now()
		next.ID, next.OrgID, next.Status, next.CreatedAt = cur.ID, cur.OrgID, cur.Status, cur.CreatedAt
		next.Version, next.UpdatedAt = cur.Version+1, now
		normPosition(&next)
		loc, err := checkPositionOrg(ctx, tx, &next, now)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE positions SET location_id = $3, title = $4, description = $5, credentials = $6,
			taxonomies = $7, licence_states = $8, employment_type = $9, start_date = $10, duration_weeks = $11,
			schedule = $12, pay_min = $13, pay_max = $14, pay_period = $15, pay_currency = $16, headcount = $17,
			expires_at = $18, environment = $19, wants = $20, state = $21, lat = $22, lng = $23,
			version = $24, updated_at = $25
			WHERE id = $1 AND version = $2`,
			id, version, next.LocationID, next.Title, next.Description, next.Credentials,
			next.Taxonomies, next.LicenceStates, next.EmploymentType, next.StartDate, next.DurationWeeks,
			next.Schedule, next.Pay.Min, next.Pay.Max, next.Pay.Period, next.Pay.Currency, next.Headcount,
			next.ExpiresAt, next.Environment, next.Wants, loc.State, loc.Lat, loc.Lng,
			next.Version, next.UpdatedAt)
		if err != nil {
			return fkPosition(err)
		}
		if tag.RowsAffected() == 0 {
			return ErrPreconditionFailed
		}
		out = next
		return recordPosition(ctx, tx, next, sc)
	})
	if err != nil {
		return Position{}, fmt.Errorf("jobs: update position %s: %w", id, err)
	}
	return out, nil
}

// PatchPosition applies a merge patch to the position with id; see
// UpdatePosition for the errors.
func (s *Store) PatchPosition(ctx context.Context, id string, version int, sc Scope, pp PositionPatch) (Position, error) {
	return s.UpdatePosition(ctx, id, version, sc, pp.Apply)
}

// SetStatus moves the position with id to status to, following the
// lifecycle rules of Position.Transition at the store's now, if its
// version is still version; the change is versioned like any other. It
// returns an error wrapping ErrNotFound, ErrPreconditionFailed or
// ErrInvalidTransition, or a *ValidationError when the position cannot be
// opened as it stands (for example without a future expiry).
func (s *Store) SetStatus(ctx context.Context, id string, version int, to Status, sc Scope) (Position, error) {
	var out Position
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		p, err := getPosition(ctx, tx, id, sc, true)
		if err != nil {
			return err
		}
		if p.Version != version {
			return ErrPreconditionFailed
		}
		now := s.now()
		if err := p.Transition(to, now); err != nil {
			return err
		}
		p.Version, p.UpdatedAt = p.Version+1, now
		tag, err := tx.Exec(ctx, `UPDATE positions SET status = $3, version = $4, updated_at = $5 WHERE id = $1 AND version = $2`,
			id, version, p.Status, p.Version, p.UpdatedAt)
		if err != nil {
			return pgError(err)
		}
		if tag.RowsAffected() == 0 {
			return ErrPreconditionFailed
		}
		out = p
		return recordPosition(ctx, tx, p, sc)
	})
	if err != nil {
		return Position{}, fmt.Errorf("jobs: set status of position %s to %s: %w", id, to, err)
	}
	return out, nil
}

// DeletePosition deletes a draft position and its history and queues its
// removal from search. Positions that were ever opened are not deleted,
// because clinicians and recruiters may have acted on them: close them
// with SetStatus instead. It returns an error wrapping ErrNotFound when
// the position is not in sc, or ErrConflict when it is not a draft.
func (s *Store) DeletePosition(ctx context.Context, id string, sc Scope) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		p, err := getPosition(ctx, tx, id, sc, true)
		if err != nil {
			return err
		}
		if p.Status != StatusDraft {
			return fmt.Errorf("%w: only a draft can be deleted; close the %s position instead", ErrConflict, p.Status)
		}
		_, err = tx.Exec(ctx, `WITH d AS (DELETE FROM positions WHERE id = $1)
			INSERT INTO outbox (entity, entity_id, op, created_at) VALUES ('position', $1, 'delete', $2)`, id, s.now())
		return err
	})
	if err != nil {
		return fmt.Errorf("jobs: delete position %s: %w", id, err)
	}
	return nil
}

// PositionVersion is one stored state of a position.
type PositionVersion struct {
	Version   int       `json:"version"`
	Position  Position  `json:"position"`
	ChangedAt time.Time `json:"changed_at"`
	// ChangedByKey is the API key that made the change; empty for system
	// changes.
	ChangedByKey string `json:"changed_by_key"`
}

// Versions returns every stored state of the position with id, oldest
// first, so that a change of pay or schedule is visible. It returns an
// error wrapping ErrNotFound when the position is not in sc.
func (s *Store) Versions(ctx context.Context, id string, sc Scope) ([]PositionVersion, error) {
	if _, err := getPosition(ctx, s.db, id, sc, false); err != nil {
		return nil, fmt.Errorf("jobs: versions of position %s: %w", id, err)
	}
	rows, err := s.db.Query(ctx, `SELECT version, snapshot, changed_at, coalesce(changed_by_key::text, '')
		FROM position_versions WHERE position_id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("jobs: versions of position %s: %w", id, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PositionVersion, error) {
		var v PositionVersion
		err := r.Scan(&v.Version, &v.Position, &v.ChangedAt, &v.ChangedByKey)
		v.ChangedAt = v.ChangedAt.UTC()
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: versions of position %s: %w", id, err)
	}
	return out, nil
}
