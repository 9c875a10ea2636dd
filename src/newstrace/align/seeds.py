"""Lexical seeding and extension: shared word n-grams chained into maximal passages.

Pure kernels over lists of folded words: no I/O, no state, easy to ship to Spark executors.
Time is linear in the number of seeds; n-grams that recur more than ``max_occurrences`` times in
either text (boilerplate, repetitive input) are not used as seeds, which bounds the work on
long or degenerate inputs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass


@dataclass(slots=True)
class Chain:
    """A run of seeds along (nearly) one diagonal: token ranges ``[a0, a1)`` and ``[b0, b1)``."""

    a0: int
    a1: int
    b0: int
    b1: int
    matched: int
    last_a: int
    last_b: int
    diag: int = 0


def ngram_index(words: list[str], n: int) -> dict[tuple[str, ...], list[int]]:
    """Positions of every word n-gram of ``words``."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in range(len(words) - n + 1):
        index[tuple(words[i : i + n])].append(i)
    return index


def find_seeds(
    a_words: list[str], b_words: list[str], *, n: int = 4, max_occurrences: int = 20
) -> list[tuple[int, int]]:
    """Every pair of positions ``(i, j)`` where A and B share a word n-gram, sorted by ``j``.

    >>> find_seeds("a b c d e".split(), "x a b c d".split(), n=3)
    [(0, 1), (1, 2)]
    """
    if len(a_words) < n or len(b_words) < n:
        return []
    a_index = ngram_index(a_words, n)
    seeds: list[tuple[int, int]] = []
    b_counts: dict[tuple[str, ...], int] = defaultdict(int)
    b_grams = [tuple(b_words[j : j + n]) for j in range(len(b_words) - n + 1)]
    for g in b_grams:
        b_counts[g] += 1
    for j, g in enumerate(b_grams):
        positions = a_index.get(g)
        if not positions or len(positions) > max_occurrences or b_counts[g] > max_occurrences:
            continue
        for i in positions:
            seeds.append((i, j))
    return seeds


def chain_seeds(
    seeds: list[tuple[int, int]], *, n: int = 4, max_gap: int = 10, max_shift: int = 6
) -> list[Chain]:
    """Chain seeds into passages, tolerating small edits.

    A seed joins the chain that ends closest before it (at most ``max_gap`` tokens in B) on a
    diagonal at most ``max_shift`` away (insertions and deletions of up to that many words).

    >>> [(c.a0, c.a1, c.b0, c.b1) for c in chain_seeds([(0, 0), (1, 1), (2, 2), (9, 9)], n=3, max_gap=3)]
    [(0, 5, 0, 5), (9, 12, 9, 12)]
    """
    chains: list[Chain] = []
    by_diag: dict[int, int] = {}
    for i, j in seeds:
        d = i - j
        best = -1
        best_cost = 1 << 30
        for dd in range(d - max_shift, d + max_shift + 1):
            k = by_diag.get(dd)
            if k is None:
                continue
            c = chains[k]
            gap_b = j - c.last_b
            gap_a = i - c.last_a
            if 0 < gap_b <= max_gap and 0 < gap_a <= max_gap + max_shift:
                cost = abs(dd - d) * 2 + gap_b
                if cost < best_cost:
                    best, best_cost = k, cost
        if best >= 0:
            c = chains[best]
            new_tokens = min(n, j + n - c.b1) if j + n > c.b1 else 0
            c.matched += max(0, new_tokens)
            c.a1 = max(c.a1, i + n)
            c.b1 = max(c.b1, j + n)
            c.last_a, c.last_b = i, j
            if c.diag != d and by_diag.get(c.diag) == best:
                del by_diag[c.diag]
            c.diag = d
            by_diag[d] = best
        else:
            chains.append(Chain(i, i + n, j, j + n, n, i, j, d))
            by_diag[d] = len(chains) - 1
    return chains
