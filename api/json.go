package api

import (
	"bytes"
	"strconv"
	"sync"

	gojson "github.com/goccy/go-json"
	"github.com/labstack/echo/v4"
)

// jsonSerializer writes responses with goccy/go-json, which encodes
// values byte for byte as encoding/json does at about half its cost: a
// ranked page of twenty rows, each a profile and an explanation with every
// factor's sentence, spent a sixth of a request's CPU in encoding/json's
// reflection. The body is encoded into a pooled buffer and written once
// with its length: written as it was encoded, an 80 KB page went out in
// twenty 4 KB writes, a system call each, as a chunked body. Request
// bodies are still read by echo's default (the handlers decode strictly
// with jsonx anyway). The API tests encode every response both ways and
// fail on any difference (harness_test.go).
type jsonSerializer struct {
	// bodies holds the buffers responses are encoded into.
	bodies sync.Pool
}

// maxPooledBody is the largest buffer kept for reuse: a rare huge
// response (an export) is not held in the pool.
const maxPooledBody = 1 << 20

func (s *jsonSerializer) Serialize(c echo.Context, i any, indent string) error {
	buf, _ := s.bodies.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		if buf.Cap() <= maxPooledBody {
			buf.Reset()
			s.bodies.Put(buf)
		}
	}()
	enc := gojson.NewEncoder(buf)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(i); err != nil {
		return err
	}
	res := c.Response()
	if !res.Committed {
		res.Header().Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	}
	_, err := res.Write(buf.Bytes())
	return err
}

func (*jsonSerializer) Deserialize(c echo.Context, i any) error {
	return echo.DefaultJSONSerializer{}.Deserialize(c, i)
}
