package pg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"

	"carefit/internal/kit/errs"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want errs.Kind
	}{
		{"closed pool", puddle.ErrClosedPool, errs.Unavailable},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), errs.Unavailable},
		{"connection refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, errs.Unavailable},
		{"connection reset under a statement", fmt.Errorf("read: %w", syscall.ECONNRESET), errs.Unavailable},
		{"server closed the connection", fmt.Errorf("receive message: %w", io.ErrUnexpectedEOF), errs.Unavailable},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, errs.Unavailable},
		{"connection exception", &pgconn.PgError{Code: "08006"}, errs.Unavailable},
		{"too many connections", &pgconn.PgError{Code: "53300"}, errs.Unavailable},
		{"unique violation", &pgconn.PgError{Code: "23505", Detail: "Key (id)=(x) already exists."}, errs.Conflict},
		{"check violation", &pgconn.PgError{Code: "23514"}, errs.Invalid},
		{"syntax error", &pgconn.PgError{Code: "42601"}, errs.Internal},
		{"anything else", errors.New("boom"), errs.Internal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Classify("op", tc.err)
			if got := errs.KindOf(err); got != tc.want {
				t.Fatalf("got kind %v (%v), want %v", got, err, tc.want)
			}
			if e := errs.As(err); e != nil && (strings.Contains(e.Message, "Key (") || strings.Contains(e.Message, "SQLSTATE")) {
				t.Errorf("message %q carries the database's text", e.Message)
			}
		})
	}
	if Classify("op", nil) != nil {
		t.Error("Classify(nil) is not nil")
	}
}
