"""Word-level diff of two short texts: what changed inside an aligned passage or a quotation.

:func:`word_diff` compares two texts token by token (words and punctuation marks, as
:func:`~newstrace.clean.text.tokenize` with ``punctuation=True`` cuts them) and returns typed
operations with character offsets into both texts. The operations tile both texts, in order,
so a renderer can mark insertions, deletions and substitutions in place on either side.

Matching is patience-style, so that its work stays bounded on long or repetitive passages:
the common prefix and suffix are taken first; a stretch whose tokens could be compared pair by
pair within ``max_cells`` goes to :class:`difflib.SequenceMatcher` (``autojunk`` off, so
frequent words are never junk); a longer one is cut at the tokens that occur exactly once on
each side (in the longest run that keeps their order), and each piece is compared the same
way. A long stretch with no such token is reported as one replacement.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from newstrace.align.lexical import STOPWORDS
from newstrace.clean.text import Token, tokenize
from newstrace.errors import ConfigError

__all__ = ["DiffTag", "WordOp", "diff_tokens", "word_diff"]

DiffTag = Literal["equal", "insert", "delete", "replace"]

MAX_CELLS = 40_000
"""Largest stretch (tokens of A times tokens of B) compared pair by pair: 200 x 200 tokens."""


@dataclass(frozen=True, slots=True)
class WordOp:
    """One operation of a word diff, with offsets into both texts.

    ``a[a_start:a_end]`` becomes ``b[b_start:b_end]``. ``equal``: the same tokens on both
    sides (see :func:`word_diff` for what "same" means); ``insert``: tokens only B has (A's
    side holds no token); ``delete``: tokens only A has; ``replace``: A's tokens become B's.
    A side that holds no token holds at most whitespace.
    """

    tag: DiffTag
    a_start: int
    a_end: int
    b_start: int
    b_end: int


def _keys(text: str, *, fold: bool) -> tuple[list[Token], list[str]]:
    """The tokens a diff compares and their comparison keys.

    Folded: words and marks only (whitespace is not compared), keyed by their ``norm``.
    Exact: whitespace runs are tokens too, so the tokens tile the text, keyed by their text.
    """
    toks = tokenize(text, punctuation=True)
    if fold:
        return toks, [t.norm for t in toks]
    tiled: list[Token] = []
    pos = 0
    for t in toks:
        if t.start > pos:
            tiled.append(Token(text[pos : t.start], pos, t.start))
        tiled.append(Token(text[t.start : t.end], t.start, t.end))
        pos = t.end
    if pos < len(text):
        tiled.append(Token(text[pos:], pos, len(text)))
    return tiled, [t.norm for t in tiled]


def _unique_anchors(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of tokens that occur once in ``a[alo:ahi]`` and once in ``b[blo:bhi]``,
    equal, in the longest run that keeps their order on both sides (patience sorting)."""
    count_a = Counter(a[alo:ahi])
    count_b = Counter(b[blo:bhi])
    where_b = {b[j]: j for j in range(blo, bhi) if count_b[b[j]] == 1}
    pairs = [
        (i, where_b[a[i]]) for i in range(alo, ahi) if count_a[a[i]] == 1 and a[i] in where_b
    ]
    if not pairs:
        return []
    # Longest increasing subsequence of the B positions, in A's order: O(n log n).
    tails: list[int] = []  # tails[k]: B position ending the best run of length k + 1
    tail_at: list[int] = []  # index into pairs of that ending
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        at = bisect.bisect_left(tails, j)
        if at == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[at] = j
            tail_at[at] = k
        back[k] = tail_at[at - 1] if at else -1
    run: list[tuple[int, int]] = []
    k = tail_at[-1]
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    return run[::-1]


def diff_tokens(
    a: Sequence[str], b: Sequence[str], *, max_cells: int = MAX_CELLS
) -> list[tuple[DiffTag, int, int, int, int]]:
    """Opcodes ``(tag, i1, i2, j1, j2)`` turning token sequence ``a`` into ``b``.

    The same form as :meth:`difflib.SequenceMatcher.get_opcodes` (they tile both sequences;
    ``equal`` runs hold equal tokens), computed with bounded work (see the module's docstring).

    >>> diff_tokens("the cat sat".split(), "the dog sat down".split())
    [('equal', 0, 1, 0, 1), ('replace', 1, 2, 1, 2), ('equal', 2, 3, 2, 3), ('insert', 3, 3, 3, 4)]
    """
    if max_cells < 1:
        raise ConfigError(f"max_cells must be >= 1; got {max_cells}")
    blocks: list[tuple[int, int, int]] = []  # matching runs (i, j, size)
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        k = 0
        while alo + k < ahi and blo + k < bhi and a[alo + k] == b[blo + k]:
            k += 1
        if k:
            blocks.append((alo, blo, k))
            alo, blo = alo + k, blo + k
        k = 0
        while ahi - k > alo and bhi - k > blo and a[ahi - k - 1] == b[bhi - k - 1]:
            k += 1
        if k:
            blocks.append((ahi - k, bhi - k, k))
            ahi, bhi = ahi - k, bhi - k
        if alo == ahi or blo == bhi:
            continue
        if (ahi - alo) * (bhi - blo) <= max_cells:
            sm = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            blocks.extend((alo + m.a, blo + m.b, m.size) for m in sm.get_matching_blocks() if m.size)
            continue
        anchors = _unique_anchors(a, b, alo, ahi, blo, bhi)
        if not anchors:
            continue  # too long to compare pair by pair, nothing to cut at: one replacement
        prev_i, prev_j = alo, blo
        for i, j in anchors:
            blocks.append((i, j, 1))
            stack.append((prev_i, i, prev_j, j))
            prev_i, prev_j = i + 1, j + 1
        stack.append((prev_i, ahi, prev_j, bhi))
    blocks.sort()
    ops: list[tuple[DiffTag, int, int, int, int]] = []
    i = j = 0
    for bi, bj, size in [*blocks, (len(a), len(b), 0)]:
        tag: DiffTag | None = None
        if i < bi and j < bj:
            tag = "replace"
        elif i < bi:
            tag = "delete"
        elif j < bj:
            tag = "insert"
        if tag:
            ops.append((tag, i, bi, j, bj))
        if size:
            if ops and ops[-1][0] == "equal":  # adjacent blocks (prefix, then a matcher's run)
                _, i1, _, j1, _ = ops.pop()
                ops.append(("equal", i1, bi + size, j1, bj + size))
            else:
                ops.append(("equal", bi, bi + size, bj, bj + size))
        i, j = bi + size, bj + size
    return ops


