package jobsdb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/access"
	"carefit/access/accessdb/accessdbtest"
	"carefit/internal/kit/check"
	"carefit/internal/kit/domaintest"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/storetest"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/platform/pg"
	"carefit/internal/platform/testenv"
	"carefit/jobs"
	"carefit/jobs/jobstest"
)

// newStore returns a store on a fresh database whose clock stands at
// jobstest.Now.
func newStore(t *testing.T) (*Store, *pgxpool.Pool) {
	t.Helper()
	pool := testenv.DB(t)
	s := NewStore(pool)
	s.Now = domaintest.Stopped(jobstest.Now)
	return s, pool
}

// newOrg returns a valid organisation with fresh IDs and two locations.
func newOrg() jobs.Organization {
	o := jobstest.Org()
	o.ID = uuid.NewString()
	o.Locations[0].ID = uuid.NewString()
	second := o.Locations[0]
	second.ID, second.Name, second.State, second.City, second.Lat, second.Lng = uuid.NewString(), "Lakeshore West", "IL", "Chicago", 41.88, -87.63
	o.Locations = append(o.Locations, second)
	return o
}

func mustOrg(t *testing.T, s *Store) jobs.Organization {
	t.Helper()
	o, err := s.CreateOrganization(context.Background(), newOrg())
	if err != nil {
		t.Fatalf("create organization: %v", err)
	}
	return o
}

// positionAt returns a valid position at org's first location with a
// fresh ID.
func positionAt(org jobs.Organization) jobs.Position {
	p := jobstest.Position()
	p.ID = uuid.NewString()
	p.OrgID = org.ID
	p.LocationID = org.Locations[0].ID
	return p
}

func mustPosition(t *testing.T, s *Store, p jobs.Position) jobs.Position {
	t.Helper()
	got, err := s.CreatePosition(context.Background(), p, jobs.Scope{})
	if err != nil {
		t.Fatalf("create position: %v", err)
	}
	return got
}

// outboxCount counts the outbox rows that record op on position id.
func outboxCount(t *testing.T, pool *pgxpool.Pool, id, op string) int {
	t.Helper()
	return storetest.Outbox(t, pool, "position", id, op)
}

var equateEmpty = cmpopts.EquateEmpty()

