package introdb

import "carefit/internal/kit/errs"

// errsFields returns the paths err names.
func errsFields(err error) []string {
	var out []string
	for _, f := range errs.Fields(err) {
		out = append(out, f.Path)
	}
	return out
}
