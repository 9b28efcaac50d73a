package candidatesdb

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"carefit/access"
	"carefit/access/accessdb/accessdbtest"
	"carefit/candidates"
	"carefit/candidates/candidatestest"
	"carefit/internal/kit/check"
	"carefit/internal/kit/domaintest"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/storetest"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/platform/testenv"
)

// newStore returns a store on a fresh database whose clock stands at
// candidatestest.Now. The tests query the database through s.db.
func newStore(t *testing.T) *Store {
	t.Helper()
	s := NewStore(testenv.DB(t))
	s.Now = domaintest.Stopped(candidatestest.Now)
	return s
}

func mustProfile(t *testing.T, s *Store, p candidates.Profile) candidates.Profile {
	t.Helper()
	got, err := s.CreateProfile(context.Background(), p)
	if err != nil {
		t.Fatalf("create profile: %v", err)
	}
	return got
}

// outboxCount counts the outbox rows that record op on profile id.
func outboxCount(t *testing.T, s *Store, id, op string) int {
	t.Helper()
	return storetest.Outbox(t, s.db, "profile", id, op)
}

func TestProfileRoundTrip(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		mutate func(p *candidates.Profile)
	}{
		{"every field", func(p *candidates.Profile) {
			p.Wishes = candidates.Wishes{PanelMax: ptr(1800), VisitMinNew: ptr(40), VisitMinFollowUp: ptr(20), PatientsPerDayMax: ptr(20),
				ContinuityMin: ptr(60.0), ContinuityModels: []taxonomy.ContinuityModel{taxonomy.ContinuityAssignedPanel},
				InboxMax: ptr(200), MAsMin: ptr(1.5), ScribeWanted: ptr(true), TelehealthMin: ptr(0.0), TelehealthMax: ptr(30.0),
				NoCall: ptr(true), Settings: []taxonomy.Setting{taxonomy.SettingFQHC}, Populations: []taxonomy.Population{taxonomy.PopulationAdult},
				TeamBasedWanted: ptr(false)}
			p.PayFloor = candidates.PayFloor{Annual: ptr(240000.0), Hourly: ptr(0.0)}
			p.Licences = append(p.Licences, candidates.Licence{State: "MN", Number: "A-1", Expires: candidatestest.Day(2028, 1, 31)})
		}},
		{"no preferences stay unknown", func(p *candidates.Profile) {
			p.Wishes, p.Schedule, p.PayFloor = candidates.Wishes{}, candidates.ScheduleWish{}, candidates.PayFloor{}
			p.Importance, p.BoardCertifications, p.WillingToMoveStates = nil, nil, nil
			p.Contact.Phone, p.Name.Family = "", ""
		}},
		{"nurse without NPI", func(p *candidates.Profile) {
			candidatestest.Nurse(p)
			p.Licences = []candidates.Licence{{State: "WI", Number: "RN1", Expires: candidatestest.Day(2027, 1, 1), Multistate: true}}
			p.Wishes.PatientsPerNurseMax = ptr(4)
		}},
		{"no consent", func(p *candidates.Profile) { p.VisibleToRecruiters, p.ConsentUpdatedAt = false, nil }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := candidatestest.NewProfile()
			tc.mutate(&in)
			created, err := s.CreateProfile(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			want := in
			want.Version, want.CreatedAt, want.UpdatedAt = 1, candidatestest.Now, candidatestest.Now
			if d := cmp.Diff(want, created, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("created (-want +got):\n%s", d)
			}
			got, err := s.GetProfile(ctx, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(created, got); d != "" {
				t.Errorf("read back (-created +got):\n%s", d)
			}
			if n := outboxCount(t, s, in.ID, "upsert"); n != 1 {
				t.Errorf("outbox rows %d, want 1", n)
			}
		})
	}
	t.Run("consent at creation is stamped", func(t *testing.T) {
		in := candidatestest.NewProfile()
		in.ID, in.ConsentUpdatedAt = "", nil
		got := mustProfile(t, s, in)
		if !check.UUID(got.ID) || got.ConsentUpdatedAt == nil || !got.ConsentUpdatedAt.Equal(candidatestest.Now) {
			t.Errorf("got id %q consent %v, want a UUID and %v", got.ID, got.ConsentUpdatedAt, candidatestest.Now)
		}
	})
}

func TestCreateProfileErrors(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	existing := mustProfile(t, s, candidatestest.NewProfile())
	tests := []struct {
		name   string
		mutate func(p *candidates.Profile)
		field  string
		is     error
	}{
		{"duplicate NPI", func(p *candidates.Profile) { p.NPI = existing.NPI }, "", candidates.ErrConflict},
		{"duplicate ID", func(p *candidates.Profile) { p.ID = existing.ID }, "", candidates.ErrConflict},
		{"invalid", func(p *candidates.Profile) { p.Contact.Email = "nope" }, "contact.email", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := candidatestest.NewProfile()
			tc.mutate(&p)
			_, err := s.CreateProfile(ctx, p)
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("got %v, want %v", err, tc.is)
			}
			if tc.field != "" && !errs.HasField(err, tc.field) {
				t.Errorf("got %v, want a %s field error", err, tc.field)
			}
			if p.ID != existing.ID {
				if n := outboxCount(t, s, p.ID, "upsert"); n != 0 {
					t.Errorf("outbox rows after a failed create: %d, want 0", n)
				}
			}
		})
	}
}

