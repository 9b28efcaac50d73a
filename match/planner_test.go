package match_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	. "carefit/match"
)

func TestPlannerShardsMatchTopClinicians(t *testing.T) {
	ps, cs := marketData(3, 300, 5000)
	ix := NewIndex(cs)
	pl := NewPlanner(ix, ps, 10, testNow, Options{})
	all, err := pl.Run(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]Ranked{}
	for _, r := range all {
		want[r.PositionID] = r.Top
	}
	if len(want) != len(ps) {
		t.Fatalf("got %d results, want %d", len(want), len(ps))
	}
	seen := map[string]bool{}
	for _, s := range pl.PlanShards(4) {
		res, err := pl.RunShard(context.Background(), s, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if seen[r.PositionID] {
				t.Fatalf("position %s in two shards", r.PositionID)
			}
			seen[r.PositionID] = true
			if !slices.Equal(r.Top, want[r.PositionID]) {
				t.Fatalf("shard result for %s differs from Run", r.PositionID)
			}
		}
	}
	if len(seen) != len(ps) {
		t.Fatalf("shards covered %d positions, want %d", len(seen), len(ps))
	}
	p := ps[5]
	if got := ix.TopClinicians(p, 10, testNow, Options{}, nil); !slices.Equal(got, want[p.ID]) {
		t.Fatalf("TopClinicians %v, planner %v", got, want[p.ID])
	}
}

func TestPlannerCancel(t *testing.T) {
	ps, cs := marketData(3, 50, 500)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewPlanner(NewIndex(cs), ps, 5, testNow, Options{}).Run(ctx, 2); err == nil {
		t.Fatal("got nil error, want context.Canceled")
	}
}

// TestPlannerFilterMatchesTopClinicians checks that a planner's filter,
// asked once per clinician, keeps exactly whom TopClinicians' filter,
// asked per pair, keeps: here every third clinician and one removed from
// the index.
func TestPlannerFilterMatchesTopClinicians(t *testing.T) {
	ps, cs := marketData(5, 120, 3000)
	ix := NewIndex(cs)
	ix.Remove(cs[7].ID)
	keep := func(id string) bool { return len(id) > 0 && id[len(id)-1]%3 != 0 }
	pl := NewPlanner(ix, ps, 15, testNow, Options{})
	pl.Filter(keep)
	got, err := pl.Run(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for _, r := range got {
		p := ps[slices.IndexFunc(ps, func(p Position) bool { return p.ID == r.PositionID })]
		want := ix.TopClinicians(p, 15, testNow, Options{}, keep)
		if !slices.Equal(r.Top, want) {
			t.Fatalf("position %s: planner kept %v, TopClinicians %v", r.PositionID, r.Top, want)
		}
		for _, c := range r.Top {
			if !keep(c.ID) || c.ID == cs[7].ID {
				t.Fatalf("position %s ranks %s, which the filter drops", r.PositionID, c.ID)
			}
		}
		kept += len(r.Top)
	}
	if kept == 0 {
		t.Fatal("the filter kept nobody: the test proves nothing")
	}
}

// TestPlannerMaskIsUsedOnlyWhileValid: a mask computed once ranks as the
// filter function does, and once the index changes the planner asks the
// function again instead of reading a stale mask.
func TestPlannerMaskIsUsedOnlyWhileValid(t *testing.T) {
	ps, cs := marketData(5, 120, 3000)
	ix := NewIndex(cs)
	hidden := map[string]bool{}
	keep := func(id string) bool { return !hidden[id] }
	rank := func(m *Mask) map[string][]Ranked {
		pl := NewPlanner(ix, ps, 15, testNow, Options{})
		pl.Filter(keep)
		pl.FilterMask(m)
		res, err := pl.Run(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]Ranked{}
		for _, r := range res {
			out[r.PositionID] = r.Top
		}
		return out
	}
	m := ix.Mask(keep)
	if !m.ValidFor(ix) {
		t.Fatal("a fresh mask is not valid")
	}
	before := rank(nil)
	if got := rank(m); !maps.EqualFunc(got, before, slices.Equal) {
		t.Fatal("the mask ranks differently from its function")
	}
	// Hide every clinician some position ranks first, and change the
	// index (as the store does when a consent changes).
	var first []string
	for _, top := range before {
		if len(top) > 0 {
			first = append(first, top[0].ID)
			hidden[top[0].ID] = true
		}
	}
	if len(first) == 0 {
		t.Fatal("no position ranks anyone: the test proves nothing")
	}
	c := cs[0]
	ix.Upsert(c)
	if m.ValidFor(ix) {
		t.Fatal("the mask is still valid after the index changed")
	}
	for pid, top := range rank(m) {
		for _, r := range top {
			if hidden[r.ID] {
				t.Fatalf("position %s ranks hidden %s: the stale mask was read", pid, r.ID)
			}
		}
	}
}
