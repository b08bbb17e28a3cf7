#!/usr/bin/env python3
"""End to end: dossier-index as a user runs it — index corpus/, re-run, stats, explain-topics,
bad inputs (status 1 with reasons), a bad configuration and a damaged index (status 3)."""
import json
import pathlib
import shutil
import subprocess
import sys

binary, source, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
db = work / "index"


def run(*args, status=0):
    r = subprocess.run([binary, *map(str, args)], capture_output=True, check=False)
    if r.returncode != status:
        sys.exit(f"{args}: exit {r.returncode}, want {status}\n{r.stderr.decode()}")
    return r


def check(what, got, want):
    if got != want:
        sys.exit(f"{what}: got {got!r}, want {want!r}")


config = source / "corpus/dossier.yaml"
first = json.loads(run("--db", db, "--config", config, "--json", source / "corpus").stdout)
check("first run failed", first["failed"], [])
check("first run counts", (first["updated"], first["unchanged"], first["removed"]), (0, 0, 0))
added = first["added"]
check("complete", first["complete"], True)

again = json.loads(run("--db", db, "--config", config, "--json", source / "corpus").stdout)
check("second run", (again["added"], again["updated"], again["unchanged"]), (0, 0, added))

stats = json.loads(run("--db", db, "--stats", "--json").stdout)
check("stats articles", stats["articles"], added)
check("stats dates", (stats["first_date"], stats["last_date"]), ("1790", "2025-10-30"))

seed_id = str((source / "corpus/000_42de43b9164fe9cf.txt").resolve())
topics = json.loads(run("--db", db, "--explain-topics", seed_id, "--json").stdout)
check("seed has trade", "trade" in topics, True)
check("trade terms", bool(topics.get("trade")), True)
run("--db", db, "--explain-topics", "no-such-id", status=3)

# Bad inputs: the good ones are indexed, the bad ones listed with reasons, status 1. Only the
# top-level files: tests/data/bad/hostile/ belongs to tests/e2e/hostile_inputs.py.
bad_files = sorted(p for p in (source / "tests/data/bad").iterdir() if p.is_file())
bad = json.loads(run("--db", work / "bad", "--json", *bad_files, status=1).stdout)
reasons = {pathlib.Path(f["path"]).name: f["reason"] for f in bad["failed"]}
check("empty.txt reason", "empty file" in reasons.get("empty.txt", ""), True)
check("mixed.jsonl reason", reasons.get("mixed.jsonl", "").startswith("line 2: malformed JSON"), True)
check("good articles added", bad["added"], 2)

# Fatal: a configuration that does not parse, an index folder that is a file, a foreign index.
broken = work / "broken.yaml"
broken.write_text("topics: [\n")
r = run("--db", work / "x", "--config", broken, source / "corpus", status=3)
check("bad config message", b"malformed YAML" in r.stderr, True)
not_dir = work / "file"
not_dir.write_text("x")
r = run("--db", not_dir / "index", source / "corpus", status=3)
check("one line", len(r.stderr.decode().strip().splitlines()), 1)
r = run("--db", work / "nothing-here", "--stats", status=3)
check("missing index message", b"no index" in r.stderr, True)
print("indexer cli: ok")
