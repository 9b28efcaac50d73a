package searchsync

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"carefit/candidates"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/platform/testenv"
	"carefit/search"
	"carefit/search/searchtest"
)

func TestReindexIntoMissingIndexRenames(t *testing.T) {
	f := newFixture(t)
	m := testenv.MeiliSearch(t)
	c := search.New(m.Client, m.Prefix) // no EnsureIndexes: the live index does not exist
	ctx := testCtx(t)
	for range 3 {
		f.position(t, 2, nil) // Austin, TX
	}
	f.position(t, 0, nil) // Milwaukee, WI: the state filter must drop it
	var last [2]int
	if err := Reindex(ctx, f.pool, c, search.KindPositions, func(done, total int) { last = [2]int{done, total} }); err != nil {
		t.Fatal(err)
	}
	if last != [2]int{4, 4} {
		t.Errorf("last progress %v, want [4 4]", last)
	}
	if n, err := c.Count(ctx, search.KindPositions); err != nil || n != 4 {
		t.Fatalf("count %d, %v; want 4", n, err)
	}
	// A filtered search works only if the renamed index has the settings.
	res, err := c.SearchPositions(ctx, search.PositionQuery{State: "TX"})
	if err != nil || res.Total != 3 {
		t.Fatalf("search after rename: %+v, %v; want the 3 positions in TX", res, err)
	}
	assertNoTempIndexes(t, c)
}

func assertNoTempIndexes(t *testing.T, c *search.Client) {
	t.Helper()
	res, err := c.Service().ListIndexes(testCtx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	prefix := strings.TrimSuffix(c.IndexName(search.KindPositions), string(search.KindPositions)) // the client's prefix and "_"
	for _, ix := range res.Results {
		if strings.HasPrefix(ix.UID, prefix) && ix.UID != c.IndexName(search.KindPositions) && ix.UID != c.IndexName(search.KindProfiles) {
			t.Errorf("index %s left behind", ix.UID)
		}
	}
}

func TestReindexSwapsWhileSearchesAnswer(t *testing.T) {
	f := newFixture(t)
	c := newClient(t)
	ctx := testCtx(t)
	const n = 400
	for i := range n {
		f.profile(t, func(p *candidates.Profile) {
			if i%2 == 1 {
				p.Credential, p.NPI, p.Taxonomies, p.BoardCertifications = taxonomy.RN, "", []string{"163W00000X"}, nil
			}
		})
	}
	mustSync(t, f.pool, c)
	// A document Postgres does not have: the rebuild must drop it.
	stray, _ := search.NewProfileDoc(searchtest.NewProfile())
	if err := c.UpsertProfiles(ctx, []search.ProfileDoc{stray}); err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	stopSearches := sync.OnceFunc(func() { close(stop); wg.Wait() })
	defer stopSearches() // also when a wait below fails the test
	var searches, failures atomic.Int64
	var firstErr atomic.Value
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			res, err := c.SearchProfiles(context.Background(), search.ProfileQuery{Credential: taxonomy.RN, Q: "nurse"})
			searches.Add(1)
			if err == nil && res.Total < n/2 {
				err = fmt.Errorf("%d hits, want at least %d", res.Total, n/2)
			}
			if err != nil {
				failures.Add(1)
				firstErr.CompareAndSwap(nil, err)
			}
		}
	}()
	// Searches answer on the old index before the rebuild starts, while
	// it runs, and on the swapped-in index after it.
	answered := func(n int64) func() bool { return func() bool { return searches.Load() >= n } }
	testenv.WaitFor(t, 30*time.Second, "searches answer before the reindex", answered(3))
	before := searches.Load()
	err := Reindex(ctx, f.pool, c, search.KindProfiles, nil)
	during := searches.Load() - before
	testenv.WaitFor(t, 30*time.Second, "searches answer after the swap", answered(searches.Load()+3))
	stopSearches()
	if err != nil {
		t.Fatal(err)
	}
	if failures.Load() > 0 {
		t.Errorf("%d of %d searches around the reindex failed; first: %v", failures.Load(), searches.Load(), firstErr.Load())
	}
	if during < 1 {
		t.Errorf("no search answered while the reindex ran: the test did not overlap them")
	}
	if cnt, _ := c.Count(ctx, search.KindProfiles); cnt != n {
		t.Errorf("%d documents after the rebuild, want %d", cnt, n)
	}
	if _, ok := getDoc[search.ProfileDoc](t, c, search.KindProfiles, stray.ID); ok {
		t.Error("document without a row survived the rebuild")
	}
	assertNoTempIndexes(t, c)
	// The relay still works on the swapped-in index.
	p := f.profile(t, func(p *candidates.Profile) { p.Taxonomies = []string{"207R00000X"} })
	mustSync(t, f.pool, c)
	if _, ok := getDoc[search.ProfileDoc](t, c, search.KindProfiles, p.ID); !ok {
		t.Error("write after the rebuild not relayed")
	}
}
