package app

import (
	"context"
	"io"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/errs"
	"carefit/jobs"
)

// Page is one page of a list of views.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// Profile reads one profile as the caller may see it (see ProfileFor),
// auditing the read first (staff's reads as profile reads, reveals of
// contact details as such), and returns the profile's version for the
// ETag. A clinician reads only their own profile, a recruiter only a
// clinician their organization may see (reach.go): another one is
// NotFound, as is an unknown ID.
func (s *Service) Profile(ctx context.Context, who Caller, id string) (ClinicianView, int, error) {
	sn, err := s.canSee(ctx, who, id)
	if err != nil {
		return nil, 0, err
	}
	p, err := s.Profiles.GetProfile(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	view, reveals := ProfileFor(who.Principal, p, Reading{Single: true, Introduced: sn.introduced})
	// A read outside any position's page is recorded for the position of
	// the accepted introduction, when there is one: the clinician's access
	// log then says what the organization reads them for.
	if err := s.auditRead(ctx, who, reveals, sn.position, p.ID); err != nil {
		return nil, 0, err
	}
	return view, p.Version, nil
}

// ListProfiles lists profiles as the caller may see them in a list: never
// contact details or licence numbers, and for a recruiter only the
// clinicians their organization may see (reach.go), paged as any list. It
// returns the store's errors, and Unavailable when a recruiter's reach
// cannot be told.
func (s *Service) ListProfiles(ctx context.Context, who Caller, f candidates.ProfileFilter) (Page[ClinicianView], error) {
	var reach orgReach
	if who.Role == access.Recruiter {
		var err error
		if reach, err = s.reachOf(ctx, who); err != nil {
			return Page[ClinicianView]{}, err
		}
		f.IDs = reach.visible()
	}
	page, err := s.Profiles.ListProfiles(ctx, f)
	if err != nil {
		return Page[ClinicianView]{}, err
	}
	return Page[ClinicianView]{Items: listViews(who, reach, page.Items), NextCursor: page.NextCursor}, nil
}

// Position reads a position the caller may see, as they may see it:
// recruiters their own organization's, clinicians only listed ones (others
// are NotFound). It returns the version for the ETag.
func (s *Service) Position(ctx context.Context, who Caller, id string) (PositionView, int, error) {
	p, err := s.visiblePosition(ctx, who, id)
	if err != nil {
		return nil, 0, err
	}
	return PositionFor(who.Principal, p), p.Version, nil
}

func (s *Service) visiblePosition(ctx context.Context, who Caller, id string) (jobs.Position, error) {
	p, err := s.Positions.GetPosition(ctx, id, scope(who.Principal))
	if err != nil {
		return p, err
	}
	if who.Role == access.Clinician && !p.Listed(s.now()) {
		return jobs.Position{}, errs.E("app.Position", errs.NotFound, "")
	}
	return p, nil
}

// ListPositions lists positions in the caller's scope; clinicians see
// listed positions only (the caller sets f.ListedAt) in the published view.
func (s *Service) ListPositions(ctx context.Context, who Caller, f jobs.PositionFilter) (Page[PositionView], error) {
	page, err := s.Positions.ListPositions(ctx, f, scope(who.Principal))
	if err != nil {
		return Page[PositionView]{}, err
	}
	out := Page[PositionView]{Items: make([]PositionView, len(page.Items)), NextCursor: page.NextCursor}
	for i, p := range page.Items {
		out.Items[i] = PositionFor(who.Principal, p)
	}
	return out, nil
}

// PositionVersions returns a position's history as the caller may see it
// (see VersionsFor); the position must be visible as for Position.
func (s *Service) PositionVersions(ctx context.Context, who Caller, id string) ([]any, error) {
	p, err := s.visiblePosition(ctx, who, id)
	if err != nil {
		return nil, err
	}
	vs, err := s.Positions.Versions(ctx, id, scope(who.Principal))
	if err != nil {
		return nil, err
	}
	return VersionsFor(who.Principal, p.OrgID, vs), nil
}

// ImportProfiles loads NDJSON profiles (admins only, checked by the
// route); see candidatesdb.ImportProfiles.
func (s *Service) ImportProfiles(ctx context.Context, r io.Reader, atomic bool) (candidates.ImportReport, error) {
	return s.Imports.ImportProfiles(ctx, r, candidates.ImportOptions{Atomic: atomic, Now: s.Now})
}

// ImportPositions loads NDJSON positions into one organization: a
// recruiter's own (another is NotFound), or for admins the one named,
// which is required. See jobsdb.ImportPositions.
func (s *Service) ImportPositions(ctx context.Context, who Caller, orgID string, r io.Reader, atomic bool) (jobs.ImportReport, error) {
	if who.Role == access.Recruiter {
		if orgID != "" && orgID != who.OrgID {
			return jobs.ImportReport{}, errs.E("app.ImportPositions", errs.NotFound, "")
		}
		orgID = who.OrgID
	} else if orgID == "" {
		return jobs.ImportReport{}, &errs.Error{Op: "app.ImportPositions", Kind: errs.Malformed, Message: "say which organization the positions belong to",
			Fields: []errs.Field{{Path: "org_id", Message: "required for admin imports"}}}
	}
	return s.Imports.ImportPositions(ctx, orgID, r, jobs.ImportOptions{Atomic: atomic, Now: s.Now, KeyID: who.KeyID})
}

// WrittenProfile is the answer to a write of p (create, patch, consent):
// p as the writer may see it on a single read, audited first when that
// reveals contact details (an admin's write does; the clinician's own does
// not), so no write answers more than a read would, or unaudited.
func (s *Service) WrittenProfile(ctx context.Context, who Caller, p candidates.Profile) (ClinicianView, error) {
	view, reveals := ProfileFor(who.Principal, p, Reading{Single: true})
	if reveals {
		if err := s.audit(ctx, who, access.ActionContactRead, "", p.ID); err != nil {
			return nil, err
		}
	}
	return view, nil
}

// WrittenPosition is the answer to a write of p: p as the writer may see
// it (PositionFor).
func (s *Service) WrittenPosition(who Caller, p jobs.Position) PositionView {
	return PositionFor(who.Principal, p)
}
