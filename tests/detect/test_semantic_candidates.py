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


def test_documents_that_share_rare_names_and_figures_across_languages_are_paired() -> None:
    """``anchor_pairs``: two documents of different languages sharing three anchors or more,
    each held by at most ``ANCHOR_DF`` documents, are a pair; anchors shared within one
    language, anchors too common, and pairs the window forbids count for nothing."""
    from newstrace.detect import ANCHOR_DF, anchor_pairs

    a = frozenset({"snp", "nhs", "mathe", "westm"})
    ids = ["cs1", "en1", "en2", "de1", "ru1"]
    langs: list[str | None] = ["cs", "en", "en", "de", "ru"]
    sets = [a, a, a, frozenset({"snp", "nhs", "#2022"}), frozenset()]
    # de1 shares only two (snp, nhs) with each; "#2022" is held by one document.
    assert anchor_pairs(ids, langs, sets) == {("cs1", "en1"): 4, ("cs1", "en2"): 4}
    # The window (by position) forbids cs1-en2.
    assert anchor_pairs(ids, langs, sets, lambda i, j: {i, j} != {0, 2}) == {("cs1", "en1"): 4}
    # The same names in more than ANCHOR_DF documents name a topic: no pair.
    crowd = [f"en{k:02d}" for k in range(ANCHOR_DF)]
    assert anchor_pairs(["cs1", *crowd], ["cs", *["en"] * ANCHOR_DF], [a] * (ANCHOR_DF + 1)) == {}
    assert anchor_pairs(["cs1", *crowd[:-1]], ["cs", *["en"] * (ANCHOR_DF - 1)], [a] * ANCHOR_DF)


def test_anchor_candidates_keep_each_documents_nearest_and_need_an_encoder_that_can_verify() -> None:
    """``semantic_candidates(anchor_sets=...)``: each document's ``semantic_k`` partners with
    the most anchors in common are proposed whatever their vectors (far apart here), in any
    order of the corpus; a pair with a language the encoder was not trained on only when the
    wide encoder that verifies it is installed."""
    from dataclasses import replace

    profile = replace(PROFILE, languages=frozenset({"en", "de"}))
    rng = np.random.default_rng(5)
    ids = ["cs1", "en1", "en2", "en3", "de1"]
    langs: list[str | None] = ["cs", "en", "en", "en", "de"]
    vecs = [_unit(rng.standard_normal((1, 64))) for _ in ids]  # nothing near anything
    names = ["n1", "n2", "n3", "n4", "n5"]
    sets = [frozenset(names), frozenset(names[:5]), frozenset(names[:4]), frozenset(names[:3]), frozenset(names[1:4])]
    params = DetectParams(semantic=True, semantic_k=2)
    assert semantic_candidates(ids, langs, vecs, params, profile) == {}
    narrow = semantic_candidates(ids, langs, vecs, params, profile, anchor_sets=sets)
    # Czech is not the encoder's: only de1's pairs (three anchors each with en1 and en2).
    assert narrow == {("de1", "en1"): "translation", ("de1", "en2"): "translation"}
    wide = semantic_candidates(ids, langs, vecs, params, profile, wide=True, anchor_sets=sets)
    # cs1-en1 5, cs1-en2 4, cs1-en3 3, cs1-de1 3, de1-en1 3, de1-en2 3 (de1-en3: 2, no pair);
    # cs1 keeps en1 and en2, de1 keeps cs1 and en1 (equal counts: smaller id); English, the
    # main language (3 of 5), picks none of its own (en3 would keep cs1, en2 de1).
    assert set(wide) == {("cs1", "en1"), ("cs1", "en2"), ("cs1", "de1"), ("de1", "en1")}
    for seed in range(4):
        order = np.random.default_rng(seed).permutation(len(ids))
        again = semantic_candidates(
            [ids[k] for k in order], [langs[k] for k in order], [vecs[k] for k in order], params, profile,
            wide=True, anchor_sets=[sets[k] for k in order],
        )  # fmt: skip
        assert again == wide


def test_documents_that_reuse_one_passage_of_a_third_are_paired() -> None:
    """``hub_pairs``: documents of two languages whose passages hold the same part of a hub
    (``MIN_HUB_OVERLAP`` characters or more, over all their passages) are a pair; documents of
    one language, or holding other parts of it, are not; a hub reused by more than
    ``HUB_PARTNERS`` documents proposes nothing."""
    from newstrace.detect import HUB_PARTNERS, MIN_HUB_OVERLAP, hub_pairs, hub_spans

    def own(doc: str, lang: str, start: int, end: int) -> tuple[str, str, int, int, int, int]:
        return (doc, lang, start, end, start, end)  # its own text where the hub has it

    # ru1 excerpts the hub's second paragraph; cs1 translates all of it in two passages; de1
    # and en2 hold its last paragraph only; en3 (the hub's language) its second paragraph.
    spans = [own("ru1", "ru", 400, 800), own("cs1", "cs", 0, 500), own("cs1", "cs", 500, 2000),
             own("de1", "de", 1500, 2000), own("en3", "en", 450, 900), own("en2", "en", 1600, 1900)]  # fmt: skip
    got = hub_pairs(spans)
    assert set(got) == {("cs1", "de1"), ("cs1", "en2"), ("cs1", "en3"), ("cs1", "ru1"), ("en3", "ru1"),
                        ("de1", "en2")}  # fmt: skip
    assert hub_pairs(list(reversed(spans))) == got
    # Just under the overlap: no pair.
    assert hub_pairs([own("a", "en", 0, 1000), own("b", "cs", 1000 - MIN_HUB_OVERLAP + 1, 3000)]) == []
    assert hub_pairs([own("a", "en", 0, 1000), own("b", "cs", 1000 - MIN_HUB_OVERLAP, 3000)]) == [("a", "b")]
    crowd = [own(f"d{k:02d}", ("en", "cs")[k % 2], 0, 1000) for k in range(HUB_PARTNERS + 1)]
    assert hub_pairs(crowd) == [] and hub_pairs(crowd[:-1])
    # Each pair's passages make spans of both documents, each the other's hub.
    assert hub_spans("s", "d", [(0, 10, 100, 110)]) == [("s", ("d", 0, 10, 100, 110)), ("d", ("s", 100, 110, 0, 10))]


