#!/usr/bin/env python3
"""End to end: `dossier-index --inspect` on the client's seed article prints one JSON object
with every field, the signed sections and their byte ranges, origins and no boilerplate."""
import json
import subprocess
import sys

index, source = sys.argv[1], sys.argv[2]
run = subprocess.run(
    [index, "--inspect", "--config", f"{source}/corpus/dossier.yaml",
     f"{source}/corpus/000_42de43b9164fe9cf.txt"],
    capture_output=True, check=False)
assert run.returncode == 0, (run.returncode, run.stderr.decode())
lines = run.stdout.decode("utf-8").splitlines()
assert len(lines) == 1, lines
a = json.loads(lines[0])
body = a["body"].encode("utf-8")

def check(what, got, want):
    if got != want:
        sys.exit(f"{what}: got {got!r}, want {want!r}")

check("title", a["title"], "Asia ASAP: Trump and Xi Meet in Busan")
check("authors", a["authors"], ["Wendy Cutler", "Rorry Daniels", "Neil Thomas"])
check("date", (a["date"], a["date_precision"]), ("2025-10-30", "day"))
check("organisation", a["organisation"], "Asia Society Policy Institute")
check("type", a["type"], "commentary")
check("origins", {k: a["origins"][k] for k in ("title", "authors", "date", "organisation")},
      {"title": "text-heuristic", "authors": "byline", "date": "sidecar",
       "organisation": "sidecar"})
sections = [(s["heading"], s["authors"], s["signed"]) for s in a["sections"]]
check("sections", sections, [
    ("What Happened", ["Wendy Cutler", "Rorry Daniels", "Neil Thomas"], False),
    ("A One-Year Trade Truce", ["Wendy Cutler"], True),
    ("Will the Stabilization Last?", ["Rorry Daniels"], True),
    ("Buying Time for Beijing", ["Neil Thomas"], True),
])
texts = [body[s["begin"]:s["end"]].decode("utf-8") for s in a["sections"]]
check("intro starts", texts[0][:22], "On Thursday, U.S. Pres")
check("Thomas on rare earths", "rare earth and other strategic export controls" in texts[3], True)
check("Daniels on rare earths", "rare earth" in texts[2], False)
check("boilerplate gone", any(t in a["body"] for t in ("Dive Deeper", "Sign up for", "op-ed for Time")), False)
check("diagnostics", a["diagnostics"], [])
print("inspect seed: ok")
