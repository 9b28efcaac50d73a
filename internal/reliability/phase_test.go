package reliability

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// figures are what one fault (or the whole run) measured.
type figures struct {
	fault    string
	final    bool          // the whole run, checked once more at the end
	down     time.Duration // from the fault until the part answered again
	apiReady time.Duration // from then until /readyz answered 200
	ws       writeStats
	lost     int
	dups     int
	orphans  int // rows of writes never acknowledged
	examples []string
	// search is from recovery until search found every record of the
	// phase acknowledged before it; searchAll from the end of the load
	// until it found every one of the phase's (the run's, when final);
	// probePos and probePr from recovery until a position and a profile
	// written right after it were in the ranked lists; rankedAll from the
	// start of the check after the load until the ranked lists' totals
	// equalled the rows in Postgres (and, when final, both lists were read
	// whole). -1: never.
	search, probePos, probeProf, rankedAll time.Duration
	probePosAck, probeProfAck              time.Duration
	searchAll                              time.Duration
	searchLast, searchAllLast, rankedLast  string
	hangs, requests                        int64
	// queueMax and queueLast are the most tasks pending at once in each
	// worker queue during the phase, and the number at its end.
	queueMax, queueLast map[string]int
}

// runPhase runs the load, injects the fault while it runs, keeps the load
// going after recovery, then stops it and checks.
func (ld *load) runPhase(t *testing.T, n int, f fault) figures {
	t.Helper()
	c, cfg := ld.c, ld.cfg
	fig := figures{fault: f.name}
	ld.phase.Store(int32(n))
	hangs0, req0 := c.api.hangs.Load(), c.api.requests.Load()
	queues := c.watchQueues()
	defer queues.end()
	stop := ld.start()
	time.Sleep(cfg.before) // steady load before the fault
	t0 := time.Now()
	if err := f.inject(c, cfg); err != nil {
		stop()
		t.Fatalf("%s: %v\n%s", f.name, err, c.logs())
	}
	recovered := time.Now()
	fig.down = recovered.Sub(t0)
	probed := make(chan probeResult, 1)
	go func() { probed <- ld.probe(ld.anchors, recovered) }()
	searched := make(chan struct{}, 1)
	go func() {
		// What this phase wrote before recovery, found while the load goes on.
		fig.search, fig.searchLast = ld.awaitSearch(ld.l.snapshot(), []int{n}, recovered, searchLimit)
		searched <- struct{}{}
	}()
	if !eventually(time.Minute, 50*time.Millisecond, c.ready) {
		t.Errorf("%s: /readyz not 200 within a minute of recovery", f.name)
	}
	fig.apiReady = time.Since(recovered)
	time.Sleep(cfg.after) // the load goes on after recovery
	stop()
	stopped := time.Now()
	pr := <-probed // before the check, which counts what was sent
	fig.probePos, fig.probeProf, fig.probePosAck, fig.probeProfAck = pr.position, pr.profile, pr.positionAck, pr.profileAck
	fig.ws = ld.l.stats(n)
	ld.check(t, &fig, []int{n}, false, stopped)
	<-searched
	fig.queueMax, fig.queueLast = queues.end()
	fig.hangs, fig.requests = c.api.hangs.Load()-hangs0, c.api.requests.Load()-req0
	return fig
}

// check fills in the figures for everything acknowledged so far: the
// ranked totals against the rows in Postgres (and, when whole, every row
// of both ranked lists), durability, duplicates, and search for what was
// written in phases. The load stopped at stopped; the check starts at
// once.
func (ld *load) check(t *testing.T, fig *figures, phases []int, whole bool, stopped time.Time) {
	t.Helper()
	e := ld.l.snapshot()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	counts, err := ld.storedMarkers(ctx)
	if err != nil {
		t.Errorf("%s: counting stored rows: %v", fig.fault, err)
	}
	fig.rankedAll, fig.rankedLast = ld.awaitRanked(e, counts, whole)
	lost, ex, err := ld.durability(e)
	if err != nil {
		t.Errorf("%s: reading the records back: %v", fig.fault, err)
	}
	fig.lost, fig.examples = lost, append(fig.examples, ex...)
	dups, orphans, ex := duplicates(e, counts)
	fig.dups, fig.orphans, fig.examples = dups, orphans, append(fig.examples, ex...)
	fig.searchAll, fig.searchAllLast = ld.awaitSearch(e, phases, stopped, searchLimit)
}

// judge fails the test for every bound the figures break.
func judge(t *testing.T, f figures) {
	t.Helper()
	if f.lost > 0 {
		t.Errorf("%s: %d acknowledged writes lost: %s", f.fault, f.lost, strings.Join(f.examples, "; "))
	}
	if f.dups > 0 {
		t.Errorf("%s: %d duplicate rows: %s", f.fault, f.dups, strings.Join(f.examples, "; "))
	}
	if f.ws.failed > 0 {
		t.Errorf("%s: %d of %d logical writes never acknowledged (key blocked or refused; longest refusal %s): %s",
			f.fault, f.ws.failed, f.ws.writes, f.ws.maxRefused.Round(time.Millisecond), strings.Join(f.ws.failures, "; "))
	}
	if f.search < 0 || f.search > searchLimit {
		t.Errorf("%s: search did not find the records written before recovery within %s of it: %s (most tasks pending in each worker queue: %v)",
			f.fault, searchLimit, f.searchLast, f.queueMax)
	}
	if f.searchAll < 0 || (!f.final && f.searchAll > searchLimit) {
		t.Errorf("%s: search did not find every acknowledged record within %s of the end of the load: %s", f.fault, searchLimit, f.searchAllLast)
	}
	for what, d := range map[string]time.Duration{"position": f.probePos, "profile": f.probeProf} {
		if d < 0 || d > rankedLimit {
			t.Errorf("%s: a %s written after recovery was not in the ranked lists within %s of recovery (took %s)", f.fault, what, rankedLimit, d)
		}
	}
	if f.rankedAll < 0 {
		t.Errorf("%s: the ranked lists did not match Postgres within %s of the end of the load: %s", f.fault, rankedLimit, f.rankedLast)
	}
	if f.hangs > 0 {
		t.Errorf("%s: %d requests hung for %s", f.fault, f.hangs, requestTimeout)
	}
}

