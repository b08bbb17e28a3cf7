"""Deterministic corpus for the kill rounds (tests/stress/kill_rounds.py).

Two states of one folder:

* **A**, the "before" state an index starts from in half of the rounds;
* **B**, the final state every re-run must reach.

B is made of real text: the BBC news files as plain text (ids = paths), AG News records as JSON
Lines (metadata ids), the think-tank export as JSON Lines, State of the Union addresses as
Markdown with many sections, and the repository's own samples (HTML, sidecar, Latin-1). A differs
from B in every way an incremental run must handle: files missing (added in B), files with other
content (updated), files only in A (removed), JSON Lines records missing or retitled, Markdown
articles with fewer sections (same id, other section count).

Sources: ../shared/corpora (beside the repository, as in CI) when present, else the repository's
corpus/ only (corpus/sotu/sotu.jsonl provides the text). The result depends only on the sources.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "corpora"

AG_FILES = 4
# Size: a clean incremental run of state B takes about 2 s with --jobs 2 on an idle
# 2-core machine (every kill round indexes about one corpus, and there are 600 of them).
NEWS_STEP = 2      # every 2nd BBC file: 1,113 files
RECORDS = 3000     # AG News records in AG_FILES files
SPEECH_STEP = 6    # every 6th address: 39 Markdown files, ~20 sections each
THINKTANK = 90     # first records of the think-tank export


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def _sections(text: str, size: int) -> list[str]:
    """Cuts text into pieces of about `size` bytes on sentence ends."""
    words = text.replace("\r", " ").split()
    out, cur, n = [], [], 0
    for w in words:
        cur.append(w)
        n += len(w) + 1
        if n >= size and w.endswith("."):
            out.append(" ".join(cur))
            cur, n = [], 0
    if cur:
        out.append(" ".join(cur))
    return out


def _speeches() -> list[dict]:
    """State of the Union addresses: [{year, name, text}] in year order."""
    folder = SHARED / "sotu" / "data"
    speeches = []
    if folder.is_dir():
        for p in sorted(folder.glob("*.json")):
            d = json.loads(p.read_text(encoding="utf-8"))
            speeches.append({"year": int(d["year"]), "name": d["name"], "text": d["text"]})
    else:
        with open(REPO / "corpus" / "sotu" / "sotu.jsonl", encoding="utf-8") as f:
            for i, line in enumerate(f):
                d = json.loads(line)
                text = d.get("body") or d.get("text") or ""
                speeches.append({"year": 1790 + i, "name": str(d.get("title", "speech")),
                                 "text": text})
    return speeches


def _news() -> list[tuple[str, bytes]]:
    """Short news files: [(relative path, bytes)]."""
    folder = SHARED / "bbc-news" / "bbc"
    out = []
    if folder.is_dir():
        for p in sorted(folder.glob("*/*.txt")):
            out.append((f"bbc/{p.parent.name}/{p.name}", p.read_bytes()))
    else:  # synthesise from the addresses: one paragraph per file
        n = 0
        for s in _speeches():
            for piece in _sections(s["text"], 2000):
                out.append((f"bbc/gen/{n:04d}.txt",
                            f"Note {n} on the {s['year']} address\n\n{piece}\n".encode()))
                n += 1
                if n >= 2200:
                    return out
    return out


def _records() -> list[dict]:
    """Short records for the JSON Lines files: [{title, body, topic}]."""
    path = SHARED / "ag-news-test" / "test.csv"
    names = {"1": "world", "2": "sports", "3": "business", "4": "science"}
    out = []
    if path.is_file():
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                out.append({"title": row["title"], "body": row["description"].replace("\\", " "),
                            "topic": names.get(row["label"], "other")})
    else:
        for i, s in enumerate(_speeches()):
            for j, piece in enumerate(_sections(s["text"], 400)[:40]):
                out.append({"title": f"Excerpt {j} of {s['year']}", "body": piece,
                            "topic": "politics"})
    return out


def build(root: Path, variant: str) -> None:
    """Writes state `variant` ("A" or "B") of the corpus into `root` (which must not exist)."""
    assert variant in ("A", "B")
    root.mkdir(parents=True)
    apply(root, variant)


def apply(root: Path, variant: str) -> None:
    """Brings `root` to state `variant`, rewriting only the files that differ (unchanged files
    keep their modification time, as in real life)."""
    wanted: dict[str, bytes] = {}
    a = variant == "A"

    news = _news()[::NEWS_STEP]
    for i, (rel, data) in enumerate(news):
        if a and i % 5 == 0:
            continue  # added in B
        if a and i % 10 == 3:
            data = data + b"\n\nEditor's note: an earlier draft of this report, since revised.\n"
        wanted["text/" + rel] = data
    if a:
        for i, (rel, data) in enumerate(news[1::19][:60]):
            wanted[f"text/withdrawn/{i:03d}.txt"] = b"Withdrawn note %d\n\n" % i + data

    records = _records()[:RECORDS]
    per = (len(records) + AG_FILES - 1) // AG_FILES
    for f in range(AG_FILES):
        if a and f == AG_FILES - 1:
            continue  # whole file added in B
        lines = []
        for n in range(f * per, min(len(records), (f + 1) * per)):
            r = records[n]
            if a and n % 7 == 0:
                continue  # record added in B
            title = r["title"] + (" (early edition)" if a and n % 11 == 0 else "")
            lines.append(json.dumps({"id": f"ag-{n}", "title": title, "body": r["body"],
                                     "topics": [r["topic"]], "org": "AG Newswire"},
                                    ensure_ascii=False))
        if a and f == 0:
            for n in range(25):  # records only in A: dropped from the file in B
                lines.append(json.dumps({"id": f"ag-gone-{n}", "title": f"Retracted item {n}",
                                         "body": records[n]["body"]}, ensure_ascii=False))
        wanted[f"jsonl/ag-{f}.jsonl"] = "\n".join(lines) + "\n"

    tt = SHARED / "thinktank-2019" / "thinktank-2019.jsonl"
    if tt.is_file():
        wanted["jsonl/thinktank-2019.jsonl"] = b"".join(tt.read_bytes().splitlines(True)[:THINKTANK])

    for i, s in enumerate(_speeches()[::SPEECH_STEP]):
        if a and i % 9 == 0:
            continue  # added in B
        parts = _sections(s["text"], 2500)
        if a and i % 4 == 0:
            parts = parts[: max(1, len(parts) // 2)]  # fewer sections: same id, other count
        body = "".join(f"## Part {k + 1}\n\n{p}\n\n" for k, p in enumerate(parts))
        front = (f"---\nid: sotu-{s['year']}-{i}\ntitle: \"State of the Union {s['year']}\"\n"
                 f"authors: [\"{s['name']}\"]\ndate: \"{s['year']}\"\ntype: speech\n---\n\n")
        wanted[f"markdown/sotu-{s['year']}-{i:03d}.md"] = front + body

    samples = REPO / "corpus" / "samples"
    for p in sorted(samples.iterdir()):
        if p.is_file():
            wanted["samples/" + p.name] = p.read_bytes()

    # Remove what the state does not have, write what differs.
    for dirpath, _, files in os.walk(root):
        for name in files:
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            if rel not in wanted:
                os.unlink(os.path.join(dirpath, name))
    for rel, data in wanted.items():
        data = data.encode("utf-8") if isinstance(data, str) else data
        p = root / rel
        if p.is_file() and p.read_bytes() == data:
            continue
        _write(p, data)
    for dirpath, dirs, files in os.walk(root, topdown=False):
        if not dirs and not files and Path(dirpath) != root:
            os.rmdir(dirpath)


if __name__ == "__main__":
    import sys

    target, variant = Path(sys.argv[1]), sys.argv[2]
    if target.exists():
        apply(target, variant)
    else:
        build(target, variant)
