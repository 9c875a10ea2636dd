"""Approximate nearest neighbours of unit vectors: random-hyperplane LSH (Charikar's SimHash).

Each table draws ``bits`` random hyperplanes; a vector's key in the table is the side of each
hyperplane it lies on. Two vectors at angle θ agree on one bit with probability 1 - θ/π, so
close vectors share keys far more often than distant ones. Candidates are the vectors that
share a key in some table, or whose keys differ in one bit (multi-probe: it buys the recall of
many more tables for the price of ``bits`` lookups), and each candidate is then scored by its
exact cosine. With the defaults (12 bits, 16 tables, one-bit probes) two vectors at cosine 0.6
meet with probability about 0.8, at 0.7 about 0.93, at 0.8 above 0.99.

Everything here is a pure function of arrays, deterministic for a given seed, so that the
Spark job can compute keys on executors and join on them (:func:`lsh_keys` per partition,
:func:`bucket_pairs` per key).
"""

from __future__ import annotations

import numpy as np

__all__ = ["ann_pairs", "bucket_pairs", "hyperplanes", "lsh_keys"]


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
    an int64, shape ``(n, tables)``.

    >>> planes = hyperplanes(3, bits=4, tables=2)
    >>> v = np.array([[1.0, 0.0, 0.0], [1.0, 0.01, 0.0]], dtype=np.float32)
    >>> k = lsh_keys(v, planes); bool((k[0] == k[1]).all())
    True
    """
    tables, bits, _ = planes.shape
    if len(vectors) == 0:
        return np.zeros((0, tables), dtype=np.int64)
    side = np.einsum("nd,tbd->ntb", vectors.astype(np.float32), planes) > 0
    weights = (np.int64(1) << np.arange(bits, dtype=np.int64))
    keys: np.ndarray = (side.astype(np.int64) * weights).sum(axis=2)
    return keys


def _pairs_within(sorted_keys: np.ndarray, order: np.ndarray, max_bucket: int) -> tuple[np.ndarray, np.ndarray, int]:
    """All pairs of rows that share a key (rows given sorted by key), buckets over
    ``max_bucket`` skipped; returns (rows i, rows j, skipped buckets)."""
    if len(sorted_keys) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), 0
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(sorted_keys)])
    big = sizes > max_bucket
    keep = (sizes >= 2) & ~big
    out_i: list[np.ndarray] = []
    out_j: list[np.ndarray] = []
    for s in np.unique(sizes[keep]):
        firsts = starts[keep & (sizes == s)]
        iu, ju = np.triu_indices(int(s), k=1)
        out_i.append(order[(firsts[:, None] + iu[None, :]).ravel()])
        out_j.append(order[(firsts[:, None] + ju[None, :]).ravel()])
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), int(big.sum())
    return np.concatenate(out_i), np.concatenate(out_j), int(big.sum())


def _pairs_across(keys: np.ndarray, probe: np.ndarray, max_bucket: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j) with ``keys[i] == probe[j]`` and ``keys[i] < keys[j]`` (each unordered pair
    of neighbouring buckets once), buckets over ``max_bucket`` skipped."""
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    uniq, first, counts = np.unique(sk, return_index=True, return_counts=True)
    pos = np.searchsorted(uniq, probe)
    pos[pos >= len(uniq)] = 0
    hit = (uniq[pos] == probe) & (keys < probe) & (counts[pos] <= max_bucket)
    js = np.flatnonzero(hit)
    if len(js) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    n = counts[pos[js]]
    rep_j = np.repeat(js, n)
    offs = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    rep_i = order[np.repeat(first[pos[js]], n) + offs]
    return rep_i, rep_j


def bucket_pairs(keys: np.ndarray, *, bits: int, probes: bool = True, max_bucket: int = 200) -> tuple[np.ndarray, int]:
    """Candidate pairs of rows ``(i, j)``, ``i < j``, unique: rows that share a key in some
    table of ``keys`` (:func:`lsh_keys`), or whose keys differ in one bit when ``probes``.
    Buckets of more than ``max_bucket`` rows are skipped (counted in the second value).

    >>> keys = np.array([[5], [5], [4], [9]], dtype=np.int64)
    >>> bucket_pairs(keys, bits=4)[0].tolist()
    [[0, 1], [0, 2], [1, 2]]
    """
    found: list[np.ndarray] = []
    skipped = 0
    for t in range(keys.shape[1]):
        col = keys[:, t]
        order = np.argsort(col, kind="stable")
        i, j, sk = _pairs_within(col[order], order, max_bucket)
        skipped += sk
        found.append(np.stack([i, j], axis=1))
        if probes:
            for b in range(bits):
                i, j = _pairs_across(col, col ^ (np.int64(1) << b), max_bucket)
                found.append(np.stack([i, j], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64), skipped
    pairs = np.concatenate(found).astype(np.int64)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    pairs.sort(axis=1)
    return np.unique(pairs, axis=0), skipped


def ann_pairs(
    vectors: np.ndarray,
    owners: np.ndarray,
    *,
    min_cosine: float,
    bits: int = 12,
    tables: int = 16,
    seed: int = 17,
    probes: bool = True,
    max_bucket: int = 200,
) -> dict[tuple[int, int], float]:
    """Pairs of owners (documents) that have vectors at ``min_cosine`` or closer, found through
    the LSH index, with the best cosine of each: ``{(owner_i, owner_j): cosine}``, ``owner_i <
    owner_j``. Vectors of one owner are never paired.

    Args:
        vectors: unit vectors, one row each.
        owners: for each row, the integer id of the document it belongs to.
        min_cosine: exact cosine a candidate pair of vectors must reach.
        bits, tables, seed, probes, max_bucket: the index (see module doc).

    >>> v = np.array([[1, 0], [0.99, 0.14], [0, 1]], dtype=np.float32)
    >>> v /= np.linalg.norm(v, axis=1, keepdims=True)
    >>> ann_pairs(v, np.array([0, 1, 2]), min_cosine=0.9)
    {(0, 1): 0.9901}
    """
    if len(vectors) < 2:
        return {}
    planes = hyperplanes(vectors.shape[1], bits=bits, tables=tables, seed=seed)
    cand, _ = bucket_pairs(lsh_keys(vectors, planes), bits=bits, probes=probes, max_bucket=max_bucket)
    if len(cand) == 0:
        return {}
    oi, oj = owners[cand[:, 0]], owners[cand[:, 1]]
    keep = oi != oj
    cand, oi, oj = cand[keep], oi[keep], oj[keep]
    cos = np.einsum("nd,nd->n", vectors[cand[:, 0]], vectors[cand[:, 1]])
    ok = cos >= min_cosine
    out: dict[tuple[int, int], float] = {}
    for a, b, c in zip(oi[ok].tolist(), oj[ok].tolist(), cos[ok].tolist(), strict=True):
        key = (a, b) if a < b else (b, a)
        if c > out.get(key, -2.0):
            out[key] = round(float(c), 4)
    return out
