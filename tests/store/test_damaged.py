"""A store with damaged pages: no command writes into it, none shows a traceback, and every one
names the file, says what is wrong and how to recover (built and damaged for real, run through
the CLI)."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from newstrace.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"

WORDS = (
    "council budget river bridge mayor vote election storm harbour school teacher union strike "
    "court judge ruling police report minister health hospital nurse wage energy price market"
).split()


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner(env={"COLUMNS": "1000"}).invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def _articles(folder: Path, n: int) -> list[Path]:
    rnd = random.Random(5)
    folder.mkdir()
    paths = []
    for i in range(n):
        sentences = [
            " ".join(rnd.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(40)
        ]
        p = folder / f"article{i:03d}.txt"
        p.write_text(f"Story number {i}\n\n" + " ".join(sentences) + "\n", "utf-8")
        paths.append(p)
    return paths


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _quick_check(db: Path) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return "; ".join(str(r[0]) for r in conn.execute("PRAGMA quick_check"))
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def _damage_middle(db: Path, pages: int = 3) -> None:
    """Overwrite ``pages`` whole pages in the middle of the file with garbage."""
    data = db.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    middle = len(data) // page_size // 2
    garbage = random.Random(9).randbytes(page_size * pages)
    with db.open("r+b") as f:
        f.seek((middle - 1) * page_size)
        f.write(garbage)


@pytest.fixture(scope="module")
def damaged_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built by the CLI (ingest, detect), then damaged; built once for the module."""
    root = tmp_path_factory.mktemp("damaged")
    db = root / "c.db"
    _articles(root / "more", 30)
    assert run("--db", str(db), "ingest", str(SEEDS), str(root / "more"))[0] == 0
    assert run("--db", str(db), "detect", "--workers", "1")[0] == 0
    assert not (root / "c.db-wal").exists() or (root / "c.db-wal").stat().st_size == 0
    _damage_middle(db)
    assert _quick_check(db) != "ok"  # the damage is real: SQLite sees it
    return db


@pytest.fixture
def damaged(damaged_template: Path, tmp_path: Path) -> Path:
    db = tmp_path / "c.db"
    shutil.copyfile(damaged_template, db)
    return db


def _assert_clear_store_message(db: Path, code: int, err: str) -> None:
    assert code == 3, err
    assert "Traceback" not in err
    assert str(db) in err
    assert "damaged" in err
    assert ".recover" in err  # how to recover


def test_ingest_refuses_a_damaged_store_and_leaves_it_untouched(
    tmp_path: Path, damaged: Path
) -> None:
    extra = _articles(tmp_path / "extra", 3)
    before = _sha(damaged)
    code, out, err = run("--db", str(damaged), "ingest", *map(str, extra))
    _assert_clear_store_message(damaged, code, err)
    assert "added" not in out
    assert _sha(damaged) == before
    wal = damaged.with_name(damaged.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["show", "0000"],
        ["search", "council"],
        ["families"],
        ["outlets"],
        ["rejections"],
        ["alerts"],
        ["detect", "--workers", "1"],
    ],
)
def test_every_command_reports_damage_without_traceback(damaged: Path, command: list[str]) -> None:
    before = _sha(damaged)
    code, _, err = run("--db", str(damaged), *command)
    _assert_clear_store_message(damaged, code, err)
    assert _sha(damaged) == before


def test_damage_met_after_the_open_check_is_a_clean_error(
    damaged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a store too large for the full check on open, damage is met by the query that reads
    it: that too is one clear message and exit code 3, never a traceback."""
    import newstrace.store as store_module

    monkeypatch.setattr(store_module, "QUICK_CHECK_MAX_BYTES", 0)
    failed = 0
    for command in (
        ["list", "--limit", "1000"],
        ["search", "council"],
        ["export", "--out", str(tmp_path / "x")],
    ):
        code, _, err = run("--db", str(damaged), *command)
        assert "Traceback" not in err
        if code != 0:
            _assert_clear_store_message(damaged, code, err)
            failed += 1
    assert failed >= 1  # the damage was read somewhere


def test_a_file_that_is_no_database_is_a_clean_error(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes(b"These are my notes, not a database. " * 200)
    before = _sha(db)
    for command in (["list"], ["ingest", str(db)]):
        code, _, err = run("--db", str(db), *command)
        assert code == 3 and "Traceback" not in err and str(db) in err
        assert "not an SQLite database" in err
    assert _sha(db) == before


def test_ingest_stops_at_damage_met_while_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store too large for the full check, whose damage the ingest meets while writing (the
    index of document ids, read before each insert): the run stops with the store error. It is
    no input's fault, so it is not reported as a rejected file, and nothing more is written."""
    import newstrace.store as store_module

    db = tmp_path / "c.db"
    first, extra = _articles(tmp_path / "in", 6)[:3], sorted((tmp_path / "in").glob("*"))[3:]
    assert run("--db", str(db), "ingest", *map(str, first))[0] == 0
    conn = sqlite3.connect(db)
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_documents_1'"
    ).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with db.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(random.Random(3).randbytes(page_size))
    before = _sha(db)
    monkeypatch.setattr(store_module, "QUICK_CHECK_MAX_BYTES", 0)
    monkeypatch.setenv("NEWSTRACE_BATCH_SIZE", "1")  # written file by file, inside the read loop
    code, out, err = run("--db", str(db), "ingest", *map(str, extra))
    _assert_clear_store_message(db, code, err)
    assert "rejected" not in out + err
    assert _sha(db) == before


def test_store_checks_on_open_for_writing_and_when_asked(damaged: Path, tmp_path: Path) -> None:
    from newstrace.errors import CorruptStoreError
    from newstrace.store import Store

    for kwargs in ({}, {"readonly": True, "verify": True}):
        with pytest.raises(CorruptStoreError, match="is damaged"):
            Store(damaged, **kwargs)  # type: ignore[arg-type]
    with Store(tmp_path / "new.db") as store:
        assert store.checked == "new"
    with Store(tmp_path / "new.db") as store:
        assert store.checked == "quick_check"


def test_garbage_met_in_a_text_column_is_damage() -> None:
    """A damaged page SQLite's checks let through can surface as bytes that are no UTF-8 in a
    text column (Python's sqlite3 raises it as an OperationalError quoting them): the store is
    damaged, said without the garbage."""
    from newstrace.errors import CorruptStoreError
    from newstrace.store import store_error

    exc = sqlite3.OperationalError("Could not decode to UTF-8 column 'report' with text '\ufffd\ufffdzz'")
    err = store_error("c.db", exc)
    assert isinstance(err, CorruptStoreError)
    assert "c.db is damaged (Could not decode to UTF-8 column 'report')" in str(err) and "zz" not in str(err)
