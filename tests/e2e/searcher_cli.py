#!/usr/bin/env python3
"""End to end: dossier-search as a user runs it, on an index of corpus/ built by dossier-index.

Every output format is compared with a golden file under tests/data/e2e/ after scrubbing the
volatile parts (the checkout's path, the index path, scores beyond three decimals, the Xapian
serialisation of dates in query descriptions). Exit statuses, DOSSIER_DB and NO_COLOR are checked
too. `searcher_cli.py SEARCH INDEX-BINARY SOURCE WORK [--update]` (--update rewrites the goldens:
review them before committing)."""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

search, indexer = sys.argv[1], sys.argv[2]
source, work = pathlib.Path(sys.argv[3]).resolve(), pathlib.Path(sys.argv[4])
update = "--update" in sys.argv[5:]
golden_dir = source / "tests/data/e2e"
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
db = work / "index"
failures = []

r = subprocess.run([indexer, "--db", db, "--config", source / "corpus/dossier.yaml", "--quiet",
                    source / "corpus"], capture_output=True)
if r.returncode != 0:
    sys.exit("dossier-index failed: " + r.stderr.decode())


def run(*args, status=0, env=None, stdin=None):
    full_env = dict(os.environ)
    full_env.pop("DOSSIER_DB", None)
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    r = subprocess.run([search, *map(str, args)], capture_output=True, env=full_env, input=stdin)
    if r.returncode != status:
        failures.append(f"{args}: exit {r.returncode}, want {status}\n{r.stderr.decode()[:500]}")
    return r


def scrub(text):
    text = text.replace(str(db), "<INDEX>").replace(str(source), "<SOURCE>")
    # Scores and weights: three decimals are stable; the digits after vary with float printing.
    text = re.sub(r'("(?:score|weight)": )(-?[0-9]+\.[0-9]+)',
                  lambda m: m.group(1) + "%.3f" % float(m.group(2)), text)
    text = re.sub(r"(\b(?:score|rank,score)[ ,])([0-9]+\.[0-9]{3})[0-9]*", r"\1\2", text)
    # CSV: the score column.
    text = re.sub(r"^([0-9]+),([0-9]+\.[0-9]{3})[0-9]*,", r"\1,\2,", text, flags=re.M)
    return text


def golden(name, output):
    path = golden_dir / name
    got = scrub(output)
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
        return
    want = path.read_text(encoding="utf-8") if path.exists() else "<missing golden file>"
    if got != want:
        failures.append(f"{name}: output differs from the golden file (rerun with --update and "
                        f"review):\n--- got ---\n{got[:1500]}")


seed_query = ["--author", "Neil Thomas", "rare", "earth"]
golden("text.txt", run("--db", db, "--color", "never", *seed_query).stdout.decode())
golden("text-color.txt", run("--db", db, "--color", "always", *seed_query).stdout.decode())
golden("text-facets-timeline.txt",
       run("--db", db, "--color", "never", "--limit", "2", "--facets", "org,type,topic",
           "--timeline", "year", '"export controls"').stdout.decode())
golden("json.json", run("--db", db, "--format", "json", "--limit", "3", "--facets", "org,type",
                        "--timeline", "year", "--explain", "tariffs", "soybeans").stdout.decode())
for fmt, ext in (("jsonl", "jsonl"), ("csv", "csv"), ("bibtex", "bib"), ("ris", "ris")):
    golden(f"format.{ext}", run("--db", db, "--format", fmt, "--limit", "3", "--snippets", "1",
                                '"export controls"').stdout.decode())
golden("count.txt", run("--db", db, "--count", "policy").stdout.decode())
golden("count-exact.txt", run("--db", db, "--count", "--exact", "policy").stdout.decode())
golden("browse.txt", run("--db", db, "--color", "never", "--org", "ASPI", "--facets", "type,author",
                         "--snippets", "0").stdout.decode())
golden("corrected.txt", run("--db", db, "--color", "never", "--limit", "1", "--snippets", "1",
                            "constitutoin").stdout.decode())
batch = run("--db", db, "--batch", "-", "--limit", "2", "--snippets", "0", status=1,
            stdin=b"tariffs\nthe\n\"rare earth\"\n").stdout.decode()
golden("batch.jsonl", batch)
lines = [json.loads(x) for x in batch.splitlines()]
if [("error" in x) for x in lines] != [False, True, False]:
    failures.append(f"batch: want one result per line with the second an error, got {batch[:300]}")

# DOSSIER_DB is read by the binary; --db wins over it.
env_out = run("--color", "never", *seed_query, env={"DOSSIER_DB": str(db)}).stdout.decode()
if scrub(env_out) != scrub(run("--db", db, "--color", "never", *seed_query).stdout.decode()):
    failures.append("DOSSIER_DB: output differs from --db")
# NO_COLOR turns auto colour off even when forced to a terminal is impossible here; always wins.
if "\x1b[" in run("--db", db, "--color", "auto", "tariffs", env={"NO_COLOR": "1"}).stdout.decode():
    failures.append("NO_COLOR: colour escapes in the output")

# Exit statuses (docs/searcher.md).
run("--db", db, "zzyzxqqq", "--no-correct", status=1)  # no match
run("tariffs", status=2)  # no index given
run("--db", db, status=2)  # nothing to search for
run("--db", db, "--sort", "sideways", "tariffs", status=2)  # bad option value
run("--db", db, "--facets", "colour", "tariffs", status=2)  # unknown facet
run("--db", db, "the", status=2)  # only stopwords
no_index = run("--db", work / "missing", "tariffs", status=3)
if b"no such index" not in no_index.stderr or no_index.stderr.count(b"\n") != 1:
    failures.append(f"missing index: want one line, got {no_index.stderr!r}")
(work / "not-an-index").mkdir()
run("--db", work / "not-an-index", "tariffs", status=3)

if failures:
    sys.exit("\n\n".join(failures))
print("ok")
