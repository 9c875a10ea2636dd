"""Sentence-alignment precision, recall and F1 of translated pairs, against segment-aligned gold.

A labelled set built from segment-aligned translations (``eval/multilingual``: WMT test sets)
knows which sentence of one document translates which of another: ``labels/documents.jsonl``
gives each document's *pieces* (a WMT document, a language, a range of its segment ids), and
two documents that hold the same segment of the same WMT document hold one sentence in two
languages. The builder (``eval/multilingual/tools/build.py``) writes a document's text as its
paragraphs joined by a blank line, and a piece's paragraphs are either one segment each
(``"paragraphs": "one per segment"``, every WMT24 piece, and every ``marked`` piece whose
paragraph count equals its segment count) or the source's own paragraphs of several segments
(newstest2021 de-fr). So the gold *units* of a text are its paragraphs:

- a paragraph of one segment is the unit ``("seg", WMT document, segment id)``;
- a paragraph of several segments is ``("para", WMT document, its ordinal)`` when its piece
  starts at the WMT document's first segment (the original and its translations share their
  paragraph structure, since WMT aligns them segment by segment); the last paragraph of a
  piece cut short (``first-half``) may hold only part of its segments, so it is not scored,
  and neither is a paragraph of a piece that starts elsewhere (its ordinal is not known);
- text from other articles (a ``commentary``'s added sentences, an ``excerpt``'s host
  article) is a unit of its own that nothing else holds: a link to it is a wrong link.

**The measure.** For two documents A and B, the gold links are the unit pairs ``(u, v)``, u of
A and v of B, that hold the same segment (or paragraph). newstrace *links* ``(u, v)`` when its
sentence links (each translated sentence, or two a translator split or joined, of the pair's
compare report: ``sentence_links``) whose A span overlaps u and whose B span overlaps v
together cover most (more than half) of u's characters and most of v's. Precision is the share
of linked unit pairs that are gold links, recall the share of gold links that are linked,
both pooled over every scored pair (micro-averaged), F1 their harmonic mean. Unit pairs with a
unit that is not scored (see above) count on neither side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AlignmentScores",
    "Unit",
    "Whole",
    "document_units",
    "expand_segments",
    "gold_links",
    "linked_units",
    "paragraph_spans",
    "unit_layouts",
]

MOST = 0.5
"""A unit is covered by links when they hold more than this share of its characters."""

Key = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Unit:
    """A paragraph ``[start, end)`` of a document's text and what it holds: ``key`` is
    ``("seg", WMT document, segment id)``, ``("para", WMT document, ordinal)`` or ``("other",
    document id, ordinal)``; None when what it holds is not known exactly (not scored)."""

    start: int
    end: int
    key: Key | None


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` of each paragraph of a text whose paragraphs are separated by a
    blank line (as the multilingual set's builder writes them).

    >>> paragraph_spans("Head.\\n\\nOne. Two.\\n\\nEnd.")
    [(0, 5), (7, 16), (18, 22)]
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r"\n[ \t]*\n\s*", text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if e > s]


def expand_segments(ranges: str) -> list[str]:
    """Segment ids of a ``documents.jsonl`` range string, in order (``"1-3,7"`` -> 1, 2, 3, 7;
    ids that are not numbers are listed as they are).

    >>> expand_segments("1-3,7")
    ['1', '2', '3', '7']
    """
    out: list[str] = []
    for part in ranges.split(","):
        lo, sep, hi = part.partition("-")
        if sep and lo.isdigit() and hi.isdigit():
            out.extend(str(i) for i in range(int(lo), int(hi) + 1))
        elif part:
            out.append(part)
    return out


def _wmt_key(piece: dict[str, Any]) -> str:
    return f"{piece['set']}/{piece['docid']}"


@dataclass(frozen=True, slots=True)
class Whole:
    """A WMT document as its original holds it whole: segment ids and paragraph count."""

    segments: tuple[str, ...]
    paragraphs: int


def unit_layouts(documents: Iterable[dict[str, Any]], texts: dict[str, str]) -> dict[str, Whole]:
    """What the whole WMT documents look like, from the documents that hold one whole and
    alone (originals and distractors): WMT document -> its segment ids and paragraph count."""
    out: dict[str, Whole] = {}
    for d in documents:
        if len(d.get("pieces") or []) != 1 or d.get("role") not in ("original", "distractor"):
            continue
        text = texts.get(d["id"])
        if text is None:
            continue
        piece = d["pieces"][0]
        out[_wmt_key(piece)] = Whole(tuple(expand_segments(piece["segments"])), len(paragraph_spans(text)))
    return out


def _one_per_segment(piece: dict[str, Any], wholes: dict[str, Whole]) -> bool:
    """Whether each segment of the piece's WMT document is a paragraph of its own."""
    if piece.get("paragraphs") == "one per segment" or str(piece.get("set", "")).startswith("wmt24"):
        return True
    w = wholes.get(_wmt_key(piece))
    return w is not None and w.paragraphs == len(w.segments)


