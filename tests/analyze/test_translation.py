"""Comparing articles across languages: real WMT translations, and quotations whose facts
were swapped in translation."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import pytest

from newstrace.analyze import compare
from newstrace.models import Document

pytestmark = pytest.mark.semantic
ML = Path(__file__).resolve().parents[2] / "eval" / "multilingual"


@cache
def wmt() -> dict[str, dict[str, str]]:
    with gzip.open(ML / "data" / "wmt-multilingual.jsonl.gz", "rt", encoding="utf-8") as fh:
        return {d["id"]: d for d in map(json.loads, fh)}


def doc(doc_id: str) -> Document:
    d = wmt()[doc_id]
    return Document(id=doc_id, text=d["text"], outlet=d.get("outlet") or None)


@pytest.fixture(scope="module")
def encoder():  # type: ignore[no-untyped-def]
    from newstrace.align.semantic import encoder_error, load_encoder

    enc = load_encoder()
    assert enc is not None, encoder_error()
    return enc


@pytest.mark.parametrize(("original", "translation"), [("wmtml/0196", "wmtml/0104"), ("wmtml/0196", "wmtml/0168")])
def test_a_real_translation_is_reuse_of_kind_translation(encoder, original: str, translation: str) -> None:  # type: ignore[no-untyped-def]
    # WMT24's Beverly Press article (en) and its professional German and Russian translations.
    r = compare(doc(original), doc(translation), encoder=encoder)
    assert r.relation in ("duplicate", "derived")
    # Translated sentences, and names or titles left as they were (near-verbatim) at most.
    assert {p["kind"] for p in r.passages} <= {"translation", "verbatim", "near_verbatim"}
    assert r.coverage["derivative"]["translation"] > 0.7
    assert r.coverage["derivative"]["total"] > 0.8 and r.coverage["source"]["total"] > 0.8
    assert r.languages is not None and r.evidence is not None and r.evidence.translation_sentences >= 3


def test_two_stories_in_two_languages_are_not_reuse(encoder) -> None:  # type: ignore[no-untyped-def]
    # A labelled random pair of the set (different stories, en and de).
    pairs = [json.loads(x) for x in (ML / "labels" / "pairs.jsonl").read_text("utf-8").splitlines()]
    p = next(x for x in pairs if x["kind"] == "random" and x["langs"] in ("en-de", "de-en"))
    r = compare(doc(p["a"]), doc(p["b"]), encoder=encoder)
    assert r.relation in ("related", "unrelated")


EN = """Moscow, March 3. The defence ministry published its weekly summary on Thursday.

"We destroyed 14 launchers and two command posts near Kharkiv in the past week," General Igor Konashenkov told reporters in Moscow.

He said the operation would continue until its goals were met, and gave no timetable for it.

Officials in Kyiv did not comment on the figures published by the ministry."""  # noqa: E501
ES_SWAPPED = """Moscú, 3 de marzo. El Ministerio de Defensa publicó su resumen semanal el jueves.

"Destruimos 40 lanzadores y dos puestos de mando cerca de Kharkiv la semana pasada", dijo el general Igor Konashenkov a los periodistas en Moscú.

Dijo que la operación continuaría hasta que se cumplieran sus objetivos, y no dio ningún calendario.

