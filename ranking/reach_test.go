package ranking_test

import (
	"context"
	"slices"
	"testing"

	"carefit/internal/platform/outbox"
	"carefit/match"
	"carefit/ranking"
)

// TestEligibleForAnOrganization: the clinicians an organization may see
// for its open positions are exactly those the engine finds eligible for
// one of them, asked one at a time or all at once.
func TestEligibleForAnOrganization(t *testing.T) {
	s, mk, now, _ := seeded(t, 50)
	org := mk.Positions[0].OrgID
	var mine []match.Position
	for _, id := range s.PositionIDs() {
		if p, _ := s.Position(id); p.OrgID == org && p.Status == match.StatusOpen && now.Before(p.ExpiresAt) {
			mine = append(mine, p)
		}
	}
	var want []string
	for _, prof := range mk.Profiles {
		c, _ := s.Clinician(prof.ID)
		if slices.ContainsFunc(mine, func(p match.Position) bool { return match.Check(p, c, now, s.Options()).Eligible }) {
			want = append(want, prof.ID)
		}
	}
	slices.Sort(want)
	got := s.EligibleClinicians(org, now)
	if !slices.Equal(got, want) || len(want) < 50 {
		t.Fatalf("eligible: got %d clinicians, the engine finds %d", len(got), len(want))
	}
	for _, prof := range mk.Profiles[:300] {
		if in := slices.Contains(want, prof.ID); s.EligibleFor(prof.ID, org, now) != in {
			t.Errorf("EligibleFor(%s): got %v, want %v", prof.ID, !in, in)
		}
	}
	if s.EligibleFor("nobody", org, now) || len(s.EligibleClinicians("no-such-org", now)) != 0 {
		t.Error("an unknown clinician or organization is eligible")
	}
	facets := s.ClinicianFacets(want)
	total := 0
	for _, n := range facets["credential"] {
		total += n
	}
	if total != len(want) {
		t.Errorf("credential facets count %d, want %d", total, len(want))
	}
}

// TestBlocksLeaveTheOrganizationsLists: a clinician who blocks an
// organization leaves the ranked lists made for it once the store follows
// the block, and stays in everyone else's.
func TestBlocksLeaveTheOrganizationsLists(t *testing.T) {
	s, mk, now, pool := seeded(t, 50)
	ctx := context.Background()
	big := mk.Positions[0]
	p, _ := s.Position(big.ID)
	all, err := s.Candidates(p.ID, ranking.CandidateFilter{Limit: 5}, now)
	if err != nil || len(all.Items) == 0 {
		t.Fatalf("candidates: %v, %v", all, err)
	}
	blocker := all.Items[0].ID
	if _, err := pool.Exec(ctx, `INSERT INTO profile_blocks (profile_id, org_id, created_at) VALUES ($1, $2, now())`, blocker, big.OrgID); err != nil {
		t.Fatal(err)
	}
	if err := outbox.Write(ctx, pool, outbox.Profile, blocker, outbox.Upsert, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	forOrg, err := s.Candidates(p.ID, ranking.CandidateFilter{Limit: 5, ForOrg: big.OrgID}, now)
	if err != nil {
		t.Fatal(err)
	}
	if forOrg.Total != all.Total-1 || slices.Contains(forOrg.IDs(), blocker) {
		t.Errorf("for the organization: total %d of %d, blocker listed %v; want one fewer, without them", forOrg.Total, all.Total, slices.Contains(forOrg.IDs(), blocker))
	}
	others, _ := s.Candidates(p.ID, ranking.CandidateFilter{Limit: 5, ForOrg: "another"}, now)
	if others.Total != all.Total {
		t.Errorf("for another organization: total %d, want %d", others.Total, all.Total)
	}
	if got := s.ClinicianFacts(blocker).Blocks; !slices.Equal(got, []string{big.OrgID}) {
		t.Errorf("blocks held: got %v", got)
	}
}
