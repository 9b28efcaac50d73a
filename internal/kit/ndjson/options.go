package ndjson

import (
	"time"

	"carefit/internal/kit/errs"
)

// DefaultChunk is how many rows an import loads per COPY.
const DefaultChunk = 5000

// Options control a bulk import.
type Options struct {
	// Atomic imports nothing when any line is rejected.
	Atomic bool
	// Now stamps created_at and updated_at and is the time records are
	// validated at; nil means time.Now.
	Now func() time.Time
	// Progress, when set, is called after each chunk with the lines and
	// bytes read so far.
	Progress func(lines int, bytes int64)
	// Chunk is the number of rows per COPY; 0 means DefaultChunk.
	Chunk int
	// KeyID is the API key running the import, recorded where the domain
	// keeps a record's history (a position's first version); empty for
	// system imports.
	KeyID string
}

// Start returns the time the import stamps on every record: Now (or
// time.Now) in UTC at Postgres's microsecond precision.
func (o Options) Start() time.Time {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return now().UTC().Truncate(time.Microsecond)
}

// ChunkSize returns Chunk, or DefaultChunk when it is not positive.
func (o Options) ChunkSize() int {
	if o.Chunk <= 0 {
		return DefaultChunk
	}
	return o.Chunk
}

// Progressed calls Progress, when set, with the lines and bytes lr read.
func (o Options) Progressed(lr *Reader) {
	if o.Progress != nil {
		o.Progress(lr.Line(), lr.Bytes())
	}
}

// FieldErrors turns a validation error (errs.Fields) into line errors. An
// error without fields gives one error for the whole line with its client
// message, or "is not valid": its text is not meant for clients.
func FieldErrors(err error) []LineError {
	fields := errs.Fields(err)
	if len(fields) == 0 {
		msg := errs.Message(err)
		if msg == "" {
			msg = "is not valid"
		}
		return []LineError{{Message: msg}}
	}
	out := make([]LineError, len(fields))
	for i, f := range fields {
		out[i] = LineError{Field: f.Path, Message: f.Message}
	}
	return out
}
