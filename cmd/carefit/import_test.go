package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"carefit/candidates"
)

func TestImportPrintsASummaryNotEveryError(t *testing.T) {
	rep := candidates.ImportReport{Lines: 30, Imported: 5, Rejected: 25}
	for i := range 25 {
		le := candidates.LineError{Line: i + 2, Field: "npi", Message: "fails the check digit"}
		if i == 0 {
			le = candidates.LineError{Line: 2, Message: "invalid JSON"}
		}
		rep.Errors = append(rep.Errors, le)
	}
	tests := []struct {
		name, report, wantTail string
	}{
		{"without a report", "", "… and 5 more errors (run again with -report FILE to see them all)"},
		{"with a report", "r.json", "… and 5 more errors (all are in r.json)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			printLineErrors(&buf, rep, tc.report)
			lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
			if len(lines) != shownLineErrors+1 {
				t.Fatalf("got %d lines, want %d errors and a tail:\n%s", len(lines), shownLineErrors, buf.String())
			}
			if lines[0] != "  line 2: invalid JSON" {
				t.Errorf("a whole-line error reads %q, want %q", lines[0], "  line 2: invalid JSON")
			}
			if want := fmt.Sprintf("  line %d, npi: fails the check digit", 3); lines[1] != want {
				t.Errorf("a field error reads %q, want %q", lines[1], want)
			}
			if got := lines[len(lines)-1]; got != "  "+tc.wantTail {
				t.Errorf("tail %q, want %q", got, "  "+tc.wantTail)
			}
		})
	}
}

func TestImportReportFileHoldsEveryError(t *testing.T) {
	rep := candidates.ImportReport{Lines: 3, Rejected: 2, Errors: []candidates.LineError{{Line: 1, Message: "a"}, {Line: 3, Field: "x", Message: "b"}}}
	path := filepath.Join(t.TempDir(), "report.json")
	if err := writeReport(path, rep); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got candidates.ImportReport
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	if got.Rejected != 2 || len(got.Errors) != 2 || got.Errors[1].Field != "x" {
		t.Errorf("got %+v, want %+v", got, rep)
	}
}