def test_pivots_say_where_each_document_renders_the_hubs_shared_text() -> None:
    """``hub_pivots``: for two documents that hold the same passage of a hub, the spans of each
    that render the text both hold, found by proportion inside each passage (a translation
    runs at its own length ratio) and widened by ``PIVOT_SLACK``; passages whose hub parts
    barely overlap (less than half the shorter) make no pivot; ``merge_pivots`` joins a pair's
    pivots over its hubs, sorted, whatever order the hubs come in."""
    from newstrace.align import Pivot
    from newstrace.detect import PIVOT_SLACK, hub_pivots, merge_pivots

    # cs1 renders the hub's 0-1000 at twice its length (0-2000); ru1 holds the hub's 400-600
    # as its own 100-300, and the hub's 900-1300 (overlapping cs1's passage by 100 of 400).
    spans = [("cs1", "cs", 0, 1000, 0, 2000), ("ru1", "ru", 400, 600, 100, 300), ("ru1", "ru", 900, 1300, 500, 900)]
    got = hub_pivots("hub", spans)
    pad = 400 * PIVOT_SLACK  # cs1 renders the hub's 200 shared characters in 400 of its own
    assert got == {("cs1", "ru1"): (Pivot("hub", int(800 - pad), int(1200 + pad), 100, 300),)}
    assert hub_pivots("hub", list(reversed(spans))) == got
    other = {("cs1", "ru1"): (Pivot("hub2", 0, 10, 0, 10),)}
    both = merge_pivots([*other.items(), *got.items()])
    assert both == merge_pivots([*got.items(), *other.items()])
    assert both[("cs1", "ru1")] == (got[("cs1", "ru1")][0], other[("cs1", "ru1")][0])


def test_documents_of_the_main_language_do_not_pick_partners_of_other_languages() -> None:
    """In a corpus where one language holds most documents, a pair of two languages is a
    candidate when it is among the ``semantic_k`` nearest of its document outside the main
    language: a main-language document with one sentence near a foreign one does not add its
    own nearest (on a large corpus that made most cross-language candidates, all false).
    Without a main language every document picks, as before; any order gives the same."""
    from newstrace.detect import main_language

    rng = np.random.default_rng(5)
    base = _unit(rng.standard_normal(64))
    noise = _unit(rng.standard_normal((12, 64)) - base * (rng.standard_normal((12, 64)) @ base)[:, None])

    def at(c: float, k: int) -> np.ndarray:
        return _unit(c * base + np.sqrt(1 - c * c) * noise[k])

    # One German document (its only vector: base); six English ones whose second vector (a
    # window) meets it at 0.9 ... 0.62, their leads elsewhere.
    cos = [0.9, 0.8, 0.7, 0.66, 0.64, 0.62]
    ids = ["de1", *[f"en{k}" for k in range(1, 7)]]
    vecs = [base[None, :].astype(np.float32)] + [
        np.vstack([_unit(noise[k + 6]), at(c, k)]).astype(np.float32) for k, c in enumerate(cos)
    ]
    params = DetectParams(semantic=True, semantic_k=2)
    langs: list[str | None] = ["de", *["en"] * 6]
    assert main_language({"de": 1, "en": 6}) == "en"
    got = semantic_candidates(ids, langs, vecs, params, PROFILE)
    assert {p for p, kind in got.items() if kind == "translation"} == {("de1", "en1"), ("de1", "en2")}
    for seed in range(3):
        order = np.random.default_rng(seed).permutation(len(ids))
        again = semantic_candidates(
            [ids[k] for k in order], [langs[k] for k in order], [vecs[k] for k in order], params, PROFILE
        )
        assert again == got
    # No language holds more than half: the English and French documents pick too, and some
    # pick the German one beyond its own two nearest.
    mixed: list[str | None] = ["de", "en", "fr", "en", "fr", "en", "fr"]
    assert main_language({"de": 1, "en": 3, "fr": 3}) is None
    every = semantic_candidates(ids, mixed, vecs, params, PROFILE)
    with_de = {p for p, kind in every.items() if kind == "translation" and "de1" in p}
    assert with_de > {("de1", "en1"), ("de1", "en2")}


def test_anchors_of_a_corpus_are_the_same_in_workers() -> None:
    """The anchor sets of many documents, computed in two forked workers, are each document's
    own, in the documents' order."""
    from newstrace.detect import corpus_anchors, document_anchors

    texts = [
        f"Minister Ondrej Novak{k} met the NATO envoy in Brussels on {k} May. Prices rose {k * 7}.5 %."
        for k in range(260)
    ]
    alone = [document_anchors(t) for t in texts]
    assert corpus_anchors(texts, workers=2) == alone == corpus_anchors(texts, workers=1)
    assert len(set(alone)) == len(texts), "each document has its own anchors"
