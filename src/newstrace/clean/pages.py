"""Pages that are not articles: what a scraper or a feed brings back instead of a story.

Redirect stubs ("The document has moved here."), error and "not found" pages, paywall, login,
cookie and "enable JavaScript" walls, bot checks, headline-only rows and index pages (a list of
headlines or link blurbs) carry no story of their own; left in, identical stubs become
"duplicates" and sidebars link unrelated articles. :func:`non_article_reason` says why a clean
text is such a page, or None. The rules describe kinds of page, never one site's wording.
"""

from __future__ import annotations

import re
from collections import Counter

from newstrace.clean.dates import DATE_PATTERN
from newstrace.clean.text import content_key

__all__ = ["is_headline_flash", "non_article_reason", "notice_reason"]

_NOTICES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a redirect notice",
        re.compile(
            r"\b(?:moved\s+permanently|(?:document|page|object)\s+has\s+(?:moved|been\s+moved)|"
            r"object\s+moved|you\s+are\s+being\s+redirected|redirecting\s+(?:you|to|in)\b|"
            r"if\s+you\s+are\s+not\s+(?:automatically\s+)?redirected)",
            re.I,
        ),
    ),
    (
        "an error page",
        re.compile(
            r"(?:^\W*error\b|\b(?:40[0134]|50[0234])\s*(?:error|[-:–—]?\s*(?:not\s+found|forbidden|"
            r"internal|bad\s+gateway|service\s+unavailable))|\bpage\s+not\s+found\b|"
            r"\bpage\s+(?:that\s+|which\s+)?you\s+(?:are|were)\s+looking\s+for\b|"
            r"\b(?:page|article|content)\s+(?:could\s+not|cannot|can't|was\s+not)\s+be\s+found|"
            r"\binternal\s+server\s+error\b|\bservice\s+(?:temporarily\s+)?unavailable\b|"
            r"\berror\s+establishing\s+a\s+database\s+connection\b|\baccess\s+denied\b|"
            r"\bthis\s+page\s+(?:isn't|is\s+not|is\s+no\s+longer)\s+available\b|"
            r"\b(?:error|exception)\s+mess?age\b)",
            re.I,
        ),
    ),
    (
        "a paywall or login page",
        re.compile(
            r"\b(?:(?:subscribe|sign\s+in|log\s*in|register)\s+(?:now\s+)?to\s+(?:continue|read|"
            r"access|view|keep\s+reading)|you(?:'ve|\s+have)\s+reached\s+(?:your|the)\s+(?:limit|"
            r"maximum)|free\s+articles?\s+(?:left|remaining)|already\s+a\s+subscriber|"
            r"(?:this|the)\s+(?:content|article|story)\s+is\s+(?:only\s+)?(?:available|reserved)\s+"
            r"(?:only\s+)?(?:to|for)\s+(?:subscribers|members|registered)|"
            r"log\s*in\s+to\s+access\s+content|create\s+(?:a\s+)?(?:free\s+)?account\s+to)",
            re.I,
        ),
    ),
    (
        "a cookie notice",
        re.compile(
            r"\b(?:(?:we|this\s+(?:site|website))\s+uses?\s+cookies|cookie\s+(?:policy|settings|"
            r"consent|preferences)|accept\s+(?:all\s+)?cookies)\b",
            re.I,
        ),
    ),
    (
        "a browser or JavaScript notice",
        re.compile(
            r"\b(?:(?:please\s+)?(?:enable|turn\s+on)\s+javascript|javascript\s+(?:is\s+)?(?:disabled|"
            r"required|is\s+turned\s+off)|your\s+browser\s+(?:does\s+not|doesn't)\s+support|"
            r"(?:update|upgrade)\s+your\s+browser|unsupported\s+browser|"
            r"disable\s+your\s+ad\s*blocker)\b",
            re.I,
        ),
    ),
    (
        "a bot check",
        re.compile(
            r"\b(?:are\s+you\s+a\s+robot|verify\s+(?:that\s+)?you\s+are\s+(?:a\s+)?human|"
            r"checking\s+your\s+browser|captcha)\b",
            re.I,
        ),
    ),
)

