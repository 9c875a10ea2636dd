"""detect proposes a translated copy through the LSH index of document vectors, and verifies
it with the cross-language aligner."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from newstrace.detect import DetectParams, detect
from newstrace.models import Document

pytestmark = pytest.mark.semantic
ML = Path(__file__).resolve().parents[2] / "eval" / "multilingual"
ORIGINAL, TRANSLATION = "wmtml/0196", "wmtml/0203"  # Beverly Press (en) and its Spanish first half


def test_a_translation_among_distractors_is_found_through_the_index(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newstrace.index import ann

    with gzip.open(ML / "data" / "wmt-multilingual.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = {d["id"]: d for d in map(json.loads, fh)}
    families = [json.loads(x) for x in (ML / "labels" / "families.jsonl").read_text("utf-8").splitlines()]
    family = {m: f["family"] for f in families for m in f["members"]}
    # Twelve articles of twelve other stories, in English, Spanish, German and Russian.
    others: dict[str, dict[str, str]] = {}
    for i, d in sorted(rows.items()):
        story = family.get(i, i)
        if story != family[ORIGINAL] and d["lang"] in ("en", "es", "de", "ru") and len(others) < 12:
            others.setdefault(story, d)
    docs = [rows[ORIGINAL], rows[TRANSLATION], *others.values()]
    store.add_documents([Document(id=d["id"].replace("/", "-"), text=d["text"], language=d["lang"]) for d in docs])
    calls: list[int] = []
    real = ann.ann_pairs

    def spy(vectors: Any, owners: Any, **kw: Any) -> dict[tuple[int, int], float]:
        calls.append(len(vectors))
        return real(vectors, owners, **kw)

    monkeypatch.setattr(ann, "ann_pairs", spy)
    detect(store, DetectParams(semantic=True, workers=1))
    assert len(calls) == 2 and calls[1] > len(docs)  # lead vectors, then lead and window vectors
    every = ("duplicate", "derived", "partial", "related", "unrelated")
    pairs = {(r["a"], r["b"]): r for r in store.pairs(relations=every)}
    key = ("wmtml-0196", "wmtml-0203")
    assert key in pairs, sorted(pairs)
    row = pairs[key]
    assert row["candidate"] == "translation" and row["relation"] in ("duplicate", "derived")
    assert row["source"] == "wmtml-0196"  # the Spanish text is the first half: containment
    assert json.loads(row["report"])["languages"] == {"source": "en", "derivative": "es"}
    reused = [k for k, r in pairs.items() if r["relation"] in ("duplicate", "derived", "partial")]
    assert reused == [key]


def test_window_days_keeps_a_translation_published_later_out(store: Any) -> None:
    """``--window-days``: a translated copy published further from its original than the window
    is not a candidate (it was, through the semantic candidates, before the window applied to
    them); within the window it is."""
    with gzip.open(ML / "data" / "wmt-multilingual.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = {d["id"]: d for d in map(json.loads, fh) if d["id"] in (ORIGINAL, TRANSLATION)}
    dates = {ORIGINAL: "2021-03-01", TRANSLATION: "2021-03-20"}
    store.add_documents([
        Document(id=i.replace("/", "-"), text=d["text"], language=d["lang"], published=dates[i])
        for i, d in rows.items()
    ])  # fmt: skip
    assert detect(store, DetectParams(semantic=True, workers=1, window_days=7)).candidates == 0
    assert not store.pairs(relations=("duplicate", "derived", "partial", "related", "unrelated"))
    assert detect(store, DetectParams(semantic=True, workers=1, window_days=30)).candidates == 1
