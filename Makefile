# Development targets; CI runs .ci/run (lint + tests + race + unit check).
# Long runs are opt-in: BENCH, BENCHTIME and FUZZTIME narrow or stretch them,
# e.g. `make bench BENCH=Ingest BENCHTIME=3x`, `make fuzz FUZZTIME=5m`.
BENCH     ?= .
BENCHTIME ?= 1x
FUZZTIME  ?= 30s
FEEDS     ?= 1000

.PHONY: test race lint bench loadrun fuzz ci

test:
	go test ./...

race:
	go test -race ./...

lint:
	.ci/lint

bench:
	go test ./... -run '^$$' -bench '$(BENCH)' -benchtime $(BENCHTIME)

# The real binary polls FEEDS x 50 generated items from loopback, twice.
loadrun:
	FEEDS=$(FEEDS) bash docs/loadrun.sh

# Every fuzz target in the tree, FUZZTIME each (go test fuzzes one at a time).
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
	  pkg=./$$(dirname $$f); \
	  for t in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | cut -d' ' -f2); do \
	    echo "== $$pkg $$t"; go test $$pkg -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME); \
	  done; \
	done

ci:
	.ci/run
