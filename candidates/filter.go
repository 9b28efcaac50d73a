package candidates

import (
	"carefit/internal/kit/page"
	"carefit/internal/kit/taxonomy"
)

// Page limits (package page).
const (
	DefaultPageLimit = page.DefaultLimit
	MaxPageLimit     = page.MaxLimit
)

// Page is a page of a list (package page).
type Page[T any] = page.Page[T]

// ProfileFilter selects a page of profiles, newest first. Empty fields do
// not filter.
type ProfileFilter struct {
	Credential taxonomy.Credential
	Taxonomy   string
	// LicensedIn keeps clinicians holding a licence issued by this state
	// or, in a Nurse Licensure Compact state, a multistate licence. Expiry
	// is not checked here: eligibility checks it against a start date.
	LicensedIn string
	// VisibleOnly keeps profiles whose clinician lets recruiters see them
	// by name.
	VisibleOnly bool
	// IDs, when not nil, keeps only these profiles: the clinicians a
	// recruiter's organization may see. An empty, non-nil list keeps none.
	IDs []string
	// Limit is 1 to MaxPageLimit; 0 means DefaultPageLimit.
	Limit int
	// Cursor is NextCursor of the previous page; empty for the first.
	Cursor string
}
