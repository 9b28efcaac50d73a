package candidates

import (
	"encoding/json"

	"carefit/internal/kit/jsonx"
)

// Dates and list elements are decoded through ndjson's reference types so
// that a bad value is a *json.UnmarshalTypeError naming its JSON path.

// UnmarshalJSON decodes the API's JSON shape strictly (unknown fields are
// errors). A bad date or list element is a *json.UnmarshalTypeError whose
// Field is the JSON path; other errors are those of encoding/json.
func (p *Profile) UnmarshalJSON(b []byte) error { return jsonx.StrictDecode(b, profileShadow(p)) }

// profileShadow returns a value that decodes into p, with the dates and
// lists that need it decoded through reference types. DecodeLine
// decodes into it directly, which saves encoding/json a pass over the line
// to find the end of the value before calling UnmarshalJSON.
func profileShadow(p *Profile) any {
	type plain Profile
	return &struct {
		*plain
		BoardCertifications jsonx.ListRef[BoardCertification] `json:"board_certifications"`
		Licences            jsonx.ListRef[Licence]            `json:"licences"`
		AvailableFrom       jsonx.TimeRef                     `json:"available_from"`
		ConsentUpdatedAt    jsonx.TimePtrRef                  `json:"consent_updated_at"`
		CreatedAt           jsonx.TimeRef                     `json:"created_at"`
		UpdatedAt           jsonx.TimeRef                     `json:"updated_at"`
		// Specialties is read-only, like ID and the timestamps: reads name
		// the taxonomies there, so a read decodes; the API refuses it in
		// a write before decoding.
		Specialties json.RawMessage `json:"specialties"`
	}{
		plain:               (*plain)(p),
		BoardCertifications: jsonx.ListRef[BoardCertification]{S: &p.BoardCertifications, Shadow: boardCertShadow},
		Licences:            jsonx.ListRef[Licence]{S: &p.Licences, Shadow: licenceShadow},
		AvailableFrom:       jsonx.TimeRef{T: &p.AvailableFrom},
		ConsentUpdatedAt:    jsonx.TimePtrRef{T: &p.ConsentUpdatedAt},
		CreatedAt:           jsonx.TimeRef{T: &p.CreatedAt},
		UpdatedAt:           jsonx.TimeRef{T: &p.UpdatedAt},
	}
}

// UnmarshalJSON decodes a licence strictly; a bad expiry is a
// *json.UnmarshalTypeError naming "expires".
// The fast decoder is tried first (see fastjson.go); errors always come
// from encoding/json.
func (l *Licence) UnmarshalJSON(b []byte) error {
	if decodeFast(b, (*fastLicence)(l)) {
		return nil
	}
	*l = Licence{}
	return jsonx.StrictDecode(b, licenceShadow(l))
}

func licenceShadow(l *Licence) any {
	type plain Licence
	return &struct {
		*plain
		Expires jsonx.TimeRef `json:"expires"`
	}{(*plain)(l), jsonx.TimeRef{T: &l.Expires}}
}

// UnmarshalJSON decodes a board certification strictly; a bad expiry is a
// *json.UnmarshalTypeError naming "expires".
func (c *BoardCertification) UnmarshalJSON(b []byte) error {
	if decodeFast(b, (*fastBoardCert)(c)) {
		return nil
	}
	*c = BoardCertification{}
	return jsonx.StrictDecode(b, boardCertShadow(c))
}

func boardCertShadow(c *BoardCertification) any {
	type plain BoardCertification
	return &struct {
		*plain
		Expires jsonx.TimePtrRef `json:"expires"`
	}{(*plain)(c), jsonx.TimePtrRef{T: &c.Expires}}
}
