"""Ranking metrics with trec_eval's definitions: nDCG@k (ndcg_cut), AP over a cut-off run (map),
P@k and recall@k, and their means over the queries that have a relevant document.

A ranking is a list of document ids, best first. A qrel is {doc id: gain}; gain > 0 is relevant,
gain 0 is judged non-relevant (trec_eval's relevance level 1). Python standard library only.
"""
import math


def dedupe(ranking):
    """The ranking without repeated ids (the first occurrence keeps its rank)."""
    seen = set()
    out = []
    for doc in ranking:
        if doc not in seen:
            seen.add(doc)
            out.append(doc)
    return out


def trec_order(hits):
    """Doc ids in trec_eval's order: score descending, ties by doc id descending (trec_eval
    sorts a run by score and then by docno, ignoring the rank column). hits: [(doc id, score)]."""
    return [doc for doc, _ in sorted(hits, key=lambda h: (h[1], h[0]), reverse=True)]


def num_relevant(qrel):
    return sum(1 for g in qrel.values() if g > 0)


def ndcg_at(ranking, qrel, k=10):
    """trec_eval ndcg_cut.k: sum of gain / log2(rank + 1) over the top k, divided by the same sum
    for the ideal ranking of all judged relevant documents (gains sorted descending, cut at k).
    0 when the query has no relevant document."""
    ideal_gains = sorted((g for g in qrel.values() if g > 0), reverse=True)[:k]
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(ideal_gains))
    if ideal == 0:
        return 0.0
    dcg = 0.0
    for i, doc in enumerate(ranking[:k]):
        gain = qrel.get(doc, 0)
        if gain > 0:
            dcg += gain / math.log2(i + 2)
    return dcg / ideal


def average_precision(ranking, qrel, depth=100):
    """trec_eval map over a run cut at depth: the precision at each relevant document retrieved,
    summed, divided by the number of relevant documents (retrieved or not)."""
    total = num_relevant(qrel)
    if total == 0:
        return 0.0
    found = 0
    precision_sum = 0.0
    for i, doc in enumerate(ranking[:depth]):
        if qrel.get(doc, 0) > 0:
            found += 1
            precision_sum += found / (i + 1)
    return precision_sum / total


def precision_at(ranking, qrel, k=10):
    """trec_eval P.k: relevant documents in the top k over k (k even when fewer were retrieved)."""
    return sum(1 for doc in ranking[:k] if qrel.get(doc, 0) > 0) / k


def recall_at(ranking, qrel, k=100):
    """trec_eval recall.k: relevant documents in the top k over all relevant documents."""
    total = num_relevant(qrel)
    if total == 0:
        return 0.0
    return sum(1 for doc in ranking[:k] if qrel.get(doc, 0) > 0) / total


# Report names, in table order, and how each is computed.
METRICS = (
    ("nDCG@10", lambda r, q: ndcg_at(r, q, 10)),
    ("MAP@100", lambda r, q: average_precision(r, q, 100)),
    ("P@10", lambda r, q: precision_at(r, q, 10)),
    ("R@100", lambda r, q: recall_at(r, q, 100)),
)


def evaluate(run, qrels):
    """Per-query figures and means, like trec_eval -c: every query of qrels with at least one
    relevant document counts, and one missing from the run (or with no hits) scores 0; queries
    without a relevant document are left out (no figure can be defined for them).

    run: {qid: ranking}; qrels: {qid: {doc id: gain}}.
    Returns {"queries": n, "per_query": {qid: {metric: value}}, "mean": {metric: value}}.
    """
    per_query = {}
    for qid, qrel in qrels.items():
        if num_relevant(qrel) == 0:
            continue
        ranking = dedupe(run.get(qid, []))
        per_query[qid] = {name: fn(ranking, qrel) for name, fn in METRICS}
    n = len(per_query)
    mean = {name: (sum(f[name] for f in per_query.values()) / n if n else 0.0)
            for name, _ in METRICS}
    return {"queries": n, "per_query": per_query, "mean": mean}
