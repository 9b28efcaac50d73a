// Package accessdbtest holds test helpers for stores whose deletes must
// revoke API keys.
package accessdbtest

import (
	"context"
	"errors"
	"testing"
	"time"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/internal/platform/pg"
)

// CheckDeleteRevokes makes two keys for owner and one for other with
// newKey, runs del, and fails tb unless exactly owner's keys stopped
// authenticating. Keys are made and checked through the access store, as
// the API does.
func CheckDeleteRevokes(tb testing.TB, db pg.DBTX, newKey func(owner string) access.NewKey, owner, other string, del func() error) {
	tb.Helper()
	ctx := context.Background()
	keys := &accessdb.Store{DB: db, Now: time.Now}
	key := func(id string) string {
		tb.Helper()
		_, secret, err := keys.Create(ctx, newKey(id))
		if err != nil {
			tb.Fatal(err)
		}
		return secret
	}
	k1, k2, kOther := key(owner), key(owner), key(other)
	if err := del(); err != nil {
		tb.Fatal(err)
	}
	for _, tc := range []struct {
		name, secret string
		want         bool
	}{{"first key", k1, true}, {"second key", k2, true}, {"the other owner's key", kOther, false}} {
		_, err := keys.Authenticate(ctx, tc.secret)
		if err != nil && !errors.Is(err, access.ErrUnauthenticated) {
			tb.Fatal(err)
		}
		if got := err != nil; got != tc.want {
			tb.Errorf("%s revoked: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
