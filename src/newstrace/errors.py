"""One exception tree for newstrace, and the record of a rejected input.

::

    NewstraceError                  base of everything newstrace raises on purpose
    ├── ConfigError                 a parameter or setting is out of range (says how to fix it)
    ├── InputError                  one input (file, record, page) cannot be used
    │   ├── UnsupportedFormatError  the format is unknown or not what --format says
    │   ├── DecodeError             bytes that are binary or cannot be decoded as text
    │   ├── TooLargeError           over the configured size limit
    │   ├── EmptyDocumentError      nothing left after extraction and cleaning
    │   ├── NotArticleError         a page that is no article (redirect, error, paywall, headline only…)
    │   └── MalformedInputError     truncated archive, broken JSON/CSV/feed, bad record
    ├── StoreError                  the database cannot be opened, is too new, or is corrupt
    │   └── CorruptStoreError       SQLite finds the file damaged: nothing is read or written
    └── NotFoundError               a document, pair or family id that is not in the store
        └── AmbiguousIdError        an id prefix too short, or matching several documents

Errors become user-facing messages only at the boundary (``newstrace.cli``). Inside a batch an
``InputError`` becomes a :class:`Rejection` with the path and the reason, and the batch goes on.
"""

from __future__ import annotations

from dataclasses import dataclass


class NewstraceError(Exception):
    """Base class for every error newstrace raises deliberately."""


class ConfigError(NewstraceError, ValueError):
    """A parameter or setting is out of range; the message says how to fix it."""


class InputError(NewstraceError):
    """One input cannot be used. Batches record it as a :class:`Rejection` and go on."""


class UnsupportedFormatError(InputError):
    """The input's format is unknown, or is not the format that was asked for."""


class DecodeError(InputError):
    """The input is binary or cannot be decoded as text."""


class TooLargeError(InputError):
    """The input is over the configured size limit."""


class EmptyDocumentError(InputError):
    """Nothing is left of the input after extraction and cleaning."""


class NotArticleError(InputError):
    """The input is a page but not an article: a redirect, error, paywall, login, cookie or
    JavaScript notice, a bot check, a headline alone or an index of headlines. Ingest skips it
    (recorded, not an error of the input) so that it never links articles."""


class MalformedInputError(InputError):
    """A truncated archive, a broken JSON line, CSV row or feed, or an unusable record."""


class StoreError(NewstraceError):
    """The store cannot be opened or used (wrong schema version, not a database, corrupt)."""


class CorruptStoreError(StoreError):
    """SQLite finds the store damaged (a page overwritten, the file truncated). newstrace
    writes nothing more into it; the message names the file, the damage and how to recover."""


class FetchError(NewstraceError):
    """A URL could not be fetched (network error, HTTP error, refused by robots.txt, too large).

    ``retry`` says whether trying again later may help (timeouts, 5xx) or not (404, robots).
    """

    def __init__(
        self, url: str, reason: str, *, retry: bool = True, status: int | None = None
    ) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.retry = retry
        self.status = status


class FetchRefused(FetchError):
    """A URL that resolves to an address the watcher does not connect to (loopback, private,
    link-local...: see :mod:`newstrace.watch.guard`), or that redirects to one."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, reason, retry=False)


class FetchDeferred(FetchError):
    """A fetch put off, not failed: the host asked for a pause (``Retry-After``, Crawl-delay)
    that ends after the fetch's deadline, or the cycle's budget was spent before it started.
    It is tried again on a later cycle and does not count as a failed attempt."""


class NotFoundError(NewstraceError, LookupError):
    """An id that is not in the store."""


class AmbiguousIdError(NotFoundError):
    """An id prefix that does not name one document: too short, or shared by several.

    The message lists the matching documents (at most a few); ``matches`` holds their ids and
    ``total`` how many match in all.
    """

    def __init__(self, message: str, matches: list[str], total: int) -> None:
        super().__init__(message)
        self.matches = matches
        self.total = total


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that was skipped, with where it came from and why.

    Attributes:
        path: the file path, with ``:LINE`` or ``#RECORD`` appended for one record of a
            multi-record file.
        reason: a sentence a person can act on.
        kind: the name of the error class (``DecodeError``, ``TooLargeError``…).
    """

    path: str
    reason: str
    kind: str = "InputError"

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
