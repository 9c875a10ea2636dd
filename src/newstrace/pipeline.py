"""The library calls behind the CLI: each runs stages in order over a store.

``ingest``: files -> raw documents (ingest) -> documents (clean) -> store, then the
outlet-level chrome learner over the outlets that received documents.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newstrace.clean import build_document
from newstrace.errors import InputError, NotArticleError, Rejection, StoreError
from newstrace.ingest import display_path, iter_files, read_bytes, read_path
from newstrace.models import Document

if TYPE_CHECKING:
    from newstrace.align import Pivot
    from newstrace.analyze import PairReport
from newstrace.settings import Settings
from newstrace.store import Store

__all__ = ["IngestReport", "Verdict", "compare_pair", "ingest", "load_document", "verdict"]


@dataclass(slots=True)
class IngestReport:
    """What an ingest run did."""

    files: int = 0
    added: int = 0
    versions: int = 0
    unchanged: int = 0
    recleaned: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Rejection] = field(default_factory=list)
    """Pages that are not articles (redirects, error pages, headline-only rows…): recorded with
    the rejections, but not errors of the input."""
    formats: Counter[str] = field(default_factory=Counter)
    ids: list[str] = field(default_factory=list)

    @property
    def documents(self) -> int:
        """Documents read successfully (added, new versions and unchanged)."""
        return self.added + self.versions + self.unchanged

    def to_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "documents": self.documents,
            "added": self.added,
            "versions": self.versions,
            "unchanged": self.unchanged,
            "recleaned": self.recleaned,
            "rejected": [
                {"path": r.path, "reason": r.reason, "kind": r.kind} for r in self.rejected
            ],
            "skipped": [{"path": r.path, "reason": r.reason, "kind": r.kind} for r in self.skipped],
            "formats": dict(self.formats),
        }


class StrictModeStop(InputError):
    """Raised by ``ingest(strict=True)`` at the first rejected input."""

    def __init__(self, rejection: Rejection) -> None:
        super().__init__(str(rejection))
        self.rejection = rejection


def _sidecar(path: Path) -> dict[str, str]:
    """Metadata from ``NAME.meta.json`` beside a file, if there is one."""
    meta = path.with_name(path.name.rsplit(".", 1)[0] + ".meta.json")
    if not meta.is_file():
        return {}
    try:
        data = json.loads(read_bytes(meta, 1_000_000))
    except (InputError, ValueError):
        return {}
    return (
        {k: str(v) for k, v in data.items() if isinstance(v, str | int | float)}
        if isinstance(data, dict)
        else {}
    )


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    fmt: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    date: str | None = None,
    field_map: Mapping[str, str] | None = None,
    strict: bool = False,
    settings: Settings | None = None,
    on_file: Callable[[Path, int], None] | None = None,
    on_reject: Callable[[Rejection], None] | None = None,
    on_record: Callable[[Path, int], None] | None = None,
) -> IngestReport:
    """Read files and folders into ``store``.

    Args:
        paths: files and folders (read recursively).
        store: where documents go.
        fmt: force a format (see :data:`newstrace.ingest.FORMATS`); detected per file if None.
        outlet, url, date: override those fields for every document read.
        field_map: JSONL/JSON/CSV field mapping, newstrace field -> input column.
        strict: stop at the first rejected input (raises :class:`StrictModeStop`).
        settings: limits (``max_file_bytes``) and batch size.
        on_file: called after each file with its path and the number of documents it gave.
        on_reject: called for each rejected input.
        on_record: called for each record read from a file (a document, or an input
            rejected or skipped), with the file's path and the number of its records read so
            far: progress inside a large JSONL, CSV, WARC or feed, not only from file to file.

    Returns:
        An :class:`IngestReport`; rejected inputs are in ``report.rejected`` (and in the store).

    Example:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "a.txt").write_text("A headline\\n\\nThe body of the story, in full.\\n")
        >>> with Store(d / "n.db") as s:
        ...     ingest([d / "a.txt"], s).added
        1
    """
    cfg = settings or Settings()
    report = IngestReport()
    pending: list[Document] = []

    def flush() -> None:
        if not pending:
            return
        for outcome in store.add_documents(pending):
            report.ids.append(outcome.id)
            if outcome.status == "added":
                report.added += 1
            elif outcome.status == "version":
                report.versions += 1
            else:
                report.unchanged += 1
        pending.clear()

    def reject(path: str, exc: BaseException) -> None:
        r = Rejection(path, str(exc) or type(exc).__name__, type(exc).__name__)
        if isinstance(exc, NotArticleError):
            report.skipped.append(r)
            if on_reject:
                on_reject(r)
            return
        report.rejected.append(r)
        if on_reject:
            on_reject(r)
        if strict:
            flush()
            store.record_rejections([*report.skipped, r])
            raise StrictModeStop(r)

    store_failed = False
    try:
        for path in iter_files(paths):
            report.files += 1
            side = _sidecar(path)
            n_docs = n_records = 0
            try:
                for item in read_path(
                    path, fmt=fmt, max_size=cfg.max_file_bytes, field_map=field_map
                ):
                    n_records += 1
                    if on_record:
                        on_record(path, n_records)
                    if isinstance(item, InputError):
                        reject(display_path(path), item)
                        continue
                    try:
                        doc = build_document(
                            item,
                            outlet=outlet or side.get("outlet"),
                            url=url or side.get("url"),
                            published=date or side.get("date") or side.get("published"),
                            language=side.get("language"),
                        )
                    except InputError as exc:
                        reject(item.source_path, exc)
                        continue
                    report.formats[doc.format or "?"] += 1
                    pending.append(doc)
                    n_docs += 1
                    if len(pending) >= cfg.batch_size:
                        flush()
            except (StrictModeStop, StoreError, sqlite3.DatabaseError):
                raise  # the store's failure is no input's: it stops the run
            except Exception as exc:  # a reader bug must not abort the batch; it is reported
                reject(display_path(path), InputError(f"unexpected {type(exc).__name__}: {exc}"))
            if on_file:
                on_file(path, n_docs)
        flush()
    except (StoreError, sqlite3.DatabaseError):
        store_failed = True  # write nothing more into a store that failed (damaged, full…)
        raise
    finally:
        if not strict and not store_failed:
            store.record_rejections([*report.rejected, *report.skipped])
    # Every outlet marked dirty: this run's, and any that an interrupted run left behind.
    report.recleaned = store.relearn_outlet_chrome(min_docs=cfg.outlet_chrome_min_docs)
    # Documents stored before languages were detected (an upgraded store) get theirs now.
    store.fill_languages()
    return report


def load_document(ref: str | os.PathLike[str], store: Store | None = None) -> Document:
    """A document given as a stored id (or id prefix, or input id) or as a file path.

    Files are read and cleaned with the ingest code but not stored.

    Raises:
        NotFoundError: when ``ref`` is neither an existing file nor a stored id.
        InputError: when the file cannot be read as an article.
    """
    from newstrace.errors import NotFoundError

    path = Path(ref)
    if path.is_file():
        for item in read_path(path):
            if isinstance(item, InputError):
                raise type(item)(f"{path}: {item}")
            return build_document(item)
        raise InputError(f"{path}: no article in the file")
    if store is None:
        raise NotFoundError(f"{ref!s} is not a file, and no store was given to look it up")
    return store.get(str(ref))


def compare_pair(
    a: str | os.PathLike[str] | Document,
    b: str | os.PathLike[str] | Document,
    *,
    store: Store | None = None,
    semantic: bool = True,
    source: str | None = None,
) -> tuple[PairReport, Document, Document]:
    """Compare two documents given as ids, paths or :class:`Document` objects, afresh.

    Returns the report and the two documents (as the report orients them: source, derivative).
    With ``semantic=True`` the semantic layer is used when installed; the report's notes say
    when it is not. ``source`` (``"a"``/``"b"``) forces the direction. With a ``store``, the
    pivots its verified pairs give the two documents are used as ``detect`` used them
    (:func:`newstrace.detect.stored_pivots`).
    """
    from newstrace.align.semantic import encoder_error, load_encoder
    from newstrace.analyze import compare

    da = a if isinstance(a, Document) else load_document(a, store)
    db = b if isinstance(b, Document) else load_document(b, store)
    encoder = load_encoder() if semantic else None
    pivots: tuple[Pivot, ...] = ()
    if encoder is not None and store is not None:
        from newstrace.detect import stored_pivots

        pivots = stored_pivots(store, da.id, db.id)
    report = compare(da, db, encoder=encoder, source=source, pivots=pivots)
    if semantic and encoder is None:
        report.notes.append(encoder_error() or "semantic layer unavailable")
    return report, report.source, report.derivative


@dataclass(frozen=True, slots=True)
class Verdict:
    """A pair's report as every view shows it, with both texts.

    Attributes:
        report: the JSON report (``newstrace compare --json``'s schema).
        source_text, derivative_text: the two texts, oriented as the report is.
        stored: True when the report is the one ``detect`` stored; False when computed now.
    """

    report: dict[str, object]
    source_text: str
    derivative_text: str
    stored: bool


def verdict(
    a: str | os.PathLike[str] | Document,
    b: str | os.PathLike[str] | Document,
    *,
    store: Store | None = None,
    semantic: bool = True,
    source: str | None = None,
    recompute: bool = False,
) -> Verdict:
    """One verdict per pair: the stored report when ``detect`` verified the pair, else a fresh one.

    ``compare``, ``trace``, the web app and the reports all go through here, so a pair reads
    the same everywhere. A forced ``source`` or ``recompute=True`` compares afresh (and says
    so in the notes); so does a pair the store has not verified.
    """
    from newstrace.detect import hydrate_report

    da = a if isinstance(a, Document) else load_document(a, store)
    db = b if isinstance(b, Document) else load_document(b, store)
    if store is not None and source is None and not recompute:
        stored = store.pair_report(da.id, db.id)
        if stored:
            src = store.get(stored["source"]["id"])
            der = store.get(stored["derivative"]["id"])
            return Verdict(hydrate_report(stored, src, der), src.text, der.text, True)
    report, src, der = compare_pair(da, db, store=store, semantic=semantic, source=source)
    return Verdict(report.to_dict(), src.text, der.text, False)
