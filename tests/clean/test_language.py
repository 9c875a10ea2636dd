"""Language of a document: detection on real news, stated languages winning, unsure as unknown."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from newstrace.clean import build_document
from newstrace.clean.language import (
    MIN_EVIDENCE,
    detect_language,
    language_name,
    language_of,
    normalise_code,
    parse_language,
)
from newstrace.errors import ConfigError
from newstrace.models import RawDocument

SAMPLES = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "language_samples.jsonl").read_text().splitlines()
]
LANGS = sorted({s["lang"] for s in SAMPLES})


def test_the_samples_cover_thirteen_languages() -> None:
    assert sorted("en de fr es it ru uk ar zh cs pl tr ja".split()) == LANGS


@pytest.mark.parametrize(
    "sample", [s for s in SAMPLES if s["kind"] == "body"], ids=lambda s: s["source"]
)
def test_real_news_bodies_are_detected(sample: dict[str, Any]) -> None:
    code, confidence = detect_language(sample["text"])
    assert code == sample["lang"]
    assert confidence >= 0.5


def test_real_short_texts_are_right_or_unknown_never_wrong() -> None:
    shorts = [s for s in SAMPLES if s["kind"] == "short"]
    got = [(s["lang"], detect_language(s["text"])[0]) for s in shorts]
    wrong = [(want, code) for want, code in got if code is not None and code != want]
    right = sum(1 for want, code in got if code == want)
    assert not wrong
    assert right >= len(shorts) - 2  # headlines and ten-word starts: nearly all decided


def test_similar_languages_are_told_apart() -> None:
    # Ukrainian and Russian, Czech and Polish, Spanish and Italian: the pairs the old stopword
    # guesser confused (it had no Ukrainian or Czech at all).
    by = {(s["lang"], s["kind"]): s["text"] for s in SAMPLES}
    for lang in ("uk", "ru", "cs", "pl", "es", "it"):
        assert detect_language(by[lang, "body"])[0] == lang


@pytest.mark.parametrize(
    "text",
    ["", "   ", "NATO summit", "Donald Trump", "2024-01-05", "https://example.com/a/b", "BBC News",
     "COVID-19", "😀😀😀", "123 456 789 000", "Ukraine"],
)  # fmt: skip
def test_undecidable_short_text_is_unknown(text: str) -> None:
    assert detect_language(text) == (None, 0.0)


def test_too_few_letters_is_unknown_but_a_title_helps_a_short_text() -> None:
    body = "Der Bundestag tagt."  # 16 letters: too little on its own
    assert detect_language(body)[0] is None
    title = "Bundestag beschließt neues Gesetz über die Mietpreisbremse in Großstädten"
    assert detect_language(body, title=title)[0] == "de"


def test_han_and_kana_count_as_words() -> None:
    assert detect_language("政府周一表示，谈判将于下周继续进行，双方都希望达成协议。")[0] == "zh"
    assert detect_language("政府は月曜日、交渉は来週も続けられると発表した。")[0] == "ja"


def test_mixed_text_is_unknown() -> None:
    by = {(s["lang"], s["kind"]): s["text"] for s in SAMPLES}
    en, de = by["en", "body"][:600], by["de", "body"][:600]
    assert detect_language(en)[0] == "en" and detect_language(de)[0] == "de"
    assert detect_language(f"{en}\n\n{de}")[0] is None
    # A short quotation in another language leaves the article's language alone.
    long_en = "\n".join(s["text"] for s in SAMPLES if s["lang"] == "en" and s["kind"] == "body")
    quote = "« Nous ne céderons pas », a déclaré le ministre."
    assert detect_language(f"{long_en}\n{quote}")[0] == "en"


def test_headline_case_does_not_mislead() -> None:
    title = "Military Sees Frustrating Trend As Suicides Spike In Ranks Of Young Soldiers"
    assert detect_language(title)[0] == "en"
    assert detect_language(title.upper())[0] == "en"


@pytest.mark.parametrize(
    ("value", "code"),
    [("en", "en"), ("EN", "en"), ("en-US", "en"), ("pt_BR", "pt"), ("zh-Hant-TW", "zh"),
     ("zh-yue", "zh"), ("yue", "zh"), ("wuu", "zh"), ("cmn", "zh"), ("arz", "ar"), ("ary", "ar"),
     ("nb", "no"), ("nn", "no"), ("nob", "no"), ("iw", "he"), ("in", "id"), ("deu", "de"),
     ("ger", "de"), ("fre", "fr"), ("ukr", "uk"), ("English", "en"), (" german ", "de"),
     ("__label__fr", "fr"), ("kab", "kab"), ("sr-Latn", "sr"), ("hr", "hr"), ("bs", "bs")],
)  # fmt: skip
def test_codes_are_read_as_one_code(value: str, code: str) -> None:
    assert normalise_code(value) == code


@pytest.mark.parametrize("value", [None, "", "und", "mul", "zxx", "sh", "xx", "x-klingon", "q", "e1"])
def test_no_language_in_particular_is_none(value: str | None) -> None:
    assert normalise_code(value) is None


def test_parse_language_says_how_to_fix_a_bad_filter() -> None:
    assert parse_language("de-AT") == "de"
    with pytest.raises(ConfigError, match="language code such as en"):
        parse_language("klingon!")


def test_language_names_for_display() -> None:
    assert language_name("uk") == "Ukrainian" and language_name(None) is None


# -- stated beats detected -----------------------------------------------------------------
ENGLISH = (
    "The government said on Monday that the negotiations with the unions would continue next "
    "week, after three days of strikes closed schools and hospitals across the country."
)


def test_a_stated_language_wins_over_detection() -> None:
    assert language_of(ENGLISH, stated=[("de", "metadata")]) == ("de", "metadata")
    assert language_of(ENGLISH, stated=[(None, "user"), ("fr-CA", "record")]) == ("fr", "record")
    assert language_of(ENGLISH) == ("en", "detected")
    # A statement that names no language is no statement: the text decides.
    assert language_of(ENGLISH, stated=[("und", "metadata")]) == ("en", "detected")


def test_build_document_takes_the_most_explicit_language() -> None:
    raw = RawDocument(ENGLISH, "a.html", "html", language="de-DE", language_source="metadata")
    doc = build_document(raw)
    assert (doc.language, doc.language_source) == ("de", "metadata")
    doc = build_document(raw, language="es")  # a .meta.json beats the page
    assert (doc.language, doc.language_source) == ("es", "user")
    doc = build_document(RawDocument(ENGLISH, "a.txt", "text"))
    assert (doc.language, doc.language_source) == ("en", "detected")
    doc = build_document(RawDocument("Short.\n\nNATO summit.", "a.txt", "text"))
    assert (doc.language, doc.language_source) == (None, "detected")
    assert doc.to_dict()["language_source"] == "detected"


def test_detection_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import newstrace.clean.language as lang

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("language detection opened a connection")

    monkeypatch.setattr(lang, "_identifier", None)  # load the model afresh, offline
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert detect_language(ENGLISH)[0] == "en"


def test_min_evidence_is_about_a_short_headline() -> None:
    # A five-word headline is enough, a two-word one is not.
    assert len("Floods close river road again".replace(" ", "")) >= MIN_EVIDENCE
    assert len("NATO summit".replace(" ", "")) < MIN_EVIDENCE


def test_the_identifier_cache_is_built_once_reused_and_rebuilt_when_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model is inflated once into the cache; later loads read it back and classify the
    same; a damaged cache is caught by its probe and rebuilt."""
    from newstrace.clean.language import load_identifier

    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(tmp_path))
    text = "Die Regierung hat am Dienstag neue Maßnahmen für die Wirtschaft angekündigt."
    first = load_identifier()
    (folder,) = tmp_path.glob("py3langid-*")
    assert (folder / "meta.json").is_file() and (folder / "ptc.npy").is_file()
    want = first.classify(text)
    assert load_identifier().classify(text) == want
    (folder / "pc.npy").write_bytes(b"damaged")
    assert load_identifier().classify(text) == want  # rebuilt from the package's model
    assert (folder / "pc.npy").read_bytes() != b"damaged"
