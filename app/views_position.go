package app

import (
	"time"

	"carefit/access"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
)

// Who sees what of a position:
//
//   - the owning organization's recruiters and admins: the position as
//     stored (jobs.Position), drafts included, and its whole version
//     history with the API key that made each change;
//   - everyone else (clinicians; other recruiters reach no position by ID):
//     PublishedPosition, and only the versions in a published state (not
//     draft), without key IDs.
//
// As with profiles, the published view copies its fields one by one and
// views_test.go fails until a new field of jobs.Position is placed.

// PositionView is OwnedPosition (the owner's view) or PublishedPosition.
type PositionView interface{}

// OwnedPosition is the owner's view: the position as stored, with its
// specialties named.
type OwnedPosition struct {
	jobs.Position
	// Specialties name Taxonomies, in the same order; read-only.
	Specialties []Specialty `json:"specialties"`
}

// PublishedPosition is a position as clinicians see it.
type PublishedPosition struct {
	ID             string                  `json:"id"`
	OrgID          string                  `json:"org_id"`
	LocationID     string                  `json:"location_id"`
	Title          string                  `json:"title"`
	Description    string                  `json:"description"`
	Credentials    []taxonomy.Credential   `json:"credentials"`
	Taxonomies     []string                `json:"taxonomies"`
	Specialties    []Specialty             `json:"specialties"`
	LicenceStates  []string                `json:"licence_states"`
	EmploymentType taxonomy.EmploymentType `json:"employment_type"`
	StartDate      time.Time               `json:"start_date"`
	DurationWeeks  *int                    `json:"duration_weeks"`
	Schedule       jobs.Schedule           `json:"schedule"`
	Pay            jobs.Pay                `json:"pay"`
	Headcount      int                     `json:"headcount"`
	Status         jobs.Status             `json:"status"`
	ExpiresAt      *time.Time              `json:"expires_at"`
	Environment    jobs.Environment        `json:"environment"`
	Wants          jobs.Wants              `json:"wants"`
	Version        int                     `json:"version"`
	CreatedAt      time.Time               `json:"created_at"`
	UpdatedAt      time.Time               `json:"updated_at"`
}

// OwnedVersion is one version of a position as its owner sees it: with
// the key that made the change.
type OwnedVersion struct {
	Version      int           `json:"version"`
	Position     OwnedPosition `json:"position"`
	ChangedAt    time.Time     `json:"changed_at"`
	ChangedByKey string        `json:"changed_by_key"`
}

// PublishedVersion is one published state of a position, without the key
// that made the change.
type PublishedVersion struct {
	Version   int               `json:"version"`
	Position  PublishedPosition `json:"position"`
	ChangedAt time.Time         `json:"changed_at"`
}

// publishedPosition copies what everyone may see of a position.
func publishedPosition(p jobs.Position) PublishedPosition {
	return PublishedPosition{
		ID: p.ID, OrgID: p.OrgID, LocationID: p.LocationID, Title: p.Title, Description: p.Description,
		Credentials: p.Credentials, Taxonomies: p.Taxonomies, Specialties: specialties(p.Taxonomies), LicenceStates: p.LicenceStates,
		EmploymentType: p.EmploymentType, StartDate: p.StartDate, DurationWeeks: p.DurationWeeks,
		Schedule: p.Schedule, Pay: p.Pay, Headcount: p.Headcount, Status: p.Status, ExpiresAt: p.ExpiresAt,
		Environment: p.Environment, Wants: p.Wants, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
}

// owns reports whether who sees a position of orgID as its owner.
func owns(who access.Principal, orgID string) bool {
	return who.Role == access.Admin || who.Role == access.Recruiter && who.OrgID == orgID
}

// PositionFor returns p as who may see it.
func PositionFor(who access.Principal, p jobs.Position) PositionView {
	if owns(who, p.OrgID) {
		return OwnedPosition{Position: p, Specialties: specialties(p.Taxonomies)}
	}
	return publishedPosition(p)
}

// VersionsFor returns a position's history as who may see it: every
// version for the owner, the published ones without key IDs for others.
func VersionsFor(who access.Principal, orgID string, vs []jobs.PositionVersion) []any {
	out := make([]any, 0, len(vs))
	for _, v := range vs {
		switch {
		case owns(who, orgID):
			out = append(out, OwnedVersion{Version: v.Version, Position: OwnedPosition{Position: v.Position, Specialties: specialties(v.Position.Taxonomies)},
				ChangedAt: v.ChangedAt, ChangedByKey: v.ChangedByKey})
		case v.Position.Status != jobs.StatusDraft:
			out = append(out, PublishedVersion{Version: v.Version, Position: publishedPosition(v.Position), ChangedAt: v.ChangedAt})
		}
	}
	return out
}
