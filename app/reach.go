package app

import (
	"context"
	"slices"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/errs"
	"carefit/intro"
)

// Which clinicians a caller may see: minimum necessary. Admins see every
// clinician (their single reads are audited), a clinician only themselves,
// and a recruiter only the clinicians eligible for at least one of their
// organization's live positions or already in its pipeline or
// introductions, and never one who blocked the organization. Everyone else
// answers NotFound, exactly as an unknown ID does, in single reads, lists,
// search and ranked lists.
//
// Eligibility comes from the feature store (Features.EligibleFor and
// EligibleClinicians: the engine's own check over the organization's live
// positions, in memory, current within a refresh), not from the stored
// matches, which keep only each position's top K clinicians seen by name.
// The pipeline, introductions and blocks come from Postgres in one query
// (Introductions.Reach).

// reachable checks that this process can tell whom a recruiter may see.
func (s *Service) reachable() error {
	if s.Features == nil || s.Intros == nil {
		return errs.E("app.reach", errs.Unavailable, "this process cannot tell which clinicians an organization may see")
	}
	return nil
}

// canSee reports whether who may see the clinician id, and for a
// recruiter whether their organization and the clinician are introduced
// (an accepted, unrevoked introduction). A clinician who may not be seen
// is candidates.ErrNotFound, as if absent; a recruiter's check needs the
// feature store and the introductions (else Unavailable).
func (s *Service) canSee(ctx context.Context, who Caller, id string) (seen, error) {
	switch who.Role {
	case access.Admin:
		return seen{}, nil
	case access.Clinician:
		if who.ProfileID != id {
			return seen{}, candidates.ErrNotFound
		}
		return seen{}, nil
	case access.Recruiter:
	default:
		return seen{}, candidates.ErrNotFound
	}
	if err := s.reachable(); err != nil {
		return seen{}, err
	}
	r, err := s.Intros.Reach(ctx, who.OrgID, []string{id})
	if err != nil {
		return seen{}, err
	}
	switch {
	case r.IsBlocked(id):
		return seen{}, candidates.ErrNotFound
	case r.IsRelated(id) || s.Features.EligibleFor(id, who.OrgID, s.now()):
		p, ok := r.IntroducedFor(id)
		return seen{introduced: ok, position: p}, nil
	}
	return seen{}, candidates.ErrNotFound
}

// seen is how a recruiter may see one clinician: introduced says the
// clinician accepted an introduction with the organization, about
// position.
type seen struct {
	introduced bool
	position   string
}

// orgReach is what one recruiter's request knows of whom their
// organization may see.
type orgReach struct {
	intro.Reach
	// eligible are the clinicians eligible for its live positions, sorted.
	eligible []string
}

// reachOf reads who's organization's reach for a list or a search: the
// clinicians eligible for its live positions (a scan of each position's
// candidates in the feature store, without scoring) and its blocks,
// pipeline and introductions (one query). who must be a recruiter. Ranked
// lists need neither: every row is eligible, and its standing comes with
// its profile (pipeline.Standing).
func (s *Service) reachOf(ctx context.Context, who Caller) (orgReach, error) {
	if err := s.reachable(); err != nil {
		return orgReach{}, err
	}
	r, err := s.Intros.Reach(ctx, who.OrgID, nil)
	if err != nil {
		return orgReach{}, err
	}
	return orgReach{Reach: r, eligible: s.Features.EligibleClinicians(who.OrgID, s.now())}, nil
}

// visible returns, sorted, the clinicians the organization may see: the
// eligible and the related ones, less those who blocked it.
func (o orgReach) visible() []string {
	out := make([]string, 0, len(o.eligible)+len(o.Related))
	for _, id := range o.eligible {
		if !o.IsBlocked(id) {
			out = append(out, id)
		}
	}
	for id := range o.Related {
		if !o.IsBlocked(id) {
			if _, found := slices.BinarySearch(o.eligible, id); !found {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return out
}

// reading is how a recruiter of the organization reads the clinician id
// in a list or search hit; for anyone else (an admin's zero reach) it
// says nothing.
func (o orgReach) reading(id string) Reading {
	return Reading{Introduced: o.IsIntroduced(id)}
}
