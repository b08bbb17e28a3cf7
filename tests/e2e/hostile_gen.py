#!/usr/bin/env python3
"""Generates the hostile inputs of issue #11 that are too large or cannot be checked in (names
with a newline or invalid UTF-8, symlink loops): `hostile_gen.py DIR` writes them into DIR.
tests/e2e/hostile_inputs.py calls generate(); the small ones live in tests/data/bad/hostile/."""
import json
import os
import pathlib
import sys

BODY = ("Export controls on advanced chips shaped the negotiations between the two "
        "governments, and analysts expect further restrictions on rare earth processing. ")

# name -> what the test expects: "indexed" (kept, maybe with warnings) or "rejected" (error).
EXPECT = {}


def _write(root, name, data, expect):
    path = root / (name if isinstance(name, str) else os.fsdecode(name))
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    EXPECT[path.name] = expect
    return path


def _letters(n):
    """A distinct capitalised surname per n, letters only: Baaaa, Baaab, ..."""
    out = ""
    for _ in range(4):
        out = "abcdefghijklmnopqrstuvwxyz"[n % 26] + out
        n //= 26
    return "B" + out


def generate(root):
    """Writes every generated input into `root` (which must exist and be empty)."""
    root = pathlib.Path(root)
    EXPECT.clear()
    # HTML nested 100,000 elements deep, with an article's text at the bottom.
    depth = 100_000
    _write(root, "deep.html",
           "<html><head><title>Deep page</title></head><body>" + "<div>" * depth +
           "<p>" + BODY * 3 + "</p>" + "</div>" * depth + "</body></html>", "indexed")
    # Unclosed elements 100,000 deep (tag soup that never closes).
    _write(root, "unclosed.html",
           "<html><head><title>Unclosed page</title></head><body>" + "<font>" * depth +
           "<p>" + BODY * 3, "indexed")
    # One line of 1 MB (no line break at all).
    words = (BODY * (1_048_576 // len(BODY) + 1))[:1_048_576]
    _write(root, "longline.txt", words, "indexed")
    # 100,000 authors on one article: a JSON Lines record, Markdown front matter, an HTML page.
    names = [f"Jane {_letters(i)}" for i in range(100_000)]
    _write(root, "authors.jsonl",
           json.dumps({"id": "hostile-authors", "title": "Many authors", "authors": names,
                       "body": BODY}) + "\n", "indexed")
    # A byline string of 300,000 names: splitting it took minutes when each name was searched
    # for among the names before it (quadratic); the hang detector catches that.
    _write(root, "byline.jsonl",
           json.dumps({"id": "hostile-byline", "title": "One long byline",
                       "byline": ", ".join(f"Jane {_letters(i)}" for i in range(300_000)),
                       "body": BODY}) + "\n", "indexed")
    _write(root, "authors.md",
           "---\ntitle: Many authors in front matter\nauthors:\n" +
           "".join(f"  - {n}\n" for n in names) + "---\n\n" + BODY + "\n", "indexed")
    _write(root, "authors.html",
           "<html><head><title>Many meta authors</title>" +
           "".join(f'<meta name="citation_author" content="{n}">' for n in names) +
           "</head><body><article><p>" + BODY + "</p></article></body></html>", "indexed")
    # JSON nested 10,000 deep: a JSON Lines record (rejected) next to a good record (kept), a
    # JSON sidecar (ignored with a warning) and a JSON-LD block in a page (ignored).
    deep_json = "[" * 10_000 + "]" * 10_000
    _write(root, "deep.jsonl",
           json.dumps({"id": "hostile-good-before", "title": "Good record", "body": BODY}) + "\n" +
           '{"id": "hostile-deep", "title": "Deep", "body": "x", "extra": ' + deep_json + "}\n" +
           json.dumps({"id": "hostile-good-after", "title": "Good record after", "body": BODY}) +
           "\n", "rejected")
    _write(root, "sidecar.txt", "Sidecar article\n\n" + BODY + "\n", "indexed")
    _write(root, "sidecar.txt.meta.json", '{"title": "Deep sidecar", "topics": ' + deep_json + "}",
           "sidecar")
    _write(root, "jsonld.html",
           '<html><head><title>JSON-LD page</title><script type="application/ld+json">' +
           '{"@type": "Article", "author": ' + deep_json + "}</script></head><body><article><p>" +
           BODY + "</p></article></body></html>", "indexed")
    # File names with a newline and with invalid UTF-8.
    _write(root, "new\nline.txt", "Newline name\n\n" + BODY + "\n", "indexed")
    _write(root, b"latin\xe9\xff.txt", "Invalid UTF-8 name\n\n" + BODY + "\n", "indexed")
    # Symlink loops: a folder linking to its parent, a link to itself, two links to each other.
    loops = root / "loops"
    loops.mkdir()
    (loops / "inside.txt").write_text("Inside the loop folder\n\n" + BODY + "\n")
    EXPECT["inside.txt"] = "indexed"
    os.symlink("..", loops / "parent")
    os.symlink("self.txt", loops / "self.txt")
    os.symlink("pong.txt", loops / "ping.txt")
    os.symlink("ping.txt", loops / "pong.txt")
    return dict(EXPECT)


if __name__ == "__main__":
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, expect in generate(out).items():
        print(f"{expect:10} {name!r}")
