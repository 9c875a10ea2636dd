"""The Spark job's pairs of LSH rows (pure Python; no Spark needed): grouped as the job groups
them, in any partitions and flushed in any chunks, they are the local index's pairs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newstrace.index.ann import MAX_BUCKET, bucket_pairs
from newstrace.spark import semantic


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 31), st.integers(0, 31)), max_size=25),
    st.integers(1, 4),
    st.integers(1, 40),
)
def test_row_pairs_are_the_local_index_pairs(rows: list[tuple[int, int, int]], partitions: int, chunk: int) -> None:
    """``rows``: (document, key in table 0, key in table 1); a document may have several."""
    ids = [(f"d{doc}", k, "en") for k, (doc, _, _) in enumerate(rows)]
    keys = np.array([[a, b] for _, a, b in rows], dtype=np.int64).reshape(-1, 2)
    buckets: dict[tuple[int, int], list[Any]] = {}
    for row, ks in zip(ids, keys.tolist(), strict=True):
        for t, key in enumerate(ks):
            buckets.setdefault((t, key), []).append(row)
    groups: dict[tuple[int, int], list[Any]] = {}
    for bucket in buckets.items():
        if len(bucket[1]) <= MAX_BUCKET:
            for key, message in semantic.bucket_messages(bucket, 5):
                groups.setdefault(key, []).append(message)
    found = set()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(semantic, "CHUNK", chunk)
        for part in range(partitions):
            mine = [(key, msgs) for key, msgs in sorted(groups.items()) if hash(key) % partitions == part]
            found |= set(semantic.row_pairs(mine))
    expected = {
        (min(ids[i], ids[j]), max(ids[i], ids[j]))
        for i, j in bucket_pairs(keys, bits=5)[0].tolist()
        if rows[i][0] != rows[j][0]
    }
    assert found == expected
