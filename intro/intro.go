// Package intro is contact by introduction: a double opt-in between one
// organization and one clinician about one of its positions. A recruiter
// requests an introduction with a message and the clinician accepts or
// declines it with an optional reply, or the clinician expresses interest
// in a role and a recruiter of its organization answers. Only an accepted
// introduction that the clinician has not revoked shows that organization
// the clinician's contact details. Limits keep it humane: a recruiter key
// opens at most a daily number of requests, one request between an
// organization and a clinician waits for an answer at a time, a declined
// or revoked one cannot be repeated for 90 days, and requests expire after
// 14 days. The clinician's other controls live here too: the
// organizations they block, which never see them at all.
//
// This package has the types, the rules and the sentinel errors; it does
// no I/O. Package introdb keeps introductions and blocks in Postgres.
package intro

import (
	"slices"
	"time"

	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/page"
)

// Status is where an introduction stands.
type Status string

// The statuses. Pending, Accepted, Declined and Revoked are stored;
// Expired is what a pending introduction is once its time is up, read at
// query time (StatusAt), so no background sweep decides it.
const (
	Pending  Status = "pending"
	Accepted Status = "accepted"
	Declined Status = "declined"
	Revoked  Status = "revoked"
	Expired  Status = "expired"
)

var statuses = []Status{Pending, Accepted, Declined, Revoked, Expired}

// Statuses returns every Status.
func Statuses() []Status { return slices.Clone(statuses) }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(statuses, s) }

// Side is a party to an introduction: the organization's recruiters or
// the clinician.
type Side string

// The sides.
const (
	Recruiter Side = "recruiter"
	Clinician Side = "clinician"
)

// Other returns the side that answers an introduction s started.
func (s Side) Other() Side {
	if s == Recruiter {
		return Clinician
	}
	return Recruiter
}

// The rules.
const (
	// MaxMessage is the longest message or reply, in characters (the
	// columns' checks agree).
	MaxMessage = 2000
	// Lifetime is how long a request waits for an answer.
	Lifetime = 14 * 24 * time.Hour
	// Cooldown is how long a declined (or revoked) introduction cannot be
	// asked for again by the side that asked.
	Cooldown = 90 * 24 * time.Hour
	// DailyWindow is the window of the daily limit: a recruiter key's
	// requests count for this long after they are opened.
	DailyWindow = 24 * time.Hour
	// DefaultDailyLimit is the requests a recruiter key may open in a
	// DailyWindow unless CAREFIT_INTRO_DAILY_LIMIT says otherwise.
	DefaultDailyLimit = 50
	// MaxBlocked is the most organizations a clinician may block.
	MaxBlocked = 100
)

// Introduction is one introduction between an organization and a
// clinician about one position.
type Introduction struct {
	ID         string
	OrgID      string
	PositionID string
	ProfileID  string
	// Initiator is the side that asked; the other side answers.
	Initiator Side
	// RequestedByKey is the API key that asked.
	RequestedByKey string
	Message        string
	// Status is as stored; StatusAt tells an expired request apart.
	Status    Status
	Reply     string
	CreatedAt time.Time
	ExpiresAt time.Time
	// AnsweredAt and AnsweredByKey are the acceptance or decline.
	AnsweredAt    *time.Time
	AnsweredByKey string
	// RevokedAt and RevokedByKey are the clinician's revocation.
	RevokedAt    *time.Time
	RevokedByKey string
}

// StatusAt is the introduction's status at now: a pending one is Expired
// from its ExpiresAt on.
func (i Introduction) StatusAt(now time.Time) Status {
	if i.Status == Pending && !now.Before(i.ExpiresAt) {
		return Expired
	}
	return i.Status
}

// Request asks for an introduction: a recruiter's request to a clinician,
// or a clinician's interest in a role.
type Request struct {
	// Side is who asks. A recruiter's OrgID is their organization, which
	// must own the position; a clinician's ProfileID is their own.
	Side       Side
	OrgID      string
	PositionID string
	ProfileID  string
	KeyID      string
	Message    string
	// DailyLimit is the requests a recruiter key may open in a
	// DailyWindow; 0 means DefaultDailyLimit.
	DailyLimit int
}