func TestOrganizationRoundTrip(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	in := newOrg()
	created, err := s.CreateOrganization(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := in
	want.Version, want.CreatedAt, want.UpdatedAt = 1, jobstest.Now, jobstest.Now
	if d := cmp.Diff(want, created); d != "" {
		t.Errorf("created (-want +got):\n%s", d)
	}
	got, err := s.GetOrganization(ctx, in.ID, jobs.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("read back (-want +got):\n%s", d)
	}

	t.Run("new IDs assigned", func(t *testing.T) {
		o := newOrg()
		o.ID, o.Locations[1].ID, o.WeightOverrides = "", "", nil
		got, err := s.CreateOrganization(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		if !check.UUID(got.ID) || !check.UUID(got.Locations[1].ID) {
			t.Errorf("got IDs %q and %q, want UUIDs", got.ID, got.Locations[1].ID)
		}
	})
	t.Run("duplicate ID", func(t *testing.T) {
		o := newOrg()
		o.ID = in.ID
		_, err := s.CreateOrganization(ctx, o)
		if !errors.Is(err, jobs.ErrConflict) {
			t.Errorf("got %v, want ErrConflict", err)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		o := newOrg()
		o.Kind = "spa"
		_, err := s.CreateOrganization(ctx, o)
		if !errs.HasField(err, "kind") {
			t.Errorf("got %v, want a kind field error", err)
		}
	})
}

func TestUpdateOrganization(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	org := mustOrg(t, s)
	p := positionAt(org)
	p.LocationID = org.Locations[1].ID
	p.LicenceStates = []string{"IL"}
	p = mustPosition(t, s, p)

	moved := org.Locations[1]
	moved.Lat, moved.Lng = 41.90, -87.70
	patch := jobs.OrganizationPatch{}
	patch.Name.Present, patch.Name.Value = true, "Lakeshore Health"
	patch.Locations.Present, patch.Locations.Value = true, []jobs.Location{moved, {Name: "New Site", State: "WI", Lat: 43.1, Lng: -88, TimeZone: "America/Chicago"}}

	t.Run("stale", func(t *testing.T) {
		_, err := s.UpdateOrganization(ctx, org.ID, 7, jobs.Scope{}, patch.Apply)
		if !errors.Is(err, jobs.ErrPreconditionFailed) {
			t.Errorf("got %v, want ErrPreconditionFailed", err)
		}
	})
	t.Run("removing a used location", func(t *testing.T) {
		bad := jobs.OrganizationPatch{}
		bad.Locations.Present, bad.Locations.Value = true, []jobs.Location{org.Locations[0]}
		_, err := s.UpdateOrganization(ctx, org.ID, 1, jobs.Scope{}, bad.Apply)
		if !errs.HasField(err, "locations") {
			t.Errorf("got %v, want a locations field error", err)
		}
	})
	before := outboxCount(t, pool, p.ID, "upsert")
	got, err := s.UpdateOrganization(ctx, org.ID, 1, jobs.Scope{}, patch.Apply)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Name != "Lakeshore Health" || len(got.Locations) != 2 || !check.UUID(got.Locations[1].ID) {
		t.Errorf("got %+v, want version 2, new name and two locations", got)
	}
	read, err := s.GetOrganization(ctx, org.ID, jobs.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(got, read); d != "" {
		t.Errorf("read back (-updated +read):\n%s", d)
	}
	var lat float64
	if err := pool.QueryRow(ctx, `SELECT lat FROM positions WHERE id = $1`, p.ID).Scan(&lat); err != nil {
		t.Fatal(err)
	}
	if lat != moved.Lat {
		t.Errorf("position lat %v, want the moved location's %v", lat, moved.Lat)
	}
	if n := outboxCount(t, pool, p.ID, "upsert"); n != before+1 {
		t.Errorf("outbox upserts for the position %d, want %d", n, before+1)
	}

	t.Run("location of another organisation", func(t *testing.T) {
		other := mustOrg(t, s)
		steal := jobs.OrganizationPatch{}
		steal.Locations.Present, steal.Locations.Value = true, append(got.Locations, other.Locations[0])
		_, err := s.UpdateOrganization(ctx, org.ID, 2, jobs.Scope{}, steal.Apply)
		if !errs.HasField(err, "locations[2].id") {
			t.Errorf("got %v, want a locations[2].id field error", err)
		}
	})

	t.Run("delete cascades and queues removal", func(t *testing.T) {
		if err := s.DeleteOrganization(ctx, org.ID, jobs.Scope{OrgID: uuid.NewString()}); !errors.Is(err, jobs.ErrNotFound) {
			t.Errorf("delete out of scope: got %v, want ErrNotFound", err)
		}
		if err := s.DeleteOrganization(ctx, org.ID, jobs.Scope{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetPosition(ctx, p.ID, jobs.Scope{}); !errors.Is(err, jobs.ErrNotFound) {
			t.Errorf("position after organisation delete: got %v, want ErrNotFound", err)
		}
		if n := outboxCount(t, pool, p.ID, "delete"); n != 1 {
			t.Errorf("outbox deletes %d, want 1", n)
		}
	})
}

func TestListOrganizations(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	var ids []string
	for i := range 5 {
		s.Now = domaintest.Stopped(jobstest.Now.Add(time.Duration(i/2) * time.Second))
		ids = append(ids, mustOrg(t, s).ID)
	}
	var seen []string
	cur := ""
	for range 10 {
		page, err := s.ListOrganizations(ctx, jobs.OrgFilter{Limit: 2, Cursor: cur}, jobs.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Items {
			if len(o.Locations) != 2 {
				t.Errorf("organisation %s has %d locations, want 2", o.ID, len(o.Locations))
			}
			seen = append(seen, o.ID)
		}
		if cur = page.NextCursor; cur == "" {
			break
		}
	}
	if d := cmp.Diff(ids, seen, cmpopts.SortSlices(func(a, b string) bool { return a < b })); d != "" {
		t.Errorf("paged IDs (-want +got):\n%s", d)
	}
	page, err := s.ListOrganizations(ctx, jobs.OrgFilter{}, jobs.Scope{OrgID: ids[3]})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != ids[3] {
		t.Errorf("scoped list: got %d items, %v; want only %s", len(page.Items), err, ids[3])
	}
}

func TestPositionRoundTrip(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	org := mustOrg(t, s)

	tests := []struct {
		name   string
		mutate func(p *jobs.Position)
	}{
		{"every field", func(p *jobs.Position) {
			p.Environment = jobs.Environment{
				PanelSize: ptr(1800), VisitMinutesNew: ptr(40), VisitMinutesFollowUp: ptr(20), PatientsPerDay: ptr(18),
				ContinuityRate: ptr(72.5), ContinuityModel: ptr(taxonomy.ContinuityAssignedPanel), EHR: ptr(taxonomy.EHREpic),
				InboxMessagesPerWeek: ptr(150), MAsPerClinician: ptr(1.5), Scribe: ptr(true), TelehealthPct: ptr(10.0),
				CallOneInN: ptr(6), Setting: ptr(taxonomy.SettingFQHC), Population: ptr(taxonomy.PopulationAll),
				LanguagesNeeded: []taxonomy.Language{"es", "vi"}, TeamBasedCare: ptr(true), SharedDecisionMaking: ptr(false),
			}
			p.Wants = jobs.Wants{MinYears: ptr(3), BoardCertRequired: ptr(true), LanguagesWanted: []taxonomy.Language{"es"},
				EHRExperienceWanted: []taxonomy.EHR{taxonomy.EHREpic, taxonomy.EHRAthenahealth},
				MustHave:            []factor.Name{factor.Experience, factor.Languages}}
			p.EmploymentType, p.DurationWeeks = taxonomy.EmploymentLocumTenens, ptr(13)
			p.LicenceStates = []string{"WI", "MN"}
		}},
		{"unknown facts stay unknown and zeros stay zero", func(p *jobs.Position) {
			p.Environment = jobs.Environment{PanelSize: ptr(0), CallOneInN: ptr(0), Scribe: ptr(false)}
			p.Wants = jobs.Wants{}
			p.Description = ""
		}},
		{"draft without expiry", func(p *jobs.Position) { p.Status, p.ExpiresAt = jobs.StatusDraft, nil }},
		{"nanoseconds and zones are normalised", func(p *jobs.Position) {
			p.ExpiresAt = ptr(jobstest.Now.Add(48*time.Hour + 123456789).In(time.FixedZone("X", 3600)))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := positionAt(org)
			tc.mutate(&in)
			created, err := s.CreatePosition(ctx, in, jobs.Scope{})
			if err != nil {
				t.Fatal(err)
			}
			want := in
			want.Version, want.CreatedAt, want.UpdatedAt = 1, jobstest.Now, jobstest.Now
			want.ExpiresAt = pg.TimePtr(in.ExpiresAt)
			if d := cmp.Diff(want, created, equateEmpty); d != "" {
				t.Errorf("created (-want +got):\n%s", d)
			}
			got, err := s.GetPosition(ctx, in.ID, jobs.Scope{OrgID: org.ID})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(created, got); d != "" {
				t.Errorf("read back (-created +got):\n%s", d)
			}
			if got.Environment.PanelSize != nil && in.Environment.PanelSize == nil {
				t.Errorf("unknown panel size came back as %d", *got.Environment.PanelSize)
			}
		})
	}

	t.Run("defaults", func(t *testing.T) {
		in := positionAt(org)
		in.ID, in.Status, in.LicenceStates, in.Pay.Currency = "", "", nil, ""
		in.ExpiresAt = nil
		got, err := s.CreatePosition(ctx, in, jobs.Scope{OrgID: org.ID})
		if err != nil {
			t.Fatal(err)
		}
		if !check.UUID(got.ID) || got.Status != jobs.StatusDraft || !cmp.Equal(got.LicenceStates, []string{"WI"}) || got.Pay.Currency != jobs.CurrencyUSD {
			t.Errorf("got id %q status %q states %v currency %q; want a UUID, draft, [WI], USD", got.ID, got.Status, got.LicenceStates, got.Pay.Currency)
		}
	})
}

func TestCreatePositionErrors(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	org := mustOrg(t, s)
	other := mustOrg(t, s)
	existing := mustPosition(t, s, positionAt(org))

	tests := []struct {
		name   string
		mutate func(p *jobs.Position)
		scope  jobs.Scope
		field  string
		is     error
	}{
		{"unknown organisation", func(p *jobs.Position) { p.OrgID = uuid.NewString() }, jobs.Scope{}, "org_id", nil},
		{"location of another organisation", func(p *jobs.Position) { p.LocationID = other.Locations[0].ID }, jobs.Scope{}, "location_id", nil},
		{"unknown location", func(p *jobs.Position) { p.LocationID = uuid.NewString() }, jobs.Scope{}, "location_id", nil},
		{"invalid pay", func(p *jobs.Position) { p.Pay.Min = 400000 }, jobs.Scope{}, "pay.min", nil},
		{"open without expiry", func(p *jobs.Position) { p.ExpiresAt = nil }, jobs.Scope{}, "expires_at", nil},
		{"organisation outside scope", func(p *jobs.Position) {}, jobs.Scope{OrgID: other.ID}, "", jobs.ErrNotFound},
		{"duplicate ID", func(p *jobs.Position) { p.ID = existing.ID }, jobs.Scope{}, "", jobs.ErrConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := positionAt(org)
			tc.mutate(&p)
			_, err := s.CreatePosition(ctx, p, tc.scope)
			if tc.is != nil {
				if !errors.Is(err, tc.is) {
					t.Errorf("got %v, want %v", err, tc.is)
				}
			} else {
				if !errs.HasField(err, tc.field) {
					t.Errorf("got %v, want a %s field error", err, tc.field)
				}
			}
			if n := outboxCount(t, pool, p.ID, "upsert"); p.ID != existing.ID && n != 0 {
				t.Errorf("outbox rows after a failed create: %d, want 0", n)
			}
		})
	}
}

func TestUpdatePosition(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	org := mustOrg(t, s)
	p := mustPosition(t, s, positionAt(org))

	later := jobstest.Now.Add(time.Hour)
	s.Now = domaintest.Stopped(later)
	var pp jobs.PositionPatch
	pp.Pay.Present, pp.Pay.Value.Min.Present, pp.Pay.Value.Min.Value = true, true, 260000
	pp.Environment.Present, pp.Environment.Value.PanelSize.Present, pp.Environment.Value.PanelSize.Null = true, true, true
	pp.LocationID.Present, pp.LocationID.Value = true, org.Locations[1].ID
	pp.LicenceStates.Present = true // null: back to the location's state
	got, err := s.PatchPosition(ctx, p.ID, 1, jobs.Scope{OrgID: org.ID, KeyID: uuid.NewString()}, pp)
	if err != nil {
		t.Fatal(err)
	}
	want := p
	want.Pay.Min, want.Environment.PanelSize, want.LocationID, want.LicenceStates = 260000, nil, org.Locations[1].ID, []string{"IL"}
	want.Version, want.UpdatedAt = 2, later
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("updated (-want +got):\n%s", d)
	}
	read, _ := s.GetPosition(ctx, p.ID, jobs.Scope{})
	if d := cmp.Diff(got, read); d != "" {
		t.Errorf("read back (-updated +read):\n%s", d)
	}
	var state string
	if err := pool.QueryRow(ctx, `SELECT state FROM positions WHERE id = $1`, p.ID).Scan(&state); err != nil || state != "IL" {
		t.Errorf("state column %q (%v), want IL from the new location", state, err)
	}

	t.Run("stale version leaves the row unchanged", func(t *testing.T) {
		var pp jobs.PositionPatch
		pp.Title.Present, pp.Title.Value = true, "Changed"
		_, err := s.PatchPosition(ctx, p.ID, 1, jobs.Scope{}, pp)
		if !errors.Is(err, jobs.ErrPreconditionFailed) {
			t.Errorf("got %v, want ErrPreconditionFailed", err)
		}
		after, _ := s.GetPosition(ctx, p.ID, jobs.Scope{})
		if d := cmp.Diff(read, after); d != "" {
			t.Errorf("row changed (-before +after):\n%s", d)
		}
	})
	t.Run("identity and status cannot change", func(t *testing.T) {
		got, err := s.UpdatePosition(ctx, p.ID, 2, jobs.Scope{}, func(q *jobs.Position) error {
			q.ID, q.OrgID, q.Status, q.Version, q.Title = uuid.NewString(), uuid.NewString(), jobs.StatusFilled, 99, "Renamed"
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != p.ID || got.OrgID != p.OrgID || got.Status != jobs.StatusOpen || got.Version != 3 || got.Title != "Renamed" {
			t.Errorf("got id %s org %s status %s version %d title %q", got.ID, got.OrgID, got.Status, got.Version, got.Title)
		}
	})
	t.Run("invalid result or apply error writes nothing", func(t *testing.T) {
		before := outboxCount(t, pool, p.ID, "upsert")
		_, err := s.UpdatePosition(ctx, p.ID, 3, jobs.Scope{}, func(q *jobs.Position) error { q.Headcount = 0; return nil })
		if !errs.HasField(err, "headcount") {
			t.Errorf("got %v, want a headcount field error", err)
		}
		boom := errors.New("boom")
		if _, err := s.UpdatePosition(ctx, p.ID, 3, jobs.Scope{}, func(*jobs.Position) error { return boom }); !errors.Is(err, boom) {
			t.Errorf("got %v, want the apply error", err)
		}
		if n := outboxCount(t, pool, p.ID, "upsert"); n != before {
			t.Errorf("outbox rows %d, want %d", n, before)
		}
	})
	t.Run("history", func(t *testing.T) {
		vs, err := s.Versions(ctx, p.ID, jobs.Scope{OrgID: org.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 3 {
			t.Fatalf("got %d versions, want 3", len(vs))
		}
		if vs[0].Position.Pay.Min != 250000 || vs[1].Position.Pay.Min != 260000 {
			t.Errorf("pay history %v, %v; want 250000 then 260000", vs[0].Position.Pay.Min, vs[1].Position.Pay.Min)
		}
		if vs[0].ChangedByKey != "" || !check.UUID(vs[1].ChangedByKey) || !vs[1].ChangedAt.Equal(later) {
			t.Errorf("changed by %q then %q at %v", vs[0].ChangedByKey, vs[1].ChangedByKey, vs[1].ChangedAt)
		}
		if n := outboxCount(t, pool, p.ID, "upsert"); n != 3 {
			t.Errorf("outbox upserts %d, want one per version (3)", n)
		}
	})
}

func TestConcurrentUpdates(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	p := mustPosition(t, s, positionAt(mustOrg(t, s)))
	storetest.CheckOneWins(t, 2, jobs.ErrPreconditionFailed, func(i int) error {
		_, err := s.UpdatePosition(ctx, p.ID, 1, jobs.Scope{}, func(q *jobs.Position) error {
			q.Title = fmt.Sprintf("Writer %d", i)
			return nil
		})
		return err
	})
	got, _ := s.GetPosition(ctx, p.ID, jobs.Scope{})
	if got.Version != 2 {
		t.Errorf("got version %d, want 2", got.Version)
	}
}

func TestSetStatus(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	org := mustOrg(t, s)
	tests := []struct {
		name  string
		from  jobs.Status
		setup func(p *jobs.Position)
		to    jobs.Status
		err   error
		field string
	}{
		{"draft to open", jobs.StatusDraft, nil, jobs.StatusOpen, nil, ""},
		{"open to filled", jobs.StatusOpen, nil, jobs.StatusFilled, nil, ""},
		{"open to closed", jobs.StatusOpen, nil, jobs.StatusClosed, nil, ""},
		{"filled is terminal", jobs.StatusFilled, nil, jobs.StatusOpen, jobs.ErrInvalidTransition, ""},
		{"draft to filled", jobs.StatusDraft, nil, jobs.StatusFilled, jobs.ErrInvalidTransition, ""},
		{"unknown status", jobs.StatusDraft, nil, "paused", jobs.ErrInvalidTransition, ""},
		{"open without expiry", jobs.StatusDraft, func(p *jobs.Position) { p.ExpiresAt = nil }, jobs.StatusOpen, nil, "expires_at"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := positionAt(org)
			p.Status = jobs.StatusDraft
			if tc.setup != nil {
				tc.setup(&p)
			}
			p = mustPosition(t, s, p)
			// Walk to the starting status.
			for _, step := range map[jobs.Status][]jobs.Status{jobs.StatusOpen: {jobs.StatusOpen}, jobs.StatusFilled: {jobs.StatusOpen, jobs.StatusFilled}}[tc.from] {
				var err error
				if p, err = s.SetStatus(ctx, p.ID, p.Version, step, jobs.Scope{}); err != nil {
					t.Fatal(err)
				}
			}
			before := outboxCount(t, pool, p.ID, "upsert")
			got, err := s.SetStatus(ctx, p.ID, p.Version, tc.to, jobs.Scope{OrgID: org.ID})
			switch {
			case tc.field != "":
				if !errs.HasField(err, tc.field) {
					t.Errorf("got %v, want a %s field error", err, tc.field)
				}
			case tc.err != nil:
				if !errors.Is(err, tc.err) {
					t.Errorf("got %v, want %v", err, tc.err)
				}
			case err != nil:
				t.Fatal(err)
			default:
				if got.Status != tc.to || got.Version != p.Version+1 {
					t.Errorf("got status %s version %d, want %s and %d", got.Status, got.Version, tc.to, p.Version+1)
				}
				read, _ := s.GetPosition(ctx, p.ID, jobs.Scope{})
				if d := cmp.Diff(got, read); d != "" {
					t.Errorf("read back (-set +read):\n%s", d)
				}
			}
			wantRows := before
			if tc.err == nil && tc.field == "" {
				wantRows++
			}
			if n := outboxCount(t, pool, p.ID, "upsert"); n != wantRows {
				t.Errorf("outbox rows %d, want %d", n, wantRows)
			}
		})
	}
	t.Run("stale", func(t *testing.T) {
		p := mustPosition(t, s, positionAt(org))
		if _, err := s.SetStatus(ctx, p.ID, 5, jobs.StatusClosed, jobs.Scope{}); !errors.Is(err, jobs.ErrPreconditionFailed) {
			t.Errorf("got %v, want ErrPreconditionFailed", err)
		}
	})
}

func TestDeletePosition(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	org := mustOrg(t, s)
	draft := positionAt(org)
	draft.Status = jobs.StatusDraft
	draft = mustPosition(t, s, draft)
	open := mustPosition(t, s, positionAt(org))

	if err := s.DeletePosition(ctx, open.ID, jobs.Scope{}); !errors.Is(err, jobs.ErrConflict) {
		t.Errorf("delete open: got %v, want ErrConflict", err)
	}
	if err := s.DeletePosition(ctx, draft.ID, jobs.Scope{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetPosition(ctx, draft.ID, jobs.Scope{}); !errors.Is(err, jobs.ErrNotFound) {
		t.Errorf("get deleted: got %v, want ErrNotFound", err)
	}
	if n := outboxCount(t, pool, draft.ID, "delete"); n != 1 {
		t.Errorf("outbox deletes %d, want 1", n)
	}
	if err := s.DeletePosition(ctx, draft.ID, jobs.Scope{}); !errors.Is(err, jobs.ErrNotFound) {
		t.Errorf("delete twice: got %v, want ErrNotFound", err)
	}
}

func TestOrgScopeIsolation(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	mine, theirs := mustOrg(t, s), mustOrg(t, s)
	p := mustPosition(t, s, positionAt(theirs))
	sc := jobs.Scope{OrgID: mine.ID}
	noop := func(*jobs.Position) error { return nil }

	tests := []struct {
		name string
		call func() error
	}{
		{"get position", func() error { _, err := s.GetPosition(ctx, p.ID, sc); return err }},
		{"update position", func() error { _, err := s.UpdatePosition(ctx, p.ID, 1, sc, noop); return err }},
		{"set status", func() error { _, err := s.SetStatus(ctx, p.ID, 1, jobs.StatusClosed, sc); return err }},
		{"delete position", func() error { return s.DeletePosition(ctx, p.ID, sc) }},
		{"versions", func() error { _, err := s.Versions(ctx, p.ID, sc); return err }},
		{"get organization", func() error { _, err := s.GetOrganization(ctx, theirs.ID, sc); return err }},
		{"update organization", func() error {
			_, err := s.UpdateOrganization(ctx, theirs.ID, 1, sc, func(*jobs.Organization) error { return nil })
			return err
		}},
		{"create position in their organization", func() error { _, err := s.CreatePosition(ctx, positionAt(theirs), sc); return err }},
		{"malformed id", func() error { _, err := s.GetPosition(ctx, "not-a-uuid", jobs.Scope{}); return err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, jobs.ErrNotFound) {
				t.Errorf("got %v, want ErrNotFound", err)
			}
		})
	}
	page, err := s.ListPositions(ctx, jobs.PositionFilter{}, sc)
	if err != nil || len(page.Items) != 0 {
		t.Errorf("scoped list: got %d items, %v; want none", len(page.Items), err)
	}
	if got, _ := s.GetPosition(ctx, p.ID, jobs.Scope{}); got.Version != 1 || got.Status != jobs.StatusOpen {
		t.Errorf("their position changed: version %d status %s", got.Version, got.Status)
	}
}

func TestListPositions(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	a, b := mustOrg(t, s), mustOrg(t, s)

	// 30 positions; the clock moves every third one so that pages split
	// rows that share created_at and the id tie-breaker is exercised.
	var all []jobs.Position
	for i := range 30 {
		s.Now = domaintest.Stopped(jobstest.Now.Add(time.Duration(i/3) * time.Minute))
		org := a
		if i%3 == 2 {
			org = b
		}
		p := positionAt(org)
		switch i % 5 {
		case 0:
			p.Status, p.ExpiresAt = jobs.StatusDraft, nil
		case 1:
			p.Credentials, p.Taxonomies = []taxonomy.Credential{taxonomy.NP}, []string{"363LF0000X"}
		case 2:
			p.EmploymentType, p.DurationWeeks = taxonomy.EmploymentTravel, ptr(13)
		case 3:
			p.LocationID, p.LicenceStates = org.Locations[1].ID, []string{"IL"}
		case 4:
			// Taxonomy lists of other shapes, so that the taxonomy filter's
			// answer differs from "has two codes" and from "all".
			if i%2 == 0 {
				p.Taxonomies = []string{"207R00000X"}
			} else {
				p.Taxonomies = []string{"207Q00000X", "208D00000X"}
			}
		}
		all = append(all, mustPosition(t, s, p))
	}

	tests := []struct {
		name   string
		filter jobs.PositionFilter
		scope  jobs.Scope
		match  func(p jobs.Position) bool
	}{
		{"all", jobs.PositionFilter{}, jobs.Scope{}, func(jobs.Position) bool { return true }},
		{"org filter", jobs.PositionFilter{OrgID: b.ID}, jobs.Scope{}, func(p jobs.Position) bool { return p.OrgID == b.ID }},
		{"org scope", jobs.PositionFilter{}, jobs.Scope{OrgID: a.ID}, func(p jobs.Position) bool { return p.OrgID == a.ID }},
		{"status", jobs.PositionFilter{Status: jobs.StatusDraft}, jobs.Scope{}, func(p jobs.Position) bool { return p.Status == jobs.StatusDraft }},
		{"credential", jobs.PositionFilter{Credential: taxonomy.NP}, jobs.Scope{}, func(p jobs.Position) bool { return p.Accepts(taxonomy.NP) }},
		{"taxonomy", jobs.PositionFilter{Taxonomy: "207R00000X"}, jobs.Scope{}, func(p jobs.Position) bool { return slices.Contains(p.Taxonomies, "207R00000X") }},
		{"state", jobs.PositionFilter{State: "IL"}, jobs.Scope{}, func(p jobs.Position) bool { return slices.Contains(p.LicenceStates, "IL") }},
		{"employment type", jobs.PositionFilter{EmploymentType: taxonomy.EmploymentTravel}, jobs.Scope{}, func(p jobs.Position) bool { return p.EmploymentType == taxonomy.EmploymentTravel }},
		{"combined", jobs.PositionFilter{OrgID: a.ID, Credential: taxonomy.MD, Status: jobs.StatusOpen}, jobs.Scope{}, func(p jobs.Position) bool {
			return p.OrgID == a.ID && p.Accepts(taxonomy.MD) && p.Status == jobs.StatusOpen
		}},
	}
	for _, tc := range tests {
		for _, limit := range []int{1, 4, 200} {
			t.Run(fmt.Sprintf("%s/limit %d", tc.name, limit), func(t *testing.T) {
				var want []string
				for i := len(all) - 1; i >= 0; i-- { // newest first
					if tc.match(all[i]) {
						want = append(want, all[i].ID)
					}
				}
				// A filter is only tested if the fixture has rows it keeps
				// and rows it drops: otherwise ignoring it would pass too.
				if tc.name != "all" && (len(want) == 0 || len(want) == len(all)) {
					t.Fatalf("filter keeps %d of %d positions; the fixture cannot tell it from no filter", len(want), len(all))
				}
				var got []string
				f := tc.filter
				f.Limit = limit
				for pages := 0; ; pages++ {
					if pages > len(all)+1 {
						t.Fatal("pagination does not end")
					}
					page, err := s.ListPositions(ctx, f, tc.scope)
					if err != nil {
						t.Fatal(err)
					}
					if len(page.Items) > limit {
						t.Fatalf("page of %d items, limit %d", len(page.Items), limit)
					}
					for _, p := range page.Items {
						got = append(got, p.ID)
					}
					if f.Cursor = page.NextCursor; f.Cursor == "" {
						break
					}
				}
				// Same created_at: ordered by id descending within the tie.
				sortWant := func(ids []string) []string {
					byID := map[string]jobs.Position{}
					for _, p := range all {
						byID[p.ID] = p
					}
					out := append([]string(nil), ids...)
					for i := 1; i < len(out); i++ {
						for j := i; j > 0; j-- {
							x, y := byID[out[j-1]], byID[out[j]]
							if x.CreatedAt.Before(y.CreatedAt) || (x.CreatedAt.Equal(y.CreatedAt) && x.ID < y.ID) {
								out[j-1], out[j] = out[j], out[j-1]
							}
						}
					}
					return out
				}
				if d := cmp.Diff(sortWant(want), got, equateEmpty); d != "" {
					t.Errorf("IDs across pages (-want +got):\n%s", d)
				}
			})
		}
	}

	t.Run("bad input", func(t *testing.T) {
		for _, f := range []jobs.PositionFilter{{Limit: 201}, {Limit: -1}, {Cursor: "garbage"}, {Status: "paused"}, {Credential: "LPN"}, {OrgID: "x"}} {
			_, err := s.ListPositions(ctx, f, jobs.Scope{})
			if errs.KindOf(err) != errs.Invalid {
				t.Errorf("filter %+v: got %v, want an invalid error", f, err)
			}
		}
	})
}

// TestListPositionsListedAt checks that ListedAt filters in SQL: with
// expired, listed and draft positions interleaved, every page but the last
// is full and following the cursors visits exactly the listed ones.
func TestListPositionsListedAt(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	org := mustOrg(t, s)
	at := jobstest.Now.Add(2 * time.Hour)
	var listed []string
	// e = expired at `at`, l = listed, d = draft; newest last.
	for i, kind := range "lelledleld" {
		s.Now = domaintest.Stopped(jobstest.Now.Add(time.Duration(i) * time.Second))
		p := positionAt(org)
		switch kind {
		case 'e':
			p.ExpiresAt = ptr(jobstest.Now.Add(time.Hour))
		case 'd':
			p.Status, p.ExpiresAt = jobs.StatusDraft, nil
		}
		p = mustPosition(t, s, p)
		if kind == 'l' {
			listed = append([]string{p.ID}, listed...) // newest first
		}
	}
	if len(listed) != 5 {
		t.Fatalf("setup: %d listed, want 5", len(listed))
	}
	var got []string
	f := jobs.PositionFilter{ListedAt: at, Limit: 2}
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("cursor does not end")
		}
		page, err := s.ListPositions(ctx, f, jobs.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		if page.NextCursor != "" && len(page.Items) != 2 {
			t.Errorf("page %d: got %d items before the last page, want 2", pages, len(page.Items))
		}
		for _, p := range page.Items {
			if !p.Listed(at) {
				t.Errorf("page %d: position %s (%s, expires %v) is not listed", pages, p.ID, p.Status, p.ExpiresAt)
			}
			got = append(got, p.ID)
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	if d := cmp.Diff(listed, got); d != "" {
		t.Errorf("listed positions (-want +got):\n%s", d)
	}
}

// TestDeleteOrganizationRevokesKeys checks that deleting an organisation
// revokes its recruiter keys in the same transaction, and no one else's.
func TestDeleteOrganizationRevokesKeys(t *testing.T) {
	s, pool := newStore(t)
	org, other := mustOrg(t, s), mustOrg(t, s)
	accessdbtest.CheckDeleteRevokes(t, pool, func(owner string) access.NewKey {
		return access.NewKey{Role: access.Recruiter, OrgID: owner}
	}, org.ID, other.ID, func() error { return s.DeleteOrganization(context.Background(), org.ID, jobs.Scope{}) })
}
func ptr[T any](v T) *T { return &v }
