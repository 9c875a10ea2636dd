"""One local Spark session for the Spark tests (each start costs about ten seconds)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:  # pragma: no cover - depends on the machine
        pytest.skip("Java 17 is needed for Spark (apt-get install openjdk-17-jre-headless)")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers need this environment's newstrace
    s = (
        SparkSession.builder.master("local[2]")
        .appName("newstrace-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .getOrCreate()
    )
    yield s
    s.stop()
