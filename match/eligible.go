package match

import "time"

// EachEligible calls fn once with the ID of every clinician in the index
// who is eligible for p at now, in no particular order. It is the bucket
// scan of TopClinicians without the scoring: scan asks its filter only
// about rows that passed every eligibility test, and a row the filter
// drops is never scored or ranked, so a filter that records the ID and
// drops it visits exactly the eligible set at the cost of the tests. It
// answers "who could this position hire" for access control, where a
// ranking is not needed. fn must not call back into the index.
func (ix *Index) EachEligible(p Position, now time.Time, opts Options, fn func(id string)) {
	ix.top(&p, 1, now, opts, &keep{fn: func(id string) bool {
		fn(id)
		return false
	}})
}
