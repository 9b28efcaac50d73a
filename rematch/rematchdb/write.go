package rematchdb

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"carefit/internal/platform/pg"
	"carefit/match"
	"carefit/ranking"
	"carefit/rematch"
)

// Timings say where a write's time went, for the shard's log line.
type Timings struct {
	Lock, Read, Copy, Apply, Record time.Duration
}

// WriteMatches replaces the stored matches of every position in w.Tops with
// its rows, in one transaction. A position whose new rows hash to the
// digest stored with its rows is unchanged and skipped; for the others it
// reads the stored rows and compares them in Go with the new ones, then
// writes only the difference:
// pairs that entered are copied straight into the table, pairs whose rank
// or score moved are copied into a staging table and updated in one
// statement, pairs that left are deleted in one statement. A pair keeps
// when it first appeared; a pair that changed records the run (or event)
// and time that computed it and, when its score moved, the score before; a
// pair that did not change is not written, so writing the same rows again
// changes nothing and an unchanged market writes almost nothing. Rows of
// positions no longer open or of clinicians no longer consenting are not
// written. For a run's shard it records, once, what changed per position
// and the shard's progress, and ends the run with its last shard. It
// returns what changed.
func (s *Store) WriteMatches(ctx context.Context, w Write) (Written, error) {
	var total rematch.Counts
	var runDone bool
	ids := make([]string, len(w.Tops))
	for i, t := range w.Tops {
		ids[i] = t.PositionID
	}
	var tm Timings
	mark := time.Now()
	lap := func(d *time.Duration) { now := time.Now(); *d += now.Sub(mark); mark = now }
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// One writer at a time per position, taken in one order, so two
		// writes that share positions (a shard and a rescoring) wait for
		// each other, and the rows read below stay the stored ones.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('matches:' || id, 0))
			FROM unnest($1::text[]) AS id ORDER BY id`, slices.Sorted(slices.Values(ids))); err != nil {
			return err
		}
		lap(&tm.Lock)
		d, err := diff(ctx, tx, w.Tops)
		if err != nil {
			return err
		}
		lap(&tm.Read)
		if err := d.insert(ctx, tx, w); err != nil {
			return err
		}
		lap(&tm.Copy)
		if err := d.apply(ctx, tx, w); err != nil {
			return err
		}
		lap(&tm.Apply)
		for _, c := range d.counts {
			total.Add(c)
		}
		if w.Run == 0 {
			return nil
		}
		runDone, err = recordShard(ctx, tx, w, d.counts, total)
		lap(&tm.Record) // the commit follows
		return err
	})
	if w.Timings != nil {
		*w.Timings = tm
	}
	return Written{Changes: total, RunDone: runDone}, pg.Classify("rematch.WriteMatches", err)
}

// row is one stored match as compared and written. IDs are kept as UUID
// bytes: COPY then sends them in binary, and pgx encodes a string for a
// uuid column only after failing to, at a cost that dominated the copy.
type row struct {
	position, profile pgtype.UUID
	rank              int32
	score, cs, es     float32
	contributions     []int16
}

func (r *row) same(o *row) bool {
	return r.rank == o.rank && r.score == o.score && r.cs == o.cs && r.es == o.es && slices.Equal(r.contributions, o.contributions)
}

type pair struct{ position, profile [16]byte }

// changes are what a write does: the rows to insert and update, the pairs
// to delete, and the counts per position.
type changes struct {
	inserts, updates []row
	deletes          []pair
	counts           map[string]rematch.Counts
	// digests are the new digests of the positions compared; closed are
	// the positions no longer open, whose digests go with their rows.
	digests []positionDigest
	closed  []pgtype.UUID
}

type positionDigest struct {
	position pgtype.UUID
	digest   []byte
}

// diff compares the new rows of tops with the stored rows of their
// positions, parsing each ID once. New rows of positions that are not
// open, and of clinicians who no longer consent, are left out, so their
// stored rows are deleted. A position whose new rows hash to the digest
// stored with its rows (match_digests) is unchanged: its rows are not
// read.
func diff(ctx context.Context, tx pgx.Tx, tops []ranking.PositionTop) (*changes, error) {
	ids := make([]string, len(tops))
	for i, t := range tops {
		ids[i] = t.PositionID
	}
	open, err := uuidSet(ctx, tx, `SELECT id FROM positions WHERE id = ANY($1::uuid[]) AND status = 'open'`, ids)
	if err != nil {
		return nil, err
	}
	digests, err := storedDigests(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	d := &changes{counts: make(map[string]rematch.Counts, len(tops))}
	text := make(map[[16]byte]string, len(tops)) // a position's ID as the counts name it
	var rows []row
	var read []string // the positions whose stored rows are compared
	for _, t := range tops {
		d.counts[t.PositionID] = rematch.Counts{}
		pos, err := uuid.Parse(t.PositionID)
		if err != nil {
			return nil, fmt.Errorf("rematch: position %q: %w", t.PositionID, err)
		}
		text[pos] = t.PositionID
		if !open[pos] {
			d.closed = append(d.closed, pgtype.UUID{Bytes: pos, Valid: true})
			read = append(read, t.PositionID)
			continue
		}
		first := len(rows)
		for _, mr := range t.Rows {
			r, err := newRow(pos, mr)
			if err != nil {
				return nil, err
			}
			rows = append(rows, r)
		}
		if old, ok := digests[pos]; ok && string(old) == string(digest(rows[first:], nil)) {
			rows = rows[:first]
			continue
		}
		read = append(read, t.PositionID)
	}
	stored, err := storedRows(ctx, tx, read)
	if err != nil {
		return nil, err
	}
	// A clinician who withdrew consent since the feature store last heard
	// of it has had their stored rows removed, so their rows here are
	// inserts or updates: only those clinicians need checking.
	hidden, err := uuidSet(ctx, tx, `SELECT id FROM profiles WHERE id = ANY($1) AND NOT visible_to_recruiters`,
		changedProfiles(rows, stored))
	if err != nil {
		return nil, err
	}
	d.classify(rows, stored, hidden, text)
	return d, nil
}

// digest hashes rows, one position's in rank order, as stored, leaving
// out the clinicians in hidden: the fields a write compares, so rows
// with the same digest would write nothing.
func digest(rows []row, hidden map[[16]byte]bool) []byte {
	h := sha256.New()
	var buf [32]byte
	for i := range rows {
		r := &rows[i]
		if hidden[r.profile.Bytes] {
			continue
		}
		h.Write(r.profile.Bytes[:])
		b := binary.LittleEndian.AppendUint32(buf[:0], uint32(r.rank))
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(r.score))
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(r.cs))
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(r.es))
		b = binary.LittleEndian.AppendUint16(b, uint16(len(r.contributions)))
		h.Write(b)
		for _, c := range r.contributions {
			h.Write(binary.LittleEndian.AppendUint16(buf[:0], uint16(c)))
		}
	}
	return h.Sum(nil)[:16]
}

// storedDigests reads the digests stored with the rows of positions ids.
func storedDigests(ctx context.Context, tx pgx.Tx, ids []string) (map[[16]byte][]byte, error) {
	rows, err := tx.Query(ctx, `SELECT position_id, digest FROM match_digests WHERE position_id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[[16]byte][]byte, len(ids))
	var id pgtype.UUID
	var dg []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &dg}, func() error { out[id.Bytes] = slices.Clone(dg); return nil })
	return out, err
}

