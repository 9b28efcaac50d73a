package pipelinedb

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/candidates/candidatesdb"
	"carefit/candidates/candidatestest"
	"carefit/internal/kit/domaintest"
	"carefit/internal/platform/pg"
	"carefit/internal/platform/testenv"
	"carefit/jobs"
	"carefit/jobs/jobsdb"
	"carefit/jobs/jobstest"
	"carefit/pipeline"
)

// world is a fresh database with one organization, an open position for
// headcount clinicians and n profiles, and a pipeline store on the pool
// as cmd/carefit wires it (pg.Ambient).
func world(t *testing.T, headcount, n int) (*Store, *pgxpool.Pool, jobs.Position, []string) {
	t.Helper()
	ctx := context.Background()
	pool := testenv.DB(t)
	js, cs := jobsdb.NewStore(pool), candidatesdb.NewStore(pool)
	js.Now, cs.Now = domaintest.Stopped(jobstest.Now), domaintest.Stopped(candidatestest.Now)
	o := jobstest.Org()
	o.ID, o.Locations[0].ID = uuid.NewString(), uuid.NewString()
	o, err := js.CreateOrganization(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	p := jobstest.Position()
	p.ID, p.OrgID, p.LocationID, p.Headcount = uuid.NewString(), o.ID, o.Locations[0].ID, headcount
	if p, err = js.CreatePosition(ctx, p, jobs.Scope{}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for range n {
		prof, err := cs.CreateProfile(ctx, candidatestest.NewProfile())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, prof.ID)
	}
	s := NewStore(pg.Ambient{DB: pool})
	s.Now = domaintest.Stopped(jobstest.Now)
	return s, pool, p, ids
}

// TestConcurrentPlacementsFillOnce: placements racing on one position
// are counted exactly (the position is locked), so the one that reaches
// the headcount fills it, once, and later ones leave it filled.
func TestConcurrentPlacementsFillOnce(t *testing.T) {
	const headcount, n = 3, 8
	s, pool, pos, ids := world(t, headcount, n)
	ctx := context.Background()
	outs := make([]pipeline.Outcome, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = s.Set(ctx, pipeline.Change{PositionID: pos.ID, ProfileID: id, State: pipeline.Placed}, jobs.Scope{OrgID: pos.OrgID})
		}()
	}
	wg.Wait()
	filled := 0
	for i := range ids {
		if errs[i] != nil {
			t.Fatalf("placement %d: %v", i, errs[i])
		}
		if outs[i].Filled {
			filled++
		}
	}
	if filled != 1 {
		t.Errorf("placements that filled the position: got %d, want 1", filled)
	}
	var status string
	var version, versions, history int
	if err := pool.QueryRow(ctx, `SELECT status, version, (SELECT count(*) FROM position_versions WHERE position_id = $1),
		(SELECT count(*) FROM pipeline_history WHERE position_id = $1) FROM positions WHERE id = $1`, pos.ID).
		Scan(&status, &version, &versions, &history); err != nil {
		t.Fatal(err)
	}
	if status != "filled" || version != 2 || versions != 2 || history != n {
		t.Errorf("position %s v%d with %d versions and %d history rows; want filled v2, 2 versions, %d rows", status, version, versions, history, n)
	}
}

func TestSetRefuses(t *testing.T) {
	s, _, pos, ids := world(t, 1, 1)
	ctx := context.Background()
	change := func(mod func(*pipeline.Change)) pipeline.Change {
		c := pipeline.Change{PositionID: pos.ID, ProfileID: ids[0], State: pipeline.Shortlisted}
		mod(&c)
		return c
	}
	cases := []struct {
		name string
		c    pipeline.Change
		sc   jobs.Scope
		want error
	}{
		{"another organization", change(func(*pipeline.Change) {}), jobs.Scope{OrgID: uuid.NewString()}, pipeline.ErrNotFound},
		{"malformed scope", change(func(*pipeline.Change) {}), jobs.Scope{OrgID: "org"}, pipeline.ErrNotFound},
		{"unknown clinician", change(func(c *pipeline.Change) { c.ProfileID = uuid.NewString() }), jobs.Scope{}, pipeline.ErrNotFound},
		{"If-Match on no entry", change(func(c *pipeline.Change) { c.IfVersion = 1 }), jobs.Scope{}, pipeline.ErrPreconditionFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.Set(ctx, tc.c, tc.sc); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	if es, err := s.List(ctx, pos.ID, nil, jobs.Scope{}); err != nil || len(es) != 0 {
		t.Errorf("refused changes left entries: %v, %v", es, err)
	}
}
