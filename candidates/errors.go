package candidates

import "carefit/internal/kit/errs"

// Sentinel errors of this package and of the candidates store. Every error
// the package returns is an *errs.Error; errors.Is(err, ErrNotFound)
// matches any not-found error of the package, whatever its message.
var (
	// ErrNotFound means the profile does not exist (or is not visible to
	// the caller).
	ErrNotFound = errs.E("candidates", errs.NotFound, "no such record, or not visible to this API key")
	// ErrConflict means the change clashes with stored data: a duplicate
	// ID or an NPI already on another profile.
	ErrConflict = errs.E("candidates", errs.Conflict, "the change clashes with a stored profile")
	// ErrPreconditionFailed means the caller's version (ETag) is stale:
	// someone else changed the record since it was read.
	ErrPreconditionFailed = errs.E("candidates", errs.PreconditionFailed,
		"the profile changed since you read it: GET it again and reapply your change")
)
