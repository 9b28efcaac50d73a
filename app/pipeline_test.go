package app

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/errs"
	"carefit/jobs"
	"carefit/pipeline"
)

// fakePipeline holds the states of one position's pipeline over the
// profiles of a fakeStore, and records the calls made.
type fakePipeline struct {
	st     *fakeStore
	states map[string]pipeline.State
	calls  []string
	scopes []jobs.Scope
	// placed are the clinicians placed in each position, for Placed.
	placed map[string][]string
}

func (p *fakePipeline) Set(_ context.Context, c pipeline.Change, sc jobs.Scope) (pipeline.Outcome, error) {
	p.calls, p.scopes = append(p.calls, "Set"), append(p.scopes, sc)
	return pipeline.Outcome{Entry: pipeline.Entry{PositionID: c.PositionID, ProfileID: c.ProfileID, State: c.State, Version: 1}, Created: true}, nil
}
func (p *fakePipeline) List(_ context.Context, _ string, _ []pipeline.State, sc jobs.Scope) ([]pipeline.Entry, error) {
	p.calls, p.scopes = append(p.calls, "List"), append(p.scopes, sc)
	return nil, nil
}
func (p *fakePipeline) Get(_ context.Context, _, _ string, sc jobs.Scope) (pipeline.Entry, []pipeline.Event, error) {
	p.calls, p.scopes = append(p.calls, "Get"), append(p.scopes, sc)
	return pipeline.Entry{}, nil, nil
}
func (p *fakePipeline) EachProfile(_ context.Context, _ string, ids []string, fn func(candidates.Profile, pipeline.Standing) error) error {
	p.calls = append(p.calls, "EachProfile")
	for _, id := range ids {
		if pr, ok := p.st.profiles[id]; ok {
			if err := fn(pr, pipeline.Standing{State: p.states[id], Related: p.states[id] != ""}); err != nil {
				return err
			}
		}
	}
	return nil
}
func (p *fakePipeline) EachProfileIn(_ context.Context, _ string, states []pipeline.State, fn func(candidates.Profile, pipeline.Standing) error) error {
	p.calls = append(p.calls, "EachProfileIn")
	for id, st := range p.states {
		if pr, ok := p.st.profiles[id]; ok && slices.Contains(states, st) {
			if err := fn(pr, pipeline.Standing{State: st, Related: true}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *fakePipeline) Placed(_ context.Context, ids []string, sc jobs.Scope) (map[string][]string, error) {
	p.calls, p.scopes = append(p.calls, "Placed"), append(p.scopes, sc)
	out := map[string][]string{}
	for _, id := range ids {
		if cs := p.placed[id]; len(cs) > 0 {
			out[id] = cs
		}
	}
	return out, nil
}

func TestPipelineIsForStaffInTheirScope(t *testing.T) {
	svc, _, _, st, _ := world()
	fp := &fakePipeline{st: st}
	svc.Pipeline = fp
	admin := Caller{Principal: access.Principal{KeyID: "k0", Role: access.Admin}}
	clinician := Caller{Principal: access.Principal{KeyID: "k2", Role: access.Clinician, ProfileID: "ana"}}
	ctx := context.Background()
	calls := map[string]func(Caller) error{
		"set": func(who Caller) error {
			_, _, err := svc.SetPipeline(ctx, who, PipelineChange{PositionID: "pos", ClinicianID: "ana", State: pipeline.Shortlisted})
			return err
		},
		"list": func(who Caller) error { _, err := svc.PositionPipeline(ctx, who, "pos", nil); return err },
		"get":  func(who Caller) error { _, err := svc.PipelinePairOf(ctx, who, "pos", "ana"); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			fp.calls, fp.scopes = nil, nil
			if err := call(clinician); errs.KindOf(err) != errs.Forbidden {
				t.Errorf("clinician: got %v, want Forbidden", err)
			}
			if len(fp.calls) != 0 {
				t.Errorf("a clinician's call reached the store: %v", fp.calls)
			}
			for _, who := range []Caller{recruiter, admin} {
				if err := call(who); err != nil {
					t.Fatalf("%s: %v", who.Role, err)
				}
			}
			want := []jobs.Scope{{OrgID: "org", KeyID: "k1"}, {KeyID: "k0"}}
			if diff := cmp.Diff(want, fp.scopes); diff != "" {
				t.Errorf("scopes (-want +got):\n%s", diff)
			}
		})
	}
	svc.Pipeline = nil
	if _, err := svc.PositionPipeline(ctx, recruiter, "pos", nil); errs.KindOf(err) != errs.Unavailable {
		t.Errorf("without the store: got %v, want Unavailable", err)
	}
}

// TestCandidatesByPipelineState: the filter keeps exactly the pipeline's
// rows before the list is cut, the page comes from the one query that
// found them, and unfiltered rows read their states with their profiles.
func TestCandidatesByPipelineState(t *testing.T) {
	svc, ff, _, st, _ := world()
	fp := &fakePipeline{st: st, states: map[string]pipeline.State{"ana": pipeline.Shortlisted, "ben": pipeline.Rejected}}
	svc.Pipeline = fp
	ctx := context.Background()
	cases := []struct {
		name   string
		q      CandidateQuery
		text   []string // IDs the text matches, when q.Q is set
		want   []string
		states []string
		total  int // "gone" is ranked, then dropped from the page
		calls  []string
	}{
		{"unfiltered", CandidateQuery{}, nil, []string{"ana", "ben"}, []string{"shortlisted", "rejected"}, 3, []string{"EachProfile"}},
		{"one state", CandidateQuery{Pipeline: []pipeline.State{pipeline.Rejected}}, nil, []string{"ben"}, []string{"rejected"}, 1, []string{"EachProfileIn"}},
		{"no one in it", CandidateQuery{Pipeline: []pipeline.State{pipeline.Placed}}, nil, nil, nil, 0, []string{"EachProfileIn"}},
		// The text matches an ID outside the kept set: it must not pass.
		{"with text", CandidateQuery{Q: "epic", Pipeline: []pipeline.State{pipeline.Shortlisted}}, []string{"ana", "ben"},
			[]string{"ana"}, []string{"shortlisted"}, 1, []string{"EachProfileIn"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fp.calls, st.queries, ff.textMatches = nil, 0, map[string]bool{}
			for _, id := range tc.text {
				ff.textMatches[id] = true
			}
			tc.q.PositionID, tc.q.Limit = "pos", 20
			page, err := svc.Candidates(ctx, recruiter, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var ids, states []string
			for _, r := range page.Items {
				var id struct{ ID string }
				raw, _ := json.Marshal(r.Clinician)
				_ = json.Unmarshal(raw, &id)
				ids, states = append(ids, id.ID), append(states, *r.PipelineState)
			}
			if diff := cmp.Diff(tc.want, ids); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.states, states); diff != "" {
				t.Errorf("states (-want +got):\n%s", diff)
			}
			if page.Total != tc.total {
				t.Errorf("total: got %d, want %d", page.Total, tc.total)
			}
			if diff := cmp.Diff(tc.calls, fp.calls); diff != "" || st.queries != 0 {
				t.Errorf("queries: pipeline %v, profile store %d; want %v and 0", fp.calls, st.queries, tc.calls)
			}
		})
	}
}

func TestExplainShowsThePairsState(t *testing.T) {
	svc, _, _, st, _ := world()
	svc.Pipeline = &fakePipeline{st: st, states: map[string]pipeline.State{"ben": pipeline.Offered}}
	row, err := svc.Explain(context.Background(), recruiter, "pos", "ben")
	if err != nil || row.PipelineState == nil || *row.PipelineState != "offered" {
		t.Fatalf("got %v, %v; want offered", row.PipelineState, err)
	}
	if _, err := svc.Explain(context.Background(), recruiter, "pos", "nobody"); !errors.Is(err, candidates.ErrNotFound) {
		t.Errorf("unknown clinician: got %v, want not found", err)
	}
}

// TestEntryViewCopiesEveryField fails when a field is added to
// pipeline.Entry without a place in the view.
func TestEntryViewCopiesEveryField(t *testing.T) {
	score := 87.5
	e := pipeline.Entry{PositionID: "p", ProfileID: "c", State: pipeline.Offered, Note: "n", ChangedByKey: "k",
		ChangedAt: time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC), Version: 3, InTopK: true, Score: &score}
	v := reflect.ValueOf(e)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("set %s in this test's entry", v.Type().Field(i).Name)
		}
	}
	b, err := json.Marshal(entryView(e))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"position_id": "p", "clinician_id": "c", "state": "offered", "note": "n", "changed_by_key": "k",
		"changed_at": "2027-01-02T03:04:05Z", "version": 3.0, "in_top_k": true, "score": 87.5}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("view (-want +got):\n%s", diff)
	}
	if n := v.NumField(); n != len(want) {
		t.Errorf("pipeline.Entry has %d fields, the view %d: place the new one", n, len(want))
	}
}
