package ranking_test

import (
	"context"
	"reflect"
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

// TestRolesCachedPastExpiredPositions: a clinician's roles are ranked once
// and then served from the cache even when an open position the scan
// considered has already expired (it is ranked out, and stays out), and
// they still equal the engine's ranking.
func TestRolesCachedPastExpiredPositions(t *testing.T) {
	s, mk, _, _ := seeded(t, 0)
	// Ask when about half of the open positions have expired.
	var expiries []time.Time
	for _, p := range mk.Positions {
		if mp, ok := s.Position(p.ID); ok && mp.Status == match.StatusOpen && !mp.ExpiresAt.IsZero() {
			expiries = append(expiries, mp.ExpiresAt)
		}
	}
	if len(expiries) < 10 {
		t.Fatalf("%d open positions expire; the test proves little", len(expiries))
	}
	slices.SortFunc(expiries, time.Time.Compare)
	at := expiries[len(expiries)/2].Add(-time.Second)
	var positions []match.Position
	for _, p := range mk.Positions {
		mp, _ := s.Position(p.ID)
		positions = append(positions, mp)
	}
	same := func(a, b ranking.Facets) bool {
		return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
	}
	nonEmpty := 0
	for i, prof := range mk.Profiles {
		if i%20 != 0 {
			continue
		}
		first, err := s.Roles(prof.ID, ranking.RoleFilter{Limit: 1 << 20}, at)
		if err != nil {
			t.Fatal(err)
		}
		again, err := s.Roles(prof.ID, ranking.RoleFilter{Limit: 1 << 20}, at)
		if err != nil {
			t.Fatal(err)
		}
		if !same(first.Facets, again.Facets) {
			t.Fatalf("clinician %s: the same list asked again was ranked again, not served from the cache", prof.ID)
		}
		want := match.TopPositions(ranking.FromProfile(prof), positions, len(positions), at, ranking.DefaultOptions(), match.ByMutual)
		if !slices.Equal(again.Items, want) {
			t.Fatalf("clinician %s: roles %v, the engine gives %v", prof.ID, again.Items, want)
		}
		if len(want) > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < 5 {
		t.Fatalf("only %d clinicians had roles; the test proves little", nonEmpty)
	}
}
