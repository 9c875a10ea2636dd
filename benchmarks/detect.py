"""Corpus detection speed and memory at 10k, 30k and 100k articles, beside datasketch.

Corpora are generated from the bundled real articles: unrelated articles are written by a word
bigram model trained on them (realistic vocabulary and phrase statistics, no accidental reuse),
and 10 % of the articles are made from another one (verbatim copy, excerpt, or copy with
commentary), which gives the true pairs recall is measured on.

For each size it prints, in one run:
- newstrace: indexing docs/s (shingles + one-permutation MinHash + fingerprints + terms), the
  whole ``detect`` (index, candidates, verification by the aligner, families) in seconds, in
  CPU seconds (its worker processes included) and docs/s, candidate pairs, recall of the true
  pairs, and the peak memory of the process that ran ingest and detect (its verification
  workers included);
- the MinHash + LSH stage alone for newstrace and for datasketch's ``MinHash``/``MinHashLSH``
  given the same 5-word shingles (hashed once, outside both timings), 128 permutations and
  threshold: docs/s and recall.

With ``--semantic`` it also times ``detect --semantic`` on the same corpus in the same run, with
the labelled multilingual set (``eval/multilingual``: real WMT articles and their translations
into 7 languages) mixed in: seconds, CPU seconds, docs/s, recall of the generated copies and of the
translated pairs (labelled copy or excerpt), and the encoder's sentences/s on the corpus.

    python benchmarks/detect.py [--sizes 10000,30000,100000] [--semantic]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import multiprocessing as mp
import random
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from newstrace.clean.text import split_sentences
from newstrace.detect import DetectParams, detect
from newstrace.index.minhash import lsh_candidates, optimal_bands, signatures
from newstrace.index.shingles import shingle_hashes
from newstrace.pipeline import ingest
from newstrace.settings import Settings
from newstrace.store import Store

CORPUS = (
    Path(__file__).resolve().parent.parent / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz"
)
THRESHOLD = 0.3


def bigram_model() -> tuple[dict[str, list[str]], list[str]]:
    nxt: dict[str, list[str]] = defaultdict(list)
    starts: list[str] = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            for s in split_sentences(text):
                ws = text[s.start : s.end].split()
                if len(ws) < 6:
                    continue
                starts.append(ws[0])
                for x, y in itertools.pairwise(ws):
                    nxt[x].append(y)
    return nxt, starts


def fake_article(
    rng: random.Random, nxt: dict[str, list[str]], starts: list[str], n_sent: int
) -> str:
    sents = []
    for _ in range(n_sent):
        w = rng.choice(starts)
        out = [w]
        while len(out) < 40:
            cands = nxt.get(w)
            if not cands:
                break
            w = rng.choice(cands)
            out.append(w)
            if w.endswith((".", "?", "!")) and len(out) > 8:
                break
        sents.append(" ".join(out))
    return "\n\n".join(sents)


def make_corpus(path: Path, n: int, seed: int = 1) -> set[tuple[str, str]]:
    rng = random.Random(seed)
    nxt, starts = bigram_model()
    texts: dict[str, str] = {}
    truth: set[tuple[str, str]] = set()
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            doc_id = f"d{i:07d}"
            if i > 100 and rng.random() < 0.1:
                parent = f"d{rng.randrange(i):07d}"
                paras = texts[parent].split("\n\n")
                op = rng.random()
                if op < 0.4:
                    text = texts[parent]
                elif op < 0.7:
                    k = max(3, len(paras) // 2)
                    s = rng.randrange(0, len(paras) - k + 1)
                    text = "\n\n".join(paras[s : s + k])
                else:
                    extra = fake_article(rng, nxt, starts, 3).split("\n\n")
                    text = "\n\n".join(paras[:2] + extra[:1] + paras[2:] + extra[1:])
                truth.add(tuple(sorted((doc_id, parent))))  # type: ignore[arg-type]
            else:
                text = fake_article(rng, nxt, starts, rng.randint(12, 24))
            texts[doc_id] = text
            f.write(json.dumps({"id": doc_id, "outlet": f"Outlet {i % 97}", "text": text}) + "\n")
    return truth


MULTI = Path(__file__).resolve().parent.parent / "eval" / "multilingual"


def add_multilingual(path: Path) -> set[tuple[str, str]]:
    """Append the multilingual set's documents to the corpus; its translated pairs (labelled
    copy or excerpt) as ``(id, id)``."""
    with gzip.open(MULTI / "data" / "wmt-multilingual.jsonl.gz", "rt", encoding="utf-8") as f, \
            path.open("a", encoding="utf-8") as out:  # fmt: skip
        for line in f:
            d = json.loads(line)
            out.write(json.dumps({"id": d["id"], "outlet": d.get("outlet") or None,
                                  "language": d["lang"], "text": d["text"]}) + "\n")  # fmt: skip
    truth = set()
    for line in (MULTI / "labels" / "pairs.jsonl").read_text("utf-8").splitlines():
        r = json.loads(line)
        if r["label"] in ("copy", "excerpt"):
            truth.add(tuple(sorted((r["a"], r["b"]))))
    return truth  # type: ignore[return-value]


def cpu_seconds() -> float:
    """CPU seconds (user and system) of this process and of its children that have ended (its
    verification and embedding workers). Beside the wall-clock time it tells a run held back
    (wall-clock time well over the CPU seconds shared by the 2 workers) from one on slower cores
    (CPU seconds up too): on one afternoon ``detect --semantic`` on the same store of 10,230
    articles took 229.6 s and, an hour later, 297.7 s; 100,230 articles took 2,161.8 s, the
    process 3,911 CPU seconds in all (1.8 cores busy), where the same code had taken 1,238.0 s."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _semantic_run(tmp: Path, queue: Any) -> None:
    """``detect --semantic`` from scratch on the store the lexical run made (child process)."""
    from newstrace.align.semantic import load_encoder

    enc = load_encoder()
    with Store(tmp / "b.db") as store:
        sample = [
            s for _, d in itertools.islice(store.iter_documents(), 400)
            for s in (d.text[x.start : x.end] for x in split_sentences(d.text)) if len(s.split()) >= 5
        ][:2000]  # fmt: skip
        t = time.perf_counter()
        assert enc is not None
        enc.encode(sample)
        rate = len(sample) / (time.perf_counter() - t)
        store.clear_detection()
        t0, c0 = time.perf_counter(), cpu_seconds()
        stages: dict[str, float] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if done == total and stage not in stages:
                stages[stage] = time.perf_counter() - t0
                # Said as it happens: a long run shows where its time goes, even if stopped.
                print(f"  detect --semantic: {stage} ({total:,}) done at {stages[stage]:.1f} s", flush=True)
            elif done == total:
                stages[stage] = time.perf_counter() - t0

        print(f"  detect --semantic: encoder {rate:.0f} sentences/s on one core", flush=True)
        rep = detect(store, DetectParams(workers=2, semantic=True), on_progress=on_progress)
        dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        inv = {d.id: d.input_id for _, d in store.iter_documents()}
        found = {tuple(sorted((inv[r["a"]], inv[r["b"]]))) for r in store.pairs()
                 if r["relation"] in ("duplicate", "derived", "partial")}  # fmt: skip
    queue.put((dt, cpu, rep.candidates, found, rate, stages))


