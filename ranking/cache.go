package ranking

import (
	"sort"
	"sync"
	"time"

	"carefit/match"
)

// A recruiter paging through a position's candidates, or a clinician
// through their roles, asks for the same list several times within
// seconds. The store keeps each list it ranks (its first listPrefix
// items, its total and its facet counts) keyed by what it ranks and how it
// is filtered, for the store version it was ranked at: any change the
// store applies moves the version on and empties the cache, so a cached
// list is never older than the data (see Store.version). Eligibility also
// depends on the day (start dates, availability, licence expiry) and on
// whether the position is still open at the moment asked, so the day is
// part of the key and an expired position is never served from the
// cache. Entries live at most listCacheTTL, and the cache holds at most
// listCacheSize of them and about listCacheBytes of lists (the oldest go
// first), so it stays small whatever the traffic: a position's list is up
// to about 13 KB, one narrowed by text often a few.

const (
	// listPrefix is how many items of a list are kept ranked in order:
	// two pages of the largest limit, ten of the default.
	listPrefix = 200
	// listCacheTTL bounds how long a list is kept while nothing changes.
	listCacheTTL = 30 * time.Second
	// listCacheSize bounds how many lists are kept: more than the
	// positions (each with a few texts) and clinicians a few hundred
	// recruiters and clinicians page through at once.
	listCacheSize = 16384
	// listCacheBytes bounds the estimated size of the lists kept.
	listCacheBytes = 64 << 20
)

// rankedList is a list's first items in order, with the total and facet
// counts of the whole list. It is shared by every request that reads it
// and never modified once built.
type rankedList struct {
	items  []match.Ranked
	total  int
	facets Facets
	// until, when set, is when the list stops holding although nothing
	// changed: a position it ranked over expires.
	until time.Time
}

// bytes estimates the memory l holds: its items and facet counts (their
// strings are the store's own).
func (l *rankedList) bytes() int {
	const ranked = 32 // a match.Ranked: an ID's header and two scores
	n := 96 + cap(l.items)*ranked
	for _, m := range l.facets {
		n += 64 + 48*len(m)
	}
	return n
}

// holdsAt reports whether the list is still the ranking at t.
func (l *rankedList) holdsAt(t time.Time) bool { return l.until.IsZero() || t.Before(l.until) }

// page returns the items after cur (from the start when nil), at most
// limit of them, and the cursor of the next page. ok is false when the
// page reaches past the items kept of a longer list: the caller ranks it
// again.
func (l *rankedList) page(cur *match.Ranked, limit int, by match.Order) (items []match.Ranked, next string, ok bool) {
	start := 0
	if cur != nil {
		start = sort.Search(len(l.items), func(i int) bool { return by.Compare(l.items[i], *cur) > 0 })
	}
	end := min(start+limit, len(l.items))
	if end-start < limit && len(l.items) < l.total {
		return nil, "", false
	}
	items = append([]match.Ranked(nil), l.items[start:end]...)
	if start+len(items) < l.total && len(items) > 0 {
		next = encodeCursor(items[len(items)-1], by)
	}
	return items, next, true
}

// listCache holds rankedLists for one store version. Safe for concurrent
// use; a list asked for by several requests at once is ranked once.
type listCache struct {
	ttl time.Duration
	max int
	// maxBytes bounds the lists' estimated bytes (rankedList.bytes).
	maxBytes int
	// clock is time.Now unless a test sets it.
	clock func() time.Time

	mu      sync.Mutex
	version uint64
	entries map[string]*cachedList
	// bytes is the estimated size of the lists entries hold.
	bytes int
	// order holds the entries oldest first, some since replaced or
	// dropped; evict pops it.
	order []*cachedList
}

type cachedList struct {
	key   string
	bytes int // the list's estimate, once ranked
	at    time.Time
	done  chan struct{} // closed once ranked
	list  *rankedList   // set under the cache's lock; nil while ranking, or if ranking failed
}

func newListCache(ttl time.Duration, size, bytes int) *listCache {
	return &listCache{ttl: ttl, max: size, maxBytes: bytes, clock: time.Now, entries: map[string]*cachedList{}}
}

// get returns the list key names at store version for a request at at,
// ranking it with rank when the cache does not hold it, or holds it only
// until before at. A version other than the cache's empties the cache
// first. rank runs without the cache's lock; requests for the same key
// at once wait for the first and share its list.
func (c *listCache) get(version uint64, key string, at time.Time, rank func() *rankedList) *rankedList {
	now := c.clock()
	c.mu.Lock()
	if version != c.version {
		clear(c.entries)
		clear(c.order)
		c.order = c.order[:0]
		c.bytes = 0
		c.version = version
	}
	e, ok := c.entries[key]
	if ok && now.Sub(e.at) < c.ttl && (e.list == nil || e.list.holdsAt(at)) {
		c.mu.Unlock()
		<-e.done
		c.mu.Lock()
		l := e.list
		c.mu.Unlock()
		if l != nil && l.holdsAt(at) {
			return l
		}
		return rank()
	}
	if ok {
		c.drop(e)
	}
	e = &cachedList{key: key, at: now, done: make(chan struct{})}
	c.entries[key] = e
	c.order = append(c.order, e)
	c.evict()
	c.mu.Unlock()
	defer close(e.done)
	l := rank()
	c.mu.Lock()
	e.list = l
	if c.entries[e.key] == e && l != nil {
		e.bytes = l.bytes()
		c.bytes += e.bytes
		c.evict()
	}
	c.mu.Unlock()
	return l
}

// drop removes e from the entries; c.mu is held.
func (c *listCache) drop(e *cachedList) {
	if c.entries[e.key] == e {
		delete(c.entries, e.key)
		c.bytes -= e.bytes
	}
}

// evict drops the oldest entries until at most max remain, of at most
// maxBytes; c.mu is held. Entries are added in time order, so the oldest
// is at the front of order, behind any that were replaced or dropped
// since.
func (c *listCache) evict() {
	for (len(c.entries) > c.max || c.bytes > c.maxBytes) && len(c.order) > 0 {
		e := c.order[0]
		c.order[0] = nil
		c.order = c.order[1:]
		c.drop(e)
	}
	// Entries replaced after expiring leave their old selves in order:
	// rebuild it when it grows well past the cache.
	if len(c.order) > 2*c.max+64 {
		live := make([]*cachedList, 0, len(c.entries))
		for _, e := range c.order {
			if c.entries[e.key] == e {
				live = append(live, e)
			}
		}
		c.order = live
	}
}

// len returns how many lists the cache holds, and their estimated bytes.
func (c *listCache) len() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.bytes
}
