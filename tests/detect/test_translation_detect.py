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


@pytest.mark.parametrize("exact", [True, False], ids=["exact", "index"])
def test_a_translation_among_distractors_is_found_through_the_index(
    store: Any, monkeypatch: pytest.MonkeyPatch, exact: bool
) -> None:
    """Vectors of two languages are paired by exact search in a corpus this small, through the
    LSH index when exact search would cost too much (``exact_row_pairs=0``): either finds it."""
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
    calls: list[tuple[str, int]] = []
    real, real_exact = ann.ann_pairs, ann.pairs_across_groups

    def spy(vectors: Any, owners: Any, **kw: Any) -> dict[tuple[int, int], float]:
        calls.append(("index", len(vectors)))
        return real(vectors, owners, **kw)

    def spy_exact(vectors: Any, owners: Any, groups: Any, **kw: Any) -> dict[tuple[int, int], float]:
        calls.append(("exact", len(vectors)))
        return real_exact(vectors, owners, groups, **kw)

    monkeypatch.setattr(ann, "ann_pairs", spy)
    monkeypatch.setattr(ann, "pairs_across_groups", spy_exact)
    detect(store, DetectParams(semantic=True, workers=1, exact_row_pairs=ann.EXACT_ROW_PAIRS if exact else 0))
    # Lead vectors through the index, then lead and window vectors of two languages.
    assert [c[0] for c in calls] == ["index", "exact" if exact else "index"] and calls[1][1] > len(docs)
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
