"""Measure newstrace on real news labelled by reading (``eval/real/``).

The labelled set is a JSON Lines file of article pairs, each with the category a reader gave it
(``copy``, ``excerpt``: reuse; ``quote``, ``boilerplate``, ``none``: not reuse) and the direction
the texts show (``a>b``, ``b>a``, ``common``, ``unknown``); a second file labels the flags
newstrace raised on such pairs as right or wrong. The corpora are named in a manifest
(``corpora.toml``). :func:`evaluate_real` ingests each corpus into a fresh store, runs
``detect`` as a user would, and scores what it reports:

- reuse-pair precision and recall (a pair is reported when its relation is ``duplicate``,
  ``derived`` or ``partial``); reported pairs nobody labelled are counted and written out for
  the next labelling round, and a conservative precision counts them as wrong;
- the confusion of labelled categories against newstrace's relations;
- family ARI over the labelled documents (gold families: components of the labelled reuse
  pairs; documents read as round-ups of several stories are left out, since they belong to each);
- direction accuracy on reported pairs whose direction the texts show;
- the precision of each flag (``attribution_drift``, altered quotes);
- for sets whose ``labels/documents.jsonl`` says which WMT segments each document holds (the
  multilingual set), sentence-alignment precision, recall and F1 of the translated pairs
  newstrace verified (:mod:`.alignment`).

A set whose documents belong to numbered families (``F001``...) can be scored on one half of
them (``split``): the translation thresholds of the multilingual encoder were set on the
even-numbered families of ``eval/multilingual`` (see ``USEEncoder``), so its odd-numbered ones
are the held-out half.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newstrace.evaluation.alignment import AlignmentScores, Unit, document_units, unit_layouts
from newstrace.evaluation.families import adjusted_rand_index

__all__ = [
    "SPLITS",
    "CorpusSpec",
    "RealScores",
    "evaluate_real",
    "load_manifest",
    "load_pairs",
    "score_corpus",
    "split_documents",
]

REUSE_LABELS = ("copy", "excerpt")
LABELS = ("copy", "excerpt", "quote", "boilerplate", "none")
REPORTED = ("duplicate", "derived", "partial")
FLAG_KINDS = ("attribution_drift", "altered_quote")

SPLITS: dict[str, str] = {
    "all": "every labelled pair",
    "heldout": "held-out half: the odd-numbered families (the translation thresholds were set "
    "on the even-numbered ones; pairs of different stories, all of which calibration looked at, "
    "only where they touch no even-numbered family)",
    "calibration": "calibration half: the even-numbered families the translation thresholds "
    "were set on (and pairs of different stories that touch no odd-numbered family)",
}
"""The halves a set of numbered families can be scored on, and what each holds."""


@dataclass(frozen=True, slots=True)
class CorpusSpec:
    """One corpus of the manifest: its name, file, ``--map`` fields, and how to build it."""

    name: str
    path: Path
    field_map: dict[str, str] = field(default_factory=dict)
    build: str | None = None


def load_manifest(path: str | Path) -> list[CorpusSpec]:
    """The corpora a ``corpora.toml`` names (paths relative to the manifest's folder)."""
    p = Path(path)
    data = tomllib.loads(p.read_text("utf-8"))
    return [
        CorpusSpec(c["name"], (p.parent / c["path"]).resolve(), dict(c.get("map", {})), c.get("build"))
        for c in data.get("corpus", [])
    ]


def _read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    p = Path(path)
    if not p.exists():
        return []
    return [json.loads(line) for line in p.read_text("utf-8").splitlines() if line.strip()]


def load_pairs(root: str | Path) -> list[dict[str, Any]]:
    """Every labelled pair: those read one by one, and each member of a labelled group."""
    root = Path(root)
    pairs = _read_jsonl(root / "labels" / "pairs.jsonl")
    for g in _read_jsonl(root / "labels" / "groups.jsonl"):
        for a, b in g["members"]:
            pairs.append({"corpus": g["corpus"], "a": a, "b": b, "category": g["category"],
                          "direction": g["direction"], "note": g["note"], "group": g["key"]})  # fmt: skip
    return pairs


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


DOUBT_WORDS = ("borderline", "unsure", "doubtful")
"""Words of a reader's note that mark the label as a judgement call (the labelling guide asks
readers to note a pair on the line between two categories, e.g. a follow-up restating 30-55
words of an earlier story)."""


def doubtful(label: dict[str, Any]) -> bool:
    """Whether the reader marked a label a judgement call in its note (:data:`DOUBT_WORDS`).

    >>> doubtful({"note": "borderline: ~45 words of background reworded"})
    True
    >>> doubtful({"note": "dividend notices of two companies"})
    False
    """
    note = str(label.get("note") or "").lower()
    return any(w in note for w in DOUBT_WORDS)


@dataclass(slots=True)
class RealScores:
    """The measures for one corpus (or all of them pooled)."""

    corpus: str
    documents: int = 0
    labelled_pairs: int = 0
    gold_reuse: int = 0
    reported_labelled: int = 0
    true_positives: int = 0
    reported_unlabelled: int = 0
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    direction_total: int = 0
    direction_right: int = 0
    direction_undirected: int = 0
    ari: float | None = None
    ari_documents: int = 0
    clear_gold_reuse: int = 0
    """Reuse pairs whose label the reader did not mark a judgement call (:func:`doubtful`)."""
    clear_reported: int = 0
    """Reported pairs of those labels (reuse or not) that the reader did not mark."""
    clear_true_positives: int = 0
    flags: dict[str, dict[str, int]] = field(default_factory=dict)
    detect_seconds: float = 0.0
    unlabelled_pairs: list[dict[str, Any]] = field(default_factory=list)
    unlabelled_flags: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[dict[str, Any]] = field(default_factory=list)
    """Labelled pairs whose relation is on the wrong side of reuse, and reported reuse pairs
    whose direction is not the labelled one (with ``direction``, the label, and ``found``: the
    source newstrace names, or ``undirected`` / ``common``)."""
    alignment: AlignmentScores | None = None
    split: str = "all"

    @property
    def precision(self) -> float | None:
        return _ratio(self.true_positives, self.reported_labelled)

    @property
    def precision_conservative(self) -> float | None:
        return _ratio(self.true_positives, self.reported_labelled + self.reported_unlabelled)

    @property
    def recall(self) -> float | None:
        return _ratio(self.true_positives, self.gold_reuse)

    @property
    def recall_stored(self) -> float | None:
        """Recall over the reuse pairs whose two documents were both stored: a pair with a
        document ingest rejects (a headline-only wire flash, which the labellers read as the
        copy of the story that followed it) is left out, as a non-article is kept out by
        design."""
        unstored = sum(self.confusion.get(c, {}).get("not stored", 0) for c in REUSE_LABELS)
        return _ratio(self.true_positives, self.gold_reuse - unstored)

    @property
    def precision_clear(self) -> float | None:
        """Precision over the reported pairs whose label the reader did not mark a judgement
        call (:func:`doubtful`): beside :attr:`precision`, it says how much of the error is on
        the line readers themselves hesitated over."""
        return _ratio(self.clear_true_positives, self.clear_reported)

    @property
    def recall_clear(self) -> float | None:
        """Recall over the reuse pairs whose label the reader did not mark a judgement call."""
        return _ratio(self.clear_true_positives, self.clear_gold_reuse)

    @property
    def direction_accuracy(self) -> float | None:
        return _ratio(self.direction_right, self.direction_total)

    @property
    def direction_wrong(self) -> int:
        """Pairs given a direction (a source, or siblings) other than the labelled one: the
        accusations among the misses; the rest of the misses are ``undirected``."""
        return self.direction_total - self.direction_right - self.direction_undirected

    def flag_precision(self, kind: str) -> float | None:
        f = self.flags.get(kind, {})
        return _ratio(f.get("right", 0), f.get("right", 0) + f.get("wrong", 0))

    def merge(self, other: RealScores) -> None:
        """Pool another corpus's counts into this one (ARI is not poolable: left as is)."""
        for k in ("documents", "labelled_pairs", "gold_reuse", "reported_labelled", "true_positives",
                  "reported_unlabelled", "direction_total", "direction_right", "direction_undirected",
                  "clear_gold_reuse", "clear_reported", "clear_true_positives"):  # fmt: skip
            setattr(self, k, getattr(self, k) + getattr(other, k))
        for g, row in other.confusion.items():
            mine = self.confusion.setdefault(g, {})
            for r, n in row.items():
                mine[r] = mine.get(r, 0) + n
        for kind, counts in other.flags.items():
            mine = self.flags.setdefault(kind, {})
            for k, n in counts.items():
                mine[k] = mine.get(k, 0) + n
        self.detect_seconds += other.detect_seconds
        if other.alignment is not None:
            if self.alignment is None:
                self.alignment = AlignmentScores()
            self.alignment.merge(other.alignment)
        self.split = other.split

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus, "documents": self.documents, "labelled_pairs": self.labelled_pairs,
            "gold_reuse": self.gold_reuse, "reported_labelled": self.reported_labelled,
            "true_positives": self.true_positives, "reported_unlabelled": self.reported_unlabelled,
            "precision": self.precision, "precision_conservative": self.precision_conservative,
            "recall": self.recall, "recall_stored": self.recall_stored,
            "precision_clear": self.precision_clear, "recall_clear": self.recall_clear,
            "clear_gold_reuse": self.clear_gold_reuse, "confusion": self.confusion,
            "direction_accuracy": self.direction_accuracy, "direction_total": self.direction_total,
            "direction_undirected": self.direction_undirected, "direction_wrong": self.direction_wrong,
            "ari": self.ari,
            "ari_documents": self.ari_documents, "flags": self.flags,
            "flag_precision": {k: self.flag_precision(k) for k in FLAG_KINDS},
            "detect_seconds": round(self.detect_seconds, 2), "split": self.split,
            "sentence_alignment": None if self.alignment is None else self.alignment.to_dict(),
        }  # fmt: skip


