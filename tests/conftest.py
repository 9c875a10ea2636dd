from __future__ import annotations

import shutil
from pathlib import Path

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
