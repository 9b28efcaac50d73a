package ranking

// ClinicianFacts is what the store keeps of a clinician beyond the
// engine's view, for the external tests.
type ClinicianFacts = clinicianFacts

// ClinicianFacts returns the facts the store holds of clinician id.
func (s *Store) ClinicianFacts(id string) ClinicianFacts {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return *s.clinician[id]
}

// CachedLists returns how many ranked lists the store's cache holds.
func (s *Store) CachedLists() int {
	n, _ := s.lists.len()
	return n
}
