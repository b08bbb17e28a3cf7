#!/usr/bin/env python3
"""Hostile input (issue #11): the real dossier-index and dossier-search on inputs built to hurt —
HTML nested 100,000 deep, a 1 MB line, 100,000 authors, JSON nested 10,000 deep, YAML alias
bombs, symlink loops, file names with a newline or invalid UTF-8, a file that changes while it
is read, and queries of 10,000 characters, 1,000 ORed terms, one-letter wildcards, unbalanced
quotes and parentheses, control characters and invalid UTF-8.

Each input, in one batch with good files: a clear diagnostic naming the file and the reason,
the documented exit status, the rest of the batch indexed, and the index unchanged where the
input was rejected. Time is bounded by design; HANG_SECONDS only detects a hang. Memory: peak
RSS of each run (os.wait4), and RLIMIT_AS in the child unless the binary is ASan-instrumented
(ASan reserves terabytes of address space).

Usage: hostile_inputs.py BINARY_DIR SOURCE_DIR WORK_DIR"""
import json
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import hostile_gen  # noqa: E402

bin_dir, source, work = map(pathlib.Path, sys.argv[1:4])
INDEX, SEARCH = bin_dir / "dossier-index", bin_dir / "dossier-search"
HANG_SECONDS = 300  # a hang detector, not a speed target (each run takes seconds)
MAX_RSS = 3 << 30  # bytes; peak resident memory of any one run
ADDRESS_LIMIT = 4 << 30  # RLIMIT_AS for uninstrumented binaries
ASAN = b"__asan_init" in INDEX.read_bytes() or any(
    b"__asan_init" in p.read_bytes() for p in bin_dir.parent.glob("lib/libdossier.so*"))
failures = []
measured = []


def fail(message):
    failures.append(message)
    print("FAIL:", message, file=sys.stderr)


def check(what, ok, detail=""):
    if not ok:
        fail(f"{what}{': ' + str(detail) if detail else ''}")
    return ok


class Run:
    def __init__(self, args, status, stdout, stderr, seconds, rss):
        self.args, self.status, self.stdout, self.stderr = args, status, stdout, stderr
        self.seconds, self.rss = seconds, rss

    def json(self):
        try:
            return json.loads(self.stdout)
        except ValueError as e:
            fail(f"{self.args[1:4]}...: stdout is not JSON ({e}): {self.stdout[:300]!r}")
            return {}


def limit_memory():
    if not ASAN:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_LIMIT, ADDRESS_LIMIT))


def run(label, args, statuses=(0,), stdin=None):
    """Runs one binary with the hang detector and memory limits; checks the exit status and
    that it neither crashed nor printed a sanitizer report."""
    args = [str(a) if not isinstance(a, bytes) else a for a in args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        p = subprocess.Popen(args, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                             stdout=out, stderr=err, preexec_fn=limit_memory)
        timer = threading.Timer(HANG_SECONDS, p.kill)
        timer.start()
        if stdin is not None:
            p.stdin.write(stdin)
            p.stdin.close()
        _, wait_status, usage = os.wait4(p.pid, 0)
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(wait_status)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        r = Run(args, p.returncode, out.read(), err.read(), seconds, usage.ru_maxrss * 1024)
    measured.append((label, r.status, r.seconds, r.rss))
    check(f"{label}: finished (hang detector: {HANG_SECONDS} s)", seconds < HANG_SECONDS)
    check(f"{label}: peak memory {r.rss >> 20} MiB within {MAX_RSS >> 20} MiB", r.rss <= MAX_RSS)
    check(f"{label}: sanitizer report", b"Sanitizer" not in r.stderr, r.stderr[-2000:])
    check(f"{label}: exit status {r.status} in {statuses}", r.status in statuses,
          r.stderr[-2000:].decode(errors="replace"))
    return r


def stats(db):
    s = run("stats", [INDEX, "--db", db, "--stats", "--json"]).json()
    for volatile in ("size_bytes", "disk_bytes", "size", "last_indexed", "seconds"):
        s.pop(volatile, None)
    return s


def listing(db):
    """Every article in the index: (id, title, authors, path) sorted."""
    r = run("listing", [SEARCH, "--db", db, "--facets", "type", "--limit", "100000", "--snippets",
                        "0", "--format", "json"], statuses=(0, 1))
    hits = r.json().get("hits", [])
    return sorted((h.get("id", ""), h.get("title", ""), tuple(h.get("authors", [])),
                   h.get("path", "")) for h in hits)


def titles(db):
    return [t for _, t, _, _ in listing(db)]


shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)

