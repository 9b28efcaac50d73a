package ranking

import (
	"fmt"
	"slices"
	"time"

	"carefit/internal/kit/geo"
	"carefit/match"
)

// DefaultOptions is the eligibility tuning carefit runs with by default:
// an availability allowance of two weeks, the default of
// CAREFIT_AVAILABILITY_SLACK_DAYS, which cmd/carefit sets before passing
// the options to Load; tests may pass others.
func DefaultOptions() match.Options { return match.Options{AvailabilitySlackDays: 14} }

// CandidateFilter narrows a position's ranked candidates. Zero fields do
// not filter.
type CandidateFilter struct {
	// Text, when set, narrows the list last (see Narrow).
	Text            Narrow
	Credentials     []string
	Taxonomies      []string // keeps clinicians with any of these
	HomeStates      []string
	AvailableBefore time.Time
	MinScore        float64
	// WithinMiles keeps clinicians living within this distance of the
	// position's location.
	WithinMiles float64
	// ForOrg, when set, is the organization the list is for: clinicians
	// who blocked it are left out (app/reach.go).
	ForOrg string
	Limit  int
	Cursor string
}

// Candidates ranks every clinician eligible for p at now by mutual fit,
// applies f, and returns the page after f.Cursor with facet counts over
// the whole filtered list.
func (s *Store) Candidates(p match.Position, f CandidateFilter, now time.Time) (Page, error) {
	return s.page(f.Cursor, f.Limit, match.ByMutual, f.Text, func() []match.Ranked { return s.rankCandidates(p, f, now) },
		func(facets Facets, id string) {
			c := s.clinician[id]
			facets.add("credential", c.Credential)
			facets.add("home_state", c.HomeState)
			for _, t := range c.Taxonomies {
				facets.add("taxonomy", t)
			}
		})
}

// rankCandidates ranks the clinicians eligible for p that pass f's
// structured filters (not its text).
func (s *Store) rankCandidates(p match.Position, f CandidateFilter, now time.Time) []match.Ranked {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keep := func(id string) bool {
		c := s.clinician[id]
		switch {
		case f.ForOrg != "" && slices.Contains(c.Blocks, f.ForOrg),
			len(f.Credentials) > 0 && !slices.Contains(f.Credentials, c.Credential),
			len(f.HomeStates) > 0 && !slices.Contains(f.HomeStates, c.HomeState),
			!f.AvailableBefore.IsZero() && c.AvailableFrom.After(f.AvailableBefore):
			return false
		}
		if len(f.Taxonomies) > 0 && !slices.ContainsFunc(c.Taxonomies, func(t string) bool { return slices.Contains(f.Taxonomies, t) }) {
			return false
		}
		if f.WithinMiles > 0 && (p.Location == nil || geo.DistanceMiles(p.Location.Lat, p.Location.Lng, c.Home.Lat, c.Home.Lng) > f.WithinMiles) {
			return false
		}
		return true
	}
	all := s.ix.TopClinicians(p, s.ix.Len(), now, s.opts, keep)
	if f.MinScore > 0 {
		n := 0
		for _, r := range all {
			if r.Score >= f.MinScore {
				all[n] = r
				n++
			}
		}
		all = all[:n]
	}
	return all
}

// RoleFilter narrows a clinician's ranked roles. Zero fields do not
// filter.
type RoleFilter struct {
	// Text, when set, narrows the list last (see Narrow).
	Text            Narrow
	States          []string
	EmploymentTypes []string
	Settings        []string
	// MinAnnualPay keeps positions whose top of range, as annual pay
	// (hourly × match.HoursPerYear), reaches it.
	MinAnnualPay float64
	// Near and WithinMiles keep positions within the distance of a point
	// (the clinician's home unless another is given).
	Near        *match.Point
	WithinMiles float64
	// Order ranks the list by the mutual score (match.ByMutual, the zero
	// value) or by the clinician's own side (match.ByFit); a cursor
	// continues only a list of its own order.
	Order  match.Order
	Limit  int
	Cursor string
}

// PositionIDs returns the IDs of every position held, sorted.
func (s *Store) PositionIDs() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := make([]string, 0, len(s.positions))
	for id := range s.positions {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Position returns the stored engine view of a position.
func (s *Store) Position(id string) (match.Position, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.positions[id]
	return p, ok
}

// Roles ranks every open position c is eligible for at now in f.Order,
// applies f, and returns the page after f.Cursor with facet counts.
func (s *Store) Roles(c match.Clinician, f RoleFilter, now time.Time) (Page, error) {
	if f.WithinMiles > 0 && f.Near == nil {
		return Page{}, fmt.Errorf("ranking: a distance needs a point")
	}
	return s.page(f.Cursor, f.Limit, f.Order, f.Text, func() []match.Ranked { return s.rankRoles(c, f, now) },
		func(facets Facets, id string) {
			pf := s.posFacts[id]
			facets.add("state", pf.State)
			facets.add("employment_type", pf.EmploymentType)
			facets.add("setting", pf.Setting)
		})
}

// rankRoles ranks the open positions c is eligible for that pass f's
// structured filters (not its text).
func (s *Store) rankRoles(c match.Clinician, f RoleFilter, now time.Time) []match.Ranked {
	// Licence states the clinician may practise in, ignoring expiry: a
	// cheap, conservative pre-filter before the engine checks eligibility.
	var lic geo.StateSet
	for _, l := range c.Licences {
		lic |= geo.NewStateSet(l.State)
		if l.Multistate && geo.NLC.Has(l.State) {
			lic |= geo.NLC
		}
	}
	willing := geo.NewStateSet(c.WillingStates...)
	commute := c.MaxCommuteMiles
	if commute <= 0 {
		commute = match.DefaultCommuteMiles
	}
	commute = commute*1.01 + 0.5 // margin for the engine's float32 geometry
	s.mu.RLock()
	defer s.mu.RUnlock()
	cred := s.credBits.lookup([]string{string(c.Credential)})
	taxa := s.taxBit.lookup(c.Taxonomies)
	var cands []match.Position
	for _, g := range s.open {
		if g.creds&cred == 0 || g.taxa&taxa == 0 || g.need&^lic != 0 {
			continue
		}
		p := g.p
		// Location: eligible only within the commute or in a state the
		// clinician would move to (match.RuleLocation), unless remote.
		if !g.remote && g.state&willing == 0 && (p.Location == nil || c.Home == nil ||
			geo.DistanceMiles(c.Home.Lat, c.Home.Lng, p.Location.Lat, p.Location.Lng) > commute) {
			continue
		}
		pf := s.posFacts[p.ID]
		switch {
		case len(f.States) > 0 && !slices.Contains(f.States, pf.State),
			len(f.EmploymentTypes) > 0 && !slices.Contains(f.EmploymentTypes, pf.EmploymentType),
			len(f.Settings) > 0 && !slices.Contains(f.Settings, pf.Setting):
			continue
		}
		if f.MinAnnualPay > 0 {
			annual := pf.PayMax
			if pf.PayPeriod == "hourly" {
				annual *= match.HoursPerYear
			}
			if annual < f.MinAnnualPay {
				continue
			}
		}
		if f.WithinMiles > 0 && (pf.Point == nil || geo.DistanceMiles(f.Near.Lat, f.Near.Lng, pf.Point.Lat, pf.Point.Lng) > f.WithinMiles) {
			continue
		}
		cands = append(cands, *p)
	}
	return match.TopPositions(c, cands, len(cands), now, s.opts, f.Order)
}
