// Package jobs holds employers and the positions they post: types that map
// to the API's JSON and to Postgres columns (nested objects such as a
// position's environment map to JSONB), their validation, PATCH types, the
// position status lifecycle and the sentinel errors the jobs store
// (package jobsdb) returns.
// It does no I/O.
package jobs

import (
	"fmt"
	"slices"
	"time"

	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/patch"
)

// OrgKind is the kind of employer.
type OrgKind string

// Organisation kinds.
const (
	KindHealthSystem  OrgKind = "health_system"
	KindGroupPractice OrgKind = "group_practice"
	KindFQHC          OrgKind = "fqhc"
	KindHospital      OrgKind = "hospital"
	KindUrgentCare    OrgKind = "urgent_care"
	KindTelehealth    OrgKind = "telehealth"
)

var orgKinds = []OrgKind{KindHealthSystem, KindGroupPractice, KindFQHC, KindHospital, KindUrgentCare, KindTelehealth}

// OrgKinds returns every OrgKind value.
func OrgKinds() []OrgKind { return slices.Clone(orgKinds) }

// Valid reports whether k is a known organisation kind.
func (k OrgKind) Valid() bool { return slices.Contains(orgKinds, k) }

// Limits on an organisation.
const (
	MaxLocations      = 100
	MaxWeightOverride = 5.0
)

// Organization is an employer that posts positions.
type Organization struct {
	// ID is a UUID assigned by the store; empty on create.
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Kind      OrgKind    `json:"kind"`
	Locations []Location `json:"locations"`
	// WeightOverrides scales the default weight of fit factors for this
	// employer's positions, 0 (ignore) to 5; absent factors keep the
	// default. Stored as JSONB.
	WeightOverrides map[factor.Name]float64 `json:"weight_overrides"`
	// Version increases on every update and is the ETag.
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Location returns the organisation's location with id and whether it
// exists.
func (o Organization) Location(id string) (Location, bool) {
	for _, l := range o.Locations {
		if l.ID == id {
			return l, true
		}
	}
	return Location{}, false
}

// Validate checks the organisation and its locations. It returns an
// Invalid *errs.Error listing every problem, or nil.
func (o Organization) Validate() error {
	var ve errs.Validation
	check.ID(&ve, "id", o.ID, false)
	check.Text(&ve, "name", o.Name, maxNameLen, true, false)
	if !o.Kind.Valid() {
		ve.Add("kind", "must be one of %v, got %q", orgKinds, o.Kind)
	}
	if len(o.Locations) > MaxLocations {
		ve.Add("locations", "must have at most %d entries, got %d", MaxLocations, len(o.Locations))
	}
	ids := map[string]bool{}
	for i, l := range o.Locations {
		field := fmt.Sprintf("locations[%d]", i)
		ve.Merge(field, l.Validate())
		if l.ID != "" {
			if ids[l.ID] {
				ve.Add(field+".id", "duplicates an earlier location")
			}
			ids[l.ID] = true
		}
	}
	for name, w := range o.WeightOverrides {
		field := "weight_overrides." + string(name)
		if !name.Valid() {
			ve.Add(field, "unknown fit factor %q", name)
			continue
		}
		check.FloatRange(&ve, field, &w, 0, MaxWeightOverride)
	}
	return ve.Err()
}

// OrganizationPatch is the body of PATCH /organizations/{id} with the same
// merge-patch semantics as PositionPatch. Locations replace the whole list
// (locations are edited in place by ID, so the client sends the list it
// wants); "weight_overrides": null removes every override.
type OrganizationPatch struct {
	Name            patch.Optional[string]                  `json:"name,omitzero" patch:"required"`
	Kind            patch.Optional[OrgKind]                 `json:"kind,omitzero" patch:"required"`
	Locations       patch.Optional[[]Location]              `json:"locations,omitzero"`
	WeightOverrides patch.Optional[map[factor.Name]float64] `json:"weight_overrides,omitzero"`
}

// Apply applies the patch to o. It returns an Invalid *errs.Error, leaving o
// unchanged, when name or kind is null; call Validate on the result.
func (op OrganizationPatch) Apply(o *Organization) error { return patch.Apply(op, o) }

// Location is one site of an organisation where positions are based.
type Location struct {
	// ID is a UUID; the store assigns it when empty.
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	AddressLine string  `json:"address_line"`
	City        string  `json:"city"`
	PostalCode  string  `json:"postal_code"`
	State       string  `json:"state"`
	Lat         float64 `json:"lat"`
	Lng         float64 `json:"lng"`
	// TimeZone is an IANA name such as "America/Chicago".
	TimeZone string `json:"time_zone"`
}

// Validate checks one location. It returns an Invalid *errs.Error listing every
// problem, or nil.
func (l Location) Validate() error {
	var ve errs.Validation
	check.ID(&ve, "id", l.ID, false)
	check.Text(&ve, "name", l.Name, maxNameLen, true, false)
	check.Text(&ve, "address_line", l.AddressLine, maxAddressLen, false, false)
	check.Text(&ve, "city", l.City, maxNameLen, false, false)
	check.PostalCode(&ve, "postal_code", l.PostalCode)
	check.State(&ve, "state", l.State)
	check.FloatRange(&ve, "lat", &l.Lat, -90, 90)
	check.FloatRange(&ve, "lng", &l.Lng, -180, 180)
	if l.Lat == 0 && l.Lng == 0 {
		ve.Add("lat", "coordinates 0,0 are missing, not a US location")
	}
	checkTimeZone(&ve, "time_zone", l.TimeZone)
	return ve.Err()
}

// checkTimeZone accepts IANA zone names only: time.LoadLocation also
// accepts "" and "Local", which mean the server's zone and are rejected.
func checkTimeZone(ve *errs.Validation, field, tz string) {
	switch tz {
	case "":
		ve.Add(field, "is required (an IANA name such as America/Chicago)")
		return
	case "Local":
		ve.Add(field, "must be an IANA name such as America/Chicago, not Local")
		return
	}
	if _, err := time.LoadLocation(tz); err != nil {
		ve.Add(field, "unknown IANA time zone %q", tz)
	}
}
