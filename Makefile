# Developer tooling: one target per script in scripts/ (see docs/scripts.md).
# Pass options through ARGS, e.g. `make ci-local ARGS="--only graph,lint"`.

SCRIPTS := run-all ci-local changed-tests docs-check-links release-notes coverage coverage-diff \
           tsan crash-loop corrupt-fuzzer backup-sandbox check-module-graph test-scripts \
           concurrency-stress persist-stress gen-data schema-audit build-docs check-doc-snippets
ARGS ?=
# The benchmark scripts (Benchmarks/, see docs/scripts.md).
BENCH_SCRIPTS := bench-smoke bench-matrix memory-probe profile-query bench-trend test-bench-scripts

.PHONY: help docs $(SCRIPTS)
.PHONY: $(BENCH_SCRIPTS)

help:
	@echo "Usage: make TARGET [ARGS=\"script options\"]"
	@echo
	@echo "Targets (each runs scripts/TARGET; see scripts/TARGET --help and docs/scripts.md):"
	@echo "  run-all             format lint, warnings-as-errors build and tests, with a summary"
	@echo "  ci-local            the steps of .ci/run locally (--list, --only, --skip)"
	@echo "  changed-tests       tests for the files changed since a git ref (--since, --dry-run)"
	@echo "  docs-check-links    relative links and anchors in README, Plugins.md and docs/"
	@echo "  check-doc-snippets  code blocks of Plugins.md quoted from Examples/ are still in their files"
	@echo "  release-notes       Markdown notes from the commits since the last tag"
	@echo "  coverage            tests with code coverage, line coverage per module (--threshold)"
	@echo "  coverage-diff       per-module coverage change against a baseline (ARGS=\"--baseline F\" or \"--ref R\")"
	@echo "  tsan                concurrency tests under ThreadSanitizer"
	@echo "  crash-loop          kill -9 crash loop of dictdb-crash-worker"
	@echo "  corrupt-fuzzer      corruption fuzzer dictdb-fuzz"
	@echo "  backup-sandbox      backup manager sandbox with induced failures"
	@echo "  concurrency-stress  writer/reader threads with invariant checks (ARGS=\"--tsan\" for ThreadSanitizer)"
	@echo "  persist-stress      save/load cycles over random data for every codec, with timings"
	@echo "  gen-data            deterministic fixture datasets: users, products, orders as JSON/NDJSON/CSV"
	@echo "  schema-audit        a data file against a table schema (ARGS=\"--schema S.json DATA\")"
	@echo "  check-module-graph  imports follow the module graph"
	@echo "  build-docs          DocC documentation of the library modules, failing on any warning (or: make docs)"
	@echo "  test-scripts        smoke test of every script (fast, no builds)"
	@echo "  bench-smoke         every benchmark workload once at tiny N, answers checked (debug build)"
	@echo "  bench-matrix        dictdb-bench over rows x iterations x seeds, merged JSON/CSV"
	@echo "  memory-probe        resident bytes per record across sizes and insert/select/save"
	@echo "  profile-query       one hot query under callgrind or perf (ARGS=\"--op select-range\")"
	@echo "  bench-trend         benchmark history: what got faster or slower (ARGS=\"--add run.json\")"
	@echo "  test-bench-scripts  smoke test of the benchmark scripts (fast, no builds)"
	@echo "  help                this list"

$(SCRIPTS):
	scripts/$@ $(ARGS)

# `make docs` runs scripts/build-docs.
docs: build-docs

$(BENCH_SCRIPTS):
	scripts/$@ $(ARGS)
