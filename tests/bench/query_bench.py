#!/usr/bin/env python3
"""Query benchmark: dossier-query-bench and dossier-search over the shared benchmark corpus.

Builds (once, cached) the benchmark corpus from ../shared/tools/bench_corpus.py, indexes it once
with the release dossier-index (--full, then --compact; cached by corpus hash and binary mtime),
generates a reproducible batch of 2-4 word queries drawn from the corpus' documents, runs
dossier-query-bench on them (one process: p50/p95/p99/max and queries/s for the requested
settings and for variants without snippets or facets), and times whole dossier-search processes
(start to exit) on a subset. It measures only: no thresholds, exit 0 whatever the figures
(non-zero only when a program fails, 2 on a usage error). The issue's targets are printed beside
the figures for reference. Python standard library only.

  python3 tests/bench/query_bench.py --bin build/release/bin --work build/bench
"""
import argparse
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import index_bench  # noqa: E402  (the corpus cache and machine facts are shared)

# The targets on a 2-core machine (informational).
TARGET_P50_MS = 1.5
TARGET_P99_MS = 20.0
TARGET_CLI_MS = 15.0
FACETS = "author,org,topic,type"

# Snowball's English stop list, as the query parser uses it (lib/src/search/query.cpp); only the
# words of four letters or more matter here, since shorter words are never drawn.
STOPWORDS = set("""
ourselves yourself yourselves himself herself itself they them their theirs themselves what
which whom this that these those were been being have having does doing would should could
ought isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't
shan't shouldn't can't cannot couldn't mustn't let's that's who's what's here's there's when's
where's why's how's because until while with about against between into through during before
after above below from down over under again further then once here there when where both each
more most other some such only same than very your yours ours hers
""".split())
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def log(msg):
    index_bench.log(msg)


def binary_key(path):
    """The binary's path, mtime and size, and those of the libdossier beside it (build/lib):
    the indexing code lives in the shared library."""
    parts = [path]
    lib = os.path.join(os.path.dirname(os.path.dirname(path)), "lib")
    if os.path.isdir(lib):
        parts += sorted(os.path.join(lib, n) for n in os.listdir(lib) if n.startswith("libdossier"))
    keys = []
    for p in parts:
        st = os.stat(p)
        keys.append("%s:%d:%d" % (os.path.realpath(p), st.st_mtime_ns, st.st_size))
    return ";".join(keys)


