package rematchdb_test

import (
	"context"
	"testing"
	"time"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/internal/market"
	"carefit/internal/platform/testenv"
	"carefit/ranking"
	"carefit/rematch"
	"carefit/rematch/rematchdb"
)

// TestStrongMatchesSinceTheKeysVisit: a position never visited counts
// every strong match new; a visit counts only later ones; a visit never
// moves back in time; and another organization's position is neither
// recorded nor read.
func TestStrongMatchesSinceTheKeysVisit(t *testing.T) {
	ctx := context.Background()
	db := testenv.DB(t)
	now := time.Now().UTC().Truncate(time.Second)
	mk := market.Generate(11, market.Size{Organizations: 2, Positions: 12, Profiles: 60}, now)
	if err := market.Load(ctx, db, mk, time.Now, nil); err != nil {
		t.Fatal(err)
	}
	var pos, org, other string
	for _, p := range mk.Positions {
		if p.Listed(now) && pos == "" {
			pos, org = p.ID, p.OrgID
		}
	}
	for _, p := range mk.Positions {
		if p.Listed(now) && p.OrgID != org && other == "" {
			other = p.ID
		}
	}
	var visible []string
	for _, p := range mk.Profiles {
		if p.VisibleToRecruiters {
			visible = append(visible, p.ID)
		}
	}
	if pos == "" || other == "" || len(visible) < 3 {
		t.Fatalf("market lacks two open positions of different organizations or 3 visible profiles")
	}
	key, _, err := (&accessdb.Store{DB: db, Now: time.Now}).Create(ctx, access.NewKey{Role: access.Recruiter, OrgID: org, Label: "r"})
	if err != nil {
		t.Fatal(err)
	}
	s := rematchdb.New(db)
	write := func(at time.Time, rows ...ranking.MatchRow) {
		t.Helper()
		if _, err := s.WriteMatches(ctx, rematchdb.Write{At: at, Tops: []ranking.PositionTop{top(pos, rows...)}}); err != nil {
			t.Fatal(err)
		}
	}
	read := func() (map[string]int, bool) {
		t.Helper()
		got, err := s.StrongMatches(ctx, rematch.StrongQuery{KeyID: key.ID, OrgID: org, PositionIDs: []string{pos, other}, MinScore: 80})
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, p := range got.Pairs {
			if p.PositionID != pos {
				t.Errorf("a pair of %s, outside the query's organization or positions", p.PositionID)
			}
			n["strong"]++
			if p.New {
				n["new"]++
			}
		}
		_, visited := got.Visited[pos]
		return n, visited
	}
	write(now.Add(-2*time.Hour), row(visible[0], 90), row(visible[1], 70))
	if n, visited := read(); n["strong"] != 1 || n["new"] != 1 || visited {
		t.Errorf("before a visit: %v (visited %v), want 1 strong, 1 new, no visit", n, visited)
	}
	if err := s.VisitPosition(ctx, key.ID, org, pos, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.VisitPosition(ctx, key.ID, org, pos, now.Add(-3*time.Hour)); err != nil { // late, out of order
		t.Fatal(err)
	}
	if err := s.VisitPosition(ctx, key.ID, org, other, now); err != nil {
		t.Fatal(err)
	}
	write(now, row(visible[0], 90), row(visible[2], 85))
	if n, visited := read(); n["strong"] != 2 || n["new"] != 1 || !visited {
		t.Errorf("after a visit and a later match: %v (visited %v), want 2 strong, 1 new", n, visited)
	}
	var rows int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM position_visits WHERE position_id = $1`, other).Scan(&rows); err != nil || rows != 0 {
		t.Errorf("visits recorded of another organization's position: %d (%v), want 0", rows, err)
	}
}
