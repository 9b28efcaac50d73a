package candidates

import "carefit/internal/kit/ndjson"

// Import limits (package ndjson).
const (
	// MaxImportLineBytes is the longest NDJSON line accepted.
	MaxImportLineBytes = ndjson.MaxLineBytes
	// MaxImportErrors is how many line errors a report lists.
	MaxImportErrors = ndjson.MaxErrors
	// DefaultImportChunk is how many rows are loaded per COPY.
	DefaultImportChunk = ndjson.DefaultChunk
)

// The import types are the ones every domain shares (package ndjson);
// ImportOptions.KeyID is not recorded for profiles.
type (
	ImportOptions = ndjson.Options
	LineError     = ndjson.LineError
	ImportReport  = ndjson.Report
)
