package pg

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"

	"carefit/internal/kit/errs"
)

// Postgres error codes the stores tell apart.
const (
	codeUnique = "23505"
	codeFK     = "23503"
	codeCheck  = "23514"
)

// Classify turns a database failure of op into a carefit error, keeping
// the database's error only as the cause (logged, never shown): an error
// that is already classified is returned as it is; an unreachable server,
// a closed pool, a timeout or a server shutting down is Unavailable (the
// request may succeed later); a unique violation is a Conflict and a check
// violation is Invalid, each in the project's words; anything else is
// Internal. A nil err gives nil. Stores that can name the field or record
// behind a violation test for it first (UniqueViolation, FKViolation).
func Classify(op string, err error) error {
	if err == nil {
		return nil
	}
	if errs.As(err) != nil {
		return err
	}
	if Unreachable(err) {
		return errs.Wrap(op, errs.Unavailable, err, "the database is unavailable: retry shortly")
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case codeUnique:
			return errs.Wrap(op, errs.Conflict, err, "a record with this ID already exists")
		case codeCheck:
			return errs.Wrap(op, errs.Invalid, err, "a value is outside what can be stored")
		}
	}
	return errs.Internalf(op, err)
}

// Unreachable reports whether err means the database could not be used at
// all: no connection could be made, the pool is closed, a connection broke
// under a statement, the wait for a connection or an answer ran out of
// time, or the server is shutting down or has too many connections.
func Unreachable(err error) bool {
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.Is(err, puddle.ErrClosedPool),
		errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err):
		return true
	case errors.As(err, &ne), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE):
		// The connection broke under a statement: the server went away.
		return true
	case errors.As(err, &pe):
		// Class 08 is connection exceptions; 53300 too many connections;
		// 57P01..57P03 shutdown and not yet accepting connections.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "53300" ||
			pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	return false
}

// UniqueViolation returns err's unique violation, if it is one, so a store
// can name the constraint's field or record.
func UniqueViolation(err error) (*pgconn.PgError, bool) { return violation(err, codeUnique) }

// FKViolation returns err's foreign-key violation, if it is one.
func FKViolation(err error) (*pgconn.PgError, bool) { return violation(err, codeFK) }

func violation(err error, code string) (*pgconn.PgError, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == code {
		return pe, true
	}
	return nil, false
}
