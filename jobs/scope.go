package jobs

import "carefit/internal/kit/page"

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

// Page limits (package page).
const (
	DefaultPageLimit = page.DefaultLimit
	MaxPageLimit     = page.MaxLimit
)

// Page is one page of a list and the cursor of the next page, which is
// empty on the last page.
type Page[T any] = page.Page[T]
