#!/usr/bin/env python3
"""Kill rounds: dossier-index is stopped at random moments and must always leave a sound index
that a re-run completes (issue #11, "Proofs to build"; docs/reliability.md).

Each round starts from a known index (none, or the index of corpus state A; see
stress_corpus.py), runs dossier-index over corpus state B, sends it a signal at a random moment
while it is writing, checks what is left, re-runs it without a signal and checks the result
against a reference index built once from B:

* after the signal: `xapian-check` passes (when an index exists); every article id present is
  one of A's or B's with exactly the section documents that version has (none doubled, no
  half-written article); every recorded file state names only articles that are present;
  with --full the index is exactly A or exactly B (the swap is atomic); with SIGINT/SIGTERM the
  exit status is 130/143, the summary says "interrupted" (`--json`: "interrupted": true,
  "complete": false), the reported added/removed counts match the index, and --full leaves A;
* after the re-run: exit status 0, exactly B's article ids with B's section counts, B's file
  states, `xapian-check` passes, and a real query returns the reference's number of matches.

The moment is drawn uniformly over a clean run's duration (measured first, on this machine),
counted from the moment the indexer holds a file of the index open. Every round's parameters
come from Random("SEED:MODE:ROUND"), so `--seed S --mode M --round R` replays one round; add
`--delay D` with the round's logged delay (build/stress/kill/rounds.jsonl) for its timing (up
to the scheduler). Needs python3-xapian (Debian) and xapian-check (xapian-tools).

Usage: kill_rounds.py --bin build/release/bin --work build/stress/kill [--rounds 100]
                      [--full-signal-rounds N] [--seed S] [--mode M] [--round R] [--delay D]
                      [--summary FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import xapian  # python3-xapian

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import stress_corpus  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "corpus" / "dossier.yaml"
QUERY = "prime minister"  # a real query; the reference index gives its exact match count
JOBS = "2"
RUN_TIMEOUT = 300  # seconds any single indexer run may take before it counts as a hang

# name -> (signal, --full)
MODES = {
    "incremental-SIGKILL": (signal.SIGKILL, False),
    "full-SIGKILL": (signal.SIGKILL, True),
    "incremental-SIGINT": (signal.SIGINT, False),
    "incremental-SIGTERM": (signal.SIGTERM, False),
    "full-SIGINT": (signal.SIGINT, True),
    "full-SIGTERM": (signal.SIGTERM, True),
}
EXPECTED_STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}


class State:
    """What an index holds: article id term -> section documents, file states."""

    def __init__(self, db: Path):
        d = xapian.Database(str(db))
        self.ids = {t.term: t.termfreq for t in d.allterms(b"XI")}
        self.q_terms = 0
        self.q_doubled = []
        for t in d.allterms(b"Q"):
            self.q_terms += 1
            if t.termfreq != 1:
                self.q_doubled.append(t.term.decode(errors="replace"))
        self.doccount = d.get_doccount()
        self.files = {}
        for key in d.metadata_keys(b"F"):
            value = d.get_metadata(key)
            if value:
                self.files[key] = sorted(json.loads(value)["ids"])
        d.close()

    def problems(self) -> list[str]:
        out = []
        if self.q_doubled:
            out.append(f"{len(self.q_doubled)} section terms doubled, e.g. {self.q_doubled[:3]}")
        if sum(self.ids.values()) != self.doccount or self.q_terms != self.doccount:
            out.append(f"documents {self.doccount}, id postings {sum(self.ids.values())}, "
                       f"section terms {self.q_terms}")
        return out


def diff_ids(got: dict, want: dict, limit: int = 3) -> str:
    missing = [k for k in want if k not in got]
    extra = [k for k in got if k not in want]
    wrong = [k for k in want if k in got and got[k] != want[k]]
    def show(keys):
        return ", ".join(k.decode(errors="replace")[2:] for k in keys[:limit])
    parts = []
    if missing:
        parts.append(f"{len(missing)} missing ({show(missing)})")
    if extra:
        parts.append(f"{len(extra)} unexpected ({show(extra)})")
    if wrong:
        parts.append(f"{len(wrong)} with wrong section counts ("
                     + ", ".join(f"{k.decode(errors='replace')[2:]}: {got[k]} not {want[k]}"
                                 for k in wrong[:limit]) + ")")
    return "; ".join(parts)


def xapian_check(db: Path) -> str | None:
    r = subprocess.run(["xapian-check", str(db)], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        return "xapian-check failed: " + (r.stdout + r.stderr).strip().splitlines()[-1][:300]
    return None


def has_index(db: Path) -> bool:
    return (db / "iamglass").is_file()


class Runner:
    def __init__(self, args):
        self.bin = Path(args.bin).resolve()
        self.work = Path(args.work).resolve()
        self.corpus = self.work / "corpus"
        self.db = self.work / "db"
        self.log = None

    def index_cmd(self, full: bool, json_out: bool = False) -> list[str]:
        cmd = [str(self.bin / "dossier-index"), "--db", str(self.db), "--config", str(CONFIG),
               "--jobs", JOBS]
        if full:
            cmd.append("--full")
        if json_out:
            cmd.append("--json")
        return cmd + [str(self.corpus)]

    def search_count(self, db: Path) -> tuple[int, int | None, str]:
        r = subprocess.run([str(self.bin / "dossier-search"), "--db", str(db), "--count",
                            "--exact", "--format", "json", QUERY],
                           capture_output=True, text=True, timeout=120)
        try:
            return r.returncode, json.loads(r.stdout)["total"]["estimate"], r.stderr.strip()
        except (ValueError, KeyError):
            return r.returncode, None, (r.stdout + r.stderr).strip()[:300]

    def start(self, full: bool, json_out: bool = False) -> subprocess.Popen:
        return subprocess.Popen(self.index_cmd(full, json_out), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)

    def reset_db(self, start: str, refs: dict) -> None:
        for p in (self.db, Path(str(self.db) + ".dossier-rebuild"),
                  Path(str(self.db) + ".dossier-old")):
            shutil.rmtree(p, ignore_errors=True)
        if start == "A":
            shutil.copytree(refs["A_db"], self.db)

    def writing(self, proc: subprocess.Popen, full: bool) -> bool:
        """True once the indexer holds a file of the index (or of its rebuild) open."""
        target = str(self.db)  # --full holds the index's lock and builds in DB/.dossier-rebuild
        try:
            for fd in os.listdir(f"/proc/{proc.pid}/fd"):
                try:
                    if os.readlink(f"/proc/{proc.pid}/fd/{fd}").startswith(target + "/"):
                        return True
                except OSError:
                    pass
        except OSError:
            pass
        return False

    def wait_writing(self, proc: subprocess.Popen, full: bool, limit: float = 60) -> float | None:
        t0 = time.monotonic()
        while time.monotonic() - t0 < limit:
            if proc.poll() is not None:
                return None
            if self.writing(proc, full):
                return time.monotonic() - t0
            time.sleep(0.002)
        return None


def calibrate(r: Runner, refs: dict, full: bool, start: str) -> dict:
    """Times a clean run of this kind: total seconds and seconds until the index is open."""
    totals, opens = [], []
    for _ in range(2):
        r.reset_db(start, refs)
        t0 = time.monotonic()
        proc = r.start(full)
        opened = r.wait_writing(proc, full)
        out, err = proc.communicate(timeout=RUN_TIMEOUT)
        totals.append(time.monotonic() - t0)
        opens.append(opened if opened is not None else 0.0)
        if proc.returncode != 0:
            raise SystemExit(f"calibration run failed ({proc.returncode}): {err[-500:]}")
    return {"seconds": sum(totals) / len(totals), "open": sum(opens) / len(opens)}


def setup(r: Runner, quick: bool) -> dict:
    """Corpus A, reference index of A, corpus B, reference index of B; checks that updating
    A's index to B gives B's content."""
    shutil.rmtree(r.work, ignore_errors=True)
    r.work.mkdir(parents=True)
    stress_corpus.build(r.corpus, "A")
    refs = {"A_db": r.work / "ref-A", "B_db": r.work / "ref-B"}

    def build(db: Path) -> None:
        cmd = r.index_cmd(False)
        cmd[cmd.index("--db") + 1] = str(db)
        p = subprocess.run(cmd + ["--quiet"], capture_output=True, text=True,
                           timeout=RUN_TIMEOUT)
        if p.returncode != 0:
            raise SystemExit(f"reference build failed ({p.returncode}): {p.stderr[-800:]}")

    build(refs["A_db"])
    time.sleep(2.1)  # let every A file's time fall out of the "racy" window of later runs
    stress_corpus.apply(r.corpus, "B")
    build(refs["B_db"])
    refs["A"] = State(refs["A_db"])
    refs["B"] = State(refs["B_db"])
    for name in ("A", "B"):
        problems = refs[name].problems()
        if problems:
            raise SystemExit(f"reference index {name} is inconsistent: {problems}")
    rc, count, err = r.search_count(refs["B_db"])
    if rc != 0 or not count:
        raise SystemExit(f"reference query failed: {rc} {err}")
    refs["query_count"] = count
    # Sanity: updating A's index to B must give exactly B.
    r.reset_db("A", refs)
    p = subprocess.run(r.index_cmd(False) + ["--quiet"], capture_output=True, text=True,
                       timeout=RUN_TIMEOUT)
    got = State(r.db)
    d = diff_ids(got.ids, refs["B"].ids)
    if p.returncode != 0 or d or got.files != refs["B"].files:
        raise SystemExit(f"A updated to B differs from B built fresh: rc {p.returncode}, {d}")
    return refs


def check_after_signal(r: Runner, refs: dict, mode: str, start: str, proc_rc: int,
                       out: str, err: str, delivered: bool, json_out: bool) -> list[str]:
    sig, full = MODES[mode]
    fails = []
    rep = None
    A, B = refs["A"].ids, refs["B"].ids
    before = A if start == "A" else {}
    graceful = sig != signal.SIGKILL
    if graceful and delivered:
        if proc_rc not in (EXPECTED_STATUS[sig], 0):
            fails.append(f"exit status {proc_rc}, expected {EXPECTED_STATUS[sig]}")
        if proc_rc == EXPECTED_STATUS[sig]:
            if json_out:
                try:
                    rep = json.loads(out)
                    if rep.get("interrupted") is not True or rep.get("complete") is not False:
                        fails.append(f"--json: interrupted={rep.get('interrupted')!r} "
                                     f"complete={rep.get('complete')!r}")
                except ValueError:
                    fails.append(f"--json output is not one JSON object: {out[:200]!r}")
                    rep = None
            else:
                if "interrupted" not in (out + err):
                    last = [l for l in (out + err).splitlines() if l.strip()][-1:] or [""]
                    fails.append("no 'interrupted' in the output, which ends: " + last[0][-200:])
    elif proc_rc != 0 and not (sig == signal.SIGKILL and delivered and proc_rc == -9):
        fails.append(f"exit status {proc_rc}: {err[-300:]}")
    if graceful and proc_rc == -sig:
        fails.append(f"killed by the signal (no handler): status {proc_rc}")
    if not has_index(r.db):
        if full and not graceful and (r.db / ".dossier-replaced").is_dir():
            # Killed while the rebuilt files replaced the old ones: no database until the next
            # writer's recovery (documented in lib/src/format/index_folder.hpp). Counted apart.
            fails.append("NEEDS-RECOVERY")
        elif start == "A" or graceful:
            fails.append("no index left")
        return fails
    problem = xapian_check(r.db)
    if problem:
        fails.append(problem)
        return fails
    st = State(r.db)
    fails += st.problems()
    if full:
        if not (st.ids == A or st.ids == B):
            fails.append("--full left neither the old nor the new index: vs old: "
                         + diff_ids(st.ids, A) + " | vs new: " + diff_ids(st.ids, B))
        elif graceful and delivered and proc_rc == EXPECTED_STATUS[sig] and st.ids != A:
            fails.append("interrupted --full replaced the index (expected the old one kept)")
    else:
        bad = [k for k, n in st.ids.items() if n != A.get(k) and n != B.get(k)]
        if bad:
            fails.append(f"{len(bad)} articles match neither version, e.g. "
                         + ", ".join(f"{k.decode(errors='replace')[2:]}: {st.ids[k]} sections"
                                     for k in bad[:3]))
        for key, ids in st.files.items():
            absent = [i for i in ids if b"XI" + i.encode() not in st.ids]
            if absent:
                fails.append(f"file state {key.decode(errors='replace')[1:]} names absent "
                             f"articles {absent[:3]}")
                break
        if graceful and delivered and proc_rc == EXPECTED_STATUS[sig] and json_out and rep:
            added = len([k for k in st.ids if k not in before])
            removed = len([k for k in before if k not in st.ids])
            if rep.get("added") != added or rep.get("removed") != removed:
                fails.append(f"report says added {rep.get('added')}, removed "
                             f"{rep.get('removed')}; the index has {added} new, {removed} gone")
    rc, count, msg = r.search_count(r.db)
    if rc not in (0, 1):
        fails.append(f"search after the signal: status {rc}: {msg}")
    return fails


def check_final(r: Runner, refs: dict, rc: int, err: str) -> list[str]:
    fails = []
    if rc != 0:
        fails.append(f"re-run exit status {rc}: {err[-300:]}")
    if not has_index(r.db):
        return fails + ["re-run left no index"]
    problem = xapian_check(r.db)
    if problem:
        return fails + [problem]
    st = State(r.db)
    fails += st.problems()
    d = diff_ids(st.ids, refs["B"].ids)
    if d:
        fails.append("after re-run: " + d)
    if st.files != refs["B"].files:
        keys = set(st.files) ^ set(refs["B"].files)
        fails.append(f"after re-run: file states differ ({len(keys)} keys differ)")
    qrc, count, msg = r.search_count(r.db)
    if qrc != 0 or count != refs["query_count"]:
        fails.append(f"query {QUERY!r}: status {qrc}, {count} matches, expected "
                     f"{refs['query_count']}: {msg}")
    return fails


def run_round(r: Runner, refs: dict, cal: dict, mode: str, n: int, seed: str,
              forced_delay: float | None = None) -> dict:
    sig, full = MODES[mode]
    rng = random.Random(f"{seed}:{mode}:{n}")
    start = "A" if full or n % 2 == 1 else "empty"
    json_out = sig != signal.SIGKILL and rng.random() < 0.5
    rerun_full = full and rng.random() < 0.5
    c = cal[(full, start)]
    delay = rng.uniform(0, max(0.05, c["seconds"] - c["open"]))
    if forced_delay is not None:
        delay = forced_delay
    r.reset_db(start, refs)
    rec = {"mode": mode, "round": n, "start": start, "delay": round(delay, 3), "json": json_out,
           "rerun_full": rerun_full}
    t0 = time.monotonic()
    proc = r.start(full, json_out)
    opened = r.wait_writing(proc, full)
    delivered = False
    if opened is not None:
        time.sleep(delay)
        if proc.poll() is None:
            try:
                os.kill(proc.pid, sig)
                delivered = True
                rec["signal_at"] = round(time.monotonic() - t0, 3)
            except ProcessLookupError:
                pass
    try:
        out, err = proc.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        rec.update(delivered=delivered, rc="hang", failures=["indexer did not exit in "
                                                             f"{RUN_TIMEOUT}s after the signal"])
        return rec
    rec["stopped_after"] = round(time.monotonic() - t0, 3)
    rec["delivered"] = delivered
    rec["rc"] = proc.returncode
    fails = check_after_signal(r, refs, mode, start, proc.returncode, out, err, delivered,
                               json_out)
    rec["needs_recovery"] = "NEEDS-RECOVERY" in fails
    fails = [f for f in fails if f != "NEEDS-RECOVERY"]
    rec["leftover_rebuild"] = (r.db / ".dossier-rebuild").exists()
    t1 = time.monotonic()
    p = subprocess.run(r.index_cmd(rerun_full) + ["--quiet"], capture_output=True, text=True,
                       timeout=RUN_TIMEOUT)
    rec["rerun_seconds"] = round(time.monotonic() - t1, 3)
    fails += check_final(r, refs, p.returncode, p.stderr)
    rec["rebuild_left_after_rerun"] = any(
        (r.db / name).exists() for name in (".dossier-rebuild", ".dossier-replaced",
                                            ".dossier-compact"))
    if rec["rebuild_left_after_rerun"]:
        fails.append("a working folder (.dossier-rebuild/-replaced/-compact) is left after the "
                     "re-run")
    rec["failures"] = fails
    return rec


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--full-signal-rounds", type=int, default=None,
                    help="rounds of full-SIGINT and full-SIGTERM (default: rounds / 4)")
    ap.add_argument("--seed", default=None)
    ap.add_argument("--mode", action="append", choices=list(MODES),
                    help="only this mode (repeatable)")
    ap.add_argument("--round", type=int, default=None, help="only this round (a replay)")
    ap.add_argument("--delay", type=float, default=None,
                    help="seconds from the index being open to the signal (a replay: the "
                         "delay of the round in rounds.jsonl; by default it is drawn over the "
                         "clean run's duration, which depends on the machine)")
    ap.add_argument("--summary", default=None, help="write the figures here as JSON")
    args = ap.parse_args()
    seed = args.seed or str(random.SystemRandom().randrange(10**9))
    r = Runner(args)
    started = time.monotonic()
    print(f"kill rounds: seed {seed} (replay one round: kill_rounds.py --bin {args.bin} "
          f"--work {args.work} --seed {seed} --mode MODE --round N)", flush=True)

    refs = setup(r, False)
    print(f"corpus: {len(refs['B'].ids)} articles, {refs['B'].doccount} sections, "
          f"{len(refs['B'].files)} files (state A: {len(refs['A'].ids)} articles); "
          f"query {QUERY!r}: {refs['query_count']} matches", flush=True)
    modes = args.mode or list(MODES)
    cal = {}
    for full, start in {(MODES[m][1], s) for m in modes for s in ("A", "empty")
                        if not (MODES[m][1] and s == "empty")}:
        if args.delay is not None:  # a replay with its own delay needs no calibration
            cal[(full, start)] = {"seconds": 0.0, "open": 0.0}
            continue
        cal[(full, start)] = calibrate(r, refs, full, start)
        print(f"clean run ({'--full' if full else 'incremental'}, from "
              f"{'index A' if start == 'A' else 'nothing'}): "
              f"{cal[(full, start)]['seconds']:.2f} s, index open after "
              f"{cal[(full, start)]['open']:.2f} s", flush=True)

    log_path = r.work / "rounds.jsonl"
    summary = {"seed": seed, "modes": {}, "calibration": {
        f"{'full' if k[0] else 'incremental'} from {k[1]}": v for k, v in cal.items()},
        "articles": len(refs["B"].ids), "sections": refs["B"].doccount}
    failed_total = 0
    with open(log_path, "a") as log:
        for mode in modes:
            sig, full = MODES[mode]
            if args.round is not None:
                rounds = [args.round]
            else:
                n = args.rounds
                if full and sig != signal.SIGKILL and args.full_signal_rounds is not None:
                    n = args.full_signal_rounds
                elif full and sig != signal.SIGKILL:
                    n = max(1, args.rounds // 4)
                rounds = list(range(n))
            m = {"rounds": 0, "signals": 0, "finished_first": 0, "failures": 0,
                 "graceful_exits": 0, "rerun_seconds": [], "leftover_rebuild": 0,
                 "rebuild_left_after_rerun": 0, "needs_recovery": 0, "seconds": 0.0, "signal": sig.name,
                 "failed_rounds": []}
            t_mode = time.monotonic()
            for n in rounds:
                rec = run_round(r, refs, cal, mode, n, seed, args.delay)
                log.write(json.dumps(rec) + "\n")
                log.flush()
                m["rounds"] += 1
                m["signals"] += bool(rec.get("delivered"))
                m["finished_first"] += not rec.get("delivered")
                m["graceful_exits"] += rec.get("rc") == EXPECTED_STATUS.get(sig)
                m["leftover_rebuild"] += bool(rec.get("leftover_rebuild"))
                m["needs_recovery"] += bool(rec.get("needs_recovery"))
                m["rebuild_left_after_rerun"] += bool(rec.get("rebuild_left_after_rerun"))
                if "rerun_seconds" in rec:
                    m["rerun_seconds"].append(rec["rerun_seconds"])
                if rec["failures"]:
                    m["failures"] += 1
                    failed_total += 1
                    m["failed_rounds"].append({"round": n, "failures": rec["failures"][:5]})
                    print(f"FAIL {mode} round {n} (start {rec['start']}, delay {rec['delay']} s, "
                          f"signal after {rec.get('signal_at')} s, status {rec.get('rc')}): "
                          + " | ".join(rec["failures"][:5]), flush=True)
            m["seconds"] = round(time.monotonic() - t_mode, 1)
            rs = sorted(m["rerun_seconds"])
            m["rerun_median"] = rs[len(rs) // 2] if rs else None
            m["rerun_max"] = rs[-1] if rs else None
            del m["rerun_seconds"]
            m["failed_rounds"] = m["failed_rounds"][:10]
            summary["modes"][mode] = m
            print(f"{mode}: {m['rounds']} rounds, {m['signals']} signals delivered "
                  f"({m['finished_first']} runs ended first), {m['failures']} failed, "
                  f"{m['seconds']} s", flush=True)
    summary["seconds"] = round(time.monotonic() - started, 1)
    summary["log"] = str(log_path)
    if args.summary:
        Path(args.summary).write_text(json.dumps(summary, indent=2) + "\n")
    return 1 if failed_total else 0


if __name__ == "__main__":
    sys.exit(main())
