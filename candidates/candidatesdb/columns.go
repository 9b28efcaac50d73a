package candidatesdb

import (
	"github.com/jackc/pgx/v5"

	"carefit/candidates"
)

// ProfileColumns is the select list of a whole profile that ScanProfile
// reads, so that another store can read profiles joined with its own
// table in one query (pipelinedb reads a ranked page's profiles with their
// pipeline states) instead of a second round trip. Select it from the
// profiles table unqualified, for example in a subquery.
const ProfileColumns = profileCols

// ScanProfile scans one row that starts with ProfileColumns. A caller
// that selected more columns after them scans those by wrapping row so
// that its Scan appends their destinations.
func ScanProfile(row pgx.Row) (candidates.Profile, error) { return scanProfile(row) }
