# carefit's two commands are `make demo` and `make test`; both install what
# is missing first (scripts/setup).
GO        ?= go
BIN       := bin/carefit
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
PKGS      ?= ./...

.PHONY: all demo test setup build vet fmt bench bench-national reliability clean verify-data

all: build

setup:
	@scripts/setup

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/carefit

## demo: the whole stack on private local instances, seeded; Ctrl-C stops it.
demo: setup build
	$(BIN) dev

## test: the full suite against one private stack of real services.
test: setup build
	$(GO) vet ./...
	$(BIN) stack exec -- $(GO) test -count=1 -timeout 20m $(PKGS)

## bench: the benchmarks named in the issues, against a private stack
## (scripts/bench; BENCH_QUICK=1 for a small market).
bench: setup build
	$(BIN) stack exec -- scripts/bench

## bench-national: the engine, the full rematch and serve's memory on a
## national-scale market of 2,000,000 clinicians and 200,000 positions
## (scripts/bench-national; report in .carefit/bench/national/).
bench-national: setup build
	$(BIN) stack exec -- scripts/bench-national

## reliability: the full fault-injection run (internal/reliability): a write
## load while the server, a worker, Redis and Meilisearch are killed with
## SIGKILL and Postgres is stopped for 10 s, each in turn. The test starts a
## private stack of its own (it kills its services), so no `stack exec`;
## `make test` runs its short version.
reliability: setup build
	CAREFIT_RELIABILITY=full $(GO) test -count=1 -timeout 30m -run Reliability -v ./internal/reliability/

## verify-data: check the project's own tables against third-party reference
## data that is not in the repository (the NUCC taxonomy CSV).
CAREFIT_NUCC_CSV ?= $(abspath $(CURDIR)/../shared/data/nucc_taxonomy_251.csv)
verify-data:
	@test -f "$(CAREFIT_NUCC_CSV)" || { echo "verify-data: $(CAREFIT_NUCC_CSV) not found; set CAREFIT_NUCC_CSV to the NUCC v25.1 CSV" >&2; exit 1; }
	CAREFIT_NUCC_CSV="$(CAREFIT_NUCC_CSV)" $(GO) test -count=1 -tags verifydata -run NUCC ./internal/kit/taxonomy/

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
