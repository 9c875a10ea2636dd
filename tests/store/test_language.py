"""The language column: schema 6 (from a version-5 store), filling, filters, counts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newstrace.errors import ConfigError
from newstrace.models import Document
from newstrace.pipeline import ingest
from newstrace.store import Store, _split_sql
from newstrace.store.schema import MIGRATIONS, SCHEMA_VERSION

GERMAN = (
    "Die Regierung teilte am Montag mit, dass die Verhandlungen mit den Gewerkschaften in der "
    "kommenden Woche fortgesetzt werden, nachdem Streiks Schulen und Kliniken lahmgelegt hatten."
)
UKRAINIAN = (
    "Уряд у понеділок заявив, що переговори з профспілками продовжаться наступного тижня, "
    "після того як страйки на три дні закрили школи та лікарні по всій країні."
)
ENGLISH = (
    "The government said on Monday that the negotiations with the unions would continue next "
    "week, after three days of strikes closed schools and hospitals across the country."
)


def version5_store(path: Path) -> None:
    """A store as newstrace left it before languages were detected: schema 5, and each
    document's language the retired stopword guesser's (Ukrainian guessed Russian)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:5]:
        for stmt in _split_sql(script):
            conn.execute(stmt)
    conn.execute("PRAGMA user_version = 5")
    for i, (text, guess) in enumerate([(GERMAN, "de"), (UKRAINIAN, "ru"), (ENGLISH, "en")]):
        conn.execute(
            "INSERT INTO documents (id, title, language, text, doc_text, raw, text_hash, "
            "ingested_at, format) VALUES (?, ?, ?, ?, ?, ?, ?, '2024-01-01T00:00:00', 'text')",
            (f"{i:016x}", f"old {i}", guess, text, text, text, f"{i:016x}"),
        )
    conn.close()


def test_version5_store_is_migrated_and_filled(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    version5_store(path)
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
        indexes = {
            r[0]
            for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        assert {"documents_language", "documents_language_pending"} <= indexes
        plan = " ".join(
            str(r[-1])
            for r in store.conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM documents WHERE language = 'de'"
            )
        )
        assert "documents_language" in plan
        # The old guesses are gone: not examined yet, unknown until then.
        old = store.get("0" * 16)
        assert (old.language, old.language_source) == (None, None)
        assert store.languages() == [(None, 3)]
        assert store.fill_languages(batch=2) == 3
        got = {d.title: (d.language, d.language_source) for _, d in store.iter_documents()}
        assert got == {
            "old 0": ("de", "detected"),
            "old 1": ("uk", "detected"),  # the guesser's "ru" was wrong
            "old 2": ("en", "detected"),
        }
        assert store.fill_languages() == 0  # nothing left to examine
    with Store(path, readonly=True) as store:  # the upgrade and the languages were committed
        assert store.get("1".rjust(16, "0")).language == "uk"


def test_the_next_ingest_fills_an_upgraded_store(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    version5_store(path)
    new = tmp_path / "new.txt"
    new.write_text(f"A headline\n\n{ENGLISH} And one more sentence.\n")
    with Store(path) as store:
        ingest([new], store)
        assert sorted(store.languages(), key=str) == [("de", 1), ("en", 2), ("uk", 1)]
        assert store.conn.execute(
            "SELECT COUNT(*) FROM documents WHERE language_source IS NULL"
        ).fetchone()[0] == 0


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "s.db")
    s.add_documents(
        [
            Document(id="de" + "0" * 14, title="Streik", text=GERMAN + " Streik.", outlet="A",
                     language="de", language_source="detected"),
            Document(id="uk" + "0" * 14, title="Страйк", text=UKRAINIAN + " Streik.", outlet="A",
                     language="uk", language_source="metadata"),
            Document(id="en" + "0" * 14, title="Strike", text=ENGLISH + " Streik.", outlet="B",
                     language="en", language_source="record"),
            Document(id="xx" + "0" * 14, title="?", text="Streik Streik.", outlet="B",
                     language=None, language_source="detected"),
        ]
    )  # fmt: skip
    return s


def test_language_and_its_source_round_trip(store: Store) -> None:
    d = store.get("uk" + "0" * 14)
    assert (d.language, d.language_source) == ("uk", "metadata")
    assert d.to_dict()["language"] == "uk"
    assert store.fill_languages() == 0  # all examined (one found none: it stays unknown)


def test_search_and_list_filter_by_language(store: Store) -> None:
    def ids(**kw: str) -> list[str]:
        return sorted(h.document.id[:2] for h in store.search("Streik", **kw))

    assert ids() == ["de", "en", "uk", "xx"]
    assert ids(language="de") == ["de"]
    assert ids(language="uk-UA") == ["uk"]  # read as a code
    assert ids(language="ukr", outlet="A") == ["uk"]
    assert ids(language="fr") == []
    assert [d.id[:2] for d in store.list_documents(language="en")] == ["en"]
    assert sorted(d.id[:2] for d in store.list_documents(outlet="B")) == ["en", "xx"]
    assert dict(store.languages()) == {"de": 1, "uk": 1, "en": 1, None: 1}


def test_a_bad_language_filter_says_how_to_fix_it(store: Store) -> None:
    with pytest.raises(ConfigError, match="language code such as en"):
        store.search("Streik", language="Klingon!")
    with pytest.raises(ConfigError):
        store.search("", language="??")  # checked before the (empty) query is
    with pytest.raises(ConfigError):
        store.list_documents(language="12")
