"""Approximate nearest neighbours of unit vectors: random-hyperplane LSH (Charikar's SimHash).

Each table draws ``bits`` random hyperplanes; a vector's key in the table is the side of each
hyperplane it lies on. Two vectors at angle θ agree on one bit with probability 1 - θ/π, so
close vectors share keys far more often than distant ones. Candidates are the vectors that
share a key in some table, or whose keys differ in one bit (multi-probe: it buys the recall of
many more tables for the price of ``bits`` lookups), and each candidate is then scored by its
exact cosine. With the defaults (12 bits, 16 tables, one-bit probes) two vectors at cosine 0.6
meet with probability about 0.8, at 0.7 about 0.93, at 0.8 above 0.99.

Buckets of more than :data:`MAX_BUCKET` vectors are a dense region of the space, not
neighbours: they are skipped, both as buckets and as neighbours of others (so a Spark job that
gathers a bucket's members gives up past the cap, as it does for MinHash bands).

Everything here is a pure function of arrays, deterministic for a given seed and independent of
which other rows a call holds, so that the Spark job computes the same candidates: keys per
partition (:func:`lsh_keys`), buckets and their neighbours (:func:`probe_targets`) grouped by
table and key, the pairs of each partition's buckets (:func:`pairs_in_buckets`, the rule
:func:`bucket_pairs` applies to a whole table), cosines (:func:`cosines`) and the best per
pair of documents (:func:`best_by_owner`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "EXACT_ROW_PAIRS", "MAX_BUCKET", "ann_pairs", "best_by_owner", "bucket_pairs", "close_across",
    "cosines", "exact_across_affordable", "hyperplanes", "lsh_keys", "pairs_across_groups",
    "pairs_in_buckets", "probe_targets",
]

MAX_BUCKET = 200
"""Buckets of more rows than this are skipped (a dense region of the space, not neighbours)."""

EXACT_ROW_PAIRS = 10_000_000_000
"""Pairs of rows up to which pairs across groups are searched exactly (:func:`pairs_across_groups`)
rather than through the index: every row outside the largest group against every row of the
other groups (8.5 x 10^7 row pairs a second on these 2 cores, so two minutes at most: 4,000
vectors not in the main language among 2 million, 100k articles, would take about 90 s, where
the index, its 12-bit tables' buckets past the cap, would skip most of them). On the 2,230-article
benchmark (37,989 vectors, 230 documents not in English) the exact search found all 839
cross-language pairs at 0.6 in 1.7 s, where the index (12 bits, 16 tables) found 585 in 24 s."""


def hyperplanes(dim: int, *, bits: int = 12, tables: int = 16, seed: int = 17) -> np.ndarray:
    """``tables * bits`` random Gaussian hyperplane normals, shape ``(tables, bits, dim)``.

    >>> hyperplanes(4, bits=3, tables=2).shape
    (2, 3, 4)
    """
    if not 1 <= bits <= 62:
        raise ValueError(f"bits must be in 1..62; got {bits}")
    if tables < 1:
        raise ValueError(f"tables must be >= 1; got {tables}")
    rng = np.random.default_rng(seed)
    return rng.standard_normal((tables, bits, dim)).astype(np.float32)


def lsh_keys(vectors: np.ndarray, planes: np.ndarray) -> np.ndarray:
    """Each vector's key in each table: the bits of the hyperplanes it lies above, packed into
    an int64, shape ``(n, tables)``. (Projected in float64: a vector's key is the same whatever
    rows it is computed with, here or on a Spark executor.)

    >>> planes = hyperplanes(3, bits=4, tables=2)
    >>> v = np.array([[1.0, 0.0, 0.0], [1.0, 0.01, 0.0]], dtype=np.float32)
    >>> k = lsh_keys(v, planes); bool((k[0] == k[1]).all())
    True
    """
    tables, bits, dim = planes.shape
    if len(vectors) == 0:
        return np.zeros((0, tables), dtype=np.int64)
    side = (vectors.astype(np.float64) @ planes.reshape(-1, dim).astype(np.float64).T) > 0
    weights = np.int64(1) << np.arange(bits, dtype=np.int64)
    keys: np.ndarray = (side.reshape(len(vectors), tables, bits).astype(np.int64) * weights).sum(axis=2)
    return keys


def probe_targets(key: int, bits: int) -> list[int]:
    """The buckets a bucket is probed from: its key with one more bit set. Each pair of
    buckets one bit apart meets once, in the upper one.

    >>> probe_targets(0b101, 3)
    [7]
    """
    return [key | (1 << b) for b in range(bits) if not key >> b & 1]


def pairs_in_buckets(bucket: np.ndarray, lower: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs a set of whole buckets makes, as positions ``(i, j)`` into the entry arrays:
    every two members of a bucket, and every member with every entry of a bucket one bit
    below it (``lower``: the entry is such a neighbour, sent by :func:`probe_targets`).

    The one rule of the index, shared: :func:`bucket_pairs` applies it to a whole table at
    once, the Spark job to the buckets each of its partitions holds (any set of whole buckets
    gives the same pairs).

    >>> i, j = pairs_in_buckets(np.array([4, 4, 4, 9]), np.array([False, False, True, True]))
    >>> sorted(zip(i.tolist(), j.tolist()))
    [(0, 1), (0, 2), (1, 2)]
    """
    empty = np.zeros(0, np.int64), np.zeros(0, np.int64)
    if len(bucket) < 2:
        return empty
    lower = np.asarray(lower, dtype=bool)
    order = np.lexsort((lower, bucket))  # by bucket, its members before its neighbours
    b, low = bucket[order], lower[order]
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])
    own = np.add.reduceat((~low).astype(np.int64), starts)
    out_i: list[np.ndarray] = []
    out_j: list[np.ndarray] = []
    for n in np.unique(own[own >= 2]):  # members with members
        firsts = starts[own == n]
        iu, ju = np.triu_indices(int(n), k=1)
        out_i.append((firsts[:, None] + iu[None, :]).ravel())
        out_j.append((firsts[:, None] + ju[None, :]).ravel())
    low_pos = np.flatnonzero(low)  # each neighbour with every member of its bucket
    g = np.searchsorted(starts, low_pos, side="right") - 1
    n_own = own[g]
    out_i.append(np.repeat(starts[g], n_own) + np.arange(int(n_own.sum())) - np.repeat(np.cumsum(n_own) - n_own, n_own))
    out_j.append(np.repeat(low_pos, n_own))
    i, j = np.concatenate(out_i), np.concatenate(out_j)
    return order[i], order[j]


