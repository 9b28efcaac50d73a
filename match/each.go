package match

import "time"

// EachScored calls fn with the ID and mutual score of every clinician
// eligible for p at now, in no particular order: the whole ranking of
// TopClinicians without its heap, for a caller that keeps its own bounded
// page, filters or counts. Scores are TopClinicians' own. fn must not call
// back into the index. A position that is not live at now has no eligible
// clinician.
func (ix *Index) EachScored(p Position, now time.Time, opts Options, fn func(id string, score float64)) {
	ids := ix.ids
	t := topK{sink: func(c cand) { fn(ids[c.slot], scoreOfKey(c.key)) }}
	ix.scanPosition(&p, now, opts, nil, &t)
}

// EachScoredTagged is EachScored with each clinician's tag (UpsertTagged).
func (ix *Index) EachScoredTagged(p Position, now time.Time, opts Options, fn func(id string, tag uint32, score float64)) {
	ids, tags := ix.ids, ix.tags
	t := topK{sink: func(c cand) { fn(ids[c.slot], tags[c.slot], scoreOfKey(c.key)) }}
	ix.scanPosition(&p, now, opts, nil, &t)
}