# ---------------------------------------------------------------------------------------------
# One batch: good files, the checked-in hostile files and the generated ones.
batch = work / "batch"
batch.mkdir()
shutil.copy(source / "tests/data/bad/good.txt", batch / "good.txt")
shutil.copy(source / "corpus/000_42de43b9164fe9cf.txt", batch / "seed.txt")
for f in sorted((source / "tests/data/bad/hostile").iterdir()):
    shutil.copy(f, batch / f.name)
expect = hostile_gen.generate(batch)

db = work / "index"
# Text output first (the diagnostics go to stderr), then the same batch as JSON into another
# index (the summary lists the rejected inputs).
r = run("index the batch", [INDEX, "--db", db, batch], statuses=(1,))
stderr = r.stderr.decode(errors="replace")
print(stderr[-4000:])
check("stderr names deep.jsonl, the line and the reason",
      "deep.jsonl: error: line 2: JSON nested deeper than 64 levels at column" in stderr,
      stderr[-3000:])
check("summary line", "1 failed" in stderr.splitlines()[-1] if stderr else False, stderr[-300:])
r = run("index the batch (--json)", [INDEX, "--db", work / "index-json", "--json", batch],
        statuses=(1,))
summary = r.json()
failed = {pathlib.Path(f["path"]).name: f["reason"] for f in summary.get("failed", [])}
# Rejected: the record nested 10,000 deep (its neighbours are kept); nothing else.
check("only deep.jsonl's record rejected, with the reason",
      failed.get("deep.jsonl", "").startswith("line 2: JSON nested deeper than 64 levels") and
      len(failed) == 1, failed)

found = titles(db)
want_titles = ["Good record", "Good record after", "Deep page", "Unclosed page", "Many authors",
               "One long byline", "Many authors in front matter", "Many meta authors",
               "JSON-LD page", "Newline name", "Invalid UTF-8 name", "Inside the loop folder",
               "Billion laughs in front matter", "Billion laughs in a sidecar",
               "A self-referencing alias", "Sidecar article"]
for t in want_titles:
    check(f"indexed once: {t!r}", found.count(t) == 1, f"{found.count(t)} times in {found}")
check("the deep record is not indexed", "Deep" not in found)
check("the good files are indexed",
      "Asia ASAP: Trump and Xi Meet in Busan" in found and len(found) >= len(want_titles) + 2,
      found)
check("longline.txt indexed", any("longline" in p for _, _, _, p in listing(db)))

# Warnings name the file and the reason.
check("JSON-LD nesting warning", "jsonld.html: warning: JSON-LD block 1 is nested deeper" in stderr,
      stderr[-3000:])
check("deep sidecar warning",
      "sidecar.txt.meta.json:1: warning: malformed metadata YAML: nested deeper than 2000 levels"
      in stderr, stderr[-3000:])
check("authors cap warning",
      "authors.jsonl:1: warning: 100000 author names given: only the first 100 authors are kept"
      in stderr, stderr[-3000:])
for name in ("authors.md", "authors.html", "byline.jsonl"):
    check(f"authors cap warning for {name}",
          any(f"/{name}" in line and ": warning: " in line and
              "author names given: only the first 100 authors are kept" in line
              for line in stderr.splitlines()), stderr[-3000:])
for a_id, t, authors, _ in listing(db):
    check(f"at most 100 authors on {t!r}", len(authors) <= 100, len(authors))
    if t in ("Many authors", "One long byline", "Many authors in front matter",
             "Many meta authors"):
        check(f"100 authors kept on {t!r}", len(authors) == 100 and authors[0] == "Jane Baaaa",
              authors[:3])

# Symlink loops: the walk ends, the folder is read once, the looping links are reported.
for name in ("self.txt", "ping.txt", "pong.txt", "parent"):
    check(f"symlink loop {name} reported", f"/loops/{name}: warning: " in stderr, stderr[-3000:])

# File names with a newline or invalid UTF-8: indexed (above), and every diagnostic about them
# stays one line and valid JSON. An empty file of each name gives a diagnostic to look at.
names = work / "names"
names.mkdir()
shutil.copy(source / "tests/data/bad/good.txt", names / "good.txt")
(names / "empty\nline.txt").write_bytes(b"")
(names / os.fsdecode(b"empty\xe9\xff.txt")).write_bytes(b"")
r = run("names with a newline and invalid UTF-8", [INDEX, "--db", work / "index-names", names],
        statuses=(1,))