def sorted_unique(codes: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, sorted: ``np.unique`` by a sort (numpy 2's
    hash-based ``np.unique`` of integers was several times slower on tens of millions).

    >>> sorted_unique(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    if len(codes) == 0:
        return codes
    out = np.sort(codes, kind="stable")
    keep = np.empty(len(out), dtype=bool)
    keep[0] = True
    np.not_equal(out[1:], out[:-1], out=keep[1:])
    return out[keep]


def _bucket_codes(
    keys: np.ndarray,
    *,
    bits: int,
    probes: bool = True,
    max_bucket: int = MAX_BUCKET,
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> tuple[np.ndarray, int]:
    """:func:`bucket_pairs`, each pair as its code ``i * len(keys) + j``, sorted."""
    found: list[np.ndarray] = []
    skipped = 0
    n = np.int64(max(len(keys), 1))
    rows = np.arange(len(keys), dtype=np.int64)
    for t in range(keys.shape[1]):
        col = keys[:, t]
        _, inverse, counts = np.unique(col, return_inverse=True, return_counts=True)
        alive = counts[inverse] <= max_bucket
        skipped += int((counts > max_bucket).sum())
        member_keys, member_rows = col[alive], rows[alive]
        bucket, entry, lower = [member_keys], [member_rows], [np.zeros(len(member_rows), dtype=bool)]
        if probes:
            for b in range(bits):
                below = (member_keys >> b & 1) == 0
                bucket.append(member_keys[below] | (np.int64(1) << b))
                entry.append(member_rows[below])
                lower.append(np.ones(int(below.sum()), dtype=bool))
        ent = np.concatenate(entry)
        i, j = pairs_in_buckets(np.concatenate(bucket), np.concatenate(lower))
        a, b = ent[i], ent[j]
        keep_ = a != b
        a, b = np.minimum(a[keep_], b[keep_]), np.maximum(a[keep_], b[keep_])
        if keep is not None:
            wanted = keep(a, b)
            a, b = a[wanted], b[wanted]
        # One int64 code a pair (row i, row j), deduplicated per table and merged into the
        # pairs so far: a sort of integers, not of rows (np.unique(axis=0) took minutes on 45M).
        found = [sorted_unique(np.concatenate([*found, a * n + b]))]
    return (found[0] if found else np.zeros(0, dtype=np.int64)), skipped


def bucket_pairs(
    keys: np.ndarray,
    *,
    bits: int,
    probes: bool = True,
    max_bucket: int = MAX_BUCKET,
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> tuple[np.ndarray, int]:
    """Candidate pairs of rows ``(i, j)``, ``i < j``, unique: rows that share a key in some
    table of ``keys`` (:func:`lsh_keys`), or whose keys differ in one bit when ``probes``.
    Buckets of more than ``max_bucket`` rows are skipped, as members and as neighbours
    (counted in the second value). ``keep(i, j)``, when given, says which pairs of row arrays
    to keep; it is applied table by table, so pairs it drops never take memory together.

    >>> keys = np.array([[5], [5], [4], [9]], dtype=np.int64)
    >>> bucket_pairs(keys, bits=4)[0].tolist()
    [[0, 1], [0, 2], [1, 2]]
    """
    codes, skipped = _bucket_codes(keys, bits=bits, probes=probes, max_bucket=max_bucket, keep=keep)
    n = np.int64(max(len(keys), 1))
    return np.stack([codes // n, codes % n], axis=1).astype(np.int64), skipped


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cosines of unit vectors, in float64 (so that a pair's cosine is the same bits
    whatever other pairs it is computed with).

    >>> cosines(np.array([[1.0, 0.0]]), np.array([[0.6, 0.8]])).tolist()
    [0.6]
    """
    out: np.ndarray = np.einsum("nd,nd->n", a, b, dtype=np.float64)
    return out


def best_by_owner(
    owner_i: Sequence[Any], owner_j: Sequence[Any], cos: np.ndarray, min_cosine: float
) -> dict[tuple[Any, Any], float]:
    """The best cosine (4 decimals) of each pair of distinct owners with vectors at
    ``min_cosine`` or closer: ``{(owner_a, owner_b): cosine}``, ``owner_a < owner_b``.

    >>> best_by_owner([1, 1, 2], [0, 0, 2], np.array([0.91, 0.95, 1.0]), 0.9)
    {(0, 1): 0.95}
    """
    if not len(owner_i) == len(owner_j) == len(cos):
        raise ValueError("owner_i, owner_j and cos must be as long")
    out: dict[tuple[Any, Any], float] = {}
    for k in np.flatnonzero(cos >= min_cosine).tolist():
        a, b, c = owner_i[k], owner_j[k], float(cos[k])
        if a == b:
            continue
        key = (a, b) if a < b else (b, a)
        c = round(c, 4)
        if c > out.get(key, -2.0):
            out[key] = c
    return out


def ann_pairs(
    vectors: np.ndarray,
    owners: np.ndarray,
    *,
    min_cosine: float,
    bits: int = 12,
    tables: int = 16,
    seed: int = 17,
    probes: bool = True,
    max_bucket: int = MAX_BUCKET,
    groups: np.ndarray | None = None,
) -> dict[tuple[int, int], float]:
    """Pairs of owners (documents) that have vectors at ``min_cosine`` or closer, found through
    the LSH index, with the best cosine of each: ``{(owner_i, owner_j): cosine}``, ``owner_i <
    owner_j``. Vectors of one owner are never paired.

    Args:
        vectors: unit vectors, one row each.
        owners: for each row, the integer id of the document it belongs to.
        min_cosine: exact cosine a candidate pair of vectors must reach.
        bits, tables, seed, probes, max_bucket: the index (see module doc).
        groups: for each row, an integer group (a language): when given, only rows of two
            different groups, both 0 or above, are paired (before any cosine is computed).

    >>> v = np.array([[1, 0], [0.99, 0.14], [0, 1]], dtype=np.float32)
    >>> v /= np.linalg.norm(v, axis=1, keepdims=True)
    >>> ann_pairs(v, np.array([0, 1, 2]), min_cosine=0.9)
    {(0, 1): 0.9901}
    """
    if len(vectors) < 2:
        return {}
    planes = hyperplanes(vectors.shape[1], bits=bits, tables=tables, seed=seed)

    def keep(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        ok: np.ndarray = owners[i] != owners[j]
        if groups is not None:
            gi, gj = groups[i], groups[j]
            ok &= (gi != gj) & (gi >= 0) & (gj >= 0)
        return ok

    keys = lsh_keys(vectors, planes)
    if tiles_cheaper(candidate_bound(keys, bits=bits, probes=probes, max_bucket=max_bucket), len(vectors)):
        # Candidates dense among all pairs: screened in tiles, never listed (the 266 million
        # candidate pairs of 100k lead vectors took 2 GiB as codes, and several times that
        # while they were merged).
        return _candidates_by_tiles(vectors, owners, keys, min_cosine, probes=probes, max_bucket=max_bucket, keep=keep)
    # Pairs as codes i * n + j: a third of the memory of rows.
    codes, _ = _bucket_codes(keys, bits=bits, probes=probes, max_bucket=max_bucket, keep=keep)
    n = np.int64(len(vectors))
    out: dict[tuple[int, int], float] = {}
    for start in range(0, len(codes), 1 << 16):  # bounded memory: two vectors a pair
        part = codes[start : start + (1 << 16)]
        i, j = part // n, part % n
        cos = cosines(vectors[i], vectors[j])
        _keep_best(out, best_by_owner(owners[i].tolist(), owners[j].tolist(), cos, min_cosine))
    return out


TILE_RATIO = 40
"""A pair's cosine from gathered rows (:func:`cosines`) costs about this many times one
product of a matrix tile (float32, 2,048 x 2,048 rows a time). The lead vectors of the
100,230-article benchmark (``benchmarks/detect.py --semantic``) have 266 million candidate
pairs among their 5 x 10^9 pairs: ``ann_pairs`` took 200.8 s scoring them one by one, 65.3 s
through tiles (the same 11,700 pairs and cosines; the index's buckets included in both)."""


def tiles_cheaper(n_candidates: int, n_rows: int) -> bool:
    """Whether screening every pair of ``n_rows`` rows in matrix tiles costs less than scoring
    ``n_candidates`` candidate pairs one by one (:data:`TILE_RATIO`).

    >>> tiles_cheaper(266_000_000, 100_230), tiles_cheaper(30_000, 2_000)
    (True, False)
    """
    return n_candidates * TILE_RATIO > n_rows * (n_rows - 1) // 2


def candidate_bound(keys: np.ndarray, *, bits: int, probes: bool = True, max_bucket: int = MAX_BUCKET) -> int:
    """The pairs :func:`bucket_pairs` makes, counted table by table without listing them: a
    pair met in several tables is counted in each, so this bounds the number of distinct
    candidate pairs from above (for :func:`tiles_cheaper`).

    >>> keys = np.array([[5], [5], [4], [9]], dtype=np.int64)
    >>> candidate_bound(keys, bits=4), len(bucket_pairs(keys, bits=4)[0])
    (3, 3)
    """
    total = 0
    for t in range(keys.shape[1]):
        uniq, counts = np.unique(keys[:, t], return_counts=True)
        live = counts <= max_bucket
        u, c = uniq[live], counts[live].astype(np.int64)
        total += int((c * (c - 1) // 2).sum())
        if probes and len(u):
            for b in range(bits):
                low = (u >> b & 1) == 0
                target = u[low] | (np.int64(1) << b)
                at = np.minimum(np.searchsorted(u, target), len(u) - 1)
                hit = u[at] == target
                total += int((c[low][hit] * c[at[hit]]).sum())
    return total


def _alive(keys: np.ndarray, max_bucket: int) -> np.ndarray:
    """For each row and table, whether its bucket holds at most ``max_bucket`` rows."""
    alive = np.empty(keys.shape, dtype=bool)
    for t in range(keys.shape[1]):
        _, inverse, counts = np.unique(keys[:, t], return_inverse=True, return_counts=True)
        alive[:, t] = counts[inverse] <= max_bucket
    return alive


def _keep_best(out: dict[tuple[Any, Any], float], found: dict[tuple[Any, Any], float]) -> None:
    for key, c in found.items():
        if c > out.get(key, -2.0):
            out[key] = c


def _candidates_by_tiles(
    vectors: np.ndarray,
    owners: np.ndarray,
    keys: np.ndarray,
    min_cosine: float,
    *,
    probes: bool,
    max_bucket: int,
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray] | None,
) -> dict[tuple[int, int], float]:
    """What :func:`ann_pairs` scores pair by pair, the same answer, from matrix tiles: every pair
    of rows ``i < j`` is screened in float32 products, and those within :data:`_SCREEN` of
    ``min_cosine`` that are candidates are scored by :func:`cosines` (float64) as before. A
    screened pair is a candidate, as in :func:`bucket_pairs`, when in some table of ``keys``
    both rows' buckets hold at most ``max_bucket`` rows and the two keys are equal, or one
    bit apart with ``probes``, and ``keep`` keeps it: read from the two rows' keys, so that the
    candidates are never listed. For when candidates are dense among all pairs
    (:func:`tiles_cheaper`)."""
    out: dict[tuple[int, int], float] = {}
    n = len(vectors)
    alive = _alive(keys, max_bucket)
    rows = np.asarray(vectors, dtype=np.float32)
    for p0 in range(0, n, _BLOCK):
        block = rows[p0 : p0 + _BLOCK]
        for r0 in range(p0, n, _BLOCK):
            ii, jj = np.nonzero(block @ rows[r0 : r0 + _BLOCK].T >= min_cosine - _SCREEN)
            ii, jj = ii.astype(np.int64) + p0, jj.astype(np.int64) + r0
            upper = ii < jj
            ii, jj = ii[upper], jj[upper]
            met = np.zeros(len(ii), dtype=bool)
            for t in range(keys.shape[1]):
                d = keys[ii, t] ^ keys[jj, t]
                near = (d & (d - 1)) == 0 if probes else d == 0  # equal, or one bit apart
                met |= near & alive[ii, t] & alive[jj, t]
            if keep is not None:
                met &= keep(ii, jj)
            ii, jj = ii[met], jj[met]
            if len(ii):
                cos = cosines(vectors[ii], vectors[jj])
                _keep_best(out, best_by_owner(owners[ii].tolist(), owners[jj].tolist(), cos, min_cosine))
    return out


def exact_across_affordable(counts: Sequence[int], budget: int = EXACT_ROW_PAIRS) -> bool:
    """Whether searching pairs across groups exactly costs ``budget`` row pairs or fewer:
    ``counts`` are the rows of each known group; every row outside the largest is compared with
    every row of the groups.

    >>> exact_across_affordable([30_000, 4_000]), exact_across_affordable([2_000_000, 200_000])
    (True, False)
    """
    if not counts:
        return True
    total = int(sum(counts))
    return (total - int(max(counts))) * total <= budget


_BLOCK = 2048
_SCREEN = 1e-3
"""Margin under ``min_cosine`` at which float32 products are kept for the exact float64 cosine."""


def close_across(
    probe: np.ndarray,
    probe_owners: Sequence[Any],
    probe_groups: np.ndarray,
    rows: np.ndarray,
    row_owners: Sequence[Any],
    row_groups: np.ndarray,
    min_cosine: float,
) -> dict[tuple[Any, Any], float]:
    """The best cosine of each pair of owners with a ``probe`` row and a ``rows`` row of two
    different known groups (0 or above) at ``min_cosine`` or closer (:func:`best_by_owner`).

    Products are screened in float32 blocks, and the pairs within :data:`_SCREEN` of the floor
    are scored by :func:`cosines` (float64), so the answer does not depend on how the rows are
    split into calls: the Spark job calls this per partition against the broadcast probe rows.

    >>> v = np.array([[1, 0], [0.8, 0.6], [0, 1]], dtype=np.float32)
    >>> close_across(v[:1], [0], np.array([0]), v, [0, 1, 2], np.array([0, 1, 1]), 0.7)
    {(0, 1): 0.8}
    """
    out: dict[tuple[Any, Any], float] = {}
    if len(probe) == 0 or len(rows) == 0:
        return out
    probe_groups, row_groups = np.asarray(probe_groups), np.asarray(row_groups)
    # Blocks of 2,048 x 2,048 products (16 MiB of float32): each block of rows is read once per
    # block of probe rows, so that the products run at the speed of arithmetic, not memory.
    for p0 in range(0, len(probe), _BLOCK):
        block = np.asarray(probe[p0 : p0 + _BLOCK], dtype=np.float32)
        gi = probe_groups[p0 : p0 + _BLOCK]
        for r0 in range(0, len(rows), _BLOCK):
            prod = block @ np.asarray(rows[r0 : r0 + _BLOCK], dtype=np.float32).T
            gj = row_groups[r0 : r0 + _BLOCK]
            hit = (prod >= min_cosine - _SCREEN) & (gi[:, None] != gj[None, :])
            hit &= (gi[:, None] >= 0) & (gj[None, :] >= 0)
            ii, jj = np.nonzero(hit)
            if len(ii) == 0:
                continue
            ii, jj = ii + p0, jj + r0
            cos = cosines(probe[ii], rows[jj])
            oi = [probe_owners[i] for i in ii.tolist()]
            oj = [row_owners[j] for j in jj.tolist()]
            _keep_best(out, best_by_owner(oi, oj, cos, min_cosine))
    return out


def pairs_across_groups(
    vectors: np.ndarray, owners: np.ndarray, groups: np.ndarray, *, min_cosine: float
) -> dict[tuple[int, int], float]:
    """What :func:`ann_pairs` with ``groups`` finds through the index, found exactly: pairs of
    owners with rows of two different known groups at ``min_cosine`` or closer, with the best
    cosine of each. Every row outside the largest group is compared with every row (a pair
    across groups has one such row at least); see :func:`exact_across_affordable` for the cost.

    >>> v = np.array([[1, 0], [0.8, 0.6], [0.6, 0.8], [0, 1]], dtype=np.float32)
    >>> pairs_across_groups(v, np.array([0, 1, 2, 3]), np.array([0, 0, 1, 0]), min_cosine=0.9)
    {(1, 2): 0.96}
    """
    groups = np.asarray(groups)
    known = groups[groups >= 0]
    if len(known) == 0:
        return {}
    largest = int(np.argmax(np.bincount(known)))
    probe = np.flatnonzero((groups >= 0) & (groups != largest))
    return close_across(
        vectors[probe], owners[probe].tolist(), groups[probe], vectors, owners.tolist(), groups, min_cosine
    )
