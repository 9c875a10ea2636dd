"""Shared by the labelling tools: read a corpus file as records, find shared word runs.

Independent of newstrace's own cleaning and indexing on purpose: the pairs it proposes and the
runs it shows are what the raw corpus holds, so labels do not inherit newstrace's blind spots.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

REUSE = {"copy", "excerpt"}
"""The label categories that count as reuse (``LABELLING.md``)."""
REPORTED = {"duplicate", "derived", "partial"}
"""newstrace's relations that report reuse, as a store or an audit row gives them."""

_WORD = re.compile(r"\w+", re.U)


@dataclass(frozen=True)
class Record:
    id: str
    outlet: str
    title: str
    date: str
    text: str
    url: str = ""


def _open_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8-sig")


def read_corpus(path: str | Path, mapping: dict[str, str] | None = None) -> list[Record]:
    """Records of a JSONL(.gz) or CSV corpus, with newstrace's field names (``--map`` style)."""
    path = Path(path)
    m = {"id": "id", "outlet": "outlet", "title": "title", "date": "date", "text": "text",
         "url": "url", **(mapping or {})}  # fmt: skip
    text = _open_text(path)
    rows: Iterator[dict[str, str]]
    if ".csv" in path.suffixes:
        rows = csv.DictReader(io.StringIO(text, newline=""))
    else:
        rows = (json.loads(line) for line in text.splitlines() if line.strip())
    out = []
    for r in rows:
        out.append(
            Record(
                str(r.get(m["id"]) or ""),
                str(r.get(m["outlet"]) or ""),
                str(r.get(m["title"]) or ""),
                str(r.get(m["date"]) or ""),
                str(r.get(m["text"]) or ""),
                str(r.get(m["url"]) or ""),
            )
        )
    return out


def word_spans(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class Run:
    """A maximal run of >= n words shared by two texts: word offsets and char offsets."""

    a_word: int
    b_word: int
    words: int
    a_start: int
    a_end: int
    b_start: int
    b_end: int


def shared_runs(a: list[tuple[str, int, int]], b: list[tuple[str, int, int]], n: int = 8) -> list[Run]:
    """Maximal runs of at least ``n`` words that ``a`` and ``b`` share (diagonal extension)."""
    aw = [w for w, _, _ in a]
    bw = [w for w, _, _ in b]
    pos: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in range(len(aw) - n + 1):
        pos[tuple(aw[i : i + n])].append(i)
    runs: list[Run] = []
    active: dict[int, int] = {}  # diagonal (i - j) -> start j of the run ending at previous j
    for j in range(len(bw) - n + 1):
        hits = pos.get(tuple(bw[j : j + n]), [])[:50]
        nxt: dict[int, int] = {}
        for i in hits:
            d = i - j
            nxt[d] = active.get(d, j)
        for d, j0 in active.items():
            if d not in nxt:
                runs.append(_run(a, b, d + j0, j0, j - j0 + n - 1))
        active = nxt
    end = len(bw) - n + 1
    for d, j0 in active.items():
        runs.append(_run(a, b, d + j0, j0, end - j0 + n - 1))
    runs.sort(key=lambda r: (r.b_word, r.a_word))
    # Keep one run per B position (repeats in A give several diagonals for one B run).
    kept: list[Run] = []
    taken_b: set[int] = set()
    for r in sorted(runs, key=lambda r: -r.words):
        span = set(range(r.b_word, r.b_word + r.words))
        if len(span & taken_b) > r.words // 2:
            continue
        taken_b |= span
        kept.append(r)
    return sorted(kept, key=lambda r: r.b_word)


def _run(a: list[tuple[str, int, int]], b: list[tuple[str, int, int]], i: int, j: int, k: int) -> Run:
    return Run(i, j, k, a[i][1], a[i + k - 1][2], b[j][1], b[j + k - 1][2])


def grams(words: list[str], n: int = 8) -> set[int]:
    return {hash(tuple(words[i : i + n])) for i in range(len(words) - n + 1)}
