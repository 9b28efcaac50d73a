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

// ScanProfile scans one row of ProfileColumns into p, then the columns a
// caller selected after them into more, in one Scan: a ranked page reads
// twenty profiles with their standing this way, with no copy of each.
func ScanProfile(row pgx.Row, p *candidates.Profile, more ...any) error {
	return scanProfileInto(row, p, more...)
}
