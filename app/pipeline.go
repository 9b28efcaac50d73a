package app

import (
	"context"
	"time"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/errs"
	"carefit/jobs"
	"carefit/match"
	"carefit/pipeline"
)

// The recruiter's pipeline: what staff did with a clinician for one
// position (package pipeline). Only staff use it, admins anywhere and
// recruiters on their own organization's positions (another organization's
// position is not found); it has one view. A ranked list of candidates
// shows each row's state and can keep only the rows in some states: their
// states come in the same query as the page's profiles, so the pipeline
// costs a ranked request no round trip.

// Pipeline is the recruiters' pipeline (pipelinedb.Store). EachProfile
// reads a page's profiles with their standing with a position's
// organization (pipeline state, introduced, blocked, related) in one
// query; EachProfileIn reads the profiles in some states of a position's
// pipeline, also in one query.
type Pipeline interface {
	Set(ctx context.Context, c pipeline.Change, sc jobs.Scope) (pipeline.Outcome, error)
	List(ctx context.Context, positionID string, states []pipeline.State, sc jobs.Scope) ([]pipeline.Entry, error)
	Get(ctx context.Context, positionID, profileID string, sc jobs.Scope) (pipeline.Entry, []pipeline.Event, error)
	EachProfile(ctx context.Context, positionID string, ids []string, fn func(candidates.Profile, pipeline.Standing) error) error
	EachProfileIn(ctx context.Context, positionID string, states []pipeline.State, fn func(candidates.Profile, pipeline.Standing) error) error
	// Placed lists the clinicians placed in each of some positions in
	// the scope, by position (overview.go).
	Placed(ctx context.Context, positionIDs []string, sc jobs.Scope) (map[string][]string, error)
}

// PipelineEntry is a pair's pipeline entry as staff read it.
type PipelineEntry struct {
	PositionID   string    `json:"position_id"`
	ClinicianID  string    `json:"clinician_id"`
	State        string    `json:"state"`
	Note         string    `json:"note"`
	ChangedByKey string    `json:"changed_by_key"`
	ChangedAt    time.Time `json:"changed_at"`
	Version      int       `json:"version"`
	// InTopK says whether the pair is among the position's stored matches
	// now; false flags a clinician the last rematch left out.
	InTopK bool     `json:"in_top_k"`
	Score  *float64 `json:"score"`
}

func entryView(e pipeline.Entry) PipelineEntry {
	return PipelineEntry{PositionID: e.PositionID, ClinicianID: e.ProfileID, State: string(e.State), Note: e.Note,
		ChangedByKey: e.ChangedByKey, ChangedAt: e.ChangedAt, Version: e.Version, InTopK: e.InTopK, Score: e.Score}
}

// PipelineEvent is one change in a pair's history.
type PipelineEvent struct {
	State        string    `json:"state"`
	Note         string    `json:"note"`
	ChangedByKey string    `json:"changed_by_key"`
	ChangedAt    time.Time `json:"changed_at"`
}

// PipelinePair is a pair's entry with its history, oldest change first.
type PipelinePair struct {
	PipelineEntry
	History []PipelineEvent `json:"history"`
}

// PipelineWritten is the answer to a change: the entry, and whether the
// change filled the position.
type PipelineWritten struct {
	PipelineEntry
	PositionFilled bool `json:"position_filled"`
}

// PipelineChange asks to set a pair's state and note; IfVersion, when
// not zero, is the entry's version the change is based on (If-Match).
type PipelineChange struct {
	PositionID  string
	ClinicianID string
	State       pipeline.State
	Note        string
	IfVersion   int
}

// pipelineFor checks that the pipeline is served here and that who is
// staff; the routes check the role too, this keeps the use case closed on
// its own.
func (s *Service) pipelineFor(who Caller) error {
	if s.Pipeline == nil {
		return errs.E("app.pipeline", errs.Unavailable, "the pipeline is not available in this process")
	}
	if who.Role != access.Admin && who.Role != access.Recruiter {
		return errs.E("app.pipeline", errs.Forbidden, "only staff keep a pipeline")
	}
	return nil
}

// SetPipeline records a change of a pair's pipeline entry and reports
// whether it created the entry. Placing the position's last opening fills
// it in the same transaction (see pipelinedb.Store.Set). It returns
// Forbidden for a clinician, NotFound for a position outside the caller's
// organization or an unknown clinician (or one the organization may not
// see: reach.go), Invalid for a bad state or note,
// and PreconditionFailed for a stale IfVersion.
func (s *Service) SetPipeline(ctx context.Context, who Caller, c PipelineChange) (PipelineWritten, bool, error) {
	if err := s.pipelineFor(who); err != nil {
		return PipelineWritten{}, false, err
	}
	// A pipeline entry makes the clinician the organization's to see, so
	// only a clinician it may already see can get one (reach.go).
	if _, err := s.canSee(ctx, who, c.ClinicianID); err != nil {
		return PipelineWritten{}, false, err
	}
	out, err := s.Pipeline.Set(ctx, pipeline.Change{PositionID: c.PositionID, ProfileID: c.ClinicianID, State: c.State,
		Note: c.Note, KeyID: who.KeyID, IfVersion: c.IfVersion}, scope(who.Principal))
	if err != nil {
		return PipelineWritten{}, false, err
	}
	return PipelineWritten{PipelineEntry: entryView(out.Entry), PositionFilled: out.Filled}, out.Created, nil
}

