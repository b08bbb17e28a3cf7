"""Unit tests of metrics.py on hand-computed examples (the arithmetic is in the comments).

Run from anywhere: python3 -m unittest discover -s tests/eval -p 'test_metrics.py'
"""
import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metrics  # noqa: E402

L2 = math.log2


class NdcgTest(unittest.TestCase):
    def test_binary_gains(self):
        # Relevant: a, c (gain 1). Ranking a b c.
        # DCG = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5; ideal a c = 1 + 1/log2(3) = 1.630930
        # nDCG = 1.5 / 1.630930 = 0.919721
        qrel = {"a": 1, "c": 1}
        self.assertAlmostEqual(metrics.ndcg_at(["a", "b", "c"], qrel, 10),
                               1.5 / (1 + 1 / L2(3)), places=12)
        self.assertAlmostEqual(metrics.ndcg_at(["a", "b", "c"], qrel, 10), 0.919721, places=6)

    def test_graded_gains_and_ideal_order(self):
        # Gains a=4, b=1, c=2, d=0 (judged non-relevant). Ranking b a d c.
        # DCG = 1/log2(2) + 4/log2(3) + 0 + 2/log2(5) = 1 + 2.523719 + 0.861353 = 4.385072
        # Ideal: 4 2 1 = 4 + 2/log2(3) + 1/log2(4) = 4 + 1.261860 + 0.5 = 5.761860
        # nDCG = 4.385072 / 5.761860 = 0.761052
        qrel = {"a": 4, "b": 1, "c": 2, "d": 0}
        got = metrics.ndcg_at(["b", "a", "d", "c"], qrel, 10)
        self.assertAlmostEqual(got, (1 + 4 / L2(3) + 2 / L2(5)) / (4 + 2 / L2(3) + 0.5),
                               places=12)
        self.assertAlmostEqual(got, 0.761052, places=6)
        # The ideal order scores exactly 1.
        self.assertAlmostEqual(metrics.ndcg_at(["a", "c", "b"], qrel, 10), 1.0, places=12)

    def test_cut_applies_to_run_and_ideal(self):
        # Cut at 2. Gains a=3, b=2, c=1. Ranking c x a: only c and x count.
        # DCG@2 = 1/1 = 1; ideal@2 = 3 + 2/log2(3) = 4.26186; nDCG = 0.234639
        qrel = {"a": 3, "b": 2, "c": 1}
        self.assertAlmostEqual(metrics.ndcg_at(["c", "x", "a"], qrel, 2), 1 / (3 + 2 / L2(3)),
                               places=12)

    def test_ideal_uses_all_relevant_not_only_retrieved(self):
        # 12 relevant (gain 1); the run finds one, at rank 1. DCG = 1.
        # Ideal@10 = sum over ranks 1..10 of 1/log2(r+1) = 4.543559
        qrel = {"d%d" % i: 1 for i in range(12)}
        ideal = sum(1 / L2(r + 1) for r in range(1, 11))
        self.assertAlmostEqual(ideal, 4.543559, places=6)
        self.assertAlmostEqual(metrics.ndcg_at(["d0"], qrel, 10), 1 / ideal, places=12)

    def test_no_hits_and_no_relevant(self):
        self.assertEqual(metrics.ndcg_at([], {"a": 1}, 10), 0.0)
        self.assertEqual(metrics.ndcg_at(["a"], {"a": 0}, 10), 0.0)  # judged, none relevant


class AveragePrecisionTest(unittest.TestCase):
    def test_hand_example(self):
        # Relevant a, c, e (3). Ranking a b c d.
        # precision at a = 1/1, at c = 2/3; e not retrieved contributes 0.
        # AP = (1 + 0.666667) / 3 = 0.555556
        qrel = {"a": 1, "c": 1, "e": 1}
        self.assertAlmostEqual(metrics.average_precision(["a", "b", "c", "d"], qrel, 100),
                               (1 + 2 / 3) / 3, places=12)

    def test_depth_cuts_the_run(self):
        # Relevant x, y. Ranking: 100 misses, then x at rank 101, y at 1 (so y counts).
        # Depth 100: only y at rank 1 -> (1/1) / 2 = 0.5. Deeper it would add 2/102.
        qrel = {"x": 1, "y": 1}
        ranking = ["y"] + ["n%d" % i for i in range(99)] + ["x"]
        self.assertEqual(len(ranking), 101)
        self.assertAlmostEqual(metrics.average_precision(ranking, qrel, 100), 0.5, places=12)
        self.assertAlmostEqual(metrics.average_precision(ranking, qrel, 101),
                               (1 + 2 / 101) / 2, places=12)

    def test_graded_gains_count_as_relevant(self):
        # Cranfield gains 4 and 1 both relevant; gain 0 is not. Ranking z(0) p(4) q(1).
        # AP = (1/2 + 2/3) / 2 = 0.583333
        qrel = {"p": 4, "q": 1, "z": 0}
        self.assertAlmostEqual(metrics.average_precision(["z", "p", "q"], qrel, 100),
                               (1 / 2 + 2 / 3) / 2, places=12)


