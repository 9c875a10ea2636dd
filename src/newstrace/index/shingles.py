"""Word shingles hashed to stable 64-bit integers (the same on every machine and process).

Each distinct word is hashed once with BLAKE2b (cached); a shingle's hash combines its words'
hashes with fixed odd multipliers in uint64 arithmetic, vectorised with numpy.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np

from newstrace.clean.text import words

_MULT = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
    dtype=np.uint64,
)  # fmt: skip


@lru_cache(maxsize=1 << 20)
def word_hash(word: str) -> int:
    """A stable 64-bit hash of one folded word."""
    return int.from_bytes(
        hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
    )


def shingle_hashes(text_or_words: str | list[str], k: int = 5) -> np.ndarray:
    """The distinct hashes of the word ``k``-shingles of a text (uint64, sorted).

    >>> a = shingle_hashes("the quick brown fox jumps over the lazy dog", k=3)
    >>> b = shingle_hashes("The quick, brown fox jumps over the lazy dog!", k=3)
    >>> bool((a == b).all()), len(a)
    (True, 7)
    """
    ws = words(text_or_words) if isinstance(text_or_words, str) else text_or_words
    if not 1 <= k <= len(_MULT):
        raise ValueError(f"k must be in 1..{len(_MULT)}; got {k}")
    if len(ws) < k:
        return np.zeros(0, dtype=np.uint64)
    h = np.fromiter((word_hash(w) for w in ws), dtype=np.uint64, count=len(ws))
    n = len(ws) - k + 1
    with np.errstate(over="ignore"):
        acc = h[:n] * _MULT[0]
        for i in range(1, k):
            acc = (acc ^ (acc >> np.uint64(29))) + h[i : i + n] * _MULT[i]
        acc ^= acc >> np.uint64(32)
    return np.unique(acc)


def form_words(ws: list[str]) -> list[str]:
    """Words with every figure made the same ("25 cts" and "12 cts" both "# cts"): the form of
    a text, which a templated report keeps while its facts change.

    >>> form_words(["qtly", "div", "25", "cts", "vs", "1987"])
    ['qtly', 'div', '#', 'cts', 'vs', '#']
    """
    return [w if w.isalpha() or not any(c.isdigit() for c in w) else "#" for w in ws]


def term_hashes(text_or_words: str | list[str], sample: int = 2) -> np.ndarray:
    """Hashes of a sample (1 in ``sample``, the same words everywhere) of a text's distinct
    content words: what survives a rewording (names, places, numbers, rare words).

    >>> len(term_hashes("the Mayor of Dresden said the Elbe rose", sample=1))  # mayor dresden elbe rose
    4
    """
    from newstrace.align.lexical import STOPWORDS

    ws = words(text_or_words) if isinstance(text_or_words, str) else text_or_words
    hs = np.fromiter(
        (word_hash(w) for w in set(ws) if len(w) > 2 and w not in STOPWORDS), dtype=np.uint64
    )
    if sample > 1 and len(hs):
        hs = hs[hs % np.uint64(sample) == 0]
    return np.unique(hs)


_TITLE_WORD = re.compile(r"\w[\w'’&.-]*", re.U)


def title_words(title: str | None) -> frozenset[str]:
    """The words of a title, lower-cased, figures and tickers included.

    >>> sorted(title_words("CHUBB CORP <CB> SETS QUARTERLY"))
    ['cb', 'chubb', 'corp', 'quarterly', 'sets']
    """
    return frozenset(w.lower().rstrip(".") for w in _TITLE_WORD.findall(title or ""))
