#!/usr/bin/env python3
"""Ranking evaluation: index each classic test collection, run all its queries through one
dossier-search --batch process, score the top 100 with trec_eval's definitions, print a table.

  python3 tests/eval/run_eval.py --bin build/release/bin --work build/eval [--markdown]

Needs ../shared (the staged corpora); without it prints a "skipped" line and exits 0. Exit 1 when
a binary fails or its output breaks the batch contract, 2 on a usage error. See
docs/evaluation.md. Python standard library only.
"""
import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ir_collections  # noqa: E402
import metrics  # noqa: E402

REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))
DEPTH = 100

# Issue #6: the best peer engine per collection (nDCG@10, same text, OR queries, top 100) and
# the target for Dossier's default ranking. Printed for reference; never a pass/fail test.
BEST_PEER = {"cacm": 0.473, "cisi": 0.362, "cranfield": 0.372, "medline": 0.690}
TARGET_MEAN = 0.495


class EvalError(Exception):
    pass


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sha256_file(path, h=None):
    h = h or hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h


def write_if_changed(path, text):
    """Writes text unless the file already holds it (keeps mtimes, and so the index, stable)."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def binary_fingerprint(binary):
    """SHA-256 over the binary and the libdossier it loads (release builds link it shared, so a
    library change alone must also rebuild the index)."""
    h = sha256_file(binary)
    try:
        out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    except OSError:
        out = ""
    for line in out.splitlines():
        parts = line.split("=>")
        if len(parts) == 2 and "dossier" in parts[0]:
            lib = parts[1].split("(")[0].strip()
            if os.path.isfile(lib):
                sha256_file(lib, h)
    return h.hexdigest()


def convert(name, corpora, folder):
    """WORK/<c>/docs.jsonl, queries.txt (one sanitised query a line), queries.json, qrels.json."""
    coll = ir_collections.load(name, corpora)
    os.makedirs(folder, exist_ok=True)
    docs_path = os.path.join(folder, "docs.jsonl")
    tmp = docs_path + ".new"
    written, title_only = ir_collections.write_jsonl(coll.documents, tmp)
    with open(tmp, encoding="utf-8") as f:
        write_if_changed(docs_path, f.read())
    os.remove(tmp)
    lines = []
    queries = []
    for q in coll.queries:
        text = ir_collections.sanitize_query(q["text"])
        if not text:
            raise EvalError("%s: query %s is empty once sanitised" % (name, q["qid"]))
        lines.append(text)
        queries.append({"qid": q["qid"], "source_id": q["source_id"], "query": text,
                        "original": q["text"]})
    write_if_changed(os.path.join(folder, "queries.txt"), "\n".join(lines) + "\n")
    write_if_changed(os.path.join(folder, "queries.json"), json.dumps(queries, indent=1) + "\n")
    write_if_changed(os.path.join(folder, "qrels.json"),
                     json.dumps(coll.qrels, indent=1, sort_keys=True) + "\n")
    # The judgements in trec_eval's own format too, for cross-checking (see docs/evaluation.md).
    write_if_changed(os.path.join(folder, "qrels.trec"), "".join(
        "%s 0 %s %d\n" % (qid, doc, gain) for qid, judged in coll.qrels.items()
        for doc, gain in sorted(judged.items())))
    return coll, queries, {"docs": len(coll.documents), "docs_written": written,
                           "title_only": title_only, "queries": len(coll.queries),
                           "judged_queries": len(coll.judged_queries()),
                           "qrels": coll.qrel_count(), "notes": coll.notes}


def index(bindir, folder, index_args, force, fingerprint):
    """Builds WORK/<c>/index unless its stamp (docs, binary + library, arguments) is current.
    Returns (rebuilt?, indexer summary or None)."""
    docs = os.path.join(folder, "docs.jsonl")
    db = os.path.join(folder, "index")
    stamp_path = os.path.join(folder, "index.stamp")
    stamp = {"docs_sha256": sha256_file(docs).hexdigest(), "binary": fingerprint,
             "index_args": index_args}
    if not force and os.path.isdir(db) and os.path.exists(stamp_path):
        with open(stamp_path, encoding="utf-8") as f:
            if json.load(f) == stamp:
                return False, None
    if os.path.exists(stamp_path):
        os.remove(stamp_path)
    argv = ([os.path.join(bindir, "dossier-index"), "--db", db, "--full", "--quiet", "--json"]
            + index_args + [docs])
    res = subprocess.run(argv, capture_output=True, text=True)
    if res.returncode != 0:
        raise EvalError("%s exited %d: %s" % (shlex.join(argv), res.returncode,
                                              (res.stderr or res.stdout).strip()[-2000:]))
    try:
        summary = json.loads(res.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        summary = {}
    with open(stamp_path, "w", encoding="utf-8") as f:
        json.dump(stamp, f, indent=1)
    return True, summary


def search(bindir, folder, queries, extra_args):
    """One dossier-search --batch process over all queries; {qid: [(doc id, rank, score)]}."""
    argv = [os.path.join(bindir, "dossier-search"), "--db", os.path.join(folder, "index"),
            "--batch", os.path.join(folder, "queries.txt"), "--format", "jsonl", "--any",
            "--limit", str(DEPTH), "--snippets", "0", "--no-correct"] + extra_args
    out_path = os.path.join(folder, "run.jsonl")
    with open(out_path, "wb") as out:
        res = subprocess.run(argv, stdout=out, stderr=subprocess.PIPE)
    if res.returncode != 0:
        raise EvalError("%s exited %d: %s" % (shlex.join(argv), res.returncode,
                                              res.stderr.decode("utf-8", "replace")
                                              .strip()[-2000:]))
    with open(out_path, encoding="utf-8") as f:
        lines = [line for line in f.read().split("\n") if line.strip()]
    if len(lines) != len(queries):
        raise EvalError("%s: %d output lines for %d queries (the batch contract is one JSON "
                        "object per query line, in order)" % (out_path, len(lines), len(queries)))
    run = {}
    for n, (line, q) in enumerate(zip(lines, queries), 1):
        try:
            obj = json.loads(line)
            hits = [(str(h["id"]), int(h["rank"]), float(h["score"])) for h in obj["hits"]]
        except (ValueError, KeyError, TypeError) as e:
            raise EvalError("%s:%d: not a batch result (%s: %s)"
                            % (out_path, n, type(e).__name__, e)) from None
        if "error" in obj:
            raise EvalError("%s:%d: query %r failed: %s" % (out_path, n, q["query"], obj["error"]))
        echoed = obj.get("query")
        if isinstance(echoed, dict):  # dossier-search echoes the request: {"text": ..., ...}
            echoed = echoed.get("text")
        if echoed != q["query"]:
            raise EvalError("%s:%d: result for %r, expected query %r (out of order?)"
                            % (out_path, n, echoed, q["query"]))
        run[q["qid"]] = hits
    return run


def ranking_of(hits, order):
    if order == "trec":
        return metrics.trec_order([(doc, score) for doc, _, score in hits])
    return [doc for doc, _, _ in sorted(hits, key=lambda h: h[1])]


def check_run(name, run, qrels, order):
    """Warnings about the run: unknown ids, repeated ids, ranks not 1..n, score ties that
    trec_eval would reorder."""
    known = set()
    for judged in qrels.values():
        known.update(judged)
    warnings = []
    prefix = name + "-"
    foreign = sum(1 for hits in run.values() for doc, _, _ in hits if not doc.startswith(prefix))
    if foreign:
        warnings.append("%d hits with ids not of the form %s<n>" % (foreign, prefix))
    repeated = sum(len(hits) - len({d for d, _, _ in hits}) for hits in run.values())
    if repeated:
        warnings.append("%d repeated hits (each counted once, at its first rank)" % repeated)
    bad_ranks = sum(1 for hits in run.values()
                    if sorted(r for _, r, _ in hits) != list(range(1, len(hits) + 1)))
    if bad_ranks:
        warnings.append("%d queries whose ranks are not 1..n" % bad_ranks)
    ties = sum(1 for hits in run.values()
               if ranking_of(hits, "rank")[:10] != ranking_of(hits, "trec")[:10])
    if ties:
        warnings.append("%d queries whose top 10 trec_eval would order differently (score "
                        "ties or scores out of rank order; --order %s in use)"
                        % (ties, order))
    return warnings


def fmt_table(rows, markdown, label):
    cols = ["collection"] + [m for m, _ in metrics.METRICS] + ["queries", "best peer nDCG@10"]
    body = []
    for r in rows:
        body.append([r["collection"]] + ["%.3f" % r["mean"][m] for m, _ in metrics.METRICS]
                    + [str(r["queries"]), "%.3f" % BEST_PEER[r["collection"]]
                       if r["collection"] in BEST_PEER else "-"])
    if rows:
        mean = sum(r["mean"]["nDCG@10"] for r in rows) / len(rows)
        names = [r["collection"] for r in rows]
        peers = [BEST_PEER.get(n) for n in names]
        body.append(["mean (%d)" % len(rows), "%.3f" % mean] + [""] * (len(cols) - 3)
                    + ["target %.3f" % TARGET_MEAN if set(names) == set(BEST_PEER)
                       else ("%.3f" % (sum(peers) / len(peers)) if None not in peers else "-")])
    out = []
    if markdown:
        if label:
            out.append("**%s**\n" % label)
        out.append("| " + " | ".join(cols) + " |")
        out.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(cols))) + "|")
        for row in body:
            out.append("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(c), *(len(row[i]) for row in body)) for i, c in enumerate(cols)]
        if label:
            out.append(label)
        out.append("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i])
                             for i, c in enumerate(cols)))
        for row in body:
            out.append("  ".join(v.ljust(widths[i]) if i == 0 else v.rjust(widths[i])
                                 for i, v in enumerate(row)))
    return "\n".join(out)


def main(argv=None):
    p = argparse.ArgumentParser(
        description="Ranking evaluation of Dossier on cacm, cisi, cranfield and medline "
        "(docs/evaluation.md).")
    p.add_argument("--bin", required=True, help="folder holding dossier-index and dossier-search")
    p.add_argument("--work", required=True, help="scratch folder (converted collections, indexes)")
    p.add_argument("--shared", default=DEFAULT_SHARED,
                   help="the shared folder, default ../shared beside the repository")
    p.add_argument("--collections", default=",".join(ir_collections.COLLECTIONS),
                   help="comma-separated subset, default all four")
    p.add_argument("--extra-args", default="", help="more dossier-search arguments (one string)")
    p.add_argument("--index-args", default="", help="more dossier-index arguments (one string)")
    p.add_argument("--reindex", action="store_true", help="rebuild the indexes even if current")
    p.add_argument("--order", choices=("rank", "trec"), default="rank",
                   help="rank: the engine's ranks (default); trec: re-sort by score, ties by "
                   "id descending, as trec_eval does")
    p.add_argument("--label", default="", help="a name for this configuration (table, JSON)")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    p.add_argument("--json", metavar="FILE", help="write figures, per-query values and timings")
    args = p.parse_args(argv)

    names = [n.strip() for n in args.collections.split(",") if n.strip()]
    unknown = [n for n in names if n not in ir_collections.COLLECTIONS]
    if unknown or not names:
        p.error("unknown collection(s) %s; known: %s"
                % (", ".join(unknown) or "(none given)", ", ".join(ir_collections.COLLECTIONS)))
    corpora = os.path.join(args.shared, "corpora")
    if not os.path.isdir(corpora):
        print("eval: skipped: %s absent (the test collections live there)" % corpora)
        return 0
    for tool in ("dossier-index", "dossier-search"):
        path = os.path.join(args.bin, tool)
        if not os.access(path, os.X_OK):
            p.error("%s not found or not executable (build first: make build PRESET=release)"
                    % path)
    extra = shlex.split(args.extra_args)
    index_args = shlex.split(args.index_args)
    fingerprint = binary_fingerprint(os.path.join(args.bin, "dossier-index"))

    rows = []
    report = {"label": args.label, "bin": os.path.abspath(args.bin), "extra_args": extra,
              "index_args": index_args, "order": args.order, "depth": DEPTH,
              "collections": {}}
    start_all = time.monotonic()
    try:
        for name in names:
            folder = os.path.join(args.work, name)
            t0 = time.monotonic()
            coll, queries, counts = convert(name, corpora, folder)
            t1 = time.monotonic()
            rebuilt, summary = index(args.bin, folder, index_args, args.reindex, fingerprint)
            t2 = time.monotonic()
            hits = search(args.bin, folder, queries, extra)
            t3 = time.monotonic()
            run = {qid: ranking_of(h, args.order) for qid, h in hits.items()}
            res = metrics.evaluate(run, coll.qrels)
            t4 = time.monotonic()
            warnings = check_run(name, hits, coll.qrels, args.order)
            if summary and summary.get("added") not in (None, counts["docs_written"]):
                warnings.append("indexer added %s of %d records"
                                % (summary.get("added"), counts["docs_written"]))
            with open(os.path.join(folder, "run.trec"), "w", encoding="utf-8") as f:
                for qid, ranking in run.items():
                    for i, doc in enumerate(metrics.dedupe(ranking)[:DEPTH], 1):
                        f.write("%s Q0 %s %d %d dossier\n" % (qid, doc, i, DEPTH + 1 - i))
            timings = {"convert_s": round(t1 - t0, 3), "index_s": round(t2 - t1, 3),
                       "index_rebuilt": rebuilt, "search_s": round(t3 - t2, 3),
                       "score_s": round(t4 - t3, 3)}
            for w in warnings:
                log("eval: %s: warning: %s" % (name, w))
            log("eval: %s: %d docs, %d queries (%d judged); convert %.2fs, index %s, search "
                "%.2fs, score %.3fs" % (name, counts["docs_written"], counts["queries"],
                                        res["queries"], t1 - t0,
                                        "%.2fs" % (t2 - t1) if rebuilt else "current",
                                        t3 - t2, t4 - t3))
            rows.append({"collection": name, "mean": res["mean"], "queries": res["queries"]})
            report["collections"][name] = {"mean": res["mean"], "queries": res["queries"],
                                           "counts": counts, "timings": timings,
                                           "warnings": warnings,
                                           "per_query": res["per_query"]}
    except EvalError as e:
        log("eval: error: %s" % e)
        return 1
    total = time.monotonic() - start_all
    mean = sum(r["mean"]["nDCG@10"] for r in rows) / len(rows)
    report["mean_ndcg10"] = mean
    report["seconds"] = round(total, 2)
    print(fmt_table(rows, args.markdown, args.label))
    log("eval: mean nDCG@10 %.4f over %d collections in %.1fs" % (mean, len(rows), total))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1, sort_keys=True)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