def document_units(record: dict[str, Any], text: str, wholes: dict[str, Whole]) -> list[Unit] | None:
    """The units of one document (see the module doc), or None when its paragraphs cannot be
    told apart (its text does not have the paragraphs its pieces make).

    Args:
        record: the document's line of ``labels/documents.jsonl``.
        text: its text as stored (the offsets of every unit are into it).
        wholes: :func:`unit_layouts` of the set.
    """
    spans = paragraph_spans(text)
    pieces = record.get("pieces") or []
    if not pieces:
        return None
    n = len(spans)
    family_piece = 0
    if len(pieces) == 1:
        lo, hi = 0, n
    elif record.get("variant") == "commentary":
        # The whole translation, and one paragraph of another article after the headline or at
        # the end.
        at = 1 if "after the first paragraph" in record.get("note", "") else n - 1
        units = _piece_units(record, pieces[0], [s for k, s in enumerate(spans) if k != at], wholes)
        if units is None:
            return None
        other = Unit(*spans[at], ("other", record["id"], str(at)))
        return [*units[:at], other, *units[at:]]
    elif record.get("variant") == "excerpt":
        # Another article with a run of the translation's paragraphs set after its paragraph `at`.
        m = re.search(r"after its paragraph (\d+)", record.get("note", ""))
        host, family_piece = pieces[0], 1
        if m is None:
            return None
        at = int(m.group(1))
        if _one_per_segment(pieces[1], wholes):
            length = len(expand_segments(pieces[1]["segments"]))
        elif _one_per_segment(host, wholes):
            length = n - len(expand_segments(host["segments"]))
        else:
            return None
        lo, hi = at, at + length
    else:
        return None
    if not 0 <= lo <= hi <= n:
        return None
    units = _piece_units(record, pieces[family_piece], spans[lo:hi], wholes)
    if units is None:
        return None
    others = [Unit(*s, ("other", record["id"], str(k))) for k, s in enumerate(spans)]
    return [*others[:lo], *units, *others[hi:]]


def _piece_units(
    record: dict[str, Any], piece: dict[str, Any], spans: Sequence[tuple[int, int]], wholes: dict[str, Whole]
) -> list[Unit] | None:
    wmt = _wmt_key(piece)
    segs = expand_segments(piece["segments"])
    if len(spans) == len(segs):
        return [Unit(s, e, ("seg", wmt, sid)) for (s, e), sid in zip(spans, segs, strict=True)]
    if len(spans) > len(segs):
        return None  # more paragraphs than segments: not the builder's layout
    whole = wholes.get(wmt)
    if whole is None or not whole.segments or segs[0] != whole.segments[0]:
        return [Unit(s, e, None) for s, e in spans]
    units = [Unit(s, e, ("para", wmt, str(k))) for k, (s, e) in enumerate(spans)]
    if len(segs) < len(whole.segments) and units:
        units[-1] = Unit(units[-1].start, units[-1].end, None)  # may hold only part of its segments
    return units


