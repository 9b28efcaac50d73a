package api

import (
	gojson "github.com/goccy/go-json"
	"github.com/labstack/echo/v4"
)

// jsonSerializer writes responses with goccy/go-json, which encodes
// values byte for byte as encoding/json does at about half its cost: a
// ranked page of twenty rows, each a profile and an explanation with every
// factor's sentence, spent a sixth of a request's CPU in encoding/json's
// reflection. Request bodies are still read by echo's default (the
// handlers decode strictly with jsonx anyway). The API tests encode every
// response both ways and fail on any difference (harness_test.go).
type jsonSerializer struct{}

func (jsonSerializer) Serialize(c echo.Context, i any, indent string) error {
	enc := gojson.NewEncoder(c.Response())
	if indent != "" {
		enc.SetIndent("", indent)
	}
	return enc.Encode(i)
}

func (jsonSerializer) Deserialize(c echo.Context, i any) error {
	return echo.DefaultJSONSerializer{}.Deserialize(c, i)
}