# One pass over a line finds whether any notice is there; the kind is looked up only then.
_ANY_NOTICE = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in _NOTICES), re.I)

# A title that names a listing: a tag, category or topic page ("Tag: floods", "Posts tagged
# floods", "Floods news, articles and information:"), whatever its page holds (a sidebar, teasers).
_INDEX_TITLE = re.compile(
    r"""^(?:
        (?:tags?|tagged|categor(?:y|ies)|topics?|archives?)\s*[:|–—]\s*\S.*
      | (?:posts|articles|stories)\s+(?:tagged|filed\s+under|in\s+category)\b.*
      | .+\bnews,\s*articles\s*(?:,\s*\w+\s*)*(?:and|&)\s+information\b.*
      | (?:latest|all)\s+(?:news|articles|stories|posts)\s+(?:on|about|tagged)\b.*
    )$""",
    re.I | re.X,
)
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s*$")
_INNER_END = re.compile(r"[a-z]{2}[.!?][\"”’')\]]*\s+[A-Z]")


def notice_reason(line: str) -> str | None:
    """The kind of notice a short line is ("a cookie notice"…), or None.

    >>> notice_reason("Your browser does not support the audio element.")
    'a browser or JavaScript notice'
    >>> notice_reason("The minister said the plan had moved forward.") is None
    True
    """
    if len(line.split()) > 40 or not _ANY_NOTICE.search(line):
        return None
    for kind, rx in _NOTICES:
        if rx.search(line):
            return kind
    return None


def _headline_like(line: str) -> bool:
    """A line that reads as a headline or a link, not as prose: in Title Case, no full stop."""
    ws = line.split()
    if not 2 <= len(ws) <= 30 or ((_SENTENCE_END.search(line) or _INNER_END.search(line)) and len(ws) > 6):
        return False
    alpha = [w for w in ws if w[0].isalpha()]
    if len(alpha) < 2 or sum(1 for w in ws if any(c.isdigit() for c in w)) > len(ws) / 4:
        return False  # a row of a table, not a headline
    caps = sum(1 for w in alpha if w[0].isupper()) / len(alpha)
    return caps >= 0.6


def _dated_entries(lines: list[str], *, min_entries: int = 5) -> bool:
    """Whether a text lists dated entries under one byline, as an author's or a site's archive
    page does ("Jun 29, 2008 — Jim Bray", then a teaser, and again): ``min_entries`` short lines
    or more that are a full date and the same words besides, a fifth of the lines at least.

    >>> _dated_entries([f"Jun {d}, 2008 — Jim Bray" if d % 2 else "A teaser." for d in range(1, 13)])
    True
    >>> events = ["Primary", "Debate", "Convention", "Vote", "Recount", "Ruling", "Appeal", "Swearing-in"]
    >>> _dated_entries([f"June {d}, 2016 — {e}" for d, e in enumerate(events, 1)])
    False
    """
    rest: Counter[str] = Counter()
    for ln in lines:
        # (Not an embedded tweet's signature: "— Natalie Maines (@1NatalieMaines) September 22, 2016".)
        if len(ln.split()) <= 10 and "@" not in ln and (m := DATE_PATTERN.search(ln)):
            rest[content_key(ln[: m.start()] + " " + ln[m.end() :])] += 1
    top = max(rest.values(), default=0)
    return top >= min_entries and top >= 0.2 * len(lines)


