#!/usr/bin/env python3
"""Indexing benchmark: dossier-index over the shared benchmark corpus, --jobs 1 and --jobs 2.

Builds (once, cached) the benchmark corpus from ../shared/tools/bench_corpus.py into a build-tree
folder, indexes it from scratch with each --jobs value, compacts, and reports documents/s, MB/s of
title + body text, peak RSS and index size over text size. It measures only: no thresholds, so it
exits 0 whatever the figures (non-zero only when dossier-index itself fails or on a usage error).
The issue's targets are printed beside the figures for reference. Python standard library only.

  python3 tests/bench/index_bench.py --binary build/release/bin/dossier-index --work build/bench
"""
import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))
EXPECTED_DOCS = 49032  # what bench_corpus.py produced when the targets were set

# The targets on a 2-core machine (informational).
TARGET_MBPS = 5.0
TARGET_RSS_MB = 1000.0
TARGET_SIZE_RATIO = 1.5


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def measure_corpus(path):
    """Records and title + body bytes (UTF-8) of a JSON Lines corpus."""
    docs = text = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            docs += 1
            text += len(r.get("title", "").encode()) + len(r.get("body", "").encode())
    return docs, text


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += block.count(b"\n")
    return n


def ensure_corpus(shared, work, limit):
    """The cached corpus file and its figures; rebuilt when the generator or the count changed.

    The corpus lives in its own folder (work/corpus) and the cache record beside that folder, so
    dossier-index never sees the record as a sidecar.
    """
    tool = os.path.join(shared, "tools", "bench_corpus.py")
    corpus_dir = os.path.join(work, "corpus")
    corpus = os.path.join(corpus_dir, "bench.jsonl")
    info_path = os.path.join(work, "corpus-info.json")
    tool_hash = sha256_file(tool)
    info = None
    if os.path.exists(corpus) and os.path.exists(info_path):
        with open(info_path, encoding="utf-8") as f:
            info = json.load(f)
        if info.get("generator_sha256") != tool_hash or count_lines(corpus) != info.get("docs"):
            log("bench: cached corpus is stale; rebuilding")
            info = None
    if info is None:
        os.makedirs(corpus_dir, exist_ok=True)
        log("bench: building the benchmark corpus (once) -> %s" % corpus)
        tmp = corpus + ".tmp"
        subprocess.run([sys.executable, tool, tmp], check=True)
        os.replace(tmp, corpus)
        docs, text = measure_corpus(corpus)
        info = {"docs": docs, "text_bytes": text, "file_bytes": os.path.getsize(corpus),
                "generator_sha256": tool_hash}
        with open(info_path, "w", encoding="utf-8") as f:
            json.dump(info, f, indent=1)
    if info["docs"] != EXPECTED_DOCS:
        log("bench: note: corpus has %d documents, not the %d of the published figures"
            % (info["docs"], EXPECTED_DOCS))
    if limit:
        # A slice of the first `limit` records, for quick runs and profiling.
        sliced = os.path.join(work, "slice-%d" % limit, "bench.jsonl")
        if not os.path.exists(sliced) or count_lines(sliced) != min(limit, info["docs"]):
            os.makedirs(os.path.dirname(sliced), exist_ok=True)
            with open(corpus, encoding="utf-8") as src, open(sliced, "w", encoding="utf-8") as out:
                for i, line in enumerate(src):
                    if i >= limit:
                        break
                    out.write(line)
        docs, text = measure_corpus(sliced)
        return sliced, {"docs": docs, "text_bytes": text, "file_bytes": os.path.getsize(sliced),
                        "generator_sha256": tool_hash, "slice_of_first": limit}
    return corpus, info


def run_measured(argv, out_path, env=None):
    """Runs argv, stdout to out_path; returns (status, wall s, user s, sys s, peak RSS MB, stderr).

    os.wait4 gives this child's own rusage: ru_maxrss is its peak resident set (KiB on Linux).
    """
    with open(out_path, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return proc.returncode, wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024.0, stderr


def run_json(argv):
    res = subprocess.run(argv, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(argv), res.returncode,
                                                    res.stderr.strip()[-2000:]))
    return json.loads(res.stdout.strip().splitlines()[-1])


