"""The Spark job reads a credit line that cleaning removed as local ``detect`` does: the stored
documents it is given (``export``) say where each credit stood in the clean text
(:attr:`newstrace.models.Attribution.at`), and no raw text is needed, so two texts carrying one
third party's passage are siblings in both."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newstrace.detect import DetectParams
from newstrace.export import read_table
from tests.analyze.test_relations import OWN, SOURCE, UNRELATED
from tests.spark.parity import local_pairs, remote_pairs

pytestmark = [pytest.mark.slow]


def _corpus(path: Path) -> Path:
    rows = [
        {"id": "blog", "outlet": "River Blog", "title": "What they will not tell you",
         "text": "\n\n".join([*OWN, "From Gateway Pundit:", *SOURCE[:6], "Share this story with your friends."])},
        {"id": "other", "outlet": "Eagle Post", "title": "Floods on the Elbe",
         "text": "\n\n".join([*SOURCE[:6], "Gateway Pundit had the story first, hat tip to them."])},
        {"id": "concert", "outlet": "Eagle Post", "published": "2023-05-02", "title": "Orchestra season",
         "text": "\n\n".join(UNRELATED)},
    ]  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_spark_reads_a_removed_credit_line_as_local_detect_does(tmp_path: Path, spark: Any) -> None:
    from newstrace.spark import run_job

    src = _corpus(tmp_path / "items.jsonl")
    params = DetectParams(workers=1)
    pairs, _, local, name = local_pairs(src, tmp_path / "local.db", params)
    assert set(pairs) == {frozenset(("blog", "other"))}
    (row,) = local["pairs"]
    assert (row["direction"], row["common_source"]) == ("common", "Gateway Pundit")
    # The Spark route: the stored documents, exported (no raw text), are the job's input.
    stored = tmp_path / "documents.jsonl"
    rows = [{**d, "id": name[d["id"]]} for d in local["documents"]]
    stored.write_text("".join(json.dumps(d) + "\n" for d in rows), encoding="utf-8")
    assert not any("raw" in d for d in rows)
    (blog,) = [d for d in rows if d["id"] == "blog"]
    (credit,) = json.loads(blog["attributions"])
    assert credit["evidence"] not in blog["text"] and blog["text"][credit["at"] :].startswith(SOURCE[0])
    run_job(spark, str(stored), str(tmp_path / "spark"), params)
    assert remote_pairs(tmp_path / "spark") == pairs
    (remote,) = read_table(tmp_path / "spark" / "pairs")
    assert (remote["direction"], remote["common_source"]) == ("common", "Gateway Pundit")
