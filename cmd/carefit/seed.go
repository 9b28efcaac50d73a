package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/schollz/progressbar/v3"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/market"
	"carefit/ranking"
)

// demoSize is the market `carefit dev` seeds on first run.
var demoSize = market.Size{Organizations: 40, Positions: 800, Profiles: 8000}

// seedDemo loads a generated market into an empty database; it reports
// whether it did.
func seedDemo(ctx context.Context, pool *pgxpool.Pool, out io.Writer) (bool, error) {
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM organizations").Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
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
	return err == nil, err
}

// demoKeys returns the demo keys saved in the state directory, creating
// them on first use (the database keeps only their hashes): an admin, a
// recruiter of the organization whose open positions have the most
// eligible clinicians, and the clinician with the most eligible roles, so
// the example commands show full lists.
func demoKeys(ctx context.Context, pool *pgxpool.Pool, features *ranking.Store, stateDir string) (map[string]string, error) {
	keysFile := filepath.Join(stateDir, "demo-keys.txt")
	if keys := readKeys(keysFile); len(keys) == 3 {
		return keys, nil
	}
	now := time.Now()
	bestOrg, bestOrgN := "", -1
	perOrg := map[string]int{}
	var orgIDs []string
	for _, id := range features.PositionIDs() {
		p, _ := features.Position(id)
		page, err := features.Candidates(p.ID, ranking.CandidateFilter{Limit: 1}, now)
		if err != nil {
			return nil, err
		}
		if _, seen := perOrg[p.OrgID]; !seen {
			orgIDs = append(orgIDs, p.OrgID)
		}
		perOrg[p.OrgID] += page.Total
	}
	for _, id := range orgIDs {
		if perOrg[id] > bestOrgN {
			bestOrg, bestOrgN = id, perOrg[id]
		}
	}
	bestProf, bestProfN, seen := "", -1, 0
	errEnough := errors.New("enough profiles looked at")
	err := candidatesdb.NewStore(pool).EachProfile(ctx, nil, func(p candidates.Profile) error {
		if seen++; seen > 500 {
			return errEnough
		}
		page, err := features.Roles(p.ID, ranking.RoleFilter{Limit: 1}, now)
		if err != nil {
			return err
		}
		if page.Total > bestProfN {
			bestProf, bestProfN = p.ID, page.Total
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	if bestOrg == "" || bestProf == "" {
		return nil, fmt.Errorf("the demo market has no open positions or no profiles")
	}
	ks := &accessdb.Store{DB: pool, Now: time.Now}
	keys := map[string]string{}
	for _, req := range []access.NewKey{
		{Role: access.Admin, Label: "demo admin"},
		{Role: access.Recruiter, OrgID: bestOrg, Label: "demo recruiter"},
		{Role: access.Clinician, ProfileID: bestProf, Label: "demo clinician"},
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
	return keys, os.WriteFile(keysFile, []byte(b.String()), 0o600)
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