_SLIGHT_WORDS = STOPWORDS - {"no", "nor", "not"}
"""Function words that may join two changes; never a negation, which a reader must see kept."""


def _slight(keys: Sequence[str]) -> bool:
    """An equal run too slight to show between two changes: nothing, one mark, or one
    function word ("the", "of", ","): the changes read better as one."""
    solid = [k for k in keys if not k.isspace()]
    return len(solid) == 0 or (
        len(solid) == 1 and (not any(c.isalnum() for c in solid[0]) or solid[0] in _SLIGHT_WORDS)
    )


def _merge_slight(
    ops: list[tuple[DiffTag, int, int, int, int]], a_keys: Sequence[str]
) -> list[tuple[DiffTag, int, int, int, int]]:
    out: list[tuple[DiffTag, int, int, int, int]] = []
    for op in ops:
        if (
            op[0] != "equal"
            and len(out) >= 2
            and out[-1][0] == "equal"
            and out[-2][0] != "equal"
            and _slight(a_keys[out[-1][1] : out[-1][2]])
        ):
            out.pop()
            _, i1, _, j1, _ = out.pop()
            i2, j2 = op[2], op[4]
            tag: DiffTag = "replace" if i1 < i2 and j1 < j2 else "delete" if i1 < i2 else "insert"
            out.append((tag, i1, i2, j1, j2))
            continue
        out.append(op)
    return out


def _cut(tokens: Sequence[Token], k: int, length: int, to_next: bool) -> int:
    """The character offset between token ``k - 1`` and token ``k`` of a side. The whitespace
    there goes with the change beside it (``to_next``: the change after the cut), so that A's
    unchanged text and B's changes, joined, rebuild B with B's own spacing."""
    if to_next:
        return tokens[k - 1].end if k > 0 else 0
    return tokens[k].start if k < len(tokens) else length


def word_diff(a: str, b: str, *, fold: bool = True, max_cells: int = MAX_CELLS) -> list[WordOp]:
    """The word-level operations that turn text ``a`` into text ``b``, with offsets into both.

    Tokens are words and punctuation marks. With ``fold`` (the default, for reading) tokens
    compare after case folding, accent stripping and typographic quotes made ASCII ("We’ll"
    equals "we'll"), and whitespace is not compared: a line break against a space is no
    change. With ``fold=False`` every character counts, whitespace included, and the ``equal``
    operations are identical on both sides.

    The operations tile both texts in order: their ``a`` ranges, joined, give ``a``, their ``b``
    ranges ``b``; A's unchanged text and B's changes, joined, give B (exactly with
    ``fold=False``, word for word otherwise). The whitespace between a change and the unchanged
    text beside it belongs to the change (renderers trim it off their marks). A single mark or
    function word left unchanged between two changes is absorbed into one replacement. Work is
    bounded by ``max_cells`` per stretch (see the module's docstring).

    Args:
        a: the old text (the source's side).
        b: the new text (the derivative's side).
        fold: compare folded tokens and ignore whitespace (True), or compare exactly.
        max_cells: largest stretch compared pair by pair; must be >= 1.

    Example:
        >>> a, b = "We have never seen it rise this quickly.", "We’ve never seen it rise so fast!"
        >>> [(o.tag, a[o.a_start:o.a_end], b[o.b_start:o.b_end]) for o in word_diff(a, b)]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('replace', 'We have ', 'We’ve '), ('equal', 'never seen it rise', 'never seen it rise'),
         ('replace', ' this quickly.', ' so fast!')]
    """
    a_toks, a_keys = _keys(a, fold=fold)
    b_toks, b_keys = _keys(b, fold=fold)
    if not a_toks and not b_toks:
        return [WordOp("equal", 0, len(a), 0, len(b))] if a or b else []
    ops = _merge_slight(diff_tokens(a_keys, b_keys, max_cells=max_cells), a_keys)
    out: list[WordOp] = []
    a_pos = b_pos = 0
    for k, (_, _, i2, _, j2) in enumerate(ops):
        if k + 1 < len(ops):
            to_next = ops[k + 1][0] != "equal"
            a_end = _cut(a_toks, i2, len(a), to_next)
            b_end = _cut(b_toks, j2, len(b), to_next)
        else:
            a_end, b_end = len(a), len(b)
        out.append(WordOp(ops[k][0], a_pos, a_end, b_pos, b_end))
        a_pos, b_pos = a_end, b_end
    return out
