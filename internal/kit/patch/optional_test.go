package patch

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

type doc struct {
	N Optional[int]      `json:"n,omitzero"`
	S Optional[[]string] `json:"s,omitzero"`
}

func TestOptionalDecode(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		wantPresent bool
		wantNull    bool
		wantValue   int
	}{
		{"absent", `{}`, false, false, 0},
		{"null", `{"n":null}`, true, true, 0},
		{"zero", `{"n":0}`, true, false, 0},
		{"value", `{"n":42}`, true, false, 42},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d doc
			if err := json.Unmarshal([]byte(tc.in), &d); err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if d.N.Present != tc.wantPresent || d.N.Null != tc.wantNull || d.N.Value != tc.wantValue {
				t.Errorf("got %+v, want present=%v null=%v value=%v", d.N, tc.wantPresent, tc.wantNull, tc.wantValue)
			}
		})
	}
}

func TestOptionalDecodeWrongType(t *testing.T) {
	var d doc
	if err := json.Unmarshal([]byte(`{"n":"x"}`), &d); err == nil {
		t.Errorf("got nil error, want a type error")
	}
}

func TestOptionalDecodeRejectsUnknownNested(t *testing.T) {
	var o Optional[struct {
		A int `json:"a"`
	}]
	if err := json.Unmarshal([]byte(`{"a":1,"b":2}`), &o); err == nil {
		t.Errorf("got nil error, want unknown field error")
	}
}

func TestOptionalApply(t *testing.T) {
	seven := 7
	tests := []struct {
		name string
		o    Optional[int]
		want *int
	}{
		{"absent keeps", Optional[int]{}, &seven},
		{"null clears", Null[int](), nil},
		{"value sets", Of(3), func() *int { v := 3; return &v }()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := seven
			dst := &v
			tc.o.ApplyPtr(&dst)
			switch {
			case tc.want == nil && dst != nil:
				t.Errorf("got %v, want nil", *dst)
			case tc.want != nil && (dst == nil || *dst != *tc.want):
				t.Errorf("got %v, want %v", dst, *tc.want)
			}
		})
	}
}

func TestOptionalApplyRequired(t *testing.T) {
	v := "keep"
	if ok := Null[string]().ApplyRequired(&v); ok || v != "keep" {
		t.Errorf("got ok=%v v=%q, want ok=false v=%q", ok, v, "keep")
	}
	if ok := Of("new").ApplyRequired(&v); !ok || v != "new" {
		t.Errorf("got ok=%v v=%q, want ok=true v=%q", ok, v, "new")
	}
	if ok := (Optional[string]{}).ApplyRequired(&v); !ok || v != "new" {
		t.Errorf("got ok=%v v=%q, want ok=true v=%q", ok, v, "new")
	}
}

func TestOptionalEncode(t *testing.T) {
	d := doc{N: Of(0), S: Null[[]string]()}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"n":0,"s":null}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	b, _ = json.Marshal(doc{})
	if got, want := string(b), `{}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestOptionalErrorPath checks that a bad value inside an Optional comes
// out as a *json.UnmarshalTypeError whose Field is the whole JSON path, so
// that the API can name the field.
func TestOptionalErrorPath(t *testing.T) {
	type inner struct {
		Min Optional[float64] `json:"min,omitzero"`
	}
	type body struct {
		Start Optional[time.Time]   `json:"start,omitzero"`
		Pay   Optional[inner]       `json:"pay,omitzero"`
		Days  Optional[[]time.Time] `json:"days,omitzero"`
	}
	tests := []struct {
		name, in, field string
	}{
		{"bad date", `{"start": "yesterday"}`, "start"},
		{"date number", `{"start": 20260901}`, "start"},
		{"nested number", `{"pay": {"min": "ten"}}`, "pay.min"},
		{"list element", `{"days": ["2026-09-01T00:00:00Z", "soon"]}`, "days.[1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b body
			err := json.Unmarshal([]byte(tc.in), &b)
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				t.Fatalf("error: got %v (%T), want a *json.UnmarshalTypeError", err, err)
			}
			if te.Field != tc.field {
				t.Errorf("field: got %q, want %q", te.Field, tc.field)
			}
		})
	}
}
