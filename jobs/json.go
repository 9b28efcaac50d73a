package jobs

import (
	"carefit/ndjson"
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
		StartDate ndjson.TimeRef    `json:"start_date"`
		ExpiresAt ndjson.TimePtrRef `json:"expires_at"`
		CreatedAt ndjson.TimeRef    `json:"created_at"`
		UpdatedAt ndjson.TimeRef    `json:"updated_at"`
	}{(*plain)(p), ndjson.TimeRef{T: &p.StartDate}, ndjson.TimePtrRef{T: &p.ExpiresAt}, ndjson.TimeRef{T: &p.CreatedAt}, ndjson.TimeRef{T: &p.UpdatedAt}}
	return ndjson.StrictDecode(b, &v)
}

// UnmarshalJSON decodes an organization strictly; a bad timestamp is a
// *json.UnmarshalTypeError naming its field.
func (o *Organization) UnmarshalJSON(b []byte) error {
	type plain Organization
	v := struct {
		*plain
		CreatedAt ndjson.TimeRef `json:"created_at"`
		UpdatedAt ndjson.TimeRef `json:"updated_at"`
	}{(*plain)(o), ndjson.TimeRef{T: &o.CreatedAt}, ndjson.TimeRef{T: &o.UpdatedAt}}
	return ndjson.StrictDecode(b, &v)
}
