"""Plain text and Markdown: one article per file; title, byline and date lines are read by
the clean stage."""

from __future__ import annotations

from newstrace.ingest.decode import decode_bytes
from newstrace.models import RawDocument


def read_text(data: bytes, path: str, *, fmt: str = "text") -> list[RawDocument]:
    """One raw document from a text or Markdown file.

    Markdown headings (``# Title``) lose their marks; everything else is kept for cleaning.
    """
    text = decode_bytes(data)
    if fmt == "markdown":
        lines = []
        for line in text.splitlines():
            stripped = line.lstrip()
            if stripped.startswith("#"):
                line = stripped.lstrip("#").strip()
            lines.append(line)
        text = "\n".join(lines)
    return [RawDocument(raw=text, source_path=path, format=fmt)]
