"""The candidate kernels of the index stage against plain-Python references."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.index.minhash import (
    _PairCounts,
    fingerprint_candidates,
    flash_candidates,
    flash_partner,
    group_sizes,
    lsh_candidates,
    term_candidates,
)

# Small value alphabets so that documents share values, some of them widely.
docs_values = st.lists(st.sets(st.integers(0, 40), max_size=15), min_size=0, max_size=30)


def as_arrays(sets: list[set[int]]) -> list[np.ndarray]:
    return [np.array(sorted(s), dtype=np.uint64) for s in sets]


def reference_counts(
    sets: list[set[int]], max_df: int, groups: list[str | None] | None = None, group_max_df: int = 4
) -> Counter[tuple[int, int]]:
    holders: dict[int, list[int]] = {}
    for d, s in enumerate(sets):
        for v in s:
            holders.setdefault(v, []).append(d)
    counts: Counter[tuple[int, int]] = Counter()
    for docs in holders.values():
        if not 2 <= len(docs) <= max_df:
            continue
        per_group = Counter(groups[d] for d in docs) if groups else Counter()
        for i, j in combinations(sorted(docs), 2):
            crowded = groups and groups[i] is not None and per_group[groups[i]] > group_max_df
            if crowded and groups[i] == groups[j]:
                continue
            counts[(i, j)] += 1
    return counts


@settings(max_examples=300, deadline=None)
@given(
    docs_values,
    st.integers(2, 12),
    st.integers(1, 4),
    st.lists(st.sampled_from(["A", "B", "C", None]), min_size=30, max_size=30),
    st.integers(1, 3),
)
def test_fingerprint_candidates_equal_the_reference(
    sets, max_df, min_shared, outlets, group_max_df
) -> None:  # type: ignore[no-untyped-def]
    groups = outlets[: len(sets)]
    got = fingerprint_candidates(
        as_arrays(sets),
        min_shared=min_shared,
        max_df=max_df,
        groups=groups,
        group_max_df=group_max_df,
    )
    ref = reference_counts(sets, max_df, groups, group_max_df)
    assert got == {p: c for p, c in ref.items() if c >= min_shared}
    assert fingerprint_candidates(as_arrays(sets), min_shared=min_shared, max_df=max_df) == {
        p: c for p, c in reference_counts(sets, max_df).items() if c >= min_shared
    }


@settings(max_examples=300, deadline=None)
@given(docs_values, st.integers(2, 12), st.integers(1, 5), st.floats(0, 1))
def test_term_candidates_equal_the_reference(sets, max_df, min_shared, min_share) -> None:  # type: ignore[no-untyped-def]
    arrays = as_arrays(sets)
    rare = group_sizes(arrays, max_df)
    ref = reference_counts(sets, max_df)
    want = {
        (i, j)
        for (i, j), c in ref.items()
        if c >= min_shared and c >= min_share * min(rare[i], rare[j])
    }
    assert (
        term_candidates(arrays, max_df=max_df, min_shared=min_shared, min_share=min_share) == want
    )


@given(st.lists(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=8), max_size=10))
def test_pair_counts_survive_compaction(batches: list[list[tuple[int, int]]]) -> None:
    counter = _PairCounts(10, compact_at=5)
    want: Counter[tuple[int, int]] = Counter()
    for batch in batches:
        pairs = [(min(a, b), max(a, b)) for a, b in batch if a != b]
        want.update(pairs)
        counter.add(
            np.array([p[0] for p in pairs], dtype=np.int64),
            np.array([p[1] for p in pairs], dtype=np.int64),
        )
    i, j, c = counter.result()
    assert dict(zip(zip(i.tolist(), j.tolist(), strict=True), c.tolist(), strict=True)) == dict(
        want
    )


def test_lsh_pairs_share_a_band_and_crowded_buckets_are_skipped() -> None:
    rng = np.random.default_rng(3)
    sigs = rng.integers(0, 2**32, size=(60, 8), dtype=np.uint32)
    sigs[1] = sigs[0]  # a copy: shares every band
    sigs[2, :4] = sigs[0, :4]  # shares the first band only
    sigs[10:20, 4:] = sigs[9, 4:]  # eleven documents in one bucket of the second band
    pairs, skipped = lsh_candidates(sigs, bands=2, rows=4, max_bucket=5)
    assert pairs == {(0, 1), (0, 2), (1, 2)}
    assert skipped == 1
    pairs, skipped = lsh_candidates(sigs, bands=2, rows=4, max_bucket=50)
    assert {(9, 10), (10, 19)} <= pairs and skipped == 0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.one_of(st.none(), st.integers(0, 300)), st.sets(st.integers(0, 6), max_size=5), st.booleans()),
        max_size=14,
    )
)
def test_flash_candidates_equal_every_pair_checked(docs: list[tuple[int | None, set[int], bool]]) -> None:
    """Looking only at the texts of a flash's hour finds what checking every pair finds."""
    from datetime import UTC, datetime, timedelta

    t0 = datetime(1987, 10, 20, tzinfo=UTC)
    times = [None if m is None else t0 + timedelta(minutes=m) for m, _, _ in docs]
    terms = [t for _, t, _ in docs]
    flashes = [k for k, (_, _, f) in enumerate(docs) if f]
    every = {
        (min(f, j), max(f, j))
        for f in flashes
        for j in range(len(docs))
        if j != f and flash_partner(terms[f], times[f], terms[j], times[j])
    }
    assert flash_candidates(flashes, times, terms) == every