// classify sorts the rows to write into inserts and updates, counts what
// changed per position, and deletes every stored pair not kept.
func (d *changes) classify(rows []row, stored map[pair]row, hidden map[[16]byte]bool, text map[[16]byte]string) {
	kept := make(map[pair]bool, len(rows))
	for _, r := range rows {
		if hidden[r.profile.Bytes] {
			continue
		}
		k := pair{r.position.Bytes, r.profile.Bytes}
		kept[k] = true
		id := text[k.position]
		c := d.counts[id]
		old, ok := stored[k]
		switch {
		case !ok:
			c.New++
			d.inserts = append(d.inserts, r)
		case !r.same(&old):
			d.updates = append(d.updates, r)
			if delta := float64(r.score) - float64(old.score); delta >= rematch.ImprovedBy {
				c.Improved++
			} else if -delta >= rematch.ImprovedBy {
				c.Worse++
			}
		}
		d.counts[id] = c
	}
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && rows[j].position == rows[i].position {
			j++
		}
		d.digests = append(d.digests, positionDigest{rows[i].position, digest(rows[i:j], hidden)})
		i = j
	}
	for k := range stored {
		if !kept[k] {
			d.deletes = append(d.deletes, k)
			id := text[k.position]
			c := d.counts[id]
			c.Dropped++
			d.counts[id] = c
		}
	}
}

// changedProfiles returns, once each, the clinicians of rows that are not
// stored as they are.
func changedProfiles(rows []row, stored map[pair]row) []pgtype.UUID {
	seen := map[[16]byte]bool{}
	var out []pgtype.UUID
	for _, r := range rows {
		old, ok := stored[pair{r.position.Bytes, r.profile.Bytes}]
		if (ok && r.same(&old)) || seen[r.profile.Bytes] {
			continue
		}
		seen[r.profile.Bytes] = true
		out = append(out, r.profile)
	}
	return out
}

func newRow(position [16]byte, r ranking.MatchRow) (row, error) {
	prof, err := uuid.Parse(r.ProfileID)
	if err != nil {
		return row{}, fmt.Errorf("rematch: clinician %q: %w", r.ProfileID, err)
	}
	return row{position: pgtype.UUID{Bytes: position, Valid: true}, profile: pgtype.UUID{Bytes: prof, Valid: true},
		rank: int32(r.Rank), score: float32(r.Score), cs: float32(r.ClinicianSide), es: float32(r.EmployerSide),
		contributions: compact(r.Contributions)}, nil
}

