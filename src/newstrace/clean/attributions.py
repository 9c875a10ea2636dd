"""Explicit credits: "Source: RT", "The original source of this article is …", wire datelines.

Patterns run over the markup-stripped raw text; every evidence span is reported with its
offsets in the raw text, so ``raw[start:end]`` is what a reader would point at.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlparse

from newstrace.clean.text import spaced_words, strip_markup
from newstrace.models import Attribution

_WIRES = (
    r"Reuters|AP|AFP|Associated Press|The Associated Press|Agence France-Presse|Bloomberg|UPI|"
    r"dpa|DPA|Xinhua|TASS|RIA Novosti|Sputnik|Anadolu|ANSA|EFE|PA|Press Association|Kyodo|Yonhap"
)
# The credited name: up to the end of the line, a sentence end, or the start of a copyright.
_WHO = r"(?P<who>[^\n]{1,160}?)"
_WHO_END = (
    r"(?=\s*(?:$|\n|\.\s|\.$|;|\||\s©|\s\(c\)|\sCopyright|,\s*(?:19|20)\d\d|\s+and\s+is\s"
    r"|\s+under\s|\s+with\s+(?:permission|the\s+permission)|\s+\(with\s))"
)

# A proper name as outlets spell theirs: capitalised words ("The Daily Caller", "CNN", "POLITICO").
_NAME = r"[A-Z][\w&.'’-]*(?:\s+(?:of\s+|the\s+|on\s+)?[A-Z][\w&.'’-]*){0,4}"
_POSSESSIVE_AUTHOR = r"(?:['’]s\s+[A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+){0,2})"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "original_source",
        re.compile(
            rf"(?:The\s+)?original\s+source\s+of\s+this\s+(?:article|story|post|piece)\s+is:?\s+{_WHO}{_WHO_END}",
            re.I,
        ),
    ),
    (
        "first_appeared",
        re.compile(
            rf"This\s+(?:article|story|post|piece|report|op-ed|commentary)\s+(?:was\s+)?(?:first|originally)\s+"
            rf"(?:appeared|published|posted|ran)\s+(?:on|in|at|by)\s+{_WHO}{_WHO_END}",
            re.I,
        ),
    ),
    (
        "first_appeared",
        re.compile(
            rf"(?:Originally|First)\s+(?:published|posted|appeared|ran)\s+(?:by|at|on|in)\s+{_WHO}{_WHO_END}",
            re.I,
        ),
    ),
    (
        "republished",
        re.compile(
            rf"(?:Republished|Reprinted|Reposted|Cross-?posted|Syndicated)\s+(?:with\s+permission\s+)?"
            rf"(?:from|by|with\s+permission\s+(?:of|from)|courtesy\s+of)\s+{_WHO}{_WHO_END}",
            re.I,
        ),
    ),
    (
        "source_line",
        re.compile(
            r"(?m)^[ \t]*(?:Sources?|Credit|Courtesy(?:\s+of)?|H/T|Hat\s+tip|Story\s+source)"
            rf"\s*[:\-–—]\s*{_WHO}[ \t]*$",
            re.I,
        ),
    ),
    ("via", re.compile(rf"(?m)^[ \t]*[(\[]?\s*via:?\s+{_WHO}\s*[)\]]?[ \t]*$", re.I)),
    (
        "wire",
        re.compile(
            rf"(?m)^[ \t]*(?:[A-Z][A-Za-z .,'’-]{{0,40}}?\s*)?\((?P<who>{_WIRES})\)\s*[-–—:]+",
        ),
    ),
    (
        "wire",
        re.compile(rf"(?m)(?:^|\s)(?:[-–—]{{1,2}}|©)\s*(?P<who>{_WIRES})\s*\.?[ \t]*$"),
    ),
    (
        "wire",
        re.compile(rf"(?P<who>{_WIRES})\s+contributed\s+to\s+this\s+(?:report|story|article)"),
    ),
    # Credits inside the text, naming where a passage comes from.
    (
        "from",
        re.compile(
            rf"(?m)(?:^|(?<=[.!?]\s))[ \t]*(?:From|Via|Per)\s+(?P<who>(?:the\s+)?{_NAME}){_POSSESSIVE_AUTHOR}?\s*:",
        ),
    ),
    (
        "cited",
        re.compile(
            rf"(?:\b(?:[Aa]ccording\s+to|[Aa]s\s+reported\s+by|[Rr]eported\s+by|[Aa]s)\s+(?P<who>(?:the\s+)?{_NAME})"
            rf"(?=\s+(?:reports?|reported|writes|wrote|notes|noted|explains|explained|puts\s+it)\b|\s*[,:]))|"
            rf"(?:(?<![\w,])(?P<who2>(?:The\s+)?{_NAME})\s+(?:reports|reported)(?:\s+on\s+\w+day)?\s*(?:that|:))",
        ),
    ),
    (
        "cited",
        re.compile(
            rf"\b(?:[Tt]his|[Aa]|[Tt]hat|[Aa]\s+new)\s+(?:report|story|article)\s+(?:from|by)\s+"
            rf"(?P<who>(?:the\s+)?{_NAME})(?=\s*[,:;]|\s+(?:that|which|says|said|shows|notes|found)\b)",
        ),
    ),
    (
        "read_more",
        re.compile(
            rf"(?i:read\s+(?:the\s+)?(?:rest|more|full\s+(?:story|article))(?:\s+of\s+(?:the|this)\s+(?:story|article))?"
            rf"(?:\s+and\s+watch\s+the\s+video)?\s+(?:at|on|here|from)|full\s+story(?:\s+here)?\s*:)\s*(?:[:\-–—]\s*)?{_WHO}{_WHO_END}",
        ),
    ),
    (
        "byline_credit",
        re.compile(rf"\bby\s+(?P<who>{_NAME})['’]s\s+[A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+){{0,2}}\s*[:,]"),
    ),
]

# Words (lower-case) a text must hold for each pattern to be worth running (empty: always run).
_CUES: list[tuple[str, ...]] = [
    ("original",), ("first", "originally"), ("first", "originally"),
    ("republish", "reprint", "repost", "cross", "syndicat"), (), ("via",), ("(",), (), ("contributed",),
    ("from", "via", "per "), ("according", "report"), ("report", "story", "article"), ("read", "full story"),
    ("by ",),
]  # fmt: skip

_CLOSE_TAG_RE = re.compile(r"(?:</\w+>|\*\*|__)+")
_URL_RE = re.compile(r"https?://[^\s<>\"')\]]+|www\.[^\s<>\"')\]]+", re.I)


def host_of(url: str | None) -> str | None:
    """The host of a URL without ``www.`` (``https://www.rt.com/news`` -> ``rt.com``)."""
    if not url:
        return None
    u = url if "://" in url else "http://" + url
    try:
        host = urlparse(u).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


# Second-level labels under a country's code that name no site ("bbc.co.uk", "abc.net.au").
_SECOND_LEVEL = frozenset("co com net org gov edu ac or ne".split())


def site_label(host: str) -> str:
    """The label of a host that names its site: the one before the public suffix, with a
    country's second level (``co.uk``, ``com.au``) counted in the suffix.

    Example:
        >>> [site_label(h) for h in ("globalresearch.ca", "news.bbc.co.uk", "rt.com", "localhost")]
        ['globalresearch', 'bbc', 'rt', 'localhost']
    """
    parts = host.lower().removeprefix("www.").split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in _SECOND_LEVEL:
        parts = parts[:-1]
    return parts[-2] if len(parts) >= 2 else parts[0]


def _clean_who(who: str) -> tuple[str, str | None]:
    who = who.strip().strip("\"'“”‘’*_:-–— ")
    url = None
    m = _URL_RE.search(who)
    if m:
        url = m.group().rstrip(".,;")
        host = host_of(url)
        rest = (who[: m.start()] + who[m.end() :]).strip(" ,:-–—()[]")
        who = rest or host or url
    who = re.sub(r"\s+", " ", who).rstrip(".,;: ")
    return who, url


def _looks_like_name(who: str) -> bool:
    if not who or len(who) > 80 or len(who.split()) > 8:
        return False
    return any(c.isalpha() for c in who)


def _common_word(who: str, text: str) -> bool:
    """Whether a one-word name a citation gives ("Students reported that", "They reported that")
    is a common word: the text has it in lower case too, outside a web address. Outlets' names
    are not written so ("Reuters", "Politico", "CNN", though "politico.com" may be).

    >>> _common_word("Students", "Students reported that the teacher left. Other students agreed.")
    True
    >>> _common_word("Politico", "Politico reported that he left (www.politico.com/story).")
    False
    """
    if " " in who:
        return False
    low = re.escape(who.lower())
    return re.search(rf"(?<![\w./@-]){low}(?![\w/-]|\.\w)", text) is not None


def find_attributions(raw: str) -> list[Attribution]:
    """Every explicit credit in ``raw``, in order of appearance, without duplicates.

    >>> [(a.credited, a.kind) for a in find_attributions("Text.\\n\\nSource: RT\\n")]
    [('RT', 'source_line')]
    >>> a = find_attributions("MOSCOW (Reuters) - Talks began.")[0]
    >>> a.credited, a.evidence
    ('Reuters', 'MOSCOW (Reuters) -')
    """
    plain, where = strip_markup(raw)
    lower = plain.lower()
    found: list[Attribution] = []
    seen: set[tuple[int, int]] = set()
    for (kind, rx), cues in zip(_PATTERNS, _CUES, strict=True):
        if cues and not any(c in lower for c in cues):
            continue  # the words this pattern needs are not in the text
        for m in rx.finditer(plain):
            who, url = _clean_who(m.group("who") or m.group("who2") if "who2" in rx.groupindex else m.group("who"))
            if not _looks_like_name(who) or (kind == "cited" and _common_word(who, plain)):
                continue
            s, e = m.start(), m.end()
            while s < e and plain[s].isspace():
                s += 1
            while e > s and plain[e - 1].isspace():
                e -= 1
            if any(not (e <= a or s >= b) for a, b in seen):
                continue
            seen.add((s, e))
            rs, re_ = where[s], where[e - 1] + 1
            close = _CLOSE_TAG_RE.match(raw, re_)
            if close:
                re_ = close.end()
            found.append(Attribution(who, kind, raw[rs:re_], rs, re_, url))
    found.sort(key=lambda a: a.start)
    return found


_LINK_CUE = re.compile(
    r"\b(?:source|original(?:ly)?|first\s+(?:appeared|published)|read\s+(?:more|the\s+full)|"
    r"via|republished|reprinted|h/t)\b",
    re.I,
)


def credit_span(att: Attribution, text: str, raw: str = "") -> tuple[int, int] | None:
    r"""Where a credit stands in a clean ``text``: the span of its words there, or, where cleaning
    removed the credit's line ("From The Daily Caller:" on a line of its own), the empty span
    where it stood, found by the words that follow it in the ``raw`` text it was read from (or
    by :attr:`~newstrace.models.Attribution.at`, where ingest placed it). None when neither is
    found.

    >>> raw = "Intro.\n\nFrom The Daily Caller:\n\nA federal judge ordered the State Department to act."
    >>> att = find_attributions(raw)[0]
    >>> text = "Intro.\n\nA federal judge ordered the State Department to act."
    >>> credit_span(att, text, raw)
    (8, 8)
    """
    said = strip_markup(att.evidence)[0].split()
    if said:
        m = re.search(spaced_words(said), text)
        if m:
            return m.start(), m.end()
    if att.at is not None:
        return att.at, att.at
    if not raw or not 0 <= att.end <= len(raw):
        return None
    following = raw[att.end : att.end + 200].split()[:6]
    if len(following) < 3:
        return None
    m = re.search(spaced_words(following), text)
    return (m.start(), m.start()) if m else None


def place_credit(att: Attribution, text: str, raw: str) -> Attribution:
    """The credit with :attr:`~newstrace.models.Attribution.at` set: where it stands in the
    clean ``text`` cleaning made of ``raw`` (:func:`credit_span`); unchanged where that is not
    found."""
    span = credit_span(att, text, raw) if att.start >= 0 else None
    return att if span is None else replace(att, at=span[0])


def link_attributions(links: list[tuple[str, str, str]], own_host: str | None) -> list[Attribution]:
    """Credits given by links: anchor text or its context names a source, on another host.

    Args:
        links: ``(url, anchor_text, context)`` triples, context being the text around the link.
        own_host: the article's own host; links to it are not credits.
    """
    out: list[Attribution] = []
    seen: set[str] = set()
    for url, text, context in links:
        host = host_of(url)
        if not host or host == own_host or url in seen:
            continue
        if _LINK_CUE.search(text) or _LINK_CUE.search(context):
            seen.add(url)
            out.append(Attribution(host, "link", (context or text).strip()[:300], -1, -1, url))
    return out


def is_attribution_line(line: str) -> bool:
    """True when a whole (short) line is nothing but a credit, such as "Source: RT"."""
    if len(line.split()) > 30:
        return False
    stripped = line.lstrip()
    for kind, rx in _PATTERNS:
        if kind in ("wire", "cited", "byline_credit"):
            continue
        if rx.match(stripped):
            return True
    return False
