"""Pair comparison speed: a whole ``newstrace compare A B`` process on two 1,000-word files
(first run ever, cold process, and where its time goes), then time per pair in one process for
300-, 1,000- and 5,000-word articles, lexical and with the semantic layer, peak memory, growth
with length, and a 200,000-word pair.

Pairs are built from the bundled real articles: the derivative keeps half of the source's
sentences (a third of them reworded), reorders a few and adds commentary from other articles.
The standard library's ``difflib.SequenceMatcher`` over the words is timed alongside as a
reference aligner (it finds matching blocks only: no kinds, no paraphrase, no mutations).

    python benchmarks/compare.py [--no-semantic] [--skip-huge] [--no-process]

Targets (issue 16): a whole compare process under 2 s with default options; the semantic
layer on a 1,000-word pair whose sentences are new to the process ("semantic cold") under
300 ms.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newstrace.analyze import compare
from newstrace.clean.text import split_sentences
from newstrace.evaluation.generate import reword
from newstrace.models import Document

CORPUS = (
    Path(__file__).resolve().parent.parent / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz"
)


def sentences() -> list[str]:
    out: list[str] = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            out.extend(" ".join(text[s.start : s.end].split()) for s in split_sentences(text))
    return [s for s in out if 8 <= len(s.split()) <= 45]


def make_pair(pool: list[str], words: int, rng: random.Random) -> tuple[Document, Document]:
    start = rng.randrange(len(pool) // 2)
    src: list[str] = []
    i = start
    while sum(len(s.split()) for s in src) < words:
        src.append(pool[i % len(pool)])
        i += 1
    der: list[str] = []
    for k, s in enumerate(src):
        r = rng.random()
        if r < 0.5:
            continue  # omitted
        der.append(reword(s, rng) if r < 0.67 else s)
        if k % 7 == 0:
            der.append(rng.choice(pool))  # commentary
    for k in range(0, len(der) - 1, 9):
        der[k], der[k + 1] = der[k + 1], der[k]
    return (
        Document(id="src", text="\n\n".join(src), published="2020-01-01"),
        Document(id="der", text="\n\n".join(der), published="2020-01-02"),
    )


# Run in a fresh interpreter: where a compare process spends its time, stage by stage.
_STAGES = r"""
import json, sys, time
t0 = time.perf_counter()
import newstrace.cli  # noqa: F401  (what the command imports before it does anything)
t1 = time.perf_counter()
from newstrace.align.semantic import load_encoder
enc = load_encoder()
t2 = time.perf_counter()
from newstrace.pipeline import load_document
a, b = load_document(sys.argv[1]), load_document(sys.argv[2])
t3 = time.perf_counter()
from newstrace.analyze import compare
compare(a, b)
t4 = time.perf_counter()
compare(a, b, encoder=enc)
t5 = time.perf_counter()
print(json.dumps({"import newstrace.cli": t1 - t0, "load the encoder": t2 - t1,
                  "read + clean both files": t3 - t2, "compare, lexical": t4 - t3,
                  "compare, + semantic (model warm)": t5 - t4}))
"""


def process_section(pool: list[str], rng: random.Random) -> None:
    """Whole-process times of ``newstrace compare A B`` (default options: semantic on)."""
    a, b = make_pair(pool, 1000, rng)
    with tempfile.TemporaryDirectory() as tmp:
        fa, fb = Path(tmp) / "a.txt", Path(tmp) / "b.txt"
        fa.write_text(a.text, "utf-8")
        fb.write_text(b.text, "utf-8")
        cmd = [sys.executable, "-m", "newstrace", "--db", str(Path(tmp) / "none.db"), "compare",
               str(fa), str(fb)]  # fmt: skip
        env = dict(os.environ, NEWSTRACE_CACHE_DIR=str(Path(tmp) / "cache"))

        def once() -> float:
            t0 = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            return time.perf_counter() - t0

        first = once()  # builds the model cache
        runs = [once() for _ in range(3)]
        out = subprocess.run(
            [sys.executable, "-c", _STAGES, str(fa), str(fb)],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        stages = json.loads(out.stdout)
    print(f"newstrace compare A B, two files of {len(a.text.split()):,} and "
          f"{len(b.text.split()):,} words, default options (semantic layer on):")  # fmt: skip
    print(f"  first run ever (writes the model cache): {first:6.2f} s")
    print(
        f"  cold process (median of 3):              {statistics.median(runs):6.2f} s   target < 2 s"
    )
    print("  where a cold process spends it:")
    for name, secs in stages.items():
        print(f"    {name:<34} {secs * 1000:7.0f} ms")
    print()


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-semantic", action="store_true")
    ap.add_argument("--skip-huge", action="store_true")
    ap.add_argument("--no-process", action="store_true", help="Skip the whole-process timings.")
    args = ap.parse_args()
    rng = random.Random(3)
    pool = sentences()
    if not args.no_process:
        process_section(pool, random.Random(5))
    encoder = None
    if not args.no_semantic:
        from newstrace.align.semantic import load_encoder

        encoder = load_encoder()
    print("In one process, per pair (model loaded; 'semantic cold': sentences new to the process,")
    print("target < 300 ms at 1,000 words; 'warm': the same pair again):")
    print(
        f"{'words':>7} {'lexical ms':>11} {'semantic cold ms':>17} {'semantic warm ms':>17} {'difflib ms':>11}"
    )
    rows = []
    for words in (300, 1000, 5000):
        a, b = make_pair(pool, words, rng)
        lex = timed(lambda a=a, b=b: compare(a, b), 5 if words < 5000 else 3)
        sem_cold = sem_warm = float("nan")
        if encoder is not None:
            a2, b2 = make_pair(pool, words, random.Random(words))  # sentences not embedded yet
            t0 = time.perf_counter()
            compare(a2, b2, encoder=encoder)
            sem_cold = time.perf_counter() - t0
            sem_warm = timed(lambda a2=a2, b2=b2: compare(a2, b2, encoder=encoder), 3)
        ref = timed(
            lambda a=a, b=b: difflib.SequenceMatcher(
                None, a.text.split(), b.text.split(), autojunk=False
            ).get_matching_blocks(),
            1,
        )
        rows.append((words, lex))
        print(
            f"{words:>7} {lex * 1000:>11.1f} {sem_cold * 1000:>17.1f} {sem_warm * 1000:>17.1f} {ref * 1000:>11.1f}"
        )
    (w0, t0_), (w1, t1_) = rows[1], rows[2]
    exponent = (statistics.log(t1_) - statistics.log(t0_)) / (
        statistics.log(w1) - statistics.log(w0)
    )
    print(
        f"lexical growth 1,000 -> 5,000 words: time x{t1_ / t0_:.1f} (exponent {exponent:.2f}; n log n ≈ 1.2)"
    )
    if not args.skip_huge:
        a, b = make_pair(pool, 200_000, rng)
        t0 = time.perf_counter()
        r = compare(a, b)
        dt = time.perf_counter() - t0
        print(
            f"200,000-word pair, lexical: {dt:.1f} s ({len(r.passages)} passages, relation {r.relation})"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS, model included when semantic): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
