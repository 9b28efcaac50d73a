package app

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"carefit/access"
	"carefit/internal/kit/errs"
	"carefit/rematch"
)

// fakeRematches answers the overview's questions from fixed strong pairs
// and visits, and records the queries and visits asked of it. The run and
// alert methods are not used here.
type fakeRematches struct {
	Rematches
	strong  rematch.Strong
	queries []rematch.StrongQuery
	visits  []string
}

func (f *fakeRematches) StrongMatches(_ context.Context, q rematch.StrongQuery) (rematch.Strong, error) {
	f.queries = append(f.queries, q)
	return f.strong, nil
}

func (f *fakeRematches) VisitPosition(_ context.Context, keyID, orgID, positionID string, at time.Time) error {
	f.visits = append(f.visits, keyID+" "+orgID+" "+positionID+" "+at.Format(time.RFC3339))
	return nil
}

// TestPositionSummariesCountWhatTheRecruiterMaySee: placements and strong
// matches are counted per position, new ones since the recruiter's last
// visit apart, and a clinician who blocked the organization counts
// nowhere.
func TestPositionSummariesCountWhatTheRecruiterMaySee(t *testing.T) {
	svc, _, _, _, _ := world()
	visited := now.Add(-time.Hour)
	fr := &fakeRematches{strong: rematch.Strong{
		Visited: map[string]time.Time{"pos": visited},
		Pairs: []rematch.StrongPair{{PositionID: "pos", ClinicianID: "ana", New: true}, {PositionID: "pos", ClinicianID: "ben"},
			{PositionID: "pos", ClinicianID: "cleo", New: true}, {PositionID: "pos2", ClinicianID: "ana", New: true}},
	}}
	svc.Rematches, svc.Rematch.AlertMinScore = fr, 85
	svc.Pipeline = &fakePipeline{placed: map[string][]string{"pos": {"ben", "cleo"}}}
	svc.Intros = &fakeIntros{blocked: []string{"cleo"}}
	got, err := svc.PositionSummaries(context.Background(), recruiter, []string{"pos", "pos2", "pos3"})
	if err != nil {
		t.Fatal(err)
	}
	want := PositionSummaries{MinScore: 85, Items: map[string]PositionSummary{
		"pos":  {Placed: 1, Strong: 2, New: 1, VisitedAt: &visited},
		"pos2": {Strong: 1, New: 1},
		"pos3": {},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summaries (-want +got):\n%s", diff)
	}
	wantQ := []rematch.StrongQuery{{KeyID: "k1", OrgID: "org", PositionIDs: []string{"pos", "pos2", "pos3"}, MinScore: 85}}
	if diff := cmp.Diff(wantQ, fr.queries); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
}

// TestPositionOverviewIsARecruitersOwn: other roles are refused, and a
// visit is recorded with the recruiter's key, organization and clock.
func TestPositionOverviewIsARecruitersOwn(t *testing.T) {
	svc, _, _, _, _ := world()
	fr := &fakeRematches{}
	svc.Rematches, svc.Pipeline = fr, &fakePipeline{}
	ctx := context.Background()
	for _, who := range []Caller{{Principal: access.Principal{KeyID: "k0", Role: access.Admin}},
		{Principal: access.Principal{KeyID: "k2", Role: access.Clinician, ProfileID: "ana"}}} {
		if _, err := svc.PositionSummaries(ctx, who, []string{"pos"}); errs.KindOf(err) != errs.Forbidden {
			t.Errorf("%s's summaries: got %v, want Forbidden", who.Role, err)
		}
		if err := svc.VisitPosition(ctx, who, "pos"); errs.KindOf(err) != errs.Forbidden {
			t.Errorf("%s's visit: got %v, want Forbidden", who.Role, err)
		}
	}
	if err := svc.VisitPosition(ctx, recruiter, "pos"); err != nil {
		t.Fatal(err)
	}
	if want := []string{"k1 org pos " + now.Format(time.RFC3339)}; !cmp.Equal(want, fr.visits) {
		t.Errorf("visits: got %v, want %v", fr.visits, want)
	}
}
