from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# First, before anything loads NumPy: newstrace's package chooses OpenBLAS's kernels then (see
# newstrace._row_uniform_blas), and the tests run the code as a user's process runs it.
import newstrace  # noqa: F401

# -- hypothesis: deliberate settings ----------------------------------------------------------------
# No per-example deadline: hypothesis' default (200 ms) fails a property test whenever a busy
# machine (two cores shared by several test runs) stalls one example, which says nothing about
# the property. Each test's max_examples bounds its time instead, and the time bounds that do
# matter (search, alignment, fetch deadlines) are asserted by tests of their own.
settings.register_profile("newstrace", deadline=None, print_blob=True)
# The same examples on every run (no shrinking database, a fixed seed): for CI, or to rerun a
# failure exactly: HYPOTHESIS_PROFILE=derandomized make test.
settings.register_profile("derandomized", parent=settings.get_profile("newstrace"), derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "newstrace"))

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"


@pytest.fixture
def store(tmp_path: Path):
    from newstrace.store import Store

    with Store(tmp_path / "test.db") as s:
        yield s


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    d = tmp_path / "seeds"
    shutil.copytree(SEEDS, d)
    return d


# -- figures: what the reliability tests measured, printed at the end of every run ---------------
_FIGURES: list[str] = []


@pytest.fixture
def figure() -> Callable[[str], None]:
    """``figure("fuzz html: 1500 inputs, 0 crashes")``: shown in the run's summary."""
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _FIGURES:
        terminalreporter.section("figures measured by the tests")
        for line in _FIGURES:
            terminalreporter.write_line(line)