func TestUpdateProfile(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	p := mustProfile(t, s, candidatestest.NewProfile())
	later := candidatestest.Now.Add(time.Hour)
	s.Now = domaintest.Stopped(later)

	var pp candidates.ProfilePatch
	pp.Wishes.Present, pp.Wishes.Value.PanelMax.Present, pp.Wishes.Value.PanelMax.Null = true, true, true
	pp.YearsExperience.Present, pp.YearsExperience.Value = true, 8
	pp.VisibleToRecruiters.Present = true // false: consent withdrawn
	got, err := s.PatchProfile(ctx, p.ID, 1, pp)
	if err != nil {
		t.Fatal(err)
	}
	want := p
	want.Wishes.PanelMax, want.YearsExperience, want.VisibleToRecruiters, want.ConsentUpdatedAt = nil, 8, false, &later
	want.Version, want.UpdatedAt = 2, later
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("updated (-want +got):\n%s", d)
	}
	read, _ := s.GetProfile(ctx, p.ID)
	if d := cmp.Diff(got, read); d != "" {
		t.Errorf("read back (-updated +read):\n%s", d)
	}

	t.Run("stale version leaves the row unchanged", func(t *testing.T) {
		_, err := s.UpdateProfile(ctx, p.ID, 1, func(q *candidates.Profile) error { q.YearsExperience = 30; return nil })
		if !errors.Is(err, candidates.ErrPreconditionFailed) {
			t.Errorf("got %v, want ErrPreconditionFailed", err)
		}
		after, _ := s.GetProfile(ctx, p.ID)
		if d := cmp.Diff(read, after); d != "" {
			t.Errorf("row changed (-before +after):\n%s", d)
		}
	})
	t.Run("failed update writes no outbox row", func(t *testing.T) {
		other := mustProfile(t, s, candidatestest.NewProfile())
		before := outboxCount(t, s, p.ID, "upsert")
		_, err := s.UpdateProfile(ctx, p.ID, 2, func(q *candidates.Profile) error { q.NPI = other.NPI; return nil })
		if !errors.Is(err, candidates.ErrConflict) {
			t.Errorf("got %v, want ErrConflict", err)
		}
		_, err = s.UpdateProfile(ctx, p.ID, 2, func(q *candidates.Profile) error { q.YearsExperience = -1; return nil })
		if !errs.HasField(err, "years_experience") {
			t.Errorf("got %v, want a years_experience field error", err)
		}
		if n := outboxCount(t, s, p.ID, "upsert"); n != before {
			t.Errorf("outbox rows %d, want %d", n, before)
		}
	})
	t.Run("not found", func(t *testing.T) {
		for _, id := range []string{uuid.NewString(), "x"} {
			if _, err := s.UpdateProfile(ctx, id, 1, func(*candidates.Profile) error { return nil }); !errors.Is(err, candidates.ErrNotFound) {
				t.Errorf("update %q: got %v, want ErrNotFound", id, err)
			}
		}
	})
}

func TestConcurrentProfileUpdates(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	p := mustProfile(t, s, candidatestest.NewProfile())
	storetest.CheckOneWins(t, 2, candidates.ErrPreconditionFailed, func(i int) error {
		_, err := s.UpdateProfile(ctx, p.ID, 1, func(q *candidates.Profile) error { q.YearsExperience = 10 + i; return nil })
		return err
	})
}

