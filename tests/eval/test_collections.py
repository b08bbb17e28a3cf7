"""Tests of ir_collections.py: the SMART parser and query sanitiser on invented samples, and the
four real collections' counts against their README/PROVENANCE (skipped when ../shared is absent).

Run from anywhere: python3 -m unittest discover -s tests/eval -p 'test_collections.py'
"""
import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ir_collections as ic  # noqa: E402

CORPORA = os.environ.get("DOSSIER_SHARED_DIR",
                         os.path.join(HERE, "..", "..", "..", "shared")) + "/corpora"

# Invented sample records (not from any collection) in SMART layout, CRLF like CACM, with a
# record number broken over two lines and a stray marker after the body.
SAMPLE = (".I 1\r\n.T\r\nA sample title\r\n.A\r\nDoe, J.\r\n.W\r\n first line of text,\r\n"
          "second line.\r\n.X\r\n1\t5\t1\r\n"
          ".I 2\r\n.T\r\nTitle only record\r\n.A\r\nRoe, R.\r\n"
          ".I 3\r\n4\r\n.T\r\nBroken number\r\n.W\r\nbody\r\n.A\r\nnot an author line\r\n"
          ".W\r\nsecond body\r\n")


class SmartParserTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "sample.all")
        with open(self.path, "wb") as f:
            f.write(SAMPLE.encode())

    def tearDown(self):
        self.tmp.cleanup()

    def test_records_fields_and_repairs(self):
        notes = []
        records = ic.parse_smart(self.path, notes)
        self.assertEqual([r[0] for r in records], ["1", "2", "34"])
        docs = {d["id"]: d for d in ic._documents("x", records)}
        self.assertEqual(docs["x-1"], {"id": "x-1", "title": "A sample title",
                                       "text": "first line of text, second line."})
        self.assertEqual(docs["x-2"]["text"], "")  # authors never reach the text
        self.assertIn("record number split", notes[0])
        # Without body_tag the stray .A after .W is a field of its own (CACM/CISI behaviour).
        self.assertEqual(docs["x-34"]["text"], "body second body")

    def test_body_tag_folds_later_markers_into_the_body(self):
        notes = []
        records = ic.parse_smart(self.path, notes, body_tag="W")
        docs = {d["id"]: d for d in ic._documents("x", records)}
        self.assertEqual(docs["x-34"]["text"], "body not an author line second body")
        self.assertEqual(docs["x-1"]["text"], "first line of text, second line. 1 5 1")
        self.assertTrue(any("field markers after .W" in n for n in notes))

    def test_text_before_first_record_is_an_error(self):
        with open(self.path, "w") as f:
            f.write("stray\n.I 1\n.W\nx\n")
        with self.assertRaises(ValueError):
            ic.parse_smart(self.path, [])

    def test_write_jsonl_keeps_title_only_and_drops_empty(self):
        docs = [{"id": "x-1", "title": "T", "text": "body"},
                {"id": "x-2", "title": "Only a title", "text": ""},
                {"id": "x-3", "title": "", "text": ""}]
        out = os.path.join(self.tmp.name, "d.jsonl")
        self.assertEqual(ic.write_jsonl(docs, out), (2, 1))
        with open(out, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        self.assertEqual(rows[1], {"id": "x-2", "title": "Only a title", "text": ""})
        self.assertEqual([r["id"] for r in rows], ["x-1", "x-2"])


class QrelsTest(unittest.TestCase):
    def test_graded_repeated_and_unknown(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "qrels")
            with open(path, "w") as f:
                f.write("1 10 2\n1 11 -1\n1 10 1\n2 12 4")  # no final newline, like cranqrel
            notes = []
            raw = ic._read_qrels(path, (0, 1, 2), ic.CRANFIELD_GAINS, notes)
            self.assertEqual(raw, {"1": {10: 4, 11: 0}, "2": {12: 1}})  # repeat keeps max
            self.assertEqual(len(notes), 1)
            with open(path, "w") as f:
                f.write("1 10 7\n")
            with self.assertRaises(ValueError):
                ic._read_qrels(path, (0, 1, 2), ic.CRANFIELD_GAINS, [])

    def test_cranfield_gain_mapping(self):
        self.assertEqual(ic.CRANFIELD_GAINS, {1: 4, 2: 3, 3: 2, 4: 1, -1: 0})


class SanitizeTest(unittest.TestCase):
    CASES = [
        ("What is TSS (Time Sharing System)?", "what is tss time sharing system"),
        ('"exact phrase" AND title:foo OR NOT bar*', "exact phrase and title foo or not bar"),
        ("a+b -c ~d NEAR e", "a b c d near e"),
        ("time-sharing, multi_user; 3.5 cm", "time sharing multi user 3 5 cm"),
        ("  Über  café\tnaïve\n", "über café naïve"),
        ("()*:+-", ""),
    ]

    def test_cases(self):
        for text, expected in self.CASES:
            with self.subTest(text=text):
                self.assertEqual(ic.sanitize_query(text), expected)


@unittest.skipUnless(os.path.isdir(CORPORA), "skipped: ../shared absent")
class RealCollectionsTest(unittest.TestCase):
    """Counts as stated in each README/PROVENANCE, and the quirks docs/evaluation.md names."""

    def test_counts(self):
        for name, (_, _, expected) in ic.COLLECTIONS.items():
            with self.subTest(collection=name):
                c = ic.load(name, CORPORA)
                self.assertEqual(len(c.documents), expected["docs"])
                self.assertEqual(len(c.queries), expected["queries"])
                self.assertEqual(len(c.judged_queries()), expected["judged"])
                self.assertEqual(c.qrel_count(), expected["qrels"])
                ids = [int(d["id"].rsplit("-", 1)[1]) for d in c.documents]
                self.assertEqual(ids, list(range(1, len(ids) + 1)))
                # No judgement was dropped as naming an unknown query or document.
                self.assertFalse([n for n in c.notes if "qrels" in n], c.notes)

    def test_cacm(self):
        c = ic.load("cacm", CORPORA)
        self.assertEqual(sum(1 for d in c.documents if d["text"]), 1587)  # .W count
        self.assertEqual(c.documents[2855]["id"], "cacm-2856")  # ".I 28" + "56"
        self.assertTrue(all("\r" not in d["text"] + d["title"] for d in c.documents))
        self.assertNotIn("Perlis", c.documents[0]["text"] + c.documents[0]["title"])

    def test_cranfield(self):
        c = ic.load("cranfield", CORPORA)
        self.assertEqual([q["qid"] for q in c.queries], [str(i) for i in range(1, 226)])
        self.assertEqual((c.queries[2]["source_id"], c.queries[-1]["source_id"]), ("004", "365"))
        grades = {}
        for judged in c.qrels.values():
            for gain in judged.values():
                grades[gain] = grades.get(gain, 0) + 1
        # PROVENANCE: code 1→128, 2→387, 3→734, 4→363, −1→225; mapped 4, 3, 2, 1, 0.
        self.assertEqual(grades, {4: 128, 3: 387, 2: 734, 1: 363, 0: 225})
        self.assertTrue(all(sum(1 for g in j.values() if g == 0) == 1 for j in c.qrels.values()))
        doc240 = c.documents[239]
        self.assertEqual(doc240["id"], "cranfield-240")
        self.assertIn("application to turbulent separations", doc240["text"])

    def test_medline_and_cisi(self):
        med = ic.load("medline", CORPORA)
        self.assertTrue(all(d["title"] == "" and d["text"] for d in med.documents))
        cisi = ic.load("cisi", CORPORA)
        self.assertEqual(cisi.documents[0]["title"], "18 Editions of the Dewey Decimal "
                         "Classifications")
        self.assertNotIn("Comaromi", cisi.documents[0]["text"])


if __name__ == "__main__":
    unittest.main()
