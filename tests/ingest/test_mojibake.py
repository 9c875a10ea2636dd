"""README, Ingest: "Text that was decoded twice upstream (mojibake, "â€œ") is repaired first
(ftfy)", through ingest, for a text file, an HTML page and a JSONL record; and correct text that
uses the same characters on purpose comes out as it went in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252": how the damage is made)
import pytest

from newstrace.pipeline import ingest
from newstrace.store import Store

TITLE = "Minister’s “deal” in São Paulo"
BODY = (
    "The minister said “we’ll sign the deal in São Paulo next week” and the café’s owner, "
    "who watched the speech, agreed with him.\n\n"
    "Critics called the plan naïve — it costs 400 million € … and nobody’s budget holds that. "
    "Ünal Kaya, an economist, said the figures were “a wish, not a plan”."
)


def _twice_decoded(text: str) -> str:
    """``text`` as it reads after its UTF-8 bytes were decoded as Windows-1252 upstream (the
    bytes that code page leaves undefined kept as C1 controls, as browsers and ftfy read them)."""
    return text.encode("utf-8").decode("sloppy-windows-1252")


def _write(kind: str, path_stem: Path, title: str, body: str) -> Path:
    if kind == "text":
        p = path_stem.with_suffix(".txt")
        p.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    elif kind == "html":
        p = path_stem.with_suffix(".html")
        paras = "".join(f"<p>{para}</p>" for para in body.split("\n\n"))
        p.write_text(
            f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>{paras}</article></body></html>",
            encoding="utf-8",
        )
    else:
        p = path_stem.with_suffix(".jsonl")
        record = {"id": "r1", "outlet": "Wire", "title": title, "text": body}
        p.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return p


def _ingest_one(kind: str, folder: Path, store: Store, title: str, body: str, want_title: str, want_body: str) -> Any:
    """Ingest one article written as ``kind``; the one document it gives, whose title is
    ``want_title`` and whose text holds each paragraph of ``want_body``."""
    report = ingest([_write(kind, folder / "story", title, body)], store)
    assert report.added == 1, report.rejected
    (doc,) = [d for _, d in store.iter_documents()]
    assert doc.title == want_title
    for para in want_body.split("\n\n"):
        assert para in doc.text
    return doc


@pytest.mark.parametrize("kind", ["text", "html", "jsonl"])
def test_mojibake_is_repaired_at_ingest(tmp_path: Path, store: Store, kind: str) -> None:
    damaged_title, damaged_body = _twice_decoded(TITLE), _twice_decoded(BODY)
    assert "â€œ" in damaged_body and "SÃ£o" in damaged_body  # the damage the README names
    doc = _ingest_one(kind, tmp_path, store, damaged_title, damaged_body, TITLE, BODY)
    for broken in ("â€", "Ã", "Â", "†"):
        assert broken not in doc.text and broken not in (doc.title or "")
        assert not any(broken in line for line in doc.boilerplate)
    # the repaired quotation marks are quotation marks to what comes after cleaning
    assert "we’ll sign the deal" in doc.text and "“a wish, not a plan”" in doc.text


# Correct text holding the same characters on purpose: curly quotes, accents, a euro sign,
# capitals "Ã" and "Â" (Portuguese, Romanian), and Turkish "hâlâ" ("still") right before an
# ellipsis or a closing quote: the telltale pair ("â" then a character Windows-1252 puts in
# 0x80-0x9F) without being mojibake, so the repair runs over this text and must leave it be.
CORRECT_TITLE = "Bakan “hâlâ” umutlu"
CORRECT_BODY = (
    "Bakan, anlaşmanın “hâlâ” mümkün olduğunu söyledi; görüşmeler hâlâ… sürüyor. "
    "Ekonomist Ünal Kaya ise maliyetin 400 milyon € olduğunu hatırlattı.\n\n"
    "In São Paulo the café’s owner said “we’ll see” — the naïve plan (“SÃO PAULO DIZ NÃO”, "
    "a banner read; ROMÂNIA’s team came too) was still on the table at 5 € a head."
)


@pytest.mark.parametrize("kind", ["text", "html", "jsonl"])
def test_correct_text_with_the_same_characters_is_not_touched(
    tmp_path: Path, store: Store, kind: str
) -> None:
    doc = _ingest_one(kind, tmp_path, store, CORRECT_TITLE, CORRECT_BODY, CORRECT_TITLE, CORRECT_BODY)
    assert not doc.boilerplate  # every line of it is the article's
