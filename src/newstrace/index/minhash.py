"""MinHash by one-permutation hashing with optimal densification, and banded LSH.

One-permutation hashing (Li, Owen & Zhang, NIPS 2012) hashes each shingle once and keeps the
minimum per bin, so a signature costs O(n) instead of O(n * num_perm); empty bins are filled by
optimal densification (Shrivastava, ICML 2017). The estimator of Jaccard similarity is the
share of equal bins, as for classic MinHash. Pure numpy, no state: fit for Spark executors.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np

from newstrace.clean.pages import FLASH_HOURS

_EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray, seed: int) -> np.ndarray:
    """A stable 64-bit mixer (splitmix64 finaliser) of ``x`` with ``seed``."""
    with np.errstate(over="ignore"):
        z = x + np.uint64(seed) * _MIX
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


@lru_cache(maxsize=8)
def _probe_table(num_perm: int, attempts: int = 256) -> np.ndarray:
    """For each bin, the bins an empty bin borrows from, in order (the same for every set)."""
    b = np.arange(num_perm, dtype=np.uint64)[:, None] * np.uint64(1_000_003)
    t = np.arange(attempts, dtype=np.uint64)[None, :]
    return (_mix(b + t, 7) % np.uint64(num_perm)).astype(np.int64)


def _densify(sig: np.ndarray) -> np.ndarray:
    """Optimal densification of signatures (rows) with empty bins, vectorised."""
    num_perm = sig.shape[1]
    probes = _probe_table(num_perm)
    filled = sig != _EMPTY
    out = sig.copy()
    for i in np.flatnonzero((~filled).any(axis=1) & filled.any(axis=1)):
        ok = filled[i][probes]  # (num_perm, attempts): is the probed bin filled?
        first = ok.argmax(axis=1)
        src = probes[np.arange(num_perm), first]
        empty = ~filled[i]
        out[i, empty] = sig[i, src[empty]]
    return out


def signature(hashes: np.ndarray, num_perm: int = 128) -> np.ndarray:
    """The MinHash signature (uint32, ``num_perm`` values) of a set of 64-bit shingle hashes.

    Equal sets give equal signatures; an empty set gives all ``0xFFFFFFFF``.

    >>> from newstrace.index.shingles import shingle_hashes
    >>> s = shingle_hashes("a b c d e f g h i j k l m n o p", k=3)
    >>> bool((signature(s) == signature(s.copy())).all())
    True
    """
    out: np.ndarray = signatures([hashes], num_perm)[0]
    return out


def signatures(hash_sets: Sequence[np.ndarray], num_perm: int = 128) -> np.ndarray:
    """Signatures of many sets at once (one vectorised pass; same values as :func:`signature`).

    >>> from newstrace.index.shingles import shingle_hashes
    >>> sets = [shingle_hashes("a b c d e f g h i j k l m n o p q r", k=3), shingle_hashes("x y z w", k=2)]
    >>> bool((signatures(sets)[0] == signatures(sets[:1])[0]).all())
    True
    """
    n = len(hash_sets)
    out = np.full(n * num_perm, _EMPTY, dtype=np.uint64)
    lengths = np.fromiter((len(h) for h in hash_sets), dtype=np.int64, count=n)
    if lengths.sum():
        allh = _mix(np.concatenate([h.astype(np.uint64, copy=False) for h in hash_sets]), 1)
        owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
        bins = (allh % np.uint64(num_perm)).astype(np.int64)
        vals = allh // np.uint64(num_perm)
        flat = owner * num_perm + bins
        # Minimum per (document, bin): sort by value descending, then the last write wins.
        order = np.argsort(vals, kind="stable")[::-1]
        out[flat[order]] = vals[order]
    sig = _densify(out.reshape(n, num_perm))
    return (sig & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def jaccard_estimate(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal signature values: an unbiased estimate of the Jaccard similarity."""
    return float(np.mean(a == b))


