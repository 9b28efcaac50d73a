package jobs

import "carefit/internal/kit/errs"

// Sentinel errors of this package and of the jobs store. Every error the
// package returns is an *errs.Error; errors.Is(err, ErrNotFound) matches
// any not-found error of the package, whatever its message.
var (
	// ErrNotFound means the organisation, location or position does not
	// exist (or is not visible to the caller).
	ErrNotFound = errs.E("jobs", errs.NotFound, "no such record, or not visible to this API key")
	// ErrConflict means the change clashes with stored data, such as a
	// duplicate ID; it also matches ErrInvalidTransition.
	ErrConflict = errs.E("jobs", errs.Conflict, "the change clashes with the record's current state")
	// ErrPreconditionFailed means the caller's version (ETag) is stale:
	// someone else changed the record since it was read.
	ErrPreconditionFailed = errs.E("jobs", errs.PreconditionFailed,
		"the record changed since you read it: GET it again and reapply your change")
	// ErrInvalidTransition means a status change the lifecycle does not
	// allow, such as filled → open (a Conflict).
	ErrInvalidTransition = errs.E(opTransition, errs.Conflict, "the lifecycle does not allow this status change")
)

// opTransition is the op of status-change errors, so that
// ErrInvalidTransition matches only them.
const opTransition = "jobs.transition"
