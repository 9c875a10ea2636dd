"""The random-hyperplane LSH index: deterministic, finds close vectors, skips far ones."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from newstrace.index.ann import (
    ann_pairs,
    bucket_pairs,
    candidate_bound,
    close_across,
    cosines,
    exact_across_affordable,
    hyperplanes,
    lsh_keys,
    pairs_across_groups,
    pairs_in_buckets,
    probe_targets,
)


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


def _brute_force(keys: np.ndarray, bits: int, max_bucket: int) -> set[tuple[int, int]]:
    """The index's rule read literally: two rows meet in a table where neither bucket is over
    the cap and their keys are equal or one bit apart."""
    out = set()
    for t in range(keys.shape[1]):
        col = keys[:, t].tolist()
        size = {k: col.count(k) for k in col}
        for i in range(len(col)):
            for j in range(i + 1, len(col)):
                if size[col[i]] <= max_bucket and size[col[j]] <= max_bucket and bin(col[i] ^ col[j]).count("1") <= 1:
                    out.add((i, j))
    return out


@given(
    st.lists(st.lists(st.integers(0, 15), min_size=2, max_size=2), min_size=0, max_size=30),
    st.integers(1, 6),
)
def test_bucket_pairs_is_the_rule_read_literally(rows: list[list[int]], cap: int) -> None:
    keys = np.array(rows, dtype=np.int64).reshape(-1, 2)
    pairs, _ = bucket_pairs(keys, bits=4, max_bucket=cap)
    assert {tuple(p) for p in pairs.tolist()} == _brute_force(keys, 4, cap)


@given(
    st.lists(st.integers(0, 15), min_size=0, max_size=30),
    st.lists(st.integers(0, 3), min_size=16, max_size=16),
)
def test_any_split_of_whole_buckets_gives_the_same_pairs(col: list[int], split: list[int]) -> None:
    """What the Spark job does: buckets and their neighbours grouped by key, the groups spread
    over partitions, :func:`pairs_in_buckets` on each partition."""
    keys = np.array(col, dtype=np.int64).reshape(-1, 1)
    members: dict[int, list[int]] = {}
    for r, k in enumerate(col):
        members.setdefault(k, []).append(r)
    groups: dict[int, list[tuple[int, bool]]] = {}
    for k, rs in members.items():
        groups.setdefault(k, []).extend((r, False) for r in rs)
        for target in probe_targets(k, 4):
            groups.setdefault(target, []).extend((r, True) for r in rs)
    found = set()
    for part in range(4):
        entries = [(k, r, low) for k, es in groups.items() if split[k] == part for r, low in es]
        if not entries:
            continue
        bucket, rows, lower = (np.array(x) for x in zip(*entries, strict=True))
        i, j = pairs_in_buckets(bucket, lower.astype(bool))
        found |= {(min(a, b), max(a, b)) for a, b in zip(rows[i].tolist(), rows[j].tolist(), strict=True)}
    assert found == {tuple(p) for p in bucket_pairs(keys, bits=4)[0].tolist()}


def test_a_bucket_over_the_cap_is_no_neighbour_either() -> None:
    keys = np.array([[0]] * 5 + [[1]], dtype=np.int64)
    pairs, skipped = bucket_pairs(keys, bits=3, max_bucket=4)
    assert len(pairs) == 0 and skipped == 1


def test_keys_and_cosines_do_not_depend_on_the_other_rows() -> None:
    rng = np.random.default_rng(5)
    v = _unit(rng.standard_normal((300, 512)))
    planes = hyperplanes(512)
    every = lsh_keys(v, planes)
    assert all(np.array_equal(lsh_keys(v[k : k + 1], planes)[0], every[k]) for k in range(0, 300, 7))
    cos = cosines(v[:-1], v[1:])
    assert all(cosines(v[k : k + 1], v[k + 1 : k + 2])[0] == cos[k] for k in range(0, 299, 13))


def test_groups_pair_only_rows_of_two_known_groups() -> None:
    """``groups`` drops, before any cosine, exactly the pairs of one group or of an unknown one
    (-1): the same pairs as filtering the ungrouped answer afterwards."""
    rng = np.random.default_rng(5)
    v = rng.standard_normal((300, 24))
    v[150:] = v[:150] + 0.2 * rng.standard_normal((150, 24))  # each row has a close twin
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    owners = np.arange(300) // 2
    groups = rng.integers(-1, 3, size=150)[owners]
    every = ann_pairs(v, owners, min_cosine=0.5, bits=6, tables=8)
    grouped = ann_pairs(v, owners, min_cosine=0.5, bits=6, tables=8, groups=groups)
    g = {int(o): int(groups[2 * o]) for o in range(150)}
    expected = {k: c for k, c in every.items() if g[k[0]] >= 0 and g[k[1]] >= 0 and g[k[0]] != g[k[1]]}
    assert grouped == expected
    assert 0 < len(grouped) < len(every)


def _twins(seed: int, n: int = 300, dim: int = 24) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit rows in owners of two, each row with a close twin; a group (-1: unknown) per owner."""
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, dim))
    v[n // 2 :] = v[: n // 2] + 0.3 * rng.standard_normal((n // 2, dim))
    v = _unit(v)
    owners = np.arange(n) // 2
    groups = rng.choice([-1, 0, 0, 0, 1, 2], size=n // 2)[owners]
    return v, owners, groups


def test_exact_search_across_groups_is_every_pair_at_the_floor() -> None:
    v, owners, groups = _twins(7)
    got = pairs_across_groups(v, owners, groups, min_cosine=0.5)
    full = cosines(np.repeat(v, len(v), axis=0), np.tile(v, (len(v), 1))).reshape(len(v), len(v))
    expected: dict[tuple[int, int], float] = {}
    for i, j in zip(*np.nonzero(full >= 0.5), strict=True):
        a, b = int(owners[i]), int(owners[j])
        if a != b and groups[i] >= 0 and groups[j] >= 0 and groups[i] != groups[j]:
            key, c = (min(a, b), max(a, b)), round(float(full[i, j]), 4)
            expected[key] = max(expected.get(key, -2.0), c)
    assert got == expected and len(got) > 20
    # The index finds some of them, never one more, never a better cosine.
    index = ann_pairs(v, owners, min_cosine=0.5, bits=6, tables=8, groups=groups)
    assert set(index) <= set(got) and all(index[k] <= got[k] for k in index)


@given(st.lists(st.integers(1, 120), min_size=1, max_size=6), st.booleans())
def test_exact_search_does_not_depend_on_how_rows_are_split(sizes: list[int], swap: bool) -> None:
    """As the Spark job calls it: each partition's rows against the broadcast probe rows, the
    best of each pair over partitions; the probe and row sides may be either way round."""
    v, owners, groups = _twins(11)
    probe = np.flatnonzero(groups == 1)
    whole = close_across(v[probe], owners[probe].tolist(), groups[probe], v, owners.tolist(), groups, 0.5)
    parts: dict[tuple[int, int], float] = {}
    start = 0
    for size in [*sizes, len(v)]:
        rows = np.arange(start, min(len(v), start + size))
        start += size
        if len(rows) == 0:
            break
        sides = [(v[probe], owners[probe].tolist(), groups[probe]), (v[rows], owners[rows].tolist(), groups[rows])]
        if swap:
            sides.reverse()
        for key, c in close_across(*sides[0], *sides[1], 0.5).items():
            parts[key] = max(parts.get(key, -2.0), c)
    assert parts == whole and whole


def test_exact_search_costs_what_the_budget_allows() -> None:
    assert exact_across_affordable([]) and exact_across_affordable([5, 5], budget=50)
    assert not exact_across_affordable([5, 6], budget=50)  # 5 rows outside the largest x 11


@given(
    st.integers(0, 2**31 - 1), st.integers(2, 3), st.sampled_from([0.5, 0.7, 0.9]), st.booleans(),
    st.sampled_from([200, 25]),
)  # fmt: skip
def test_candidates_scored_in_tiles_are_those_scored_pair_by_pair(
    seed: int, n_owners: int, floor: float, probes: bool, max_bucket: int
) -> None:
    """Where candidates are dense among all pairs, ann_pairs screens every pair in matrix tiles
    and scores only the candidates, read from the two rows' keys: the same pairs and cosines
    to the bit as listing the candidates and scoring each by itself (owners with several rows,
    rows in groups, with and without probes, buckets past the cap skipped, tiles smaller than
    the rows, so that pairs cross tile edges)."""
    import newstrace.index.ann as ann

    rng = np.random.default_rng(seed)
    centres = _unit(rng.standard_normal((4, 24)))
    rows = _unit(centres[rng.integers(0, 4, 300)] + 0.5 * rng.standard_normal((300, 24)).astype(np.float32))
    rows[150:] = _unit(rows[:150] + 0.1 * rng.standard_normal((150, 24)).astype(np.float32))  # near copies
    owners = rng.integers(0, 300 // n_owners, 300)
    groups = rng.integers(-1, 3, 300)
    block, ratio = ann._BLOCK, ann.TILE_RATIO
    try:
        ann._BLOCK = 64
        answers = []
        for ratio_now in (0, 10**9):  # never tiles, always tiles
            ann.TILE_RATIO = ratio_now
            answers.append(
                (ann_pairs(rows, owners, min_cosine=floor, bits=4, tables=3, probes=probes, max_bucket=max_bucket),
                 ann_pairs(rows, owners, min_cosine=floor, bits=4, tables=3, groups=groups, probes=probes,
                           max_bucket=max_bucket))
            )  # fmt: skip
    finally:
        ann._BLOCK, ann.TILE_RATIO = block, ratio
    assert answers[0] == answers[1]
    assert answers[0][0], "the corpus has close pairs"
    keys = lsh_keys(rows, hyperplanes(24, bits=4, tables=3))
    listed = len(bucket_pairs(keys, bits=4, probes=probes, max_bucket=max_bucket)[0])
    bound = candidate_bound(keys, bits=4, probes=probes, max_bucket=max_bucket)
    assert listed <= bound <= 3 * listed  # each distinct pair counted once a table it is met in
