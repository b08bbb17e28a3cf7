#!/usr/bin/env python3
"""Runs every ranking experiment of tests/eval/configurations.tsv through run_eval.py and prints
the table of docs/evaluation.md (nDCG@10 per collection, mean, decision). Part of `make eval`.

  python3 tests/eval/sweep.py --bin build/release/bin --work build/eval [--markdown]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTIONS = ("cacm", "cisi", "cranfield", "medline")


def read_configurations(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 4:
                raise SystemExit("%s: want 4 tab-separated fields: %r" % (path, line))
            rows.append(dict(zip(("row", "index_args", "search_args", "decision"), parts)))
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bin", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--configurations", default=os.path.join(HERE, "configurations.tsv"))
    p.add_argument("--markdown", action="store_true")
    args = p.parse_args(argv)
    rows = read_configurations(args.configurations)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in rows:
            report = os.path.join(tmp, "r.json")
            cmd = [sys.executable, os.path.join(HERE, "run_eval.py"), "--bin", args.bin,
                   "--work", args.work, "--index-args", r["index_args"],
                   "--extra-args", r["search_args"], "--json", report]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                sys.stderr.write(done.stderr)
                return done.returncode
            if not os.path.exists(report):  # skipped: ../shared absent
                print(done.stdout.strip())
                return 0
            with open(report, encoding="utf-8") as f:
                figures = json.load(f)
            values = [figures["collections"][c]["mean"]["nDCG@10"] for c in COLLECTIONS]
            out.append((r, values, sum(values) / len(values)))
            print("eval: sweep row %s done" % r["row"], file=sys.stderr, flush=True)
    if args.markdown:
        print("| # | dossier-index | dossier-search | cacm | cisi | cranfield | medline | mean | decision |")
        print("|---|---|---|---:|---:|---:|---:|---:|---|")
        for r, values, mean in out:
            print("| %s | `%s` | `%s` | %s | %.3f | %s |" % (
                r["row"], r["index_args"], r["search_args"] or "(defaults)",
                " | ".join("%.3f" % v for v in values), mean, r["decision"]))
    else:
        print("%-4s %-18s %-44s %s  %6s  %s" % ("#", "index", "search",
                                                 " ".join("%9s" % c for c in COLLECTIONS),
                                                 "mean", "decision"))
        for r, values, mean in out:
            print("%-4s %-18s %-44s %s  %6.3f  %s" % (
                r["row"], r["index_args"], r["search_args"] or "(defaults)",
                " ".join("%9.3f" % v for v in values), mean, r["decision"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
