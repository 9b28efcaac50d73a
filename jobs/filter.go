package jobs

import (
	"time"

	"carefit/internal/kit/taxonomy"
)

// OrgFilter selects a page of organisations, newest first.
type OrgFilter struct {
	// Limit is 1 to MaxPageLimit; 0 means DefaultPageLimit.
	Limit int
	// Cursor is NextCursor of the previous page; empty for the first.
	Cursor string
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
