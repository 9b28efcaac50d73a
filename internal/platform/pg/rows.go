package pg

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/kit/page"
)

// Time returns t in UTC at Postgres's microsecond precision, so a value
// returned by a write equals the value read back later.
func Time(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// TimePtr is Time for an optional time.
func TimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := Time(*t)
	return &v
}

// Date keeps the calendar date only, as a date column does.
func Date(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// NonNil returns s, or an empty slice for nil: array columns are NOT NULL,
// and a list read back is never nil.
func NonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// IDsArg is the argument of a `$1::uuid[] IS NULL OR id = ANY($1::uuid[])`
// filter: NULL (every row) for nil ids, else the ids.
func IDsArg(ids []string) any {
	if ids == nil {
		return nil
	}
	return ids
}

// Each runs query q with args on db and calls fn with each row scanned by
// scan, streaming rows so memory stays flat. It stops at fn's first error
// and returns it as it is; a database error is classified for op
// (Classify).
func Each[T any](ctx context.Context, db DBTX, op, q string, args []any, scan func(pgx.Row) (T, error), fn func(T) error) error {
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return Classify(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return Classify(op, err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return Classify(op, rows.Err())
}

// Where accumulates the SQL conditions of a list and their arguments.
type Where struct {
	conds []string
	// Args are the arguments of the conditions, in placeholder order.
	Args []any
}

// Add appends a condition in which each "?" stands for the next of vals.
func (w *Where) Add(cond string, vals ...any) {
	for _, v := range vals {
		w.Args = append(w.Args, v)
		cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(w.Args)), 1)
	}
	w.conds = append(w.conds, cond)
}

// Page adds the cursor's condition and returns the WHERE clause followed by
// the ORDER BY (created_at, id) descending and a LIMIT of one row more than
// limit, which tells whether a next page exists (see page.Cut).
func (w *Where) Page(c *page.Cursor, limit int) string {
	if c != nil {
		w.Add("(created_at, id) < (?, ?)", c.CreatedAt, c.ID)
	}
	clause := ""
	if len(w.conds) > 0 {
		clause = " WHERE " + strings.Join(w.conds, " AND ")
	}
	return clause + fmt.Sprintf(" ORDER BY created_at DESC, id DESC LIMIT %d", limit+1)
}
