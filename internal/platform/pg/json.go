package pg

import (
	"encoding/json"

	gojson "github.com/goccy/go-json"
	"github.com/jackc/pgx/v5/pgtype"
)

// registerJSON makes m decode json and jsonb columns with goccy/go-json,
// which decodes values as encoding/json does at about a third of its
// cost: a ranked page reads twenty whole profiles, whose wishes, licences
// and schedules are JSON columns, and decoding them was a fifth of a
// request's CPU. Values are still encoded with encoding/json, so what is
// written does not change (TestJSONColumnsDecodeAsEncodingJSON).
func registerJSON(m *pgtype.Map) {
	m.RegisterType(&pgtype.Type{Name: "json", OID: pgtype.JSONOID, Codec: &pgtype.JSONCodec{Marshal: json.Marshal, Unmarshal: gojson.Unmarshal}})
	m.RegisterType(&pgtype.Type{Name: "jsonb", OID: pgtype.JSONBOID, Codec: &pgtype.JSONBCodec{Marshal: json.Marshal, Unmarshal: gojson.Unmarshal}})
}
