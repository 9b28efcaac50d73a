package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/schollz/progressbar/v3"

	"carefit/access"
	"carefit/market"
)

// demoSize is the market `carefit dev` seeds on first run.
var demoSize = market.Size{Organizations: 40, Positions: 800, Profiles: 8000}

// seedDemo loads a generated market into an empty database and creates
// demo keys (an admin, a recruiter of the first organization and a
// clinician), saved in the state directory because the database keeps
// only their hashes. On later runs it reads the saved keys.
func seedDemo(ctx context.Context, pool *pgxpool.Pool, stateDir string, out io.Writer) (map[string]string, error) {
	keysFile := filepath.Join(stateDir, "demo-keys.txt")
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM organizations").Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		return readKeys(keysFile), nil
	}
	mk := market.Generate(uint64(time.Now().UnixNano()), demoSize, time.Now())
	bar := progressbar.NewOptions(len(mk.Positions)+len(mk.Profiles), progressbar.OptionSetWriter(out),
		progressbar.OptionSetDescription("seeding the demo market"), progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond))
	err := market.Load(ctx, pool, mk, time.Now, func(what string, done, total int) {
		if what == "positions" {
			_ = bar.Set(done)
		} else {
			_ = bar.Set(len(mk.Positions) + done)
		}
	})
	_ = bar.Finish()
	fmt.Fprintln(out)
	if err != nil {
		return nil, err
	}
	ks := &access.Store{DB: pool, Now: time.Now}
	keys := map[string]string{}
	for _, req := range []access.NewKey{
		{Role: access.Admin, Label: "demo admin"},
		{Role: access.Recruiter, OrgID: mk.Organizations[0].ID, Label: "demo recruiter"},
		{Role: access.Clinician, ProfileID: mk.Profiles[0].ID, Label: "demo clinician"},
	} {
		_, secret, err := ks.Create(ctx, req)
		if err != nil {
			return nil, err
		}
		keys[string(req.Role)] = secret
	}
	var b strings.Builder
	for _, r := range []string{"admin", "recruiter", "clinician"} {
		fmt.Fprintf(&b, "%s=%s\n", r, keys[r])
	}
	if err := os.WriteFile(keysFile, []byte(b.String()), 0o600); err != nil {
		return nil, err
	}
	return keys, nil
}

func readKeys(path string) map[string]string {
	keys := map[string]string{}
	b, err := os.ReadFile(path)
	if err != nil {
		return keys
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			keys[k] = v
		}
	}
	return keys
}
