# carefit's two commands are `make demo` and `make test`; both install what
# is missing first (scripts/setup).
GO        ?= go
BIN       := bin/carefit
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
PKGS      ?= ./...

.PHONY: all demo test setup build vet fmt bench clean

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

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
