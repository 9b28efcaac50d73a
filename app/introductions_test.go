package app

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/errs"
	"carefit/intro"
	"carefit/search"
)

// fakeIntros knows which clinicians blocked, are related to and are
// introduced to every organization, and records the writes asked of it.
type fakeIntros struct {
	blocked, related, introduced []string
	requests                     []intro.Request
	answers                      []intro.Answer
	reaches                      int
}

// introducedFor maps each introduced clinician among ids to the fixture's
// position.
func introducedFor(ids []string, among []string) map[string]string {
	out := map[string]string{}
	for id := range set(ids, among) {
		out[id] = "p-introduced"
	}
	return out
}

func set(ids []string, among []string) map[string]struct{} {
	out := map[string]struct{}{}
	for _, id := range ids {
		if among == nil || slices.Contains(among, id) {
			out[id] = struct{}{}
		}
	}
	return out
}

func (f *fakeIntros) Reach(_ context.Context, _ string, ids []string) (intro.Reach, error) {
	f.reaches++
	return intro.Reach{Blocked: set(f.blocked, ids), Related: set(append(f.related, f.introduced...), ids),
		Introduced: introducedFor(f.introduced, ids)}, nil
}
func (f *fakeIntros) Request(_ context.Context, r intro.Request) (intro.Introduction, error) {
	f.requests = append(f.requests, r)
	return intro.Introduction{ID: "i1", OrgID: r.OrgID, PositionID: r.PositionID, ProfileID: r.ProfileID, Initiator: r.Side,
		Message: r.Message, Status: intro.Pending, CreatedAt: now, ExpiresAt: now.Add(intro.Lifetime)}, nil
}
func (f *fakeIntros) Answer(_ context.Context, a intro.Answer) (intro.Introduction, error) {
	f.answers = append(f.answers, a)
	return intro.Introduction{ID: a.ID, OrgID: "org", PositionID: "pos", ProfileID: "ana", Status: intro.Accepted}, nil
}
func (f *fakeIntros) Revoke(context.Context, intro.Revocation) (intro.Introduction, error) {
	return intro.Introduction{}, nil
}
func (f *fakeIntros) Get(context.Context, string, intro.Scope) (intro.Introduction, error) {
	return intro.Introduction{}, intro.ErrNotFound
}
func (f *fakeIntros) List(context.Context, intro.Filter) (intro.Page, error) {
	return intro.Page{}, nil
}
func (f *fakeIntros) Blocked(context.Context, string) ([]intro.Block, error) { return nil, nil }
func (f *fakeIntros) SetBlocked(context.Context, string, []string, string) ([]intro.Block, error) {
	return nil, nil
}
func (f *fakeIntros) Held(context.Context, string) (intro.Held, error) { return intro.Held{}, nil }

// reachWorld is world with "cleo", a clinician the organization could
// not hire, and another organization's recruiter.
func reachWorld() (*Service, *fakeIntros, *fakeStore, *fakeSearch) {
	svc, _, fs, st, _ := world()
	st.profiles["cleo"] = candidates.Profile{ID: "cleo", Name: candidates.Name{Given: "Cleo"}, VisibleToRecruiters: true}
	fi := &fakeIntros{}
	svc.Intros = fi
	return svc, fi, st, fs
}

var otherRecruiter = Caller{Principal: access.Principal{KeyID: "k9", Role: access.Recruiter, OrgID: "other"}}