// Validate checks the message: at most MaxMessage characters, the shared
// rules for typed text, newlines and tabs allowed, and required of a
// recruiter (a request says who asks and why; a clinician's interest may
// speak for itself). It returns an Invalid *errs.Error naming the field.
// IDs are not checked here: a malformed one names nothing and the store
// answers ErrNotFound.
func (r Request) Validate() error {
	ve := errs.Validation{Op: "intro.Request.Validate"}
	check.Text(&ve, "message", r.Message, MaxMessage, r.Side == Recruiter, true)
	return ve.Err()
}

// Answer accepts or declines a pending introduction. Side answers: a
// recruiter of OrgID a clinician's interest, the clinician ProfileID a
// recruiter's request.
type Answer struct {
	ID        string
	Side      Side
	OrgID     string
	ProfileID string
	Accept    bool
	Reply     string
	KeyID     string
}

// Validate checks the reply as Request.Validate checks the message.
func (a Answer) Validate() error {
	ve := errs.Validation{Op: "intro.Answer.Validate"}
	check.Text(&ve, "reply", a.Reply, MaxMessage, false, true)
	return ve.Err()
}

// Revocation is the clinician ProfileID taking back an introduction: an
// accepted one (the organization no longer sees their contact details) or
// their own pending interest.
type Revocation struct {
	ID        string
	ProfileID string
	KeyID     string
}

// Filter selects introductions, newest first. OrgID or ProfileID scopes
// the list (a recruiter's organization, a clinician's profile; neither for
// admins); the other fields narrow it.
type Filter struct {
	OrgID      string
	ProfileID  string
	PositionID string
	// Statuses keeps these statuses as StatusAt reads them at Now.
	Statuses []Status
	Now      time.Time
	// Limit is 1 to 200; 0 means 50. Cursor is the previous page's
	// NextCursor.
	Limit  int
	Cursor string
}

// Scope says whose introduction a single read may see: a recruiter's
// organization, a clinician's profile, or neither (admins).
type Scope struct {
	OrgID     string
	ProfileID string
}

// Reach is what Postgres knows of which clinicians one organization may
// see: those who blocked it (never), those in its pipeline or
// introductions (always, blocks aside), and those whose introduction with
// it is accepted and not revoked (by name and with contact details), with
// the position that introduction is about.
// Eligibility for its open positions, the other way in, is the feature
// store's (ranking.Store.EligibleFor).
type Reach struct {
	Blocked    map[string]struct{}
	Related    map[string]struct{}
	Introduced map[string]string
}

// IsBlocked, IsRelated and IsIntroduced report whether id is in the set.
func (r Reach) IsBlocked(id string) bool    { _, ok := r.Blocked[id]; return ok }
func (r Reach) IsRelated(id string) bool    { _, ok := r.Related[id]; return ok }
func (r Reach) IsIntroduced(id string) bool { _, ok := r.Introduced[id]; return ok }

// IntroducedFor is the position of id's accepted introduction with the
// organization, when there is one.
func (r Reach) IntroducedFor(id string) (string, bool) { p, ok := r.Introduced[id]; return p, ok }

// Block is an organization a clinician blocked.
type Block struct {
	OrgID     string    `json:"org_id"`
	OrgName   string    `json:"org_name"`
	BlockedAt time.Time `json:"blocked_at"`
}

// Held is what the introductions' store keeps about one clinician beyond
// their profile, for the clinician's export: their introductions, the
// organizations they block, the pipeline entries recruiters keep about
// them (with notes and history) and their stored matches.
type Held struct {
	Introductions []Introduction
	Blocks        []Block
	Pipeline      []PipelineRecord
	Matches       []MatchRecord
}

// PipelineRecord is one position's pipeline entry about a clinician, with
// its history.
type PipelineRecord struct {
	PositionID string          `json:"position_id"`
	OrgID      string          `json:"org_id"`
	State      string          `json:"state"`
	Note       string          `json:"note"`
	ChangedAt  time.Time       `json:"changed_at"`
	History    []PipelineEvent `json:"history"`
}

// PipelineEvent is one change of a pipeline entry.
type PipelineEvent struct {
	State     string    `json:"state"`
	Note      string    `json:"note"`
	ChangedAt time.Time `json:"changed_at"`
}

// MatchRecord is a clinician's place in one position's stored matches.
type MatchRecord struct {
	PositionID  string    `json:"position_id"`
	Rank        int       `json:"rank"`
	Score       float64   `json:"score"`
	FirstSeenAt time.Time `json:"first_seen_at"`
	ComputedAt  time.Time `json:"computed_at"`
}

// Page is one page of introductions (package page).
type Page = page.Page[Introduction]
