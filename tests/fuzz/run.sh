#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (build/fuzz) and runs each until it has used N CPU
# seconds (on an idle machine, N seconds; at most --max-wall seconds, default 3N, when other work
# takes the CPUs), two at a time, at nice 10, on working corpora under build/fuzz/corpus/<target>
# seeded from tests/fuzz/<target>/seeds. Prints, and writes to build/fuzz/summary.md, a table of
# executions, CPU time, coverage, corpus size and crashes per target. Never writes into tests/
# unless --save-crashes is given.
#
#   tests/fuzz/run.sh [--seconds N] [--max-wall W] [--jobs J] [--targets "html query ..."]
#                     [--save-crashes] [--no-build]
# --no-build fuzzes the fuzzers already built in build/fuzz (say, while the sources change).
set -euo pipefail

seconds=600
max_wall=""
jobs=2
save_crashes=0
build_first=1
targets="html markdown plaintext jsonl sidecar dates authors encoding query"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --max-wall) max_wall="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    --save-crashes) save_crashes=1; shift ;;
    --no-build) build_first=0; shift ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$max_wall" ]] || max_wall=$((3 * seconds))

root="$(cd "$(dirname "$0")/../.." && pwd)"
src="$root/tests/fuzz"
build="$root/build/fuzz"

# clang-14 and its libFuzzer runtime (Debian: clang-14, libclang-rt-14-dev).
fuzzer_rt="$(ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null | head -n 1 || true)"
if ! command -v clang++-14 >/dev/null || [[ -z "$fuzzer_rt" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "run.sh: installing clang-14 and libclang-rt-14-dev"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang-14 libclang-rt-14-dev
  else
    echo "run.sh: clang-14 and libclang-rt-14-dev are needed:" >&2
    echo "  sudo apt-get install clang-14 libclang-rt-14-dev" >&2
    exit 1
  fi
fi

# Build: Dossier's own code with coverage, ASan and UBSan (DOSSIER_FUZZ), one fuzzer per target.
if [[ $build_first -eq 1 && ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDOSSIER_FUZZ=ON -DDOSSIER_BUILD_TESTS=ON \
    -DDOSSIER_BUILD_TOOLS=OFF -DDOSSIER_INSTALL=OFF -DBUILD_SHARED_LIBS=OFF
fi
if [[ $build_first -eq 1 ]]; then
  cmake --build "$build" --target dossier-fuzzers -j "$(nproc 2>/dev/null || echo 2)"
fi

max_len_of() {
  case "$1" in
    query) echo 4096 ;;
    dates) echo 256 ;;
    authors) echo 1024 ;;
    sidecar) echo 16384 ;;
    *) echo 65536 ;;
  esac
}

