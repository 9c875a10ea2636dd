"""Sentence-level lexical similarity: stemmed content words weighted by tf-idf.

Used to find which source sentence a reworded sentence came from, before (or instead of) the
semantic layer.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    said says say told according mr mrs ms one two also would could may might must shall
    it's he's she's that's there's they're we're i'm don't doesn't didn't can't won't""".split()
)

_SUFFIXES = ("ingly", "edly", "ings", "ing", "ied", "ies", "ed", "es", "ly", "s")


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """A light, deterministic suffix stripper (enough to match "meddling" with "meddled").

    >>> [stem(w) for w in ("meddling", "meddled", "relations", "agreed", "studies")]
    ['meddl', 'meddl', 'relation', 'agre', 'stud']
    """
    if word.endswith("'s"):
        word = word[:-2]
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            return word[: -len(suf)]
    return word


def content_stems(words: Sequence[str]) -> list[str]:
    """Stems of the words that carry content (stopwords and one-letter tokens dropped)."""
    return [stem(w) for w in words if w not in STOPWORDS and len(w) > 1]


class TfidfSpace:
    """tf-idf vectors of a set of sentences, with idf from the sentences themselves.

    Example:
        >>> space = TfidfSpace([["putin", "met", "trump"], ["floods", "hit", "town"]])
        >>> round(space.cosine(space.vector(["trump", "met", "putin"]), space.vectors[0]), 2)
        1.0
    """

    def __init__(self, sentences: Sequence[Sequence[str]]) -> None:
        df: Counter[str] = Counter()
        for stems in sentences:
            df.update(set(stems))
        n = max(1, len(sentences))
        self.idf = {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}
        self.default_idf = math.log(n + 1) + 1.0
        self.vectors = [self.vector(s) for s in sentences]

    def vector(self, stems: Sequence[str]) -> dict[str, float]:
        tf = Counter(stems)
        vec = {t: (1 + math.log(c)) * self.idf.get(t, self.default_idf) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    @staticmethod
    def cosine(u: dict[str, float], v: dict[str, float]) -> float:
        if len(u) > len(v):
            u, v = v, u
        return sum(w * v.get(t, 0.0) for t, w in u.items())


def top_candidates(
    queries: Sequence[dict[str, float]],
    targets: Sequence[dict[str, float]],
    *,
    k: int = 5,
    max_postings: int = 200,
) -> list[list[tuple[int, float]]]:
    """For each query vector, the ``k`` target vectors with the highest cosine (> 0), best first.

    An inverted index over the targets keeps this near-linear: only targets sharing a term are
    scored, and terms found in more than ``max_postings`` targets are skipped as uninformative.
    """
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for idx, vec in enumerate(targets):
        for t, w in vec.items():
            postings[t].append((idx, w))
    out: list[list[tuple[int, float]]] = []
    for q in queries:
        scores: dict[int, float] = defaultdict(float)
        for t, w in q.items():
            plist = postings.get(t)
            if not plist or len(plist) > max_postings:
                continue
            for idx, tw in plist:
                scores[idx] += w * tw
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        out.append(best)
    return out
