package jobs

import (
	"encoding/json"

	"carefit/internal/kit/jsonx"
)

// Dates are decoded through ndjson's reference types so that a bad value
// is a *json.UnmarshalTypeError naming its field.

// UnmarshalJSON decodes the API's JSON shape strictly (unknown fields are
// errors). A bad date is a *json.UnmarshalTypeError whose Field is the
// JSON name; other errors are those of encoding/json.
func (p *Position) UnmarshalJSON(b []byte) error {
	type plain Position
	v := struct {
		*plain
		StartDate jsonx.TimeRef    `json:"start_date"`
		ExpiresAt jsonx.TimePtrRef `json:"expires_at"`
		CreatedAt jsonx.TimeRef    `json:"created_at"`
		UpdatedAt jsonx.TimeRef    `json:"updated_at"`
		// Specialties is read-only, like ID and the timestamps: reads name
		// the taxonomies there, so a read decodes; the API refuses it in
		// a write before decoding.
		Specialties json.RawMessage `json:"specialties"`
	}{(*plain)(p), jsonx.TimeRef{T: &p.StartDate}, jsonx.TimePtrRef{T: &p.ExpiresAt}, jsonx.TimeRef{T: &p.CreatedAt}, jsonx.TimeRef{T: &p.UpdatedAt}, nil}
	return jsonx.StrictDecode(b, &v)
}

// UnmarshalJSON decodes an organization strictly; a bad timestamp is a
// *json.UnmarshalTypeError naming its field.
func (o *Organization) UnmarshalJSON(b []byte) error {
	type plain Organization
	v := struct {
		*plain
		CreatedAt jsonx.TimeRef `json:"created_at"`
		UpdatedAt jsonx.TimeRef `json:"updated_at"`
	}{(*plain)(o), jsonx.TimeRef{T: &o.CreatedAt}, jsonx.TimeRef{T: &o.UpdatedAt}}
	return jsonx.StrictDecode(b, &v)
}
