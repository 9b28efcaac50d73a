// Package pipeline is the recruiter's pipeline on a pair, one position and
// one clinician: what the recruiter did (shortlisted, contacted,
// interviewing, offered, placed, rejected, withdrawn), with a note, who
// and when, and the history of every change. The pipeline is the
// recruiter's own record, not derived data: it outlives every rematch, so a
// shortlisted clinician who drops out of the position's stored top K stays
// on the shortlist, flagged (Entry.InTopK). Placing as many clinicians as
// the position's headcount fills the position (see pipelinedb). This
// package has the types, the validation and the sentinel errors; it does no
// I/O.
package pipeline

import (
	"slices"
	"time"

	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
)

// State is where a pair stands in the recruiter's pipeline.
type State string

// The pipeline states. Any state may follow any other: recruiters record
// what happened, and a withdrawn clinician may come back.
const (
	Shortlisted  State = "shortlisted"
	Contacted    State = "contacted"
	Interviewing State = "interviewing"
	Offered      State = "offered"
	Placed       State = "placed"
	Rejected     State = "rejected"
	Withdrawn    State = "withdrawn"
)

var states = []State{Shortlisted, Contacted, Interviewing, Offered, Placed, Rejected, Withdrawn}

// States returns every State value, in pipeline order.
func States() []State { return slices.Clone(states) }

// Valid reports whether s is a known state.
func (s State) Valid() bool { return slices.Contains(states, s) }

// flow is the hiring flow in order; rejected and withdrawn are off it.
var flow = []State{Shortlisted, Contacted, Interviewing, Offered, Placed}

// AtOrPast reports whether a pair in state s has already reached t in the
// hiring flow (shortlisted, contacted, interviewing, offered, placed): an
// event that would move it to t, such as an accepted introduction moving
// it to contacted, must not move it back. A state off the flow (rejected,
// withdrawn) has reached nothing.
func (s State) AtOrPast(t State) bool {
	i, j := slices.Index(flow, s), slices.Index(flow, t)
	return i >= 0 && j >= 0 && i >= j
}

// MaxNote is the longest note, in characters (the column's check agrees).
const MaxNote = 2000

// Entry is a pair's current place in the pipeline.
type Entry struct {
	PositionID string
	ProfileID  string
	State      State
	Note       string
	// ChangedByKey is the API key that made the last change; empty when
	// the key is gone or the change was the system's.
	ChangedByKey string
	ChangedAt    time.Time
	// Version counts the entry's changes, from 1; it is the entry's ETag.
	Version int
	// InTopK reports whether the pair is among the position's stored
	// matches (the last rematch's top K); Score is the stored score then.
	InTopK bool
	Score  *float64
}

// Event is one stored change of a pair's entry, for its history.
type Event struct {
	State        State
	Note         string
	ChangedByKey string
	ChangedAt    time.Time
}

// Change asks to set a pair's state and note. The note replaces the
// previous one ("" clears it).
type Change struct {
	PositionID string
	ProfileID  string
	State      State
	Note       string
	// KeyID is the API key making the change.
	KeyID string
	// IfVersion, when not zero, is the entry's version the change is based
	// on (If-Match): the change applies only if the entry still has it.
	IfVersion int
}

// Validate checks the state and the note (at most MaxNote characters, the
// shared rules for typed text, newlines and tabs allowed). It returns an
// Invalid *errs.Error naming each field at fault.
func (c Change) Validate() error {
	ve := errs.Validation{Op: "pipeline.Change.Validate"}
	if !c.State.Valid() {
		ve.Add("state", "must be one of %v, got %q", states, c.State)
	}
	check.Text(&ve, "note", c.Note, MaxNote, false, true)
	return ve.Err()
}

// Standing is where a clinician stands with the organization of the
// position a ranked page or pair is read for: their state in the
// position's pipeline ("" when none), and what decides what the
// organization may see of them (see app/reach.go): Introduced, an
// accepted introduction the clinician has not revoked; Blocked, the
// clinician blocked the organization, which must then not see them; and
// Related, the clinician is in any of the organization's pipelines or
// introductions. A page's rows carry it from the same query as their
// profiles.
type Standing struct {
	State      State
	Introduced bool
	Blocked    bool
	Related    bool
}

// Outcome is what a change did.
type Outcome struct {
	// Entry is the pair's entry after the change.
	Entry Entry
	// Created reports that the pair had no entry before; Changed that the
	// state or note differed (a repeated change stores nothing).
	Created, Changed bool
	// Filled reports that the change placed the position's last opening
	// and moved the position from open to filled.
	Filled bool
}

// Sentinel errors of this package and of its store. Every error they
// return is an *errs.Error.
var (
	// ErrNotFound means the position, the clinician or the entry does not
	// exist, or is not visible to the caller.
	ErrNotFound = errs.E("pipeline", errs.NotFound, "no such record, or not visible to this API key")
	// ErrPreconditionFailed means the entry changed since the caller read
	// it (a stale If-Match), or has no version yet to match.
	ErrPreconditionFailed = errs.E("pipeline", errs.PreconditionFailed,
		"the pipeline entry changed since you read it: GET it again and reapply your change")
)