def _flag_key(corpus: str, a: str, b: str, kind: str, text: str) -> tuple[str, str, str, str, str]:
    return (corpus, a, b, kind, " ".join(text.split()))


def stored_flags(report: dict[str, Any], derivative_text: str) -> list[tuple[str, str]]:
    """The flags of a stored pair report: ``(kind, derivative text)`` for each."""
    out: list[tuple[str, str]] = []
    for d in report.get("attribution_drift", []):
        st = d["derivative"]
        out.append(("attribution_drift", derivative_text[st["start"] : st["end"]]))
    for q in report.get("quotes", []):
        if q.get("status") == "altered":
            st = q["derivative"]
            out.append(("altered_quote", derivative_text[st["start"] : st["end"]]))
    return out


_FLIPPED = {"a>b": "b>a", "b>a": "a>b"}


def _direction_of(report: dict[str, Any], row: Any) -> str:
    d = report.get("direction", {})
    kind = d.get("kind")
    if kind in ("common", "undirected"):
        return str(kind)
    if kind is None and not row["confidence"]:
        return "undirected"
    return "directed"


def score_corpus(
    name: str,
    store: Any,
    pairs: list[dict[str, Any]],
    flag_labels: list[dict[str, Any]],
    *,
    folder: Path | None = None,
    segments: list[dict[str, Any]] | None = None,
    keep: Callable[[str], bool] | None = None,
) -> RealScores:
    """Score what ``store`` (after ``detect``) reports against the labelled ``pairs`` of one corpus.

    A corpus that is a folder of files names its documents by their paths inside ``folder``.
    ``segments`` (the lines of ``labels/documents.jsonl`` that say which WMT segments each
    document holds) turns on the sentence-alignment measure; ``keep`` says which documents' reported pairs count at all
    (the others are in another half of the set: see ``split`` of :func:`evaluate_real`).
    """
    s = RealScores(name, documents=store.count())
    doc_of: dict[str, str] = {}
    input_of: dict[str, str] = {}
    for row in store.conn.execute("SELECT id, input_id FROM documents WHERE input_id IS NOT NULL"):
        key = row["input_id"]
        if folder is not None:
            key = Path(key).resolve().relative_to(folder).as_posix()
        doc_of[key] = row["id"]
        input_of[row["id"]] = key
    stored: dict[tuple[str, str], Any] = {}
    for row in store.pairs(relations=("duplicate", "derived", "partial", "related", "unrelated")):
        a, b = input_of.get(row["a"]), input_of.get(row["b"])
        if a is None or b is None:
            continue
        if keep is not None and not (keep(a) and keep(b)):
            continue
        stored[(min(a, b), max(a, b))] = row
    labelled = {(min(p["a"], p["b"]), max(p["a"], p["b"])): p for p in pairs}
    units = alignment_units(segments, store, doc_of) if segments else None
    if units is not None:
        s.alignment = AlignmentScores()
    s.labelled_pairs = len(labelled)
    flags_known = {
        _flag_key(name, f["a"], f["b"], f["kind"], f["text"]): f["verdict"] for f in flag_labels
    }
    texts: dict[str, str] = {}

    def text_of(doc_id: str) -> str:
        if doc_id not in texts:
            texts[doc_id] = store.get(doc_id).text
        return texts[doc_id]

    for key, gold in labelled.items():
        cat = gold["category"]
        row = stored.get(key)
        rel = row["relation"] if row is not None else (
            "not proposed" if key[0] in doc_of and key[1] in doc_of else "not stored")  # fmt: skip
        s.confusion.setdefault(cat, {})
        s.confusion[cat][rel] = s.confusion[cat].get(rel, 0) + 1
        is_gold = cat in REUSE_LABELS
        s.gold_reuse += is_gold
        reported = rel in REPORTED
        if reported:
            s.reported_labelled += 1
            s.true_positives += is_gold
        if not doubtful(gold):
            s.clear_gold_reuse += is_gold
            s.clear_reported += reported
            s.clear_true_positives += reported and is_gold
        if reported != is_gold:
            s.wrong.append({"a": key[0], "b": key[1], "gold": cat, "relation": rel, "note": gold.get("note", "")})
        if s.alignment is not None and units is not None and is_gold and key[0] in units and key[1] in units:
            s.alignment.add(units[key[0]], units[key[1]], _sentence_links(row, key, input_of))
        if not reported or row is None:
            continue
        report = json.loads(row["report"])
        # Direction, where the texts show it.
        want = gold.get("direction", "unknown")
        if is_gold and want != "unknown":
            a_in, b_in = (gold["a"], gold["b"])
            src_in = input_of.get(row["source"])
            kind = _direction_of(report, row)
            s.direction_total += 1
            if kind == "undirected":
                s.direction_undirected += 1
            if want == "common":
                ok = kind == "common"
            else:
                expected = a_in if want == "a>b" else b_in
                ok = kind == "directed" and src_in == expected
            s.direction_right += ok
            if not ok:
                s.wrong.append({
                    "a": key[0], "b": key[1], "gold": cat, "relation": rel, "note": gold.get("note", ""),
                    # the label's direction, said of this entry's a and b (sorted ids)
                    "direction": want if (a_in, b_in) == key else _FLIPPED.get(want, want),
                    "found": src_in if kind == "directed" else kind,
                })  # fmt: skip
        # Flags, labelled right or wrong by reading.
        der_text = text_of(row["derivative"])
        for kind_, text in stored_flags(report, der_text):
            verdict = flags_known.get(_flag_key(name, key[0], key[1], kind_, text))
            counts = s.flags.setdefault(kind_, {"right": 0, "wrong": 0, "unlabelled": 0})
            counts[verdict if verdict in ("right", "wrong") else "unlabelled"] += 1
            if verdict is None:
                s.unlabelled_flags.append({"corpus": name, "a": key[0], "b": key[1], "kind": kind_, "text": text})
    for key, row in stored.items():
        if row["relation"] in REPORTED and key not in labelled:
            s.reported_unlabelled += 1
            s.unlabelled_pairs.append({"corpus": name, "a": key[0], "b": key[1], "relation": row["relation"]})
    s.ari, s.ari_documents = _family_ari(store, pairs, doc_of)
    return s


