package ranking_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/platform/outbox"
	"carefit/internal/platform/testenv"
	"carefit/match"
	"carefit/ranking"
)

// TestCachedListsFollowEdits: a list ranked once is served from the cache
// while nothing changes, for its organization and filter only, and an
// edit the store applies (a block, a clinician no longer available) shows
// in the next page asked for, whatever was cached.
func TestCachedListsFollowEdits(t *testing.T) {
	s, mk, now, pool := seeded(t, 50)
	ctx := context.Background()
	big := mk.Positions[0]
	forOrg := ranking.CandidateFilter{Limit: 5, ForOrg: big.OrgID}
	first, err := s.Candidates(big.ID, forOrg, now)
	if err != nil || len(first.Items) < 2 {
		t.Fatalf("candidates: %v, %v", first, err)
	}
	cached := s.CachedLists()
	again, _ := s.Candidates(big.ID, forOrg, now)
	if s.CachedLists() != cached || !slices.Equal(again.Items, first.Items) {
		t.Fatalf("the same page again: %d lists cached (was %d), items %v, want the cached list's %v", s.CachedLists(), cached, again.IDs(), first.IDs())
	}
	others := ranking.CandidateFilter{Limit: 5, ForOrg: "another"}
	if _, err := s.Candidates(big.ID, others, now); err != nil || s.CachedLists() != cached+1 {
		t.Fatalf("another organization's list: %d lists cached, want its own (%d)", s.CachedLists(), cached+1)
	}

	blocker, late := first.Items[0].ID, first.Items[1].ID
	if _, err := pool.Exec(ctx, `INSERT INTO profile_blocks (profile_id, org_id, created_at) VALUES ($1, $2, now())`, blocker, big.OrgID); err != nil {
		t.Fatal(err)
	}
	if err := outbox.Write(ctx, pool, outbox.Profile, blocker, outbox.Upsert, now); err != nil {
		t.Fatal(err)
	}
	cs := candidatesdb.NewStore(pool)
	prof, err := cs.GetProfile(ctx, late)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.UpdateProfile(ctx, late, prof.Version, func(p *candidates.Profile) error {
		p.AvailableFrom = now.AddDate(1, 0, 0)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	testenv.WaitFor(t, 15*time.Second, "the edits reach the store", func() bool {
		if _, err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		page, err := s.Candidates(big.ID, forOrg, now)
		if err != nil {
			t.Fatal(err)
		}
		return !slices.Contains(page.IDs(), late) && !slices.Contains(page.IDs(), blocker)
	})
	mine, _ := s.Candidates(big.ID, forOrg, now)
	theirs, _ := s.Candidates(big.ID, others, now)
	if mine.Total != first.Total-2 || theirs.Total != first.Total-1 || !slices.Contains(theirs.IDs(), blocker) {
		t.Fatalf("after the edits: the organization's list holds %d (want %d), another's %d with the blocker %v (want %d, true)",
			mine.Total, first.Total-2, theirs.Total, slices.Contains(theirs.IDs(), blocker), first.Total-1)
	}
}

// TestListsAtOnceEqualTheEngine pages through several positions' lists,
// with and without filters, from many goroutines at once while the store
// applies changes (that alter no ranking) and so empties its cache: every
// list still equals the engine's. Run with -race.
func TestListsAtOnceEqualTheEngine(t *testing.T) {
	s, mk, now, pool := seeded(t, 1300)
	ctx := context.Background()
	type job struct {
		p    match.Position
		f    ranking.CandidateFilter
		want []match.Ranked
	}
	var jobs []job
	for i := 0; i < len(mk.Positions) && len(jobs) < 12; i += 7 {
		p, _ := s.Position(mk.Positions[i].ID)
		all := bruteForce(p, mk, now)
		if len(all) == 0 {
			continue
		}
		jobs = append(jobs, job{p: p, want: all})
		// The filter compares the index's own scores, which agree with
		// the engine's to 0.01: the filtered list is cut from them.
		ranked := allPages(t, s, p, ranking.CandidateFilter{}, now)
		sameRanking(t, ranked, all)
		median := ranked[len(ranked)/2].Score
		var above []match.Ranked
		for _, r := range ranked {
			if r.Score >= median {
				above = append(above, r)
			}
		}
		jobs = append(jobs, job{p: p, f: ranking.CandidateFilter{MinScore: median}, want: above})
	}
	if len(jobs) < 6 {
		t.Fatalf("only %d lists to rank; the market is too thin", len(jobs))
	}
	stop := make(chan struct{})
	var touching sync.WaitGroup
	touching.Add(1)
	go func() {
		defer touching.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			// A change that alters nothing still moves the version on.
			if err := outbox.Write(ctx, pool, outbox.Profile, mk.Profiles[len(mk.Profiles)-1].ID, outbox.Upsert, now); err != nil {
				t.Error(err)
				return
			}
			if _, err := s.Refresh(ctx); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 3 {
				for i := range jobs {
					j := jobs[(i+g+round)%len(jobs)]
					var got []match.Ranked
					f := j.f
					f.Limit = 37
					for {
						page, err := s.Candidates(j.p.ID, f, now)
						if err != nil {
							errs <- err.Error()
							return
						}
						got = append(got, page.Items...)
						if page.NextCursor == "" {
							break
						}
						f.Cursor = page.NextCursor
					}
					if !sameOrder(got, j.want) {
						errs <- "position " + j.p.ID + ": a list ranked at once differs from the engine's"
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	touching.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

// sameOrder is sameRanking as a predicate, for goroutines.
func sameOrder(got, want []match.Ranked) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		d := got[i].Score - want[i].Score
		if d > 0.01 || d < -0.01 || got[i].ID != want[i].ID && (d > 1e-3 || d < -1e-3) {
			return false
		}
	}
	return true
}
