#!/usr/bin/env python3
"""End to end, issue 11: what dossier-index never touches, numeric options of both binaries
checked with their ranges (usage error, exit 2), and SIGINT/SIGTERM stopping a run cleanly.
Usage: indexer_safety.py BIN_DIR WORK_DIR"""
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

bin_dir, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
index_bin, search_bin = str(bin_dir / "dossier-index"), str(bin_dir / "dossier-search")
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
failures = []


def check(what, ok, detail=""):
    if not ok:
        failures.append(f"{what}: {detail}")


def run(binary, *args):
    return subprocess.run([binary, *map(str, args)], capture_output=True, text=True, check=False,
                          timeout=300)


def tree(root):
    return sorted((str(p.relative_to(root)), p.stat().st_size if p.is_file() else -1)
                  for p in root.rglob("*"))


def write_corpus(folder, files, per_file):
    folder.mkdir(parents=True, exist_ok=True)
    words = ["harbour", "orchard", "lantern", "quarry", "meadow", "glacier", "canal", "beacon"]
    for f in range(files):
        lines = []
        for r in range(per_file):
            n = f * per_file + r
            body = " ".join(words[(n + w * 3) % len(words)] for w in range(60))
            lines.append(json.dumps({"id": f"gen-{n}", "title": f"Sample note {n}",
                                     "authors": ["Ada Sample"], "date": "2021-03-04",
                                     "body": body}))
        (folder / f"part-{f:04d}.jsonl").write_text("\n".join(lines) + "\n")


# 1. Numeric options out of range: a usage error naming the option and its range.
bad_options = [
    (index_bin, ["--db", work / "x", "--jobs", "-1", work], "--jobs -1: out of range 0..256"),
    (index_bin, ["--db", work / "x", "--jobs", "100000", work], "--jobs 100000: out of range 0..256"),
    (index_bin, ["--db", work / "x", "--title-weight", "0", work], "--title-weight 0: out of range 1..20"),
    (search_bin, ["--db", work / "x", "--limit", "-1", "q"], "--limit -1: out of range 0..1000000"),
    (search_bin, ["--db", work / "x", "--offset", "-5", "q"], "--offset -5: out of range 0..1000000000"),
    (search_bin, ["--db", work / "x", "--expand", "-3", "q"], "--expand -3: out of range 0..1000"),
    (search_bin, ["--db", work / "x", "--k1", "inf", "q"], "--k1 inf: out of range 0..100"),
    (search_bin, ["--db", work / "x", "--expand-weight", "nan", "q"], "--expand-weight nan: out of range 0..100"),
    (search_bin, ["--db", work / "x", "--b", "1.5", "q"], "--b 1.5: out of range 0..1"),
    (search_bin, ["--db", work / "x", "--snippets", "-2", "q"], "--snippets -2: out of range 0..100"),
    (search_bin, ["--db", work / "x", "--snippet-length", "10", "q"], "--snippet-length 10: out of range 40..100000"),
    (search_bin, ["--db", work / "x", "--facet-limit", "-1", "q"], "--facet-limit -1: out of range 0..1000000"),
    (search_bin, ["--db", work / "x", "--wildcard-limit", "0", "q"], "--wildcard-limit 0: out of range 1..100000"),
    (search_bin, ["--db", work / "x", "--proximity", "-0.5", "q"], "--proximity -0.5: out of range 0..100"),
]
for binary, args, message in bad_options:
    r = run(binary, *args)
    name = f"{pathlib.Path(binary).name} {' '.join(map(str, args[2:4]))}"
    check(name + " exit status", r.returncode == 2, f"{r.returncode}: {r.stderr}")
    check(name + " message", message in r.stderr, r.stderr)
check("nothing created by rejected options", not (work / "x").exists())

# 2. A folder that is not an index is refused with one line, exit 3, nothing written.
notes = work / "t" / "notes"
(notes / "ch1").mkdir(parents=True)
(notes / "thesis.txt").write_text("draft\n")
(notes / "ch1" / "a.md").write_text("x\n")
src = work / "t" / "src"
write_corpus(src, 2, 3)
for db, full in [(notes, True), (notes, False), (src, True)]:
    before = tree(work / "t")
    r = run(index_bin, "--db", db, *(["--full"] if full else []), src)
    what = f"--db {db.name}{' --full' if full else ''}"
    check(what + " exit status", r.returncode == 3, f"{r.returncode}: {r.stderr}")
    check(what + " message",
          r.stderr == f"dossier-index: error: {db} is not a Dossier index and is not empty\n",
          repr(r.stderr))
    check(what + " nothing written", tree(work / "t") == before)
