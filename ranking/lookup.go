package ranking

import (
	"time"

	"carefit/match"
)

// Clinician returns the stored engine view of a clinician and whether the
// store holds it. The ranked use cases read a clinician's features here
// instead of Postgres; the view lags an edit by at most a refresh.
func (s *Store) Clinician(id string) (match.Clinician, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.cl.lookup(id)
	if !ok {
		return match.Clinician{}, false
	}
	return s.cl.clinician(r), true
}

// Explain explains the fit of p and c at now under the store's
// eligibility options, the same ones its lists rank with, in the words of
// reader.
func (s *Store) Explain(p match.Position, c match.Clinician, now time.Time, reader match.Reader) match.Explanation {
	opts := s.opts
	opts.Reader = reader
	return match.Explain(p, c, now, opts)
}

// Options returns the eligibility options the store ranks with.
func (s *Store) Options() match.Options { return s.opts }