lines = r.stderr.decode(errors="replace").splitlines()
check("one line per diagnostic", len(lines) == 3 and all(": error: empty file" in line
                                                         for line in lines[:2]), lines)
r = run("names with a newline and invalid UTF-8 (--json)",
        [INDEX, "--db", work / "index-names-json", "--json", names], statuses=(1,))
check("both names in the JSON summary", len(r.json().get("failed", [])) == 2, r.stdout)

# Re-running the batch changes nothing, and still reports the rejected record.
before_stats, before_list = stats(db), listing(db)
again = run("re-index the batch", [INDEX, "--db", db, "--json", batch], statuses=(0, 1)).json()
check("re-run adds nothing", (again.get("added"), again.get("updated"), again.get("removed")),
      (0, 0, 0))

# Rejected inputs leave the index unchanged: a folder of only rejected inputs.
rejected = work / "rejected"
rejected.mkdir()
(rejected / "deep-only.jsonl").write_text('{"title": "x", "body": "y", "z": ' + "[" * 10_000 +
                                          "]" * 10_000 + "}\n")
(rejected / "empty.txt").write_bytes(b"")
(rejected / "binary.txt").write_bytes(b"\x00\x01\x02" * 1000)
for attempt in ("first", "second"):
    # The second run must report them again: a rejected file is never skipped in silence.
    r = run(f"index only rejected inputs ({attempt} run)", [INDEX, "--db", db, "--json", rejected],
            statuses=(1,))
    reasons = {pathlib.Path(f["path"]).name: f["reason"] for f in r.json().get("failed", [])}
    check(f"all three rejected ({attempt} run)",
          set(reasons) == {"deep-only.jsonl", "empty.txt", "binary.txt"}, reasons)
    after = stats(db)
    check(f"stats unchanged after rejected inputs ({attempt} run)",
          {k: v for k, v in after.items() if k != "bytes_on_disk"} ==
          {k: v for k, v in before_stats.items() if k != "bytes_on_disk"},
          f"before {before_stats}, after {after}")
    check(f"articles unchanged after rejected inputs ({attempt} run)", listing(db) == before_list)

# ---------------------------------------------------------------------------------------------
# A file that grows, shrinks and disappears while it is read.
churn_dir = work / "churn"
churn_dir.mkdir()
shutil.copy(source / "tests/data/bad/good.txt", churn_dir / "good.txt")
churn = churn_dir / "churn.txt"
versions = {
    "alpha": "Alpha version\n\n" + "alphaone alphatwo alphathree words of the first version.\n" *
             200_000 + "alphaend\n",
    "beta": "Beta version\n\n" + "betaone betatwo words of the second.\n" * 100_000 + "betaend\n",
}
churn.write_text(versions["alpha"])
stop = threading.Event()


def churner():
    i = 0
    while not stop.is_set():
        i += 1
        if i % 5 == 0:  # disappear for a moment
            try:
                churn.unlink()
            except FileNotFoundError:
                pass
            time.sleep(0.01)
            continue
        data = versions["alpha" if i % 2 else "beta"].encode()
        with open(churn, "ab+") as f:  # rewritten in place: shrinks, then grows
            f.truncate(0)
            f.write(data)
        time.sleep(0.005)


churn_db = work / "churn-index"
thread = threading.Thread(target=churner, daemon=True)
thread.start()
try:
    for attempt in range(8):
        r = run(f"index a changing file ({attempt})", [INDEX, "--db", churn_db, "--json", churn_dir],
                statuses=(0, 1))
        summary = r.json()
        reasons = {pathlib.Path(f["path"]).name: f["reason"] for f in summary.get("failed", [])}
        check("churn: good.txt never rejected", "good.txt" not in reasons, reasons)
        print(f"changing file, run {attempt}: status {r.status}, {reasons}")
        if r.status == 1:
            check("churn: the changing file is named with a reason", "churn.txt" in reasons and
                  reasons["churn.txt"], reasons)
        for query in ("alphaone AND betaone", "alphaone NOT alphaend", "betaone NOT betaend",
                      "title:alpha AND betaone", "title:beta AND alphaone"):
            q = run("churn: torn check", [SEARCH, "--db", churn_db, "--count", "--exact",
                                          "--no-correct", query], statuses=(0, 1))
            check(f"churn run {attempt}: no torn article ({query})",
                  q.stdout.strip() in (b"0", b""), q.stdout + q.stderr)
finally:
    stop.set()
    thread.join()

