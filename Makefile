# Dossier's front door. Every target installs what is missing first (tools/install-deps), then
# drives CMake presets (CMakePresets.json). See README.md.
#   make demo     release build, index corpus/, run a sample search
#   make test     ci build (-Werror, ASan+UBSan), whole test suite through ctest
#   make build    build only (PRESET=dev|release|ci, default ci)
#   make format   reformat the C++ sources in place with clang-format
#   make tidy     clang-tidy over the library and binaries (dev preset's compile database)
#   make install  release build installed under PREFIX (default /usr/local)
#   make bench    indexing and query benchmarks on the 49k-document corpus (needs ../shared),
#                 figures for docs/benchmarks.md
#   make eval     ranking quality on cacm, cisi, cranfield, medline (needs ../shared), figures
#                 for docs/evaluation.md
#   make fuzz     libFuzzer targets (clang-14) on every parser, normaliser and the query path,
#                 two at a time, FUZZ_SECONDS each (default 600); figures for docs/reliability.md
#   make stress   kill rounds (SIGKILL, SIGINT, SIGTERM) and readers during writes, on a release
#                 build, plus the ThreadSanitizer test; figures for docs/reliability.md
#   make clean    remove build/

PRESET ?= ci
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build test demo bench eval fuzz stress format format-check tidy install clean

all: build

deps:
	@tools/install-deps

# Configure once per preset; later builds let CMake re-run itself when its lists change.
build: deps
	@test -f build/$(PRESET)/CMakeCache.txt || cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) -j $(JOBS)

test: PRESET = ci
test: build
	ctest --preset $(PRESET)

demo: PRESET = release
demo: build
	@tools/demo build/release

bench: PRESET = release
bench: build
	python3 tests/bench/index_bench.py --binary build/release/bin/dossier-index --work build/bench
	python3 tests/bench/query_bench.py --bin build/release/bin --work build/bench

eval: PRESET = release
eval: build
	python3 tests/eval/run_eval.py --bin build/release/bin --work build/eval
	python3 tests/eval/sweep.py --bin build/release/bin --work build/eval

FUZZ_SECONDS ?= 600
fuzz: deps
	tests/fuzz/run.sh --seconds $(FUZZ_SECONDS)

stress: PRESET = release
stress: build
	tests/stress/run.sh --bin build/release/bin

format: deps
	@tools/format

format-check: deps
	@tools/format --check

tidy: PRESET = dev
tidy: build
	run-clang-tidy -quiet -p build/dev lib/src indexer searcher

install: PRESET = release
install: build
	cmake --install build/release --prefix $(PREFIX)

clean:
	rm -rf build
