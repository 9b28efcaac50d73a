package webhookdb_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"carefit/internal/kit/errs"
	"carefit/internal/market"
	"carefit/internal/platform/testenv"
	"carefit/webhook/webhookdb"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// TestCreateHoldsTheCapUnderConcurrency creates twice the cap of webhooks
// for one organization at once: exactly the cap succeed, the rest answer a
// conflict, and an unknown organization answers not found.
func TestCreateHoldsTheCapUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	db := testenv.DB(t)
	mk := market.Generate(3, market.Size{Organizations: 1, Positions: 1, Profiles: 1}, time.Now())
	if err := market.Load(ctx, db, mk, time.Now, nil); err != nil {
		t.Fatal(err)
	}
	s := webhookdb.New(db)
	org := mk.Organizations[0].ID
	var wg sync.WaitGroup
	var mu sync.Mutex
	made, refused := 0, 0
	for i := range 2 * webhookdb.MaxPerOrg {
		wg.Go(func() {
			_, _, err := s.Create(ctx, org, fmt.Sprintf("https://hooks.example.com/%d", i))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				made++
			case errs.KindOf(err) == errs.Conflict:
				refused++
			default:
				t.Errorf("create %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if made != webhookdb.MaxPerOrg || refused != webhookdb.MaxPerOrg {
		t.Fatalf("made %d and refused %d, want %d each", made, refused, webhookdb.MaxPerOrg)
	}
	_, _, err := s.Create(ctx, "00000000-0000-4000-8000-000000000000", "https://hooks.example.com/x")
	if !errors.Is(err, webhookdb.ErrNotFound) {
		t.Fatalf("unknown organization: %v, want not found", err)
	}
}
