package main

import (
	"context"
	"io"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/access/accessdb"
	"carefit/api"
	"carefit/api/idemstore"
	appsvc "carefit/app"
	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/platform/pg"
	"carefit/intro/introdb"
	"carefit/jobs"
	"carefit/jobs/jobsdb"
	"carefit/pipeline/pipelinedb"
	"carefit/ranking"
	"carefit/rematch/rematchdb"
	"carefit/search"
	"carefit/tasks"
)

// wireAPI builds every store the API uses on pool, and the application
// service over them, with the clock now. features and sc may be nil (the
// ranked and search routes then answer 503). introLimit is
// CAREFIT_INTRO_DAILY_LIMIT. The caller fills in the serving options
// (logger, limits, checks).
func wireAPI(pool *pgxpool.Pool, now func() time.Time, features *ranking.Store, sc *search.Client, queue *asynq.Client,
	rm appsvc.RematchSettings, introLimit int) api.Deps {
	// The stores join a request's ambient transaction when it has one
	// (the Idempotency-Key middleware's), so its writes and its recorded
	// answer commit together.
	db := pg.Ambient{DB: pool}
	js, cs := jobsdb.NewStore(db), candidatesdb.NewStore(db)
	js.Now, cs.Now = now, now
	keys := &accessdb.Store{DB: db, Now: now}
	svc := &appsvc.Service{Profiles: cs, Positions: js, Audit: keys, Imports: importer{pool}, Now: now,
		Rematches: rematchdb.New(db), Rematch: rm}
	if queue != nil {
		svc.RunQueue = runQueue{queue}
	}
	pl := pipelinedb.NewStore(db)
	pl.Now = now
	svc.Pipeline = pl
	intros := introdb.NewStore(db)
	intros.Now = now
	svc.Intros, svc.Records, svc.Organizations, svc.IntroDailyLimit = intros, keys, js, introLimit
	// Typed nils would make the interfaces non-nil.
	if features != nil {
		svc.Features = features
	}
	if sc != nil {
		svc.Search = sc
	}
	return api.Deps{App: svc, Jobs: js, Candidates: cs, Keys: keys, Idempotency: idemstore.New(pool), Now: now}
}

// runQueue hands recorded rematch runs to the workers.
type runQueue struct{ c *asynq.Client }

func (q runQueue) EnqueueRun(ctx context.Context, runID int64) error {
	return tasks.Enqueue(ctx, q.c, tasks.NewRematchRunTask(runID, time.Time{}))
}

// importer runs the NDJSON imports on the pool.
type importer struct{ pool *pgxpool.Pool }

func (i importer) ImportProfiles(ctx context.Context, r io.Reader, opts candidates.ImportOptions) (candidates.ImportReport, error) {
	return candidatesdb.ImportProfiles(ctx, i.pool, r, opts)
}

func (i importer) ImportPositions(ctx context.Context, orgID string, r io.Reader, opts jobs.ImportOptions) (jobs.ImportReport, error) {
	return jobsdb.ImportPositions(ctx, i.pool, orgID, r, opts)
}
