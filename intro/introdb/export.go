package introdb

import (
	"context"
	"math"

	"github.com/jackc/pgx/v5"

	"carefit/internal/kit/check"
	"carefit/internal/platform/pg"
	"carefit/intro"
)

// Held returns what Postgres keeps about the clinician profileID beyond
// the profile itself (see intro.Held), in one round trip. It returns an
// *errs.Error for a database failure.
func (s *Store) Held(ctx context.Context, profileID string) (intro.Held, error) {
	const op = "intro.Held"
	out := intro.Held{Introductions: []intro.Introduction{}, Blocks: []intro.Block{}, Pipeline: []intro.PipelineRecord{}, Matches: []intro.MatchRecord{}}
	if !check.UUID(profileID) {
		return out, nil
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT `+introCols+` FROM introductions i WHERE i.profile_id = $1 ORDER BY i.created_at, i.id`, profileID)
	b.Queue(`SELECT b.org_id::text, o.name, b.created_at FROM profile_blocks b JOIN organizations o ON o.id = b.org_id
		WHERE b.profile_id = $1 ORDER BY o.name, b.org_id`, profileID)
	b.Queue(`SELECT pl.position_id::text, p.org_id::text, pl.state, pl.note, pl.changed_at FROM pipeline pl
		JOIN positions p ON p.id = pl.position_id WHERE pl.profile_id = $1 ORDER BY pl.changed_at, pl.position_id`, profileID)
	b.Queue(`SELECT position_id::text, state, note, changed_at FROM pipeline_history WHERE profile_id = $1 ORDER BY id`, profileID)
	b.Queue(`SELECT position_id::text, rank, score, first_seen_at, computed_at FROM matches WHERE profile_id = $1 ORDER BY score DESC, position_id`, profileID)
	br := s.db.SendBatch(ctx, b)
	defer br.Close()
	err := readHeld(br, &out)
	return out, pg.Classify(op, err)
}

func readHeld(br pgx.BatchResults, out *intro.Held) error {
	rows, err := br.Query()
	if err == nil {
		out.Introductions, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (intro.Introduction, error) { return scanIntro(r) })
	}
	if err == nil {
		rows, _ = br.Query()
		out.Blocks, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (intro.Block, error) {
			var b intro.Block
			err := r.Scan(&b.OrgID, &b.OrgName, &b.BlockedAt)
			return b, err
		})
	}
	if err == nil {
		rows, _ = br.Query()
		out.Pipeline, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (intro.PipelineRecord, error) {
			p := intro.PipelineRecord{History: []intro.PipelineEvent{}}
			err := r.Scan(&p.PositionID, &p.OrgID, &p.State, &p.Note, &p.ChangedAt)
			return p, err
		})
	}
	if err == nil {
		err = readHistory(br, out.Pipeline)
	}
	if err == nil {
		rows, _ = br.Query()
		out.Matches, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (intro.MatchRecord, error) {
			var m intro.MatchRecord
			var score float32
			err := r.Scan(&m.PositionID, &m.Rank, &score, &m.FirstSeenAt, &m.ComputedAt)
			m.Score = math.Round(float64(score)*100) / 100
			return m, err
		})
	}
	return err
}

// readHistory attaches each pipeline history row to its entry.
func readHistory(br pgx.BatchResults, entries []intro.PipelineRecord) error {
	rows, err := br.Query()
	if err != nil {
		return err
	}
	at := map[string]int{}
	for i, e := range entries {
		at[e.PositionID] = i
	}
	var pos string
	var ev intro.PipelineEvent
	_, err = pgx.ForEachRow(rows, []any{&pos, &ev.State, &ev.Note, &ev.ChangedAt}, func() error {
		if i, ok := at[pos]; ok {
			entries[i].History = append(entries[i].History, ev)
		}
		return nil
	})
	return err
}
