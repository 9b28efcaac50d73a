package match

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Planner ranks many positions against one Index. Work goes through the
// index's (credential, taxonomy, licence state) buckets, so it grows with
// the pairs that can be eligible rather than with all pairs. Positions are
// ordered by that grouping so neighbouring positions scan the same buckets
// while they are in cache. A Planner is read-only and safe for concurrent
// use while the index is not modified.
type Planner struct {
	ix        *Index
	positions []Position // sorted by group, then ID
	byID      map[string]int
	est       []int64 // candidate rows per position
	k         int
	now       time.Time
	opts      Options
	filter    func(id string) bool
	mask      *Mask
}

// Filter makes the planner rank only the clinicians for whom fn is true
// (nil keeps everyone); set it before running. A run asks fn once per
// clinician, not once per pair.
func (pl *Planner) Filter(fn func(id string) bool) { pl.filter = fn }

// FilterMask makes the planner rank only the clinicians m keeps, when m
// was computed from the planner's index as it is now (see Index.Mask);
// otherwise the planner asks Filter's function, as without a mask. A
// caller that runs many planners over an unchanged index computes the
// mask once instead of once per planner.
func (pl *Planner) FilterMask(m *Mask) { pl.mask = m }

// Mask is which of an index's clinicians a ranking keeps, computed once
// for the index as it was (Index.Mask).
type Mask struct {
	ix   *Index
	gen  uint64
	keep *keep
}

// Mask evaluates fn once for every clinician of ix. The mask is valid
// until ix next changes.
func (ix *Index) Mask(fn func(id string) bool) *Mask {
	return &Mask{ix: ix, gen: ix.gen, keep: maskOf(ix, fn)}
}

// ValidFor reports whether m was computed from ix as it is now.
func (m *Mask) ValidFor(ix *Index) bool { return m != nil && m.ix == ix && m.gen == ix.gen }

// Shard is a subset of positions that one worker can rank alone. Shards of
// one plan are disjoint and cover every position; a worker on another
// machine rebuilds the same Planner and gets the same shards.
type Shard struct {
	Index          int
	PositionIDs    []string
	EstimatedPairs int64 // candidate rows the shard will visit
}

// Result is the ranking of one position.
type Result struct {
	PositionID string
	Eligible   int      // eligible clinicians
	Top        []Ranked // the best k, best first
}

// NewPlanner prepares to rank the top k clinicians in ix for each position at
// now. Positions with duplicate IDs are ranked once (the first wins).
func NewPlanner(ix *Index, positions []Position, k int, now time.Time, opts Options) *Planner {
	pl := &Planner{ix: ix, k: k, now: now, opts: opts, byID: make(map[string]int, len(positions))}
	for _, p := range positions {
		if _, dup := pl.byID[p.ID]; !dup {
			pl.byID[p.ID] = 0
			pl.positions = append(pl.positions, p)
		}
	}
	// Each position's group key is built once: built in the comparison,
	// it cost a fifth of a national run's planning.
	type keyed struct {
		key string
		i   int
	}
	order := make([]keyed, len(pl.positions))
	for i := range pl.positions {
		order[i] = keyed{groupKey(&pl.positions[i]), i}
	}
	slices.SortFunc(order, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(pl.positions[a.i].ID, pl.positions[b.i].ID))
	})
	sorted := make([]Position, len(order))
	for j, o := range order {
		sorted[j] = pl.positions[o.i]
	}
	pl.positions = sorted
	pl.est = make([]int64, len(pl.positions))
	for i := range pl.positions {
		p := &pl.positions[i]
		pl.byID[p.ID] = i
		pf := compilePosition(p, &ix.langs, false)
		if !pf.liveAt(now) {
			continue // ranked at no cost: no candidate is visited
		}
		refs, full, _ := ix.candidates(&pf, p.Taxonomies)
		switch {
		case full:
			pl.est[i] = int64(len(ix.rows))
		case pf.remote:
			for _, b := range refs {
				pl.est[i] += int64(len(b.rows))
			}
		default:
			for _, b := range refs {
				pl.est[i] += ix.spatialVisits(&pf, b.key)
			}
		}
	}
	return pl
}

// groupKey orders positions by credential, taxonomy and licence state.
func groupKey(p *Position) string {
	var b strings.Builder
	for _, c := range p.Credentials {
		b.WriteString(string(c))
	}
	b.WriteByte('|')
	b.WriteString(strings.Join(p.Taxonomies, ","))
	b.WriteByte('|')
	b.WriteString(p.State)
	return b.String()
}

// EstimatedPairs returns the number of candidate rows the whole plan visits.
func (pl *Planner) EstimatedPairs() int64 {
	var n int64
	for _, e := range pl.est {
		n += e
	}
	return n
}

// PlanShards splits the positions into n contiguous runs of the grouped
// order with about equal estimated work, so each shard keeps its buckets
// warm. n below 1 is taken as 1; some shards are empty when there are fewer
// positions than shards.
func (pl *Planner) PlanShards(n int) []Shard {
	n = max(n, 1)
	shards := make([]Shard, n)
	total := pl.EstimatedPairs() + int64(len(pl.positions)) // +1 per position for its fixed cost
	var acc int64
	for i := range pl.positions {
		cost := pl.est[i] + 1
		s := int(min(int64(n-1), (acc+cost/2)*int64(n)/max(total, 1)))
		acc += cost
		shards[s].PositionIDs = append(shards[s].PositionIDs, pl.positions[i].ID)
		shards[s].EstimatedPairs += pl.est[i]
	}
	for i := range shards {
		shards[i].Index = i
	}
	return shards
}

// RunShard ranks the shard's positions with the given number of goroutines
// (GOMAXPROCS when below 1) and returns results in the shard's order. IDs
// not in the plan are skipped. It returns ctx.Err() if ctx is cancelled.
func (pl *Planner) RunShard(ctx context.Context, s Shard, workers int) ([]Result, error) {
	idx := make([]int, 0, len(s.PositionIDs))
	for _, id := range s.PositionIDs {
		if i, ok := pl.byID[id]; ok {
			idx = append(idx, i)
		}
	}
	return pl.run(ctx, idx, workers)
}

// Run ranks every position; see RunShard.
func (pl *Planner) Run(ctx context.Context, workers int) ([]Result, error) {
	idx := make([]int, len(pl.positions))
	for i := range idx {
		idx[i] = i
	}
	return pl.run(ctx, idx, workers)
}

func (pl *Planner) run(ctx context.Context, idx []int, workers int) ([]Result, error) {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]Result, len(idx))
	var filter *keep
	switch {
	case pl.mask.ValidFor(pl.ix):
		filter = pl.mask.keep
	case pl.filter != nil:
		filter = maskOf(pl.ix, pl.filter)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	const chunk = 16 // neighbouring positions share buckets
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(idx) {
					return
				}
				for j := lo; j < min(lo+chunk, len(idx)); j++ {
					p := &pl.positions[idx[j]]
					top, n := pl.ix.top(p, pl.k, pl.now, pl.opts, filter)
					out[j] = Result{PositionID: p.ID, Eligible: n, Top: top}
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
