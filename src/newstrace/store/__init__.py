"""The store: SQLite (WAL) holding documents and, later, everything found about them.

This module is the only code that writes the database. Every write happens in a
transaction, so a crash leaves each document either fully stored or absent.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import shlex
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from newstrace.clean.boilerplate import OutletChrome, learn_outlet_chrome, remove_outlet_chrome
from newstrace.clean.language import detect_language, parse_language
from newstrace.errors import (
    AmbiguousIdError,
    CorruptStoreError,
    NotFoundError,
    Rejection,
    StoreError,
)
from newstrace.models import Attribution, Document, Link
from newstrace.store.schema import MIGRATIONS, SCHEMA_VERSION
from newstrace.store.search import (
    MAX_QUERY_TERMS,
    Highlighted,
    fts5_query,
    parse_query,
    pick_markers,
    split_marked,
)

__all__ = ["MAX_QUERY_TERMS", "AddOutcome", "Highlighted", "SearchHit", "Store", "store_error"]

_DOC_COLUMNS = (
    "id", "input_id", "url", "canonical_url", "outlet", "host", "title", "author", "published",
    "language", "text", "doc_text", "raw", "attributions", "links", "boilerplate",
    "outlet_boilerplate", "source_path", "format", "version", "supersedes", "text_hash",
    "ingested_at", "published_source", "language_source",
)  # fmt: skip


def text_hash(text: str) -> str:
    """A short hash of a clean text (changes whenever the text does)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class AddOutcome:
    """What storing one document did: ``added``, ``version`` (same URL, new content) or
    ``unchanged`` (already stored)."""

    id: str
    status: Literal["added", "version", "unchanged"]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text search result.

    Attributes:
        document: the matching document.
        snippet: the passage of its text around the matches (about :data:`SNIPPET_WORDS`
            words, `` … `` where text is left out), with the spans of the matches.
        title: its title exactly as stored, with the spans of the matches (none where the
            title does not match; empty text when it has none).
        score: FTS5's bm25 rank (lower is better).
    """

    document: Document
    snippet: Highlighted
    title: Highlighted
    score: float


SNIPPET_WORDS = 24
"""About how many words of text a search hit's snippet shows (FTS5's ``snippet()`` limit)."""
_MARKS = ("\ufdd0", "\ufdd1")
"""What FTS5 puts around matches, read back by :func:`~newstrace.store.search.split_marked`."""
BUSY_TIMEOUT_S = 30
"""How long an open or a write waits for another process's lock on the store."""
QUICK_CHECK_MAX_BYTES = 512 * 2**20
"""The largest store (database file and WAL together) whose every page is checked on open
(``PRAGMA quick_check``); a larger one gets the cheap check (see :meth:`Store.verify`)."""
_SQLITE_MAGIC = b"SQLite format 3\x00"


def damaged_store_error(path: str | Path, detail: str) -> CorruptStoreError:
    """The error for a store SQLite finds damaged: the file, what is wrong, how to recover."""
    detail = " ".join(detail.split())
    detail = detail if len(detail) <= 300 else detail[:299] + "…"
    p = Path(path)
    new = p.with_name(p.stem + "-recovered" + (p.suffix or ".db"))
    return CorruptStoreError(
        f"{p} is damaged ({detail}); newstrace stops and writes nothing more into it. "
        "Recover what is readable into a new store with "
        f'`sqlite3 {shlex.quote(str(p))} ".recover" | sqlite3 {shlex.quote(str(new))}` '
        f"and use --db {shlex.quote(str(new))}, or move {p.name} aside and ingest the inputs again."
    )


def not_a_database_error(path: str | Path, detail: str) -> StoreError:
    """The error for a file that is no SQLite database (or whose header is destroyed)."""
    return StoreError(
        f"{path} is not a usable newstrace store: not an SQLite database, or its header is "
        f"damaged ({detail}); pass the right --db, or if it was a newstrace store, move it aside "
        "and ingest the inputs again"
    )


def store_error(path: str | Path, exc: sqlite3.DatabaseError) -> StoreError:
    """An SQLite error met while using the store at ``path``, as a sentence a person can act on
    (a damaged file, one that is no database, a lock held too long, a full disk…)."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    if name.startswith("SQLITE_CORRUPT"):
        return damaged_store_error(path, str(exc))
    if isinstance(exc, sqlite3.OperationalError) and str(exc).startswith("Could not decode to UTF-8"):
        # A damaged page SQLite's cheap checks let through, met as garbage in a text column
        # (Python's sqlite3 says so, naming the column and quoting the bytes: left out here).
        return damaged_store_error(path, str(exc).split(" with text ", 1)[0])
    if name.startswith("SQLITE_NOTADB"):
        return not_a_database_error(path, str(exc))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(
            f"{path} is busy: another process held its lock for over {BUSY_TIMEOUT_S} s ({exc}); "
            "try again when it is done"
        )
    if name.startswith("SQLITE_FULL"):
        return StoreError(f"{path}: the disk is full ({exc}); nothing of this run was half-written")
    if name.startswith("SQLITE_READONLY"):
        return StoreError(
            f"{path} is read-only here ({exc}): commands that write to it (ingest, detect, "
            "import, watch) need write access to the file and its directory; those that only "
            "read it work"
        )
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM")):
        return StoreError(f"{path} cannot be opened for this ({exc}); check the file's permissions")
    return StoreError(f"{path}: database error ({name or type(exc).__name__}: {exc})")


MIN_ID_PREFIX = 4
"""The shortest id prefix taken for an id (a shorter one is refused even when it is unique
today: it would stop being so as the store grows)."""
ID_MATCHES_SHOWN = 10
"""How many matching documents an ambiguous id's message lists."""


def _documents(n: int) -> str:
    return f"{n} document" if n == 1 else f"{n} documents"


def _ambiguous(head: str, rows: Sequence[sqlite3.Row], total: int) -> AmbiguousIdError:
    """The error for an id that names several documents: ``head``, then one line per match
    (id, outlet, date, title), at most :data:`ID_MATCHES_SHOWN` of them."""
    shown = list(rows[:ID_MATCHES_SHOWN])
    lines = [head]
    for r in shown:
        title = " ".join((r["title"] or "").split())
        title = title if len(title) <= 50 else title[:49] + "…"
        line = f"  {r['id']}  {r['outlet'] or '(no outlet)'}  {(r['published'] or 'undated')[:10]}"
        lines.append(f"{line}  {title}" if title else line)
    if total > len(shown):
        lines.append(f"  … and {total - len(shown)} more")
    return AmbiguousIdError("\n".join(lines), [str(r["id"]) for r in shown], total)


