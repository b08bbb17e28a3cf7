#!/usr/bin/env python3
"""docs/architecture.md cannot drift quietly: every link resolves inside the repository, every
folder of lib/src/ has a heading that links to it, and every file of the indexing pipeline is
named in the stage table.

Usage: check_architecture.py SOURCE_DIR
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1]).resolve()
doc = root / "docs" / "architecture.md"
text = doc.read_text(encoding="utf-8")
problems = []

for target in re.findall(r"\]\(([^)\s]+)\)", text):
    if "://" in target or target.startswith("mailto:"):
        problems.append(f"link leaves the repository: {target}")
        continue
    path = target.split("#", 1)[0]
    if not path:
        continue  # an anchor on this page
    resolved = (doc.parent / path).resolve()
    if root not in resolved.parents and resolved != root:
        problems.append(f"link points outside the repository: {target}")
    elif not resolved.exists():
        problems.append(f"link does not resolve: {target}")

headings = set(re.findall(r"^### \[`([^`]+)`\]\(", text, flags=re.M))
for folder in sorted(p for p in (root / "lib" / "src").iterdir() if p.is_dir()):
    name = f"lib/src/{folder.name}/"
    if name not in headings:
        problems.append(f"no heading for {name}")

for source in sorted((root / "lib" / "src" / "index" / "pipeline").glob("*.cpp")):
    rel = source.relative_to(root).as_posix()
    if rel not in text:
        problems.append(f"pipeline file not in the stage table: {rel}")

if problems:
    sys.exit("docs/architecture.md:\n  " + "\n  ".join(problems))
print(f"docs/architecture.md: {len(headings)} module headings, all links resolve")
