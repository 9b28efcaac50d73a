package jobs

import (
	"fmt"
	"slices"
	"time"

	"carefit/internal/kit/errs"
)

// Status is a position's place in its lifecycle:
//
//	draft ──▶ open ──▶ filled
//	  │        │ ▲
//	  │        ▼ │
//	  └─────▶ closed
//
// A draft is being written and never listed. An open position is listed
// until it expires. Filled is terminal: the hire happened, and reopening
// would hide that history, so a new opening is a new position. Closed may be
// reopened (closed → open), because employers pause postings (budget freeze,
// a candidate in late-stage interviews) and reposting should keep the
// position's ID, version history and recruiter activity.
type Status string

// Position statuses.
const (
	StatusDraft  Status = "draft"
	StatusOpen   Status = "open"
	StatusFilled Status = "filled"
	StatusClosed Status = "closed"
)

var statuses = []Status{StatusDraft, StatusOpen, StatusFilled, StatusClosed}

// Statuses returns every Status value.
func Statuses() []Status { return slices.Clone(statuses) }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(statuses, s) }

var transitions = map[Status][]Status{
	StatusDraft:  {StatusOpen, StatusClosed},
	StatusOpen:   {StatusFilled, StatusClosed},
	StatusClosed: {StatusOpen},
	StatusFilled: nil,
}

// CanTransition reports whether the lifecycle allows from → to. Staying in
// the same status is not a transition and reports false.
func CanTransition(from, to Status) bool {
	return slices.Contains(transitions[from], to)
}

// Transition moves p to status to. Opening requires the position to be
// valid at now (in particular an expiry after now). It returns an error
// matching ErrInvalidTransition for a move the lifecycle forbids, or an
// Invalid *errs.Error when the position cannot be opened as it stands; p is
// unchanged on error. The caller bumps Version and UpdatedAt when storing.
func (p *Position) Transition(to Status, now time.Time) error {
	if !to.Valid() {
		return errs.E(opTransition, errs.Conflict, fmt.Sprintf("unknown status %q", to))
	}
	if !CanTransition(p.Status, to) {
		return errs.E(opTransition, errs.Conflict, fmt.Sprintf("a %s position cannot become %s", p.Status, to))
	}
	if to == StatusOpen {
		next := *p
		next.Status = to
		if err := next.Validate(now); err != nil {
			return err
		}
	}
	p.Status = to
	return nil
}

// Listed reports whether the position may appear in search and match
// results at now: open and not expired.
func (p Position) Listed(now time.Time) bool {
	return p.Status == StatusOpen && p.ExpiresAt != nil && now.Before(*p.ExpiresAt)
}