def one_run(binary, corpus, jobs, scratch, env):
    db = os.path.join(scratch, "db")
    out = os.path.join(scratch, "index.json")
    load_before = os.getloadavg()
    argv = [binary, "--db", db, "--jobs", str(jobs), "--full", "--quiet", "--json", corpus]
    status, wall, user, system, rss, stderr = run_measured(argv, out, env)
    load_after = os.getloadavg()
    if status not in (0, 1):  # 1: some records rejected, reported in "failed"
        raise RuntimeError("%s exited %d: %s" % (" ".join(argv), status, stderr.strip()[-2000:]))
    with open(out, encoding="utf-8") as f:
        summary = json.loads(f.read().strip().splitlines()[-1])
    before = run_json([binary, "--db", db, "--stats", "--json"])
    c_status, c_wall, _, _, c_rss, c_err = run_measured([binary, "--db", db, "--compact"],
                                                        os.path.join(scratch, "compact.out"))
    if c_status != 0:
        raise RuntimeError("--compact exited %d: %s" % (c_status, c_err.strip()[-2000:]))
    after = run_json([binary, "--db", db, "--stats", "--json"])
    return {
        "jobs": jobs, "wall_s": wall, "user_s": user, "sys_s": system, "peak_rss_mb": rss,
        "indexer_seconds": summary.get("seconds"), "added": summary.get("added"),
        "failed": len(summary.get("failed", [])), "articles": before.get("articles"),
        "sections": before.get("sections"), "bytes_before_compact": before.get("bytes_on_disk"),
        "bytes_after_compact": after.get("bytes_on_disk"), "compact_wall_s": c_wall,
        "compact_peak_rss_mb": c_rss, "loadavg_before": list(load_before),
        "loadavg_after": list(load_after),
    }


def run_floor(floor_binary, scratch, text_bytes, env):
    """Xapian alone writing the index's content again (tests/bench/xapian_floor.cpp), under the
    same extra environment as the indexer. A failure is reported, not fatal: the indexing
    figures already measured are kept."""
    argv = [floor_binary, "--db", os.path.join(scratch, "db"), "--work", scratch,
            "--text-bytes", str(text_bytes)]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    if proc.returncode != 0:
        log("bench: dossier-xapian-floor exited %d: %s" % (proc.returncode,
                                                           proc.stderr.strip()[-2000:]))
        return []
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def print_floor(floor):
    print()
    print("Xapian alone (dossier-xapian-floor: the same documents, already analysed, written by "
          "two shard threads and merged):")
    print("| content | write s | merge s | wall s | CPU s | MB/s of text | index / text |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    for row in floor:
        print("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2fx |" % (
            row["variant"], row["write_s"], row["merge_s"], row["wall_s"], row["cpu_s"],
            row["text_mb_per_s"], row["size_ratio"]))


def machine_info(binary):
    info = {"nproc": os.cpu_count(), "platform": platform.platform()}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        with open("/etc/debian_version", encoding="utf-8") as f:
            info["debian"] = f.read().strip()
    except OSError:
        pass
    res = subprocess.run([binary, "--version"], capture_output=True, text=True)
    info["dossier_index_version"] = res.stdout.strip()
    return info


def summarise(runs, text_bytes):
    """One row per jobs value: median times over runs, worst peak RSS, sizes of the last run."""
    wall = statistics.median(r["wall_s"] for r in runs)
    cpu = statistics.median(r["user_s"] + r["sys_s"] for r in runs)
    last = runs[-1]
    return {
        "jobs": last["jobs"], "runs": len(runs), "docs": last["articles"],
        "sections": last["sections"], "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
        "docs_per_s": round(last["articles"] / wall, 1),
        "text_mb_per_s": round(text_bytes / 1e6 / wall, 2),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs), 1),
        "index_mb_before_compact": round(last["bytes_before_compact"] / 1e6, 1),
        "index_mb_after_compact": round(last["bytes_after_compact"] / 1e6, 1),
        "size_ratio_before_compact": round(last["bytes_before_compact"] / text_bytes, 2),
        "size_ratio_after_compact": round(last["bytes_after_compact"] / text_bytes, 2),
        "compact_s": round(statistics.median(r["compact_wall_s"] for r in runs), 2),
        "loadavg_before": [round(x, 2) for x in last["loadavg_before"]],
        "loadavg_after": [round(x, 2) for x in last["loadavg_after"]],
    }


