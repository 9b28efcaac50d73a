package candidates

import (
	"carefit/ndjson"
)

// Dates and list elements are decoded through ndjson's reference types so
// that a bad value is a *json.UnmarshalTypeError naming its JSON path.

// UnmarshalJSON decodes the API's JSON shape strictly (unknown fields are
// errors). A bad date or list element is a *json.UnmarshalTypeError whose
// Field is the JSON path; other errors are those of encoding/json.
func (p *Profile) UnmarshalJSON(b []byte) error { return ndjson.StrictDecode(b, profileShadow(p)) }

// profileShadow returns a value that decodes into p, with the dates and
// lists that need it decoded through reference types. ImportProfiles
// decodes into it directly, which saves encoding/json a pass over the line
// to find the end of the value before calling UnmarshalJSON.
func profileShadow(p *Profile) any {
	type plain Profile
	return &struct {
		*plain
		BoardCertifications ndjson.ListRef[BoardCertification] `json:"board_certifications"`
		Licences            ndjson.ListRef[Licence]            `json:"licences"`
		AvailableFrom       ndjson.TimeRef                     `json:"available_from"`
		ConsentUpdatedAt    ndjson.TimePtrRef                  `json:"consent_updated_at"`
		CreatedAt           ndjson.TimeRef                     `json:"created_at"`
		UpdatedAt           ndjson.TimeRef                     `json:"updated_at"`
	}{
		plain:               (*plain)(p),
		BoardCertifications: ndjson.ListRef[BoardCertification]{S: &p.BoardCertifications, Shadow: boardCertShadow},
		Licences:            ndjson.ListRef[Licence]{S: &p.Licences, Shadow: licenceShadow},
		AvailableFrom:       ndjson.TimeRef{T: &p.AvailableFrom},
		ConsentUpdatedAt:    ndjson.TimePtrRef{T: &p.ConsentUpdatedAt},
		CreatedAt:           ndjson.TimeRef{T: &p.CreatedAt},
		UpdatedAt:           ndjson.TimeRef{T: &p.UpdatedAt},
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
	return ndjson.StrictDecode(b, licenceShadow(l))
}

func licenceShadow(l *Licence) any {
	type plain Licence
	return &struct {
		*plain
		Expires ndjson.TimeRef `json:"expires"`
	}{(*plain)(l), ndjson.TimeRef{T: &l.Expires}}
}

// UnmarshalJSON decodes a board certification strictly; a bad expiry is a
// *json.UnmarshalTypeError naming "expires".
func (c *BoardCertification) UnmarshalJSON(b []byte) error {
	if decodeFast(b, (*fastBoardCert)(c)) {
		return nil
	}
	*c = BoardCertification{}
	return ndjson.StrictDecode(b, boardCertShadow(c))
}

func boardCertShadow(c *BoardCertification) any {
	type plain BoardCertification
	return &struct {
		*plain
		Expires ndjson.TimePtrRef `json:"expires"`
	}{(*plain)(c), ndjson.TimePtrRef{T: &c.Expires}}
}