class PrecisionRecallTest(unittest.TestCase):
    def test_precision_divides_by_k_even_when_short(self):
        # 2 relevant among 3 retrieved: P@10 = 2/10 (trec_eval), not 2/3.
        qrel = {"a": 1, "b": 1, "c": 0}
        self.assertAlmostEqual(metrics.precision_at(["a", "c", "b"], qrel, 10), 0.2, places=12)

    def test_recall_at_cut(self):
        # 4 relevant; the top 2 of the ranking hold 1 of them: R@2 = 1/4; R@3 = 2/4.
        qrel = {"a": 1, "b": 1, "c": 1, "d": 1}
        self.assertAlmostEqual(metrics.recall_at(["a", "x", "b"], qrel, 2), 0.25, places=12)
        self.assertAlmostEqual(metrics.recall_at(["a", "x", "b"], qrel, 3), 0.5, places=12)

    def test_duplicates_count_once(self):
        # A repeated hit must not be counted twice: dedupe keeps the first.
        self.assertEqual(metrics.dedupe(["a", "b", "a", "c"]), ["a", "b", "c"])


class TiesTest(unittest.TestCase):
    def test_trec_order_breaks_score_ties_by_docno_descending(self):
        # Scores: d1=2.0, d2=3.0, d3=2.0, d4=2.0 -> d2, then the 2.0 tie as d4 d3 d1.
        hits = [("d1", 2.0), ("d2", 3.0), ("d3", 2.0), ("d4", 2.0)]
        self.assertEqual(metrics.trec_order(hits), ["d2", "d4", "d3", "d1"])

    def test_tie_order_changes_the_figure(self):
        # Relevant d1 only. Engine order d1 d2 (tie at 1.0): AP = 1.
        # trec_eval order d2 d1: AP = 1/2. The same scores, two figures: ties matter.
        qrel = {"d1": 1}
        order = metrics.trec_order([("d1", 1.0), ("d2", 1.0)])
        self.assertEqual(order, ["d2", "d1"])
        self.assertAlmostEqual(metrics.average_precision(["d1", "d2"], qrel), 1.0)
        self.assertAlmostEqual(metrics.average_precision(order, qrel), 0.5)


class EvaluateTest(unittest.TestCase):
    def test_means_over_queries_with_relevant_documents(self):
        qrels = {
            "1": {"a": 1, "b": 1},  # run: a x b
            "2": {"c": 2},  # run: nothing at all (no hits) -> all 0
            "3": {"d": 0},  # no relevant document: excluded from every mean
            "4": {"e": 1},  # absent from the run -> all 0
        }
        run = {"1": ["a", "x", "b"], "2": [], "3": ["d"]}
        res = metrics.evaluate(run, qrels)
        self.assertEqual(res["queries"], 3)
        self.assertEqual(sorted(res["per_query"]), ["1", "2", "4"])
        # Query 1: nDCG = (1 + 1/log2(4)) / (1 + 1/log2(3)) = 1.5 / 1.630930 = 0.919721
        #          AP = (1/1 + 2/3) / 2 = 0.833333; P@10 = 2/10; R@100 = 2/2.
        q1 = res["per_query"]["1"]
        self.assertAlmostEqual(q1["nDCG@10"], 1.5 / (1 + 1 / L2(3)), places=12)
        self.assertAlmostEqual(q1["MAP@100"], (1 + 2 / 3) / 2, places=12)
        self.assertAlmostEqual(q1["P@10"], 0.2, places=12)
        self.assertAlmostEqual(q1["R@100"], 1.0, places=12)
        for qid in ("2", "4"):
            self.assertEqual(set(res["per_query"][qid].values()), {0.0})
        # Means divide by 3 queries: nDCG 0.919721/3 = 0.306574, AP 0.277778, P@10 0.066667,
        # R@100 0.333333.
        self.assertAlmostEqual(res["mean"]["nDCG@10"], 1.5 / (1 + 1 / L2(3)) / 3, places=12)
        self.assertAlmostEqual(res["mean"]["MAP@100"], (1 + 2 / 3) / 2 / 3, places=12)
        self.assertAlmostEqual(res["mean"]["P@10"], 0.2 / 3, places=12)
        self.assertAlmostEqual(res["mean"]["R@100"], 1 / 3, places=12)

    def test_duplicates_in_run_are_dropped_before_scoring(self):
        # Run a a b with relevant a, b: deduped to a b -> AP = (1 + 1) / 2 = 1, P@10 = 2/10.
        res = metrics.evaluate({"1": ["a", "a", "b"]}, {"1": {"a": 1, "b": 1}})
        self.assertAlmostEqual(res["per_query"]["1"]["MAP@100"], 1.0, places=12)
        self.assertAlmostEqual(res["per_query"]["1"]["P@10"], 0.2, places=12)

    def test_no_judged_queries(self):
        res = metrics.evaluate({"1": ["a"]}, {"1": {"a": 0}})
        self.assertEqual(res["queries"], 0)
        self.assertEqual(res["mean"]["nDCG@10"], 0.0)


if __name__ == "__main__":
    unittest.main()
