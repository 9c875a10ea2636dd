"""The candidate rules over document vectors are a function of the corpus, not of its order
(what lets the Spark job, which has no order, propose the same pairs)."""

from __future__ import annotations

import numpy as np

from newstrace.align.semantic import EncoderProfile
from newstrace.detect import DetectParams, semantic_candidates

PROFILE = EncoderProfile(paraphrase=0.75, strong=0.95, unrelated=0.4, neighbours=0.77)


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def _corpus() -> tuple[list[str], list[str | None], list[np.ndarray]]:
    """Thirty documents: groups of copies (equal cosines, so ties decide the k nearest),
    rewrites, translations whose windows meet, in three languages and unknown."""
    rng = np.random.default_rng(11)
    stories = _unit(rng.standard_normal((6, 64)))
    ids, langs, vecs = [], [], []
    for k in range(30):
        story = stories[k % 6]
        lead = story if k % 3 else _unit(story + 0.25 * rng.standard_normal(64))
        windows = [_unit(story + 0.3 * rng.standard_normal(64)) for _ in range(k % 4)]
        ids.append(f"d{(k * 7) % 30:02d}")
        langs.append([None, "en", "en", "es", "de"][k % 5])
        vecs.append(np.vstack([lead, *windows]).astype(np.float32))
    return ids, langs, vecs


def test_the_same_candidates_in_any_order() -> None:
    ids, langs, vecs = _corpus()
    params = DetectParams(semantic=True, semantic_k=2)
    expected = semantic_candidates(ids, langs, vecs, params, PROFILE)
    assert {"semantic", "translation"} <= set(expected.values())
    for seed in range(5):
        order = np.random.default_rng(seed).permutation(len(ids))
        got = semantic_candidates(
            [ids[k] for k in order], [langs[k] for k in order], [vecs[k] for k in order], params, PROFILE
        )
        assert got == expected


def test_window_days_applies_to_semantic_and_translation_candidates() -> None:
    """``--window-days``: documents published further apart are never a semantic or a
    translation candidate; undated ones still are, and each document's nearest are chosen
    among the pairs the window allows."""
    from datetime import date, timedelta

    ids, langs, vecs = _corpus()
    params = DetectParams(semantic=True, semantic_k=2)
    unwindowed = semantic_candidates(ids, langs, vecs, params, PROFILE)
    day0 = date(2021, 1, 1)
    # Each round of the six stories 10 days after the one before (a story's documents 10, 20,
    # 30... days apart); every seventh document undated.
    dates = [None if k % 7 == 0 else day0 + timedelta(days=10 * (k // 6)) for k in range(len(ids))]
    when = dict(zip(ids, dates, strict=True))
    window = DetectParams(semantic=True, semantic_k=2, window_days=15)
    windowed = semantic_candidates(ids, langs, vecs, window, PROFILE, dates)
    assert windowed and {"semantic", "translation"} <= set(windowed.values())
    for a, b in windowed:
        da, db = when[a], when[b]
        assert da is None or db is None or abs((da - db).days) <= 15
    assert any(
        when[a] and when[b] and abs((when[a] - when[b]).days) > 15 for a, b in unwindowed  # type: ignore[operator]
    ), "the corpus must have pairs outside the window for this test to mean anything"
    # No window, or dates not given: the same candidates as before.
    assert semantic_candidates(ids, langs, vecs, params, PROFILE, dates) == unwindowed
    assert semantic_candidates(ids, langs, vecs, window, PROFILE) == unwindowed