def _local_run(tmp: Path, src: Path, queue: Any) -> None:
    """Ingest and detect in this (child) process; report timings, candidates and pairs found."""
    with Store(tmp / "b.db") as store:
        ingest([src], store, settings=Settings(max_file_bytes=10**11, batch_size=2000))
        texts = {d.input_id: d.text for _, d in store.iter_documents()}
        t0, c0 = time.perf_counter(), cpu_seconds()
        stages: dict[str, float] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if done == total:
                stages[stage] = time.perf_counter() - t0

        rep = detect(store, DetectParams(workers=2), on_progress=on_progress)
        dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        inv = {d.id: d.input_id for _, d in store.iter_documents()}
        found = {tuple(sorted((inv[r["a"]], inv[r["b"]]))) for r in store.pairs()}
    queue.put((dt, cpu, stages, rep.candidates, found, texts))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,30000,100000")
    ap.add_argument("--semantic", action="store_true", help="Also time detect --semantic.")
    args = ap.parse_args()
    print(
        f"{'docs':>7} | {'nt index/s':>10} {'nt detect s':>11} {'cpu s':>7} {'nt detect/s':>11} {'cands':>7} "
        f"{'recall':>6} {'peak MiB':>8} | {'nt lsh/s':>8} {'nt lsh rec':>10} | {'ds lsh/s':>8} {'ds lsh rec':>10} "
        f"{'speed-up':>8}"
    )
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "corpus.jsonl"
            truth = make_corpus(src, n)
            translated = add_multilingual(src) if args.semantic else set()
            # Ingest + detect run in a child process, so that its peak memory is its own.
            ctx = mp.get_context("fork")
            queue = ctx.Queue()
            child = ctx.Process(target=_local_run, args=(Path(tmp), src, queue))
            child.start()
            dt, cpu, stages, cands, found, texts = queue.get()
            child.join()
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            recall = len(truth & found) / max(1, len(truth))
            if args.semantic:
                queue = ctx.Queue()
                child = ctx.Process(target=_semantic_run, args=(Path(tmp), queue))
                child.start()
                s_dt, s_cpu, s_cands, s_found, rate, s_stages = queue.get()
                child.join()
                m = n + 230
                print(
                    f"{m:>7} docs (with the multilingual set), detect --semantic: {s_dt:.1f} s "
                    f"({s_cpu:.0f} CPU s; {m / s_dt:.0f} docs/s; lexical {dt:.1f} s), {s_cands} candidates, recall of "
                    f"copies {len(truth & s_found) / max(1, len(truth)):.3f}, of translated pairs "
                    f"{len(translated & s_found) / max(1, len(translated)):.3f}; encoder "
                    f"{rate:.0f} sentences/s on one core; stages end at "
                    + ", ".join(f"{k} {v:.1f} s" for k, v in s_stages.items()),
                    flush=True,
                )
            index_rate = n / stages.get("index", dt)
            # The MinHash + LSH stage alone, newstrace vs datasketch, same shingles.
            ids = sorted(texts)
            sh = [shingle_hashes(texts[i], 5) for i in ids]  # the same shingles for both
            t1 = time.perf_counter()
            sigs = signatures(sh, 128)
            b, r = optimal_bands(THRESHOLD, 128)
            pairs, _ = lsh_candidates(sigs, bands=b, rows=r, max_bucket=10**9)
            nt_rate = n / (time.perf_counter() - t1)
            nt_pairs = {tuple(sorted((ids[i], ids[j]))) for i, j in pairs}
            nt_rec = len(truth & nt_pairs) / max(1, len(truth))
            from datasketch import MinHash, MinHashLSH

            t2 = time.perf_counter()
            lsh = MinHashLSH(threshold=THRESHOLD, num_perm=128)
            ds_pairs = set()
            for i, h in zip(ids, sh, strict=True):
                m = MinHash(num_perm=128)
                m.update_batch([x.tobytes() for x in h])
                for other in lsh.query(m):
                    ds_pairs.add(tuple(sorted((i, other))))
                lsh.insert(i, m)
            ds_rate = n / (time.perf_counter() - t2)
            ds_rec = len(truth & ds_pairs) / max(1, len(truth))
            print(
                f"{n:>7} | {index_rate:>10.0f} {dt:>11.1f} {cpu:>7.0f} {n / dt:>11.0f} {cands:>7} {recall:>6.3f} "
                f"{peak:>8.0f} | {nt_rate:>8.0f} {nt_rec:>10.3f} | {ds_rate:>8.0f} {ds_rec:>10.3f} "
                f"{nt_rate / ds_rate:>7.1f}x",
                flush=True,
            )


if __name__ == "__main__":
    main()
