package ranking

import (
	"context"
	"time"

	"carefit/match"
)

// MatchRow is one stored match: a clinician's rank among a position's
// best, with the score's breakdown.
type MatchRow struct {
	ProfileID string
	Rank      int
	match.Breakdown
}

// PositionTop is one position's best consenting, eligible clinicians.
// Live is false for a position that is gone, not open or expired: its
// stored matches are to be removed.
type PositionTop struct {
	PositionID string
	Live       bool
	Eligible   int
	Rows       []MatchRow
}

// livePositions returns the open, unexpired positions among ids (all open
// ones when ids is nil), under s.mu held for reading.
func (s *Store) livePositions(ids []string, now time.Time) []match.Position {
	var out []match.Position
	if ids == nil {
		for _, g := range s.open {
			if live(g.p, now) {
				out = append(out, *g.p)
			}
		}
		return out
	}
	for _, id := range ids {
		if p, ok := s.positions[id]; ok && live(&p, now) {
			out = append(out, p)
		}
	}
	return out
}

func live(p *match.Position, now time.Time) bool {
	return p.Status == match.StatusOpen && (p.ExpiresAt.IsZero() || now.Before(p.ExpiresAt))
}

// PlanRematch splits every live position into shards of about size
// positions and equal work, for a rematch at now
// (match.Planner.PlanShards). With no live position it returns none.
func (s *Store) PlanRematch(size, k int, now time.Time) []match.Shard {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ps := s.livePositions(nil, now)
	if len(ps) == 0 {
		return nil
	}
	n := (len(ps) + size - 1) / max(size, 1)
	return match.NewPlanner(s.ix, ps, k, now, s.opts).PlanShards(n)
}

// RankPositions ranks the k best consenting, eligible clinicians of each
// position in ids at now, with each pair's breakdown, in the order of ids,
// and returns how many candidate pairs were visited. A position that is
// not live comes back with Live false and no rows. It returns ctx.Err()
// when ctx ends first. The store cannot change while it runs.
func (s *Store) RankPositions(ctx context.Context, ids []string, k int, now time.Time) ([]PositionTop, int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	pl := match.NewPlanner(s.ix, s.livePositions(ids, now), k, now, s.opts)
	pl.Filter(s.visible)
	pl.FilterMask(s.visibleMask())
	results, err := pl.Run(ctx, 1)
	if err != nil {
		return nil, 0, err
	}
	byID := make(map[string]match.Result, len(results))
	for _, r := range results {
		byID[r.PositionID] = r
	}
	out := make([]PositionTop, len(ids))
	scorers := match.NewScorers()
	// A shard's positions are planned together by bucket, so their tops
	// share many clinicians: each is decoded once.
	decoded := map[string]*match.Clinician{}
	clinician := func(id string) *match.Clinician {
		c, ok := decoded[id]
		if !ok {
			v := s.clinicianOf(id)
			c = &v
			decoded[id] = c
		}
		return c
	}
	for i, id := range ids {
		out[i].PositionID = id
		r, ok := byID[id]
		if !ok {
			continue
		}
		out[i].Live, out[i].Eligible = true, r.Eligible
		sc := scorers.Position(s.positions[id])
		out[i].Rows = make([]MatchRow, len(r.Top))
		for j, t := range r.Top {
			out[i].Rows[j] = MatchRow{ProfileID: t.ID, Rank: j + 1, Breakdown: sc.Score(*clinician(t.ID))}
		}
	}
	return out, pl.EstimatedPairs(), nil
}

// visible reports whether clinician id consents to be seen, under s.mu.
func (s *Store) visible(id string) bool { _, h := s.hidden[id]; return !h }

// visibleMask is the mask of the consenting clinicians of the index as it
// is, under s.mu held for reading: computed once per change of the index
// rather than once per shard, since a run's shards each ask it and a
// national index holds millions of clinicians.
func (s *Store) visibleMask() *match.Mask {
	s.maskMu.Lock()
	defer s.maskMu.Unlock()
	if !s.mask.ValidFor(s.ix) {
		s.mask = s.ix.Mask(s.visible)
	}
	return s.mask
}

// PositionsFor returns the live positions clinician id is eligible for at
// now: the positions whose stored matches a change to the clinician may
// alter.
func (s *Store) PositionsFor(id string, now time.Time) []string {
	s.mu.RLock()
	ranked, _ := s.rankRoles(id, RoleFilter{}, now)
	s.mu.RUnlock()
	var out []string
	for _, r := range ranked {
		out = append(out, r.ID)
	}
	return out
}

// Scores returns clinician id's score for each of the positions ids that
// the store holds (a position it does not hold is left out), and false
// when the clinician is unknown or does not consent to be seen: such a
// clinician enters no stored match.
func (s *Store) Scores(id string, ids []string) (map[string]float64, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.cl.lookup(id)
	if !ok || !s.cl.visible[r] {
		return nil, false
	}
	c := s.cl.clinician(r)
	out := make(map[string]float64, len(ids))
	for _, pid := range ids {
		if p, ok := s.positions[pid]; ok {
			out[pid] = match.NewScorer(p).Score(c).Score
		}
	}
	return out, true
}

// clinicianOf decodes the clinician id the store holds, under s.mu; the
// zero Clinician (with id) for one it does not hold.
func (s *Store) clinicianOf(id string) match.Clinician {
	r, ok := s.cl.lookup(id)
	if !ok {
		return match.Clinician{ID: id}
	}
	return s.cl.clinician(r)
}
