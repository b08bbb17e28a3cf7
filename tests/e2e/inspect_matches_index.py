#!/usr/bin/env python3
"""End to end: `dossier-index --inspect` and indexing read files through one source (issue #12).

For a folder of awkward inputs, under each --format, the articles --inspect prints and the files
and reasons it rejects must be exactly what indexing the same folder adds and reports as failed.
Regressions: with b.txt and notes.log, `--inspect --format text` printed one article while
indexing indexed both; a JSON Lines file of blank lines was "empty" to --inspect and silently
indexed as nothing by the indexer.

Usage: inspect_matches_index.py BIN_DIR WORK_DIR
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys

bin_dir, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
index_bin = bin_dir / "dossier-index"
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
failures = []


def check(what, ok, detail=""):
    if not ok:
        failures.append(f"{what}: {detail}")


docs = work / "docs"
(docs / "sub").mkdir(parents=True)
(docs / "b.txt").write_text("Sample: Harbour Fees\nBy Gil Vance\n\nHarbour fees rose again.\n")
(docs / "notes.log").write_text("Ferry Notes\n\nThe ferry now leaves at dawn.\n")
(docs / "a.md").write_text("---\ntitle: Orchard Report\nauthor: Ann Lee\n---\nApples and pears.\n")
(docs / "c.jsonl").write_text('{"id": "c-1", "title": "One", "body": "First lantern."}\n'
                              '{"id": "c-2", "title": "Two", "body": "Second lantern."}\n'
                              'not json\n')
(docs / "blank.jsonl").write_text("\n   \n\t\n")
(docs / "empty.jsonl").write_text("")
(docs / "empty.txt").write_text("")
(docs / "bin.jsonl").write_bytes(b'{"id": "x"}\n\x00\x01\x02binary')
(docs / "bin.txt").write_bytes(b"\x00\x01\x02\x03 not text")
(docs / ".hidden.txt").write_text("Hidden\n\nNever read.\n")
(docs / "sub" / "d.html").write_text(
    "<html><head><title>Canal Study</title></head><body><article><h1>Canal Study</h1>"
    "<p>The canal was dredged in spring, and barges came back.</p></article></body></html>")
(docs / "b.txt.meta.yaml").write_text("title: Harbour Fees, Corrected\n")

line_re = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?: (?P<sev>error|warning): (?P<msg>.*)$")


def inspect(fmt):
    r = subprocess.run([index_bin, "--inspect", "--format", fmt, docs], capture_output=True,
                       text=True)
    articles = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    errors = set()
    for l in r.stderr.splitlines():
        m = line_re.match(l)
        if m and m["sev"] == "error":
            reason = (f"line {m['line']}: " if m["line"] else "") + m["msg"]
            errors.add((pathlib.Path(m["path"]).name, reason))
    return r.returncode, articles, errors


def index(fmt):
    db = work / f"db-{fmt}"
    shutil.rmtree(db, ignore_errors=True)
    r = subprocess.run([index_bin, "--db", db, "--json", "--format", fmt, docs],
                       capture_output=True, text=True)
    try:
        report = json.loads(r.stdout)
    except json.JSONDecodeError:
        check(f"{fmt}: index --json", False, r.stdout + r.stderr)
        return r.returncode, None, set()
    errors = {(pathlib.Path(f["path"]).name, f["reason"]) for f in report["failed"]}
    return r.returncode, report, errors


for fmt in ("auto", "text", "jsonl"):
    i_status, articles, i_errors = inspect(fmt)
    x_status, report, x_errors = index(fmt)
    if report is None:
        continue
    check(f"{fmt}: articles", len(articles) == report["added"],
          f"--inspect printed {len(articles)}, indexing added {report['added']}")
    check(f"{fmt}: rejected files and reasons", i_errors == x_errors,
          f"\n  only --inspect: {sorted(i_errors - x_errors)}"
          f"\n  only indexing:  {sorted(x_errors - i_errors)}")
    check(f"{fmt}: exit status", i_status == x_status == (1 if x_errors else 0),
          f"--inspect {i_status}, indexing {x_status}")

# The two regressions, by name.
_, text_articles, _ = inspect("text")
titles = sorted(a.get("title", "") for a in text_articles)
check("--format text reads notes.log", "Ferry Notes" in titles, titles)
check("--format text reads b.txt with its sidecar", "Harbour Fees, Corrected" in titles, titles)
_, _, auto_errors = index("auto")
check("blank-only JSON Lines is reported",
      ("blank.jsonl", "empty file: nothing to index") in auto_errors, sorted(auto_errors))

if failures:
    sys.exit("\n".join(failures))
print("inspect and index agree: all checks passed")
