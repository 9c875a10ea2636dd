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


def test_documents_in_a_language_the_encoder_was_not_trained_on_get_their_nearest() -> None:
    """``wide``: a document in a language outside ``profile.languages`` is paired with its
    ``semantic_k`` nearest documents of other languages however low they score (from
    :data:`~newstrace.detect.UNTRAINED_FLOOR`), in any order of the corpus; documents of
    trained languages get no such pairs, and without ``wide`` nothing changes."""
    from dataclasses import replace

    from newstrace.detect import UNTRAINED_FLOOR

    profile = replace(PROFILE, languages=frozenset({"en", "es"}))
    rng = np.random.default_rng(3)
    base = _unit(rng.standard_normal(64))
    noise = _unit(rng.standard_normal((8, 64)) - base * (rng.standard_normal((8, 64)) @ base)[:, None])
    # Cosine c with the Czech document's only vector: base * c + orthogonal noise.
    def at(c: float, k: int) -> np.ndarray:
        return _unit(c * base + np.sqrt(1 - c * c) * noise[k])[None, :]

    ids = ["cs1", "en1", "en2", "en3", "es1", "cs2", "en4"]
    langs: list[str | None] = ["cs", "en", "en", "en", "es", "cs", "en"]
    cos = [1.0, 0.55, 0.45, UNTRAINED_FLOOR - 0.05, 0.5, 0.6, 0.35]
    vecs = [base[None, :].astype(np.float32)] + [at(c, k) for k, c in enumerate(cos[1:])]
    params = DetectParams(semantic=True, semantic_k=2)
    plain = semantic_candidates(ids, langs, vecs, params, profile)
    got = semantic_candidates(ids, langs, vecs, params, profile, wide=True)
    assert set(got) - set(plain) and all(got[p] == plain[p] for p in plain)
    added = set(got) - set(plain)
    assert all(got[p] == "translation" for p in added)
    # Every added pair has a Czech side and two languages; en3, under the floor, is in none.
    assert all(("cs1" in p or "cs2" in p) and not ("cs1" in p and "cs2" in p) for p in added), added
    assert not any("en3" in p for p in added)
    # cs1's two nearest of other languages: en1 (0.55) and es1 (0.5), not en2 (0.45).
    partners_cs1 = {b if a == "cs1" else a for a, b in got if "cs1" in (a, b) and (a, b) not in plain}
    assert partners_cs1 == {"en1", "es1"}
    assert semantic_candidates(ids, langs, vecs, params, profile) == plain
    for seed in range(4):
        order = np.random.default_rng(seed).permutation(len(ids))
        again = semantic_candidates(
            [ids[k] for k in order], [langs[k] for k in order], [vecs[k] for k in order], params, profile,
            wide=True,
        )  # fmt: skip
        assert again == got