// TestRecruitersReadOnlyWhomTheyCouldHire: a single read answers NotFound
// for a clinician the organization could not hire and is not related to,
// and for one who blocked it; admins read anyone.
func TestRecruitersReadOnlyWhomTheyCouldHire(t *testing.T) {
	ctx := context.Background()
	admin := Caller{Principal: access.Principal{Role: access.Admin}}
	cases := []struct {
		name    string
		who     Caller
		id      string
		related []string
		blocked []string
		want    errs.Kind // 0: found
	}{
		{"eligible", recruiter, "ana", nil, nil, 0},
		{"not eligible", recruiter, "cleo", nil, nil, errs.NotFound},
		{"not eligible but in the pipeline", recruiter, "cleo", []string{"cleo"}, nil, 0},
		{"eligible but blocked", recruiter, "ana", nil, []string{"ana"}, errs.NotFound},
		{"related but blocked", recruiter, "cleo", []string{"cleo"}, []string{"cleo"}, errs.NotFound},
		{"another organization", otherRecruiter, "ana", nil, nil, errs.NotFound},
		{"admin", admin, "cleo", nil, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc, fi, _, _ := reachWorld()
			fi.related, fi.blocked = tc.related, tc.blocked
			_, _, err := svc.Profile(ctx, tc.who, tc.id)
			if tc.want == 0 && err != nil || tc.want != 0 && errs.KindOf(err) != tc.want {
				t.Errorf("got %v, want kind %v", err, tc.want)
			}
			if tc.want == errs.NotFound && err != nil && errs.Message(err) != errs.Message(candidates.ErrNotFound) {
				t.Errorf("not found says %q, want what an unknown ID says", errs.Message(err))
			}
		})
	}
	svc, _, _, _ := reachWorld()
	svc.Intros = nil
	if _, _, err := svc.Profile(ctx, recruiter, "ana"); errs.KindOf(err) != errs.Unavailable {
		t.Errorf("without introductions: got %v, want unavailable", err)
	}
}

// TestListsAndSearchAreScoped: a recruiter's list and search ask the
// stores for exactly the organization's visible clinicians.
func TestListsAndSearchAreScoped(t *testing.T) {
	ctx := context.Background()
	svc, fi, st, fs := reachWorld()
	fi.related, fi.blocked = []string{"cleo"}, []string{"ben"}
	page, err := svc.ListProfiles(ctx, recruiter, candidates.ProfileFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ana", "cleo", "gone"}, st.listed.IDs); diff != "" {
		t.Errorf("list scope (-want +got):\n%s", diff)
	}
	if len(page.Items) != 2 {
		t.Errorf("list: got %d items, want ana and cleo", len(page.Items))
	}
	if _, err := svc.SearchProfiles(ctx, recruiter, search.ProfileQuery{Q: "epic"}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ana", "cleo", "gone"}, fs.query.IDs); diff != "" {
		t.Errorf("search scope (-want +got):\n%s", diff)
	}
	fs.query, fi.related = search.ProfileQuery{}, nil // the fake relates clinicians to every organization
	got, err := svc.SearchProfiles(ctx, otherRecruiter, search.ProfileQuery{})
	if err != nil || len(got.Hits) != 0 || got.Total != 0 || got.Limit != search.DefaultLimit || fs.query.IDs != nil {
		t.Errorf("an organization that may see no one: got %+v, %v, index asked %+v; want an empty page without a search", got, err, fs.query)
	}
	if _, err := svc.SearchProfiles(ctx, otherRecruiter, search.ProfileQuery{Credential: "XX"}); errs.KindOf(err) != errs.Malformed {
		t.Errorf("a bad value with an empty scope: got %v, want malformed", err)
	}
	if _, err := svc.SearchProfiles(ctx, Caller{Principal: access.Principal{Role: access.Admin}}, search.ProfileQuery{}); err != nil || fs.query.IDs != nil {
		t.Errorf("admin search: got %v with IDs %v, want unscoped", err, fs.query.IDs)
	}
}

