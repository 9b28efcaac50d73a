// Package page is how carefit's stored lists are paged: newest first in
// (created_at, id) order, continued by an opaque cursor naming the last
// item of the previous page, with a limit checked in one place. jobs and
// candidates both page this way; each keeps its own filter and query.
package page

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
)

// Limits on a page's length.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Page is one page of a list and the cursor of the next page, which is
// empty on the last page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// Cursor is the place in a list ordered by (created_at, id) descending
// after which the next page starts.
type Cursor struct {
	CreatedAt time.Time `json:"t"`
	ID        string    `json:"i"`
}

// Encode returns the opaque cursor of the item created at t with id.
func Encode(t time.Time, id string) string {
	b, _ := json.Marshal(Cursor{t, id})
	return base64.RawURLEncoding.EncodeToString(b)
}

// Decode parses an opaque cursor; "" is the first page and gives nil. A
// cursor this package did not encode is recorded in v under "cursor" and
// gives nil too.
func Decode(v *errs.Validation, s string) *Cursor {
	if s == "" {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c Cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || !check.UUID(c.ID) || c.CreatedAt.IsZero() {
		v.Add("cursor", "is not a cursor returned by this list")
		return nil
	}
	return &c
}

// Limit returns the page length asked for, DefaultLimit for 0, and
// records a length outside 1..MaxLimit in v under "limit".
func Limit(v *errs.Validation, limit int) int {
	switch {
	case limit == 0:
		return DefaultLimit
	case limit < 1 || limit > MaxLimit:
		v.Add("limit", "must be between 1 and %d, got %d", MaxLimit, limit)
	}
	return limit
}

// Cut makes a page of items read with one row more than limit (which
// tells whether a next page exists); key gives an item's created_at and
// id for the next cursor.
func Cut[T any](items []T, limit int, key func(T) (time.Time, string)) Page[T] {
	p := Page[T]{Items: items}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(items) > limit {
		p.Items = items[:limit]
		p.NextCursor = Encode(key(p.Items[limit-1]))
	}
	return p
}
