package app

import (
	"context"
	"slices"
	"time"

	"carefit/access"
	"carefit/internal/kit/errs"
	"carefit/rematch"
)

// Rematches stores rematch runs and the alerts drawn from stored matches
// (rematchdb.Store).
type Rematches interface {
	CreateRun(ctx context.Context, trigger rematch.Trigger, slot *time.Time, asOf time.Time, k int, requestedBy string) (rematch.Run, bool, error)
	Run(ctx context.Context, id int64) (rematch.Run, error)
	Runs(ctx context.Context, limit int, before int64) ([]rematch.Run, error)
	Fail(ctx context.Context, runID int64, msg string, now time.Time) error
	Alerts(ctx context.Context, q rematch.AlertQuery) ([]rematch.Alert, error)
	SeenAt(ctx context.Context, keyID string) (time.Time, error)
	MarkSeen(ctx context.Context, keyID string, at time.Time) error
	// StrongMatches and VisitPosition serve a recruiter's overview of
	// their positions (overview.go).
	StrongMatches(ctx context.Context, q rematch.StrongQuery) (rematch.Strong, error)
	VisitPosition(ctx context.Context, keyID, orgID, positionID string, at time.Time) error
}

// RunQueue hands a recorded run to the workers (an asynq
// match:rematch_run task).
type RunQueue interface {
	EnqueueRun(ctx context.Context, runID int64) error
}

// RematchSettings are the stored matches' tuning: K clinicians kept per
// position and the lowest score alerted.
type RematchSettings struct {
	K             int
	AlertMinScore float64
	// WebhookAllowPrivate lets webhooks use http and private addresses.
	WebhookAllowPrivate bool
}

// RunView is a run as operators read it: its state and counts, with the
// time it has taken and an estimate of the time left.
type RunView struct {
	rematch.Run
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	// RemainingSeconds is nil until a shard is done.
	RemainingSeconds *float64 `json:"remaining_seconds"`
}

func (s *Service) runView(r rematch.Run) RunView {
	now := s.now()
	v := RunView{Run: r, ElapsedSeconds: r.Elapsed(now).Round(time.Millisecond).Seconds()}
	if left, ok := r.Remaining(now); ok {
		sec := left.Round(time.Second).Seconds()
		v.RemainingSeconds = &sec
	}
	return v
}

func (s *Service) rematches() error {
	if s.Rematches == nil {
		return errs.E("app.rematch", errs.Unavailable, "stored matches are not available in this process")
	}
	return nil
}

// StartRun records a manual rematch of every open position at now and
// queues it (admins only, checked by the route). A run that cannot be
// queued is marked failed and the error is Unavailable.
func (s *Service) StartRun(ctx context.Context, who Caller) (RunView, error) {
	if err := s.rematches(); err != nil {
		return RunView{}, err
	}
	if s.RunQueue == nil {
		return RunView{}, errs.E("app.StartRun", errs.Unavailable, "no task queue in this process: runs cannot start")
	}
	run, _, err := s.Rematches.CreateRun(ctx, rematch.Manual, nil, s.now(), s.Rematch.K, who.KeyID)
	if err != nil {
		return RunView{}, err
	}
	if err := s.RunQueue.EnqueueRun(ctx, run.ID); err != nil {
		_ = s.Rematches.Fail(context.WithoutCancel(ctx), run.ID, "the run could not be queued", s.now())
		return RunView{}, errs.Wrap("app.StartRun", errs.Unavailable, err, "the task queue is unavailable: retry shortly")
	}
	return s.runView(run), nil
}

// Run returns one run, or a NotFound error.
func (s *Service) Run(ctx context.Context, id int64) (RunView, error) {
	if err := s.rematches(); err != nil {
		return RunView{}, err
	}
	r, err := s.Rematches.Run(ctx, id)
	if err != nil {
		return RunView{}, err
	}
	return s.runView(r), nil
}

// Runs returns up to limit runs, newest first, before the run with ID
// before (0: from the newest).
func (s *Service) Runs(ctx context.Context, limit int, before int64) ([]RunView, error) {
	if err := s.rematches(); err != nil {
		return nil, err
	}
	rs, err := s.Rematches.Runs(ctx, limit, before)
	if err != nil {
		return nil, err
	}
	out := make([]RunView, len(rs))
	for i, r := range rs {
		out[i] = s.runView(r)
	}
	return out, nil
}

// Alerts are a reader's new strong matches and when they last marked
// alerts seen.
type Alerts struct {
	Since    *time.Time      `json:"since"`
	MinScore float64         `json:"min_score"`
	Items    []rematch.Alert `json:"items"`
}

// Alerts returns a recruiter's new strong matches on their organization's
// open positions, or a clinician's new fitting roles, since the caller's
// key last marked alerts seen (routes admit only these two roles).
func (s *Service) Alerts(ctx context.Context, who Caller, limit int) (Alerts, error) {
	if err := s.rematches(); err != nil {
		return Alerts{}, err
	}
	since, err := s.Rematches.SeenAt(ctx, who.KeyID)
	if err != nil {
		return Alerts{}, err
	}
	q := rematch.AlertQuery{Since: since, MinScore: s.Rematch.AlertMinScore, Limit: limit}
	switch who.Role {
	case access.Recruiter:
		q.OrgID = who.OrgID
	case access.Clinician:
		q.ProfileID = who.ProfileID
	default:
		return Alerts{}, errs.E("app.Alerts", errs.Forbidden, "alerts are for recruiters and clinicians")
	}
	items, err := s.Rematches.Alerts(ctx, q)
	if err != nil {
		return Alerts{}, err
	}
	if items, err = s.unblocked(ctx, who, items); err != nil {
		return Alerts{}, err
	}
	a := Alerts{MinScore: q.MinScore, Items: items}
	if !since.IsZero() {
		a.Since = &since
	}
	return a, nil
}

// unblocked leaves out of a recruiter's alerts the clinicians who blocked
// their organization.
func (s *Service) unblocked(ctx context.Context, who Caller, items []rematch.Alert) ([]rematch.Alert, error) {
	if who.Role != access.Recruiter || len(items) == 0 {
		return items, nil
	}
	if err := s.introsHere(); err != nil {
		return nil, err
	}
	ids := make([]string, len(items))
	for i, a := range items {
		ids[i] = a.ClinicianID
	}
	r, err := s.Intros.Reach(ctx, who.OrgID, ids)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(items, func(a rematch.Alert) bool { return r.IsBlocked(a.ClinicianID) }), nil
}

// MarkAlertsSeen records that the caller has seen their alerts up to now.
func (s *Service) MarkAlertsSeen(ctx context.Context, who Caller) error {
	if err := s.rematches(); err != nil {
		return err
	}
	return s.Rematches.MarkSeen(ctx, who.KeyID, s.now())
}
