package ranking

import (
	"context"

	"carefit/candidates"
	"carefit/jobs"
	"carefit/search/textmatch"
)

// Profiles is where the store reads clinicians (candidatesdb.Store).
// EachProfile calls fn for every profile whose ID is in ids, or for every
// profile when ids is nil; IDs with no profile are skipped.
type Profiles interface {
	EachProfile(ctx context.Context, ids []string, fn func(candidates.Profile) error) error
}

// Positions is where the store reads positions and their organizations
// (jobsdb.Store), like Profiles.
type Positions interface {
	EachPosition(ctx context.Context, ids []string, fn func(jobs.Position) error) error
	Organizations(ctx context.Context, ids []string) (map[string]jobs.Organization, error)
}

// Kind is the kind of record a Change is about; a change of any other
// kind (such as the zero Kind) is acknowledged without a reload.
type Kind int

// The kinds of record the store follows.
const (
	KindProfile Kind = iota + 1
	KindPosition
)

// Change is one entry of the changes feed: the record ID of kind Kind was
// written or deleted. The store reloads the record's current state, so a
// change applied twice is harmless.
type Change struct {
	Kind Kind
	ID   string
}

// Changes is the feed of committed changes to profiles and positions
// (the outbox, followed by an outbox.Reader; see package rankingdb). A
// change is applied only after its transaction committed, and none is
// skipped: only Ack moves the feed on, so a batch that fails to apply is
// read again.
type Changes interface {
	// Next returns up to n changes after the feed's place, oldest first,
	// without moving it.
	Next(ctx context.Context, n int) ([]Change, error)
	// Ack records that the changes the last Next returned were applied
	// and moves the feed past them.
	Ack(ctx context.Context) error
}

// Sources is what Load reads. Changes must start no later than the
// moment Load begins reading Profiles and Positions, so that every change
// Load does not see is in the feed (rankingdb.Sources starts it at the
// oldest transaction still running).
type Sources struct {
	Profiles  Profiles
	Positions Positions
	Changes   Changes
	// Blocks, when set, says which organizations each clinician blocked;
	// a block's change is a change of the clinician's profile in Changes.
	Blocks Blocks
	// Text, when set, gives each record's searchable text, which the
	// ranked lists' free text matches (CandidateFilter.Text); without it
	// free text matches nothing.
	Text Texts
}

// Texts give a record's searchable text as the search index holds it
// (search.ProfileText and search.PositionText), nil for a record the index
// would not hold.
type Texts struct {
	Profile  func(candidates.Profile) []textmatch.Attribute
	Position func(jobs.Position, jobs.Organization) []textmatch.Attribute
}

// Blocks is where the store reads the organizations clinicians blocked
// (introdb.Store): for each clinician of ids, or of every one when ids is
// nil, the organizations' IDs; clinicians who block none are absent.
type Blocks interface {
	BlocksOf(ctx context.Context, ids []string) (map[string][]string, error)
}

// changed returns the distinct IDs of the changed profiles and positions,
// each in the order it first appears: a batch reloads each record once.
func changed(cs []Change) (profiles, positions []string) {
	seen := make(map[Change]bool, len(cs))
	for _, c := range cs {
		if seen[c] {
			continue
		}
		seen[c] = true
		switch c.Kind {
		case KindProfile:
			profiles = append(profiles, c.ID)
		case KindPosition:
			positions = append(positions, c.ID)
		}
	}
	return profiles, positions
}