def gold_links(a_units: Sequence[Unit], b_units: Sequence[Unit]) -> set[tuple[int, int]]:
    """The unit pairs ``(i, j)`` (indexes into the two lists) that hold the same segment."""
    where: dict[Key, list[int]] = {}
    for j, u in enumerate(b_units):
        if u.key is not None and u.key[0] != "other":
            where.setdefault(u.key, []).append(j)
    return {(i, j) for i, u in enumerate(a_units) if u.key is not None for j in where.get(u.key, ())}


def _covered(unit: Unit, spans: Iterable[tuple[int, int]]) -> float:
    """The share of a unit's characters that the spans cover."""
    cut = sorted((max(s, unit.start), min(e, unit.end)) for s, e in spans)
    total, reach = 0, unit.start
    for s, e in cut:
        if e <= reach:
            continue
        total += e - max(s, reach)
        reach = e
    return total / max(1, unit.end - unit.start)


def linked_units(
    a_units: Sequence[Unit], b_units: Sequence[Unit], links: Iterable[tuple[int, int, int, int]]
) -> set[tuple[int, int]]:
    """The unit pairs ``(i, j)`` newstrace links: the links ``(a_start, a_end, b_start, b_end)``
    that overlap both units cover most of each (see the module doc). Units that are not scored
    (key None) are left out.

    >>> a = [Unit(0, 10, ("seg", "d", "1")), Unit(11, 20, ("seg", "d", "2"))]
    >>> b = [Unit(0, 8, ("seg", "d", "1")), Unit(9, 30, ("seg", "d", "2"))]
    >>> sorted(linked_units(a, b, [(0, 10, 0, 8), (11, 20, 9, 14)]))
    [(0, 0)]
    """
    touching: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
    for link in links:
        a0, a1, b0, b1 = link
        ia = [i for i, u in enumerate(a_units) if u.key is not None and u.start < a1 and a0 < u.end]
        jb = [j for j, u in enumerate(b_units) if u.key is not None and u.start < b1 and b0 < u.end]
        for i in ia:
            for j in jb:
                touching.setdefault((i, j), []).append(link)
    return {
        (i, j)
        for (i, j), ls in touching.items()
        if _covered(a_units[i], ((x[0], x[1]) for x in ls)) > MOST
        and _covered(b_units[j], ((x[2], x[3]) for x in ls)) > MOST
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


@dataclass(slots=True)
class AlignmentScores:
    """Sentence-alignment counts pooled over the translated pairs scored.

    Attributes:
        pairs: labelled translated pairs scored (newstrace verified them).
        unverified: labelled translated pairs newstrace never verified (not scored: this measures
            the alignment of the pairs it compared, not whether it found them).
        unscorable: pairs verified whose segments cannot be told apart in their texts.
        gold, linked, correct: gold unit links, unit pairs newstrace linked, and both.
    """

    pairs: int = 0
    unverified: int = 0
    unscorable: int = 0
    gold: int = 0
    linked: int = 0
    correct: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.correct, self.linked)

    @property
    def recall(self) -> float | None:
        return _ratio(self.correct, self.gold)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return round(2 * p * r / (p + r), 4)

    def add(
        self,
        a_units: Sequence[Unit],
        b_units: Sequence[Unit],
        links: Iterable[tuple[int, int, int, int]] | None,
    ) -> None:
        """Score one labelled pair: its two documents' units and newstrace's sentence links
        (A offsets, B offsets), None when newstrace did not verify the pair."""
        gold = gold_links(a_units, b_units)
        if not gold:
            self.unscorable += 1
            return
        if links is None:
            self.unverified += 1
            return
        got = linked_units(a_units, b_units, links)
        self.pairs += 1
        self.gold += len(gold)
        self.linked += len(got)
        self.correct += len(gold & got)

    def merge(self, other: AlignmentScores) -> None:
        """Pool another corpus's counts into these."""
        for k in self.__slots__:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def to_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs, "unverified": self.unverified, "unscorable": self.unscorable,
            "gold_links": self.gold, "linked": self.linked, "correct": self.correct,
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
        }  # fmt: skip