def ensure_index(index_binary, corpus, work):
    """The cached compacted index of `corpus`; rebuilt when the corpus or the indexer changed."""
    key = hashlib.sha256(("%s|%s" % (index_bench.sha256_file(corpus),
                                     binary_key(index_binary))).encode()).hexdigest()[:20]
    db = os.path.join(work, "query-index")
    info_path = os.path.join(work, "query-index-info.json")
    if os.path.isdir(db) and os.path.exists(info_path):
        with open(info_path, encoding="utf-8") as f:
            if json.load(f).get("key") == key:
                return db
        log("bench: cached index is stale; rebuilding")
    tmp = db + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    log("bench: indexing %s (once) -> %s" % (corpus, db))
    start = time.monotonic()
    res = subprocess.run([index_binary, "--db", tmp, "--jobs", "2", "--full", "--quiet", corpus],
                         capture_output=True, text=True)
    if res.returncode not in (0, 1):  # 1: some records rejected
        raise RuntimeError("dossier-index exited %d: %s" % (res.returncode,
                                                            res.stderr.strip()[-2000:]))
    res = subprocess.run([index_binary, "--db", tmp, "--compact"], capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError("dossier-index --compact exited %d: %s"
                           % (res.returncode, res.stderr.strip()[-2000:]))
    log("bench: indexed in %.0f s" % (time.monotonic() - start))
    shutil.rmtree(db, ignore_errors=True)
    os.replace(tmp, db)
    with open(info_path, "w", encoding="utf-8") as f:
        json.dump({"key": key, "corpus": corpus, "index_binary": binary_key(index_binary)}, f)
    return db


def make_queries(corpus, count, seed):
    """`count` queries of 2-4 distinct words, each drawn from one sampled document.

    Words are drawn by occurrence (a document's frequent words more often, as a reader would
    pick them), lower-cased, letters only, at least four characters, never a stopword, so every
    query has at least the document it came from as a match.
    """
    with open(corpus, "rb") as f:
        lines = [line for line in f if line.strip()]
    rng = random.Random(seed)
    queries = []
    attempts = 0
    while len(queries) < count:
        attempts += 1
        if attempts > count * 20:
            raise RuntimeError("could not draw %d queries from %s" % (count, corpus))
        record = json.loads(lines[rng.randrange(len(lines))])
        text = "%s\n%s" % (record.get("title", ""), record.get("body", ""))
        words = [w for w in (m.group(0).lower() for m in WORD.finditer(text))
                 if len(w) >= 4 and "'" not in w and w not in STOPWORDS]
        distinct = set(words)
        k = rng.randint(2, 4)
        if len(distinct) < k:
            continue
        chosen = []
        while len(chosen) < k:
            w = words[rng.randrange(len(words))]
            if w not in chosen:
                chosen.append(w)
        queries.append(" ".join(chosen))
    return queries


def percentile(sorted_values, p):
    """Nearest-rank percentile, as dossier-query-bench computes it."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), -(-len(sorted_values) * p // 100)))
    return sorted_values[int(rank) - 1]


def time_processes(argvs):
    """Wall and CPU (user + system) ms of each argv, process start to exit, output discarded.

    os.wait4 gives the child's own rusage; its CPU time does not count the time spent waiting
    for a core, which wall time on a busy machine does.
    """
    times, cpu, failures = [], [], []
    for argv in argvs:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append((time.perf_counter() - start) * 1000.0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu.append((usage.ru_utime + usage.ru_stime) * 1000.0)
        if proc.returncode != 0:
            failures.append({"query": argv[-1], "status": proc.returncode})
    return times, cpu, failures


def cli_figures(search_binary, db, queries, count, limit):
    picked = queries[:count]
    base = [search_binary, "--db", db, "--limit", str(limit), "--facets", FACETS,
            "--color", "never"]
    # One untimed run each so that the binary, its libraries and the index are in the cache.
    time_processes([base + [picked[0]], ["/bin/true"]])
    spawn, _, _ = time_processes([["/bin/true"]] * count)
    version, version_cpu, _ = time_processes([[search_binary, "--version"]] * count)
    times, cpu, failures = time_processes([base + [q] for q in picked])
    s, t, c = sorted(times), sorted(spawn), sorted(cpu)
    return {"command": " ".join(base[:1] + ["--db", "IDX"] + base[3:]) + " QUERY",
            "count": len(times), "failures": failures, "p50_ms": round(percentile(s, 50), 2),
            "p95_ms": round(percentile(s, 95), 2), "max_ms": round(s[-1], 2),
            "mean_ms": round(statistics.mean(s), 2), "cpu_p50_ms": round(percentile(c, 50), 2),
            "cpu_p95_ms": round(percentile(c, 95), 2),
            "spawn_true_p50_ms": round(percentile(t, 50), 2),
            "version_p50_ms": round(percentile(sorted(version), 50), 2),
            "version_cpu_p50_ms": round(percentile(sorted(version_cpu), 50), 2)}


def print_table(bench, cli, load_before, load_after):
    print("query benchmark: %d queries on %s, opened in %.2f ms (load 1/5/15 before %s, "
          "after %s)" % (bench["queries"], bench["db"], bench["open_ms"],
                         "/".join("%.2f" % x for x in load_before),
                         "/".join("%.2f" % x for x in load_after)))
    header = "%-44s %4s %4s %8s %8s %8s %8s %8s %8s %8s %7s %5s %8s"
    print(header % ("variant [limit/snippets/facets]", "n", "err", "p50 ms", "p95 ms", "p99 ms",
                    "max ms", "mean ms", "cpu p50", "cpu p99", "q/s", "hits", "matches"))
    for v in bench["variants"]:
        label = "%s [%d/%d/%s]" % (v["name"], v["limit"], v["snippets"],
                                   "%d facets" % len(v["facets"]) if v["facets"] else "none")
        print("%-44s %4d %4d %8.3f %8.3f %8.3f %8.2f %8.3f %8.3f %8.3f %7.0f %5.2f %8.0f"
              % (label[:44], v["count"], v["errors"], v["p50_ms"], v["p95_ms"], v["p99_ms"],
                 v["max_ms"], v["mean_ms"], v["cpu_p50_ms"], v["cpu_p99_ms"],
                 v["queries_per_s"], v["mean_hits"], v["mean_total"]))
    if cli:
        print("CLI end to end, %d runs of: %s" % (cli["count"], cli["command"]))
        print("  wall p50 %.2f ms, p95 %.2f ms, max %.2f ms; CPU p50 %.2f ms, p95 %.2f ms%s"
              % (cli["p50_ms"], cli["p95_ms"], cli["max_ms"], cli["cpu_p50_ms"],
                 cli["cpu_p95_ms"],
                 "; %d runs failed" % len(cli["failures"]) if cli["failures"] else ""))
        print("  for scale: dossier-search --version wall p50 %.2f ms (CPU %.2f ms), "
              "/bin/true wall p50 %.2f ms" % (cli["version_p50_ms"], cli["version_cpu_p50_ms"],
                                              cli["spawn_true_p50_ms"]))
    req = bench["variants"][0]
    print("targets (issue 5, 2 cores, top 10 + 3 snippets + 4 facets): p50 <= %.1f ms [%.2f], "
          "p99 <= %.0f ms [%.2f], CLI <= %.0f ms [%s]"
          % (TARGET_P50_MS, req["p50_ms"], TARGET_P99_MS, req["p99_ms"], TARGET_CLI_MS,
             "%.2f" % cli["p50_ms"] if cli else "not measured"), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True,
                    help="folder of the release dossier-index, dossier-search, dossier-query-bench")
    ap.add_argument("--work", required=True, help="build-tree scratch folder (corpus, index)")
    ap.add_argument("--shared", default=index_bench.DEFAULT_SHARED,
                    help="the shared folder (../shared)")
    ap.add_argument("--docs", type=int, default=0,
                    help="index only the first N documents (quick runs; not comparable)")
    ap.add_argument("--queries", type=int, default=500, help="queries in the batch (>= 1)")
    ap.add_argument("--seed", type=int, default=5, help="seed of the query generator")
    ap.add_argument("--limit", type=int, default=10, help="hits per query")
    ap.add_argument("--snippets", type=int, default=3, help="passages per hit")
    ap.add_argument("--facets", default=FACETS, help="facets of the requested configuration")
    ap.add_argument("--warmup", type=int, default=20,
                    help="untimed queries (under each variant) before timing")
    ap.add_argument("--cli-queries", type=int, default=50,
                    help="dossier-search processes to time (0: skip)")
    ap.add_argument("--json", help="JSON results file (default WORK/query_bench.json)")
    a = ap.parse_args()

    if not os.path.exists(os.path.join(a.shared, "tools", "bench_corpus.py")):
        print("query_bench: skipped: %s/tools/bench_corpus.py is absent (the benchmark corpus "
              "is built from ../shared)" % a.shared)
        return 0
    binaries = {}
    for name in ("dossier-index", "dossier-search", "dossier-query-bench"):
        path = os.path.abspath(os.path.join(a.bin, name))
        if not os.access(path, os.X_OK):
            print("query_bench: error: %s is not an executable (build the release preset "
                  "first)" % path, file=sys.stderr)
            return 2
        binaries[name] = path
    if a.queries < 1 or a.limit < 0 or a.snippets < 0 or a.warmup < 0 or a.cli_queries < 0:
        print("query_bench: error: --queries must be >= 1 and the counts >= 0", file=sys.stderr)
        return 2

    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    corpus, corpus_info = index_bench.ensure_corpus(a.shared, work, a.docs)
    try:
        db = ensure_index(binaries["dossier-index"], corpus, work)
        queries = make_queries(corpus, a.queries, a.seed)
    except RuntimeError as e:
        print("query_bench: error: %s" % e, file=sys.stderr)
        return 1
    queries_path = os.path.join(work, "queries.txt")
    with open(queries_path, "w", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")

    raw = os.path.join(work, "query_bench_raw.json")
    argv = [binaries["dossier-query-bench"], "--db", db, "--queries", queries_path, "--limit",
            str(a.limit), "--snippets", str(a.snippets), "--facets", a.facets or "none",
            "--warmup", str(a.warmup), "--json", raw]
    log("bench: " + " ".join(argv))
    load_before = os.getloadavg()
    res = subprocess.run(argv, capture_output=True, text=True)
    if res.returncode != 0:
        print("query_bench: error: dossier-query-bench exited %d: %s"
              % (res.returncode, res.stderr.strip()[-2000:]), file=sys.stderr)
        return 1
    with open(raw, encoding="utf-8") as f:
        bench = json.load(f)
    cli = None
    if a.cli_queries:
        log("bench: timing %d dossier-search processes ..." % a.cli_queries)
        cli = cli_figures(binaries["dossier-search"], db, queries, a.cli_queries, a.limit)
    load_after = os.getloadavg()

    print("corpus: %d documents, %.1f MB of title + body text" % (corpus_info["docs"],
                                                                 corpus_info["text_bytes"] / 1e6))
    print_table(bench, cli, load_before, load_after)
    result = {
        "benchmark": "query", "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": index_bench.machine_info(binaries["dossier-index"]), "corpus": corpus_info,
        "bench_command": " ".join(argv), "queries_file": queries_path, "seed": a.seed,
        "targets": {"p50_ms_max": TARGET_P50_MS, "p99_ms_max": TARGET_P99_MS,
                    "cli_ms_max": TARGET_CLI_MS},
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "library": bench, "cli": cli,
    }
    output = a.json or os.path.join(work, "query_bench.json")
    with open(output, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    log("bench: results written to %s" % output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
