package app

import (
	"context"
	"time"

	"carefit/access"
	"carefit/internal/kit/errs"
	"carefit/intro"
	"carefit/jobs"
	"carefit/match"
)

// Contact by introduction (package intro). A recruiter requests an
// introduction to a clinician their organization may see, for one of its
// open positions; the clinician lists their requests with each position
// and its fit, and accepts or declines. A clinician may also express
// interest in a listed role, which a recruiter of its organization
// answers. Acceptance shows the organization the clinician's contact
// details (reach.go, views_profile.go) and moves the pair to contacted in
// its pipeline; the clinician may revoke it later. The limits and the
// consent record are the store's (introdb).

// Introductions stores introductions and clinicians' blocks
// (introdb.Store).
type Introductions interface {
	Request(ctx context.Context, r intro.Request) (intro.Introduction, error)
	Answer(ctx context.Context, a intro.Answer) (intro.Introduction, error)
	Revoke(ctx context.Context, r intro.Revocation) (intro.Introduction, error)
	Get(ctx context.Context, id string, sc intro.Scope) (intro.Introduction, error)
	List(ctx context.Context, f intro.Filter) (intro.Page, error)
	Reach(ctx context.Context, orgID string, ids []string) (intro.Reach, error)
	Blocked(ctx context.Context, profileID string) ([]intro.Block, error)
	SetBlocked(ctx context.Context, profileID string, orgIDs []string, keyID string) ([]intro.Block, error)
	Held(ctx context.Context, profileID string) (intro.Held, error)
}

// Organizations reads organizations by ID (jobsdb.Store).
type Organizations interface {
	Organizations(ctx context.Context, ids []string) (map[string]jobs.Organization, error)
}

// introsHere checks that this process serves introductions.
func (s *Service) introsHere() error {
	if s.Intros == nil {
		return errs.E("app.intro", errs.Unavailable, "introductions are not available in this process")
	}
	return nil
}

// IntroductionRequest is a recruiter's request for an introduction.
type IntroductionRequest struct {
	PositionID  string
	ClinicianID string
	Message     string
}

// RequestIntroduction records a recruiter's request to a clinician their
// organization may see (reach.go), for one of its open positions. It
// returns Forbidden for other roles, NotFound for a clinician the
// organization may not see or a position not its own, and the store's
// errors: each limit answers 429 or 409 naming itself (intro's codes).
func (s *Service) RequestIntroduction(ctx context.Context, who Caller, r IntroductionRequest) (StaffIntroduction, error) {
	if err := s.introsHere(); err != nil {
		return StaffIntroduction{}, err
	}
	if who.Role != access.Recruiter {
		return StaffIntroduction{}, errs.E("app.RequestIntroduction", errs.Forbidden, "introductions are requested by an organization's recruiters")
	}
	if _, err := s.canSee(ctx, who, r.ClinicianID); err != nil {
		return StaffIntroduction{}, err
	}
	in, err := s.Intros.Request(ctx, intro.Request{Side: intro.Recruiter, OrgID: who.OrgID, PositionID: r.PositionID,
		ProfileID: r.ClinicianID, KeyID: who.KeyID, Message: r.Message, DailyLimit: s.IntroDailyLimit})
	if err != nil {
		return StaffIntroduction{}, err
	}
	return staffIntroduction(in, s.now()), nil
}

// ExpressInterest records the calling clinician's interest in a listed
// position, an introduction that a recruiter of its organization answers.
// It returns Forbidden for other roles, NotFound for a position that is
// not listed, and the store's errors (an organization the clinician
// blocked, the pair's limits).
func (s *Service) ExpressInterest(ctx context.Context, who Caller, positionID, message string) (ClinicianIntroduction, error) {
	if err := s.introsHere(); err != nil {
		return ClinicianIntroduction{}, err
	}
	if who.Role != access.Clinician {
		return ClinicianIntroduction{}, errs.E("app.ExpressInterest", errs.Forbidden, "clinicians express interest in roles")
	}
	in, err := s.Intros.Request(ctx, intro.Request{Side: intro.Clinician, PositionID: positionID, ProfileID: who.ProfileID,
		KeyID: who.KeyID, Message: message})
	if err != nil {
		return ClinicianIntroduction{}, err
	}
	views, err := s.clinicianIntros(ctx, who, []intro.Introduction{in})
	if err != nil {
		return ClinicianIntroduction{}, err
	}
	return views[0], nil
}

// AnswerIntroduction accepts or declines, with an optional reply, an
// introduction the caller's side did not ask for: a clinician a
// recruiter's request to them, a recruiter a clinician's interest in one
// of their organization's roles. It returns the introduction as the
// caller sees it, Forbidden for admins and for the side that asked,
// NotFound outside the caller's scope, and the store's errors (expired,
// already answered).
func (s *Service) AnswerIntroduction(ctx context.Context, who Caller, id string, accept bool, reply string) (IntroductionView, error) {
	if err := s.introsHere(); err != nil {
		return nil, err
	}
	a := intro.Answer{ID: id, Accept: accept, Reply: reply, KeyID: who.KeyID}
	switch who.Role {
	case access.Recruiter:
		a.Side, a.OrgID = intro.Recruiter, who.OrgID
	case access.Clinician:
		a.Side, a.ProfileID = intro.Clinician, who.ProfileID
	default:
		return nil, errs.E("app.AnswerIntroduction", errs.Forbidden, "introductions are answered by the clinician or the organization")
	}
	in, err := s.Intros.Answer(ctx, a)
	if err != nil {
		return nil, err
	}
	return s.introView(ctx, who, in)
}

