"""The SQLite store: schema versions, WAL, idempotent adds, search, lookups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newstrace.errors import NotFoundError, StoreError
from newstrace.models import Attribution, Document
from newstrace.store import Store
from newstrace.store.schema import SCHEMA_VERSION


def _doc(i: int, text: str, url: str | None = None) -> Document:
    return Document(
        id=f"{i:016x}",
        text=text,
        url=url,
        outlet="Wire",
        title=f"Story {i}",
        attributions=(Attribution("RT", "source_line", "Source: RT", 0, 10),),
    )


def test_schema_wal_and_roundtrip(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        s.add_documents([_doc(1, "Alpha bravo charlie.")])
    with Store(path, readonly=True) as s:
        d = s.get("0000000000000001")
        assert d.text == "Alpha bravo charlie." and d.attributions[0].credited == "RT"
        assert s.integrity_check() == "ok"


def test_add_is_idempotent(store: Store) -> None:
    assert store.add_documents([_doc(1, "a b c")])[0].status == "added"
    assert store.add_documents([_doc(1, "a b c")])[0].status == "unchanged"
    assert store.count() == 1


def test_versions_by_url(store: Store) -> None:
    store.add_documents([_doc(1, "first", url="https://x.example/a")])
    out = store.add_documents([_doc(2, "second", url="https://x.example/a")])
    assert out[0].status == "version"
    assert store.get(f"{2:016x}").supersedes == f"{1:016x}"


def test_search_is_safe_and_ranked(store: Store) -> None:
    store.add_documents([_doc(1, "Putin met Trump in Hamburg."), _doc(2, "Floods in the valley.")])
    hits = store.search("putin hamburg")
    assert [h.document.id for h in hits] == [f"{1:016x}"]
    assert "[Putin]" in hits[0].snippet.marked("[", "]")
    # FTS syntax in user input must not raise.
    for q in ['"unbalanced', "AND OR NOT", "*", "a:b", "(", ""]:
        store.search(q)


def test_lookup_by_prefix_and_input_id(store: Store) -> None:
    store.add_documents([Document(id="abcdef0123456789", text="x", input_id="my-42")])
    assert store.resolve_id("abcdef") == "abcdef0123456789"
    assert store.resolve_id("my-42") == "abcdef0123456789"
    with pytest.raises(NotFoundError):
        store.resolve_id("nope")


def test_failed_batch_writes_nothing(store: Store) -> None:
    class Boom(Exception):
        pass

    def docs():
        yield _doc(1, "one")
        raise Boom

    with pytest.raises(Boom):
        store.add_documents(docs())
    assert store.count() == 0


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with Store(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this newstrace"):
        Store(path)


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable newstrace store"):
        Store(path)


def test_readonly_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        Store(tmp_path / "missing.db", readonly=True)


def test_readonly_on_an_empty_file_says_no_store_yet(tmp_path: Path) -> None:
    """A reader that opens a store another process is creating at that moment (the file there,
    the schema not yet committed) is told so, not that the store needs an upgrade."""
    path = tmp_path / "new.db"
    path.touch()
    with pytest.raises(StoreError, match="no newstrace store yet"):
        Store(path, readonly=True)


def test_read_only_open_takes_any_file_name(tmp_path: Path) -> None:
    # The read-only URI is built with Path.as_uri: '?', '#' and '%' in a name are not
    # parameters or fragments to SQLite.
    odd = tmp_path / "a?mode=rwc#x%20.db"
    with Store(odd) as s:
        s.add_documents([Document(id="abcdef0123456789", text="x")])
    with Store(odd, readonly=True) as s:
        assert s.count() == 1 and s.access == "read-only"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(odd.name)) == []


def test_vectors_of_another_window_kind_are_superseded(store: Store) -> None:
    """A document embedded again under another window kind of the same encoder (the corpus
    gained a language) keeps only the new vectors; other documents and other encoders keep
    theirs."""
    store.put_doc_vectors("use@2", [("a", "h1", b"lead"), ("b", "h2", b"lead")])
    store.put_doc_vectors("use@20", [("a", "h1", b"other encoder")])
    store.put_doc_vectors("use@2+windows1x1of5", [("a", "h1", b"all")], family="use@2")
    assert store.get_doc_vectors("use@2") == {"b": ("h2", b"lead")}
    assert store.get_doc_vectors("use@20") == {"a": ("h1", b"other encoder")}
    store.put_doc_vectors("use@2+windows1x1of5every3", [("a", "h1", b"third")], family="use@2")
    assert store.get_doc_vectors("use@2+windows1x1of5") == {}
    assert store.get_doc_vectors("use@2+windows1x1of5every3") == {"a": ("h1", b"third")}
    store.put_doc_vectors("use@2", [("a", "h1", b"lead again")], family="use@2")
    assert store.get_doc_vectors("use@2+windows1x1of5every3") == {}
    assert store.get_doc_vectors("use@2") == {"a": ("h1", b"lead again"), "b": ("h2", b"lead")}
