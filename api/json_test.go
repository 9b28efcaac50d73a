package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"
)

// checkedJSON makes e's responses encode with its serializer and with
// encoding/json and fail (500, logged to standard error) when they
// differ, so that every API test also checks that the faster encoder
// writes what encoding/json would.
func checkedJSON(e *echo.Echo) *echo.Echo {
	e.JSONSerializer = sameAsEncodingJSON{e.JSONSerializer}
	return e
}

type sameAsEncodingJSON struct{ echo.JSONSerializer }

func (s sameAsEncodingJSON) Serialize(c echo.Context, i any, indent string) error {
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(i); err != nil {
		return err
	}
	buf := &bufferWriter{}
	rec := c.Echo().NewContext(c.Request(), buf)
	if err := s.JSONSerializer.Serialize(rec, i, indent); err != nil {
		return err
	}
	got := buf.Bytes()
	if !bytes.Equal(got, want.Bytes()) {
		err := fmt.Errorf("the response of %s %s encodes as\n%s\nwhere encoding/json writes\n%s", c.Request().Method, c.Request().URL, got, want.Bytes())
		fmt.Fprintln(os.Stderr, err)
		return err
	}
	_, err := c.Response().Write(got)
	return err
}

// bufferWriter is an http.ResponseWriter that keeps the body.
type bufferWriter struct {
	bytes.Buffer
	header http.Header
}

func (w *bufferWriter) Header() http.Header {
	if w.header == nil {
		w.header = http.Header{}
	}
	return w.header
}
func (w *bufferWriter) WriteHeader(int) {}
