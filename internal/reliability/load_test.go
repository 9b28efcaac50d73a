package reliability

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// load is the write load: writers creating organizations, positions and
// profiles with an Idempotency-Key each, and patching their positions.
type load struct {
	c      *cluster
	cfg    config
	l      *ledger
	run    string // marks this run's records
	seq    atomic.Int64
	phase  atomic.Int32
	admin  string // API keys
	recr   string
	orgID  string
	madLoc string // the anchor organization's locations
	minLoc string

	anchors anchors

	writers []*writer
	// quit ends every retry loop at once when the test ends, so that a
	// failed test does not wait for the writers' deadlines.
	quit chan struct{}
}

// writer is one client of the load; it patches only positions it created
// in the running phase, so patches of one position never race and each
// phase's search check covers its patches.
type writer struct {
	ops  int
	mine []string
	next int
}

func newLoad(t *testing.T, c *cluster, cfg config) *load {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	ld := &load{c: c, cfg: cfg, l: newLedger(), run: hex.EncodeToString(b), quit: make(chan struct{})}
	for range cfg.writers {
		ld.writers = append(ld.writers, &writer{})
	}
	// Registered after the cluster's cleanups, so it runs before them.
	t.Cleanup(func() { close(ld.quit) })
	return ld
}

// quitting reports whether the test has ended.
func (ld *load) quitting() bool {
	select {
	case <-ld.quit:
		return true
	default:
		return false
	}
}

// pause waits d, or less if the test ends.
func (ld *load) pause(d time.Duration) {
	select {
	case <-ld.quit:
	case <-time.After(d):
	}
}

// start runs the writers until the returned stop is called; stop waits
// until each has finished the logical write it was sending.
func (ld *load) start() (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, w := range ld.writers {
		w.mine = nil
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ld.step(w)
				select {
				case <-done:
					return
				case <-ld.quit:
					return
				case <-time.After(ld.cfg.pause):
				}
			}
		}()
	}
	return func() { close(done); wg.Wait() }
}

// step sends one logical write: of every eight, one organization, two
// positions, three profiles and two patches.
func (ld *load) step(w *writer) {
	w.ops++
	switch w.ops % 8 {
	case 0:
		ld.send(ld.newOrg())
	case 1, 4:
		if p := ld.send(ld.newPosition("position", ld.madLoc)); p.done() {
			w.mine = append(w.mine, p.id)
		}
	case 3, 6:
		if len(w.mine) > 0 {
			w.next++
			ld.patch(w.mine[w.next%len(w.mine)])
			return
		}
		fallthrough
	default:
		ld.send(ld.newProfile("profile", madison, []string{"WI"}, nil))
	}
}

// create makes a logical create of kind at path, sent with key.
func (ld *load) create(kind, path, key string, body func(marker, word string, n int64) []byte) *write {
	n := ld.seq.Add(1)
	marker := fmt.Sprintf("rl%s-%06d", ld.run, n)
	phase := int(ld.phase.Load())
	w := &write{kind: kind, phase: phase, marker: marker, path: path, key: key,
		idemKey: "reliability-" + marker, body: body(marker, phaseWord(phase), n)}
	ld.l.add(w)
	return w
}

func (ld *load) newOrg() *write {
	return ld.create("organization", "/v1/organizations", ld.admin, func(m, _ string, _ int64) []byte { return orgBody(m) })
}

// newPosition is a position at loc, created by the recruiter.
func (ld *load) newPosition(kind, loc string) *write {
	return ld.create(kind, "/v1/positions", ld.recr, func(m, word string, _ int64) []byte {
		return positionBody(m, word, ld.orgID, loc, time.Now())
	})
}

func (ld *load) newProfile(kind string, home place, states, move []string) *write {
	return ld.create(kind, "/v1/profiles", ld.admin, func(m, word string, n int64) []byte {
		return profileBody(m, word, n, home, states, move)
	})
}

// retryable reports whether a client should send the same request again:
// no answer, a server error, a refusal of a key still held (409) or rate
// limiting.
func retryable(r reply) bool {
	return r.err != nil || r.status >= 500 || r.status == http.StatusConflict || r.status == http.StatusTooManyRequests
}

// send posts w with its Idempotency-Key, resending the same request until
// an answer is 2xx, the answer is a final refusal, or the deadline passes.
// It records the longest run of 409 answers: how long the key was refused.
func (ld *load) send(w *write) *write {
	w.started = time.Now()
	deadline := w.started.Add(ld.cfg.keyDeadline)
	var refusedSince time.Time
	backoff := 25 * time.Millisecond
	for {
		w.attempts++
		r := ld.c.api.do(http.MethodPost, w.path, w.key, w.body, "Idempotency-Key", w.idemKey)
		now := time.Now()
		if r.err == nil && r.status == http.StatusConflict {
			if refusedSince.IsZero() {
				refusedSince = now
			}
			w.refused = max(w.refused, now.Sub(refusedSince))
		} else {
			refusedSince = time.Time{}
		}
		if r.ok() {
			var v struct {
				ID string `json:"id"`
			}
			if err := r.decode(&v); err != nil || v.ID == "" {
				w.failure = fmt.Sprintf("2xx without an id: %s", r)
				return w
			}
			w.id, w.acked, w.replayed = v.ID, now, r.header.Get("Idempotent-Replayed") == "true"
			ld.l.acked(w)
			return w
		}
		if !retryable(r) {
			w.failure = "refused: " + r.String()
			return w
		}
		if now.After(deadline) || ld.quitting() {
			w.failure = fmt.Sprintf("not acknowledged within %s after %d attempts; last answer: %s", now.Sub(w.started), w.attempts, r)
			return w
		}
		ld.pause(backoff)
		backoff = min(2*backoff, 400*time.Millisecond)
	}
}

// patch renames position id (and changes its panel size) with If-Match,
// reading it first. A patch whose answer was lost is recognised by reading
// the title it set; a stale ETag (412) means read again.
func (ld *load) patch(id string) *write {
	p := ld.l.position(id)
	w := &write{kind: "patch", phase: int(ld.phase.Load()), posID: id, rev: p.rev + 1, path: "/v1/positions/" + id, key: ld.recr}
	w.body = patchBody(p.marker, w.rev)
	want := positionTitle(p.marker, w.rev)
	ld.l.add(w)
	w.started = time.Now()
	deadline := w.started.Add(ld.cfg.keyDeadline)
	backoff := 25 * time.Millisecond
	for !time.Now().After(deadline) && !ld.quitting() {
		w.attempts++
		g := ld.c.api.do(http.MethodGet, w.path, w.key, nil)
		var cur struct {
			Title string `json:"title"`
		}
		if g.ok() && g.decode(&cur) == nil {
			if cur.Title == want {
				w.acked = time.Now()
				ld.l.acked(w)
				return w
			}
			r := ld.c.api.do(http.MethodPatch, w.path, w.key, w.body,
				"If-Match", g.header.Get("ETag"), "Content-Type", "application/merge-patch+json")
			if r.ok() {
				w.acked = time.Now()
				ld.l.acked(w)
				return w
			}
			if r.err == nil && r.status == http.StatusPreconditionFailed {
				continue
			}
			g = r
		}
		if !retryable(g) {
			w.failure = "refused: " + g.String()
			return w
		}
		ld.pause(backoff)
		backoff = min(2*backoff, 400*time.Millisecond)
	}
	w.failure = fmt.Sprintf("not applied within %s", ld.cfg.keyDeadline)
	return w
}
