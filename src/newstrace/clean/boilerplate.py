"""Boilerplate (site chrome) removal, in two layers.

1. Per document: lines that are chrome by their form alone, whatever the outlet: share and
   comment prompts, newsletter and membership pleas, copyright and fair-use disclaimers,
   contact lines, "related articles" blocks. :func:`chrome_reason` names the rule that fired.
2. Per outlet: lines that recur across several documents of the same outlet are that outlet's
   chrome (:func:`learn_outlet_chrome`), even when no generic rule knows their wording.

Rules describe kinds of chrome, never one site's sentences; tests apply them to several outlets.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from newstrace.clean.text import content_key

# Short lines (a prompt, a button, a label) that are chrome by their wording.
_SHORT_CHROME = re.compile(
    r"""^(?:
        (?:share|tweet|pin|email|print|save|like|follow|flip)(?:\s+(?:it|this|us|on|to|via|article|story|post|page)\b.*)?
      | (?:click|tap)\s+(?:here|to)\b.*
      | pin\s+it\s+on\s+pinterest
      | share\s+(?:on|this|via|to)\b.*
      | (?:leave|post|add|write|submit)\s+a\s+(?:reply|comment|response)\b.*
      | \d*\s*(?:comments?|replies|responses)(?:\s*\(\d+\))?
      | (?:view|show|load|read|see)\s+(?:all\s+)?(?:\d+\s+)?comments?\b.*
      | comment\s+on\b.*
      | join\s+the\s+(?:conversation|discussion)\b.*
      | (?:become|join\s+as)\s+a\s+(?:member|patron|subscriber|supporter)\b.*
      | (?:subscribe|sign\s+up|register)\b.*
      | (?:donate|support\s+(?:us|our\s+work|independent\s+\w+))\b.*
      | (?:get|receive)\s+(?:our|the)\s+(?:newsletter|daily|free)\b.*
      | (?:related|recommended|more\s+from|you\s+(?:may|might)\s+also\s+like|trending|popular
         |read\s+(?:more|next|also))\b.*
      | (?:articles?|posts?|stories)\s+by:?\s.*
      | (?:tags?|filed\s+under|categories|category|posted\s+in|topics?)\s*:.*
      | (?:advertisement|sponsored(?:\s+content)?|ad)
      | (?:skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|scroll\s+to\s+top|menu|search|home)
      | (?:copyright|\(c\)|©).*
      | all\s+rights\s+reserved\.?
      | (?:follow|find|like)\s+us\s+on\b.*
      | follow\s+@\w+(?:\s+on\s+\w+)?
      | (?:facebook|twitter|linkedin|whatsapp|reddit|telegram|pinterest|email|print)(?:\s*[|/·•,]\s*\w+)*
      | (?:previous|next)\s+(?:article|post|story)\b.*
      | (?:photo|image|video)\s+(?:credit|courtesy)\s*:.*
    )$""",
    re.I | re.X,
)

# Legal and editorial disclaimers: chrome at any length.
_LEGAL_CHROME = re.compile(
    r"""(?:
        ^disclaimer\s*:
      | contains\s+copyrighted\s+material
      | provisions\s+of\s+["“]?fair\s+use
      | ["“]fair\s+use["”]
      | ["“]?fair\s+use(?:\s+doctrine)?["”]?\s+(?:in|of|under)\s+
        (?:sec(?:tion|\.)?\s*107|title\s+17|the\s+u\.?s\.?\s+copyright)
      | ^comment(?:s|ing)?\s+policy\s*:
      | \bgrants?\s+permission\s+to\s+(?:cross-?post|republish|repost|reprint)
      | ^the\s+views\s+(?:and\s+opinions\s+)?expressed\s+(?:in\s+this\s+(?:article|post|piece)|herein)
      | ^(?:opinions|views)\s+expressed\s+(?:in\s+this\s+(?:article|post)|here)\s+are
      | this\s+material\s+may\s+not\s+be\s+(?:published|broadcast|rewritten|redistributed)
      | ^all\s+rights\s+reserved
      | ^©\s*\d{4}
      | ^copyright\s*(?:©|\(c\))?\s*\d{4}
    )""",
    re.I | re.X,
)

# "Get the podcast at CNN, on Stitcher, TuneIn or iTunes": a call to listen somewhere.
_PLATFORM_PROMO = re.compile(
    r"""^(?:get|listen|subscribe|download|find|hear|follow|catch)\b.{0,160}?
        \b(?:itunes|apple\s+podcasts|google\s+(?:play|podcasts)|stitcher|tunein(?:\s*radio)?|spotify
          |soundcloud|overcast|pocket\s+casts|iheart(?:radio)?)\b""",
    re.I | re.X,
)

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# A call to hear the rest elsewhere ("To hear the whole conversation with Rove, which also
# covered ..., click on http://podcast...") or a show's own blurb ("Party People is a new
# podcast from CNN where ..."): a promo however long its list of topics.
_LISTEN_PROMO = re.compile(
    r"""^(?:to\s+(?:hear|listen\s+to|watch)\b.{0,600},\s*(?:listen\s+to|click\s+(?:on|here)|subscribe\s+to|download)\b
        |[A-Z][\w'’" ]{1,60}\bis\s+an?\s+(?:new\s+|weekly\s+|daily\s+)?(?:podcast|radio\s+show|video\s+series)
          \s+(?:from|by|where|hosted\s+by|in\s+which)\b)""",
    re.I | re.X,
)

# A call to act on a link or an address: "To receive ongoing messages ..., go to
# www.example.com and request to be added to the mailing list", "Her new book ... is available
# at www.example.com", "Visit Blog: http://...", an invitation's "RSVP here http://..." or "send
# us a message at events@example.com".
_LINK_CALL = re.compile(
    r"""\b(?:for\s+more\s+information|to\s+(?:receive|learn\s+more|find\s+out\s+more|order|subscribe|sign\s+up|register)
        |request\s+to\s+be\s+added|(?:is|are)\s+available\s+(?:at|from|on)|go\s+to|visit|rsvp
        |send\s+us\s+(?:a\s+message|an?\s+e-?mail|a\s+note))\b[^.]{0,80}?(?:https?://|www\.|"""
    + _EMAIL_RE.pattern
    + ")",
    re.I | re.X,
)

_REPORTED = re.compile(r"\b(?:said|says|according\s+to|told)\b", re.I)  # news reporting a link

_CONTACT_RE = re.compile(
    r"^(?:for\s+)?(?:media|press|general)?\s*(?:inquiries|enquiries|contact(?:\s+us)?|e-?mail(?:\s+us)?|"
    r"tips?|questions)\b.*(?:@|\+?\d[\d\s().-]{6,}\d)",
    re.I,
)


# A taxonomy line: "Filed under: Politics, World Tagged: Berlin, floods" (any length: a post's
# tags may be many, but each is a name or a short phrase, not a sentence).
_TAXONOMY_HEAD = re.compile(
    r"^(?:tags?|tagged(?:\s+with)?|filed\s+under|categor(?:y|ies)|posted\s+in|topics?)\s*:\s*", re.I
)
_TAXONOMY_SPLIT = re.compile(r"\s*(?:[,;|•·]|\b(?:tags?|tagged(?:\s+with)?|categor(?:y|ies)|topics?)\s*:)\s*", re.I)


def _taxonomy_line(s: str) -> bool:
    head = _TAXONOMY_HEAD.match(s)
    if head is None:
        return False
    items = [x for x in _TAXONOMY_SPLIT.split(s[head.end() :]) if x and x.strip()]
    return len(items) >= 2 and all(len(x.split()) <= 6 and not x.rstrip().endswith(".") for x in items)


def chrome_reason(line: str) -> str | None:
    """Why ``line`` is chrome by its form alone, or None if it may be article text.

    >>> chrome_reason("Pin It on Pinterest")
    'share/comment/navigation prompt'
    >>> chrome_reason("For media inquiries: press@example.org")
    'contact line'
    >>> chrome_reason("Filed under: World, Europe Tagged: Berlin, floods, army, Elbe, Saxony, rain, "
    ...               "Angela Merkel, disaster relief")
    'tags and categories'
    >>> chrome_reason("Get CNN's Party People podcast at CNN, on Stitcher, TuneInRadio, or iTunes.")
    'podcast/app promo'
    >>> chrome_reason("To hear the whole conversation with Rove, which also covered his rise in "
    ...               "politics, click on http://podcast.example.com.")
    'podcast/app promo'
    >>> chrome_reason("For more information, go to www.example.com")
    'a call to act on a link'
    >>> chrome_reason("The minister said the talks would resume.") is None
    True
    """
    s = line.strip().strip("*_#>|•·-–— \t")
    if not s:
        return None
    n_words = len(s.split())
    if _LEGAL_CHROME.search(s):
        return "legal disclaimer"
    if n_words <= 25 and _CONTACT_RE.search(s):
        return "contact line"
    if n_words <= 4 and _EMAIL_RE.fullmatch(s.split()[-1].strip(".,;:()")):
        return "contact line"
    if n_words <= 12 and _SHORT_CHROME.match(s.rstrip(".!:»›>→ ")):
        return "share/comment/navigation prompt"
    if _taxonomy_line(s):
        return "tags and categories"
    if (n_words <= 30 and _PLATFORM_PROMO.match(s)) or (n_words <= 120 and _LISTEN_PROMO.match(s)):
        return "podcast/app promo"
    if n_words <= 80 and _LINK_CALL.search(s) and not _REPORTED.search(s):
        return "a call to act on a link"
    return None


@dataclass(frozen=True, slots=True)
class OutletChrome:
    """Lines learned as one outlet's chrome: their content keys, and how many documents hold each;
    and the blocks of lines that open or close several of its documents (``edge_blocks``: the
    hash of a block's line keys, prefixed ``^`` for an opening block and ``$`` for a closing one)."""

    outlet: str
    keys: Mapping[str, int]
    edge_blocks: frozenset[str] = frozenset()

    def is_chrome(self, line: str) -> bool:
        return content_key(line) in self.keys


def _block_hashes(keys: list[str]) -> Iterator[str]:
    """Running hashes of a list of line keys: one per prefix (its first 1, 2, ... lines)."""
    h = hashlib.blake2b(digest_size=12)
    for k in keys:
        h.update(k.encode("utf-8", "surrogatepass") + b"\x1f")
        yield h.hexdigest()


def learn_edge_blocks(
    texts: Iterable[str], *, max_lines: int = 500, prose_line_words: int = 15
) -> frozenset[str]:
    """Blocks of lines that open or close two or more of an outlet's documents, word for word
    ("the same place"): a header, a sidebar of latest stories, an author bio, a footer.

    Two documents holding a block must go on about different things after it (their other
    words barely overlap, and the lines that follow the block differ): documents that share a
    block and go on about the same story, or go on with (mostly) the same line (a version cut
    short after it), are versions of one article, and the block is its text, not chrome. A
    block that is a whole document of the outlet is an article too (its updates start with
    it), and a document is never all block. An opening block of prose (lines of more than ``prose_line_words`` words
    on average) must recur in three documents: two copies of one column, one cut short, share
    their opening paragraphs, while page headers are bylines, datelines and headlines.
    """
    docs = []
    for text in texts:
        keys = [k for k in (content_key(ln) for ln in text.splitlines() if ln.strip()) if k]
        if keys:
            docs.append(keys)
    holders: dict[str, list[tuple[int, int]]] = {}
    block_words: dict[str, int] = {}
    whole: set[str] = set()
    for d, keys in enumerate(docs):
        for side, seq in (("^", keys), ("$", keys[::-1])):
            n_words = 0
            for i, h in enumerate(_block_hashes(seq[:max_lines])):
                n_words += seq[i].count(" ") + 1
                if i + 1 == len(seq):
                    whole.add(side + h)
                    break
                held = holders.setdefault(side + h, [])
                block_words[side + h] = n_words
                if len(held) < 8:
                    held.append((d, i + 1))

    def rest(d: int, side: str, k: int) -> tuple[set[str], set[str]]:
        keys = docs[d]
        lines = keys[k:] if side == "^" else keys[: len(keys) - k]
        nxt = set((lines[0] if side == "^" else lines[-1]).split())
        return nxt, {w for ln in lines for w in ln.split() if len(w) > 3 and not w.isdigit()}

    def apart(x: set[str], y: set[str]) -> bool:
        return len(x & y) < 0.5 * len(x | y)

    learned = set()
    for h, held in holders.items():
        if len(held) < 2 or h in whole:
            continue
        lines = held[0][1]
        if h[0] == "^" and block_words[h] > prose_line_words * lines and len(held) < 3:
            continue
        rests = [r for d, k in held if len((r := rest(d, h[0], k))[1]) >= 10]
        if any(
            apart(x[0], y[0]) and len(x[1] & y[1]) < 0.25 * len(x[1] | y[1])
            for i, x in enumerate(rests)
            for y in rests[i + 1 :]
        ):
            learned.add(h)
    return frozenset(learned)


def remove_edge_blocks(text: str, blocks: frozenset[str], *, max_lines: int = 500) -> tuple[str, list[str]]:
    """Drop the longest learned opening block and closing block from ``text``."""
    if not blocks:
        return text, []
    all_lines = text.splitlines()
    idx = [i for i, ln in enumerate(all_lines) if ln.strip() and content_key(ln)]
    keys = [content_key(all_lines[i]) for i in idx]
    head = tail = 0
    for i, h in enumerate(_block_hashes(keys[: min(max_lines, len(keys) - 1)])):
        if "^" + h in blocks:
            head = i + 1
    for i, h in enumerate(_block_hashes(keys[::-1][: min(max_lines, len(keys) - 1 - head)])):
        if "$" + h in blocks:
            tail = i + 1
    if not head and not tail:
        return text, []
    drop = {idx[j] for j in range(head)} | {idx[len(idx) - 1 - j] for j in range(tail)}
    left = sum(len(keys[j].split()) for j in range(len(idx)) if idx[j] not in drop)
    if left < 10:
        return text, []  # never leave a document without its text
    removed = [all_lines[i].strip() for i in sorted(drop)]
    kept = [ln for i, ln in enumerate(all_lines) if i not in drop]
    return "\n".join(kept).strip(), removed


def _edge_lines(text: str, head: int, tail: int) -> list[str]:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) <= head + tail:
        return lines
    return lines[:head] + lines[-tail:]


def learn_outlet_chrome(
    outlet: str,
    texts: Iterable[str],
    *,
    min_docs: int = 3,
    min_share: float = 0.0,
    head: int = 4,
    tail: int = 8,
    long_words: int = 20,
    long_share: float = 0.05,
) -> OutletChrome:
    """Learn an outlet's chrome: edge lines that recur, word for word, in several of its documents.

    Only lines near the top or the bottom of a document count (chrome sits there; an article
    body repeated in full by an outlet's reposts must survive), and a line must appear in at
    least ``min_docs`` documents and in at least ``min_share`` of the outlet's documents.

    Args:
        outlet: the outlet's name (recorded in the result).
        texts: the per-document-cleaned texts of the outlet's distinct documents.
        min_docs: the fewest documents a line must recur in.
        min_share: the smallest share of the outlet's documents it must recur in.
        head: how many leading lines of each document are considered.
        tail: how many trailing lines are considered.
        long_words: lines of this many words or more are "long".
        long_share: the smallest share of the outlet's documents a long line must recur in.

    Example:
        >>> docs = [f"Story {i} body text here.\\nSubscribe to the Daily Bugle today" for i in range(3)]
        >>> sorted(learn_outlet_chrome("Bugle", docs).keys)
        ['subscribe to the daily bugle today']
    """
    texts = list(texts)
    counts: Counter[str] = Counter()
    n_docs = 0
    for text in texts:
        n_docs += 1
        keys = {content_key(ln) for ln in _edge_lines(text, head, tail)}
        keys.discard("")
        counts.update(keys)
    need = max(min_docs, int(min_share * n_docs + 0.999))
    # A long line shared by a few articles is more likely a quotation or a reused paragraph
    # than chrome: long lines must recur in a clear share of the outlet's documents.
    need_long = max(need, int(long_share * n_docs + 0.999))
    chrome = {
        k: c
        for k, c in counts.items()
        if len(k) > 1 and c >= (need_long if k.count(" ") >= long_words else need)
    }
    return OutletChrome(outlet, chrome, learn_edge_blocks(texts))


def remove_outlet_chrome(
    text: str, chrome: OutletChrome, *, max_share: float = 0.5, sure_docs: int = 10
) -> tuple[str, list[str]]:
    """Drop ``chrome``'s lines from ``text``; returns the new text and the removed lines.

    When lines learned from only a few documents would take more than ``max_share`` of the
    document, the document is a repost of another of the outlet's articles, not chrome around
    one: it is left untouched. Lines that recur in ``sure_docs`` or more documents are chrome
    whatever their share (a cartoon post is mostly its site's footer). Blocks that open or
    close several documents (:func:`learn_edge_blocks`) go first.
    """
    text, blocks = remove_edge_blocks(text, chrome.edge_blocks)
    removed = list(blocks)
    kept: list[str] = []
    unsure_chars = 0
    for line in text.splitlines():
        if line.strip() and chrome.is_chrome(line):
            removed.append(line.strip())
            if chrome.keys.get(content_key(line), 0) < sure_docs:
                unsure_chars += len(line.strip())
        else:
            kept.append(line)
    if not removed:
        return text, []
    new_text = "\n".join(kept).strip()
    if unsure_chars > max_share * max(1, len(text.strip())) or len(new_text.split()) < 5:
        return text, blocks
    return new_text, removed
