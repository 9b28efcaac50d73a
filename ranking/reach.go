package ranking

import (
	"slices"
	"time"

	"carefit/internal/kit/geo"
	"carefit/match"
)

// Which clinicians an organization's recruiters may see. A recruiter reads
// and searches only clinicians eligible for at least one of the
// organization's live positions (or already in its pipeline or
// introductions, which Postgres knows). Eligibility is the engine's, read
// here from the feature store rather than from the stored matches: those
// keep only each position's top K clinicians who let recruiters see them
// by name, so they would hide every other eligible clinician, while the
// store holds every clinician and position and answers in memory, with no
// round trip, within a refresh of an edit.

// orgLive returns the live (open, unexpired) positions of orgID at now;
// the caller holds s.mu for reading. The open positions are scanned as a
// slice of gates: a few microseconds per thousand.
func (s *Store) orgLive(orgID string, now time.Time) []match.Position {
	var out []match.Position
	for _, g := range s.open {
		if g.p.OrgID == orgID && live(g.p, now) {
			out = append(out, *g.p)
		}
	}
	return out
}

// EligibleFor reports whether clinician id is eligible at now for at
// least one live position of organization orgID: one engine check per
// position of that organization. An unknown clinician is eligible for
// nothing.
func (s *Store) EligibleFor(id, orgID string, now time.Time) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.cl.lookup(id)
	if !ok {
		return false
	}
	ps := s.orgLive(orgID, now)
	return len(ps) > 0 && len(match.TopPositions(s.cl.clinician(r), ps, 1, now, s.opts, match.ByMutual)) > 0
}

// EligibleClinicians returns, sorted, every clinician eligible at now for
// at least one live position of organization orgID. Each position costs
// the bucket scan of its ranked candidates without the scoring
// (match.Index.EachEligible).
func (s *Store) EligibleClinicians(orgID string, now time.Time) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[string]struct{}{}
	for _, p := range s.orgLive(orgID, now) {
		s.ix.EachEligible(p, now, s.opts, func(id string) { seen[id] = struct{}{} })
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// ClinicianFacets counts, over the clinicians ids, the values of the
// attributes free search over profiles counts (credential, taxonomies,
// licence_states, languages, ehrs_used), as the search index would:
// licence states expand a multistate RN licence in a compact state to the
// whole compact. Clinicians the store does not hold are not counted.
func (s *Store) ClinicianFacets(ids []string) Facets {
	out := Facets{}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, id := range ids {
		r, ok := s.cl.lookup(id)
		if !ok {
			continue
		}
		c := s.cl.clinician(r)
		out.add("credential", string(c.Credential))
		for _, t := range c.Taxonomies {
			out.add("taxonomies", t)
		}
		var states geo.StateSet
		for _, l := range c.Licences {
			states |= geo.NewStateSet(l.State)
			if c.Credential == match.RN && l.Multistate && geo.NLC.Has(l.State) {
				states |= geo.NLC
			}
		}
		for _, st := range states.Codes() {
			out.add("licence_states", st)
		}
		for _, l := range c.Languages {
			out.add("languages", l)
		}
		for _, e := range c.EHRsUsed {
			out.add("ehrs_used", string(e))
		}
	}
	return out
}
