"""Tests of run_eval.py through its test doubles in fake_bin/ (a perfect-run dossier-search and a
trivial dossier-index): plumbing, the batch contract checks, skipping without ../shared.

Run from anywhere: python3 -m unittest discover -s tests/eval -p 'test_run_eval.py'
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run_eval  # noqa: E402

SHARED = os.environ.get("DOSSIER_SHARED_DIR", os.path.join(HERE, "..", "..", "..", "shared"))
FAKE_BIN = os.path.join(HERE, "fake_bin")


def run(args, env=None):
    """(status, stdout, stderr) of run_eval.main(args) with extra environment."""
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env or {}), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        status = run_eval.main(args)
    return status, out.getvalue(), err.getvalue()


class SkipTest(unittest.TestCase):
    def test_absent_shared_skips_with_status_0(self):
        with tempfile.TemporaryDirectory() as tmp:
            status, out, _ = run(["--bin", FAKE_BIN, "--work", tmp,
                                  "--shared", os.path.join(tmp, "nowhere")])
            self.assertEqual(status, 0)
            self.assertIn("eval: skipped:", out)


@unittest.skipUnless(os.path.isdir(os.path.join(SHARED, "corpora")), "skipped: ../shared absent")
class FakeRunTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.work = os.path.join(self.tmp.name, "work")
        self.base = ["--bin", FAKE_BIN, "--work", self.work, "--shared", SHARED]

    def tearDown(self):
        self.tmp.cleanup()

    def test_perfect_run_scores_one_and_passes_the_contract_arguments(self):
        log = os.path.join(self.tmp.name, "args.json")
        out_json = os.path.join(self.tmp.name, "r.json")
        status, out, err = run(self.base + ["--collections", "cranfield,medline", "--markdown",
                                            "--extra-args", "--k1 1.2 --b '0.75'",
                                            "--label", "oracle", "--json", out_json],
                               {"FAKE_SEARCH_LOG": log})
        self.assertEqual(status, 0, err)
        self.assertIn("| cranfield | 1.000 | 1.000 |", out)
        self.assertIn("| mean (2) | 1.000 |", out)
        with open(log, encoding="utf-8") as f:
            args = json.load(f)
        self.assertEqual(args[args.index("--limit") + 1], "100")
        for flag in ("--any", "--no-correct", "--batch"):
            self.assertIn(flag, args)
        self.assertEqual(args[-4:], ["--k1", "1.2", "--b", "0.75"])
        with open(out_json, encoding="utf-8") as f:
            report = json.load(f)
        cran = report["collections"]["cranfield"]
        self.assertEqual(cran["queries"], 225)
        self.assertEqual(cran["counts"]["docs_written"], 1398)  # 471 and 995 are empty
        self.assertEqual(report["label"], "oracle")
        self.assertEqual(set(cran["timings"]), {"convert_s", "index_s", "index_rebuilt",
                                                "search_s", "score_s"})
        # A second run reuses the index; --reindex rebuilds it.
        calls = os.path.join(self.work, "medline", "index", "calls")
        run(self.base + ["--collections", "medline"])
        run(self.base + ["--collections", "medline", "--reindex"])
        with open(calls, encoding="utf-8") as f:
            self.assertEqual(len(f.readlines()), 2)

    def test_empty_run_scores_zero(self):
        status, out, _ = run(self.base + ["--collections", "medline"],
                             {"FAKE_SEARCH_MODE": "empty"})
        self.assertEqual(status, 0)
        self.assertIn("medline       0.000    0.000  0.000  0.000       30", out)

    def test_contract_violations_are_errors(self):
        for mode, message in (("reverse", "out of order"), ("short", "output lines for"),
                              ("fail", "exited 3")):
            with self.subTest(mode=mode):
                status, _, err = run(self.base + ["--collections", "medline"],
                                     {"FAKE_SEARCH_MODE": mode})
                self.assertEqual(status, 1)
                self.assertIn(message, err)

    def test_unknown_collection_is_a_usage_error(self):
        with self.assertRaises(SystemExit) as cm:
            run(self.base + ["--collections", "trec8"])
        self.assertEqual(cm.exception.code, 2)


if __name__ == "__main__":
    unittest.main()