func ms(d time.Duration) string {
	switch {
	case d < 0:
		return "never"
	case d == 0:
		return "-"
	}
	return d.Round(10 * time.Millisecond).String()
}

// line is the figures on one line.
func (f figures) line() string {
	return fmt.Sprintf("down %s, /readyz 200 %s later; %d writes (%d acked, %d never, %d retried, %d replayed), longest refusal %s, "+
		"longest wait for an ack %s; lost %d, duplicates %d, unacknowledged rows %d; search found what was written before recovery %s after it "+
		"and everything %s after the load stopped; "+
		"ranked: position %s (%s after its ack), profile %s (%s after its ack), totals equal to Postgres %s after the check started; "+
		"%d requests, %d hung; most tasks pending by queue %v, at the end %v",
		ms(f.down), ms(f.apiReady), f.ws.writes, f.ws.acked, f.ws.failed, f.ws.retried, f.ws.replayed, ms(f.ws.maxRefused),
		ms(f.ws.maxAckWait), f.lost, f.dups, f.orphans, ms(f.search), ms(f.searchAll), ms(f.probePos), ms(f.probePosAck),
		ms(f.probeProf), ms(f.probeProfAck), ms(f.rankedAll), f.requests, f.hangs, f.queueMax, f.queueLast)
}

// finalCheck checks the whole run once more after the last fault: every
// acknowledged write stored once, found by search and in the ranked lists.
func (ld *load) finalCheck(t *testing.T) figures {
	t.Helper()
	fig := figures{fault: "whole run", final: true, ws: ld.l.stats(-1)}
	phases := make([]int, ld.l.snapshot().phases)
	for i := range phases {
		phases[i] = i
	}
	ld.check(t, &fig, phases, true, time.Now())
	fig.hangs, fig.requests = ld.c.api.hangs.Load(), ld.c.api.requests.Load()
	judge(t, fig)
	return fig
}

// report logs a table of the figures of every fault and of the run.
func report(t *testing.T, phases []figures, total figures, hung []string) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%-20s %7s %6s %6s %6s %5s %7s %7s %7s %7s %4s %4s %5s %8s %8s %7s %7s %7s %5s %7s\n", "fault", "down", "readyz",
		"writes", "acked", "never", "retried", "replay", "refused", "maxack", "lost", "dups", "unack",
		"search", "srch-all", "rk-pos", "rk-prof", "rk-all", "hangs", "backlog")
	for _, f := range append(phases, total) {
		fmt.Fprintf(&b, "%-20s %7s %6s %6d %6d %5d %7d %7d %7s %7s %4d %4d %5d %8s %8s %7s %7s %7s %5d %7s\n", f.fault, ms(f.down), ms(f.apiReady),
			f.ws.writes, f.ws.acked, f.ws.failed, f.ws.retried, f.ws.replayed, ms(f.ws.maxRefused), ms(f.ws.maxAckWait), f.lost, f.dups, f.orphans,
			ms(f.search), ms(f.searchAll), ms(f.probePos), ms(f.probeProf), ms(f.rankedAll), f.hangs, pending(f.queueMax))
	}
	b.WriteString("\n" + legend)
	if len(hung) > 0 {
		fmt.Fprintf(&b, "\nhung requests: %s", strings.Join(hung, "; "))
	}
	t.Log("figures:\n" + b.String())
}

// legend explains report's columns.
const legend = `down: from the fault until the part answered again; readyz: then until /readyz answered 200;
writes: logical writes (creates with one Idempotency-Key each, and patches); never: not acknowledged before their deadline (a key blocked);
retried: sent more than once; replay: acknowledged by a replayed answer; refused: longest run of 409s to one key;
maxack: longest time from first send to acknowledgement; lost: acknowledged but not read back; dups: extra rows of one logical write;
unack: rows of writes never acknowledged; search: from recovery until search found all the phase wrote before it;
srch-all: from the end of the load until search found all the phase (whole run: the run) wrote;
rk-pos, rk-prof: from recovery until a position, a profile written right after it was in the ranked lists;
rk-all: from the check after the load until the ranked lists' totals equalled Postgres (whole run: and both lists read whole held every record);
hangs: requests that reached the 10 s client timeout; backlog: the most tasks pending at once in the worker's critical queue
(where the search relay's wake-ups wait), sampled every 0.5 s.`

// pending is the critical queue's entry of a queue sample, or "-".
func pending(q map[string]int) string {
	n, ok := q["critical"]
	if !ok {
		return "-"
	}
	return fmt.Sprint(n)
}
