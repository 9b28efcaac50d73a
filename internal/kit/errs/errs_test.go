package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestKindOfFindsTheClassifiedError(t *testing.T) {
	cause := errors.New(`ERROR: duplicate key value violates unique constraint "positions_pkey" (SQLSTATE 23505)`)
	conflict := Wrap("jobs.CreatePosition", Conflict, cause, "a position with this ID already exists")
	tests := []struct {
		name    string
		err     error
		kind    Kind
		message string
	}{
		{"plain error", errors.New("boom"), Internal, ""},
		{"classified", conflict, Conflict, "a position with this ID already exists"},
		{"wrapped by fmt", fmt.Errorf("create: %w", conflict), Conflict, "a position with this ID already exists"},
		{"internal wrapping a classified one", Internalf("app.Create", conflict), Conflict, "a position with this ID already exists"},
		{"internal only", Internalf("app.Create", cause), Internal, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := KindOf(tc.err); got != tc.kind {
				t.Errorf("KindOf: got %v, want %v", got, tc.kind)
			}
			if got := Message(tc.err); got != tc.message {
				t.Errorf("Message: got %q, want %q", got, tc.message)
			}
		})
	}
}

func TestIsMatchesKindAndOpPrefix(t *testing.T) {
	sentinel := E("jobs", NotFound, "no such record")
	err := fmt.Errorf("get: %w", E("jobs.GetPosition", NotFound, "no such position"))
	tests := []struct {
		name   string
		target error
		want   bool
	}{
		{"package sentinel", sentinel, true},
		{"bare kind", Of(NotFound), true},
		{"other kind", Of(Conflict), false},
		{"other package", E("candidates", NotFound, ""), false},
		{"same op", E("jobs.GetPosition", NotFound, ""), true},
	}
	for _, tc := range tests {
		if got := errors.Is(err, tc.target); got != tc.want {
			t.Errorf("%s: errors.Is got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestErrorTextKeepsCauseForLogsOnly(t *testing.T) {
	cause := errors.New("pg detail")
	e := Wrap("op", Conflict, cause, "taken")
	if got, want := e.Error(), "op: conflict: taken: pg detail"; got != want {
		t.Errorf("Error(): got %q, want %q", got, want)
	}
	if Message(e) != "taken" {
		t.Errorf("Message must not carry the cause: %q", Message(e))
	}
	if !errors.Is(e, cause) {
		t.Error("the cause must stay reachable for errors.Is")
	}
}

func TestValidationMergeAndErr(t *testing.T) {
	var v Validation
	if v.Err() != nil {
		t.Fatal("an empty validation must be a nil error")
	}
	var inner Validation
	inner.Add("number", "is required")
	inner.Add("[0].state", "unknown")
	v.Merge("licences[1]", inner.Err())
	v.Merge("home", errors.New("raw library text"))
	v.Merge("pay", E("x", Invalid, "is out of range"))
	err := v.Err()
	want := []Field{
		{"licences[1].number", "is required"},
		{"licences[1][0].state", "unknown"},
		{"home", "is not valid"},
		{"pay", "is out of range"},
	}
	got := Fields(err)
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d: got %v, want %v", i, got[i], want[i])
		}
	}
	if KindOf(err) != Invalid || !HasField(err, "pay") || HasField(err, "nope") {
		t.Errorf("kind %v, fields %v", KindOf(err), got)
	}
}

func TestEveryKindHasAName(t *testing.T) {
	seen := map[string]Kind{}
	for _, k := range Kinds() {
		name := k.String()
		if name == "" || name == fmt.Sprintf("kind(%d)", k) {
			t.Errorf("kind %d has no name", k)
		}
		if prev, dup := seen[name]; dup {
			t.Errorf("kinds %d and %d share the name %q", prev, k, name)
		}
		seen[name] = k
	}
}

func TestCodeNamesTheRule(t *testing.T) {
	limit := &Error{Op: "intro.Request", Kind: RateLimited, Code: "introduction_daily_limit", Message: "at most 50 a day"}
	err := fmt.Errorf("request: %w", limit)
	if got := Code(err); got != "introduction_daily_limit" {
		t.Errorf("Code: got %q, want introduction_daily_limit", got)
	}
	if !errors.Is(err, &Error{Kind: RateLimited, Code: "introduction_daily_limit"}) {
		t.Error("errors.Is with the same code: got false, want true")
	}
	if errors.Is(err, &Error{Kind: RateLimited, Code: "another_limit"}) {
		t.Error("errors.Is with another code: got true, want false")
	}
	if !errors.Is(err, Of(RateLimited)) {
		t.Error("errors.Is with a bare kind: got false, want true")
	}
	if got, want := limit.Error(), "intro.Request: rate limited (introduction_daily_limit): at most 50 a day"; got != want {
		t.Errorf("Error: got %q, want %q", got, want)
	}
	if got := Code(errors.New("plain")); got != "" {
		t.Errorf("Code of a plain error: got %q, want none", got)
	}
}
