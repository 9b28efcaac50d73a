package candidatesdb

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"carefit/candidates"
	"carefit/candidates/candidatestest"
	"carefit/internal/kit/domaintest"
)

func countRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportProfiles(t *testing.T) {
	stored := candidatestest.NewProfile()
	good1, good2, good3 := candidatestest.Importable(), candidatestest.Importable(), candidatestest.Importable()
	named := candidatestest.Importable()
	badEmail := candidatestest.Importable()
	badEmail.Contact.Email = "x"
	dupNPI := candidatestest.Importable()
	dupNPI.NPI = good1.NPI
	takenNPI := candidatestest.Importable()
	takenNPI.NPI = stored.NPI

	lines := []string{
		candidatestest.Line(t, good1),    // 1
		"",                               // 2: blank, skipped
		candidatestest.Line(t, badEmail), // 3
		`{"name": {"given": "A"}, "shoe_size": 9}`,                        // 4
		`{"years_experience": "many"}`,                                    // 5
		`{"name": `,                                                       // 6
		candidatestest.Line(t, good2) + "\r",                              // 7: CRLF is fine
		candidatestest.Line(t, dupNPI),                                    // 8
		candidatestest.Line(t, takenNPI),                                  // 9
		`{"name": {"given": "A"}} {}`,                                     // 10
		`"` + strings.Repeat("x", candidates.MaxImportLineBytes+10) + `"`, // 11
		// 12: specialties is read-only (named from taxonomies)
		strings.Replace(candidatestest.Line(t, named), "{", `{"specialties":[{"code":"207Q00000X","name":"Family Medicine"}],`, 1),
		candidatestest.Line(t, good3), // 13, no final newline
	}
	input := strings.Join(lines, "\n")
	wantErrs := []candidates.LineError{
		{Line: 3, Field: "contact.email"},
		{Line: 4, Field: "shoe_size"},
		{Line: 5, Field: "years_experience"},
		{Line: 6},
		{Line: 8, Field: "npi"},
		{Line: 10},
		{Line: 11},
		{Line: 12, Field: "specialties"},
		{Line: 9, Field: "npi"}, // found when the chunk is loaded
	}

	for _, atomic := range []bool{false, true} {
		t.Run(fmt.Sprintf("atomic=%v", atomic), func(t *testing.T) {
			s := newStore(t)
			mustProfile(t, s, stored)
			var progress []int
			rep, err := ImportProfiles(context.Background(), s.db, strings.NewReader(input), candidates.ImportOptions{
				Atomic: atomic, Now: domaintest.Stopped(candidatestest.Now), Chunk: 2,
				Progress: func(lines int, _ int64) { progress = append(progress, lines) },
			})
			if err != nil {
				t.Fatal(err)
			}
			want := wantErrs
			if atomic {
				// Loading stops at the first rejected line, so the
				// conflict with a stored NPI is never looked for.
				want = wantErrs[:len(wantErrs)-1]
			}
			var got []candidates.LineError
			for _, e := range rep.Errors {
				if e.Message == "" {
					t.Errorf("line %d field %q has no message", e.Line, e.Field)
				}
				got = append(got, candidates.LineError{Line: e.Line, Field: e.Field})
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("errors (-want +got):\n%s\nfull: %+v", d, rep.Errors)
			}
			wantImported := 3
			if atomic {
				wantImported = 0
			}
			if rep.Lines != 13 || rep.Rejected != len(want) || rep.Imported != wantImported {
				t.Errorf("got lines %d rejected %d imported %d, want 13, %d, %d", rep.Lines, rep.Rejected, rep.Imported, len(want), wantImported)
			}
			if n := countRows(t, s, "profiles"); n != 1+wantImported {
				t.Errorf("profiles stored %d, want %d", n, 1+wantImported)
			}
			if n := countRows(t, s, "outbox"); n != 1+wantImported {
				t.Errorf("outbox rows %d, want %d", n, 1+wantImported)
			}
			if !atomic && len(progress) == 0 {
				t.Error("progress never reported")
			}
			if atomic {
				return
			}
			page, err := s.ListProfiles(context.Background(), candidates.ProfileFilter{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Items {
				if p.NPI != good1.NPI {
					continue
				}
				want := good1
				want.ID, want.Version, want.CreatedAt, want.UpdatedAt = p.ID, 1, candidatestest.Now, candidatestest.Now
				normProfile(&want)
				if d := cmp.Diff(want, p); d != "" {
					t.Errorf("imported profile (-want +got):\n%s", d)
				}
			}
		})
	}
}

// TestImportProfilesOrderAcrossJobs imports more lines than one parse job
// holds, in small chunks, with bad lines, blank lines and duplicates
// spread across job and chunk boundaries: errors come in line order, a
// duplicate names the earlier line, and every good line is stored.
func TestImportProfilesOrderAcrossJobs(t *testing.T) {
	s := newStore(t)
	lines := make([]string, 3*parseJobLines+17)
	for i := range lines {
		lines[i] = candidatestest.Line(t, candidatestest.Importable()) // each with its own NPI
	}
	var want []candidates.LineError
	bad := 0
	for i := range lines {
		n := i + 1
		switch {
		case n%97 == 0:
			lines[i] = `{"name": 5}`
			want = append(want, candidates.LineError{Line: n, Field: "name"})
			bad++
		case n%131 == 0:
			lines[i] = ""
		case n%101 == 0 && n > 1:
			lines[i] = lines[0] // same NPI as line 1 (line 1 has no ID, so only the NPI clashes)
			want = append(want, candidates.LineError{Line: n, Field: "npi"})
			bad++
		}
	}
	var good int
	for _, l := range lines {
		if l != "" {
			good++
		}
	}
	good -= bad
	rep, err := ImportProfiles(context.Background(), s.db, strings.NewReader(strings.Join(lines, "\n")+"\n"), candidates.ImportOptions{Chunk: 50})
	if err != nil {
		t.Fatal(err)
	}
	got := make([]candidates.LineError, len(rep.Errors))
	for i, e := range rep.Errors {
		got[i] = candidates.LineError{Line: e.Line, Field: e.Field}
		if e.Field == "npi" && e.Message != "duplicates line 1" {
			t.Errorf("line %d: message %q, want duplicates line 1", e.Line, e.Message)
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
	if rep.Lines != len(lines) || rep.Imported != good || rep.Rejected != bad {
		t.Errorf("report: got %d lines, %d imported, %d rejected; want %d, %d, %d", rep.Lines, rep.Imported, rep.Rejected, len(lines), good, bad)
	}
	if n := countRows(t, s, "profiles"); n != good {
		t.Errorf("profiles stored: got %d, want %d", n, good)
	}
}

// TestImportedProfilesReadBack imports profiles that use every column
// (empty and full lists, a null consent time, negative coordinates, a
// multistate licence) and reads them back:
// the binary COPY encoding must store exactly what the store writes.
func TestImportedProfilesReadBack(t *testing.T) {
	s := newStore(t)
	full := candidatestest.Importable()
	full.ID = uuid.NewString()
	full.Licences = append(full.Licences, candidates.Licence{State: "MN", Number: "MN-9", Expires: candidatestest.Day(2031, 2, 28)})
	nlc := candidatestest.Importable()
	candidatestest.Nurse(&nlc)
	nlc.ID = uuid.NewString()
	nlc.Licences = append(nlc.Licences, candidates.Licence{State: "TX", Number: "RN-9", Expires: candidatestest.Day(2031, 2, 28), Multistate: true})
	bare := candidatestest.Importable()
	candidatestest.Nurse(&bare)
	bare.ID, bare.NPI = uuid.NewString(), ""
	bare.BoardCertifications, bare.Languages, bare.EHRsUsed, bare.EHRsAvoid, bare.WillingToMoveStates = nil, nil, nil, nil, nil
	bare.VisibleToRecruiters, bare.ConsentUpdatedAt, bare.Importance = false, nil, nil
	bare.Home.Lat, bare.Home.Lng, bare.Home.PostalCode = 19.7, -155.08, ""
	bare.AvailableFrom = candidatestest.Day(2026, 2, 28)
	consenting := candidatestest.Importable()
	consenting.ID, consenting.ConsentUpdatedAt = uuid.NewString(), nil // stamped with the import's time
	backdated := candidatestest.Importable()
	old := candidatestest.Day(2001, 1, 1)
	backdated.ID, backdated.ConsentUpdatedAt = uuid.NewString(), &old // the server's time wins
	withdrawn := candidatestest.Importable()
	withdrawn.ID, withdrawn.VisibleToRecruiters, withdrawn.ConsentUpdatedAt = uuid.NewString(), false, &old
	want := []candidates.Profile{full, nlc, bare, consenting, backdated, withdrawn}
	var lines []string
	for _, p := range want {
		lines = append(lines, candidatestest.Line(t, p))
	}
	rep, err := ImportProfiles(context.Background(), s.db, strings.NewReader(strings.Join(lines, "\n")), candidates.ImportOptions{Now: domaintest.Stopped(candidatestest.Now)})
	if err != nil || rep.Imported != len(want) {
		t.Fatalf("imported %d of %d, errors %v, err %v", rep.Imported, len(want), rep.Errors, err)
	}
	now := candidatestest.Now.UTC().Truncate(time.Microsecond)
	for _, p := range want {
		p.Version, p.CreatedAt, p.UpdatedAt = 1, now, now
		p.ConsentUpdatedAt = nil
		if p.VisibleToRecruiters {
			p.ConsentUpdatedAt = &now
		}
		normProfile(&p)
		got, err := s.GetProfile(context.Background(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(p, got); d != "" {
			t.Errorf("profile %s read back (-imported +stored):\n%s", p.ID, d)
		}
		var states []string
		var multistate bool
		if err := s.db.QueryRow(context.Background(), `SELECT licence_states, multistate FROM profiles WHERE id = $1`, p.ID).Scan(&states, &multistate); err != nil {
			t.Fatal(err)
		}
		wantStates, wantMulti := licenceStates(p)
		if !slices.Equal(states, wantStates) || multistate != wantMulti {
			t.Errorf("derived columns %v %v, want %v %v", states, multistate, wantStates, wantMulti)
		}
	}
}

// TestTupleReader checks that the COPY stream is the header, every tuple
// and the trailer, whatever the reads' sizes.
func TestTupleReader(t *testing.T) {
	rows := [][]byte{[]byte("first"), {}, []byte("second row"), []byte("3")}
	want := string(copyHeader) + "firstsecond row3" + string(copyTrailer)
	for _, size := range []int{1, 3, 7, 64} {
		r := &tupleReader{rows: rows}
		var got []byte
		buf := make([]byte, size)
		for {
			n, err := r.Read(buf)
			got = append(got, buf[:n]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if string(got) != want {
			t.Errorf("reads of %d: got %q, want %q", size, got, want)
		}
	}
}
