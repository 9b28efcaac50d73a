package match_test

import (
	"context"
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
