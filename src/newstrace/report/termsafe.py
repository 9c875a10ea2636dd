"""Text from outside made safe to print on a terminal: the one helper every printer uses.

Whatever a document carries (title, outlet, author, text, credits), and a file's name or a
feed's error message, was written by someone else. Printed as Rich markup,
``[link=https://evil.example]click[/link]`` would become a live hyperlink and ``[bold red]`` a
style; printed as it is, an escape sequence (CSI ``ESC [``, an OSC 8 hyperlink ``ESC ] 8 ;;``,
a C1 control such as U+009B) would reach the terminal, which obeys it: recolour, retitle, hide
or overwrite what is shown. So such text is printed only as :func:`safe` makes it: a
:class:`rich.text.Text`, which Rich never reads as markup (nor emoji codes), with every C0 and
C1 control character except newline and tab removed. JSON output goes through :func:`safe_json`.

Example:
    >>> safe("[bold red]hi\\x1b[31m!").plain
    '[bold red]hi[31m!'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from rich.text import Text

__all__ = ["plain", "safe", "safe_json", "safe_marked", "strip_controls"]

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab (9) and newline (10), DEL, and the C1 controls (U+0080-U+009F)."""
_JSON_UNESCAPED = re.compile("[\x7f-\x9f]")
"""What ``json.dumps(..., ensure_ascii=False)`` leaves raw that a terminal may obey."""


def strip_controls(text: str) -> str:
    """``text`` without control characters (but newline and tab): no escape sequence survives
    (its ESC or CSI is gone; the rest is harmless printable text).

    >>> strip_controls("a\\x1b]8;;https://x.example\\x07b\\r\\tc\\x9b2J")
    'a]8;;https://x.exampleb\\tc2J'
    """
    return _CONTROLS.sub("", text)


def plain(value: object) -> str:
    """Any value as a printable string: ``None`` as empty, control characters removed. For
    building a :class:`~rich.text.Text` (``Text.append``, ``Text.assemble``), never markup."""
    return "" if value is None else strip_controls(str(value))


def safe(value: object, style: str = "") -> Text:
    """Any value as a :class:`~rich.text.Text` to print, in a table cell or anywhere: literal
    (brackets stay brackets), without control characters."""
    return Text(plain(value), style=style)


def safe_marked(
    parts: Iterable[tuple[str, bool]],
    *,
    style: str = "bold reverse",
    markers: tuple[str, str] | None = None,
) -> Text:
    """Text with some pieces marked (search matches), to print: each piece made :func:`plain`
    on its own, so the marks stay on their words. Marked pieces get ``style``, or, given
    ``markers`` (for output that shows no style: a pipe, a file, a dumb terminal), the two
    strings around them.

    >>> safe_marked([("a ", False), ("deep\\x1b", True)], markers=("**", "**")).plain
    'a **deep**'
    """
    out = Text()
    for piece, hit in parts:
        if not hit:
            out.append(plain(piece))
        elif markers:
            out.append(markers[0] + plain(piece) + markers[1])
        else:
            out.append(plain(piece), style=style)
    return out


def safe_json(obj: Any, **kwargs: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, **kwargs)`` with DEL and the C1 controls escaped
    too (``\\u009b``), as JSON escapes the C0 ones: the data stays exact, the output inert.

    >>> safe_json({"t": "\\x9b2J"})
    '{"t": "\\\\u009b2J"}'
    """
    out = json.dumps(obj, ensure_ascii=False, **kwargs)
    return _JSON_UNESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", out)
