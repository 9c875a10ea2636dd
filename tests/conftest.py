from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

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
