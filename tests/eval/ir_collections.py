"""Converters for the classic IR test collections in ../shared/corpora (cacm, cisi, cranfield,
medline): documents, queries and relevance judgements, in the shapes the evaluation harness needs.

Named ir_collections, not collections, so that it cannot be confused with (or hidden by) the
standard library's collections module, which Python imports at start-up.

Each loader returns a Collection:
  documents  [{"id": "cacm-123", "title": ..., "text": ...}]   title + abstract only
  queries    [{"qid": "1", "text": ..., "source_id": ...}]     in file order
  qrels      {qid: {doc id: gain}}                             gain 0 = judged non-relevant
All the quirks handled here are documented in docs/evaluation.md. Python standard library only.
"""
import json
import os
import re

# A SMART field marker is a line holding only ".X" (trailing blanks allowed), or ".I <number>".
# Anything else that starts with a dot is text: a stricter test than "starts with .X" keeps
# sentences that happen to begin with ".A" in the abstract.
_MARKER = re.compile(r"\.([A-Z])[ \t]*\Z")
_ID_MARKER = re.compile(r"\.I[ \t]+(\d+)[ \t]*\Z")

# Cranfield's relevance codes (cranqrel.readme, Cleverdon's scale: 1 = complete answer ...
# 4 = minimum interest) as trec_eval gains, where larger is better. -1, one per query, marks the
# document the question was drawn from; it is not on the scale and counts as non-relevant.
CRANFIELD_GAINS = {1: 4, 2: 3, 3: 2, 4: 1, -1: 0}


class Collection:
    """One converted test collection, plus notes on anything odd met while reading it."""

    def __init__(self, name, documents, queries, qrels, notes):
        self.name = name
        self.documents = documents
        self.queries = queries
        self.qrels = qrels
        self.notes = notes

    def judged_queries(self):
        """Query ids with at least one relevant (gain > 0) document."""
        return [q["qid"] for q in self.queries
                if any(g > 0 for g in self.qrels.get(q["qid"], {}).values())]

    def qrel_count(self):
        return sum(len(d) for d in self.qrels.values())


