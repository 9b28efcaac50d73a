package introdb

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/candidates/candidatesdb"
	"carefit/candidates/candidatestest"
	"carefit/internal/kit/storetest"
	"carefit/internal/platform/pg"
	"carefit/internal/platform/testenv"
	"carefit/intro"
	"carefit/jobs"
	"carefit/jobs/jobsdb"
	"carefit/jobs/jobstest"
	"carefit/pipeline"
	"carefit/pipeline/pipelinedb"
)

// world is a fresh database with one organization and its open position,
// n profiles, a store on the pool as cmd/carefit wires it, and the clock
// the store reads (moved by the tests).
type world struct {
	s      *Store
	pool   *pgxpool.Pool
	org    string
	pos    string
	ids    []string
	clock  *atomic.Int64
	keys   []string // a recruiter key of the organization, then a clinician key of ids[0]
	jobsDB *jobsdb.Store
}

func newWorld(t *testing.T, n int) world {
	t.Helper()
	ctx := context.Background()
	pool := testenv.DB(t)
	w := world{pool: pool, clock: &atomic.Int64{}}
	w.clock.Store(jobstest.Now.UnixNano())
	now := func() time.Time { return time.Unix(0, w.clock.Load()).UTC() }
	js, cs := jobsdb.NewStore(pool), candidatesdb.NewStore(pool)
	js.Now, cs.Now = now, now
	o := jobstest.Org()
	o.ID, o.Locations[0].ID = uuid.NewString(), uuid.NewString()
	o, err := js.CreateOrganization(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	p := jobstest.Position()
	p.ID, p.OrgID, p.LocationID = uuid.NewString(), o.ID, o.Locations[0].ID
	if p, err = js.CreatePosition(ctx, p, jobs.Scope{}); err != nil {
		t.Fatal(err)
	}
	w.org, w.pos, w.jobsDB = o.ID, p.ID, js
	for range n {
		prof, err := cs.CreateProfile(ctx, candidatestest.NewProfile())
		if err != nil {
			t.Fatal(err)
		}
		w.ids = append(w.ids, prof.ID)
	}
	keys := &accessdb.Store{DB: pool, Now: now}
	for _, k := range []access.NewKey{{Role: access.Recruiter, OrgID: o.ID}, {Role: access.Clinician, ProfileID: w.ids[0]}} {
		key, _, err := keys.Create(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		w.keys = append(w.keys, key.ID)
	}
	w.s = NewStore(pg.Ambient{DB: pool})
	w.s.Now = now
	return w
}

func (w world) advance(d time.Duration) { w.clock.Add(int64(d)) }

func (w world) ask(profile string) intro.Request {
	return intro.Request{Side: intro.Recruiter, OrgID: w.org, PositionID: w.pos, ProfileID: profile, KeyID: w.keys[0], Message: "Hello"}
}

// TestDailyLimitHoldsUnderRace: requests of one key racing for the last
// places of its daily limit get exactly that many, the rest the named
// error.
func TestDailyLimitHoldsUnderRace(t *testing.T) {
	w := newWorld(t, 8)
	errs := make([]error, len(w.ids))
	var wg sync.WaitGroup
	for i, id := range w.ids {
		wg.Go(func() {
			r := w.ask(id)
			r.DailyLimit = 3
			_, errs[i] = w.s.Request(context.Background(), r)
		})
	}
	wg.Wait()
	ok, limited := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, intro.ErrDailyLimit):
			limited++
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != 3 || limited != 5 {
		t.Errorf("got %d requests and %d refusals, want 3 and 5", ok, limited)
	}
}

// TestOnePendingPerPairUnderRace: both sides asking about one pair at once
// make one introduction.
func TestOnePendingPerPairUnderRace(t *testing.T) {
	w := newWorld(t, 1)
	interest := intro.Request{Side: intro.Clinician, PositionID: w.pos, ProfileID: w.ids[0], KeyID: w.keys[1]}
	storetest.CheckOneWins(t, 6, intro.ErrOpen, func(i int) error {
		r := w.ask(w.ids[0])
		if i%2 == 1 {
			r = interest
		}
		_, err := w.s.Request(context.Background(), r)
		return err
	})
}

// TestAcceptanceMovesThePipelineOnlyForward: accepting moves a new pair
// to contacted with the answering key, and leaves a pair already
// interviewing, and its note, as they are.
func TestAcceptanceMovesThePipelineOnlyForward(t *testing.T) {
	w := newWorld(t, 2)
	ctx := context.Background()
	pl := pipelinedb.NewStore(w.pool)
	pl.Now = w.s.Now
	if _, err := pl.Set(ctx, pipeline.Change{PositionID: w.pos, ProfileID: w.ids[1], State: pipeline.Interviewing, Note: "Met on Monday."}, jobs.Scope{}); err != nil {
		t.Fatal(err)
	}
	for i, id := range w.ids {
		in, err := w.s.Request(ctx, w.ask(id))
		if err != nil {
			t.Fatal(err)
		}
		out, err := w.s.Answer(ctx, intro.Answer{ID: in.ID, Side: intro.Clinician, ProfileID: id, Accept: true, KeyID: w.keys[1]})
		if err != nil || out.Status != intro.Accepted || out.AnsweredAt == nil {
			t.Fatalf("accept: got %+v, %v", out, err)
		}
		e, _, err := pl.Get(ctx, w.pos, id, jobs.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		want := []pipeline.State{pipeline.Contacted, pipeline.Interviewing}[i]
		if e.State != want || i == 1 && e.Note != "Met on Monday." {
			t.Errorf("clinician %d: pipeline %s %q, want %s", i, e.State, e.Note, want)
		}
	}
}

// TestAnswersFollowTheRules: the side that asked does not answer, an
// expired request cannot be, a clinician answers only their own, and a
// request waiting for the clinician is declined, not revoked.
func TestAnswersFollowTheRules(t *testing.T) {
	w := newWorld(t, 1)
	ctx := context.Background()
	in, err := w.s.Request(ctx, w.ask(w.ids[0]))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Answer(ctx, intro.Answer{ID: in.ID, Side: intro.Recruiter, OrgID: w.org, Accept: true}); !errors.Is(err, intro.ErrOtherSide) {
		t.Errorf("the asking side answers: got %v, want ErrOtherSide", err)
	}
	if _, err := w.s.Answer(ctx, intro.Answer{ID: in.ID, Side: intro.Clinician, ProfileID: uuid.NewString(), Accept: true}); !errors.Is(err, intro.ErrNotFound) {
		t.Errorf("another clinician answers: got %v, want ErrNotFound", err)
	}
	if _, err := w.s.Revoke(ctx, intro.Revocation{ID: in.ID, ProfileID: w.ids[0]}); !errors.Is(err, intro.ErrDeclineInstead) {
		t.Errorf("revoking a request: got %v, want ErrDeclineInstead", err)
	}
	w.advance(intro.Lifetime)
	if _, err := w.s.Answer(ctx, intro.Answer{ID: in.ID, Side: intro.Clinician, ProfileID: w.ids[0], Accept: true}); !errors.Is(err, intro.ErrExpired) {
		t.Errorf("answering after 14 days: got %v, want ErrExpired", err)
	}
	page, err := w.s.List(ctx, intro.Filter{OrgID: w.org, Statuses: []intro.Status{intro.Expired}, Now: w.s.Now()})
	if err != nil || len(page.Items) != 1 {
		t.Errorf("expired list: got %+v, %v; want the request", page.Items, err)
	}
}

// TestBlockingRevokesAndIsRecorded: blocking an organization revokes its
// accepted introduction, hides the clinician from its reads, queues the
// profile for the feature store and keeps every step in the consent
// record; an unknown organization is named.
func TestBlockingRevokesAndIsRecorded(t *testing.T) {
	w := newWorld(t, 1)
	ctx := context.Background()
	id := w.ids[0]
	in, err := w.s.Request(ctx, w.ask(id))
	if err == nil {
		_, err = w.s.Answer(ctx, intro.Answer{ID: in.ID, Side: intro.Clinician, ProfileID: id, Accept: true, KeyID: w.keys[1]})
	}
	if err != nil {
		t.Fatal(err)
	}
	r, err := w.s.Reach(ctx, w.org, nil)
	if err != nil || !r.IsIntroduced(id) || !r.IsRelated(id) || r.IsBlocked(id) {
		t.Fatalf("reach before the block: got %+v, %v", r, err)
	}
	outbox := storetest.Outbox(t, w.pool, "profile", id, "upsert")
	blocks, err := w.s.SetBlocked(ctx, id, []string{w.org, w.org}, w.keys[1])
	if err != nil || len(blocks) != 1 || blocks[0].OrgID != w.org || blocks[0].OrgName == "" {
		t.Fatalf("block: got %+v, %v", blocks, err)
	}
	if got := storetest.Outbox(t, w.pool, "profile", id, "upsert"); got != outbox+1 {
		t.Errorf("outbox rows: got %d, want %d", got, outbox+1)
	}
	if r, _ = w.s.Reach(ctx, w.org, []string{id}); !r.IsBlocked(id) || r.IsIntroduced(id) {
		t.Errorf("reach after the block: got %+v, want blocked and no longer introduced", r)
	}
	if _, err := w.s.Get(ctx, in.ID, intro.Scope{OrgID: w.org}); !errors.Is(err, intro.ErrNotFound) {
		t.Errorf("the organization reads the introduction: got %v, want not found", err)
	}
	if got, err := w.s.BlocksOf(ctx, nil); err != nil || len(got[id]) != 1 {
		t.Errorf("BlocksOf: got %v, %v", got, err)
	}
	events, err := (&accessdb.Store{DB: w.pool}).Consents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []access.ConsentKind
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	want := []access.ConsentKind{access.ConsentAccepted, access.ConsentBlocked, access.ConsentRevoked}
	if len(kinds) < 3 || kinds[len(kinds)-3] != want[0] || kinds[len(kinds)-2] != want[1] || kinds[len(kinds)-1] != want[2] {
		t.Errorf("consent record: got %v, want it to end %v", kinds, want)
	}
	_, err = w.s.SetBlocked(ctx, id, []string{uuid.NewString()}, "")
	if f := errsFields(err); len(f) != 1 || f[0] != "organization_ids[0]" {
		t.Errorf("an unknown organization: got %v, want it named", err)
	}
}