def optimal_bands(threshold: float, num_perm: int, *, fn_weight: float = 0.6) -> tuple[int, int]:
    """Bands and rows per band minimising the weighted area of false positives and false
    negatives of the S-curve ``1 - (1 - s^r)^b`` around ``threshold`` (datasketch's criterion).
    Missed pairs weigh a little more than extra ones (``fn_weight``): every candidate is
    verified by the aligner, so an extra one costs time, a missed one costs recall."""
    best = (1, num_perm)
    best_err = float("inf")
    grid = np.linspace(0, 1, 201)
    for b in range(1, num_perm + 1):
        r = num_perm // b
        if r < 1:
            continue
        p = 1 - (1 - grid**r) ** b
        fp = float(np.trapezoid(p[grid < threshold], grid[grid < threshold]))
        fn = float(np.trapezoid(1 - p[grid >= threshold], grid[grid >= threshold]))
        err = (1 - fn_weight) * fp + fn_weight * fn
        if err < best_err:
            best, best_err = (b, r), err
    return best


def lsh_candidates(
    signatures: np.ndarray,
    *,
    bands: int,
    rows: int,
    max_bucket: int = 50,
) -> tuple[set[tuple[int, int]], int]:
    """Pairs of rows of ``signatures`` (shape ``(n, num_perm)``) that share an LSH band.

    Buckets holding more than ``max_bucket`` documents are text shared by many (boilerplate,
    stock phrases), not reuse; they are skipped and counted.

    Returns:
        The candidate pairs ``(i, j)`` with ``i < j``, and the number of skipped buckets.
    """
    n = signatures.shape[0]
    pairs: set[tuple[int, int]] = set()
    skipped = 0
    for band in range(bands):
        block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        cuts = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
        starts = np.concatenate(([0], cuts))
        ends = np.concatenate((cuts, [n]))
        sizes = ends - starts
        for s, e in zip(starts[sizes > 1], ends[sizes > 1], strict=True):
            if e - s > max_bucket:
                skipped += 1
                continue
            members = np.sort(order[s:e]).tolist()
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    pairs.add((members[x], members[y]))
    return pairs, skipped