func TestSetConsentAndDelete(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	p := mustProfile(t, s, candidatestest.NewProfile())
	later := candidatestest.Now.Add(time.Minute)
	s.Now = domaintest.Stopped(later)

	same, err := s.SetConsent(ctx, p.ID, true)
	if err != nil || same.Version != 1 {
		t.Errorf("unchanged consent: version %d, %v; want 1", same.Version, err)
	}
	got, err := s.SetConsent(ctx, p.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if got.VisibleToRecruiters || got.Version != 2 || got.ConsentUpdatedAt == nil || !got.ConsentUpdatedAt.Equal(later) {
		t.Errorf("got visible %v version %d consent %v, want false, 2, %v", got.VisibleToRecruiters, got.Version, got.ConsentUpdatedAt, later)
	}
	read, _ := s.GetProfile(ctx, p.ID)
	if d := cmp.Diff(got, read); d != "" {
		t.Errorf("read back (-set +read):\n%s", d)
	}
	if n := outboxCount(t, s, p.ID, "upsert"); n != 2 {
		t.Errorf("outbox upserts %d, want 2", n)
	}
	if _, err := s.SetConsent(ctx, uuid.NewString(), true); !errors.Is(err, candidates.ErrNotFound) {
		t.Errorf("consent of missing profile: got %v, want ErrNotFound", err)
	}

	if err := s.DeleteProfile(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetProfile(ctx, p.ID); !errors.Is(err, candidates.ErrNotFound) {
		t.Errorf("get deleted: got %v, want ErrNotFound", err)
	}
	if n := outboxCount(t, s, p.ID, "delete"); n != 1 {
		t.Errorf("outbox deletes %d, want 1", n)
	}
	if err := s.DeleteProfile(ctx, p.ID); !errors.Is(err, candidates.ErrNotFound) {
		t.Errorf("delete twice: got %v, want ErrNotFound", err)
	}
}

func TestListProfiles(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	var all []candidates.Profile
	for i := range 24 {
		s.Now = domaintest.Stopped(candidatestest.Now.Add(time.Duration(i/4) * time.Second))
		p := candidatestest.NewProfile()
		switch i % 4 {
		case 0:
			candidatestest.Nurse(&p)
			p.Licences = []candidates.Licence{{State: "TX", Number: "RN1", Expires: candidatestest.Day(2027, 1, 1), Multistate: true}}
		case 1:
			p.VisibleToRecruiters, p.ConsentUpdatedAt = false, nil
		case 2:
			p.Taxonomies = []string{"207R00000X"}
			p.BoardCertifications = nil
			p.Licences = []candidates.Licence{{State: "MN", Number: "M1", Expires: candidatestest.Day(2027, 1, 1)}}
		}
		all = append(all, mustProfile(t, s, p))
	}
	hasLicence := func(st string) func(candidates.Profile) bool {
		return func(p candidates.Profile) bool { return p.LicensedIn(st, candidatestest.Day(2026, 6, 1)) }
	}
	tests := []struct {
		name   string
		filter candidates.ProfileFilter
		match  func(candidates.Profile) bool
	}{
		{"all", candidates.ProfileFilter{}, func(candidates.Profile) bool { return true }},
		{"credential", candidates.ProfileFilter{Credential: taxonomy.RN}, func(p candidates.Profile) bool { return p.Credential == taxonomy.RN }},
		{"taxonomy", candidates.ProfileFilter{Taxonomy: "207R00000X"}, func(p candidates.Profile) bool { return p.Taxonomies[0] == "207R00000X" }},
		{"licensed in WI (compact state)", candidates.ProfileFilter{LicensedIn: "WI"}, hasLicence("WI")},
		{"licensed in MN", candidates.ProfileFilter{LicensedIn: "MN"}, hasLicence("MN")},
		{"visible only", candidates.ProfileFilter{VisibleOnly: true}, func(p candidates.Profile) bool { return p.VisibleToRecruiters }},
		{"combined", candidates.ProfileFilter{Credential: taxonomy.MD, VisibleOnly: true, LicensedIn: "WI"}, func(p candidates.Profile) bool {
			return p.Credential == taxonomy.MD && p.VisibleToRecruiters && hasLicence("WI")(p)
		}},
	}
	for _, tc := range tests {
		for _, limit := range []int{1, 5, 200} {
			t.Run(fmt.Sprintf("%s/limit %d", tc.name, limit), func(t *testing.T) {
				want := map[string]bool{}
				for _, p := range all {
					if tc.match(p) {
						want[p.ID] = true
					}
				}
				f := tc.filter
				f.Limit = limit
				seen := map[string]bool{}
				var last *candidates.Profile
				for pages := 0; ; pages++ {
					if pages > len(all)+1 {
						t.Fatal("pagination does not end")
					}
					page, err := s.ListProfiles(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					for i, p := range page.Items {
						if seen[p.ID] {
							t.Errorf("duplicate %s", p.ID)
						}
						seen[p.ID] = true
						if last != nil && (p.CreatedAt.After(last.CreatedAt) || (p.CreatedAt.Equal(last.CreatedAt) && p.ID > last.ID)) {
							t.Errorf("out of order: %s after %s", p.ID, last.ID)
						}
						last = &page.Items[i]
					}
					if f.Cursor = page.NextCursor; f.Cursor == "" {
						break
					}
				}
				if d := cmp.Diff(want, seen, cmpopts.EquateEmpty()); d != "" {
					t.Errorf("IDs across pages (-want +got):\n%s", d)
				}
			})
		}
	}
	for _, f := range []candidates.ProfileFilter{{Limit: 500}, {Cursor: "!"}, {Credential: "LPN"}, {LicensedIn: "XX"}} {
		if _, err := s.ListProfiles(ctx, f); errs.KindOf(err) != errs.Invalid {
			t.Errorf("filter %+v: got %v, want an invalid error", f, err)
		}
	}
}

// TestDeleteProfileRevokesKeys checks that deleting a profile revokes its
// clinician keys in the same transaction, and no one else's.
func TestDeleteProfileRevokesKeys(t *testing.T) {
	s := newStore(t)
	p, other := mustProfile(t, s, candidatestest.NewProfile()), mustProfile(t, s, candidatestest.NewProfile())
	accessdbtest.CheckDeleteRevokes(t, s.db, func(owner string) access.NewKey {
		return access.NewKey{Role: access.Clinician, ProfileID: owner}
	}, p.ID, other.ID, func() error { return s.DeleteProfile(context.Background(), p.ID) })
}
func ptr[T any](v T) *T { return &v }
