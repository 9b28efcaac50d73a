package ndjson

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"carefit/internal/kit/jsonx"
)

func TestReaderLines(t *testing.T) {
	long := strings.Repeat("x", MaxLineBytes+3) // over the limit, even with room for "\r\n"
	input := "{\"a\":1}\r\n\n" + long + "\n{\"b\":2}"
	lr := NewReader(strings.NewReader(input))
	type got struct {
		line    string
		tooLong bool
		n       int
	}
	want := []got{{`{"a":1}`, false, 1}, {"", false, 2}, {"", true, 3}, {`{"b":2}`, false, 4}}
	for i, w := range want {
		line, tooLong, err := lr.Next()
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if g := (got{string(line), tooLong, lr.Line()}); g != w {
			t.Fatalf("line %d: got %d bytes, too long %v, number %d; want %+v", i+1, len(line), tooLong, lr.Line(), w)
		}
	}
	if _, _, err := lr.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("after the last line: %v, want io.EOF", err)
	}
	if lr.Bytes() != int64(len(input)) {
		t.Fatalf("bytes read %d, want %d", lr.Bytes(), len(input))
	}
}

func TestDecodeLine(t *testing.T) {
	type rec struct {
		Name string    `json:"name"`
		At   time.Time `json:"at"`
		N    int       `json:"n"`
	}
	shadow := func(r *rec) any {
		type plain rec
		return &struct {
			*plain
			At jsonx.TimeRef `json:"at"`
		}{(*plain)(r), jsonx.TimeRef{T: &r.At}}
	}
	tests := []struct {
		line, field, msg string
	}{
		{`{"name":"a","at":"2026-01-02T00:00:00Z","n":1}`, "", ""},
		{`{"name":"a","shoe":9}`, "shoe", "unknown field"},
		{`{"n":"x"}`, "n", "must not be a JSON string"},
		{`{"at":"monday"}`, "at", "must be an RFC 3339 date-time"},
		{`{"name":"a"} {}`, "", "unexpected data after the JSON object"},
		{`{"name":]}`, "", "invalid JSON"},
		{`{"name":`, "", "unexpected EOF"},
	}
	for _, tc := range tests {
		var r rec
		le := DecodeLine([]byte(tc.line), shadow(&r))
		switch {
		case tc.msg == "" && le != nil:
			t.Errorf("%s: unexpected error %+v", tc.line, *le)
		case tc.msg != "" && (le == nil || le.Field != tc.field || !strings.Contains(le.Message, tc.msg)):
			t.Errorf("%s: got %+v, want field %q and a message with %q", tc.line, le, tc.field, tc.msg)
		}
	}
}

func TestReportCapsErrors(t *testing.T) {
	var r Report
	for i := range MaxErrors + 5 {
		r.Reject(i+1, LineError{Message: "bad"})
	}
	if r.Rejected != MaxErrors+5 || len(r.Errors) != MaxErrors || r.Errors[0].Line != 1 {
		t.Fatalf("rejected %d, listed %d (first line %d), want %d, %d, 1", r.Rejected, len(r.Errors), r.Errors[0].Line, MaxErrors+5, MaxErrors)
	}
}

func TestReadOnly(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{`{"taxonomies":["207Q00000X"]}`, false},
		{`{"specialties":[]}`, true},
		{`{"a":1, "specialties": null}`, true},
		{`{"note":"\"specialties\" are named by the server"}`, false}, // in a value, not a member
		{`{"nested":{"specialties":[]}}`, false},
		{`{"specialties":`, false}, // not an object: DecodeLine says so
	} {
		le := ReadOnly([]byte(tc.line), "specialties", "is read-only")
		if (le != nil) != tc.want {
			t.Errorf("%s: got %+v, want an error %v", tc.line, le, tc.want)
		}
		if le != nil && (le.Field != "specialties" || le.Message != "is read-only") {
			t.Errorf("%s: got %+v", tc.line, le)
		}
	}
}
