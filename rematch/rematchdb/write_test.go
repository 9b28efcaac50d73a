package rematchdb_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/internal/market"
	"carefit/internal/platform/testenv"
	"carefit/match"
	"carefit/ranking"
	"carefit/rematch"
	"carefit/rematch/rematchdb"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// stored is one row of matches as the test reads it.
type stored struct {
	rank            int
	score           float32
	computed, first time.Time
	previous        *float32
}

func readMatches(t *testing.T, db *pgxpool.Pool, position string) map[string]stored {
	t.Helper()
	rows, err := db.Query(context.Background(), `SELECT profile_id::text, rank, score, computed_at, first_seen_at, previous_score
		FROM matches WHERE position_id = $1`, position)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]stored{}
	for rows.Next() {
		var id string
		var s stored
		if err := rows.Scan(&id, &s.rank, &s.score, &s.computed, &s.first, &s.previous); err != nil {
			t.Fatal(err)
		}
		out[id] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func top(position string, rows ...ranking.MatchRow) ranking.PositionTop {
	for i := range rows {
		rows[i].Rank = i + 1
		rows[i].Contributions[0] = rows[i].Score
	}
	return ranking.PositionTop{PositionID: position, Live: true, Eligible: len(rows), Rows: rows}
}

func row(profile string, score float64) ranking.MatchRow {
	return ranking.MatchRow{ProfileID: profile, Breakdown: match.Breakdown{Score: score, ClinicianSide: score, EmployerSide: score}}
}

// TestWriteMatchesWritesTheDifference writes a position's matches three
// times and checks what each write counted and left stored: entered,
// improved, worse and dropped pairs; first appearance and previous score
// kept; unchanged pairs untouched; a clinician who does not consent never
// stored; a closed position's rows not written.
func TestWriteMatchesWritesTheDifference(t *testing.T) {
	ctx := context.Background()
	db := testenv.DB(t)
	now := time.Now().UTC().Truncate(time.Second)
	mk := market.Generate(11, market.Size{Organizations: 2, Positions: 10, Profiles: 60}, now)
	if err := market.Load(ctx, db, mk, time.Now, nil); err != nil {
		t.Fatal(err)
	}
	var open []string
	for _, p := range mk.Positions {
		if p.Listed(now) {
			open = append(open, p.ID)
		}
	}
	var visible []string
	var hidden string
	for _, p := range mk.Profiles {
		if p.VisibleToRecruiters {
			visible = append(visible, p.ID)
		} else {
			hidden = p.ID
		}
	}
	if len(open) < 2 || len(visible) < 5 || hidden == "" {
		t.Fatalf("market has %d open positions, %d visible and hidden %q profiles", len(open), len(visible), hidden)
	}
	pos, a, b, c, d, e := open[0], visible[0], visible[1], visible[2], visible[3], visible[4]
	s := rematchdb.New(db)
	t1, t2 := now.Add(-time.Hour), now

	steps := []struct {
		name string
		at   time.Time
		top  ranking.PositionTop
		want rematch.Counts
	}{
		{"first write", t1, top(pos, row(d, 80), row(c, 70), row(hidden, 65), row(b, 60), row(a, 50)), rematch.Counts{New: 4}},
		{"second write", t2, top(pos, row(c, 64), row(b, 60), row(a, 56), row(e, 40)),
			rematch.Counts{New: 1, Improved: 1, Worse: 1, Dropped: 1}},
		{"same again", t2.Add(time.Minute), top(pos, row(c, 64), row(b, 60), row(a, 56), row(e, 40)), rematch.Counts{}},
	}
	for _, st := range steps {
		w, err := s.WriteMatches(ctx, rematchdb.Write{At: st.at, Tops: []ranking.PositionTop{st.top}})
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if w.Changes != st.want {
			t.Fatalf("%s counted %+v, want %+v", st.name, w.Changes, st.want)
		}
	}
	got := readMatches(t, db, pos)
	if len(got) != 4 {
		t.Fatalf("stored %d rows, want 4: %+v", len(got), got)
	}
	checks := []struct {
		name      string
		id        string
		rank      int
		score     float32
		computed  time.Time
		firstSeen time.Time
		previous  float32 // 0: none
	}{
		{"worse", c, 1, 64, t2, t1, 70},
		{"moved up a rank", b, 2, 60, t2, t1, 0},
		{"improved", a, 3, 56, t2, t1, 50},
		{"new", e, 4, 40, t2, t2, 0},
	}
	for _, ck := range checks {
		r, ok := got[ck.id]
		if !ok {
			t.Fatalf("%s: pair not stored", ck.name)
		}
		if r.rank != ck.rank || r.score != ck.score || !r.computed.Equal(ck.computed) || !r.first.Equal(ck.firstSeen) {
			t.Errorf("%s: rank %d score %v computed %v first seen %v; want %d %v %v %v", ck.name, r.rank, r.score,
				r.computed, r.first, ck.rank, ck.score, ck.computed, ck.firstSeen)
		}
		if (r.previous == nil) != (ck.previous == 0) || (r.previous != nil && *r.previous != ck.previous) {
			t.Errorf("%s: previous score %v, want %v", ck.name, r.previous, ck.previous)
		}
	}
	if _, ok := got[hidden]; ok {
		t.Error("a clinician who does not consent was stored")
	}

	// An unchanged pair keeps the time it was computed.
	if _, err := s.WriteMatches(ctx, rematchdb.Write{At: t2.Add(time.Hour), Tops: []ranking.PositionTop{
		top(pos, row(c, 64), row(b, 60), row(a, 57), row(e, 40))}}); err != nil {
		t.Fatal(err)
	}
	got = readMatches(t, db, pos)
	if !got[c].computed.Equal(t2) || !got[a].computed.Equal(t2.Add(time.Hour)) || *got[a].previous != 56 {
		t.Errorf("after a one-pair change: %+v", got)
	}

	// A position that is no longer open loses its rows and gets none.
	closed := open[1]
	if _, err := s.WriteMatches(ctx, rematchdb.Write{At: t2, Tops: []ranking.PositionTop{top(closed, row(a, 90))}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `UPDATE positions SET status = 'closed' WHERE id = $1`, closed); err != nil {
		t.Fatal(err)
	}
	w, err := s.WriteMatches(ctx, rematchdb.Write{At: t2, Tops: []ranking.PositionTop{top(closed, row(a, 90))}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(readMatches(t, db, closed)); n != 0 || w.Changes != (rematch.Counts{}) {
		t.Fatalf("a closed position holds %d rows after a write counting %+v", n, w.Changes)
	}
}

// TestDeletesClearStoredMatches deletes a run, a profile and a position
// that stored matches refer to and checks what the statement-level
// triggers left: the run's rows kept with no run, the profile's and the
// position's rows gone, every other row untouched.
func TestDeletesClearStoredMatches(t *testing.T) {
	ctx := context.Background()
	db, now, open, visible := smallMarket(t, 12)
	s := rematchdb.New(db)
	tops := []ranking.PositionTop{top(open[0], row(visible[0], 80), row(visible[1], 70), row(visible[2], 60)),
		top(open[1], row(visible[0], 75), row(visible[1], 65))}
	if _, err := s.WriteMatches(ctx, rematchdb.Write{At: now, Tops: tops}); err != nil {
		t.Fatal(err)
	}
	run, _, err := s.CreateRun(ctx, rematch.Manual, nil, now, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	count := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRow(ctx, query, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, err := db.Exec(ctx, `UPDATE matches SET run_id = $1`, run.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `DELETE FROM rematch_runs WHERE id = $1`, run.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM matches WHERE run_id IS NOT NULL`); n != 0 {
		t.Errorf("%d rows still name the deleted run", n)
	}
	if n := count(`SELECT count(*) FROM matches`); n != 5 {
		t.Fatalf("deleting a run left %d rows, want all 5", n)
	}
	if _, err := db.Exec(ctx, `DELETE FROM profiles WHERE id = $1`, visible[2]); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM matches WHERE profile_id = $1`, visible[2]); n != 0 {
		t.Errorf("%d rows of the deleted profile left", n)
	}
	if _, err := db.Exec(ctx, `DELETE FROM positions WHERE id = $1`, open[1]); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM matches WHERE position_id = $1`, open[1]); n != 0 {
		t.Errorf("%d rows of the deleted position left", n)
	}
	if got := readMatches(t, db, open[0]); len(got) != 2 {
		t.Errorf("the other position keeps %d rows, want 2", len(got))
	}
}

// TestUnchangedPositionsAreSkipped writes the same rows again after each
// way stored rows can go without a write (a clinician withdrawing consent,
// a row deleted by hand, the table truncated) and checks that the write
// restores them; and that an unchanged position is not read at all: a row
// altered behind the store's back stays as it is.
func TestUnchangedPositionsAreSkipped(t *testing.T) {
	ctx := context.Background()
	db, now, open, visible := smallMarket(t, 13)
	pos, a, b, c := open[0], visible[0], visible[1], visible[2]
	tops := func() []ranking.PositionTop {
		return []ranking.PositionTop{top(pos, row(a, 80), row(b, 70), row(c, 60)), top(open[1], row(a, 50))}
	}
	s := rematchdb.New(db)
	write := func(name string, want rematch.Counts) {
		t.Helper()
		w, err := s.WriteMatches(ctx, rematchdb.Write{At: now, Tops: tops()})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if w.Changes != want {
			t.Fatalf("%s counted %+v, want %+v", name, w.Changes, want)
		}
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	write("first", rematch.Counts{New: 4})
	write("same again", rematch.Counts{})

	exec(`UPDATE profiles SET visible_to_recruiters = false WHERE id = $1`, b)
	exec(`UPDATE profiles SET visible_to_recruiters = true WHERE id = $1`, b)
	write("after consent withdrawn and given again", rematch.Counts{New: 1})

	exec(`DELETE FROM matches WHERE position_id = $1 AND profile_id = $2`, pos, c)
	write("after a row deleted by hand", rematch.Counts{New: 1})

	exec(`TRUNCATE matches`)
	write("after truncation", rematch.Counts{New: 4})
	if got := readMatches(t, db, pos); len(got) != 3 {
		t.Fatalf("stored %d rows, want 3", len(got))
	}

	exec(`UPDATE matches SET score = 1 WHERE position_id = $1 AND profile_id = $2`, pos, a)
	write("unchanged, not read", rematch.Counts{})
	if got := readMatches(t, db, pos)[a].score; got != 1 {
		t.Errorf("an unchanged position's rows were read and rewritten: score %v, want the altered 1", got)
	}
	// New rows for it are compared with what is stored, the altered row
	// included.
	w, err := s.WriteMatches(ctx, rematchdb.Write{At: now, Tops: []ranking.PositionTop{top(pos, row(a, 81), row(b, 70), row(c, 60))}})
	if err != nil {
		t.Fatal(err)
	}
	if w.Changes != (rematch.Counts{Improved: 1}) {
		t.Errorf("a changed position counted %+v, want one improved (from the altered score)", w.Changes)
	}
}

// smallMarket loads a small generated market and returns its database,
// the time it was generated at, and its listed positions and consenting
// clinicians (at least 2 and 3).
func smallMarket(t *testing.T, seed uint64) (db *pgxpool.Pool, now time.Time, open, visible []string) {
	t.Helper()
	db = testenv.DB(t)
	now = time.Now().UTC().Truncate(time.Second)
	mk := market.Generate(seed, market.Size{Organizations: 2, Positions: 10, Profiles: 60}, now)
	if err := market.Load(context.Background(), db, mk, time.Now, nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range mk.Positions {
		if p.Listed(now) {
			open = append(open, p.ID)
		}
	}
	for _, p := range mk.Profiles {
		if p.VisibleToRecruiters {
			visible = append(visible, p.ID)
		}
	}
	if len(open) < 2 || len(visible) < 3 {
		t.Fatalf("market has %d open positions and %d visible profiles", len(open), len(visible))
	}
	return db, now, open, visible
}
