"""Ingest stage: files in, :class:`~newstrace.models.RawDocument` out, one reader per format.

:func:`read_path` detects the format of one file (or takes the one given) and yields raw
documents, or the :class:`~newstrace.errors.InputError` of each input that cannot be read, so
that one broken record never hides the good ones beside it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from newstrace.errors import (
    DecodeError,
    InputError,
    MalformedInputError,
    TooLargeError,
    UnsupportedFormatError,
)
from newstrace.ingest.decode import gunzip
from newstrace.ingest.feed import iter_feed
from newstrace.ingest.html import read_html
from newstrace.ingest.tabular import iter_csv, iter_json, iter_jsonl
from newstrace.ingest.text import read_text
from newstrace.ingest.warc import iter_warc
from newstrace.models import RawDocument

__all__ = ["FORMATS", "detect_format", "display_path", "iter_files", "read_bytes", "read_path"]

FORMATS = ("text", "markdown", "html", "warc", "jsonl", "json", "csv", "feed")
_EXT = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".warc": "warc",
    ".arc": "warc",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".rss": "feed",
    ".atom": "feed",
}
_SKIP_NAMES = {"README.md", "README", "LICENSE", "PROVENANCE.txt", ".DS_Store"}
MAX_DECOMPRESSED_RATIO = 200


def detect_format(path: str, head: bytes) -> str:
    """The format of a file, from its name and first bytes.

    >>> detect_format("a.warc.gz", b"")
    'warc'
    >>> detect_format("feed.xml", b"<?xml version='1.0'?><rss version='2.0'>")
    'feed'
    """
    name = path.lower()
    if name.endswith((".warc.gz", ".arc.gz")) or head.startswith(b"WARC/"):
        return "warc"
    if name.endswith(".gz") and head[:2] == b"\x1f\x8b":
        inner = name[:-3]
        return detect_format(inner, b"")
    if name.endswith(".gz") and head:
        # A gzip file cut before its header's second byte, or a file misnamed: say what it is not.
        raise UnsupportedFormatError("named .gz, but not gzip data (no gzip header)")
    ext = os.path.splitext(name)[1]
    sniff = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if ext in (".xml", "") or ext not in _EXT:
        if b"<rss" in sniff or b"<feed" in sniff or b"<rdf:rdf" in sniff:
            return "feed"
        if sniff.startswith((b"<!doctype html", b"<html")) or b"<body" in sniff:
            return "html"
        if sniff.startswith(b"{"):
            return "jsonl"
        if sniff.startswith(b"["):
            return "json"
    if ext in _EXT:
        return _EXT[ext]
    if ext == ".xml":
        raise UnsupportedFormatError("XML that is neither an RSS/Atom feed nor HTML")
    return "text"


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Every file under ``paths`` (folders recursively, sorted, hidden files and READMEs skipped)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if f.startswith(".") or f in _SKIP_NAMES or f.endswith(".meta.json"):
                        continue
                    yield Path(root) / f
        else:
            yield path


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` as text that can be stored, printed and logged: a file name that is not valid
    UTF-8 (``bad-\\xff.txt`` on Linux) keeps its odd bytes as ``\\xff`` escapes instead of
    making every later step fail.

    >>> display_path(os.fsdecode(b"bad-\\xff.txt"))
    'bad-\\\\xff.txt'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_bytes(path: str | os.PathLike[str], max_size: int) -> bytes:
    """The bytes of a regular file, at most ``max_size`` of them.

    A FIFO, device or socket (or a symlink to one) is refused before it is read, and the read
    itself stops past ``max_size`` whatever size the file claims: ``/dev/zero`` claims 0.

    Raises:
        InputError: not a regular file, unreadable, or over ``max_size`` (TooLargeError).
    """
    try:
        # O_NONBLOCK: opening a FIFO nobody writes to would wait forever; for a regular file
        # it changes nothing.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError as exc:
        raise InputError("no such file") from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory") from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb", buffering=0) as f:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError("is a directory")
        if not stat.S_ISREG(st.st_mode):
            kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a socket"
                    if stat.S_ISSOCK(st.st_mode) else "a device")  # fmt: skip
            raise InputError(f"not a regular file ({kind}): not read")
        if st.st_size > max_size:
            raise TooLargeError(
                f"file is {st.st_size / 1e6:.1f} MB, over the {max_size / 1e6:.0f} MB limit "
                "(raise it with --max-size)"
            )
        chunks: list[bytes] = []
        size = 0
        try:
            while chunk := f.read(min(1 << 20, max_size + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_size:
                    raise TooLargeError(
                        f"file grew past the {max_size / 1e6:.0f} MB limit while it was read"
                    )
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}") from exc
        return b"".join(chunks)


def _gunzip(data: bytes, max_size: int) -> bytes:
    """Decompress gzip data, refusing bombs (output over the size limit)."""
    limit = max(max_size, 1)
    try:
        return gunzip(data, limit=limit)
    except TooLargeError as exc:
        raise TooLargeError(f"decompresses to over {limit / 1e6:.0f} MB (limit --max-size)") from exc


def read_path(
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    max_size: int = 20_000_000,
    field_map: Mapping[str, str] | None = None,
) -> Iterator[RawDocument | InputError]:
    """Read one file: yield its raw documents, or the error of each input that cannot be used.

    Args:
        path: the file.
        fmt: one of :data:`FORMATS`; detected from the name and content when None.
        max_size: the largest file (and decompressed size) accepted, in bytes.
        field_map: for JSONL/JSON/CSV, newstrace field -> the input's column name.

    Whole-file failures (unreadable, too large, binary) are yielded as one error.
    """
    p = Path(path)
    spath = display_path(p)
    try:
        data = read_bytes(p, max_size)
        if fmt is not None and fmt not in FORMATS:
            raise UnsupportedFormatError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        the_fmt = fmt or detect_format(spath, data[:4096])
        if data[:2] == b"\x1f\x8b" and the_fmt != "warc":
            data = _gunzip(data, max_size)
        if not data.strip():
            raise InputError("empty file")
        mapping = dict(field_map or {})
        if the_fmt in ("text", "markdown"):
            yield from read_text(data, spath, fmt=the_fmt)
        elif the_fmt == "html":
            yield from read_html(data, spath)
        elif the_fmt == "warc":
            yield from iter_warc(data, spath)
        elif the_fmt == "jsonl":
            yield from iter_jsonl(data, spath, mapping)
        elif the_fmt == "json":
            yield from iter_json(data, spath, mapping)
        elif the_fmt == "csv":
            yield from iter_csv(data, spath, mapping)
        elif the_fmt == "feed":
            yield from iter_feed(data, spath)
    except DecodeError as exc:
        yield exc
    except InputError as exc:
        yield exc
    except RecursionError:
        yield MalformedInputError("input nested too deeply to parse")
    except MemoryError:
        yield TooLargeError("input too large to parse in memory")