FLASH_WORDS = 40
"""Words a headline flash has at most (:func:`is_headline_flash`): a headline's length."""
FLASH_CHARS = 600
"""Characters a headline flash has at most (:func:`is_headline_flash`), so that ``detect`` finds
every flash among the store's short texts."""
FLASH_HOURS = 1.0
"""Hours between a headline flash and a text that may hold its news (the story that follows it,
the flash sent again). On Reuters-21578 the full story follows its flash within minutes; texts
that give a flash's facts hours later were, in a sample read, follow-ups and round-ups that
restate the news (an analysts' story on the figures, a debate on the day's fall), not its story."""
FLASH_LEAD_MINUTES = 15
"""Minutes a text that is no flash may come before a flash and still hold its news. A flash is
sent as the news breaks: a story sent a few minutes before it is its own story (the wire's
order is loose), one sent earlier gives the facts before they happened, expecting them. On the
development slices of Reuters-21578 (round s9 and the labels before it), of the texts of a
flash's hour that came before it and gave its words and figures, 8 of the 9 sent more than 15
minutes before were read as no reuse (economists expecting the Fed's repurchases the flash
reports, a committee near approval, a hearing pending; the ninth, traders' report of a
purchase that an official flash confirmed an hour later, a copy); of the 8 within 15 minutes, 6
were its story."""


def is_headline_flash(text: str, title: str | None) -> bool:
    """Whether an item is a headline flash: its body is its own headline, and nothing else
    (``{"title": "ALLIED BANCSHARES 3RD QTR NET LOSS 104.2 MLN", "text": "ALLIED BANCSHARES 3RD
    QTR NET LOSS 104.2 MLN"}``). A wire sends the news first as such a flash, and the story
    follows; newstrace stores it as a document (``detect`` reads it by the facts it gives:
    :func:`newstrace.analyze.evidence.held_flash`). A page whose text is another headline than
    its own, or lines of headlines, is no flash but an index or debris of a scrape
    (:func:`non_article_reason`).

    >>> is_headline_flash("U.S. JAN FACTORY ORDERS FELL 4.0 PCT", "U.S. JAN FACTORY ORDERS FELL 4.0 PCT")
    True
    >>> is_headline_flash("How To Understand The Day Of The Lord", "Daily UFO Headlines 7/21/2016")
    False
    """
    if not title or len(text) > FLASH_CHARS or len(text.split()) > FLASH_WORDS:
        return False
    key = content_key(text)
    return bool(key) and key == content_key(title)


def non_article_reason(text: str, title: str | None = None) -> str | None:
    """Why a clean text is not an article, or None when it may be one.

    Args:
        text: the clean text (chrome already removed).
        title: the page's title, if known.

    >>> non_article_reason("Moved Permanently\\n\\nThe document has moved here.")
    'a redirect notice'
    >>> non_article_reason("How To Easily Understand The Difference Between Two Things")
    'a headline only, no article text'
    >>> non_article_reason("The council met on Tuesday. Members said the plan would go ahead.") is None
    True
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    n_words = len(text.split())
    if not lines:
        return None
    # A notice page: once its notices are taken out, too little is left to be a story. (A notice
    # is a short line: a text whose long lines alone hold 25 words is no notice page.)
    if sum(len(ln.split()) for ln in lines if len(ln.split()) > 40) < 25:
        notices = [k for ln in lines if (k := notice_reason(ln))]
        if notices:
            rest = sum(len(ln.split()) for ln in lines if not notice_reason(ln))
            if rest < 25:
                return notices[0]
    if title and _INDEX_TITLE.match(title.strip()):
        return "an index page (its title names a tag, category or topic listing)"
    if title and content_key(text) and content_key(text) == content_key(title):
        return "a headline only, no article text"
    if n_words <= 30 and all(_headline_like(ln) for ln in lines):
        return "a headline only, no article text"
    if _dated_entries(lines):
        return "an index page (a list of dated entries under one byline)"
    heads = [ln for ln in lines if _headline_like(ln)]
    prose = sum(len(ln.split()) for ln in lines if _SENTENCE_END.search(ln) and not _headline_like(ln))
    if len(lines) >= 5 and len(heads) >= 0.7 * len(lines) and prose < 50:
        return "an index page (a list of headlines or links)"
    return None
