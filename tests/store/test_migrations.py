"""Stores made at every older schema version open with the current Store: the schema is
brought to the current version, the data is kept, and detect works on it.

Each older version's schema is the migrations as they were: ``MIGRATIONS[:k]`` for the last
schema of version k (checked against git history: migrations 1-4 are unchanged since), and,
for the versions whose migration was extended after stores had been made with it, the
migration as first shipped (recovered from git history: migration 2 at 0d932de, 84e1d10 and
ead706e; migration 5 at 1fa3da5)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from newstrace.detect import DetectParams, detect
from newstrace.pipeline import ingest
from newstrace.store import Store
from newstrace.store.schema import MIGRATIONS, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def _without(script: str, *parts: str) -> str:
    for part in parts:
        assert part in script, part
        script = script.replace(part, "")
    return script


_TERMS = "terms BLOB NOT NULL,"
_DERIVED_INDEX = "CREATE INDEX families_derived ON families(derived_from);"
_DIRTY = "CREATE TABLE outlet_dirty (outlet TEXT PRIMARY KEY);"
_FORMS = ("ALTER TABLE doc_index ADD COLUMN forms BLOB NOT NULL DEFAULT x'';", "DELETE FROM doc_index;")

SCHEMAS: dict[str, list[str]] = {
    **{f"v{k}": MIGRATIONS[:k] for k in range(1, SCHEMA_VERSION)},
    "v2 as of 0d932de": [MIGRATIONS[0], _without(MIGRATIONS[1], _TERMS, _DERIVED_INDEX, _DIRTY)],
    "v2 as of 84e1d10": [MIGRATIONS[0], _without(MIGRATIONS[1], _DERIVED_INDEX, _DIRTY)],
    "v2 as of ead706e": [MIGRATIONS[0], _without(MIGRATIONS[1], _DIRTY)],
    "v5 as of 1fa3da5": [*MIGRATIONS[:4], _without(MIGRATIONS[4], *_FORMS)],
}
# What every version keeps, compared column by column (doc_index is a cache of sketches).
KEPT = ("documents", "pairs", "passages", "families", "rejections", "alerts", "outlet_chrome")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A current store with data in every table an older one has: the seed pair ingested and
    detected, a rejected input, an alert."""
    tmp = tmp_path_factory.mktemp("ref")
    shutil.copytree(ROOT / "examples" / "seeds", tmp / "in")
    (tmp / "in" / "bad.json").write_text("{oops")
    path = tmp / "ref.db"
    with Store(path) as store:
        ingest([tmp / "in"], store)
        detect(store, DetectParams(workers=1))
        a, b = (d.id for _, d in store.iter_documents())
        store.add_alerts([{"id": "al1", "article": {"id": a}, "origin": {"id": b},
                           "created": "2024-01-01T00:00:00Z", "flags": ["no_credit"]}])  # fmt: skip
    return path


def _columns(conn: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _old_store(path: Path, scripts: list[str], reference: Path) -> dict[str, list[str]]:
    """A store made by ``scripts`` (user_version = their number), filled with the reference's
    rows in the columns it has; returns those columns, by table."""
    conn = sqlite3.connect(path)
    for script in scripts:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version = {len(scripts)}")
    conn.execute("ATTACH DATABASE ? AS ref", (str(reference),))
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
        "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'documents_fts_%'"
    )]  # fmt: skip
    kept: dict[str, list[str]] = {}
    for table in tables:
        cols = [c for c in _columns(conn, table) if c in _columns(conn, table, "ref")]
        names = ", ".join(f'"{c}"' for c in cols)
        conn.execute(f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM ref."{table}"')
        kept[table] = cols
    conn.commit()
    conn.execute("DETACH DATABASE ref")
    conn.close()
    return kept


# Values newstrace derives and may recompute (a migration may clear them to detect them again).
DERIVED = {"documents": {"language"}}


def _rows(path: Path, table: str, cols: list[str]) -> list[tuple]:
    cols = [c for c in cols if c not in DERIVED.get(table, ())]
    conn = sqlite3.connect(path)
    try:
        names = ", ".join(f'"{c}"' for c in cols)
        return sorted(conn.execute(f'SELECT {names} FROM "{table}"').fetchall(), key=repr)
    finally:
        conn.close()


def _schema(path: Path) -> dict[str, list[str]]:
    """Every table, index and trigger by name, with a table's columns."""
    conn = sqlite3.connect(path)
    try:
        return {
            name: _columns(conn, name) if kind == "table" else [kind]
            for kind, name in conn.execute(
                "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        }
    finally:
        conn.close()


@pytest.mark.parametrize("version", sorted(SCHEMAS))
def test_an_older_store_opens_at_the_current_version_with_its_data(
    tmp_path: Path, reference: Path, version: str
) -> None:
    path = tmp_path / "old.db"
    kept = _old_store(path, SCHEMAS[version], reference)
    before = {t: _rows(path, t, kept[t]) for t in KEPT if t in kept}
    assert before["documents"], "the old store holds the documents"
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.count() == 2
        hits = store.search("Tillerson")
        assert len(hits) == 1 and hits[0].document.outlet == "Global Research"
        report = detect(store, DetectParams(workers=1))  # sketches of the current kind
        assert report.reused_pairs == 1
    # The current schema, whole; every row kept (doc_index, a cache, is refilled by detect).
    assert _schema(path) == _schema(reference)
    for table, rows in before.items():
        assert _rows(path, table, kept[table]) == rows, table
    # A second open changes nothing.
    with Store(path):
        pass
    assert _schema(path) == _schema(reference)
