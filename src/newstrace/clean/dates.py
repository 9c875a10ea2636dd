"""Publication dates: parse the forms news pages use into ISO 8601.

A date without a time stays a date (``2017-07-09``); a time without a zone is not given one
(the result is then the date alone), so ``published`` is timezone-aware whenever it has a time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
MONTH_NAMES = rf"(?i:{_MONTH_RE})"
"""A pattern matching an English month's name or its abbreviation, in any case."""


def month_number(word: str) -> int | None:
    """The month an English month's name or abbreviation names, in any case (a full stop
    after it allowed), else None.

    >>> month_number("Dec."), month_number("december"), month_number("Decker")
    (12, 12, None)
    """
    return _MONTHS.get(word.lower().rstrip("."))


_MDY_RE = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DMY_RE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)
_ISO_RE = re.compile(
    r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?\b"
)
_SLASH_RE = re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b")

DATE_PATTERN = re.compile(
    rf"{_MDY_RE.pattern}|{_DMY_RE.pattern}|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{4}}/\d{{1,2}}/\d{{1,2}}\b",
    re.I,
)
"""Matches a date anywhere in a string (used to find datelines and bylines)."""


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(value: str | None) -> str | None:
    """Parse a date or datetime string into ISO 8601, or None when none is found.

    >>> parse_date("July 09, 2017")
    '2017-07-09'
    >>> parse_date("Sun, 09 Jul 2017 14:03:00 GMT")
    '2017-07-09T14:03:00+00:00'
    >>> parse_date("2017-07-09T10:00:00+02:00")
    '2017-07-09T10:00:00+02:00'
    >>> parse_date("not a date") is None
    True
    """
    if not value:
        return None
    s = value.strip()
    if not s:
        return None
    m = _ISO_RE.search(s)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        day = _valid(y, mo, d)
        if day is None:
            return None
        if m[4] and m[7]:
            tz = "+00:00" if m[7] == "Z" else m[7]
            if len(tz) == 5:
                tz = tz[:3] + ":" + tz[3:]
            try:
                dt = datetime.fromisoformat(f"{day.isoformat()}T{m[4]}:{m[5]}:{m[6] or '00'}{tz}")
            except ValueError:
                return day.isoformat()
            return dt.isoformat()
        return day.isoformat()
    if "," in s or re.search(r"\d{2}:\d{2}", s):
        parsed: datetime | None
        try:
            parsed = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is not None:
            dt = parsed
            if dt.tzinfo is None:
                return dt.date().isoformat()
            return dt.isoformat()
    for rx, order in ((_MDY_RE, "mdy"), (_DMY_RE, "dmy")):
        m = rx.search(s)
        if m:
            if order == "mdy":
                mo, d, y = _MONTHS[m[1].lower()], int(m[2]), int(m[3])
            else:
                d, mo, y = int(m[1]), _MONTHS[m[2].lower()], int(m[3])
            day = _valid(y, mo, d)
            return day.isoformat() if day else None
    m = _SLASH_RE.search(s)
    if m:
        day = _valid(int(m[1]), int(m[2]), int(m[3]))
        return day.isoformat() if day else None
    return None


_URL_DATE_RE = re.compile(
    r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/._-]|$)"
    r"|/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=/)"
)


def date_from_url(url: str | None) -> str | None:
    """The date a URL's path spells out in full (``/2016/09/22/``, ``/2016-09-22-``), or None.

    A year and month alone (``/2016/09/``) give no date: a day is never invented.

    >>> date_from_url("https://edition.cnn.com/2016/09/22/politics/story/index.html")
    '2016-09-22'
    >>> date_from_url("https://example.com/2016/09/story") is None
    True
    """
    if not url:
        return None
    path = url.split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    path = path[path.find("/") :] if "/" in path else ""
    m = _URL_DATE_RE.search(path)
    if not m:
        return None
    y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[4], m[5], m[6])
    day = _valid(int(y), int(mo), int(d))
    return day.isoformat() if day else None


def spelled_out(iso: str, text: str) -> bool:
    """Whether ``text`` writes out the day of ``iso`` with its month and day (any common form).

    Used to refuse a bare year that an extractor turned into 1 January: such a date is kept only
    when the page itself says "1 January".
    """
    day = to_date(iso)
    if day is None:
        return False
    for m in DATE_PATTERN.finditer(text):
        if parse_date(m.group()) == day.isoformat():
            return True
    return bool(re.search(rf"\b0?{day.month}/0?{day.day}/{day.year}\b", text))


def from_struct_time(t: object) -> str | None:
    """ISO 8601 (UTC) from a ``time.struct_time`` as feedparser gives it."""
    try:
        y, mo, d, h, mi, sec = t[:6]  # type: ignore[index]
        dt = datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
    except (TypeError, ValueError):
        return None
    return dt.isoformat()


def to_time(iso: str | None) -> datetime | None:
    """The moment an ISO 8601 ``published`` value gives, when it gives a time of day (in UTC when
    it names no zone); None for a date alone.

    >>> to_time("1987-10-20T15:28:49+00:00").hour, to_time("1987-10-20")
    (15, None)
    """
    if not iso or len(iso) <= 10:
        return None
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def to_date(iso: str | None) -> date | None:
    """The calendar date of an ISO 8601 ``published`` value."""
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None
