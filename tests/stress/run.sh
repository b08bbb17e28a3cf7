#!/usr/bin/env bash
# make stress: the proofs of issue #11 ("Proofs to build"), on a release build.
#
#   1. kill rounds (kill_rounds.py): dossier-index stopped by SIGKILL, SIGINT or SIGTERM at
#      random moments, incremental and --full; after each: xapian-check, the exact article ids
#      and section counts, a query; then a re-run must complete the job.
#   2. readers during writes (readers_writers.cpp, release library): 100 commits that add,
#      update and remove articles while reader threads (each its own Searcher) and the
#      dossier-search binary search; every result must match one commit.
#   3. the same program under ThreadSanitizer (library built in build/tsan).
#
# Usage: tests/stress/run.sh [--bin DIR] [--rounds N] [--seed S] [--quick] [--no-tsan]
#   --bin DIR    dossier-index and dossier-search (default build/release/bin); the library and
#                generated headers are taken from DIR/.. (a CMake build folder)
#   --rounds N   kill rounds per mode (default 100; the --full SIGINT/SIGTERM modes get N/4)
#   --seed S     seed of the kill rounds and of the readers test (default: random, printed)
#   --quick      5 rounds per mode, fewer searches: a check of the harness (~5 min)
#   --no-tsan    skip the ThreadSanitizer build and run
# Output: build/stress/summary.md (also printed), build/stress/kill/rounds.jsonl (one line per
# round, with its parameters), build/stress/tsan.log.*. Exit status 1 when anything failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

bin=build/release/bin
rounds=100
seed=""
quick=0
tsan=1
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --no-tsan) tsan=0; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$seed" ] || seed=$(( (RANDOM << 15 | RANDOM) ))
searches=9500
cli_searches=500
commits=100
tsan_searches=2000
tsan_commits=50
if [ "$quick" = 1 ]; then
  [ "$rounds" = 100 ] && rounds=5
  searches=1900; cli_searches=100; commits=30; tsan_searches=300; tsan_commits=10
fi
bin=$(cd "$bin" && pwd) || { echo "run.sh: no folder $bin" >&2; exit 2; }
build=$(dirname "$bin")
out=$repo/build/stress
mkdir -p "$out"
for b in dossier-index dossier-search; do
  [ -x "$bin/$b" ] || { echo "run.sh: $bin/$b missing (make build PRESET=release)" >&2; exit 2; }
done

# --- tools: xapian-check (xapian-tools) and a python3 with the Xapian bindings (python3-xapian)
apt_install() {
  echo "run.sh: installing $* (apt-get)"
  if [ "$(id -u)" = 0 ]; then s=""; else s="sudo"; fi
  $s apt-get install -y -q "$@" >/dev/null 2>&1 ||
    { $s apt-get update -q >/dev/null 2>&1 && $s apt-get install -y -q "$@" >/dev/null 2>&1; }
}
command -v xapian-check >/dev/null || apt_install xapian-tools
py=""
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import xapian' 2>/dev/null; then py=$p; break; fi
done
if [ -z "$py" ]; then
  apt_install python3-xapian
  /usr/bin/python3 -c 'import xapian' 2>/dev/null && py=/usr/bin/python3
fi
command -v xapian-check >/dev/null || { echo "run.sh: xapian-check unavailable" >&2; exit 2; }
[ -n "$py" ] || { echo "run.sh: python3-xapian unavailable" >&2; exit 2; }

t_all=$(date +%s)
status=0
echo "== stress: seed $seed, $rounds rounds per mode, binaries $bin"

# --- 1. kill rounds
t0=$(date +%s)
"$py" "$here/kill_rounds.py" --bin "$bin" --work "$out/kill" --rounds "$rounds" --seed "$seed" \
  --summary "$out/kill.json" 2>&1 | tee "$out/kill.log"
kill_rc=${PIPESTATUS[0]}
[ "$kill_rc" = 0 ] || status=1
kill_seconds=$(( $(date +%s) - t0 ))

# --- 2. readers during writes, release library
cxx=${CXX:-g++}
rw_rc=0
echo "== readers during writes ($searches library + $cli_searches CLI searches, $commits commits)"
if $cxx -std=c++20 -O2 -g -pthread -I"$repo/lib/include" -I"$build/lib/include" \
    "$here/readers_writers.cpp" -L"$build/lib" -ldossier -Wl,-rpath,"$build/lib" \
    -o "$out/readers_writers" 2>"$out/readers_writers.build.log"; then
  timeout 1200 "$out/readers_writers" --work "$out/rw" --readers 4 --searches "$searches" \
    --commits "$commits" --cli-bin "$bin" --cli-searches "$cli_searches" --seed "$seed" \
    --json "$out/rw.json" 2>&1 | tee "$out/rw.log"
  rw_rc=${PIPESTATUS[0]}
else
  cat "$out/readers_writers.build.log"; rw_rc=2
fi
[ "$rw_rc" = 0 ] || status=1

