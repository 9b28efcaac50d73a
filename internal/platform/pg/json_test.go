package pg_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/market"
	"carefit/internal/platform/pg"
	"carefit/internal/platform/testenv"
	"carefit/jobs"
	"carefit/jobs/jobsdb"
)

// TestJSONColumnsDecodeAsEncodingJSON reads every profile and position of
// a generated market through a pool of pg.Open, whose JSON columns
// decode with goccy/go-json, and through a plain pgx pool, which decodes
// them with encoding/json: the records must be equal.
func TestJSONColumnsDecodeAsEncodingJSON(t *testing.T) {
	ctx := context.Background()
	url := testenv.DatabaseURL(t)
	fast, err := pg.Open(ctx, url, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer fast.Close()
	plain, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	mk := market.Generate(3, market.Size{Organizations: 6, Positions: 120, Profiles: 600}, time.Now())
	if err := market.Load(ctx, fast, mk, time.Now, nil); err != nil {
		t.Fatal(err)
	}
	profiles := func(db pg.DB) map[string]candidates.Profile {
		out := map[string]candidates.Profile{}
		if err := candidatesdb.NewStore(db).EachProfile(ctx, nil, func(p candidates.Profile) error { out[p.ID] = p; return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	positions := func(db pg.DB) map[string]jobs.Position {
		out := map[string]jobs.Position{}
		if err := jobsdb.NewStore(db).EachPosition(ctx, nil, func(p jobs.Position) error { out[p.ID] = p; return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	gotProfiles, wantProfiles := profiles(fast), profiles(plain)
	if len(wantProfiles) != len(mk.Profiles) {
		t.Fatalf("read %d profiles, loaded %d", len(wantProfiles), len(mk.Profiles))
	}
	if d := cmp.Diff(wantProfiles, gotProfiles); d != "" {
		t.Fatalf("profiles decoded with goccy/go-json differ (-encoding/json +goccy):\n%s", d)
	}
	gotPositions, wantPositions := positions(fast), positions(plain)
	if len(wantPositions) != len(mk.Positions) {
		t.Fatalf("read %d positions, loaded %d", len(wantPositions), len(mk.Positions))
	}
	if d := cmp.Diff(wantPositions, gotPositions); d != "" {
		t.Fatalf("positions decoded with goccy/go-json differ (-encoding/json +goccy):\n%s", d)
	}
}