// PositionPipeline lists a position's pipeline, most recently changed
// first, only the entries in states when states is not empty, leaving out
// for a recruiter the clinicians who blocked their organization. Errors as
// for SetPipeline.
func (s *Service) PositionPipeline(ctx context.Context, who Caller, positionID string, states []pipeline.State) ([]PipelineEntry, error) {
	if err := s.pipelineFor(who); err != nil {
		return nil, err
	}
	es, err := s.Pipeline.List(ctx, positionID, states, scope(who.Principal))
	if err != nil {
		return nil, err
	}
	blocked, err := s.blockedAmong(ctx, who, es)
	if err != nil {
		return nil, err
	}
	out := make([]PipelineEntry, 0, len(es))
	for _, e := range es {
		if _, gone := blocked[e.ProfileID]; !gone {
			out = append(out, entryView(e))
		}
	}
	return out, nil
}

// blockedAmong returns the clinicians of es who blocked a recruiter's
// organization: a block hides them from it everywhere, pipeline included.
// Admins block nobody.
func (s *Service) blockedAmong(ctx context.Context, who Caller, es []pipeline.Entry) (map[string]struct{}, error) {
	if who.Role != access.Recruiter || len(es) == 0 {
		return nil, nil
	}
	if err := s.introsHere(); err != nil {
		return nil, err
	}
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ProfileID
	}
	r, err := s.Intros.Reach(ctx, who.OrgID, ids)
	return r.Blocked, err
}

// PipelinePairOf reads one pair's entry and its history; a pair with no
// entry, or whose clinician blocked the recruiter's organization, is
// NotFound. Errors as for SetPipeline.
func (s *Service) PipelinePairOf(ctx context.Context, who Caller, positionID, clinicianID string) (PipelinePair, error) {
	if err := s.pipelineFor(who); err != nil {
		return PipelinePair{}, err
	}
	e, history, err := s.Pipeline.Get(ctx, positionID, clinicianID, scope(who.Principal))
	if err != nil {
		return PipelinePair{}, err
	}
	if blocked, err := s.blockedAmong(ctx, who, []pipeline.Entry{e}); err != nil {
		return PipelinePair{}, err
	} else if len(blocked) > 0 {
		return PipelinePair{}, pipeline.ErrNotFound
	}
	out := PipelinePair{PipelineEntry: entryView(e), History: make([]PipelineEvent, len(history))}
	for i, h := range history {
		out.History[i] = PipelineEvent{State: string(h.State), Note: h.Note, ChangedByKey: h.ChangedByKey, ChangedAt: h.ChangedAt}
	}
	return out, nil
}

// rowProfile is a ranked row's profile with its standing with the
// organization of the position ranked for.
type rowProfile struct {
	profile  candidates.Profile
	standing pipeline.Standing
}

// pageProfiles reads the profiles with ids and their standing with
// positionID's organization in one query (pipelinedb.Store.EachProfile).
// Without the pipeline store, the profiles alone are read, and for a
// recruiter's organization their standing from the introductions store
// (a second query).
func (s *Service) pageProfiles(ctx context.Context, who Caller, mp match.Position, ids []string) (map[string]rowProfile, error) {
	out := make(map[string]rowProfile, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	if s.Pipeline != nil {
		return out, s.Pipeline.EachProfile(ctx, mp.ID, ids, func(p candidates.Profile, st pipeline.Standing) error {
			out[p.ID] = rowProfile{profile: p, standing: st}
			return nil
		})
	}
	if err := s.Profiles.EachProfile(ctx, ids, func(p candidates.Profile) error { out[p.ID] = rowProfile{profile: p}; return nil }); err != nil {
		return nil, err
	}
	if who.Role != access.Recruiter {
		return out, nil
	}
	if err := s.introsHere(); err != nil {
		return nil, err
	}
	r, err := s.Intros.Reach(ctx, mp.OrgID, ids)
	for id, row := range out {
		row.standing = pipeline.Standing{Introduced: r.IsIntroduced(id), Blocked: r.IsBlocked(id), Related: r.IsRelated(id)}
		out[id] = row
	}
	return out, err
}

// pipelineProfiles reads the profiles in states of positionID's pipeline
// with their standing in one query, before the list is ranked: the filter
// keeps only them and the page is built from them.
func (s *Service) pipelineProfiles(ctx context.Context, positionID string, states []pipeline.State) (map[string]rowProfile, error) {
	if s.Pipeline == nil {
		return nil, errs.E("app.Candidates", errs.Unavailable, "the pipeline is not available in this process")
	}
	out := map[string]rowProfile{}
	return out, s.Pipeline.EachProfileIn(ctx, positionID, states, func(p candidates.Profile, st pipeline.Standing) error {
		out[p.ID] = rowProfile{profile: p, standing: st}
		return nil
	})
}

// pairProfile reads one clinician's profile with their standing with the
// position's organization in one query; an unknown clinician is
// NotFound.
func (s *Service) pairProfile(ctx context.Context, who Caller, mp match.Position, id string) (rowProfile, error) {
	rows, err := s.pageProfiles(ctx, who, mp, []string{id})
	if err != nil {
		return rowProfile{}, err
	}
	p, ok := rows[id]
	if !ok {
		return rowProfile{}, candidates.ErrNotFound
	}
	return p, nil
}

// stateView is a ranked row's pipeline state: null when none.
func stateView(st pipeline.State) *string {
	if st == "" {
		return nil
	}
	s := string(st)
	return &s
}