// compact turns contributions in points into hundredths of a point.
func compact(c [match.NumFactors]float64) []int16 {
	out := make([]int16, len(c))
	for i, v := range c {
		out[i] = int16(math.Round(v * 100))
	}
	return out
}

// storedRows reads the stored rows of positions ids.
func storedRows(ctx context.Context, tx pgx.Tx, ids []string) (map[pair]row, error) {
	rows, err := tx.Query(ctx, `SELECT position_id, profile_id, rank, score, clinician_side, employer_side, contributions
		FROM matches WHERE position_id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[pair]row)
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.position, &r.profile, &r.rank, &r.score, &r.cs, &r.es, &r.contributions); err != nil {
			return nil, err
		}
		out[pair{r.position.Bytes, r.profile.Bytes}] = r
	}
	return out, rows.Err()
}

// uuidSet runs query with its one argument, a list of IDs, and returns the
// IDs it answers; with an empty list it asks nothing.
func uuidSet[T any](ctx context.Context, tx pgx.Tx, query string, ids []T) (map[[16]byte]bool, error) {
	out := map[[16]byte]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, query, ids)
	if err != nil {
		return nil, err
	}
	var id pgtype.UUID
	_, err = pgx.ForEachRow(rows, []any{&id}, func() error { out[id.Bytes] = true; return nil })
	return out, err
}

// nullRun is a write's run for its rows: none for an event's rescoring.
func nullRun(w Write) any {
	if w.Run == 0 {
		return nil
	}
	return w.Run
}

// insert copies the pairs that entered straight into the table: the
// positions are locked, so no other write adds them meanwhile.
func (d *changes) insert(ctx context.Context, tx pgx.Tx, w Write) error {
	if len(d.inserts) == 0 {
		return nil
	}
	run, at := nullRun(w), pg.Time(w.At)
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"matches"},
		[]string{"position_id", "profile_id", "rank", "score", "clinician_side", "employer_side", "contributions",
			"run_id", "computed_at", "first_seen_at"},
		pgx.CopyFromSlice(len(d.inserts), func(i int) ([]any, error) {
			r := &d.inserts[i]
			return []any{r.position, r.profile, r.rank, r.score, r.cs, r.es, r.contributions, run, at, at}, nil
		}))
	return err
}

// apply updates the pairs that moved and deletes the pairs that left.
func (d *changes) apply(ctx context.Context, tx pgx.Tx, w Write) error {
	if len(d.updates) > 0 {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE match_updates (position_id uuid, profile_id uuid, rank int, score real,
			clinician_side real, employer_side real, contributions smallint[]) ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"match_updates"},
			[]string{"position_id", "profile_id", "rank", "score", "clinician_side", "employer_side", "contributions"},
			pgx.CopyFromSlice(len(d.updates), func(i int) ([]any, error) {
				r := &d.updates[i]
				return []any{r.position, r.profile, r.rank, r.score, r.cs, r.es, r.contributions}, nil
			})); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE matches m SET rank = u.rank, score = u.score, clinician_side = u.clinician_side,
				employer_side = u.employer_side, contributions = u.contributions,
				previous_score = CASE WHEN m.score <> u.score THEN m.score ELSE m.previous_score END,
				run_id = $1, computed_at = $2
			FROM match_updates u WHERE m.position_id = u.position_id AND m.profile_id = u.profile_id`,
			nullRun(w), pg.Time(w.At)); err != nil {
			return err
		}
	}
	if len(d.deletes) > 0 {
		pos, prof := make([]pgtype.UUID, len(d.deletes)), make([]pgtype.UUID, len(d.deletes))
		for i, k := range d.deletes {
			pos[i], prof[i] = pgtype.UUID{Bytes: k.position, Valid: true}, pgtype.UUID{Bytes: k.profile, Valid: true}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM matches m USING unnest($1::uuid[], $2::uuid[]) AS d(position_id, profile_id)
			WHERE m.position_id = d.position_id AND m.profile_id = d.profile_id`, pos, prof); err != nil {
			return err
		}
	}
	return d.recordDigests(ctx, tx)
}

// recordDigests stores the digests of the positions compared, after
// their rows were written (deleting rows drops their positions' digests,
// migration 014), and drops those of positions no longer open.
func (d *changes) recordDigests(ctx context.Context, tx pgx.Tx) error {
	if len(d.closed) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM match_digests WHERE position_id = ANY($1)`, d.closed); err != nil {
			return err
		}
	}
	if len(d.digests) == 0 {
		return nil
	}
	pos, dg := make([]pgtype.UUID, len(d.digests)), make([][]byte, len(d.digests))
	for i, x := range d.digests {
		pos[i], dg[i] = x.position, x.digest
	}
	_, err := tx.Exec(ctx, `INSERT INTO match_digests (position_id, digest) SELECT * FROM unnest($1::uuid[], $2::bytea[])
		ON CONFLICT (position_id) DO UPDATE SET digest = EXCLUDED.digest`, pos, dg)
	return err
}
