package ranking

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"carefit/match"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func newTestCache(ttl time.Duration, size int) (*listCache, *fakeClock) {
	clk := &fakeClock{t: time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)}
	c := newListCache(ttl, size, 1<<30)
	c.clock = clk.now
	return c, clk
}

// counted returns a rank function that counts its calls and returns a
// list of one item named name.
func counted(n *atomic.Int32, name string) func() *rankedList {
	return func() *rankedList {
		n.Add(1)
		return &rankedList{items: []match.Ranked{{ID: name}}, total: 1}
	}
}

func TestListCacheKeepsAListForItsVersion(t *testing.T) {
	c, clk := newTestCache(time.Minute, 10)
	var ranks atomic.Int32
	at := clk.now()
	a := c.get(1, "a", at, counted(&ranks, "a1"))
	if again := c.get(1, "a", at, counted(&ranks, "a2")); again != a || ranks.Load() != 1 {
		t.Fatalf("same version and key: got %v after %d rankings, want the first list after 1", again.items, ranks.Load())
	}
	if b := c.get(1, "b", at, counted(&ranks, "b1")); b.items[0].ID != "b1" || ranks.Load() != 2 {
		t.Fatalf("another key: got %v after %d rankings, want its own list", b.items, ranks.Load())
	}
	if next := c.get(2, "a", at, counted(&ranks, "a3")); next.items[0].ID != "a3" || ranks.Load() != 3 {
		t.Fatalf("next version: got %v after %d rankings, want a new ranking", next.items, ranks.Load())
	}
	if n, _ := c.len(); n != 1 {
		t.Fatalf("after a version change the cache holds %d lists, want only the new one", n)
	}
}

func TestListCacheExpiresAndStaysSmall(t *testing.T) {
	c, clk := newTestCache(10*time.Second, 3)
	var ranks atomic.Int32
	c.get(1, "a", clk.now(), counted(&ranks, "a"))
	clk.t = clk.t.Add(9 * time.Second)
	c.get(1, "a", clk.now(), counted(&ranks, "a"))
	if ranks.Load() != 1 {
		t.Fatalf("within its time to live the list was ranked %d times, want 1", ranks.Load())
	}
	clk.t = clk.t.Add(2 * time.Second)
	c.get(1, "a", clk.now(), counted(&ranks, "a"))
	if ranks.Load() != 2 {
		t.Fatalf("past its time to live the list was ranked %d times, want 2", ranks.Load())
	}
	for i := range 5 {
		clk.t = clk.t.Add(time.Millisecond)
		c.get(1, fmt.Sprint("k", i), clk.now(), counted(&ranks, "k"))
	}
	if n, _ := c.len(); n != 3 {
		t.Fatalf("the cache holds %d lists, want its size 3", n)
	}
	before := ranks.Load()
	c.get(1, "k4", clk.now(), counted(&ranks, "k4"))
	c.get(1, "k0", clk.now(), counted(&ranks, "k0"))
	if got := ranks.Load() - before; got != 1 {
		t.Fatalf("the newest list and the oldest (evicted) cost %d rankings, want 1 (the oldest only)", got)
	}
}

// TestListCacheStaysWithinItsBytes: long lists push the oldest out once
// their estimated bytes pass the cache's bound, and a version change frees
// them all.
func TestListCacheStaysWithinItsBytes(t *testing.T) {
	c, clk := newTestCache(time.Minute, 100)
	long := func() *rankedList {
		items := make([]match.Ranked, 200)
		return &rankedList{items: items, total: 1000, facets: Facets{"credential": {"MD": 1000}}}
	}
	per := long().bytes()
	c.maxBytes = 3*per + per/2
	for i := range 10 {
		clk.t = clk.t.Add(time.Millisecond)
		c.get(1, fmt.Sprint("k", i), clk.now(), long)
	}
	n, bytes := c.len()
	if n != 3 || bytes != 3*per {
		t.Fatalf("the cache holds %d lists of %d bytes, want the 3 newest of %d", n, bytes, 3*per)
	}
	var ranks atomic.Int32
	c.get(1, "k9", clk.now(), counted(&ranks, "k9"))
	c.get(1, "k0", clk.now(), counted(&ranks, "k0"))
	if ranks.Load() != 1 {
		t.Fatalf("the newest list and the oldest cost %d rankings, want 1", ranks.Load())
	}
	c.get(2, "k0", clk.now(), long)
	if n, bytes := c.len(); n != 1 || bytes != per {
		t.Fatalf("after a version change: %d lists of %d bytes, want 1 of %d", n, bytes, per)
	}
}

func TestListCacheHoldsUntilItsEnd(t *testing.T) {
	c, clk := newTestCache(time.Minute, 10)
	end := clk.now().Add(5 * time.Second)
	var ranks atomic.Int32
	rank := func() *rankedList { ranks.Add(1); return &rankedList{until: end} }
	c.get(1, "a", clk.now(), rank)
	c.get(1, "a", end.Add(-time.Nanosecond), rank)
	if ranks.Load() != 1 {
		t.Fatalf("before its end the list was ranked %d times, want 1", ranks.Load())
	}
	c.get(1, "a", end, rank)
	if ranks.Load() != 2 {
		t.Fatalf("at its end (a position expired) the list was ranked %d times, want 2", ranks.Load())
	}
}

// TestListCacheRanksOnceForRequestsAtOnce: requests for a list being
// ranked wait for it rather than rank it again, and all read one list.
func TestListCacheRanksOnceForRequestsAtOnce(t *testing.T) {
	c, clk := newTestCache(time.Minute, 10)
	var ranks atomic.Int32
	release := make(chan struct{})
	rank := func() *rankedList {
		ranks.Add(1)
		<-release
		return &rankedList{items: []match.Ranked{{ID: "x"}}, total: 1}
	}
	got := make([]*rankedList, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = c.get(1, "a", clk.now(), rank)
		}()
	}
	for ranks.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if ranks.Load() != 1 {
		t.Fatalf("%d requests at once ranked the list %d times, want 1", len(got), ranks.Load())
	}
	for i, l := range got {
		if l != got[0] || l == nil {
			t.Fatalf("request %d read another list", i)
		}
	}
}

func TestListCachePageReachesPastItsItems(t *testing.T) {
	var items []match.Ranked
	for i := range 5 {
		items = append(items, match.Ranked{ID: fmt.Sprint("c", i), Score: float64(90 - i)})
	}
	long := &rankedList{items: items, total: 9}
	if page, next, ok := long.page(nil, 2, match.ByMutual); !ok || len(page) != 2 || next == "" {
		t.Fatalf("first page of a longer list: %v %q %v", page, next, ok)
	}
	if _, _, ok := long.page(&items[2], 3, match.ByMutual); ok {
		t.Fatal("a page past the items kept was cut from them")
	}
	whole := &rankedList{items: items, total: 5}
	page, next, ok := whole.page(&items[2], 3, match.ByMutual)
	if !ok || len(page) != 2 || next != "" || page[0].ID != "c3" {
		t.Fatalf("last page of a whole list: %v %q %v", page, next, ok)
	}
}