// TestSearchBeyondOneFilter: past search.MaxFilterIDs reachable
// clinicians, the index's matches are cut to the reachable ones, in the
// index's order, and paged and counted from them.
func TestSearchBeyondOneFilter(t *testing.T) {
	svc, _, st, fs := reachWorld()
	ff := svc.Features.(*fakeFeatures)
	many := make([]string, search.MaxFilterIDs+1)
	for i := range many {
		many[i] = string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
	}
	many[0], many[1] = "ana", "ben"
	ff.eligible["org"] = many
	fs.match = []string{"ben", "outsider", "cleo", "ana"}
	page, err := svc.SearchProfiles(context.Background(), recruiter, search.ProfileQuery{Limit: 1, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 2 || len(page.Hits) != 1 || page.Facets["credential"]["MD"] != 2 {
		t.Fatalf("got total %d, %d hits, facets %v; want 2, the second one, 2 MDs", page.Total, len(page.Hits), page.Facets)
	}
	if fs.query.IDs != nil || len(fs.query.Within.Credentials) == 0 {
		t.Errorf("index asked %+v, want no IDs and the organization's credentials", fs.query)
	}
	_ = st
}

// TestCandidatesLeaveOutBlocks: a recruiter's ranked list asks the
// feature store to leave out clinicians who blocked the organization, and
// the page drops any it still held; an admin's list keeps them.
func TestCandidatesLeaveOutBlocks(t *testing.T) {
	svc, fi, _, _ := reachWorld()
	ff := svc.Features.(*fakeFeatures)
	fi.blocked = []string{"ana"}
	page, err := svc.Candidates(context.Background(), recruiter, CandidateQuery{PositionID: "pos", Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if ff.candFilter.ForOrg != "org" {
		t.Errorf("feature store asked for organization %q, want org", ff.candFilter.ForOrg)
	}
	if len(page.Items) != 1 {
		t.Errorf("got %d rows, want ben only (gone is dropped from the page, ana blocked)", len(page.Items))
	}
	admin := Caller{Principal: access.Principal{Role: access.Admin}}
	if page, err = svc.Candidates(context.Background(), admin, CandidateQuery{PositionID: "pos", Limit: 20}); err != nil || len(page.Items) != 2 {
		t.Errorf("admin: got %d rows, %v; want ana and ben", len(page.Items), err)
	}
	if ff.candFilter.ForOrg != "" {
		t.Errorf("admin's list leaves out an organization's blocks: %q", ff.candFilter.ForOrg)
	}
}

// TestRequestIntroductionChecksReach: only recruiters request, only to
// clinicians their organization may see, with the configured limit.
func TestRequestIntroductionChecksReach(t *testing.T) {
	ctx := context.Background()
	svc, fi, _, _ := reachWorld()
	svc.IntroDailyLimit = 7
	out, err := svc.RequestIntroduction(ctx, recruiter, IntroductionRequest{PositionID: "pos", ClinicianID: "ana", Message: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != "pending" || out.ClinicianID != "ana" {
		t.Errorf("got %+v, want a pending request to ana", out)
	}
	want := []intro.Request{{Side: intro.Recruiter, OrgID: "org", PositionID: "pos", ProfileID: "ana", KeyID: "k1", Message: "Hello", DailyLimit: 7}}
	if diff := cmp.Diff(want, fi.requests); diff != "" {
		t.Errorf("store asked (-want +got):\n%s", diff)
	}
	if _, err := svc.RequestIntroduction(ctx, recruiter, IntroductionRequest{PositionID: "pos", ClinicianID: "cleo"}); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a clinician the organization could not hire: got %v, want not found", err)
	}
	clin := Caller{Principal: access.Principal{Role: access.Clinician, ProfileID: "ana"}}
	if _, err := svc.RequestIntroduction(ctx, clin, IntroductionRequest{PositionID: "pos", ClinicianID: "ana"}); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("a clinician: got %v, want forbidden", err)
	}
	if len(fi.requests) != 1 {
		t.Errorf("refused requests reached the store: %+v", fi.requests)
	}
	if _, err := svc.AnswerIntroduction(ctx, clin, "i1", true, "yes"); err != nil {
		t.Fatal(err)
	}
	if a := fi.answers[0]; a.Side != intro.Clinician || a.ProfileID != "ana" || a.OrgID != "" || !a.Accept || a.Reply != "yes" {
		t.Errorf("answer: got %+v, want the clinician's own acceptance", a)
	}
}
