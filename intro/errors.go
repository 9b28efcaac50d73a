package intro

import (
	"fmt"
	"time"

	"carefit/internal/kit/errs"
)

// The codes that name each rule in a refusal (the problem's "code").
const (
	CodeDailyLimit = "introduction_daily_limit"
	CodeOpen       = "introduction_open"
	CodeCooldown   = "introduction_declined_recently"
	CodeIntroduced = "already_introduced"
	CodeExpired    = "introduction_expired"
	CodeNotPending = "introduction_not_pending"
	CodeBlocked    = "organization_blocked"
	CodeNotOpen    = "position_not_open"
)

// Sentinel errors of this package and of its store. Every error they
// return is an *errs.Error; errors.Is matches the sentinel's kind and, for
// the limits, its code, whatever the message.
var (
	// ErrNotFound means no such introduction, position, clinician or
	// organization, or one the caller may not see.
	ErrNotFound = errs.E("intro", errs.NotFound, "no such record, or not visible to this API key")
	// ErrDailyLimit means the recruiter key opened its daily number of
	// requests (429).
	ErrDailyLimit = &errs.Error{Op: "intro", Kind: errs.RateLimited, Code: CodeDailyLimit}
	// ErrOpen means a request between the organization and the clinician
	// already waits for an answer (409).
	ErrOpen = &errs.Error{Op: "intro", Kind: errs.Conflict, Code: CodeOpen,
		Message: "an introduction between this organization and this clinician is already waiting for an answer"}
	// ErrCooldown means the same side asked less than Cooldown ago and
	// was declined, or the clinician revoked the introduction (409).
	ErrCooldown = &errs.Error{Op: "intro", Kind: errs.Conflict, Code: CodeCooldown}
	// ErrIntroduced means the organization and the clinician are already
	// introduced (409).
	ErrIntroduced = &errs.Error{Op: "intro", Kind: errs.Conflict, Code: CodeIntroduced,
		Message: "this organization and this clinician are already introduced"}
	// ErrExpired means the request's 14 days are over: it can no longer be
	// answered (409).
	ErrExpired = &errs.Error{Op: "intro", Kind: errs.Conflict, Code: CodeExpired,
		Message: "the introduction expired unanswered; ask again"}
	// ErrNotPending means the introduction was already answered or
	// revoked (409).
	ErrNotPending = &errs.Error{Op: "intro", Kind: errs.Conflict, Code: CodeNotPending}
	// ErrBlocked means the clinician blocked the organization they ask
	// for an introduction: unblock it first (409).
	ErrBlocked = &errs.Error{Op: "intro", Kind: errs.Conflict, Code: CodeBlocked,
		Message: "you blocked this organization: take it off your blocked organizations first"}
	// ErrNotOpen means the position is not open, or has expired (409).
	ErrNotOpen = &errs.Error{Op: "intro", Kind: errs.Conflict, Code: CodeNotOpen,
		Message: "introductions are asked for open positions only"}
	// ErrDeclineInstead means the clinician tried to revoke a request
	// that waits for their answer: they decline it (409).
	ErrDeclineInstead = &errs.Error{Op: "intro", Kind: errs.Conflict, Code: CodeNotPending,
		Message: "a request waiting for your answer is declined, not revoked"}
	// ErrOtherSide means the caller's side asked, so the other side
	// answers (403).
	ErrOtherSide = errs.E("intro", errs.Forbidden, "the other party answers this introduction")
)

// DailyLimitError is ErrDailyLimit for a limit of limit requests, the
// oldest counted one dropping out of the window at free.
func DailyLimitError(limit int, free time.Time) error {
	return &errs.Error{Op: "intro.Request", Kind: errs.RateLimited, Code: CodeDailyLimit,
		Message: fmt.Sprintf("this API key opened %d introduction requests in the last 24 hours, the most CAREFIT_INTRO_DAILY_LIMIT allows; the next one may be opened at %s",
			limit, free.UTC().Format(time.RFC3339))}
}

// CooldownError is ErrCooldown until until.
func CooldownError(until time.Time) error {
	return &errs.Error{Op: "intro.Request", Kind: errs.Conflict, Code: CodeCooldown,
		Message: fmt.Sprintf("the introduction was declined or revoked less than 90 days ago; it may be asked for again from %s",
			until.UTC().Format(time.RFC3339))}
}

// NotPendingError is ErrNotPending for an introduction now in status st.
func NotPendingError(st Status) error {
	return &errs.Error{Op: "intro", Kind: errs.Conflict, Code: CodeNotPending,
		Message: fmt.Sprintf("the introduction is %s, not waiting for an answer", st)}
}