def print_table(rows, corpus_info):
    print("corpus: %d documents, %.1f MB of title + body text (%.1f MB JSON Lines)"
          % (corpus_info["docs"], corpus_info["text_bytes"] / 1e6, corpus_info["file_bytes"] / 1e6))
    header = ("jobs", "docs", "wall s", "cpu s", "docs/s", "MB/s text", "peak RSS MB",
              "index/text", "compacted", "compact s", "load 1/5/15 before")
    print(" | ".join(header))
    for r in rows:
        print(" | ".join([
            str(r["jobs"]), str(r["docs"]), "%.1f" % r["wall_s"], "%.1f" % r["cpu_s"],
            "%.0f" % r["docs_per_s"], "%.2f" % r["text_mb_per_s"], "%.0f" % r["peak_rss_mb"],
            "%.2fx" % r["size_ratio_before_compact"], "%.2fx" % r["size_ratio_after_compact"],
            "%.1f" % r["compact_s"], "/".join("%.2f" % x for x in r["loadavg_before"])]))
    print("targets (issue 4, 2 cores): >= %.0f MB/s of text, peak RSS < %.0f MB, "
          "index <= %.1fx text after --compact" % (TARGET_MBPS, TARGET_RSS_MB, TARGET_SIZE_RATIO),
          flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True, help="the dossier-index to measure")
    ap.add_argument("--work", required=True, help="build-tree scratch folder (corpus cache, dbs)")
    ap.add_argument("--runs", type=int, default=1, help="runs per --jobs value (median reported)")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values")
    ap.add_argument("--shared", default=DEFAULT_SHARED, help="the shared folder (../shared)")
    ap.add_argument("--limit", type=int, default=0,
                    help="only the first N documents (quick runs; figures not comparable)")
    ap.add_argument("--output", help="JSON results file (default WORK/index_bench.json)")
    ap.add_argument("--floor", default=None,
                    help="the dossier-xapian-floor to run on the last index (default: beside "
                    "--binary, when built); 'none' skips it")
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                    help="extra environment for the indexing runs (experiments, e.g. "
                    "XAPIAN_FLUSH_THRESHOLD=2000 or LD_PRELOAD=...); repeatable")
    a = ap.parse_args()

    if not os.path.exists(os.path.join(a.shared, "tools", "bench_corpus.py")):
        print("index_bench: skipped: %s/tools/bench_corpus.py is absent (the benchmark corpus "
              "is built from ../shared)" % a.shared)
        return 0
    binary = os.path.abspath(a.binary)
    if not os.access(binary, os.X_OK):
        print("index_bench: error: %s is not an executable dossier-index (build the release "
              "preset first)" % a.binary, file=sys.stderr)
        return 2
    try:
        jobs_list = [int(j) for j in a.jobs.split(",") if j.strip()]
    except ValueError:
        print("index_bench: error: --jobs wants a list like 1,2", file=sys.stderr)
        return 2
    if a.runs < 1 or not jobs_list or min(jobs_list) < 1:
        print("index_bench: error: --runs and --jobs values must be >= 1", file=sys.stderr)
        return 2

    extra_env = {}
    for item in a.env:
        name, sep, value = item.partition("=")
        if not sep or not name:
            print("index_bench: error: --env wants NAME=VALUE, not %r" % item, file=sys.stderr)
            return 2
        extra_env[name] = value
    env = dict(os.environ, **extra_env) if extra_env else None

    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    corpus, corpus_info = ensure_corpus(a.shared, work, a.limit)
    machine = machine_info(binary)
    floor_binary = a.floor or os.path.join(os.path.dirname(binary), "dossier-xapian-floor")
    if a.floor == "none" or not os.access(floor_binary, os.X_OK):
        floor_binary = None
    rows, all_runs, floor = [], [], []
    try:
        for jobs in jobs_list:
            runs = []
            for n in range(a.runs):
                log("bench: --jobs %d, run %d/%d ..." % (jobs, n + 1, a.runs))
                scratch = tempfile.mkdtemp(prefix="run-", dir=work)
                try:
                    runs.append(one_run(binary, corpus, jobs, scratch, env))
                    last = jobs == jobs_list[-1] and n == a.runs - 1
                    if last and floor_binary:
                        log("bench: Xapian's floor on that index (dossier-xapian-floor) ...")
                        floor = run_floor(floor_binary, scratch, corpus_info["text_bytes"], env)
                finally:
                    shutil.rmtree(scratch, ignore_errors=True)
            all_runs.extend(runs)
            rows.append(summarise(runs, corpus_info["text_bytes"]))
    except RuntimeError as e:
        print("index_bench: error: %s" % e, file=sys.stderr)
        return 1

    if extra_env:
        print("environment: " + " ".join("%s=%s" % kv for kv in sorted(extra_env.items())))
    print_table(rows, corpus_info)
    if floor:
        print_floor(floor)
    result = {
        "benchmark": "index", "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine, "corpus": corpus_info, "binary": binary,
        "command_per_run": "dossier-index --db DB --jobs N --full --quiet --json CORPUS; "
                           "dossier-index --db DB --compact",
        "targets": {"text_mb_per_s_min": TARGET_MBPS, "peak_rss_mb_max": TARGET_RSS_MB,
                    "size_ratio_after_compact_max": TARGET_SIZE_RATIO},
        "env": extra_env, "rows": rows, "runs": all_runs,
        "xapian_floor": floor,
    }
    output = a.output or os.path.join(work, "index_bench.json")
    with open(output, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    log("bench: results written to %s" % output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