mkdir -p "$build/logs" "$build/tmp"
export TMPDIR="$build/tmp"  # the query target's small index
# Leaks are bugs too; a crash prints a symbolised stack.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# One target: fork mode (one worker) so that a crash is recorded and fuzzing goes on; run in
# rounds until the target has had its CPU seconds or its wall-clock allowance.
run_one() {
  local t="$1"
  local corpus="$build/corpus/$t" artifacts="$build/artifacts/$t/" log="$build/logs/$t.log"
  mkdir -p "$corpus" "$artifacts"
  local args=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1
    -max_len="$(max_len_of "$t")" -timeout=10 -rss_limit_mb=2048
    -artifact_prefix="$artifacts" -print_final_stats=1)
  [[ -f "$src/$t/$t.dict" ]] && args+=(-dict="$src/$t/$t.dict")
  # Seeds that are fixtures elsewhere in the repository start the working corpus.
  if [[ -f "$src/$t/fixtures.txt" ]]; then
    grep -v '^#' "$src/$t/fixtures.txt" | while read -r path; do
      [[ -n "$path" ]] && cp -n "$src/../../$path" "$corpus/" 2>/dev/null || true
    done
  fi
  local dirs=("$corpus" "$src/$t/seeds")
  [[ -d "$src/$t/regressions" ]] && dirs+=("$src/$t/regressions")
  local start=$SECONDS cpu=0 execs=0 round=0
  : >"$log"
  while :; do
    local left_cpu left_wall chunk
    left_cpu=$(awk -v s="$seconds" -v c="$cpu" 'BEGIN { printf "%d", s - c }')
    left_wall=$((max_wall - (SECONDS - start)))
    chunk=$((left_cpu < left_wall ? left_cpu : left_wall))
    ((chunk >= 5)) || break
    round=$((round + 1))
    # CPU time of the fuzzer and every worker it forked (times of waited-for children).
    local TIMEFORMAT="%U %S" times user sys last
    times="$({ time nice -n 10 "$build/tests/fuzz/fuzzers/dossier-fuzz-$t" "${args[@]}" \
      -max_total_time="$chunk" "${dirs[@]}" >"$log.$round" 2>&1 || true; } 2>&1)"
    read -r user sys <<<"$times"
    cpu=$(awk -v c="$cpu" -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", c + u + s }')
    # Fork mode's progress lines: "#N: cov: C ft: F corp: K exec/s: E oom/timeout/crash: ..."
    last="$(grep -E '^#[0-9]+: cov:' "$log.$round" | tail -n 1 || true)"
    execs=$((execs + $(sed -nE 's/^#([0-9]+):.*/\1/p' <<<"$last" | grep . || echo 0)))
    grep -vE '^ *NEW_FUNC' "$log.$round" >>"$log" || true
    rm -f "$log.$round"
  done
  echo "$((SECONDS - start))" >"$build/logs/$t.wall"
  echo "$cpu" >"$build/logs/$t.cpu"
  echo "$execs" >"$build/logs/$t.execs"
  # Coverage of the final corpus: replay it once (-runs=0) and read libFuzzer's INITED line.
  nice -n 10 "$build/tests/fuzz/fuzzers/dossier-fuzz-$t" -runs=0 -max_len="$(max_len_of "$t")" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" >"$build/logs/$t.final" 2>&1 || true
  echo "run.sh: $t done ($cpu CPU seconds in $((SECONDS - start))s, $round rounds)"
}

echo "run.sh: fuzzing $(wc -w <<<"$targets") targets for ${seconds} CPU seconds each (at most ${max_wall}s), $jobs at a time; logs in $build/logs"
running=0
for t in $targets; do
  if [[ ! -x "$build/tests/fuzz/fuzzers/dossier-fuzz-$t" ]]; then
    echo "run.sh: no fuzzer for target $t" >&2
    exit 2
  fi
  run_one "$t" &
  running=$((running + 1))
  if [[ $running -ge $jobs ]]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

# The table.
summary="$build/summary.md"
{
  echo "# Fuzzing summary ($(date -u '+%Y-%m-%d %H:%M UTC'), ${seconds} CPU s per target, at most ${max_wall}s wall)"
  echo
  echo "| target | wall s | CPU s | executions | cov | ft | corpus | crashes | timeouts | ooms |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for t in $targets; do
    execs="$(cat "$build/logs/$t.execs")"
    inited="$(grep -E 'INITED cov:' "$build/logs/$t.final" | tail -n 1 || true)"
    cov="$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$inited")"
    ft="$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$inited")"
    corpus="$(find "$build/corpus/$t" -type f | wc -l)"
    cpu="$(awk '{ printf "%.0f", $1 }' "$build/logs/$t.cpu")"
    crashes="$(find "$build/artifacts/$t" -name 'crash-*' -o -name 'leak-*' | wc -l)"
    timeouts="$(find "$build/artifacts/$t" -name 'timeout-*' -o -name 'slow-unit-*' | wc -l)"
    ooms="$(find "$build/artifacts/$t" -name 'oom-*' | wc -l)"
    echo "| $t | $(cat "$build/logs/$t.wall") | $cpu | ${execs:-?} | ${cov:-?} | ${ft:-?} | $corpus | $crashes | $timeouts | $ooms |"
  done
} >"$summary"
cat "$summary"

# Crash inputs: listed, and copied into tests/fuzz/<target>/regressions/ only on request.
found=0
for t in $targets; do
  while IFS= read -r -d '' f; do
    found=1
    echo "run.sh: $t: $f"
    if [[ $save_crashes -eq 1 ]]; then
      mkdir -p "$src/$t/regressions"
      cp "$f" "$src/$t/regressions/"
      echo "run.sh:   copied to tests/fuzz/$t/regressions/$(basename "$f") (give it a descriptive name)"
    fi
  done < <(find "$build/artifacts/$t" -type f -print0)
done
[[ $found -eq 0 ]] && echo "run.sh: no crashes, timeouts or out-of-memory inputs"
exit 0
