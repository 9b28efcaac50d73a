package ranking

import (
	"time"

	"carefit/match"
)

// ClinicianFacts is what the store's table holds of a clinician beyond
// the engine's view, as the external tests read it.
type ClinicianFacts struct {
	HomeState     string
	Home          match.Point
	Taxonomies    []string
	AvailableFrom time.Time
	Visible       bool
	Blocks        []string
}

// ClinicianFacts returns the facts the store holds of clinician id.
func (s *Store) ClinicianFacts(id string) ClinicianFacts {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.cl.lookup(id)
	if !ok {
		return ClinicianFacts{}
	}
	f := ClinicianFacts{HomeState: s.codes.home.names[s.cl.home[r]], Visible: s.cl.visible[r], Home: s.cl.at[r],
		Blocks: s.cl.blocks[r], AvailableFrom: s.cl.clinician(r).AvailableFrom}
	for _, c := range s.cl.specialties(r) {
		f.Taxonomies = append(f.Taxonomies, s.codes.taxa.names[c])
	}
	return f
}

// CachedLists returns how many ranked lists the store's cache holds.
func (s *Store) CachedLists() int {
	n, _ := s.lists.len()
	return n
}
