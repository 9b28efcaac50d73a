package jobs

import (
	"slices"

	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
)

// UnknownLocationID is the message for a location ID that is not one of
// the organization's own, whether it names nothing or another
// organization's location: the answer tells nothing about other tenants.
const UnknownLocationID = "is not a location of this organization: leave it out to add a location"

// CheckLocationIDs checks that every location ID in locs is one of cur's.
// The server assigns location IDs; a client sends one back only to edit
// that location in place, so a new organization (cur empty) sends none.
// It returns an Invalid *errs.Error naming each locations[i].id at fault.
func CheckLocationIDs(locs, cur []Location) error {
	var ve errs.Validation
	for i, l := range locs {
		if l.ID != "" && !slices.ContainsFunc(cur, func(c Location) bool { return c.ID == l.ID }) {
			ve.Add(check.Indexed("locations", i)+".id", UnknownLocationID)
		}
	}
	return ve.Err()
}