class Store:
    """A newstrace database.

    Example:
        >>> import tempfile, os
        >>> from newstrace.models import Document
        >>> with Store(os.path.join(tempfile.mkdtemp(), "n.db")) as store:
        ...     store.add_documents([Document(id="a1", text="Hello world")])[0].status
        'added'
    """

    def __init__(
        self,
        path: str | Path = "newstrace.db",
        *,
        readonly: bool = False,
        verify: bool | None = None,
    ) -> None:
        """Open (or create) the store at ``path``.

        Args:
            readonly: open for reading only (the file must exist and be at the current schema).
            verify: check the file for damage before anything else (:meth:`verify`); by
                default when opening for writing, so that nothing is ever written into a damaged
                store. Readers that open once per command pass ``True``; the web app, which
                opens per request, reads without it.

        Raises:
            StoreError: the store cannot be used (:class:`CorruptStoreError` when damaged).
        """
        self.path = Path(path)
        self.checked: str = "not checked"
        """What :meth:`verify` checked when the store was opened (``quick_check``, ``header``
        or ``new``)."""
        if readonly and not self.path.exists():
            raise StoreError(
                f"no store at {self.path} (run `newstrace ingest` first, or pass --db)"
            )
        if self.path.exists() and self.path.is_dir():
            raise StoreError(f"{self.path} is a directory, not a database file")
        self.access: Literal["read-write", "read-only", "immutable"] = "read-write"
        """How the file is open: ``read-only`` (SQLite's ``mode=ro``) or, for a WAL store in a
        place where its shared-memory file cannot be created, ``immutable`` (see
        :meth:`_connect_readonly`)."""
        try:
            if readonly:
                self.conn = self._connect_readonly()
            else:
                self.conn = _connect(str(self.path))
        except sqlite3.DatabaseError as exc:
            raise store_error(self.path, exc) from exc
        try:
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            if verify if verify is not None else not readonly:
                self.verify()  # before anything below can write
            if not readonly:
                self._use_wal()
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate(readonly)
        except BaseException as exc:
            self.conn.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise store_error(self.path, exc) from exc
            raise

    def _connect_readonly(self) -> sqlite3.Connection:
        """Open the file for reading only, however little the reader may write around it.

        SQLite's ``mode=ro`` reads a store on a read-only file, but a store in WAL mode (every
        store newstrace wrote) also needs its ``-shm`` file, which SQLite creates beside the
        database when it is missing: in a directory the reader cannot write (a read-only disk,
        a 0555 folder) that fails. Then, when no write-ahead log holds changes (a store whose
        last writer closed it cleanly has none), the file is opened ``immutable``: SQLite takes
        it that nothing changes it while it is read, which is true of such a place unless a
        process with more rights writes it meanwhile. A log that does hold changes cannot be
        read without the ``-shm`` file, and ignoring it would show an older store, so that is
        refused with what to do.
        """
        uri = self.path.absolute().as_uri() + "?mode=ro"  # as_uri: '?', '#', '%' in names
        conn = _connect(uri, uri=True)
        try:
            conn.execute("PRAGMA user_version").fetchone()  # reads the WAL index, if any
            self.access = "read-only"
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            name = str(getattr(exc, "sqlite_errorname", ""))
            if not name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
                raise
        wal = self.path.with_name(self.path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(
                f"{self.path} cannot be read here: its write-ahead log {wal.name} holds changes "
                f"not yet in the main file, and reading them needs {self.path.name}-shm, which "
                "cannot be created in this directory; copy the store with its -wal file to a "
                "writable place, or have a process that may write there open it once "
                "(which folds the log into the file)"
            )
        conn = _connect(uri + "&immutable=1", uri=True)
        self.access = "immutable"
        return conn

    def verify(self) -> None:
        """Refuse a damaged store: raise :class:`CorruptStoreError` (naming the file, what is
        wrong and how to recover) when SQLite finds damage. Run once, when the store is opened.

        Up to :data:`QUICK_CHECK_MAX_BYTES` (512 MiB, database file and WAL together), every
        page is checked with ``PRAGMA quick_check`` (b-tree structure, page and cell bounds,
        free list; it skips matching indexes to tables). Measured on a 101 MB store of 6,500
        synthetic articles, 2-core machine: 0.07-0.08 s with the file in the OS cache, 0.27-0.34 s
        read from disk (an open without the check: 2 ms); so about 0.4 s warm and 1.7 s cold at
        the limit. A larger store gets the cheap check instead (1 ms warm, 5 ms from disk): the
        header (SQLite's magic string, a page count the file is long enough to hold) and the
        schema, read whole; damage deeper in such a store is met by the query that reads it,
        which fails with the same message (:func:`store_error`), its transaction rolled back.
        """
        db_size = self.path.stat().st_size if self.path.exists() else 0
        if db_size == 0:
            self.checked = "new"
            return
        wal = self.path.with_name(self.path.name + "-wal")
        wal_size = wal.stat().st_size if wal.exists() else 0
        try:
            if db_size + wal_size <= QUICK_CHECK_MAX_BYTES:
                rows = [str(r[0]) for r in self.conn.execute("PRAGMA quick_check(5)")]
                if rows != ["ok"]:
                    raise damaged_store_error(self.path, "SQLite's quick_check: " + "; ".join(rows))
                self.checked = "quick_check"
                return
            with self.path.open("rb") as f:
                header = f.read(100)
            if not header.startswith(_SQLITE_MAGIC):
                raise not_a_database_error(self.path, "no SQLite header")
            page_size = int.from_bytes(header[16:18], "big")
            page_size = 65536 if page_size == 1 else page_size
            pages = int.from_bytes(header[28:32], "big")
            header_valid = header[24:28] == header[92:96]  # else SQLite ignores the count too
            if header_valid and wal_size == 0 and pages * page_size > db_size:
                raise damaged_store_error(
                    self.path,
                    f"the file is truncated: its header counts {pages} pages of {page_size} "
                    f"bytes, the file holds {db_size // page_size}",
                )
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self.conn.execute("PRAGMA user_version").fetchone()
            self.checked = "header"
        except sqlite3.DatabaseError as exc:
            raise store_error(self.path, exc) from exc

    # -- lifecycle -------------------------------------------------------------------------
    def _use_wal(self) -> None:
        """Put the store in WAL mode (a no-op when it is already, the usual case).

        The switch needs an exclusive lock, and when two connections ask for it together SQLite
        answers "database is locked" at once instead of waiting (waiting could deadlock); so it
        is tried again for up to :data:`BUSY_TIMEOUT_S`.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL").fetchone()
                return
            except sqlite3.OperationalError as exc:
                busy = getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY")
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _schema_version(self) -> int:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this newstrace "
                f"understands ({SCHEMA_VERSION}); upgrade newstrace"
            )
        return version

    def _migrate(self, readonly: bool) -> None:
        """Bring the schema up to :data:`SCHEMA_VERSION`, safely against other processes.

        Several processes may create or upgrade one store at the same moment (two ``ingest``
        runs on a new ``--db``). Each migration runs in a ``BEGIN IMMEDIATE`` transaction,
        which takes the database's write lock (others wait, up to the busy timeout), and the
        version is read again inside it: whoever gets the lock second finds the work done and
        applies nothing. A migration and its version number commit together, so a crash
        leaves the store at one version or the next, never in between.
        """
        version = self._schema_version()
        if version == SCHEMA_VERSION:
            if not readonly:
                self._repair_drift()
            return
        if readonly and version == 0:
            raise StoreError(
                f"{self.path} holds no newstrace store yet (empty, or being created right now); "
                "run `newstrace ingest` first, or pass --db"
            )
        if readonly:
            raise StoreError(f"{self.path} needs a schema upgrade; open it once without read-only")
        while version < SCHEMA_VERSION:
            with self.transaction():
                version = self._schema_version()  # again, under the lock
                if version == SCHEMA_VERSION:
                    break
                for stmt in _split_sql(MIGRATIONS[version]):
                    self.conn.execute(stmt)
                version += 1
                self.conn.execute(f"PRAGMA user_version = {version}")
        self._repair_drift()

    def _repair_drift(self) -> None:
        """Add what the schema lacks at its version: migrations 2 and 5 were extended after
        stores had been made with them (the sketch index's ``terms`` and ``forms``, the
        ``outlet_dirty`` table, an index), so such a store is at the version without them.

        Whatever the migrations make and the file lacks is created: a table, an index, a
        trigger, a column (with its default). The sketch index is a cache that ``detect``
        refills, so when its columns differ it is made anew, empty. Costs a look at the schema
        (one query) on each open for writing; changes nothing in a sound store.
        """
        want = _expected_schema()
        have = {r[0]: r[1] for r in self.conn.execute("SELECT name, type FROM sqlite_master")}
        present: dict[str, set[str]] = {}
        for table, col in self.conn.execute(
            "SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p "
            "WHERE m.type = 'table'"
        ):
            present.setdefault(table, set()).add(col)
        steps: list[str] = []
        remade: set[str] = set()
        for name, (kind, _, sql, columns) in want.items():
            if kind != "table" or name not in have:
                continue
            missing = [c for c in columns if c[0] not in present.get(name, set())]
            if missing and name in _CACHE_TABLES:
                steps += [f'DROP TABLE "{name}"', sql]
                remade.add(name)
                continue
            for col, decl, notnull, default in missing:
                if notnull and default is None:
                    raise StoreError(
                        f"{self.path}: table {name} lacks column {col}, which cannot be added "
                        "to existing rows; ingest again into a new store"
                    )
                extra = (" NOT NULL" if notnull else "") + (
                    f" DEFAULT {default}" if default is not None else ""
                )
                steps.append(f'ALTER TABLE "{name}" ADD COLUMN "{col}" {decl}{extra}')
        for name, (kind, table, sql, _) in sorted(want.items(), key=lambda kv: kv[1][0] != "table"):
            if name not in have or (kind != "table" and table in remade):
                steps.append(sql)
        if steps:
            with self.transaction():
                for stmt in steps:
                    self.conn.execute(stmt)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``); rolled back if the block raises."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # -- documents -------------------------------------------------------------------------
    def add_documents(self, docs: Iterable[Document]) -> list[AddOutcome]:
        """Store documents in one transaction; a document already stored is left as it is.

        A document whose URL is already stored with other content becomes a new version
        (``version`` + 1, ``supersedes`` the latest one); nothing is overwritten.
        """
        outcomes: list[AddOutcome] = []
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction() as conn:
            for doc in docs:
                if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc.id,)).fetchone():
                    outcomes.append(AddOutcome(doc.id, "unchanged"))
                    continue
                version, supersedes, status = 1, None, "added"
                key = doc.canonical_url or doc.url
                if key:
                    prev = conn.execute(
                        "SELECT id, version FROM documents WHERE canonical_url = ? "
                        "ORDER BY version DESC LIMIT 1",
                        (key,),
                    ).fetchone()
                    if prev:
                        version, supersedes, status = prev["version"] + 1, prev["id"], "version"
                row = self._row(doc, now, version, supersedes)
                conn.execute(
                    f"INSERT INTO documents ({', '.join(_DOC_COLUMNS)}) "
                    f"VALUES ({', '.join('?' for _ in _DOC_COLUMNS)})",
                    row,
                )
                if doc.outlet:
                    # In the same transaction: a crash before the outlet's chrome is relearned
                    # leaves it marked, and the next ingest relearns it.
                    conn.execute(
                        "INSERT OR IGNORE INTO outlet_dirty (outlet) VALUES (?)", (doc.outlet,)
                    )
                outcomes.append(AddOutcome(doc.id, status))  # type: ignore[arg-type]
        return outcomes

    @staticmethod
    def _row(doc: Document, now: str, version: int, supersedes: str | None) -> tuple[Any, ...]:
        return (
            doc.id, doc.input_id, doc.url, doc.canonical_url or doc.url, doc.outlet, doc.host,
            doc.title, doc.author, doc.published, doc.language, doc.text, doc.text, doc.raw,
            json.dumps([a.to_dict() for a in doc.attributions], ensure_ascii=False),
            json.dumps([link.to_dict() for link in doc.links], ensure_ascii=False),
            json.dumps(list(doc.boilerplate), ensure_ascii=False), "[]",
            doc.source_path, doc.format, version, supersedes, text_hash(doc.text), now,
            doc.published_source, doc.language_source,
        )  # fmt: skip

    @staticmethod
    def _doc(row: sqlite3.Row) -> Document:
        keys = row.keys()
        return Document(
            id=row["id"],
            text=row["text"],
            raw=row["raw"] if "raw" in keys else "",
            url=row["url"],
            canonical_url=row["canonical_url"],
            outlet=row["outlet"],
            host=row["host"],
            title=row["title"],
            author=row["author"],
            published=row["published"],
            published_source=row["published_source"] if "published_source" in keys else None,
            language=row["language"],
            language_source=row["language_source"] if "language_source" in keys else None,
            attributions=tuple(Attribution.from_dict(a) for a in json.loads(row["attributions"])),
            links=tuple(Link(**link) for link in json.loads(row["links"])),
            boilerplate=tuple(json.loads(row["boilerplate"]))
            + tuple(json.loads(row["outlet_boilerplate"])),
            input_id=row["input_id"],
            source_path=row["source_path"],
            format=row["format"],
            version=row["version"],
            supersedes=row["supersedes"],
        )

    def resolve_id(self, id_or_prefix: str) -> str:
        """The full id of a document given its id, a unique prefix of it (at least
        :data:`MIN_ID_PREFIX` characters), or its input id.

        Raises:
            AmbiguousIdError: the prefix is too short, or several documents match; the message
                lists them (at most :data:`ID_MATCHES_SHOWN`).
            NotFoundError: nothing matches.

        Example:
            >>> import tempfile, os
            >>> store = Store(os.path.join(tempfile.mkdtemp(), "n.db"))
            >>> _ = store.add_documents([Document(id="ab12" + "0" * 12, text="x"),
            ...                          Document(id="ab34" + "0" * 12, text="y")])
            >>> store.resolve_id("AB12")
            'ab12000000000000'
            >>> try:
            ...     store.resolve_id("ab")
            ... except AmbiguousIdError as exc:
            ...     print(exc)
            id prefix 'ab' is too short (give at least 4 characters); 2 documents match:
              ab12000000000000  (no outlet)  undated
              ab34000000000000  (no outlet)  undated
            >>> store.close()
        """
        q = id_or_prefix.strip()
        row = self.conn.execute("SELECT id FROM documents WHERE id = ?", (q,)).fetchone()
        if row:
            return str(row["id"])
        prefix = q.lower() if re.fullmatch(r"[0-9a-fA-F]{1,63}", q) else None
        if prefix is not None and len(prefix) >= MIN_ID_PREFIX:
            rows = self._ids_with_prefix(prefix, 2)
            if len(rows) == 1:
                return str(rows[0]["id"])
        by_input = self.conn.execute(
            "SELECT id, outlet, published, title FROM documents WHERE input_id = ? "
            "ORDER BY version DESC, id LIMIT ?",
            (q, ID_MATCHES_SHOWN + 1),
        ).fetchall()
        if len(by_input) == 1:
            return str(by_input[0]["id"])
        if len(by_input) > 1:
            total = int(
                self.conn.execute(
                    "SELECT COUNT(*) FROM documents WHERE input_id = ?", (q,)
                ).fetchone()[0]
            )
            raise _ambiguous(f"input id {q!r} is shared by {total} documents; give the id:",
                             by_input, total)  # fmt: skip
        if prefix is not None:
            rows = self._ids_with_prefix(prefix, ID_MATCHES_SHOWN + 1)
            if len(prefix) < MIN_ID_PREFIX and rows:
                total = self._count_prefix(prefix)
                raise _ambiguous(
                    f"id prefix {q!r} is too short (give at least {MIN_ID_PREFIX} characters); "
                    f"{_documents(total)} match:",
                    rows,
                    total,
                )
            if len(rows) > 1:
                total = self._count_prefix(prefix)
                raise _ambiguous(
                    f"id prefix {q!r} matches {_documents(total)}; give more characters:",
                    rows,
                    total,
                )
        raise NotFoundError(f"no document with id {q!r} in {self.path}")

    def _ids_with_prefix(self, prefix: str, limit: int) -> list[sqlite3.Row]:
        """Documents whose id starts with ``prefix`` (lower-case hex), in id order. A range
        over the primary key: ids are lower-case hex, and ``g`` sorts after every hex digit."""
        return self.conn.execute(
            "SELECT id, outlet, published, title FROM documents WHERE id >= ? AND id < ? "
            "ORDER BY id LIMIT ?",
            (prefix, prefix + "g", limit),
        ).fetchall()

    def _count_prefix(self, prefix: str) -> int:
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM documents WHERE id >= ? AND id < ?", (prefix, prefix + "g")
            ).fetchone()[0]
        )

    def get(self, id_or_prefix: str) -> Document:
        """One document by id (or unique id prefix, or input id)."""
        doc_id = self.resolve_id(id_or_prefix)
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return self._doc(row)

    def get_many(self, ids: Sequence[str]) -> dict[str, Document]:
        """Documents by exact id (missing ids are left out)."""
        out: dict[str, Document] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            marks = ",".join("?" for _ in chunk)
            for row in self.conn.execute(f"SELECT * FROM documents WHERE id IN ({marks})", chunk):
                out[row["id"]] = self._doc(row)
        return out

    def count(self) -> int:
        """How many documents the store holds."""
        return int(self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def iter_documents(
        self, *, after_seq: int = 0, batch: int = 1000
    ) -> Iterator[tuple[int, Document]]:
        """Every document with its insertion sequence number, oldest first."""
        last = after_seq
        while True:
            rows = self.conn.execute(
                "SELECT * FROM documents WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row["seq"], self._doc(row)
            last = rows[-1]["seq"]

    def list_documents(
        self,
        *,
        outlet: str | None = None,
        language: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Document]:
        """Documents, newest publication first (undated last; SQLite sorts NULL lowest); only
        ``outlet``'s, only those in ``language`` (any code
        :func:`~newstrace.clean.language.parse_language` reads) when given."""
        where: list[str] = []
        args: list[Any] = []
        if outlet:
            where.append("outlet = ?")
            args.append(outlet)
        if language:
            where.append("language = ?")
            args.append(parse_language(language))
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self.conn.execute(
            f"SELECT * FROM documents {clause} ORDER BY published DESC, seq DESC LIMIT ? OFFSET ?",
            [*args, limit, offset],
        ).fetchall()
        return [self._doc(r) for r in rows]

    def languages(self) -> list[tuple[str | None, int]]:
        """Each language with its number of documents, largest first (None: unknown)."""
        rows = self.conn.execute(
            "SELECT language, COUNT(*) AS n FROM documents GROUP BY language "
            "ORDER BY n DESC, language"
        ).fetchall()
        return [(r["language"], int(r["n"])) for r in rows]

    def fill_languages(self, *, batch: int = 500) -> int:
        """Detect the language of every document not yet examined (``language_source`` NULL:
        documents stored before schema version 6); returns how many were examined.

        Ingest and detect run it, so an upgraded store gets its languages on the first of them;
        each batch is one transaction, so an interrupted run leaves the rest for the next.
        """
        done = 0
        last = 0
        while True:
            rows = self.conn.execute(
                "SELECT seq, title, text FROM documents WHERE language_source IS NULL AND seq > ? "
                "ORDER BY seq LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return done
            found = [(detect_language(r["text"], r["title"])[0], r["seq"]) for r in rows]
            with self.transaction() as conn:
                conn.executemany(
                    "UPDATE documents SET language = ?, language_source = 'detected' "
                    "WHERE seq = ? AND language_source IS NULL",
                    found,
                )
            done += len(rows)
            last = rows[-1]["seq"]

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        language: str | None = None,
    ) -> list[SearchHit]:
        """Full-text search over titles and texts, best first, with the matches highlighted.

        Quoted text is a phrase, every other word must match too; nothing typed is read as
        FTS5 syntax (:mod:`newstrace.store.search`). The filters are part of the query, so
        ``limit`` hits come back whenever that many match.

        Args:
            query: what a person typed (``"Deep State" Trump``).
            limit: the most hits returned.
            outlet: only documents of this outlet.
            date_from: only documents published on or after this day (``YYYY-MM-DD``;
                undated documents are left out when a date bound is given).
            date_to: only documents published on or before this day.
            language: only documents in this language (``en``; any code
                :func:`~newstrace.clean.language.parse_language` reads).

        Raises:
            ConfigError: when ``language`` reads as no language.

        Example:
            >>> import tempfile, os
            >>> from newstrace.models import Document
            >>> with Store(os.path.join(tempfile.mkdtemp(), "n.db")) as store:
            ...     _ = store.add_documents([Document(id="a1", text="The deep state is here.")])
            ...     store.search('"Deep State"')[0].snippet.marked("[", "]")
            'The [deep state] is here.'
        """
        lang = parse_language(language) if language else None  # checked even for no query
        fts = fts5_query(parse_query(query))
        if not fts:
            return []
        where, args = ["documents_fts MATCH :q"], {"q": fts, "limit": limit}
        if outlet:
            where.append("d.outlet = :outlet")
            args["outlet"] = outlet
        if date_from:  # an undated document's NULL compares false: left out
            where.append("substr(d.published, 1, 10) >= :date_from")
            args["date_from"] = date_from
        if date_to:
            where.append("substr(d.published, 1, 10) <= :date_to")
            args["date_to"] = date_to
        if lang:
            where.append("d.language = :language")
            args["language"] = lang
        open_mark, close_mark = _MARKS
        # Ranked first, then snippets and documents for the hits alone: snippet() over every
        # match before the sort made a common word's search twice as slow.
        rows = self.conn.execute(
            "WITH top AS (SELECT documents_fts.rowid AS seq, bm25(documents_fts) AS score "
            "FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid "
            f"WHERE {' AND '.join(where)} ORDER BY score LIMIT :limit) "
            f"SELECT d.*, snippet(documents_fts, 1, :open, :close, ' … ', {SNIPPET_WORDS}) AS snip, "
            "highlight(documents_fts, 0, :open, :close) AS title_marked, top.score AS score "
            "FROM top JOIN documents_fts ON documents_fts.rowid = top.seq "
            "JOIN documents d ON d.seq = top.seq "
            "WHERE documents_fts MATCH :q ORDER BY top.score, top.seq",
            {**args, "open": open_mark, "close": close_mark},
        ).fetchall()
        hits = []
        for r in rows:
            title, text = r["title"] or "", r["text"] or ""
            if any(m in title or m in text for m in _MARKS):
                snippet, title_hl = self._highlight_apart(fts, r["seq"], title, text)
            else:
                snippet = split_marked(r["snip"] or "", open_mark, close_mark)
                title_hl = split_marked(
                    r["title_marked"] or "", open_mark, close_mark, squeeze=False
                )
            hits.append(SearchHit(self._doc(r), snippet, title_hl, float(r["score"])))
        return hits

    def _highlight_apart(
        self, fts: str, seq: int, title: str, text: str
    ) -> tuple[Highlighted, Highlighted]:
        """Snippet and title of one document that holds the usual match markers itself, marked
        with others it does not hold (unmarked in the absurd case that it holds them all)."""
        marks = pick_markers([title, text])
        open_mark, close_mark = marks or ("", "")
        r = self.conn.execute(
            f"SELECT snippet(documents_fts, 1, :open, :close, ' … ', {SNIPPET_WORDS}), "
            "highlight(documents_fts, 0, :open, :close) FROM documents_fts "
            "WHERE documents_fts MATCH :q AND rowid = :seq",
            {"open": open_mark, "close": close_mark, "q": fts, "seq": seq},
        ).fetchone()
        if marks is None:
            return Highlighted(" ".join((r[0] or "").split())), Highlighted(title)
        return split_marked(r[0] or "", *marks), split_marked(r[1] or "", *marks, squeeze=False)

    def outlets(self) -> list[tuple[str | None, int]]:
        """Each outlet with its number of documents, largest first."""
        rows = self.conn.execute(
            "SELECT outlet, COUNT(*) AS n FROM documents GROUP BY outlet ORDER BY n DESC, outlet"
        ).fetchall()
        return [(r["outlet"], int(r["n"])) for r in rows]

    # -- outlet chrome ---------------------------------------------------------------------
    def dirty_outlets(self) -> list[str]:
        """Outlets that received documents since their chrome was last learned."""
        return [
            r["outlet"]
            for r in self.conn.execute("SELECT outlet FROM outlet_dirty ORDER BY outlet")
        ]

    def relearn_outlet_chrome(
        self, outlets: Iterable[str] | None = None, *, min_docs: int = 3
    ) -> int:
        """Learn each outlet's recurring chrome from its documents and re-clean them (by default
        every outlet marked dirty by an earlier add, interrupted runs included).

        Returns how many documents' texts changed.
        """
        changed = 0
        todo = self.dirty_outlets() if outlets is None else outlets
        for outlet in sorted(set(o for o in todo if o)):
            rows = self.conn.execute(
                "SELECT id, doc_text, text, canonical_url FROM documents WHERE outlet = ? ORDER BY seq",
                (outlet,),
            ).fetchall()
            # Count each URL once: versions of one article would otherwise look like chrome.
            distinct: dict[str, str] = {}
            for r in rows:
                distinct.setdefault(r["canonical_url"] or r["id"], r["doc_text"])
            chrome = learn_outlet_chrome(outlet, distinct.values(), min_docs=min_docs)
            changed += self._apply_outlet_chrome(chrome, rows)
        return changed

    def _apply_outlet_chrome(self, chrome: OutletChrome, rows: list[sqlite3.Row]) -> int:
        changed = 0
        with self.transaction() as conn:
            conn.execute("DELETE FROM outlet_dirty WHERE outlet = ?", (chrome.outlet,))
            conn.execute("DELETE FROM outlet_chrome WHERE outlet = ?", (chrome.outlet,))
            conn.executemany(
                "INSERT INTO outlet_chrome (outlet, key, docs) VALUES (?, ?, ?)",
                [(chrome.outlet, k, n) for k, n in chrome.keys.items()],
            )
            for r in rows:
                new_text, removed = remove_outlet_chrome(r["doc_text"], chrome)
                if new_text != r["text"]:
                    conn.execute(
                        "UPDATE documents SET text = ?, outlet_boilerplate = ?, text_hash = ? WHERE id = ?",
                        (
                            new_text,
                            json.dumps(removed, ensure_ascii=False),
                            text_hash(new_text),
                            r["id"],
                        ),
                    )
                    changed += 1
        return changed

    def outlet_chrome(self, outlet: str) -> dict[str, int]:
        """The chrome lines learned for an outlet (content key -> number of documents)."""
        rows = self.conn.execute("SELECT key, docs FROM outlet_chrome WHERE outlet = ?", (outlet,))
        return {r["key"]: int(r["docs"]) for r in rows}

    # -- index -----------------------------------------------------------------------------
    def documents_to_index(self) -> list[tuple[str, str, str]]:
        """``(id, text_hash, text)`` of documents whose index entry is missing or stale."""
        rows = self.conn.execute(
            "SELECT d.id, d.text_hash, d.text FROM documents d LEFT JOIN doc_index i ON i.doc_id = d.id "
            "WHERE i.doc_id IS NULL OR i.text_hash != d.text_hash ORDER BY d.seq"
        ).fetchall()
        return [(r["id"], r["text_hash"], r["text"]) for r in rows]

    def put_index(self, rows: Iterable[tuple[str, str, bytes, bytes, bytes, int, bytes]]) -> None:
        """Store index entries ``(doc_id, text_hash, minhash, fingerprints, terms, shingles,
        forms)``."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO doc_index (doc_id, text_hash, minhash, fingerprints, terms, "
                "shingles, forms) VALUES (?, ?, ?, ?, ?, ?, ?)",
                list(rows),
            )

    def index_entries(self) -> Iterator[sqlite3.Row]:
        """Every index entry with its document's outlet, date, title and length in characters
        (``chars``), in insertion order (streamed: a million entries are gigabytes as rows)."""
        return iter(
            self.conn.execute(
                "SELECT i.doc_id, i.text_hash, i.minhash, i.fingerprints, i.terms, i.forms, d.outlet, "
                "d.published, d.title, length(d.text) AS chars, d.seq FROM doc_index i "
                "JOIN documents d ON d.id = i.doc_id "
                "ORDER BY d.seq"
            )
        )

    def short_texts(self, max_chars: int) -> Iterator[tuple[str, str | None, str]]:
        """``(id, title, text)`` of every document whose text is ``max_chars`` characters or
        fewer (headline flashes, notices)."""
        return iter(
            self.conn.execute(
                "SELECT id, title, text FROM documents WHERE length(text) <= ? ORDER BY seq", (max_chars,)
            )
        )

    def index_hashes(self) -> dict[str, str]:
        """The text hash each indexed document was sketched from, by document id."""
        return dict(self.conn.execute("SELECT doc_id, text_hash FROM doc_index").fetchall())

    def clear_detection(self) -> None:
        """Forget every sketch, verified pair, passage and family (the documents stay), so the
        next ``detect`` starts from scratch, as on a freshly ingested store."""
        with self.transaction() as conn:
            for table in ("passages", "pairs", "families", "doc_index", "corpus_stats"):
                conn.execute(f"DELETE FROM {table}")

    # -- pairs -----------------------------------------------------------------------------
    def checked_pairs(self) -> dict[tuple[str, str], tuple[str, str]]:
        """Verified pairs ``(a, b)`` with the text hashes they were verified on."""
        return {
            (r["a"], r["b"]): (r["hash_a"], r["hash_b"])
            for r in self.conn.execute("SELECT a, b, hash_a, hash_b FROM pairs")
        }

    def pair_fingerprints(self) -> dict[tuple[str, str], bytes]:
        """The passage fingerprints each verified pair's verdict rests on (uint64 bytes)."""
        return {(r[0], r[1]): r[2] for r in self.conn.execute("SELECT a, b, fingerprints FROM pairs")}

    def corpus_stat(self, key: str) -> bytes | None:
        """A corpus-level statistic ``detect`` keeps between runs (e.g. ``common``)."""
        row = self.conn.execute("SELECT value FROM corpus_stats WHERE key = ?", (key,)).fetchone()
        return bytes(row[0]) if row else None

    def put_corpus_stat(self, key: str, value: bytes) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO corpus_stats (key, value) VALUES (?, ?)", (key, value))

    def put_pairs(self, rows: Iterable[dict[str, Any]]) -> None:
        """Store verified pairs (one transaction): the pair row and its passages."""
        with self.transaction() as conn:
            for r in rows:
                conn.execute("DELETE FROM passages WHERE a = ? AND b = ?", (r["a"], r["b"]))
                conn.execute(
                    "INSERT OR REPLACE INTO pairs (a, b, source, derivative, relation, confidence, "
                    "coverage_source, coverage_derivative, candidate, report, hash_a, hash_b, "
                    "fingerprints, direction) "
                    "VALUES (:a, :b, :source, :derivative, :relation, :confidence, :coverage_source, "
                    ":coverage_derivative, :candidate, :report, :hash_a, :hash_b, :fingerprints, "
                    ":direction)",
                    {"fingerprints": b"", "direction": "directed", **r},
                )
                conn.executemany(
                    "INSERT INTO passages (a, b, idx, kind, score, source_start, source_end, "
                    "derivative_start, derivative_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(r["a"], r["b"], i, *p) for i, p in enumerate(r["passages"])],
                )

    def pairs(
        self,
        *,
        relations: Sequence[str] = ("duplicate", "derived", "partial"),
        doc_id: str | None = None,
    ) -> list[sqlite3.Row]:
        """Verified pairs of the given relations (optionally those involving one document)."""
        marks = ",".join("?" for _ in relations)
        sql = f"SELECT * FROM pairs WHERE relation IN ({marks})"
        args: list[Any] = list(relations)
        if doc_id:
            sql += " AND (a = ? OR b = ?)"
            args += [doc_id, doc_id]
        return self.conn.execute(sql + " ORDER BY a, b", args).fetchall()

    def pair_report(self, x: str, y: str) -> dict[str, Any] | None:
        """The stored compare report of a pair, if it was verified."""
        a, b = sorted((x, y))
        row = self.conn.execute("SELECT report FROM pairs WHERE a = ? AND b = ?", (a, b)).fetchone()
        return json.loads(row["report"]) if row else None

    def passages(
        self, *, relations: Sequence[str] = ("duplicate", "derived", "partial")
    ) -> list[sqlite3.Row]:
        """The passages of verified pairs of the given relations, with each pair's orientation."""
        marks = ",".join("?" for _ in relations)
        return self.conn.execute(
            "SELECT p.*, q.source, q.derivative FROM passages p JOIN pairs q ON q.a = p.a AND q.b = p.b "
            f"WHERE q.relation IN ({marks}) ORDER BY p.a, p.b, p.idx",
            list(relations),
        ).fetchall()

    # -- families --------------------------------------------------------------------------
    def put_families(self, rows: Iterable[tuple[str, str, str | None, int]]) -> None:
        """Replace the families table with ``(doc_id, family, derived_from, depth)`` rows."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM families")
            conn.executemany(
                "INSERT INTO families (doc_id, family, derived_from, depth) VALUES (?, ?, ?, ?)",
                list(rows),
            )

    def families(self) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM families ORDER BY family, depth, doc_id").fetchall()

    def family_of(self, doc_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT family FROM families WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return str(row["family"]) if row else None

    def family_members(self, family: str) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT f.*, d.outlet, d.title, d.published, d.url FROM families f "
            "JOIN documents d ON d.id = f.doc_id WHERE f.family = ? ORDER BY f.depth, d.published, f.doc_id",
            (family,),
        ).fetchall()

    # -- embeddings ------------------------------------------------------------------------
    def get_doc_vectors(self, model: str) -> dict[str, tuple[str, bytes]]:
        rows = self.conn.execute(
            "SELECT doc_id, text_hash, doc_vector FROM embeddings WHERE model = ?", (model,)
        )
        return {r["doc_id"]: (r["text_hash"], r["doc_vector"]) for r in rows}

    def clear_embeddings(self) -> None:
        """Forget every stored document vector (of any model): the next semantic ``detect``
        embeds the documents again."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM embeddings")

    def put_doc_vectors(
        self, model: str, rows: Iterable[tuple[str, str, bytes]], *, family: str | None = None
    ) -> None:
        """Keep document vectors (``doc_id``, the hash of the text they were made from, the
        vectors' bytes) under ``model``. With ``family`` (the encoder's key, of which ``model``
        is ``family`` itself or ``family`` + ``"+"`` + which vectors), the same documents'
        vectors under the family's other models are dropped: they were made for another
        corpus (another language mix) and are superseded."""
        rows = list(rows)
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings (doc_id, model, text_hash, doc_vector) VALUES (?, ?, ?, ?)",
                [(d, model, h, v) for d, h, v in rows],
            )
            if family is not None:
                conn.executemany(
                    "DELETE FROM embeddings WHERE doc_id = ? AND model != ? "
                    "AND (model = ? OR substr(model, 1, ?) = ?)",
                    [(d, model, family, len(family) + 1, family + "+") for d, _, _ in rows],
                )

    def meta_get(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row["value"]) if row else None

    def meta_set(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- watcher state ---------------------------------------------------------------------
    def http_validators(self) -> dict[str, tuple[str | None, str | None]]:
        """Every URL's last ETag and Last-Modified."""
        rows = self.conn.execute("SELECT url, etag, last_modified FROM watch_http")
        return {r["url"]: (r["etag"], r["last_modified"]) for r in rows}

    def put_http_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO watch_http (url, etag, last_modified, fetched_at) "
                "VALUES (?, ?, ?, ?)",
                (url, etag, last_modified, now),
            )

    def watch_items(self, urls: Iterable[str]) -> dict[str, sqlite3.Row]:
        """The watcher's record of each given item URL (absent: never seen)."""
        out: dict[str, sqlite3.Row] = {}
        batch = list(urls)
        for start in range(0, len(batch), 500):
            part = batch[start : start + 500]
            sql = f"SELECT * FROM watch_items WHERE url IN ({', '.join('?' for _ in part)})"
            out.update((r["url"], r) for r in self.conn.execute(sql, part))
        return out

    def put_watch_items(self, rows: Iterable[tuple[str, str, str, str | None, str | None]]) -> None:
        """Record items as (url, source, status, doc_id, error); attempts count up per record."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO watch_items (url, source, status, doc_id, attempts, error, first_seen,"
                " updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "status = excluded.status, doc_id = excluded.doc_id, error = excluded.error, "
                "attempts = watch_items.attempts + 1, updated_at = excluded.updated_at",
                [(u, src, st, d, e, now, now) for u, src, st, d, e in rows],
            )

    def watch_retries(self, max_attempts: int) -> list[sqlite3.Row]:
        """Items that failed fewer than ``max_attempts`` times: to be tried again."""
        return self.conn.execute(
            "SELECT * FROM watch_items WHERE status = 'failed' AND attempts < ? ORDER BY url",
            (max_attempts,),
        ).fetchall()

    def watch_sources(self) -> dict[str, sqlite3.Row]:
        return {r["name"]: r for r in self.conn.execute("SELECT * FROM watch_sources")}

    def put_watch_source(self, name: str, polled: float, error: str | None) -> None:
        """Record a poll of a source: its time, and its error (None when it went well)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO watch_sources (name, last_poll, failures, last_error, last_ok) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "last_poll = excluded.last_poll, last_error = excluded.last_error, "
                "failures = CASE WHEN excluded.last_error IS NULL THEN 0 "
                "ELSE watch_sources.failures + 1 END, "
                "last_ok = COALESCE(excluded.last_ok, watch_sources.last_ok)",
                (name, polled, 0 if error is None else 1, error, None if error else now),
            )

    def alerted(self) -> set[tuple[str, str]]:
        """(derivative, origin) of every alert raised so far."""
        return {(r[0], r[1]) for r in self.conn.execute("SELECT derivative, origin FROM alerts")}

    def add_alerts(self, alerts: Iterable[dict[str, Any]]) -> int:
        """Store new alerts (one per derivative and origin article); returns how many were new."""
        n = 0
        with self.transaction() as conn:
            for a in alerts:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO alerts (id, derivative, origin, created, flags, payload)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (a["id"], a["article"]["id"], a["origin"]["id"], a["created"],
                     ",".join(a["flags"]), json.dumps(a, ensure_ascii=False, sort_keys=True)),
                )  # fmt: skip
                n += cur.rowcount
        return n

    def alerts(
        self,
        *,
        limit: int = 100,
        flag: str | None = None,
        pending: str | None = None,
        max_attempts: int | None = None,
    ) -> list[dict[str, Any]]:
        """Alerts, newest first; ``flag`` keeps those with that flag, ``pending`` those a sink
        (``jsonl`` or ``webhook``) has not taken yet (oldest first), and of those, with
        ``max_attempts``, the webhook's that it has tried fewer times than that."""
        where: list[str] = []
        args: list[Any] = []
        if flag:
            where.append("(',' || flags || ',') LIKE ?")
            args.append(f"%,{flag},%")
        if pending in ("jsonl", "webhook"):
            where.append(f"{pending}_done = 0")
        if pending == "webhook" and max_attempts is not None:
            where.append("webhook_attempts < ?")
            args.append(max_attempts)
        sql = "SELECT payload FROM alerts" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY created, id" if pending else " ORDER BY created DESC, id"
        rows = self.conn.execute(sql + " LIMIT ?", [*args, limit]).fetchall()
        return [json.loads(r["payload"]) for r in rows]

    def count_alerts(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0])

    def mark_alerts(self, ids: Iterable[str], sink: str, *, done: bool = True) -> None:
        """Record that a sink took these alerts (or, ``done=False``, that it failed once more)."""
        if sink not in ("jsonl", "webhook"):
            raise ValueError(sink)
        sql = (
            f"UPDATE alerts SET {sink}_done = 1 WHERE id = ?"
            if done
            else "UPDATE alerts SET webhook_attempts = webhook_attempts + 1 WHERE id = ?"
        )
        with self.transaction() as conn:
            conn.executemany(sql, [(i,) for i in ids])

    # -- rejections ------------------------------------------------------------------------
    def record_rejections(self, rejections: Iterable[Rejection]) -> None:
        """Keep a record of rejected inputs (``newstrace rejections`` lists them)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [(r.path, r.reason, r.kind, now) for r in rejections]
        if not rows:
            return
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO rejections (path, reason, kind, at) VALUES (?, ?, ?, ?)", rows
            )

    def rejections(self, *, limit: int = 1000) -> list[Rejection]:
        rows = self.conn.execute(
            "SELECT path, reason, kind FROM rejections ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [Rejection(r["path"], r["reason"], r["kind"]) for r in rows]

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` result (``ok`` when the file is sound)."""
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    """A connection as the store uses them: autocommit (transactions are explicit), waiting
    up to :data:`BUSY_TIMEOUT_S` for locks, usable from the thread that did not open it."""
    return sqlite3.connect(
        target, uri=uri, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )


_CACHE_TABLES = frozenset({"doc_index"})
"""Tables that hold only what newstrace recomputes (per-document sketches)."""


@functools.cache
def _expected_schema() -> dict[str, tuple[str, str, str, list[tuple[str, str, int, str | None]]]]:
    """What the migrations make, by name: ``(type, table, sql, columns)``, columns of tables
    as ``(name, declared type, not null, default)``; SQLite's own objects and the full-text
    index's shadow tables (made with it) left out."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS:
            for stmt in _split_sql(script):
                conn.execute(stmt)
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'documents_fts_%'"
        ).fetchall()
        out = {}
        for kind, name, table, sql in rows:
            cols = (
                [(r[1], r[2], r[3], r[4]) for r in conn.execute(f'PRAGMA table_info("{name}")')]
                if kind == "table"
                else []
            )
            out[name] = (kind, table, sql, cols)
        return out
    finally:
        conn.close()


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements (triggers keep their inner semicolons)."""
    out: list[str] = []
    buf: list[str] = []
    for line in script.splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    rest = "\n".join(buf).strip()
    if rest:
        out.append(rest)
    return out
