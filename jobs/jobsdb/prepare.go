package jobsdb

import (
	"time"

	"github.com/google/uuid"

	"carefit/internal/kit/factor"
	"carefit/internal/platform/pg"
	"carefit/jobs"
)

// prepareOrg makes o a new organisation as of now: an ID when it has none,
// version 1, both timestamps now, and normalized (normOrg).
func prepareOrg(o *jobs.Organization, now time.Time) {
	if o.ID == "" {
		o.ID = uuid.NewString()
	}
	normOrg(o)
	o.Version, o.CreatedAt, o.UpdatedAt = 1, now, now
}

// normOrg assigns IDs to new locations and makes empty lists and maps
// non-nil, as they are read back.
func normOrg(o *jobs.Organization) {
	for i := range o.Locations {
		if o.Locations[i].ID == "" {
			o.Locations[i].ID = uuid.NewString()
		}
	}
	if o.WeightOverrides == nil {
		o.WeightOverrides = map[factor.Name]float64{}
	}
	o.Locations = pg.NonNil(o.Locations)
}

// preparePosition makes p a new position of orgID as of now, as every way
// of creating one stores it: the organisation when p names none, an ID when
// it has none, status draft when unset, version 1, both timestamps now,
// and normalized.
func preparePosition(p *jobs.Position, orgID string, now time.Time) {
	if p.OrgID == "" {
		p.OrgID = orgID
	}
	if p.ID == "" {
		p.ID = uuid.NewString()
	}
	if p.Status == "" {
		p.Status = jobs.StatusDraft
	}
	p.Version, p.CreatedAt, p.UpdatedAt = 1, now, now
	normPosition(p)
}

// normPosition brings p's times to what Postgres stores, so that the
// value returned by a write equals the value read back.
func normPosition(p *jobs.Position) {
	p.StartDate = pg.Date(p.StartDate)
	p.ExpiresAt = pg.TimePtr(p.ExpiresAt)
	p.Credentials, p.Taxonomies, p.LicenceStates = pg.NonNil(p.Credentials), pg.NonNil(p.Taxonomies), pg.NonNil(p.LicenceStates)
}