# ---------------------------------------------------------------------------------------------
# Queries: results, or a usage error (status 2) with a clear message; never a crash or a hang.
words = [w for w in "tariffs sanctions china trade export controls rare earth".split()]
queries = {
    "10,000 characters": (("tariffs " * 1250)[:10_000], (2,), "limit"),
    "10,000 characters, one word": ("a" * 10_000, (0, 1), None),
    "100,000 characters": ("trade " * 16_667, (2,), "bytes long"),
    "1,000 ORed terms": (" OR ".join(f"w{i}" for i in range(1000)), (0, 1), None),
    "1,000 ORed real terms": (" OR ".join((words * 125)[:1000]), (0,), None),
    "1,025 words": (" ".join(f"w{i}" for i in range(1025)), (2,), "words"),
    "one-letter wildcard": ("a*", (0, 1, 2), "wildcard"),
    "one-letter wildcard t*": ("t*", (0, 1, 2), "wildcard"),
    "lone wildcard": ("*", (0, 1, 2), None),
    "many wildcards": (" ".join(f"{c}*" for c in "abcdefghijklmnopqrstuvwxyz"), (0, 1, 2), None),
    "unbalanced quote": ('"rare earth', (0, 1), None),
    "unbalanced quotes": ('"rare "earth" "', (0, 1), None),
    "5,000 quotes": ('"' * 5001 + " rare", (0, 1, 2), None),
    "unbalanced parentheses": ("((rare earth", (0, 1), None),
    "closing parentheses": ("rare) earth))", (0, 1), None),
    "8,000 nested parentheses": ("(" * 8000 + "rare" + ")" * 8000, (0, 1, 2), None),
    "control characters": ("rare\x01earth\x1b[31m\x7f\x00", (0, 1), None),
    "only control characters": ("\x01\x02\x03", (0, 1, 2), None),
    "C1 controls": ("rare\u0085\u009bearth", (0, 1), None),
    "operators only": ("AND OR NOT", (0, 1, 2), None),
}
search_db = db
for label, (text, statuses, message) in queries.items():
    if "\x00" in text:
        text = text.replace("\x00", "")  # argv cannot hold NUL: it goes through --batch below
    r = run(f"query: {label}", [SEARCH, "--db", search_db, "--format", "json", "--limit", "3",
                                text.encode()], statuses=statuses)
    err = r.stderr.decode(errors="replace")
    if r.status == 2:
        check(f"query {label}: one clear message", err.startswith("dossier-search: ") and
              (message is None or message in err), err[:500])
        check(f"query {label}: message does not echo control characters",
              not any(ord(c) < 0x20 and c not in "\n" for c in err), repr(err[:300]))
    elif r.status in (0, 1):
        r.json()
for label, raw in {"invalid UTF-8": b"rare \xff\xfe earth \xc3",
                   "truncated UTF-8": b"sanctions \xe2\x80",
                   "overlong UTF-8": b"\xc0\xaf trade",
                   "surrogate": b"trade \xed\xa0\x80"}.items():
    r = run(f"query: {label}", [SEARCH, "--db", search_db, "--format", "json", raw], statuses=(2,))
    check(f"query {label}: says why", b"not valid UTF-8" in r.stderr, r.stderr[:300])

# The same queries in one --batch run (NUL bytes included): one JSON line per query, with
# results or an "error".
lines = [t for t, _, _ in queries.values()] + ["rare \udcff earth"]
batch_input = "\n".join(t.replace("\n", " ") for t in lines).encode("utf-8", "surrogateescape")
batch_input += b"\nrare\x00earth\n"
r = run("query batch", [SEARCH, "--db", search_db, "--batch", "-", "--limit", "3"],
        statuses=(0, 1), stdin=batch_input)
out_lines = r.stdout.decode().rstrip("\n").split("\n")  # not splitlines(): U+0085 is text
check("batch: one line per query", len(out_lines) == len(lines) + 1, len(out_lines))
for line in out_lines:
    try:
        obj = json.loads(line)
    except ValueError:
        fail(f"batch: not JSON: {line[:200]}")
        continue
    check("batch: results or an error", "error" in obj or "hits" in obj, line[:200])

# ---------------------------------------------------------------------------------------------
print(f"{'run':45} {'status':>6} {'seconds':>8} {'peak MiB':>9}  (ASan: {ASAN})")
for label, status, seconds, rss in measured:
    if not label.startswith(("churn: torn", "stats", "listing")):
        print(f"{label[:45]:45} {status:>6} {seconds:8.2f} {rss >> 20:9}")
if failures:
    sys.exit(f"hostile inputs: {len(failures)} failures:\n" + "\n".join(failures))
print("hostile inputs: ok")
