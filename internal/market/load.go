package market

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/jobs"
	"carefit/jobs/jobsdb"
)

// Load stores a market through the domains' own stores and bulk imports,
// so everything is validated and queued for search like any other write.
// progress, when set, is told what has been stored so far.
func Load(ctx context.Context, db jobsdb.DB, mk Market, now func() time.Time, progress func(what string, done, total int)) error {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	js := jobsdb.NewStore(db)
	js.Now = now
	byOrg := map[string][]jobs.Position{}
	for _, p := range mk.Positions {
		byOrg[p.OrgID] = append(byOrg[p.OrgID], p)
	}
	done := 0
	for i, o := range mk.Organizations {
		if _, err := js.CreateOrganization(ctx, o); err != nil {
			return fmt.Errorf("market: organization %d: %w", i, err)
		}
		// Positions are stored as they were when posted: an expired one
		// while it was still listed.
		at := map[time.Time][]jobs.Position{}
		for _, p := range byOrg[o.ID] {
			t := postedAt(p, now())
			at[t] = append(at[t], p)
		}
		for t, ps := range at {
			n, err := importPositions(ctx, db, o, ps, t)
			if err != nil {
				return err
			}
			done += n
		}
		progress("positions", done, len(mk.Positions))
	}
	return loadProfiles(ctx, db, mk, now, progress)
}

// importPositions imports the positions ps of organization o as at time
// at, and returns how many it stored.
func importPositions(ctx context.Context, db jobsdb.DB, o jobs.Organization, ps []jobs.Position, at time.Time) (int, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, p := range ps {
		if err := enc.Encode(p); err != nil {
			return 0, err
		}
	}
	rep, err := jobsdb.ImportPositions(ctx, db, o.ID, &buf, jobs.ImportOptions{Atomic: true, Now: func() time.Time { return at }})
	if err != nil {
		return 0, fmt.Errorf("market: positions of %s: %w", o.Name, err)
	}
	if rep.Rejected > 0 {
		return 0, fmt.Errorf("market: positions of %s rejected: %+v", o.Name, rep.Errors[0])
	}
	return rep.Imported, nil
}

// loadProfiles imports the profiles in chunks through the bulk import.
func loadProfiles(ctx context.Context, db jobsdb.DB, mk Market, now func() time.Time, progress func(what string, done, total int)) error {
	const chunk = 20000
	for start := 0; start < len(mk.Profiles); start += chunk {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for _, p := range mk.Profiles[start:min(start+chunk, len(mk.Profiles))] {
			if err := enc.Encode(p); err != nil {
				return err
			}
		}
		rep, err := candidatesdb.ImportProfiles(ctx, db, &buf, candidates.ImportOptions{Atomic: true, Now: now})
		if err != nil {
			return fmt.Errorf("market: profiles: %w", err)
		}
		if rep.Rejected > 0 {
			return fmt.Errorf("market: profiles rejected: %+v", rep.Errors[0])
		}
		progress("profiles", start+rep.Imported, len(mk.Profiles))
	}
	return nil
}
