package app

import (
	"context"
	"time"

	"carefit/access"
	"carefit/internal/kit/errs"
	"carefit/rematch"
)

// A recruiter's overview of their organization's positions: beside each
// position, its placements against its headcount, its strong stored
// matches, and how many of them are new since this recruiter (their API
// key) last opened the position's page, a visit recorded server side. Like
// every recruiter's read, it leaves out the clinicians who blocked the
// organization.

// PositionSummary is what a list of positions shows beside one position.
type PositionSummary struct {
	// Placed is how many clinicians the pipeline has placed in it.
	Placed int
	// Strong counts its stored matches scoring at least the alert
	// threshold; New those of them that entered its stored matches after
	// VisitedAt, the reader's last visit of its page (nil: never, and
	// every strong match is new).
	Strong    int
	New       int
	VisitedAt *time.Time
}

// PositionSummaries are the summaries of some positions, by ID, and the
// score from which a stored match counts as strong.
type PositionSummaries struct {
	MinScore float64
	Items    map[string]PositionSummary
}

// recruiterOnly checks that who is a recruiter: the overview is an
// organization's, and admins have none.
func recruiterOnly(who Caller, op string) error {
	if who.Role != access.Recruiter || who.OrgID == "" {
		return errs.E(op, errs.Forbidden, "this is a recruiter's view of their organization's positions")
	}
	return nil
}

// PositionSummaries summarizes the calling recruiter's organization's
// positions positionIDs (other organizations' are left out). It returns
// Forbidden for other roles and Unavailable in a process without the
// pipeline, the stored matches or the introductions.
func (s *Service) PositionSummaries(ctx context.Context, who Caller, positionIDs []string) (PositionSummaries, error) {
	const op = "app.PositionSummaries"
	if err := recruiterOnly(who, op); err != nil {
		return PositionSummaries{}, err
	}
	if err := s.rematches(); err != nil {
		return PositionSummaries{}, err
	}
	if s.Pipeline == nil {
		return PositionSummaries{}, errs.E(op, errs.Unavailable, "the pipeline is not available in this process")
	}
	if err := s.introsHere(); err != nil {
		return PositionSummaries{}, err
	}
	out := PositionSummaries{MinScore: s.Rematch.AlertMinScore, Items: make(map[string]PositionSummary, len(positionIDs))}
	if len(positionIDs) == 0 {
		return out, nil
	}
	placed, err := s.Pipeline.Placed(ctx, positionIDs, scope(who.Principal))
	if err != nil {
		return PositionSummaries{}, err
	}
	strong, err := s.Rematches.StrongMatches(ctx, rematch.StrongQuery{KeyID: who.KeyID, OrgID: who.OrgID,
		PositionIDs: positionIDs, MinScore: out.MinScore})
	if err != nil {
		return PositionSummaries{}, err
	}
	var ids []string
	for _, cs := range placed {
		ids = append(ids, cs...)
	}
	for _, p := range strong.Pairs {
		ids = append(ids, p.ClinicianID)
	}
	// A clinician who blocked the organization counts nowhere, as the
	// pipeline list and the alerts leave them out.
	var blocked map[string]struct{}
	if len(ids) > 0 {
		r, err := s.Intros.Reach(ctx, who.OrgID, ids)
		if err != nil {
			return PositionSummaries{}, err
		}
		blocked = r.Blocked
	}
	seen := func(id string) bool { _, gone := blocked[id]; return !gone }
	for _, id := range positionIDs {
		var sum PositionSummary
		for _, c := range placed[id] {
			if seen(c) {
				sum.Placed++
			}
		}
		if at, ok := strong.Visited[id]; ok {
			sum.VisitedAt = &at
		}
		out.Items[id] = sum
	}
	for _, p := range strong.Pairs {
		sum, ok := out.Items[p.PositionID]
		if !ok || !seen(p.ClinicianID) {
			continue
		}
		sum.Strong++
		if p.New {
			sum.New++
		}
		out.Items[p.PositionID] = sum
	}
	return out, nil
}

// VisitPosition records that the calling recruiter opened the page of
// their organization's position positionID now, so that the positions
// list counts the strong matches new since. Another organization's
// position records nothing. It returns Forbidden for other roles.
func (s *Service) VisitPosition(ctx context.Context, who Caller, positionID string) error {
	if err := recruiterOnly(who, "app.VisitPosition"); err != nil {
		return err
	}
	if err := s.rematches(); err != nil {
		return err
	}
	return s.Rematches.VisitPosition(ctx, who.KeyID, who.OrgID, positionID, s.now())
}
