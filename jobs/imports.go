package jobs

import "carefit/internal/kit/ndjson"

// The import types are the ones every domain shares (package ndjson),
// limits included.
type (
	ImportOptions = ndjson.Options
	LineError     = ndjson.LineError
	ImportReport  = ndjson.Report
)
