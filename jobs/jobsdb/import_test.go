package jobsdb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"carefit/internal/kit/domaintest"
	"carefit/jobs"
	"carefit/jobs/jobstest"
)

func positionLine(t *testing.T, p jobs.Position) string {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestImportPositions(t *testing.T) {
	for _, atomic := range []bool{false, true} {
		t.Run(fmt.Sprintf("atomic=%v", atomic), func(t *testing.T) {
			s, pool := newStore(t)
			ctx := context.Background()
			org, other := mustOrg(t, s), mustOrg(t, s)
			stored := mustPosition(t, s, positionAt(org))

			importable := func() jobs.Position {
				p := positionAt(org)
				p.ID, p.OrgID, p.Version = "", "", 0
				return p
			}
			good1, good2 := importable(), importable()
			good2.LocationID = org.Locations[1].ID
			good2.LicenceStates = nil // defaults to IL
			otherLoc := importable()
			otherLoc.LocationID = other.Locations[0].ID
			otherOrg := importable()
			otherOrg.OrgID = other.ID
			badPay := importable()
			badPay.Pay.Min = 1e7
			taken := importable()
			taken.ID = stored.ID
			withID := importable()
			withID.ID = uuid.NewString()
			dupID := importable()
			dupID.ID = withID.ID

			input := strings.Join([]string{
				positionLine(t, good1),                          // 1
				positionLine(t, otherLoc),                       // 2
				positionLine(t, otherOrg),                       // 3
				positionLine(t, badPay),                         // 4
				`{"title": "x", "status": "open", "salary": 1}`, // 5
				"",                      // 6
				positionLine(t, good2),  // 7
				positionLine(t, withID), // 8
				positionLine(t, dupID),  // 9
				positionLine(t, taken),  // 10
				// 11: specialties is read-only (named from taxonomies)
				strings.Replace(positionLine(t, importable()), "{", `{"specialties":[{"code":"207Q00000X","name":"Family Medicine"}],`, 1),
			}, "\n") + "\n"
			want := []jobs.LineError{
				{Line: 2, Field: "location_id"},
				{Line: 3, Field: "org_id"},
				{Line: 4, Field: "pay.min"},
				{Line: 5, Field: "salary"},
				{Line: 9, Field: "id"},
				{Line: 11, Field: "specialties"},
				{Line: 10, Field: "id"}, // found when the chunk is loaded
			}
			wantImported := 3
			if atomic {
				want, wantImported = want[:6], 0 // loading stops at the first bad line
			}
			rep, err := ImportPositions(ctx, pool, org.ID, strings.NewReader(input), jobs.ImportOptions{
				Atomic: atomic, Now: domaintest.Stopped(jobstest.Now), KeyID: uuid.NewString(),
			})
			if err != nil {
				t.Fatal(err)
			}
			var got []jobs.LineError
			for _, e := range rep.Errors {
				got = append(got, jobs.LineError{Line: e.Line, Field: e.Field})
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("errors (-want +got):\n%s\nfull: %+v", d, rep.Errors)
			}
			if rep.Lines != 11 || rep.Imported != wantImported || rep.Rejected != len(want) {
				t.Errorf("got lines %d imported %d rejected %d, want 11, %d, %d", rep.Lines, rep.Imported, rep.Rejected, wantImported, len(want))
			}
			page, err := s.ListPositions(ctx, jobs.PositionFilter{OrgID: org.ID}, jobs.Scope{})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != 1+wantImported {
				t.Fatalf("positions stored %d, want %d", len(page.Items), 1+wantImported)
			}
			for _, p := range page.Items {
				if p.ID == stored.ID {
					continue
				}
				if p.Status != jobs.StatusOpen || p.Version != 1 || !p.CreatedAt.Equal(jobstest.Now) {
					t.Errorf("imported %s: status %s version %d created %v", p.ID, p.Status, p.Version, p.CreatedAt)
				}
				if p.LocationID == org.Locations[1].ID && !cmp.Equal(p.LicenceStates, []string{"IL"}) {
					t.Errorf("licence states %v, want the default [IL]", p.LicenceStates)
				}
				vs, err := s.Versions(ctx, p.ID, jobs.Scope{})
				if err != nil || len(vs) != 1 || vs[0].ChangedByKey == "" {
					t.Errorf("versions of %s: %+v, %v; want one with the key", p.ID, vs, err)
				}
				if n := outboxCount(t, pool, p.ID, "upsert"); n != 1 {
					t.Errorf("outbox rows for %s: %d, want 1", p.ID, n)
				}
			}
		})
	}
	t.Run("unknown organisation", func(t *testing.T) {
		_, pool := newStore(t)
		_, err := ImportPositions(context.Background(), pool, uuid.NewString(), strings.NewReader(""), jobs.ImportOptions{})
		if !errors.Is(err, jobs.ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
	})
}
