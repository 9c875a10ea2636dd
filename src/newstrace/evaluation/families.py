"""Labelled laundering corpora: story families with derivation chains, built from real articles,
and the clustering and graph measures ``newstrace eval families`` reports.

Each family starts from a real article (the origin) and grows by hops of two to four, each hop a
new article made from its parent by one operation:

- ``copy``: the parent word for word under another outlet's chrome (header and footer lines);
- ``excerpt``: a contiguous part of the parent (40-70 % of its sentences);
- ``commentary``: the parent (or most of it) with editorial sentences and a credit line added;
- ``partial``: a few paragraphs of the parent inside an unrelated article;
- ``rewrite``: every sentence reworded (random word edits at a high rate) and some reordered.

Half of the families are dated (each hop one to three days after its parent); the other half
carry no dates at all. Unrelated real articles are added as singletons.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from newstrace.evaluation.generate import Article, load_articles, reword

HOP_KINDS = ("copy", "excerpt", "commentary", "partial", "rewrite")
REUSE_CLASS = {"copy": "verbatim", "excerpt": "partial", "commentary": "partial", "partial": "partial",
               "rewrite": "paraphrase"}  # fmt: skip
_OUTLETS = [f"Outlet {c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]



def _write_jsonl(rows: list[dict[str, Any]], out_file: str | Path) -> None:
    """Write a generated corpus, one JSON document a line (the folder made if needed)."""
    path = Path(out_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")

def _chrome(outlet: str, rng: random.Random) -> tuple[str, str]:
    head = rng.choice(
        [f"{outlet} | News", f"Home » World » {outlet}", f"{outlet} — independent news"]
    )
    foot = rng.choice(
        [
            f"Copyright © 2024 {outlet}. All rights reserved.",
            "Share this article",
            f"Subscribe to the {outlet} newsletter",
        ]
    )
    return head, foot


def _hop(
    kind: str,
    parent: list[str],
    rng: random.Random,
    pool: list[Article],
    pool_words: list[str],
    credit: str,
) -> list[str]:
    if kind == "copy":
        # Republishers often say whose article it is; some say nothing.
        cue = rng.random()
        if cue < 0.3:
            return [*parent, f"The original source of this article is {credit}"]
        if cue < 0.5:
            return [*parent, f"Republished from {credit}."]
        return parent[:]
    if kind == "excerpt":
        n = max(3, int(len(parent) * rng.uniform(0.4, 0.7)))
        s = rng.randint(0, len(parent) - n)
        return parent[s : s + n]
    if kind == "commentary":
        out = parent[: max(4, int(len(parent) * rng.uniform(0.7, 1.0)))]
        other = pool.pop().sentences
        for _ in range(rng.randint(2, 4)):
            out.insert(rng.randint(1, len(out)), rng.choice(other))
        if rng.random() < 0.5:
            out.append(f"Source: {credit}")
        return out
    if kind == "partial":
        host = list(pool.pop().sentences)
        n = rng.randint(3, 5)
        s = rng.randint(0, max(0, len(parent) - n))
        at = rng.randint(1, len(host) - 1)
        return host[:at] + parent[s : s + n] + host[at:]
    if kind == "rewrite":
        out = [reword(x, rng, rate=0.45, pool=pool_words) for x in parent]
        for k in range(0, len(out) - 1, 4):
            if rng.random() < 0.5:
                out[k], out[k + 1] = out[k + 1], out[k]
        return out
    raise ValueError(kind)


def generate_families(
    out_file: str | Path,
    corpus: str | Path,
    *,
    families: int = 60,
    singletons: int = 60,
    seed: int = 11,
) -> dict[str, int]:
    """Write a labelled JSONL corpus; returns counts of families, documents and hops by kind."""
    rng = random.Random(seed)
    articles = distinct_articles(load_articles(corpus, min_sentences=12))
    rng.shuffle(articles)
    need = families * 3 + singletons
    if len(articles) < need:
        raise ValueError(f"{corpus}: {len(articles)} usable articles; need {need}")
    origins, rest = articles[:families], articles[families:]
    singles, pool = rest[:singletons], list(rest[singletons:])
    pool_words = [w for a in pool[:200] for s in a.sentences[:2] for w in s.split() if w.isalpha()]
    rows: list[dict[str, Any]] = []
    counts: dict[str, int] = defaultdict(int)
    n_doc = 0

    def new_id() -> str:
        nonlocal n_doc
        n_doc += 1
        return f"doc{n_doc:05d}"

    for f, origin in enumerate(origins):
        dated = f % 2 == 0
        day0 = date(2024, 1, 1) + timedelta(days=rng.randint(0, 300))
        fam_outlets = rng.sample(_OUTLETS, 6)
        root_id = new_id()
        members = [(root_id, list(origin.sentences), fam_outlets[0], day0)]
        rows.append(
            {
                "id": root_id,
                "outlet": fam_outlets[0],
                "title": origin.sentences[0][:80],
                "date": day0.isoformat() if dated else None,
                "text": "\n\n".join(origin.sentences),
                "family": root_id,
                "derived_from": None,
                "kind": "origin",
            }
        )
        hops = rng.randint(2, 4)
        for h in range(1, hops + 1):
            # Mostly chains; sometimes a branch from an earlier member.
            parent = members[-1] if rng.random() < 0.75 else rng.choice(members)
            kind = rng.choice(HOP_KINDS)
            outlet = fam_outlets[h % len(fam_outlets)]
            sents = _hop(kind, parent[1], rng, pool, pool_words, credit=parent[2])
            head, foot = _chrome(outlet, rng)
            day = parent[3] + timedelta(days=rng.randint(1, 3))
            doc_id = new_id()
            members.append(
                (doc_id, [x for x in sents if not x.startswith("Source: ")], outlet, day)
            )
            rows.append(
                {
                    "id": doc_id,
                    "outlet": outlet,
                    "title": f"{outlet}: {sents[0][:70]}",
                    "date": day.isoformat() if dated else None,
                    "text": "\n\n".join([head, *sents, foot]),
                    "family": root_id,
                    "derived_from": parent[0],
                    "kind": kind,
                }
            )
            counts[kind] += 1
    for a in singles:
        doc_id = new_id()
        rows.append(
            {
                "id": doc_id,
                "outlet": rng.choice(_OUTLETS),
                "title": a.sentences[0][:80],
                "date": (date(2024, 1, 1) + timedelta(days=rng.randint(0, 300))).isoformat(),
                "text": "\n\n".join(a.sentences),
                "family": None,
                "derived_from": None,
                "kind": "singleton",
            }
        )
    rng.shuffle(rows)
    _write_jsonl(rows, out_file)
    return {"families": families, "documents": len(rows), **counts}


def _outlet_chrome_lines(records: list[dict[str, Any]]) -> dict[str, tuple[list[str], list[str]]]:
    """Each outlet's real chrome lines, as newstrace's own learner finds them across its
    articles: (lines seen opening an article, lines seen closing one)."""
    from newstrace.clean.boilerplate import learn_outlet_chrome
    from newstrace.clean.text import content_key

    by_outlet: dict[str, list[str]] = defaultdict(list)
    for r in records:
        by_outlet[r["outlet"]].append(r["text"])
    out: dict[str, tuple[list[str], list[str]]] = {}
    for outlet, texts in by_outlet.items():
        keys = learn_outlet_chrome(outlet, texts).keys
        head: dict[str, str] = {}
        tail: dict[str, str] = {}
        for t in texts:
            lines = [ln.strip() for ln in t.splitlines() if ln.strip()]
            for ln in lines[:3]:
                if content_key(ln) in keys:
                    head.setdefault(content_key(ln), ln)
            for ln in lines[-4:]:
                if content_key(ln) in keys:
                    tail.setdefault(content_key(ln), ln)
        out[outlet] = (sorted(head.values()), sorted(tail.values()))
    return out


def generate_real_families(
    out_file: str | Path,
    corpus: str | Path,
    labels: str | Path,
    *,
    families: int = 60,
    seed: int = 11,
) -> dict[str, int]:
    """A family corpus whose distractors are the real articles of the same outlets and weeks.

    Every article of the real corpus stays in as it is, with its own outlet: they share chrome
    and quotations with the family members, as real news does, and their true families are
    those of the real pairs labelled by reading (``labels``: the ``eval/real`` folder). Each
    generated family starts from a real article that no labelled pair links to another, and
    grows by hops (see :func:`generate_families`) published by other real outlets, each hop
    wrapped in its outlet's real chrome lines. Dates fall in the corpus's own weeks.
    """
    from newstrace.evaluation.real import REUSE_LABELS, load_pairs
    from newstrace.ingest import read_path

    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    for item in read_path(corpus, max_size=200_000_000):
        if isinstance(item, Exception) or not item.input_id:
            continue
        records.append({"id": item.input_id, "outlet": item.outlet or "(unknown)", "title": item.title,
                        "url": item.url, "text": item.raw})  # fmt: skip
    by_id = {r["id"]: r for r in records}
    # True families of the real articles: components of the labelled reuse pairs.
    parent = {r["id"]: r["id"] for r in records}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    linked: set[str] = set()
    for pr in load_pairs(labels):
        if pr["a"] in parent and pr["b"] in parent and pr["category"] in REUSE_LABELS:
            ra, rb = find(pr["a"]), find(pr["b"])
            parent[max(ra, rb)] = min(ra, rb)
            linked.update((pr["a"], pr["b"]))
    sizes: dict[str, int] = defaultdict(int)
    for r in records:
        sizes[find(r["id"])] += 1
    chrome = _outlet_chrome_lines(records)
    outlets = sorted({r["outlet"] for r in records})
    week0 = date(2016, 9, 19)
    rows: list[dict[str, Any]] = []
    for r in records:
        root = find(r["id"])
        rows.append({**r, "date": None, "family": root if sizes[root] > 1 else None,
                     "derived_from": None, "kind": "real"})  # fmt: skip
    candidates = [
        a for a in load_articles(corpus, min_sentences=12) if a.key in by_id and a.key not in linked
    ]
    rng.shuffle(candidates)
    if len(candidates) < families * 2:
        raise ValueError(f"{corpus}: {len(candidates)} unlinked articles; need {families * 2}")
    origins, fillers = candidates[:families], candidates[families:]
    pool = list(fillers)
    pool_start = len(pool)
    pool_words = [w for a in pool[:200] for s in a.sentences[:2] for w in s.split() if w.isalpha()]
    counts: dict[str, int] = defaultdict(int)
    n_doc = 0
    origin_ids = {a.key for a in origins}
    for row in rows:  # an origin is the real article itself, now at the head of a family
        if row["id"] in origin_ids:
            row["family"], row["kind"] = row["id"], "origin"
    for f, origin in enumerate(origins):
        dated = f % 2 == 0
        day0 = week0 + timedelta(days=rng.randint(0, 6))
        first = next(row for row in rows if row["id"] == origin.key)
        if dated:
            first["date"] = day0.isoformat()
        members = [(origin.key, list(origin.sentences), first["outlet"], day0)]
        for _h in range(rng.randint(2, 4)):
            par = members[-1] if rng.random() < 0.75 else rng.choice(members)
            kind = rng.choice(HOP_KINDS)
            outlet = rng.choice([o for o in outlets if o != par[2]])
            sents = _hop(kind, par[1], rng, pool, pool_words, credit=par[2])
            head, foot = chrome.get(outlet, ([], []))
            day = par[3] + timedelta(days=rng.randint(0, 2))
            n_doc += 1
            doc_id = f"generated/{n_doc:05d}"
            members.append((doc_id, [x for x in sents if not x.startswith("Source: ")], outlet, day))
            rows.append({
                "id": doc_id, "outlet": outlet, "title": f"{sents[0][:70]}", "url": None,
                "date": day.isoformat() if dated else None,
                "text": "\n\n".join([*head[:1], *sents, *foot[:3]]),
                "family": origin.key, "derived_from": par[0], "kind": kind,
            })  # fmt: skip
            counts[kind] += 1
    # Articles lent to hops (the host of a "partial", the sentences a "commentary" adds) are
    # left out of the corpus: they would be real sources of those hops.
    lent = {a.key for a in fillers[len(pool) : pool_start]} if len(pool) < pool_start else set()
    rows = [r for r in rows if r["id"] not in lent]
    rng.shuffle(rows)
    _write_jsonl(rows, out_file)
    real_families = sum(1 for root, n in sizes.items() if n > 1)
    return {"families": families, "real_families": real_families, "documents": len(rows), **counts}


def distinct_articles(
    articles: list[Article], k: int = 8, max_shared: float = 0.05
) -> list[Article]:
    """Articles that share (almost) no word 8-grams with one another: the source corpus has
    reposts and wire copies of its own, which would link generated families for real."""
    from newstrace.clean.text import words

    seen: dict[tuple[str, ...], int] = {}
    kept: list[Article] = []
    for a in articles:
        ws = words(" ".join(a.sentences))
        grams = {tuple(ws[i : i + k]) for i in range(len(ws) - k + 1)}
        if not grams:
            continue
        shared = sum(1 for g in grams if g in seen)
        if shared / len(grams) > max_shared:
            continue
        for g in grams:
            seen[g] = 1
        kept.append(a)
    return kept


# -- measures ----------------------------------------------------------------------------------
def adjusted_rand_index(truth: Sequence[str], pred: Sequence[str]) -> float:
    """Hubert & Arabie's adjusted Rand index of two labelings of the same items."""
    from math import comb

    n = len(truth)
    if n < 2:
        return 1.0
    cont: dict[tuple[str, str], int] = defaultdict(int)
    a: dict[str, int] = defaultdict(int)
    b: dict[str, int] = defaultdict(int)
    for t, p in zip(truth, pred, strict=True):
        cont[(t, p)] += 1
        a[t] += 1
        b[p] += 1
    index = sum(comb(v, 2) for v in cont.values())
    sa, sb = sum(comb(v, 2) for v in a.values()), sum(comb(v, 2) for v in b.values())
    expected = sa * sb / comb(n, 2)
    maximum = (sa + sb) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