Los funcionarios de Kiev no comentaron las cifras publicadas por el ministerio."""  # noqa: E501


def test_a_quotation_whose_number_was_swapped_in_translation_is_altered(encoder) -> None:  # type: ignore[no-untyped-def]
    src = Document(id="ru-mod", text=EN, published="2022-03-03")
    der = Document(id="es-site", text=ES_SWAPPED, published="2022-03-05")
    r = compare(der, src, encoder=encoder)
    assert r.source.id == "ru-mod" and r.relation in ("duplicate", "derived")
    altered = [q for q in r.quotes if q.status == "altered"]
    assert len(altered) == 1
    (edit,) = altered[0].edits
    assert (edit.source, edit.derivative) == ("14", "40")
    # The same quotation, faithfully translated: preserved, not flagged.
    faithful = Document(id="es-ok", text=ES_SWAPPED.replace("40 lanzadores", "14 lanzadores"), published="2022-03-05")
    r2 = compare(faithful, src, encoder=encoder)
    assert [q.status for q in r2.quotes] == ["preserved"]


def test_without_direction_a_swapped_number_is_not_an_accusation(encoder) -> None:  # type: ignore[no-untyped-def]
    r = compare(Document(id="a", text=EN), Document(id="b", text=ES_SWAPPED), encoder=encoder)
    assert r.direction.kind == "undirected"
    assert not [q for q in r.quotes if q.status == "altered"]
    assert [q.status for q in r.quotes] == ["differs"]


TABLE_EN = ("TORONTO, March 4 - Shr 13 cts vs 41 cts\n\nNet 1,079,100 vs 3,535,205\n\nRevs 13.6 mln vs "
            "16.2 mln\n\nNote: Current results for 16 months after change in fiscal year end to December 31 "
            "from August 31. Reuter")
TABLE_OTHER = ("CALGARY, Alberta, March 2 - Shr 85 cts vs 2.68 dlrs\n\nNet 55.5 mln vs 170.9 mln\n\nRevs 925.5 "
               "mln vs 816.0 mln\n\nNote: 1986 net includes 120 mln dlr or 1.80 dlr shr writedown of investment "
               "in <Northwest Gas Ltd> vs yr-ago extraordinary loss of 15 cts shr (net fig not given). Reuter")


def test_two_results_tables_taken_for_two_languages_are_no_translation(encoder) -> None:  # type: ignore[no-untyped-def]
    # Wire shorthand the language identifier called Nigerian Pidgin: the multilingual encoder
    # aligns the two companies' tables line by line, but a translation keeps its figures.
    a = Document(id="saxton", text=TABLE_EN, language="pcm", language_source="detected")
    b = Document(id="wtd", text=TABLE_OTHER, language="en", language_source="detected")
    r = compare(a, b, encoder=encoder)
    assert r.relation in ("related", "unrelated")
    assert r.evidence is not None and r.evidence.words < 12
    whys = [p.why for p in r.evidence.passages if p.kind == "translation" and p.words >= 5]
    assert whys and all(w and w.startswith("other figures") for w in whys)
    # The same table translated, figures kept: a translation still.
    es = ("TORONTO, 4 de marzo - Beneficio por acción 13 centavos frente a 41 centavos\n\nBeneficio neto "
          "1.079.100 frente a 3.535.205\n\nIngresos 13,6 millones frente a 16,2 millones\n\nNota: los "
          "resultados actuales abarcan 16 meses tras el cambio del cierre del ejercicio fiscal al 31 de "
          "diciembre desde el 31 de agosto. Reuter")
    r2 = compare(Document(id="es", text=es, language="es", language_source="detected"),
                 Document(id="en", text=TABLE_EN, language="en", language_source="detected"), encoder=encoder)
    assert r2.evidence is not None and r2.evidence.translation_words > 0
    assert r2.relation in ("duplicate", "derived")


def test_a_translated_excerpt_is_found_whichever_text_comes_first(encoder) -> None:  # type: ignore[no-untyped-def]
    """Without evidence of direction the order that finds more reuse is kept, so the verdict and
    the source shown do not depend on which text is given first (a Czech article that holds one
    translated paragraph of a Scotsman column; in one order the aligner found it, in the
    other not)."""
    one = compare(doc("wmtml/0001"), doc("wmtml/0034"), encoder=encoder)
    two = compare(doc("wmtml/0034"), doc("wmtml/0001"), encoder=encoder)
    assert one.relation == two.relation == "partial"
    assert one.source.id == two.source.id and one.direction.kind == two.direction.kind == "undirected"


def test_an_undated_whole_translation_gets_no_direction_from_alignment_noise(encoder) -> None:  # type: ignore[no-untyped-def]
    """A whole German translation of a PA article: the aligner pairs 91 % of one and all of the
    other, a gap alignment across languages makes (CROSS_CONTAINMENT_MARGIN), not context the
    original carries. It named the translation as the source before."""
    r = compare(doc("wmtml/0082"), doc("wmtml/0014"), encoder=encoder)
    assert r.relation == "duplicate" and r.direction.kind == "undirected"
    (contained,) = [e for e in r.direction.evidence if e.name == "containment"]
    assert contained.favours is None and "alignment of two languages" in contained.detail
    assert not [e for e in r.direction.evidence if e.name == "context"]  # tf-idf fit: one language only
