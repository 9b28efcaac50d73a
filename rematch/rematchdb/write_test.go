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