check("no sibling rebuild folder", not (work / "t" / "notes.dossier-rebuild").exists())

# 3. SIGINT and SIGTERM: the run stops, commits what it wrote, reports, exits 128+signal; a
# re-run completes the job. An interrupted --full keeps the old index as it was.
corpus = work / "big"
write_corpus(corpus, 240, 50)  # 12,000 articles
total = 240 * 50


def stats(db):
    r = run(index_bin, "--db", db, "--stats", "--json")
    return json.loads(r.stdout) if r.returncode == 0 else None


def interrupted_run(db, sig, full, ready):
    args = [index_bin, "--db", str(db), "--json", "--jobs", "1", str(corpus)]
    if full:
        args.insert(3, "--full")
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and p.poll() is None and not ready():
        time.sleep(0.01)
    signalled = p.poll() is None
    if signalled:
        p.send_signal(sig)
    out, err = p.communicate(timeout=300)
    return signalled, p.returncode, out, err


# Three kinds of run: an update of an index (written into it in transactions), a first build and
# a --full rebuild (both through shards merged at the end). An interrupted first build keeps what
# it read (there is no old index); an interrupted --full keeps the old index.
for sig, kind in [(signal.SIGINT, "update"), (signal.SIGTERM, "update"), (signal.SIGINT, "first"),
                  (signal.SIGINT, "full"), (signal.SIGTERM, "full")]:
    full = kind == "full"
    what = f"{signal.Signals(sig).name} {kind}"
    db = work / f"db-{signal.Signals(sig).name}-{kind}"
    if kind != "first":
        # An old index: the first ten files.
        seed = work / f"seed-{signal.Signals(sig).name}-{kind}"
        seed.mkdir()
        for f in sorted(corpus.iterdir())[:10]:
            shutil.copy(f, seed)
        check(what + " old index", run(index_bin, "--db", db, seed).returncode == 0)
    if kind == "update":
        ready = lambda db=db: (stats(db) or {}).get("articles", 0) > 500
    elif kind == "first":
        # Half a second into the build, so that there is something read to keep.
        def ready(db=db, since=[]):
            if not (db / ".dossier-rebuild" / "shard-1").exists():
                return False
            since or since.append(time.monotonic())
            return time.monotonic() - since[0] > 0.5
    else:
        ready = lambda db=db: (db / ".dossier-rebuild" / "shard-1").exists()
    signalled, status, out, err = interrupted_run(db, sig, full, ready)
    if not signalled:
        print(f"note: {what}: the run ended before the signal; nothing to check")
        continue
    if status == 0 and '"interrupted":false' in out.replace(" ", ""):
        print(f"note: {what}: the signal came after the last file was read; the run finished")
        continue
    check(what + " exit status", status == 128 + sig, f"{status}: {err}")
    try:
        report = json.loads(out)
    except json.JSONDecodeError:
        check(what + " JSON summary", False, repr(out))
        continue
    check(what + " interrupted", report.get("interrupted") is True and report.get("complete") is False,
          out)
    after = stats(db)
    check(what + " index readable", after is not None)
    if full:
        check(what + " old index kept", after and after["articles"] == 500, str(after))
        check(what + " rebuild removed", not (db / ".dossier-rebuild").exists())
    else:
        old = 500 if kind == "update" else 0
        check(what + " committed", after and old < after["articles"] < total, str(after))
        check(what + " report matches index",
              after and after["articles"] == old + report["added"], f"{after} {report}")
        check(what + " build folder removed", not (db / ".dossier-rebuild").exists())
    r = run(index_bin, "--db", db, "--json", corpus)
    check(what + " re-run", r.returncode == 0, r.stderr)
    final = stats(db)
    check(what + " re-run complete", final and final["articles"] == total, str(final))

if failures:
    sys.exit("\n".join(failures))
print("indexer safety: all checks passed")
