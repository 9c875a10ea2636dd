"""The random-hyperplane LSH index: deterministic, finds close vectors, skips far ones."""

from __future__ import annotations

import numpy as np

from newstrace.index.ann import ann_pairs, bucket_pairs, hyperplanes, lsh_keys


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def _near(base: np.ndarray, cos: float, rng: np.random.Generator) -> np.ndarray:
    """A unit vector at exactly ``cos`` from ``base``."""
    noise = rng.standard_normal(base.shape[0]).astype(np.float32)
    noise -= (noise @ base) * base
    noise = _unit(noise)
    return _unit(cos * base + np.sqrt(1 - cos**2) * noise)


def test_keys_are_deterministic_and_shaped() -> None:
    v = _unit(np.random.default_rng(1).standard_normal((5, 32)))
    k1 = lsh_keys(v, hyperplanes(32, bits=10, tables=4, seed=3))
    k2 = lsh_keys(v, hyperplanes(32, bits=10, tables=4, seed=3))
    assert k1.shape == (5, 4) and np.array_equal(k1, k2) and k1.max() < 2**10


def test_close_pairs_are_found_and_far_ones_are_not() -> None:
    rng = np.random.default_rng(7)
    dim, n = 512, 200
    base = _unit(rng.standard_normal((n, dim)))
    partners = np.vstack([_near(base[i], 0.75, rng) for i in range(n)])
    vecs = np.vstack([base, partners])
    owners = np.r_[np.arange(n), np.arange(n) + n]
    found = ann_pairs(vecs, owners, min_cosine=0.6)
    hits = sum((i, i + n) in found for i in range(n))
    assert hits >= 0.85 * n  # cosine 0.75: about 0.9 expected with the default index
    assert all(c >= 0.6 for c in found.values())
    assert set(found) <= {(i, i + n) for i in range(n)}  # random 512-d vectors never reach 0.6


def test_one_owner_is_never_paired_with_itself() -> None:
    v = _unit(np.array([[1.0, 0.0], [1.0, 0.01], [0.0, 1.0]]))
    assert ann_pairs(v, np.array([0, 0, 1]), min_cosine=0.5) == {}


def test_bucket_pairs_probes_one_bit_away_and_caps_buckets() -> None:
    keys = np.array([[0b101], [0b101], [0b100], [0b010]], dtype=np.int64)
    assert bucket_pairs(keys, bits=3, probes=False)[0].tolist() == [[0, 1]]
    assert bucket_pairs(keys, bits=3)[0].tolist() == [[0, 1], [0, 2], [1, 2]]
    pairs, skipped = bucket_pairs(np.zeros((5, 1), dtype=np.int64), bits=3, max_bucket=4)
    assert len(pairs) == 0 and skipped == 1