def read_text(path):
    """File text with LF line ends (CACM is CRLF); UTF-8, else Latin-1 (never fails)."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def squash(lines):
    """Lines joined into one line of single-spaced text."""
    return " ".join(" ".join(lines).split())


def parse_smart(path, notes, body_tag=None):
    """SMART tagged records: a list of (id string, [(tag, [lines])]) in file order.

    With body_tag, a marker that comes after the body marker inside the same record is taken as
    a line of body text (and counted): Cranfield's body is always its last field, and its record
    240 has stray ".A"/".B" lines in the middle of the abstract. Repairs are added to notes.
    """
    records = []
    folded = 0
    fields = None
    in_body = False
    for line in read_text(path).split("\n"):
        line = line.rstrip()
        m = _ID_MARKER.match(line)
        if m:
            fields = []
            records.append((m.group(1), fields))
            in_body = False
            continue
        if fields == [] and line.strip().isdigit():
            # CACM's ".I 28" + "56" is record 2856 with its number broken over two lines.
            records[-1] = (records[-1][0] + line.strip(), fields)
            notes.append("%s: record number split over two lines, read as .I %s"
                         % (os.path.basename(path), records[-1][0]))
            continue
        m = _MARKER.match(line)
        if m and fields is not None:
            tag = m.group(1)
            if in_body:
                folded += 1
                if tag != body_tag:
                    continue  # the marker line itself is dropped; its text stays in the body
            if tag == body_tag:
                in_body = True
            fields.append((tag, []))
            continue
        if fields:
            fields[-1][1].append(line)
        elif fields == [] and line.strip():
            raise ValueError("%s: text between .I %s and its first field marker: %r"
                             % (path, records[-1][0], line[:60]))
        elif line.strip():
            raise ValueError("%s: text before the first .I record: %r" % (path, line[:60]))
    if folded:
        notes.append("%s: %d field markers after .%s read as text of .%s"
                     % (os.path.basename(path), folded, body_tag, body_tag))
    return records


def field_text(fields, tag):
    """All sections with this tag, joined (a tag may repeat: Cranfield 576 and 578 have two .W)."""
    lines = []
    for t, body in fields:
        if t == tag:
            lines.extend(body)
    return squash(lines)


def _documents(name, records):
    docs = []
    seen = set()
    for rid, fields in records:
        doc_id = "%s-%d" % (name, int(rid))
        if doc_id in seen:
            raise ValueError("%s: duplicate document .I %s" % (name, rid))
        seen.add(doc_id)
        docs.append({"id": doc_id, "title": field_text(fields, "T"),
                     "text": field_text(fields, "W")})
    return docs


def _queries(records, renumber=False):
    """Queries from their .W statement (other fields, such as the authors a CACM query asks for
    or a CISI query's .T/.A/.B, are not part of the statement). Renumbered 1..N when asked."""
    queries = []
    for n, (rid, fields) in enumerate(records, 1):
        qid = str(n) if renumber else str(int(rid))
        text = field_text(fields, "W")
        if not text:
            raise ValueError("query .I %s has no .W text" % rid)
        queries.append({"qid": qid, "text": text, "source_id": rid})
    return queries


def _read_qrels(path, columns, gain_of, notes):
    """{qid: {doc number: gain}} from a whitespace-separated file; columns = (qid, doc, grade)
    positions, grade None for relevant-only files. A repeated pair keeps its highest gain."""
    qrels = {}
    for lineno, line in enumerate(read_text(path).split("\n"), 1):
        parts = line.split()
        if not parts:
            continue
        try:
            qid = str(int(parts[columns[0]]))
            doc = int(parts[columns[1]])
            grade = int(parts[columns[2]]) if columns[2] is not None else 1
        except (IndexError, ValueError):
            raise ValueError("%s:%d: malformed judgement %r" % (path, lineno, line)) from None
        if grade not in gain_of:
            raise ValueError("%s:%d: unknown relevance code %d" % (path, lineno, grade))
        gain = gain_of[grade]
        per_query = qrels.setdefault(qid, {})
        if doc in per_query:
            notes.append("%s:%d: repeated judgement for query %s, document %d"
                         % (os.path.basename(path), lineno, qid, doc))
            gain = max(gain, per_query[doc])
        per_query[doc] = gain
    return qrels


def _finish(name, documents, queries, raw_qrels, notes):
    """Doc numbers → document ids; judgements naming unknown queries or documents are notes
    (and dropped), since they can never be retrieved or asked."""
    doc_ids = {d["id"] for d in documents}
    qids = {q["qid"] for q in queries}
    qrels = {}
    for qid, judged in raw_qrels.items():
        if qid not in qids:
            notes.append("qrels name query %s, which is not in the query file" % qid)
            continue
        out = {}
        for doc, gain in judged.items():
            doc_id = "%s-%d" % (name, doc)
            if doc_id not in doc_ids:
                notes.append("qrels for query %s name document %d, which does not exist"
                             % (qid, doc))
                continue
            out[doc_id] = gain
        qrels[qid] = out
    return Collection(name, documents, queries, qrels, notes)


def load_cacm(folder):
    notes = []
    records = parse_smart(os.path.join(folder, "cacm.all"), notes)
    documents = _documents("cacm", records)
    queries = _queries(parse_smart(os.path.join(folder, "query.text"), notes))
    # "qid docid 0 0", ids zero-padded ("01").
    raw = _read_qrels(os.path.join(folder, "qrels.text"), (0, 1, None), {1: 1}, notes)
    return _finish("cacm", documents, queries, raw, notes)


def load_cisi(folder):
    notes = []
    records = parse_smart(os.path.join(folder, "CISI.ALL"), notes)
    documents = _documents("cisi", records)
    queries = _queries(parse_smart(os.path.join(folder, "CISI.QRY"), notes))
    # "qid docid 0 0.000000", relevant-only.
    raw = _read_qrels(os.path.join(folder, "CISI.REL"), (0, 1, None), {1: 1}, notes)
    return _finish("cisi", documents, queries, raw, notes)


def load_cranfield(folder):
    notes = []
    # Records 240, 576 and 578 are garbled in the source (stray markers, a second .W).
    records = parse_smart(os.path.join(folder, "cran.all.1400"), notes, body_tag="W")
    documents = _documents("cranfield", records)
    # cran.qry's .I numbers run 001, 002, 004, ... 365; cranqrel numbers queries 1..225 in file
    # order, so the file position is the query id.
    queries = _queries(parse_smart(os.path.join(folder, "cran.qry"), notes), renumber=True)
    raw = _read_qrels(os.path.join(folder, "cranqrel"), (0, 1, 2), CRANFIELD_GAINS, notes)
    return _finish("cranfield", documents, queries, raw, notes)


def load_medline(folder):
    notes = []
    records = parse_smart(os.path.join(folder, "MED.ALL"), notes)
    documents = _documents("medline", records)  # .W only: no titles
    queries = _queries(parse_smart(os.path.join(folder, "MED.QRY"), notes))
    # TREC-like "qid 0 docid 1", all relevant.
    raw = _read_qrels(os.path.join(folder, "MED.REL"), (0, 2, 3), {1: 1}, notes)
    return _finish("medline", documents, queries, raw, notes)


# name -> (folder under corpora/, loader, counts the collection's README/PROVENANCE state:
# documents, queries, queries with a relevant document, judgement lines).
COLLECTIONS = {
    "cacm": ("cacm", load_cacm, {"docs": 3204, "queries": 64, "judged": 52, "qrels": 796}),
    "cisi": ("cisi", load_cisi, {"docs": 1460, "queries": 112, "judged": 76, "qrels": 3114}),
    # PROVENANCE says 1,836 lines (wc -l): the last line has no newline; its per-code counts
    # (128 + 387 + 734 + 363 + 225) add up to 1,837 judgements.
    "cranfield": ("cranfield", load_cranfield,
                  {"docs": 1400, "queries": 225, "judged": 225, "qrels": 1837}),
    "medline": ("medline", load_medline, {"docs": 1033, "queries": 30, "judged": 30,
                                          "qrels": 696}),
}


def load(name, corpora_dir):
    """The named collection read from corpora_dir/<folder>."""
    folder, loader, _ = COLLECTIONS[name]
    return loader(os.path.join(corpora_dir, folder))


_NOT_WORD = re.compile(r"[^\w ]|_", re.UNICODE)


def sanitize_query(text):
    """A query safe for Dossier's query parser (Xapian QueryParser syntax): letters and digits
    only, every other character a space, lower case (so AND/OR/NOT/NEAR are plain words).

    Replacing by a space rather than deleting keeps "time-sharing" two words, as the indexer's
    tokenizer sees them in documents.
    """
    return " ".join(_NOT_WORD.sub(" ", text).lower().split())


def write_jsonl(documents, path):
    """Documents as JSON Lines: "id", "title", "text" (keys the indexer maps to id, title, body).

    A title-only record (1,617 in CACM, 146 of its relevant judgements) is written with an empty
    text: dossier-index keeps a record that has a title, so it is found by its title, as a peer
    engine indexing title + abstract finds it. Records with neither (Cranfield 471 and 995) are
    left out: nothing can match them.
    Returns (records written, title-only records).
    """
    written = title_only = 0
    with open(path, "w", encoding="utf-8") as f:
        for d in documents:
            title, text = d["title"], d["text"]
            if not text:
                if not title:
                    continue
                title_only += 1
            f.write(json.dumps({"id": d["id"], "title": title, "text": text},
                               ensure_ascii=False))
            f.write("\n")
            written += 1
    return written, title_only