def _groups(values: Sequence[np.ndarray], max_df: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The documents holding each distinct value held by 2..``max_df`` documents.

    Sort-based (numpy): returns ``owner`` (document numbers ordered by value, then document) and
    the ``starts`` and ``sizes`` of the kept values' runs in it. Memory is a few flat arrays.
    """
    lengths = np.fromiter((len(v) for v in values), dtype=np.int64, count=len(values))
    none = np.zeros(0, dtype=np.int64)
    if lengths.sum() == 0:
        return none, none, none
    flat = np.concatenate([np.asarray(v, dtype=np.uint64) for v in values])
    owner = np.repeat(np.arange(len(values), dtype=np.int64), lengths)
    order = np.lexsort((owner, flat))
    flat, owner = flat[order], owner[order]
    del order
    cuts = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    del flat
    starts = np.concatenate(([0], cuts))
    sizes = np.diff(np.concatenate((starts, [len(owner)])))
    keep = (sizes >= 2) & (sizes <= max_df)
    return owner, starts[keep], sizes[keep]


class _PairCounts:
    """How many values each pair of documents shares, accumulated as (code, count) arrays
    (code = ``i * n + j``, ``i < j``) and compacted as they grow: 16 bytes a pair, not a dict entry."""

    def __init__(self, n: int, compact_at: int = 1 << 24) -> None:
        self.n = n
        self.compact_at = compact_at
        self.codes: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        self.weights: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        self.pending = 0

    def add(self, i: np.ndarray, j: np.ndarray) -> None:
        codes = i.astype(np.int64) * self.n + j
        self.codes.append(codes.ravel())
        self.weights.append(np.ones(codes.size, dtype=np.int64))
        self.pending += codes.size
        if self.pending >= self.compact_at:
            self._compact()

    def _compact(self) -> None:
        codes, weights = np.concatenate(self.codes), np.concatenate(self.weights)
        uniq, inverse = np.unique(codes, return_inverse=True)
        self.codes = [uniq]
        self.weights = [np.bincount(inverse, weights=weights, minlength=len(uniq)).astype(np.int64)]
        self.pending = 0

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The pairs' first and second documents and their counts (sorted by pair)."""
        self._compact()
        codes, counts = self.codes[0], self.weights[0]
        return codes // self.n, codes % self.n, counts


def _count_pairs(
    values: Sequence[np.ndarray],
    max_df: int,
    groups: np.ndarray | None = None,
    group_max_df: int = 4,
    batch: int = 1 << 22,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of documents sharing a value held by 2..``max_df`` documents, with how many
    such values they share. With ``groups`` (a non-negative group code per document, -1 for
    none), a value does not count for two documents of one group when more than
    ``group_max_df`` of the documents holding it are of that group.

    Vectorised per run length: the runs of ``s`` documents form a matrix whose ``s(s-1)/2``
    column pairs are the document pairs, so no Python loop runs per pair or per value.
    """
    owner, starts, sizes = _groups(values, max_df)
    counter = _PairCounts(len(values))
    for s in np.unique(sizes).tolist():
        iu, ju = np.triu_indices(s, 1)
        runs = starts[sizes == s]
        step = max(1, batch // len(iu))
        for k in range(0, len(runs), step):
            docs = owner[runs[k : k + step, None] + np.arange(s)]  # rows sorted by document
            i, j = docs[:, iu], docs[:, ju]
            if groups is not None:
                g = groups[docs]
                crowd = (g[:, :, None] == g[:, None, :]).sum(axis=2)  # same-group documents
                skip = (g[:, iu] == g[:, ju]) & (g[:, iu] >= 0) & (crowd[:, iu] > group_max_df)
                i, j = i[~skip], j[~skip]
            counter.add(i, j)
    return counter.result()


def group_sizes(values: Sequence[np.ndarray], max_df: int) -> np.ndarray:
    """Per document, how many of its values are held by at most ``max_df`` documents."""
    lengths = np.fromiter((len(v) for v in values), dtype=np.int64, count=len(values))
    out = np.zeros(len(values), dtype=np.int64)
    if lengths.sum() == 0:
        return out
    flat = np.concatenate([np.asarray(v, dtype=np.uint64) for v in values])
    owner = np.repeat(np.arange(len(values), dtype=np.int64), lengths)
    _, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    ok = counts[inverse] <= max_df
    np.add.at(out, owner[ok], 1)
    return out


def fingerprint_candidates(
    fingerprints: Sequence[np.ndarray],
    *,
    min_shared: int = 3,
    max_df: int = 50,
    groups: Sequence[str | None] | None = None,
    group_max_df: int = 4,
) -> dict[tuple[int, int], int]:
    """Pairs of documents sharing at least ``min_shared`` sampled shingle fingerprints
    (containment-style candidates: a short copied passage in a long article shows up here
    while its whole-document Jaccard similarity stays low).

    Fingerprints held by more than ``max_df`` documents are skipped, and so are, for pairs in the
    same group (outlet), fingerprints that more than ``group_max_df`` of that group's documents
    hold: an outlet's recurring text is boilerplate, not reuse.
    """
    codes = None
    if groups is not None:
        index: dict[str, int] = {}
        codes = np.fromiter(
            (-1 if g is None else index.setdefault(g, len(index)) for g in groups),
            dtype=np.int64,
            count=len(groups),
        )
    i, j, c = _count_pairs(fingerprints, max_df, codes, group_max_df)
    keep = c >= min_shared
    return dict(
        zip(zip(i[keep].tolist(), j[keep].tolist(), strict=True), c[keep].tolist(), strict=True)
    )


def sample_fingerprints(hashes: np.ndarray, modulus: int = 8) -> np.ndarray:
    """The shingle hashes kept by mod-``modulus`` sampling (Broder): the same shingles are kept
    in every document, so shared passages share fingerprints."""
    if len(hashes) == 0:
        return hashes
    kept: np.ndarray = hashes[_mix(hashes, 3) % np.uint64(modulus) == 0]
    return kept


def term_candidates(
    terms: Sequence[np.ndarray], *, max_df: int = 50, min_shared: int = 8, min_share: float = 0.3
) -> set[tuple[int, int]]:
    """Pairs of documents sharing many rare content words (a rewording keeps names, places,
    numbers): at least ``min_shared`` words held by at most ``max_df`` documents, and at least
    ``min_share`` of the rarer-vocabulary document's such words."""
    rare_count = group_sizes(terms, max_df)
    i, j, c = _count_pairs(terms, max_df)
    keep = (c >= min_shared) & (c >= min_share * np.minimum(rare_count[i], rare_count[j]))
    return set(zip(i[keep].tolist(), j[keep].tolist(), strict=True))


def title_candidates(
    titles: Sequence[frozenset[str]],
    sizes: Sequence[int],
    *,
    max_df: int = 3,
    max_size: int = 1200,
    min_shared: int = 2,
) -> set[tuple[int, int]]:
    """Pairs of short items whose titles share words that few titles hold: the subject's name
    (a company's, and its ticker). An item sent again in other words ("Shr" for "Qtly div",
    "obtained a five mln dlr line of revolving credit" for "received a commitment for a five mln
    dlr revolving credit line") keeps its subject in its title, and in a text of a few dozen
    words may share no shingle with its first version. Words (figures aside) held by 2 to
    ``max_df`` of the titles count, ``min_shared`` of them a pair (one alone is as often a word
    of two notices of one kind, "NASDAQ", "PREFERRED OFFERED"); both items are ``max_size``
    characters or fewer (``sizes``), so a long story's pairs are left to the other generators.

    >>> t = [frozenset({"chubb", "corp", "sets", "quarterly"}), frozenset({"chubb", "corp", "payout"}),
    ...      frozenset({"erie", "sets", "quarterly"}), frozenset({"chubb", "corp", "results"}),
    ...      *[frozenset({"sets", "quarterly", f"co{k}"}) for k in range(5)]]
    >>> sorted(title_candidates(t, [200, 250, 200, 5000, *[200] * 5]))
    [(0, 1)]
    """
    df: Counter[str] = Counter(w for t in titles for w in t if not w.isdigit())
    holders: defaultdict[str, list[int]] = defaultdict(list)
    for i, (t, n) in enumerate(zip(titles, sizes, strict=True)):
        if n <= max_size:
            for w in t:
                if 2 <= df.get(w, 0) <= max_df:
                    holders[w].append(i)
    shared = Counter((x, y) for ids in holders.values() for k, x in enumerate(ids) for y in ids[k + 1 :])
    return {pair for pair, n in shared.items() if n >= min_shared}


def flash_partner(
    flash_terms: Collection[int], flash_time: datetime | None, terms: Collection[int], time: datetime | None
) -> bool:
    """Whether a document may hold the news of a headline flash
    (:func:`~newstrace.clean.pages.is_headline_flash`): both have a time of day, at most
    :data:`~newstrace.clean.pages.FLASH_HOURS` apart, and the document holds half the flash's
    sampled content words (:func:`~newstrace.index.shingles.term_hashes`) or more. A story words
    its flash's news otherwise ("U.S. JAN FACTORY ORDERS FELL 4.0 PCT", "New orders for
    manufactured goods fell ... 4.0 pct, in January"): no shingle need be shared; ``compare``
    decides on the flash's figures and names (:func:`newstrace.analyze.evidence.held_flash`).

    >>> from datetime import UTC
    >>> t = datetime(1987, 10, 20, 15, 28, tzinfo=UTC)
    >>> flash_partner({1, 2, 3, 4}, t, {1, 2, 9}, t + timedelta(minutes=10))
    True
    >>> flash_partner({1, 2, 3, 4}, t, {1, 2, 9}, t + timedelta(hours=3))
    False
    """
    if flash_time is None or time is None or abs(time - flash_time) > timedelta(hours=FLASH_HOURS):
        return False
    if not flash_terms:
        return True
    own = set(terms.tolist() if isinstance(terms, np.ndarray) else terms)
    held = sum(1 for h in flash_terms if h in own)
    return 2 * held >= len(flash_terms)


def flash_candidates(
    flashes: Sequence[int], times: Sequence[datetime | None], terms: Sequence[Collection[int]]
) -> set[tuple[int, int]]:
    """Pairs of a headline flash (index in ``flashes``) and a document that may hold its news
    (:func:`flash_partner`), each pair ``(i, j)`` with ``i < j``. Only the documents published
    within :data:`~newstrace.clean.pages.FLASH_HOURS` of a flash are looked at.

    >>> from datetime import UTC
    >>> t = datetime(1987, 10, 20, 15, 28, tzinfo=UTC)
    >>> sorted(flash_candidates([2], [t, None, t + timedelta(minutes=9), t - timedelta(days=1)],
    ...                         [{1, 2}, {1, 2}, {1, 2}, {1, 2}]))
    [(0, 2)]
    """
    dated = sorted((t, i) for i, t in enumerate(times) if t is not None)
    moments = [t for t, _ in dated]
    reach = timedelta(hours=FLASH_HOURS)
    out: set[tuple[int, int]] = set()
    for f in flashes:
        tf = times[f]
        if tf is None:
            continue
        for _, j in dated[bisect_left(moments, tf - reach) : bisect_right(moments, tf + reach)]:
            if j != f and flash_partner(terms[f], tf, terms[j], times[j]):
                out.add((min(f, j), max(f, j)))
    return out
