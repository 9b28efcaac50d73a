package patch

import (
	"encoding/json"
	"testing"

	"carefit/internal/kit/errs"
)

type limits struct {
	Min int
	Max *int
}

type record struct {
	Name   string
	Note   string
	Tags   []string
	Size   *int
	Limits limits
	Range  limits
}

type limitsPatch struct {
	Min Optional[int] `json:"min,omitzero" patch:"required"`
	Max Optional[int] `json:"max,omitzero"`
}

type recordPatch struct {
	Name   Optional[string]      `json:"name,omitzero" patch:"required"`
	Note   Optional[string]      `json:"note,omitzero"`
	Tags   Optional[[]string]    `json:"tags,omitzero"`
	Size   Optional[int]         `json:"size,omitzero"`
	Limits Optional[limitsPatch] `json:"limits,omitzero" patch:"required"`
	Range  Optional[limitsPatch] `json:"range,omitzero"`
}

func intp(v int) *int { return &v }

func TestApply(t *testing.T) {
	valid := func() record {
		return record{Name: "a", Note: "n", Tags: []string{"x"}, Size: intp(1),
			Limits: limits{Min: 1, Max: intp(9)}, Range: limits{Min: 2, Max: intp(3)}}
	}
	tests := []struct {
		name   string
		body   string
		want   func(r *record)
		fields []string // rejected members, in order
	}{
		{"empty", `{}`, func(r *record) {}, nil},
		{"values", `{"name":"b","note":"m","tags":["y"],"size":0}`, func(r *record) {
			r.Name, r.Note, r.Tags, r.Size = "b", "m", []string{"y"}, intp(0)
		}, nil},
		{"nulls clear", `{"note":null,"tags":null,"size":null,"range":null}`, func(r *record) {
			r.Note, r.Tags, r.Size, r.Range = "", nil, nil, limits{}
		}, nil},
		{"nested merges", `{"limits":{"max":null},"range":{"min":5}}`, func(r *record) {
			r.Limits.Max, r.Range.Min = nil, 5
		}, nil},
		{"required null", `{"name":null,"note":"m"}`, func(r *record) {}, []string{"name"}},
		{"nested required null", `{"limits":{"min":null},"range":{"min":null}}`, func(r *record) {},
			[]string{"limits.min", "range.min"}},
		{"required object null", `{"limits":null,"name":null}`, func(r *record) {}, []string{"name", "limits"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p recordPatch
			if err := json.Unmarshal([]byte(tc.body), &p); err != nil {
				t.Fatal(err)
			}
			got, want := valid(), valid()
			err := Apply(p, &got)
			tc.want(&want)
			var paths []string
			for _, f := range errs.Fields(err) {
				paths = append(paths, f.Path)
			}
			if len(paths) != len(tc.fields) || (err == nil) != (tc.fields == nil) {
				t.Fatalf("got %v, want problems at %v", err, tc.fields)
			}
			for i := range paths {
				if paths[i] != tc.fields[i] {
					t.Errorf("problem %d at %q, want %q", i, paths[i], tc.fields[i])
				}
			}
			if !equal(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestApplyCopiesValues(t *testing.T) {
	r := record{Size: intp(1)}
	shared := r.Size
	if err := Apply(recordPatch{Size: Of(7)}, &r); err != nil {
		t.Fatal(err)
	}
	if *shared != 1 || *r.Size != 7 {
		t.Errorf("got old %d new %d, want the old value kept and the new one 7", *shared, *r.Size)
	}
}

func TestApplyPanicsOnMismatch(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("got no panic, want one for a member without a matching field")
		}
	}()
	type wrong struct {
		Size Optional[string] `json:"size,omitzero"`
	}
	var r record
	_ = Apply(wrong{}, &r)
}

func equal(a, b record) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
