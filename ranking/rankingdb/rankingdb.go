// Package rankingdb feeds the in-memory feature store (package ranking)
// from Postgres: the profile and position stores it loads from, and the
// outbox it follows with an outbox.Reader.
package rankingdb

import (
	"context"

	"carefit/candidates/candidatesdb"
	"carefit/internal/platform/outbox"
	"carefit/internal/platform/pg"
	"carefit/intro/introdb"
	"carefit/jobs/jobsdb"
	"carefit/ranking"
)

// Sources returns what ranking.Load reads on db: the stores (the
// clinicians' blocks too), and the outbox followed from the oldest
// transaction still running. Call it just
// before ranking.Load: rows before that point are in what Load reads; rows
// after it are applied by Refresh (some twice, which is harmless). It
// returns the database error classified by pg.Classify.
func Sources(ctx context.Context, db pg.DB) (ranking.Sources, error) {
	at, err := outbox.Horizon(ctx, db)
	if err != nil {
		return ranking.Sources{}, err
	}
	return ranking.Sources{
		Profiles:  candidatesdb.NewStore(db),
		Positions: jobsdb.NewStore(db),
		Changes:   &changes{r: outbox.Follow(db, at)},
		Blocks:    introdb.NewStore(db),
	}, nil
}

// kinds are the ranking kinds of the outbox's entities.
var kinds = map[outbox.Entity]ranking.Kind{outbox.Profile: ranking.KindProfile, outbox.Position: ranking.KindPosition}

// changes is the outbox as a ranking.Changes. It keeps the rows of the
// last Next, which Ack hands back to the reader.
type changes struct {
	r    *outbox.Reader
	last []outbox.Row
}

// Next reads up to n committed outbox rows (outbox.Reader.Next).
func (c *changes) Next(ctx context.Context, n int) ([]ranking.Change, error) {
	rows, err := c.r.Next(ctx, n)
	c.last = rows
	if err != nil {
		return nil, err
	}
	out := make([]ranking.Change, len(rows))
	for i, row := range rows {
		out[i] = ranking.Change{Kind: kinds[row.Entity], ID: row.EntityID}
	}
	return out, nil
}

// Held is how many applied rows the reader keeps past its cursor
// (outbox.Reader.Lag).
func (c *changes) Held() int { return c.r.Lag() }

// Ack acknowledges the rows of the last Next (outbox.Reader.Ack).
func (c *changes) Ack(ctx context.Context) error { return c.r.Ack(ctx, c.last) }
