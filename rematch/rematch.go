// Package rematch is the stored side of matching: rematch runs (nightly or
// on demand), which split every open position into shards that asynq
// workers rank with the fit engine, the top K eligible, consenting
// clinicians kept per open position, what each run changed, and the alerts
// drawn from them. Stored matches are derived data: a run rebuilds them
// from positions and profiles, and event tasks keep them current between
// runs. This package has the types and rules; rematchdb stores them.
package rematch

import (
	"time"

	"carefit/internal/kit/errs"
)

// Trigger says what started a run.
type Trigger string

// The triggers of a run.
const (
	Nightly Trigger = "nightly"
	Manual  Trigger = "manual"
)

// Status is a run's state.
type Status string

// A run is queued, then planned into shards, then running until its last
// shard is written (done) or one fails for good (failed).
const (
	Queued   Status = "queued"
	Planning Status = "planning"
	Running  Status = "running"
	Done     Status = "done"
	Failed   Status = "failed"
)

// ImprovedBy is how many points a pair's score must rise (or fall) between
// runs to count as improved (or worse).
const ImprovedBy = 5

// Counts are what a run changed: pairs that entered a position's top K,
// improved or fell by ImprovedBy points or more, or left it.
type Counts struct {
	New      int `json:"new"`
	Improved int `json:"improved"`
	Worse    int `json:"worse"`
	Dropped  int `json:"dropped"`
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.New, c.Improved, c.Worse, c.Dropped = c.New+o.New, c.Improved+o.Improved, c.Worse+o.Worse, c.Dropped+o.Dropped
}

// Run is one rematch of every open position.
type Run struct {
	ID      int64      `json:"id"`
	Trigger Trigger    `json:"trigger"`
	Slot    *time.Time `json:"slot,omitempty"`
	Status  Status     `json:"status"`
	// AsOf is the time the run scores at: every shard uses it.
	AsOf        time.Time  `json:"as_of"`
	K           int        `json:"k"`
	ShardsTotal int        `json:"shards_total"`
	ShardsDone  int        `json:"shards_done"`
	Positions   int        `json:"positions"`
	PairsScored int64      `json:"pairs_scored"`
	Changes     Counts     `json:"changes"`
	Error       string     `json:"error,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	StartedAt   *time.Time `json:"started_at,omitempty"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
}

// Elapsed is how long the run has taken so far (or took), measured from
// its start; zero before it starts.
func (r Run) Elapsed(now time.Time) time.Duration {
	if r.StartedAt == nil {
		return 0
	}
	end := now
	if r.FinishedAt != nil {
		end = *r.FinishedAt
	}
	return end.Sub(*r.StartedAt)
}

// Remaining estimates the time left from the shards done so far; it is
// zero when the run has ended and unknown (false) before a shard is done.
func (r Run) Remaining(now time.Time) (time.Duration, bool) {
	switch {
	case r.Status == Done || r.Status == Failed:
		return 0, true
	case r.ShardsDone == 0 || r.ShardsTotal == 0:
		return 0, false
	}
	per := r.Elapsed(now) / time.Duration(r.ShardsDone)
	return per * time.Duration(r.ShardsTotal-r.ShardsDone), true
}

// ErrNotFound is a run that does not exist.
var ErrNotFound = errs.E("rematch", errs.NotFound, "no such rematch run")

// ShardSize is about how many positions one shard task ranks: small enough
// that a retried shard repeats little work, large enough that the number of
// tasks stays small (one Redis round trip each).
const ShardSize = 500

// Alert is a new strong match: a pair that entered a position's stored
// matches after the reader last marked alerts seen, with a score of at
// least the alert threshold.
type Alert struct {
	PositionID    string    `json:"position_id"`
	PositionTitle string    `json:"position_title"`
	ClinicianID   string    `json:"clinician_id"`
	Score         float64   `json:"score"`
	Rank          int       `json:"rank"`
	FirstSeenAt   time.Time `json:"first_seen_at"`
}

// AlertQuery selects alerts: of one organization's open positions (a
// recruiter's) or of one clinician (their new fitting roles), first seen
// after Since, scoring at least MinScore.
type AlertQuery struct {
	OrgID     string
	ProfileID string
	Since     time.Time
	MinScore  float64
	Limit     int
}

// StrongQuery selects the strong stored matches of some of one
// organization's positions, as one reader (an API key) sees them: which
// pairs score at least MinScore, and which of those are new since the
// reader last opened each position's page.
type StrongQuery struct {
	KeyID       string
	OrgID       string
	PositionIDs []string
	MinScore    float64
}

// StrongPair is one strong stored match; New says it entered the
// position's stored matches after the reader's last visit of the
// position's page, or that the reader never opened it.
type StrongPair struct {
	PositionID  string
	ClinicianID string
	New         bool
}

// Strong is the answer to a StrongQuery: the pairs, and when the reader
// last opened each position's page (absent: never).
type Strong struct {
	Pairs   []StrongPair
	Visited map[string]time.Time
}
