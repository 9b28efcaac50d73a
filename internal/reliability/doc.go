// Package reliability holds the fault-injection test behind `make
// reliability`: the real carefit binary serves and works against a private
// Postgres, Redis and Meilisearch while a write load runs, and the server,
// a worker, Redis and Meilisearch are killed with SIGKILL and Postgres is
// stopped, each in turn. After each fault the test checks that no
// acknowledged write was lost, no logical write was stored twice, no
// Idempotency-Key stayed refused, search and the ranked lists converged
// within their bounds and no request hung, and it logs the figures.
//
// `go test ./internal/reliability/` runs the short version (a few seconds
// of load around each fault); CAREFIT_RELIABILITY=full runs each fault
// longer under more load. `go test -short` skips it.
// CAREFIT_RELIABILITY_LOGS=DIR keeps the carefit processes' logs in DIR.
package reliability
