package reliability

import (
	"sort"
	"sync"
	"time"
)

// write is one logical write: a create sent with one Idempotency-Key, or a
// patch of a position, retried until it is acknowledged or its deadline
// passes.
type write struct {
	kind    string // organization, position, profile, patch, or probe-…
	phase   int
	marker  string
	path    string
	key     string // the API key it is sent with
	idemKey string
	body    []byte
	posID   string // a patch's position
	rev     int    // a patch's revision

	started  time.Time
	acked    time.Time // zero until a 2xx answer (or, for a patch, a read showing it)
	attempts int
	refused  time.Duration // longest run of 409 answers to this key
	replayed bool          // the 2xx was a stored answer replayed
	id       string
	failure  string // why it was never acknowledged
}

func (w *write) done() bool { return !w.acked.IsZero() }

// position is what the ledger expects of one position.
type position struct {
	marker string
	title  string // the last acknowledged title
	rev    int
	phase  int
	kind   string // position, probe-position or anchor-position
}

// profile is what the ledger knows of one acknowledged profile.
type profile struct {
	phase int
	kind  string // profile, probe-profile or anchor-profile
}

// ledger records every logical write and what the database must hold.
type ledger struct {
	mu        sync.Mutex
	writes    []*write
	positions map[string]*position // by id, acknowledged only
	profiles  map[string]profile   // by id, acknowledged only
	orgs      map[string]bool
}

func newLedger() *ledger {
	return &ledger{positions: map[string]*position{}, profiles: map[string]profile{}, orgs: map[string]bool{}}
}

func (l *ledger) add(w *write) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes = append(l.writes, w)
}

// acked records an acknowledged write's effect.
func (l *ledger) acked(w *write) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch w.kind {
	case "organization":
		l.orgs[w.id] = true
	case "position", "probe-position", "anchor-position":
		l.positions[w.id] = &position{marker: w.marker, title: positionTitle(w.marker, 0), phase: w.phase, kind: w.kind}
	case "profile", "probe-profile", "anchor-profile":
		l.profiles[w.id] = profile{phase: w.phase, kind: w.kind}
	case "patch":
		if p := l.positions[w.posID]; p != nil && w.rev > p.rev {
			p.rev, p.title = w.rev, positionTitle(p.marker, w.rev)
		}
	}
}

// position returns a copy of what the ledger expects of position id.
func (l *ledger) position(id string) position {
	l.mu.Lock()
	defer l.mu.Unlock()
	return *l.positions[id]
}

// expected is a snapshot of what must be stored and found.
type expected struct {
	positions map[string]position
	profiles  map[string]profile
	orgs      map[string]bool
	markers   map[string]*write // every create by marker, acknowledged or not
	phases    int               // phases 0 (set-up) to phases-1 have writes
}

func (l *ledger) snapshot() expected {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := expected{positions: map[string]position{}, profiles: map[string]profile{}, orgs: map[string]bool{}, markers: map[string]*write{}}
	for id, p := range l.positions {
		e.positions[id] = *p
	}
	for id, p := range l.profiles {
		e.profiles[id] = p
	}
	for id := range l.orgs {
		e.orgs[id] = true
	}
	for _, w := range l.writes {
		e.phases = max(e.phases, w.phase+1)
		if w.marker != "" && w.kind != "patch" {
			e.markers[w.marker] = w
		}
	}
	return e
}

// writeStats sums up the logical writes of one phase (all phases when
// phase < 0).
type writeStats struct {
	writes, acked, failed, replayed, retried int
	maxRefused, maxAckWait                   time.Duration
	failures                                 []string
}

func (l *ledger) stats(phase int) writeStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	var s writeStats
	for _, w := range l.writes {
		if phase >= 0 && w.phase != phase {
			continue
		}
		s.writes++
		s.maxRefused = max(s.maxRefused, w.refused)
		if w.attempts > 1 {
			s.retried++
		}
		if w.replayed {
			s.replayed++
		}
		if !w.done() {
			s.failed++
			if len(s.failures) < 5 {
				s.failures = append(s.failures, w.kind+" "+w.marker+w.posID+": "+w.failure)
			}
			continue
		}
		s.acked++
		s.maxAckWait = max(s.maxAckWait, w.acked.Sub(w.started))
	}
	sort.Strings(s.failures)
	return s
}