@dataclass(frozen=True, slots=True)
class FamilyScores:
    ari: float
    pair_precision: float
    pair_recall: float
    pair_f1: float
    edge_recall: dict[str, float]
    edge_f1: dict[str, float]
    reuse_precision: float
    direction_dated: float | None
    direction_undated: float | None
    best_source_accuracy: float

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def score_families(
    labels: list[dict[str, Any]],
    doc_of: dict[str, str],
    predicted_family: dict[str, str | None],
    predicted_source: dict[str, str | None],
    pairs: list[tuple[str, str, str]],
) -> FamilyScores:
    """Compare detection output with the labels.

    Args:
        labels: the labelled records (``id, family, derived_from, kind, date``).
        doc_of: labelled id -> newstrace document id.
        predicted_family: newstrace id -> family (None for documents in no family).
        predicted_source: newstrace id -> best source (None for origins).
        pairs: detected reuse pairs ``(source, derivative, relation)`` (newstrace ids).
    """
    ids = [r["id"] for r in labels]
    truth = [r["family"] or f"single-{r['id']}" for r in labels]
    # A labelled document newstrace did not store (a page it skipped as no article) is alone.
    pred = [predicted_family.get(doc_of.get(i, "")) or f"single-{i}" for i in ids]
    ari = adjusted_rand_index(truth, pred)
    # Pairwise clustering precision/recall over same-family pairs.
    from itertools import combinations

    t_groups: dict[str, list[int]] = defaultdict(list)
    p_groups: dict[str, list[int]] = defaultdict(list)
    for k, (t, p) in enumerate(zip(truth, pred, strict=True)):
        t_groups[t].append(k)
        p_groups[p].append(k)
    t_pairs = {pq for g in t_groups.values() for pq in combinations(g, 2)}
    p_pairs = {pq for g in p_groups.values() for pq in combinations(g, 2)}
    # With real distractors (kind "real"), the pairs that measure the generated families are
    # those with a generated member: a distractor pulled in, or a member left out.
    generated = {k for k, r in enumerate(labels) if r.get("kind") != "real"}
    if len(generated) < len(labels):
        t_pairs = {pq for pq in t_pairs if pq[0] in generated or pq[1] in generated}
        p_pairs = {pq for pq in p_pairs if pq[0] in generated or pq[1] in generated}
    tp = len(t_pairs & p_pairs)
    pp = tp / len(p_pairs) if p_pairs else 1.0
    pr = tp / len(t_pairs) if t_pairs else 1.0
    pf = 2 * pp * pr / (pp + pr) if pp + pr else 0.0
    # Edges: every labelled hop, found as a reuse pair (either direction) or not.
    back = {v: k for k, v in doc_of.items()}
    found = {frozenset((back.get(s), back.get(d))): (back.get(s), back.get(d)) for s, d, _ in pairs}
    fam_of = {r["id"]: r["family"] for r in labels}
    precise = sum(1 for s, d in found.values() if fam_of.get(s) and fam_of.get(s) == fam_of.get(d))
    reuse_precision = precise / len(found) if found else 1.0
    by_class: dict[str, list[int]] = defaultdict(list)
    dir_ok: dict[bool, list[int]] = defaultdict(list)
    best_ok: list[int] = []
    for r in labels:
        if not r["derived_from"]:
            continue
        key = frozenset((r["derived_from"], r["id"]))
        hit = key in found
        by_class[REUSE_CLASS[r["kind"]]].append(int(hit))
        if hit:
            src, _ = found[key]
            dir_ok[bool(r.get("date"))].append(int(src == r["derived_from"]))
        best_ok.append(int(predicted_source.get(doc_of.get(r["id"], "")) == doc_of.get(r["derived_from"])))
    edge_recall = {k: round(sum(v) / len(v), 4) for k, v in sorted(by_class.items())}
    edge_f1 = {
        k: round(2 * reuse_precision * rc / (reuse_precision + rc), 4)
        if reuse_precision + rc
        else 0.0
        for k, rc in edge_recall.items()
    }

    def acc(v: list[int]) -> float | None:
        return round(sum(v) / len(v), 4) if v else None

    return FamilyScores(
        round(ari, 4),
        round(pp, 4),
        round(pr, 4),
        round(pf, 4),
        edge_recall,
        edge_f1,
        round(reuse_precision, 4),
        acc(dir_ok[True]),
        acc(dir_ok[False]),
        acc(best_ok) or 0.0,
    )


def evaluate_families(
    labelled: str | Path,
    *,
    semantic: bool = False,
    workdir: str | Path | None = None,
    on_progress: Any = None,
) -> FamilyScores:
    """Ingest a labelled JSONL corpus into a fresh store, run detection, and score it."""
    import tempfile

    from newstrace.detect import DetectParams, detect
    from newstrace.pipeline import ingest
    from newstrace.store import Store

    labels = [
        json.loads(line) for line in Path(labelled).read_text("utf-8").splitlines() if line.strip()
    ]
    tmp = Path(workdir or tempfile.mkdtemp(prefix="newstrace-eval-"))
    with Store(tmp / "eval.db") as store:
        ingest([labelled], store)
        detect(store, DetectParams(semantic=semantic), on_progress=on_progress)
        doc_of: dict[str, str] = {}
        for _, d in store.iter_documents():
            if d.input_id:
                doc_of[d.input_id] = d.id
        fam = {r["doc_id"]: r["family"] for r in store.families()}
        src = {r["doc_id"]: r["derived_from"] for r in store.families()}
        pairs = [(r["source"], r["derivative"], r["relation"]) for r in store.pairs()]
    return score_families(labels, doc_of, fam, src, pairs)
