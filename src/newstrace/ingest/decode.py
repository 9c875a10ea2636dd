"""Bytes to text, best effort: BOMs, UTF-8, detected legacy encodings, mixed encodings; and
decompression that is measured while it runs, so that a bomb is refused before it is held."""

from __future__ import annotations

import codecs
import zlib
from collections.abc import Iterable, Iterator

from newstrace.errors import DecodeError, MalformedInputError, TooLargeError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes or many control characters in its head."""
    head = data[:8192]
    if not head:
        return False
    if any(
        head.startswith(bom)
        for bom, enc in _BOMS
        if enc.startswith("utf-16") or enc.startswith("utf-32")
    ):
        return False
    if head.count(b"\x00") > len(head) // 100:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) // 20


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """Decode ``data`` to ``str``.

    Tries, in order: a byte-order mark, the declared encoding, UTF-8, the encoding
    charset-normalizer detects, and last, line by line, UTF-8 falling back to Windows-1252
    (files pasted together from sources in different encodings). NUL characters are dropped.

    Raises:
        DecodeError: when the data is binary.

    >>> decode_bytes("café".encode("cp1252"))
    'café'
    >>> decode_bytes(b"\\xef\\xbb\\xbfhello")
    'hello'
    """
    if looks_binary(data):
        raise DecodeError("binary data, not text (NUL or control bytes)")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc).replace("\x00", "")
            except UnicodeDecodeError:
                break
    if declared:
        try:
            return data.decode(declared).replace("\x00", "")
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8").replace("\x00", "")
    except UnicodeDecodeError:
        pass
    # Mixed encodings are common in pasted-together scrapes: decode line by line when most
    # lines are UTF-8; otherwise trust the detector for the whole file.
    lines = data.splitlines(keepends=True)
    utf8_ok = 0
    for line in lines:
        try:
            line.decode("utf-8")
            if any(b > 127 for b in line):
                utf8_ok += 1
        except UnicodeDecodeError:
            pass
    if utf8_ok:
        out = []
        for line in lines:
            try:
                out.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(line.decode("cp1252", errors="replace"))
        return "".join(out).replace("\x00", "")
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
    except Exception:  # the detector is a best effort; fall through to cp1252
        best = None
    wide = ("utf_16", "utf_32", "utf-16", "utf-32")
    if best is not None and best.encoding and (
        # UTF-16/32 without a byte-order mark and without one NUL byte is a detector's guess
        # on a few bytes ("caf\xe9" read as two CJK characters), not a wide encoding.
        b"\x00" in data or not best.encoding.lower().startswith(wide)
    ):
        try:
            return data.decode(best.encoding).replace("\x00", "")
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace").replace("\x00", "")


GZIP = 16 + zlib.MAX_WBITS
"""``wbits`` for gzip members (a ``Content-Encoding: gzip`` body, a ``.gz`` file)."""


def inflate(chunks: Iterable[bytes], *, limit: int, wbits: int = GZIP) -> Iterator[bytes]:
    """Decompress a stream of compressed ``chunks`` piece by piece, never producing more than
    ``limit`` bytes in all (however small the input: 1 MB of gzip can hold 1 GB of zeros).

    ``wbits`` is zlib's: :data:`GZIP` (several members are read one after another),
    ``zlib.MAX_WBITS`` for zlib data and ``-zlib.MAX_WBITS`` for raw deflate.

    Raises:
        TooLargeError: as soon as the output would pass ``limit``.
        MalformedInputError: on corrupt or truncated data.

    >>> import gzip
    >>> b"".join(inflate([gzip.compress(b"abc" * 3)], limit=9))
    b'abcabcabc'
    """
    kind = "gzip" if wbits == GZIP else "deflate"
    d = zlib.decompressobj(wbits)
    produced = 0
    started = False
    try:
        for chunk in chunks:
            buf = chunk
            while buf:
                if d.eof:  # the next gzip member (or trailing padding)
                    if not buf.strip(b"\0"):
                        break
                    d = zlib.decompressobj(wbits)
                started = True
                out = d.decompress(buf, limit - produced + 1)
                produced += len(out)
                if produced > limit:
                    raise TooLargeError(f"decompresses to over {limit:,} bytes")
                if out:
                    yield out
                buf = d.unconsumed_tail or (d.unused_data if d.eof else b"")
    except zlib.error as exc:
        raise MalformedInputError(f"corrupt {kind} data: {exc}") from exc
    if started and not d.eof:
        raise MalformedInputError(f"truncated {kind} data")


def gunzip(data: bytes, *, limit: int) -> bytes:
    """The gzip ``data`` decompressed, refused past ``limit`` bytes (see :func:`inflate`)."""
    return b"".join(inflate([data], limit=limit))
