// Package app is carefit's application layer: one method per use case (a
// position's ranked candidates, a clinician's roles, one pair explained,
// free search, imports, and the profile and position reads that need
// audience views and audit). A use case loads what it needs through the
// small interfaces declared here, calls the domains and the fit engine, and
// returns a result shaped for its audience (see views_profile.go and
// views_position.go). The HTTP handlers in package api bind and validate
// the request, call one method and render what it returns; cmd/carefit is
// the only place that builds the concrete stores behind the interfaces.
//
// Inputs reach a use case already checked: the API's OpenAPI validator
// checks each parameter's type and range, and the API's binder checks what
// the document cannot express (comma-separated vocabularies, dates, pairs of
// parameters). Use cases do not check them again; what only a store can
// judge (a cursor it issued, a record's existence) the store reports.
package app

import (
	"context"
	"io"
	"time"

	"carefit/access"
	"carefit/candidates"
	"carefit/jobs"
	"carefit/match"
	"carefit/ranking"
	"carefit/search"
)

// Features is the in-memory feature store (ranking.Store): every position's
// and clinician's engine view, the ranked lists and explanations. Reading
// from it costs no database round trip.
type Features interface {
	Position(id string) (match.Position, bool)
	Clinician(id string) (match.Clinician, bool)
	Candidates(positionID string, f ranking.CandidateFilter, now time.Time) (ranking.Page, error)
	Roles(clinicianID string, f ranking.RoleFilter, now time.Time) (ranking.Page, error)
	Explain(p match.Position, c match.Clinician, now time.Time, reader match.Reader) match.Explanation
	// EligibleFor and EligibleClinicians tell which clinicians are
	// eligible for at least one of an organization's live positions (see
	// reach.go); ClinicianFacets counts free search's facets over
	// clinicians.
	EligibleFor(id, orgID string, now time.Time) bool
	EligibleClinicians(orgID string, now time.Time) []string
	ClinicianFacets(ids []string) ranking.Facets
}

// TextSearch is the search index (search.Client): free search.
type TextSearch interface {
	SearchPositions(ctx context.Context, q search.PositionQuery) (search.Result[search.PositionDoc], error)
	SearchProfiles(ctx context.Context, q search.ProfileQuery) (search.Result[search.ProfileDoc], error)
	ProfileIDsFor(ctx context.Context, q search.ProfileQuery) ([]string, error)
}

// Profiles reads clinician profiles (candidatesdb.Store). EachProfile reads
// many in one query.
type Profiles interface {
	GetProfile(ctx context.Context, id string) (candidates.Profile, error)
	EachProfile(ctx context.Context, ids []string, fn func(candidates.Profile) error) error
	ListProfiles(ctx context.Context, f candidates.ProfileFilter) (candidates.Page[candidates.Profile], error)
}

// Positions reads positions (jobsdb.Store). EachPosition reads many in one
// query.
type Positions interface {
	GetPosition(ctx context.Context, id string, sc jobs.Scope) (jobs.Position, error)
	EachPosition(ctx context.Context, ids []string, fn func(jobs.Position) error) error
	ListPositions(ctx context.Context, f jobs.PositionFilter, sc jobs.Scope) (jobs.Page[jobs.Position], error)
	Versions(ctx context.Context, id string, sc jobs.Scope) ([]jobs.PositionVersion, error)
}

// Auditor records reads of clinicians' data (accessdb.Store).
type Auditor interface {
	Record(ctx context.Context, p access.Principal, r access.Read) error
}

// Importer loads NDJSON files of profiles and positions.
type Importer interface {
	ImportProfiles(ctx context.Context, r io.Reader, opts candidates.ImportOptions) (candidates.ImportReport, error)
	ImportPositions(ctx context.Context, orgID string, r io.Reader, opts jobs.ImportOptions) (jobs.ImportReport, error)
}

// Service holds the use cases' dependencies. Features and Search may be
// nil in a process built without them; the ranked use cases (without
// Features) and free search (without Search) then answer Unavailable.
type Service struct {
	Features  Features
	Search    TextSearch
	Profiles  Profiles
	Positions Positions
	Audit     Auditor
	Imports   Importer
	// Pipeline is the recruiters' pipeline (app/pipeline.go); nil in a
	// process built without it: its use cases then answer Unavailable and
	// ranked rows carry no pipeline state.
	Pipeline Pipeline
	// Rematches, RunQueue and Rematch serve the stored matches: runs and
	// alerts (app/rematch.go). Rematches may be nil in a process built
	// without them; those use cases then answer Unavailable.
	Rematches Rematches
	RunQueue  RunQueue
	Rematch   RematchSettings
	// Webhooks are organizations' digest receivers (app/webhooks.go); nil
	// answers Unavailable.
	Webhooks Webhooks
	// Intros are introductions and clinicians' blocks (app/introductions.go)
	// and tell which clinicians an organization is related to (app/reach.go).
	// Without them, and without Features, recruiters' reads of clinicians
	// answer Unavailable: who may be seen cannot be told.
	Intros Introductions
	// Records are the clinician's access log, consent record and keys
	// (accessdb.Store), for the clinician's controls; nil answers
	// Unavailable.
	Records Records
	// Organizations names the organizations in a clinician's
	// introductions; nil leaves the names empty.
	Organizations Organizations
	// IntroDailyLimit is the introduction requests one recruiter key may
	// open in 24 hours (CAREFIT_INTRO_DAILY_LIMIT); 0 means
	// intro.DefaultDailyLimit.
	IntroDailyLimit int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Caller is who asks, and where from: the route and request ID go into the
// audit log when a use case reveals private data.
type Caller struct {
	access.Principal
	Route     string
	RequestID string
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// scope limits a recruiter to their organization.
func scope(who access.Principal) jobs.Scope {
	sc := jobs.Scope{KeyID: who.KeyID}
	if who.Role == access.Recruiter {
		sc.OrgID = who.OrgID
	}
	return sc
}

// audit records that who read the subject's profile (action
// access.ActionProfileRead) or contact details (access.ActionContactRead),
// for the position positionID when there is one; it must succeed before
// the data is returned.
func (s *Service) audit(ctx context.Context, who Caller, action, positionID, subject string) error {
	return s.Audit.Record(ctx, who.Principal, access.Read{Action: action, Route: who.Route, RequestID: who.RequestID,
		PositionID: positionID, Subjects: []string{subject}})
}

// auditRead records a single read of p by who as ProfileFor reported it:
// a reveal of contact details, or for staff a read of the profile. A
// clinician's read of their own profile is not recorded.
func (s *Service) auditRead(ctx context.Context, who Caller, reveals bool, positionID, subject string) error {
	switch {
	case reveals:
		return s.audit(ctx, who, access.ActionContactRead, positionID, subject)
	case who.Role == access.Admin || who.Role == access.Recruiter:
		return s.audit(ctx, who, access.ActionProfileRead, positionID, subject)
	}
	return nil
}