def _sentence_links(
    row: Any, key: tuple[str, str], input_of: dict[str, str]
) -> list[tuple[int, int, int, int]] | None:
    """The sentence links of a stored pair's report as ``(a_start, a_end, b_start, b_end)`` for
    the labelled pair ``key`` (a, b); None when the pair was not verified."""
    if row is None:
        return None
    report = json.loads(row["report"])
    a_is_source = input_of.get(row["source"]) == key[0]
    out: list[tuple[int, int, int, int]] = []
    for link in report.get("sentence_links", []):
        src, der = link["source"], link["derivative"]
        if a_is_source:
            out.append((src["start"], src["end"], der["start"], der["end"]))
        else:
            out.append((der["start"], der["end"], src["start"], src["end"]))
    return out


def split_documents(root: str | Path, split: str) -> Callable[[str], bool] | None:
    """Which documents of a set a ``split`` (:data:`SPLITS`) keeps: those of its families
    (``labels/documents.jsonl``, families named ``F`` and a number: even-numbered for
    ``calibration``, odd-numbered for ``heldout``) and those of no family. None for ``all``.

    Raises:
        ValueError: an unknown split, or a set whose documents carry no numbered family.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: one of {', '.join(SPLITS)}")
    if split == "all":
        return None
    family: dict[str, str | None] = {
        d["id"]: d.get("family") for d in _read_jsonl(Path(root) / "labels" / "documents.jsonl")
    }
    numbers = {f: f[1:] for f in family.values() if f}
    if not numbers or not all(f.startswith("F") and n.isdigit() for f, n in numbers.items()):
        raise ValueError(f"{root}: labels/documents.jsonl names no numbered families: no {split} half to score")
    parity = 0 if split == "calibration" else 1

    def keep(doc: str) -> bool:
        f = family.get(doc)
        return f is None or int(f[1:]) % 2 == parity

    return keep


def alignment_units(
    records: list[dict[str, Any]], store: Any, doc_of: dict[str, str]
) -> dict[str, list[Unit]] | None:
    """Each labelled document's units for the sentence-alignment measure (:mod:`.alignment`),
    by document name, from its ``labels/documents.jsonl`` line and its text as stored; None
    when no line says which segments its document holds."""
    records = [d for d in records if d.get("pieces")]
    if not records:
        return None
    texts = {d["id"]: store.get(doc_of[d["id"]]).text for d in records if d["id"] in doc_of}
    wholes = unit_layouts(records, texts)
    out: dict[str, list[Unit]] = {}
    for d in records:
        if d["id"] in texts:
            got = document_units(d, texts[d["id"]], wholes)
            if got is not None:
                out[d["id"]] = got
    return out


def _family_ari(store: Any, pairs: list[dict[str, Any]], doc_of: dict[str, str]) -> tuple[float | None, int]:
    roundups = {p["roundup"] for p in pairs if p.get("roundup")}
    docs = sorted({x for p in pairs for x in (p["a"], p["b"])} - roundups)
    docs = [d for d in docs if d in doc_of]
    parent = {d: d for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        if p["category"] in REUSE_LABELS and p["a"] in parent and p["b"] in parent:
            ra, rb = find(p["a"]), find(p["b"])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    fam = {r["doc_id"]: r["family"] for r in store.families()}
    truth = [find(d) for d in docs]
    pred = [fam.get(doc_of[d]) or f"single:{d}" for d in docs]
    if len(docs) < 2 or len(set(truth)) == len(truth):
        return None, len(docs)  # no family in the labels: ARI says nothing
    return round(adjusted_rand_index(truth, pred), 4), len(docs)


def evaluate_real(
    root: str | Path,
    *,
    workdir: str | Path,
    corpora: Iterable[str] | None = None,
    semantic: bool = False,
    split: str = "all",
    on_progress: Callable[[str, str], None] | None = None,
) -> list[RealScores]:
    """Ingest each corpus of ``root/corpora.toml`` into a fresh store, detect, and score it.

    Args:
        root: the labelled-set folder (``corpora.toml``, ``labels/pairs.jsonl``, ``labels/flags.jsonl``).
        workdir: where the stores and the lists of unlabelled pairs and flags are written.
        corpora: only these corpus names (default: every corpus whose file exists).
        semantic: detect with the semantic layer too.
        split: score every labelled pair (``all``), or only those of one half of the set's
            families (:data:`SPLITS`, :func:`split_documents`); detection always runs on the
            whole corpus.
        on_progress: called with (corpus, stage) as the run goes.

    Returns:
        One :class:`RealScores` per corpus evaluated, then one named ``all`` pooling them.
    """
    import time

    from newstrace.detect import DetectParams, detect
    from newstrace.pipeline import ingest
    from newstrace.store import Store

    root = Path(root)
    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    keep = split_documents(root, split)
    pairs = [p for p in load_pairs(root) if keep is None or (keep(p["a"]) and keep(p["b"]))]
    segments = _read_jsonl(root / "labels" / "documents.jsonl")
    flag_labels = _read_jsonl(root / "labels" / "flags.jsonl")
    by_corpus: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in pairs:
        by_corpus[p["corpus"]].append(p)
    out: list[RealScores] = []
    wanted = set(corpora) if corpora else None
    for spec in load_manifest(root / "corpora.toml"):
        if wanted is not None and spec.name not in wanted:
            continue
        if not spec.path.exists():
            hint = f" (build it: {spec.build})" if spec.build else ""
            print(f"newstrace eval real: {spec.name}: {spec.path} is missing{hint}; skipped", file=sys.stderr)
            continue
        db = work / f"{spec.name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        with Store(db) as store:
            if on_progress:
                on_progress(spec.name, "ingest")
            ingest([spec.path], store, field_map=spec.field_map)
            if on_progress:
                on_progress(spec.name, "detect")
            t0 = time.perf_counter()
            detect(store, DetectParams(semantic=semantic))
            seconds = time.perf_counter() - t0
            scores = score_corpus(spec.name, store, by_corpus.get(spec.name, []),
                                  [f for f in flag_labels if f["corpus"] == spec.name],
                                  folder=spec.path if spec.path.is_dir() else None,
                                  segments=segments, keep=keep)  # fmt: skip
            scores.detect_seconds = seconds
            scores.split = split
        for fname, rows in (("unlabelled-pairs", scores.unlabelled_pairs),
                            ("unlabelled-flags", scores.unlabelled_flags), ("wrong", scores.wrong)):  # fmt: skip
            with (work / f"{spec.name}.{fname}.jsonl").open("w", encoding="utf-8") as fh:
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
        out.append(scores)
    if out:
        pooled = RealScores("all", split=split)
        for s in out:
            pooled.merge(s)
        out.append(pooled)
    return out


def category_counts(pairs: Iterable[dict[str, Any]]) -> Counter[str]:
    """How many labelled pairs each category has."""
    return Counter(p["category"] for p in pairs)