# --- 3. ThreadSanitizer: the library built with -fsanitize=thread, the same program
tsan_rc=skipped
tsan_reports=-
if [ "$tsan" = 1 ]; then
  echo "== ThreadSanitizer ($tsan_searches searches, $tsan_commits commits; library in build/tsan)"
  tb=$repo/build/tsan
  tsan_rc=0
  if { [ -f "$tb/CMakeCache.txt" ] || cmake -S "$repo" -B "$tb" -G Ninja \
         -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDOSSIER_SANITIZE=thread \
         -DDOSSIER_BUILD_TESTS=OFF >"$out/tsan.configure.log" 2>&1; } &&
     cmake --build "$tb" --target dossier -j "$(nproc)" >"$out/tsan.build.log" 2>&1 &&
     $cxx -std=c++20 -O1 -g -fsanitize=thread -fno-omit-frame-pointer -pthread \
       -I"$repo/lib/include" -I"$tb/lib/include" "$here/readers_writers.cpp" -L"$tb/lib" \
       -ldossier -Wl,-rpath,"$tb/lib" -o "$out/readers_writers.tsan" \
       2>>"$out/tsan.build.log"; then
    rm -f "$out"/tsan.log.* "$out/tsan.summary"
    # Some kernels map memory where TSan cannot work with ASLR on: retry without it.
    run_tsan() {
      TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 log_path=$out/tsan.log suppressions=$here/tsan.supp" \
        timeout 1800 "$@" "$out/readers_writers.tsan" --work "$out/rw-tsan" --readers 4 \
        --searches "$tsan_searches" --commits "$tsan_commits" --seed "$seed" \
        --json "$out/rw-tsan.json" 2>&1 | tee "$out/rw-tsan.out"
      return "${PIPESTATUS[0]}"
    }
    run_tsan; tsan_rc=$?
    if grep -qs "unexpected memory mapping" "$out"/tsan.log.* "$out/rw-tsan.out"; then
      rm -f "$out"/tsan.log.*
      run_tsan setarch "$(uname -m)" -R; tsan_rc=$?
    fi
    tsan_reports=$(cat "$out"/tsan.log.* 2>/dev/null | grep -c "WARNING: ThreadSanitizer" || true)
    if [ "$tsan_reports" != 0 ]; then
      echo "ThreadSanitizer: $tsan_reports reports (full text in $out/tsan.log.*), by place:"
      cat "$out"/tsan.log.* | grep "^SUMMARY: ThreadSanitizer" | sort | uniq -c | sort -rn |
        tee "$out/tsan.summary"
    fi
  else
    echo "run.sh: the ThreadSanitizer build failed; see $out/tsan.build.log"
    tail -20 "$out/tsan.build.log"; tsan_rc=build-failed
  fi
  [ "$tsan_rc" = 0 ] && [ "$tsan_reports" = 0 ] || status=1
fi

# --- summary
"$py" - "$out" "$kill_rc" "$kill_seconds" "$rw_rc" "$tsan_rc" "$tsan_reports" \
  "$(( $(date +%s) - t_all ))" <<'EOF' | tee "$out/summary.md"
import json, sys
from pathlib import Path
out, kill_rc, kill_s, rw_rc, tsan_rc, tsan_reports, total_s = sys.argv[1:]
out = Path(out)
def load(name):
    try:
        return json.loads((out / name).read_text())
    except (OSError, ValueError):
        return None
k = load("kill.json")
print("# make stress summary\n")
if k:
    c = k["calibration"]
    print(f"Kill rounds: seed {k['seed']}, {k['articles']} articles ({k['sections']} section "
          f"documents); clean runs: " + ", ".join(f"{n} {v['seconds']:.2f} s" for n, v in c.items())
          + f". Log: {k['log']}\n")
    print("| mode | rounds | signals delivered | run ended first | exit 130/143 | failed rounds "
          "| re-run median / max (s) | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for mode, m in k["modes"].items():
        graceful = m["graceful_exits"] if m["signal"] != "SIGKILL" else "-"
        print(f"| {mode} | {m['rounds']} | {m['signals']} ({m['signal']}) | "
              f"{m['finished_first']} | {graceful} | {m['failures']} | "
              f"{m['rerun_median']} / {m['rerun_max']} | {m['seconds']} |")
    for mode, m in k["modes"].items():
        for f in m["failed_rounds"][:3]:
            print(f"\n- FAILED {mode} round {f['round']}: " + " | ".join(f["failures"]))
else:
    print(f"Kill rounds: no summary (exit status {kill_rc})")
print()
print("| readers during writes | commits | searches (library + CLI) | errors | inconsistent "
      "| stale | revisions seen | report mismatches | seconds | exit |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name, f, rc in (("release", "rw.json", rw_rc), ("ThreadSanitizer", "rw-tsan.json", tsan_rc)):
    r = load(f)
    if r and not (name == "ThreadSanitizer" and tsan_rc == "skipped"):
        print(f"| {name} | {r['commits']} | {r['searches']} ({r['library_searches']} + "
              f"{r['cli_searches']}) | {r['errors'] + r['writer_errors']} | {r['inconsistent']} | "
              f"{r['stale_reads']} | {r['revisions_seen']} | {r['report_mismatches']} | "
              f"{r['seconds']:.1f} | {rc} |")
    else:
        print(f"| {name} | - | - | - | - | - | - | - | - | {rc} |")
for name, f in (("release", "rw.log"), ("ThreadSanitizer", "rw-tsan.out")):
    try:
        notes = [l.rstrip() for l in (out / f).read_text().splitlines() if l.startswith("  ")]
    except OSError:
        notes = []
    for l in notes[:10]:
        print(f"\n- {name}: {l.strip()}")
print(f"\nThreadSanitizer reports: {tsan_reports} (suppressions: tests/stress/tsan.supp).")
try:
    for l in (out / "tsan.summary").read_text().splitlines():
        print(f"- {l.strip()}")
except OSError:
    pass
print(f"\nTotal {total_s} s (kill rounds {kill_s} s).")
EOF
if [ "$status" = 0 ]; then echo "stress: all passed"; else echo "stress: FAILURES (see above)"; fi
exit "$status"
