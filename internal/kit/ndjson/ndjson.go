// Package ndjson is what the domains' bulk imports and strict JSON
// decoding share: reading newline-delimited JSON with a cap on line length,
// decoding a line strictly, reporting each bad line by number, and the
// small reference types through which dates and list elements are decoded
// so that an error names its JSON path. Each domain keeps its own types and
// aliases these (candidates.ImportReport is ndjson.Report).
package ndjson

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"carefit/internal/kit/jsonx"
)

// Limits of an import.
const (
	// MaxLineBytes is the longest line accepted; a record is a few
	// kilobytes, so a longer line is a broken file.
	MaxLineBytes = 1 << 20
	// MaxErrors is how many line errors a report lists; Rejected still
	// counts every rejected line.
	MaxErrors = 1000
)

// LineError is a problem with one line of an import file.
type LineError struct {
	// Line is the 1-based line number.
	Line int `json:"line"`
	// Field is the JSON path of the field, or "" for the line as a whole.
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Report says what an import did.
type Report struct {
	// Lines is the number of lines read, blank ones included.
	Lines int `json:"lines"`
	// Imported is the number of rows stored (0 for an atomic import with
	// rejected lines).
	Imported int `json:"imported"`
	// Rejected is the number of lines not imported because of an error.
	Rejected int `json:"rejected"`
	// Errors lists the problems, at most MaxErrors of them, in line order
	// within each chunk.
	Errors []LineError `json:"errors"`
}

// Reject counts line as rejected and lists errs (up to MaxErrors in all)
// with its number.
func (r *Report) Reject(line int, errs ...LineError) {
	r.Rejected++
	for _, e := range errs {
		if len(r.Errors) < MaxErrors {
			e.Line = line
			r.Errors = append(r.Errors, e)
		}
	}
}

// Reader reads lines of at most MaxLineBytes.
type Reader struct {
	br    *bufio.Reader
	buf   []byte
	line  int
	bytes int64
}

// NewReader reads lines from r.
func NewReader(r io.Reader) *Reader { return &Reader{br: bufio.NewReaderSize(r, 256<<10)} }

// Line is the number of lines read so far.
func (lr *Reader) Line() int { return lr.line }

// Bytes is the number of bytes read so far.
func (lr *Reader) Bytes() int64 { return lr.bytes }

// Next returns the next line without its line ending, valid until the
// next call; tooLong reports a line that was skipped for its length. It
// returns io.EOF after the last line.
func (lr *Reader) Next() (line []byte, tooLong bool, err error) {
	lr.buf = lr.buf[:0]
	read := 0
	for {
		chunk, err := lr.br.ReadSlice('\n')
		read += len(chunk)
		lr.bytes += int64(len(chunk))
		if !tooLong {
			if len(lr.buf)+len(chunk) > MaxLineBytes+2 { // room for "\r\n"
				tooLong, lr.buf = true, lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, false, err
		}
		if read == 0 {
			return nil, false, io.EOF
		}
		lr.line++
		return bytes.TrimRight(lr.buf, "\r\n"), tooLong, nil
	}
}

// TooLong is the error of a line longer than MaxLineBytes.
func TooLong() LineError {
	return LineError{Message: fmt.Sprintf("line longer than %d bytes", MaxLineBytes)}
}

// DecodeLine decodes one JSON object into v, rejecting unknown fields and
// trailing data, and describes a failure as a line error naming the field.
func DecodeLine(line []byte, v any) *LineError {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			return &LineError{Message: "unexpected data after the JSON object"}
		}
		return nil
	}
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Type == jsonx.TimeType:
		return &LineError{Field: jsonx.FieldPath(te.Field), Message: "must be an RFC 3339 date-time like 2026-09-01T00:00:00Z, not " + te.Value}
	case errors.As(err, &te):
		return &LineError{Field: jsonx.FieldPath(te.Field), Message: fmt.Sprintf("must not be a JSON %s", te.Value)}
	case errors.As(err, &se):
		return &LineError{Message: "invalid JSON: " + strings.TrimPrefix(se.Error(), "json: ")}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return &LineError{Field: strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), Message: "unknown field"}
	}
	return &LineError{Message: strings.TrimPrefix(err.Error(), "json: ")}
}

// ReadOnly returns the error of a line that sets field, a member of its
// top-level object the server computes (such as specialties, named from
// the taxonomies), with why as its message: an import that sent it would
// otherwise see it silently ignored. Only a line that mentions the field
// is decoded again.
func ReadOnly(line []byte, field, why string) *LineError {
	if !bytes.Contains(line, []byte(`"`+field+`"`)) {
		return nil
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(line, &top) != nil {
		return nil // DecodeLine describes a line that is not an object
	}
	if _, ok := top[field]; ok {
		return &LineError{Field: field, Message: why}
	}
	return nil
}
