"""The capped gatherer behind the Spark job's buckets (pure Python; no Spark needed)."""

from __future__ import annotations

from functools import reduce

from hypothesis import given
from hypothesis import strategies as st

from newstrace.spark.job import _capped


@given(st.lists(st.lists(st.integers(), max_size=8), max_size=6), st.integers(1, 10))
def test_capped_equals_count_then_group(parts: list[list[int]], cap: int) -> None:
    """However a key's values are split over partitions, the result is all of them when there
    are at most ``cap``, and None (a hot bucket, dropped) when there are more."""
    add, merge = _capped(cap)
    partials = [reduce(add, part, []) for part in parts]
    result = reduce(merge, partials, [])
    values = [v for part in parts for v in part]
    if len(values) <= cap:
        assert result is not None and sorted(result) == sorted(values)
    else:
        assert result is None