// RevokeIntroduction is the calling clinician taking back an accepted
// introduction (its organization no longer sees their contact details) or
// their own interest still waiting for an answer. It returns Forbidden
// for other roles, NotFound for another clinician's introduction, and the
// store's errors.
func (s *Service) RevokeIntroduction(ctx context.Context, who Caller, id string) (ClinicianIntroduction, error) {
	if err := s.introsHere(); err != nil {
		return ClinicianIntroduction{}, err
	}
	if who.Role != access.Clinician {
		return ClinicianIntroduction{}, errs.E("app.RevokeIntroduction", errs.Forbidden, "clinicians revoke their introductions")
	}
	in, err := s.Intros.Revoke(ctx, intro.Revocation{ID: id, ProfileID: who.ProfileID, KeyID: who.KeyID})
	if err != nil {
		return ClinicianIntroduction{}, err
	}
	views, err := s.clinicianIntros(ctx, who, []intro.Introduction{in})
	if err != nil {
		return ClinicianIntroduction{}, err
	}
	return views[0], nil
}

// IntroductionQuery selects introductions, newest first. Zero fields do
// not filter.
type IntroductionQuery struct {
	PositionID string
	Statuses   []intro.Status
	Limit      int
	Cursor     string
}

// Introductions lists the introductions the caller takes part in: a
// recruiter's organization's, a clinician's own (with each position and
// its fit), or every one for admins. It returns the store's errors
// (Invalid for a bad limit, cursor or status).
func (s *Service) Introductions(ctx context.Context, who Caller, q IntroductionQuery) (Page[IntroductionView], error) {
	if err := s.introsHere(); err != nil {
		return Page[IntroductionView]{}, err
	}
	now := s.now()
	f := intro.Filter{PositionID: q.PositionID, Statuses: q.Statuses, Now: now, Limit: q.Limit, Cursor: q.Cursor}
	switch who.Role {
	case access.Recruiter:
		f.OrgID = who.OrgID
	case access.Clinician:
		f.ProfileID = who.ProfileID
	}
	page, err := s.Intros.List(ctx, f)
	if err != nil {
		return Page[IntroductionView]{}, err
	}
	out := Page[IntroductionView]{Items: make([]IntroductionView, 0, len(page.Items)), NextCursor: page.NextCursor}
	if who.Role == access.Clinician {
		views, err := s.clinicianIntros(ctx, who, page.Items)
		for _, v := range views {
			out.Items = append(out.Items, v)
		}
		return out, err
	}
	for _, in := range page.Items {
		out.Items = append(out.Items, staffIntroduction(in, now))
	}
	return out, nil
}

// Introduction reads one introduction as staff see it: a recruiter's
// organization's, or any for admins. Another is NotFound.
func (s *Service) Introduction(ctx context.Context, who Caller, id string) (StaffIntroduction, error) {
	if err := s.introsHere(); err != nil {
		return StaffIntroduction{}, err
	}
	sc := intro.Scope{}
	switch who.Role {
	case access.Recruiter:
		sc.OrgID = who.OrgID
	case access.Admin:
	default:
		return StaffIntroduction{}, errs.E("app.Introduction", errs.Forbidden, "clinicians read their introductions in their own list")
	}
	in, err := s.Intros.Get(ctx, id, sc)
	if err != nil {
		return StaffIntroduction{}, err
	}
	return staffIntroduction(in, s.now()), nil
}

// introView is in as who sees it.
func (s *Service) introView(ctx context.Context, who Caller, in intro.Introduction) (IntroductionView, error) {
	if who.Role != access.Clinician {
		return staffIntroduction(in, s.now()), nil
	}
	views, err := s.clinicianIntros(ctx, who, []intro.Introduction{in})
	if err != nil {
		return nil, err
	}
	return views[0], nil
}

// clinicianIntros builds the clinician's views of ins: their positions in
// one query, their organizations' names in another, and each pair's fit
// from the feature store, as their ranked roles explain it.
func (s *Service) clinicianIntros(ctx context.Context, who Caller, ins []intro.Introduction) ([]ClinicianIntroduction, error) {
	var posIDs, orgIDs []string
	for _, in := range ins {
		posIDs, orgIDs = append(posIDs, in.PositionID), append(orgIDs, in.OrgID)
	}
	posts := map[string]jobs.Position{}
	if len(posIDs) > 0 {
		if err := s.Positions.EachPosition(ctx, posIDs, func(p jobs.Position) error { posts[p.ID] = p; return nil }); err != nil {
			return nil, err
		}
	}
	orgs := map[string]jobs.Organization{}
	if s.Organizations != nil && len(orgIDs) > 0 {
		var err error
		if orgs, err = s.Organizations.Organizations(ctx, orgIDs); err != nil {
			return nil, err
		}
	}
	now := s.now()
	out := make([]ClinicianIntroduction, len(ins))
	for i, in := range ins {
		var pos PositionView
		if p, ok := posts[in.PositionID]; ok {
			pos = PositionFor(who.Principal, p)
		}
		out[i] = clinicianIntroduction(in, now, orgs[in.OrgID].Name, pos, s.fitOf(in.PositionID, in.ProfileID, now))
	}
	return out, nil
}

// fitOf explains the pair from the feature store; nil when the store
// lacks either side.
func (s *Service) fitOf(positionID, profileID string, now time.Time) *Explanation {
	if s.Features == nil {
		return nil
	}
	mp, ok := s.Features.Position(positionID)
	c, ok2 := s.Features.Clinician(profileID)
	if !ok || !ok2 {
		return nil
	}
	// Only the clinician's own list of introductions shows this fit, in
	// their words, as their roles do.
	ex := explanationView(s.Features.Explain(mp, c, now, match.ReaderClinician))
	return &ex
}
