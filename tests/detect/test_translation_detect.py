"""detect proposes a translated copy through the LSH index of document vectors, and verifies
it with the cross-language aligner."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from newstrace.detect import PAIR_VERDICTS, DetectParams, detect
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

    # Twelve articles of twelve other stories, in English, Spanish, German and Russian.
    docs = _wmt(ORIGINAL, TRANSLATION, *_other_stories((ORIGINAL,), ("en", "es", "de", "ru"), 12))
    store.add_documents(docs)
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


def _other_stories(members: tuple[str, ...], languages: tuple[str, ...], n: int) -> list[str]:
    """The first ``n`` documents (by id) in ``languages``, one per story, of stories other
    than those of ``members``."""
    with gzip.open(ML / "data" / "wmt-multilingual.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = {d["id"]: d for d in map(json.loads, fh)}
    families = [json.loads(x) for x in (ML / "labels" / "families.jsonl").read_text("utf-8").splitlines()]
    family = {m: f["family"] for f in families for m in f["members"]}
    others: dict[str, str] = {}
    for i, d in sorted(rows.items()):
        story = family.get(i, i)
        if story not in {family.get(m, m) for m in members} and d["lang"] in languages and len(others) < n:
            others.setdefault(story, i)
    return list(others.values())


def _wmt(*ids: str) -> list[Document]:
    with gzip.open(ML / "data" / "wmt-multilingual.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = {d["id"]: d for d in map(json.loads, fh)}
    return [Document(id=i.replace("/", "-"), text=rows[i]["text"], language=rows[i]["lang"]) for i in ids]


@pytest.mark.parametrize("wide", [True, False], ids=["wide", "without"])
def test_a_czech_translation_is_found_by_the_wide_encoder(
    store: Any, monkeypatch: pytest.MonkeyPatch, wide: bool
) -> None:
    """USE was not trained on Czech: a Czech translation scores under the translation floor
    against its English original and would be missed. It is among the Czech article's nearest
    of other languages, and the wide encoder (multilingual-e5) verifies it: a translated
    duplicate. Without the wide encoder the pair is not even proposed (no wasted work)."""
    from newstrace.align import semantic

    if not wide:
        monkeypatch.setattr(semantic, "load_wide_encoder", lambda: None)
    # 0135 (en) and 0216 (its Czech translation), with five articles of other stories.
    docs = _wmt("wmtml/0135", "wmtml/0216", "wmtml/0196", "wmtml/0104", "wmtml/0046", "wmtml/0003", "wmtml/0012")
    assert [d.language for d in docs] == ["en", "cs", "en", "de", "uk", "en", "de"]
    store.add_documents(docs)
    detect(store, DetectParams(semantic=True, workers=1))
    every = ("duplicate", "derived", "partial", "related", "unrelated")
    pairs = {(r["a"], r["b"]): r for r in store.pairs(relations=every)}
    key = ("wmtml-0135", "wmtml-0216")
    reused = {k: r["relation"] for k, r in pairs.items() if r["relation"] in ("duplicate", "derived", "partial")}
    if not wide:
        assert key not in pairs
        return
    assert pairs[key]["candidate"] == "translation", pairs[key]
    report = json.loads(pairs[key]["report"])
    assert {p["kind"] for p in report["passages"]} == {"translation"}
    assert report["encoder"] == "multilingual-e5-small-q4"  # the report says which space aligned it
    # Its six quotations are the source's translated (at e5's own quotation floor), none altered.
    assert [q["status"] for q in report["quotes"]] == ["preserved"] * 6, report["quotes"]
    # Exactly the labelled copies among these documents (0012 is the German translation of
    # 0135, 0046 the Ukrainian and 0104 the German of 0196): nothing else.
    chosen = {d.id for d in docs}
    labelled = [json.loads(x) for x in (ML / "labels" / "pairs.jsonl").read_text("utf-8").splitlines()]
    gold = {
        tuple(sorted((p["a"].replace("/", "-"), p["b"].replace("/", "-"))))
        for p in labelled
        if p["category"] in ("copy", "excerpt")
    }
    gold = {g for g in gold if set(g) <= chosen}
    assert len(gold) == 6 and key in gold
    assert set(reused) == gold, reused


def test_the_slow_encoders_sentences_are_embedded_once_before_verification() -> None:
    """``warm_translation_encoders``: the documents of pairs the wide encoder aligns (Czech
    against English or German here; English against German stays with USE) are embedded once
    each, in worker processes, into the wide encoder's cache: aligning them afterwards embeds
    nothing more."""
    from newstrace.align.crosslingual import window_texts
    from newstrace.align.semantic import load_encoder, load_wide_encoder
    from newstrace.analyze import analysed
    from newstrace.detect import warm_translation_encoders

    docs = {d.id: d for d in _wmt("wmtml/0135", "wmtml/0216", "wmtml/0012", "wmtml/0001")}
    pairs = [("wmtml-0135", "wmtml-0216", "translation"), ("wmtml-0012", "wmtml-0216", "translation"),
             ("wmtml-0012", "wmtml-0135", "translation")]  # fmt: skip
    encoder, wide = load_encoder(), load_wide_encoder()
    assert encoder is not None and wide is not None
    wide._cache.clear()  # type: ignore[attr-defined]  # (other tests of this process warmed it)
    before = wide.encoded
    assert warm_translation_encoders(pairs, docs, encoder, workers=2) == 3  # 0001 is in no pair
    assert wide.encoded == before  # the workers embedded them, not this process
    for i in ("wmtml-0135", "wmtml-0216", "wmtml-0012"):
        text = docs[i].text
        wide.encode(window_texts(text, analysed(text).sentences, 1))
    assert wide.encoded == before


@pytest.mark.parametrize("anchored", [True, False], ids=["anchors", "cosine-only"])
def test_a_translated_excerpt_is_found_by_the_names_and_figures_it_keeps(
    store: Any, monkeypatch: pytest.MonkeyPatch, anchored: bool
) -> None:
    """0001 is a Czech article on a children's shoe study with one translated paragraph of
    0034 (a Scotsman comment: Matheson, the SNP, the NHS, Westminster) set into it. Its
    vectors are far from 0034's; the names they share propose the pair, and the one bead of
    the excerpt, under the wide encoder's ``translation`` cosine alone, is a translation
    because its two sides share three of them. Without that rule the excerpt is not reuse."""
    from newstrace.align import crosslingual
    from newstrace.detect import anchor_pairs, document_anchors

    if not anchored:
        monkeypatch.setattr(crosslingual, "ANCHORED", 99)
    docs = _wmt("wmtml/0034", "wmtml/0001", *_other_stories(("wmtml/0001", "wmtml/0034"), ("en", "es"), 6))
    store.add_documents(docs)
    key = ("wmtml-0001", "wmtml-0034")
    if anchored:
        shared = anchor_pairs([d.id for d in docs], [d.language for d in docs],
                              [document_anchors(d.text) for d in docs])  # fmt: skip
        assert shared.get(key, 0) >= 4, shared
    detect(store, DetectParams(semantic=True, workers=1))
    every = ("duplicate", "derived", "partial", "related", "unrelated")
    pairs = {(r["a"], r["b"]): r for r in store.pairs(relations=every)}
    reused = {k: r["relation"] for k, r in pairs.items() if r["relation"] in ("duplicate", "derived", "partial")}
    if not anchored:
        assert key not in reused, reused
        return
    assert reused == {key: "partial"}, reused
    assert pairs[key]["derivative"] == "wmtml-0001"  # the article that holds the excerpt
    report = json.loads(pairs[key]["report"])
    czech = docs[1].text
    spans = [czech[p["derivative"]["start"] : p["derivative"]["end"]] for p in report["passages"]]
    assert {p["kind"] for p in report["passages"]} == {"translation"}
    assert len(spans) == 1 and "Matheson" in spans[0] and "SNP" in spans[0], spans
    assert "batolata" not in spans[0]  # the host article's own text is not the excerpt


def test_a_second_round_pairs_two_translations_of_one_passage_and_keeps_them(store: Any) -> None:
    """0007 (Russian) holds a paragraph of 0135 (English), 0216 (Czech) all of it. With one
    nearest per document neither proposes the other; after the first round verified both
    against 0135, the passage of 0135 they both hold makes them a candidate (``shared``), and
    it is a translated excerpt. A second run verifies nothing again and drops nothing."""
    docs = _wmt("wmtml/0135", "wmtml/0216", "wmtml/0007", "wmtml/0196", "wmtml/0002", "wmtml/0004")
    store.add_documents(docs)
    params = DetectParams(semantic=True, workers=1, semantic_k=1)
    seen: dict[str, tuple[int, int]] = {}
    first = detect(store, params, on_progress=lambda stage, done, total: seen.__setitem__(stage, (done, total)))
    shared = sum(1 for r in store.pairs(relations=("duplicate", "derived", "partial", "related", "unrelated"))
                 if r["candidate"] == "shared")  # fmt: skip
    # Its own progress stage, not a second count of the first round's.
    assert shared >= 1 and seen["verify shared passages"] == (shared, shared)
    assert seen["verify"][1] == first.candidates - shared
    rows = {(r["a"], r["b"]): r for r in store.pairs()}
    assert rows[("wmtml-0007", "wmtml-0216")]["candidate"] == "shared"
    assert rows[("wmtml-0007", "wmtml-0216")]["relation"] == "partial"
    assert {("wmtml-0007", "wmtml-0135"), ("wmtml-0135", "wmtml-0216")} <= set(rows)
    # Compared afresh (compare --recompute), either way round, the pair gets the pivots detect
    # gave it from the store, and the same verdict, naming the hub.
    from newstrace.pipeline import verdict

    for x, y in (("wmtml-0007", "wmtml-0216"), ("wmtml-0216", "wmtml-0007")):
        fresh = verdict(x, y, store=store, recompute=True)
        assert not fresh.stored and fresh.report["relation"] == "partial"
        assert any("wmtml-0135" in n for n in fresh.report["notes"]), fresh.report["notes"]
    again = detect(store, params)
    assert (again.verified, again.dropped, again.candidates) == (0, 0, first.candidates)
    assert {(r["a"], r["b"]): r["relation"] for r in store.pairs()} == {k: r["relation"] for k, r in rows.items()}
    # Without the semantic layer there is no second round: its pairs are dropped.
    lexical = detect(store, DetectParams(workers=1))
    assert lexical.dropped >= 3 and ("wmtml-0007", "wmtml-0216") not in {(r["a"], r["b"]) for r in store.pairs()}


def test_pivot_verdicts_of_an_incremental_run_equal_a_fresh_one(tmp_path: Path) -> None:
    """A Scotsman column (0034), its German translation (0131) and a Czech article with one
    translated paragraph of it (0001) first; then its Spanish and Russian translations. The
    pairs of the Czech article with each translation are excerpts, verified knowing the
    column's passage they both render, whether the corpus came in one run or two; a third run
    verifies nothing."""
    from newstrace.store import Store

    first = ("wmtml/0034", "wmtml/0131", "wmtml/0001", "wmtml/0004")
    later = ("wmtml/0056", "wmtml/0137", "wmtml/0011")
    params = DetectParams(semantic=True, workers=1)

    def verdicts(store: Any) -> dict[tuple[str, str], tuple[str, str]]:
        return {(r["a"], r["b"]): (r["relation"], r["candidate"]) for r in store.pairs(relations=PAIR_VERDICTS)}

    with Store(tmp_path / "fresh.db") as fresh:
        fresh.add_documents(_wmt(*first, *later))
        detect(fresh, params)
        want = verdicts(fresh)
    with Store(tmp_path / "steps.db") as steps:
        steps.add_documents(_wmt(*first))
        detect(steps, params)
        assert verdicts(steps)[("wmtml-0001", "wmtml-0131")] == ("partial", "shared")
        steps.add_documents(_wmt(*later))
        detect(steps, params)
        assert verdicts(steps) == want
        assert detect(steps, params).verified == 0
    for other in ("wmtml-0056", "wmtml-0131", "wmtml-0137"):
        assert want[("wmtml-0001", other)] == ("partial", "shared")


def test_main_language_documents_get_windows_only_when_they_share_a_rare_name(store: Any) -> None:
    """In a corpus with a main language (English here: the original, six English articles of
    other stories, and the Spanish translation), an English document gets window vectors only
    when it shares a rare name or figure with a document of another language: the original
    does (Siso, Tierra del Sol), and its translation is still found; the others store their
    lead vector alone (on the benchmark's 100,230 articles, about half of the encoder's rows
    fewer)."""
    from newstrace.align.semantic import load_encoder
    from newstrace.detect import MAIN_STRIDE, anchored_main, document_anchors, vector_model

    docs = _wmt(ORIGINAL, TRANSLATION, *_other_stories((ORIGINAL,), ("en",), 6))
    assert [d.language for d in docs].count("en") == 7
    store.add_documents(docs)
    ids, langs = [d.id for d in docs], [d.language for d in docs]
    windowed = anchored_main(ids, langs, [document_anchors(d.text) for d in docs], "en")
    assert "wmtml-0196" in windowed and len(windowed) < 7
    detect(store, DetectParams(semantic=True, workers=1))
    encoder = load_encoder()
    assert encoder is not None
    base = f"{encoder.name}@{getattr(encoder, 'version', 1)}"
    lead_only = set(store.get_doc_vectors(vector_model(base, 0)))
    sampled = set(store.get_doc_vectors(vector_model(base, MAIN_STRIDE)))
    assert sampled == windowed and lead_only == {i for i in ids if i != "wmtml-0203"} - windowed
    assert set(store.get_doc_vectors(vector_model(base, 1))) == {"wmtml-0203"}
    pairs = {(r["a"], r["b"]): r["relation"] for r in store.pairs(relations=("duplicate", "derived", "partial"))}
    assert list(pairs) == [("wmtml-0196", "wmtml-0203")]  # the one reuse pair
    assert pairs[("wmtml-0196", "wmtml-0203")] in ("duplicate", "derived")
