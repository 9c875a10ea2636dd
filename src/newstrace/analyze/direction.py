"""Direction: which text is the source and which the derivative, with the evidence for it.

Each piece of evidence is named, says which side it favours and how strongly, and why.
Evidence that conflicts or is missing lowers the confidence instead of being guessed away.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

from newstrace.align.crosslingual import text_language
from newstrace.clean.attributions import credit_span, host_of
from newstrace.clean.dates import to_date
from newstrace.clean.text import function_words, normalize_quotes, spaced_words, strip_markup, words
from newstrace.models import Attribution, Document

REPUBLICATION_KINDS = ("original_source", "republished", "first_appeared")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason to believe a direction.

    Attributes:
        name: ``dates``, ``attribution``, ``links``, ``headline``, ``containment``,
            ``translation``, ...
        favours: ``a`` (A is the source), ``b`` (B is the source) or None (no direction).
        weight: how strongly, >= 0.
        detail: a sentence for people.
    """

    name: str
    favours: str | None
    weight: float
    detail: str


DIRECTION_KINDS = ("directed", "undirected", "common")
"""``directed``: the evidence says which text is the source; ``undirected``: nothing tells (the
texts are shown in the order given, and no chain is drawn through them); ``common``: both carry
the same credit or wire dateline, siblings from a third source."""


@dataclass(frozen=True, slots=True)
class Direction:
    """The verdict: ``source`` is ``a`` or ``b``, with a confidence in [0, 1], and its ``kind``
    (see :data:`DIRECTION_KINDS`); ``common_source`` names the third source of siblings."""

    source: str
    confidence: float
    evidence: tuple[Evidence, ...]
    note: str | None = None
    kind: str = "directed"
    common_source: str | None = None


def outlet_key(name: str | None) -> str:
    """How names of outlets are compared: lower-case letters and digits only, without a leading
    "The" ("RT News" -> "rtnews", "The Daily Caller" -> "dailycaller")."""
    return re.sub(r"[^a-z0-9]", "", re.sub(r"^\s*the\s+", "", (name or "").lower()))


def _names(doc: Document) -> set[str]:
    """Names a credit to ``doc`` could use: outlet, host, host label, URL."""
    out = {outlet_key(doc.outlet)} if doc.outlet else set()
    for url in (doc.url, doc.canonical_url):
        host = host_of(url)
        if host:
            out.add(outlet_key(host))
            out.add(outlet_key(host.split(".")[-2] if "." in host else host))
    if doc.host:
        out.add(outlet_key(doc.host))
        out.add(outlet_key(doc.host.split(".")[0]))
    if doc.author and len(doc.author.split()) >= 2:
        out.add(outlet_key(doc.author))  # "by Yousef Saba:" credits the article he wrote
    out.discard("")
    return out


def _credit_matches(credited: str, url: str | None, names: set[str]) -> bool:
    k = outlet_key(credited)
    if not k:
        return False
    if k in names or (url and outlet_key(host_of(url)) in names):
        return True
    # "RT News" credits "RT"; "Reuters" credits "Thomson Reuters".
    return any(
        len(n) >= 2 and (k.startswith(n) or n.startswith(k)) and min(len(k), len(n)) >= 2
        for n in names
        if abs(len(k) - len(n)) <= max(6, len(n))
    )


def abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` may be an abbreviation of ``name``: its letters are a prefix of each of
    the name's words in turn ("NY Post", "NYT", "WaPo", "AP" of "The New York Post", "The New
    York Times", "The Washington Post", "Associated Press").

    >>> abbreviates("WaPo", "The Washington Post"), abbreviates("AP", "Elbe News")
    (True, False)
    >>> abbreviates("AT", "A The")  # only a leading "The" is left out
    True
    """
    key = outlet_key(short)
    words = re.findall(r"[a-z0-9]+", name.lower())
    words = words[1:] if words[:1] == ["the"] else words  # as outlet_key: a leading "The" only
    if len(key) < 2 or len(words) < 2:
        return False
    ends = {0}  # how much of ``key`` the words so far can spell, each giving a prefix
    for w in words:
        ends = {e + n for e in ends for n in range(1, min(len(w), len(key) - e) + 1) if key[e : e + n] == w[:n]}
        if not ends:
            return False
    return len(key) in ends


def _origins(doc: Document) -> set[str]:
    """Whose article ``doc`` declares itself to be ("The original source of this article is RT")."""
    return {outlet_key(a.credited) for a in doc.attributions if a.kind in REPUBLICATION_KINDS}


def _label(doc: Document) -> str:
    """How evidence names a document: its outlet and id ("Global Research [fc1141d6]")."""
    return f"{doc.outlet} [{doc.id[:8]}]" if doc.outlet else f"[{doc.id[:8]}]"


def _said(att: Attribution) -> str:
    return repr(strip_markup(att.evidence)[0])


def credit_given(derivative: Document, origin: Document) -> str | None:
    """How ``derivative`` credits ``origin`` (the credit's words, or the link), or None.

    A credit counts when it names the origin's outlet or host, or links to the origin's article
    or anywhere on its site.
    """
    names = _names(origin)
    for att in derivative.attributions:
        if _credit_matches(att.credited, att.url, names):
            return strip_markup(att.evidence)[0] or att.credited
    urls = {u for u in (origin.url, origin.canonical_url) if u}
    hosts = {h.removeprefix("www.") for u in urls if (h := host_of(u))}
    # A site's links to itself (navigation) credit nobody.
    hosts -= {h.removeprefix("www.") for u in (derivative.url, derivative.canonical_url) if (h := host_of(u))}
    for link in derivative.links:
        host = (host_of(link.url) or "").removeprefix("www.")
        if link.url in urls or (host and host in hosts):
            return f"link to {link.url}"
    return None


def attribution_evidence(a: Document, b: Document) -> list[Evidence]:
    """Credits and links between the two documents, or to the origin one of them republishes."""
    out: list[Evidence] = []
    for x, y, ys in ((a, b, "b"), (b, a, "a")):
        y_names = _names(y)
        y_origins = _origins(y)
        # Whom ``y`` credits for its text ("Read the rest at Campus Reform"), less its own outlet
        # ("as POLITICO reported") and less an origin it declares itself a republication of.
        y_own = _names(replace(y, author=None))
        y_credits = [
            outlet_key(t.credited)
            for t in y.attributions
            if t.kind in _CREDIT_KINDS and not _credit_matches(t.credited, None, y_own)
        ]
        x_outlet = _names(replace(x, author=None, url=None, canonical_url=None, host=None))
        for att in x.attributions:
            # "As POLITICO reported" in a Politico article names its own outlet: that tells
            # nothing about which of two Politico articles came first.
            if x_outlet and _credit_matches(att.credited, att.url, x_outlet):
                continue
            key = outlet_key(att.credited)
            # A name ``y`` itself credits as where its text came from ("Read the rest at Campus
            # Reform") is not ``y``, even when ``y``'s byline carries it: both credit that origin.
            names_y_origin = any(_same_origin(key, k) for k in y_credits)
            if not names_y_origin and _credit_matches(att.credited, att.url, y_names):
                detail = (
                    f"{_label(x)} credits {att.credited!r} ({_said(att)}), which is {_label(y)}"
                )
                out.append(Evidence("attribution", ys, 3.0, detail))
                break
            if att.kind not in REPUBLICATION_KINDS and key in y_origins and key not in _origins(x):
                declared = next(a2 for a2 in y.attributions if outlet_key(a2.credited) == key)
                detail = (
                    f"{_label(x)} credits {att.credited!r} ({_said(att)}); {_label(y)} is "
                    f"{att.credited}'s article republished ({_said(declared)})"
                )
                out.append(Evidence("attribution", ys, 2.0, detail))
                break
        y_urls = {u for u in (y.url, y.canonical_url) if u}
        y_hosts = {h.removeprefix("www.") for u in y_urls if (h := host_of(u))}
        y_hosts -= {h.removeprefix("www.") for u in (x.url, x.canonical_url) if (h := host_of(u))}
        site_link = None
        for link in x.links:
            if link.url in y_urls:
                out.append(
                    Evidence("links", ys, 3.0, f"{_label(x)} links to {_label(y)}: {link.url}")
                )
                site_link = None
                break
            if site_link is None and (host_of(link.url) or "").removeprefix("www.") in y_hosts:
                site_link = link.url
        if site_link is not None:
            detail = f"{_label(x)} links to {_label(y)}'s site ({site_link}), crediting that outlet"
            out.append(Evidence("links", ys, 1.5, detail))
    out.extend(common_origin_evidence(a, b) if not out else [])
    return out


_CREDIT_KINDS = ("wire", "source_line", "via", "from", "read_more", "cited", "byline_credit")
"""Credits for (part of) a text's words, as opposed to a declaration of republication."""


def _credits(doc: Document) -> dict[str, str]:
    """Who a document credits as the origin of its text (wire credits, datelines, "Source:",
    "From X:", "first appeared on", "X reports that"), by outlet key, with the name as written."""
    kinds = (*REPUBLICATION_KINDS, *_CREDIT_KINDS)
    return {outlet_key(t.credited): t.credited for t in doc.attributions if t.kind in kinds}


def _same_origin(x: str, y: str) -> bool:
    """Two credits naming one origin ("The Daily Caller" and "the Daily Caller News Foundation")."""
    short, long_ = sorted((x, y), key=len)
    return x == y or (len(short) >= 4 and long_.startswith(short))


def common_origin_evidence(a: Document, b: Document) -> list[Evidence]:
    """Both credit the same origin (the same wire, the same "Source:"): siblings, not parent
    and child."""
    ca, cb = _credits(a), _credits(b)
    shared = sorted(k for k in ca if any(_same_origin(k, j) for j in cb))
    if not shared:
        return []
    names = ", ".join(ca[k] for k in shared)
    detail = f"both credit {names}: siblings from a common source, not one copying the other"
    return [Evidence("common_source", None, 0.0, detail)]


CREDIT_REACH = 250
"""How far (characters) before a quotation a credit may stand and still introduce it ("The
Associated Press reports:" ends the paragraph before a block quotation)."""

PASSAGE_CREDIT_KINDS = ("from", "cited", "read_more", "source_line", "wire")
"""Credits that give a passage of a text as another's: "From The Daily Caller:" and "According
to TheBlaze" introduce the words after them, "Read the rest of the story at Campus Reform" and
"Source: RT" close the words before them, and a wire's dateline or sign-off ("NEW YORK (AP) —")
gives the whole text (:func:`credited_passage_evidence`)."""
_CREDIT_CLOSES = ("read_more", "source_line")

CREDITED_SHARE = 0.5
"""Share of a text's reused characters that one of its credits must give as a third party's for
the pair to be siblings (:func:`credited_passage_evidence`)."""


_REPORTED = re.compile(r"\b(?:according|report(?:s|ed)?|writes|wrote|not(?:es|ed)|explain(?:s|ed)|puts)\b", re.I)
"""Words that make a credit inside a sentence a citation of what another reported ("According
to TheBlaze", "The Daily Caller reported that"), not a name after "as" ("as the Justice Against
Sponsors of Terrorism Act,")."""


def _run_after(spans: list[tuple[int, int]], start: int, reach: int) -> int:
    """Characters of the run of ``spans`` that begin at ``start`` or later, the first at most
    :data:`CREDIT_REACH` characters after ``reach`` and each later one after the one before."""
    covered = 0
    for s, e in sorted(spans):
        if s < start:
            continue
        if s - reach > CREDIT_REACH:
            break
        covered += e - s
        reach = max(reach, e)
    return covered


_SENTENCE_END = re.compile(r"[.!?:](?=\s|$)|\n\n")


def credited_chars(text: str, spans: list[tuple[int, int]], at: tuple[int, int], kind: str) -> int:
    r"""Characters of ``spans`` (a text's reused passages) that a credit of ``kind`` standing at
    ``at`` in ``text`` gives as its party's. A wire's credit gives the whole text; a closing
    credit ("Read the rest at", "Source:") all the passages before it; "From X:" the run of
    passages after it; a citation inside a sentence ("According to X,", "X reported that") the
    passages that begin in its sentence, and the run after that sentence when it ends with a
    colon (a block quotation follows).

    >>> text = "Intro here. As the Post reported, the dam broke. Own words."
    >>> credited_chars(text, [(34, 48), (49, 59)], (12, 32), "cited")  # not "Own words."
    14
    >>> credited_chars(text.replace("broke.", "broke:"), [(34, 48), (49, 59)], (12, 32), "cited")
    24
    """
    if kind == "wire":
        return sum(e - s for s, e in spans)
    if kind in _CREDIT_CLOSES:
        return sum(e - s for s, e in spans if e <= at[1] + 1)
    if kind != "cited":
        return _run_after(spans, at[0], at[1])
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, at[0])]
    start = before[-1] if before else 0
    m = _SENTENCE_END.search(text, at[1])
    end = m.start() if m else len(text)
    covered = sum(e - s for s, e in spans if start <= s < end)
    if m and m.group() == ":":
        covered += _run_after(spans, end + 1, end + 1)
    return covered


def names_party(text: str, name: str) -> bool:
    """Whether ``text`` names ``name`` anywhere, spaced or not ("The Blaze" for "TheBlaze", "Daily
    Caller" for "The Daily Caller"); a name of three letters or fewer in capitals ("AP").

    >>> names_party("As The Blaze first reported, the chief spoke.", "TheBlaze")
    True
    >>> names_party("The hills were ablaze.", "Blaze")
    False
    """
    letters = outlet_key(name)
    if len(letters) < 2:
        return False
    if len(letters) <= 3:  # "AP", "RT", "CNN": in capitals, as a word
        return re.search(rf"\b{re.escape(letters.upper())}\b", text) is not None
    return re.search(r"\b" + r"[\W_]*".join(map(re.escape, letters)) + r"\b", text, re.I) is not None


def credited_passage_evidence(
    a: Document, b: Document, spans_a: list[tuple[int, int]], spans_b: list[tuple[int, int]]
) -> list[Evidence]:
    """One text gives most of what the two share as a third party's ("From The Daily Caller:",
    "According to TheBlaze", "Read the rest of the story at Campus Reform"), and the other text
    is known, is not that party, and names it too ("h/t Daily Caller", "Campus Reform's report"):
    both carry the third party's text, siblings from a common source (``common_source``
    evidence), not one copying the other. (Where the other text is that party, the credit names
    it: :func:`attribution_evidence`.) A text that does not name the party may have taken the
    passage from the crediting one, or the credit may be false: nothing is said.
    ``spans_a`` and ``spans_b`` are the reused passages' character spans in each text.
    """
    for x, y, spans in ((a, b, spans_a), (b, a, spans_b)):
        known = _names(y)
        total = sum(e - s for s, e in spans)
        if not known or not total:
            continue
        x_own = _names(replace(x, author=None))
        forms = [f for f in (y.outlet, y.author) if f]
        for att in x.attributions:
            if (
                att.kind not in PASSAGE_CREDIT_KINDS
                or (x_own and _credit_matches(att.credited, att.url, x_own))
                or _credit_matches(att.credited, att.url, known)
                or any(abbreviates(att.credited, f) for f in forms)
            ):
                continue
            if att.kind == "cited" and not _REPORTED.search(att.evidence):
                continue
            if not names_party(y.text, att.credited):
                continue
            at = credit_span(att, x.text, x.raw)
            if at is None or credited_chars(x.text, spans, at, att.kind) < CREDITED_SHARE * total:
                continue
            detail = (
                f"{att.credited}'s text in both: {_label(x)} gives the shared passages as"
                f" {att.credited}'s ({_said(att)}), and {_label(y)} is not {att.credited};"
                " siblings from a common source, not one copying the other"
            )
            return [Evidence("common_source", None, 0.0, detail)]
    return []


def heading_credit(quoter: Document, starts: tuple[int, ...] | list[int]) -> Attribution | None:
    """The credit in ``quoter`` that introduces one of its quotations beginning at ``starts``
    (character offsets into its text): it ends at most :data:`CREDIT_REACH` characters before
    the quotation, or inside it."""
    text = quoter.text
    for att in quoter.attributions:
        said = strip_markup(att.evidence)[0].split()
        if att.kind not in _CREDIT_KINDS or not said:
            continue
        # The credit as the clean text has it (a no-break space there may be a space here).
        for m in re.finditer(spaced_words(said), text):
            if any(start - CREDIT_REACH <= m.end() <= start + (m.end() - m.start()) for start in starts):
                return att
    return None


def quotation_evidence(
    a: Document,
    b: Document,
    b_quotes_a: int,
    a_quotes_b: int,
    *,
    b_starts: tuple[int, ...] = (),
    a_starts: tuple[int, ...] = (),
) -> list[Evidence]:
    """One text gives the other's own narration in quotation marks (or set off after a colon):
    it is quoting that text ("As Politico reports: '...'").

    Where the quoting text credits a third party for the quotation ("The Associated Press
    reports:", the credit ending at most :data:`CREDIT_REACH` characters before a quotation that
    begins at ``b_starts`` / ``a_starts``) and that party is not the other text's outlet (known
    by its outlet, site or author; an anonymous text may be that party, and so may one whose name
    the credit may abbreviate: "NY Post", "WaPo"), the words are the third party's: the other
    text carries them too, and the pair are siblings (``common_source`` evidence) rather than
    quoter and quoted.
    """
    if max(b_quotes_a, a_quotes_b) < 20 or min(b_quotes_a, a_quotes_b) * 3 > max(b_quotes_a, a_quotes_b):
        return []
    side, quoter, quoted, n = ("a", b, a, b_quotes_a) if b_quotes_a > a_quotes_b else ("b", a, b, a_quotes_b)
    credit = heading_credit(quoter, b_starts if side == "a" else a_starts)
    known = _names(quoted)  # who the quoted text is (nothing known: it may be that party)
    forms = [x for x in (quoted.outlet, quoted.author) if x]
    if (
        credit is not None
        and known
        and not _credit_matches(credit.credited, credit.url, known)
        and not any(abbreviates(credit.credited, x) for x in forms)  # "WaPo" may be it
    ):
        detail = (
            f"{credit.credited}'s text in both: {_label(quoter)} quotes the {n} words from"
            f" {credit.credited} ({_said(credit)}), and {_label(quoted)} is not {credit.credited};"
            " siblings from a common source, not one copying the other"
        )
        return [Evidence("common_source", None, 0.0, detail)]
    detail = f"{_label(quoter)} quotes {n} words that are {_label(quoted)}'s own narration: it is the one quoting"
    return [Evidence("quotation", side, 2.0, detail)]


def translation_evidence(a: Document, b: Document, al: Any) -> list[Evidence]:
    """Text left in the source's language inside a translation: a passage both texts hold word
    for word (``al``'s verbatim and near-verbatim passages, A against B) that is written in one
    text's language, inside the other text. The translator left it as it was (a quotation, a
    phrase), so the text in whose language it is lies nearer the origin.

    Weak on its own (weight 1.0: confidence 0.39, below what a flag needs): the outlet may have
    taken the words from another text in that language.
    """
    la = a.language or text_language(a.text)
    lb = b.language or text_language(b.text)
    if not la or not lb or la == lb:
        return []
    fa, fb = function_words(la), function_words(lb)
    if not fa or not fb:
        return []
    counts = {"a": 0, "b": 0}
    for p in al.passages:
        if p.kind not in ("verbatim", "near_verbatim"):
            continue
        ws = words(a.text[p.a_start : p.a_end])
        in_a, in_b = sum(w in fa for w in ws), sum(w in fb for w in ws)
        if in_a >= 2 and in_a > 2 * in_b:
            counts["a"] += len(ws)  # A's language inside B
        elif in_b >= 2 and in_b > 2 * in_a:
            counts["b"] += len(ws)
    side = "a" if counts["a"] > counts["b"] else "b" if counts["b"] > counts["a"] else None
    if side is None or min(counts.values()) * 3 > max(counts.values()):
        return []
    src, der = (a, b) if side == "a" else (b, a)
    lang = la if side == "a" else lb
    detail = (
        f"{_label(der)} holds {counts[side]} words of {_label(src)}'s text in {_label(src)}'s language "
        f"({lang}), left untranslated: {_label(src)} is nearer the origin"
    )
    return [Evidence("translation", side, 1.0, detail)]


HEADLINE_WORDS = 5
"""Words a headline must have for a text that gives it word for word to be naming that article
(:func:`headline_evidence`); shorter ones ("Lester Holt", "Trump wins") are said in passing."""
HEADLINE_CONTEXT = 4
"""How many times longer than the headline (and :data:`HEADLINE_CONTEXT_WORDS` at least) a text
must be for the headline in it to be a reference to another article, not the whole of it (a
headline flash repeats a headline, it does not cite one)."""
HEADLINE_CONTEXT_WORDS = 50


_LABEL = re.compile(r"[ ]*[A-Z][A-Z ]{0,20}:[ ]*")
"""A label in capitals that opens a line and introduces a headline ("READ:", "RELATED:", "SEE
ALSO:")."""


def _names_headline(text: str, title: str) -> bool:
    """Whether ``text`` gives the headline ``title`` as another article's: the whole of a
    quotation, or after a label in capitals that opens its line ("READ: ..."), in a text long
    enough for it to be a reference. A headline that is a sentence of the text, or the start of
    a quotation in it (a derivative may take its headline from its source's lede), names
    nothing. Case, curly quotes and spacing aside."""
    said = normalize_quotes(title).split()
    if len(said) < HEADLINE_WORDS or len(text.split()) < max(HEADLINE_CONTEXT_WORDS, HEADLINE_CONTEXT * len(said)):
        return False
    plain = normalize_quotes(text)
    for m in re.finditer(spaced_words(said), plain, re.I):
        before = plain[: m.start()].rstrip(" ")
        quoted = before.endswith(('"', "'")) and re.match(r"[,.:;!?]?[\"']", plain[m.end() :])
        line = plain[plain.rfind("\n", 0, m.start()) + 1 : m.start()]
        if quoted or _LABEL.fullmatch(line):
            return True
    return False


def headline_evidence(a: Document, b: Document) -> list[Evidence]:
    r"""One text gives the other's headline word for word as a reference, in quotation marks or
    after a label ("READ: 'Miss Universe' tearfully thanks Clinton for defense against Trump's
    'Miss Piggy' remarks", a digest naming the stories it excerpts: "-- “Inside Hillary
    Clinton's debate prep,” by Annie Karni"), and the other does not give its: it refers to that
    article, which was there first. On BuzzFeed-Webis every labelled reuse pair where one text
    holds the other's headline (27) has the named article as the source; 21 of them are read as
    references. Two texts
    under one headline say nothing, nor does a text that is little more than the headline, nor a
    headline that is a sentence of the other text (taken from it).

    >>> a = Document(id="a", text="Text.", title="Clinton press poolers clash with Egypt's guards")
    >>> said = "Digest. " * 50 + "\n\nREAD: Clinton press poolers clash with Egypt’s guards."
    >>> b = Document(id="b", text=said, title="Playbook")
    >>> [(e.name, e.favours) for e in headline_evidence(a, b)]
    [('headline', 'a')]
    """
    ha, hb = (" ".join(normalize_quotes(t or "").lower().split()) for t in (a.title, b.title))
    if not ha or not hb or ha == hb:
        return []
    a_names_b, b_names_a = _names_headline(a.text, b.title or ""), _names_headline(b.text, a.title or "")
    if a_names_b == b_names_a:
        return []
    side, named, naming = ("a", a, b) if b_names_a else ("b", b, a)
    detail = f"{_label(naming)} gives {_label(named)}'s headline ({named.title!r}): it refers to that article"
    return [Evidence("headline", side, 2.0, detail)]


def date_evidence(a: Document, b: Document) -> list[Evidence]:
    """Publication dates: the earlier article is the likelier source."""
    da, db = to_date(a.published), to_date(b.published)
    if da and db:
        if da != db:
            first, second, side = (a, b, "a") if da < db else (b, a, "b")
            detail = f"{_label(first)} was published {first.published}, before {_label(second)} ({second.published})"
            return [Evidence("dates", side, 2.0, detail)]
        ta, tb = a.published or "", b.published or ""
        if len(ta) > 10 and len(tb) > 10 and ta != tb:
            side = "a" if ta < tb else "b"
            earlier = a if side == "a" else b
            return [
                Evidence(
                    "dates", side, 1.0, f"same day; {_label(earlier)} is earlier ({min(ta, tb)})"
                )
            ]
        return [Evidence("dates", None, 0.0, f"both published {a.published}")]
    if da or db:
        dated, undated = (a, b) if da else (b, a)
        detail = (
            f"only {_label(dated)} is dated ({dated.published}); {_label(undated)} gives no date, "
            "so the dates say nothing about the order"
        )
        return [Evidence("dates", None, 0.0, detail)]
    return [Evidence("dates", None, 0.0, "neither article is dated")]


CROSS_CONTAINMENT_MARGIN = 0.25
"""How much more of one text than of the other reuse must cover for containment to speak when
the two are in different languages. Coverage of a translation is measured by its aligned
sentences, and a sentence or two the aligner leaves unpaired on one side moves it: on
``eval/multilingual`` the pairs of an original and its whole translation differ by up to 0.25
either way, while a translation of part of an article (a first half, an excerpt) differs from
it by 0.25 to 0.9 (``eval/unseen``'s pairs, printed beside them, fall the same way). At the
0.08 of one language, 18 of the 55 directions containment gave between an original and its
translation on the two sets named the translation as the source; with 0.25 (and no context fit
across languages, :func:`cohesion_evidence`) 3 directions of that kind are wrong, against 27."""


def containment_evidence(
    a: Document, b: Document, cov_a: float, cov_b: float, *, cross: bool = False
) -> list[Evidence]:
    """The derivative is the more contained text: most of it comes from the source, not the reverse.

    Not between two texts of one outlet: its versions of a story (a short breaking item, then
    the full report; or a full report, then a cut one) run either way. Between two languages
    (``cross``) only past :data:`CROSS_CONTAINMENT_MARGIN`.
    """
    if a.outlet and outlet_key(a.outlet) == outlet_key(b.outlet):
        detail = f"both are {a.outlet}'s: versions of one story may be longer or shorter either way"
        return [Evidence("containment", None, 0.0, detail)]
    diff = cov_b - cov_a
    if max(cov_a, cov_b) < 0.5:
        # A passage lifted into a longer article covers little of either side, and the source
        # may well be the more covered: containment says nothing about direction here.
        detail = f"neither text is mostly reuse ({_label(a)} {cov_a:.0%}, {_label(b)} {cov_b:.0%})"
        return [Evidence("containment", None, 0.0, detail)]
    if abs(diff) < (CROSS_CONTAINMENT_MARGIN if cross else 0.08):
        detail = f"reuse covers both alike ({_label(a)} {cov_a:.0%}, {_label(b)} {cov_b:.0%})"
        if cross and abs(diff) >= 0.08:
            detail += ", as near as the alignment of two languages measures it"
        return [Evidence("containment", None, 0.0, detail)]
    side = "a" if diff > 0 else "b"
    (der, cd), (src, cs) = ((b, cov_b), (a, cov_a)) if side == "a" else ((a, cov_a), (b, cov_b))
    detail = (
        f"{cd:.0%} of {_label(der)} comes from {_label(src)}, while only {cs:.0%} of "
        f"{_label(src)} is reused: the source carries context the derivative lacks"
    )
    return [Evidence("containment", side, round(min(1.5, abs(diff) * 3), 2), detail)]


def cohesion_evidence(
    a: Document, b: Document, a_fit: float | None, b_fit: float | None, *, margin: float = 0.08
) -> list[Evidence]:
    """The shared text fits its surroundings better in the source: a passage lifted into another
    article sits among sentences about something else, while in the source it continues the
    story around it. ``a_fit``/``b_fit`` are tf-idf cosines of the shared text with the rest of
    each document (None when there is no rest to compare with). Only within one language: the
    cosines of texts in two languages do not compare (it named the original of a translation 15
    times in 26 on ``eval/multilingual`` and ``eval/unseen``, 6 in 17 on the latter).

    Not between two texts of one outlet either: an outlet recycling its own background
    paragraph sets it among other news in both, and which fits better says nothing of which came
    first (on real news, where this evidence alone decided two articles of one outlet, it named
    the later one 4 times in 5)."""
    if a_fit is None or b_fit is None or abs(a_fit - b_fit) < margin:
        return []
    if a.outlet and outlet_key(a.outlet) == outlet_key(b.outlet):
        detail = f"both are {a.outlet}'s: its own background fits its other stories either way"
        return [Evidence("context", None, 0.0, detail)]
    side = "a" if a_fit > b_fit else "b"
    src, der = (a, b) if side == "a" else (b, a)
    fs, fd = (a_fit, b_fit) if side == "a" else (b_fit, a_fit)
    detail = (
        f"the shared text fits its context in {_label(src)} (similarity {fs:.2f} with the rest) better "
        f"than in {_label(der)} ({fd:.2f}): there it reads as inserted"
    )
    return [Evidence("context", side, round(min(1.0, abs(a_fit - b_fit) * 4), 2), detail)]


def decide(evidence: list[Evidence], *, fallback: str = "a", given: str | None = None) -> Direction:
    """Weigh the evidence into a direction and a confidence.

    With no evidence either way the pair is ``undirected`` and ``fallback`` (the order the
    texts were given in) is kept; when both credit the same origin it is ``common``. ``given``
    (``"a"`` or ``"b"``) is the user's word on the source: it decides, and the evidence is kept
    for the record (with a note when it disagrees).
    """
    if given is not None:
        if given not in ("a", "b"):
            raise ValueError(f"given must be 'a' or 'b'; got {given!r}")
        inferred = decide(evidence, fallback=given)
        said = f"source given by the user ({given.upper()})"
        if inferred.kind == "directed" and inferred.source != given:
            said += f"; the evidence points the other way (confidence {inferred.confidence:.2f})"
        return Direction(given, 1.0, tuple(evidence), said, "directed")
    score = sum(
        e.weight if e.favours == "a" else -e.weight if e.favours == "b" else 0.0 for e in evidence
    )
    for_a = sum(e.weight for e in evidence if e.favours == "a")
    for_b = sum(e.weight for e in evidence if e.favours == "b")
    note: str | None = None
    common = next((e for e in evidence if e.name == "common_source"), None)
    # One giving the other's narration as a quotation is no credit here: the other's narration
    # is the common origin's text too.
    credits = any(e.name in ("attribution", "links", "headline") and e.favours for e in evidence)
    if common is not None and not credits:
        # Both carry the same wire credit or dateline and neither credits the other: siblings
        # from a common source, whatever their lengths or dates.
        head = common.detail.split(": ")[0]
        shared = head.removeprefix("both credit ").removesuffix("'s text in both")
        note = f"siblings: both carry {shared}'s text; neither is the other's source"
        return Direction(fallback, 0.0, tuple(evidence), note, "common", shared)
    if score == 0:
        source = fallback
        confidence = 0.0
        side = "A" if fallback == "a" else "B"
        note = (
            f"no evidence of direction: {side} is shown as the source only because it came first"
            " (as in diff), not because the other copied it"
        )
        return Direction(source, 0.0, tuple(evidence), note, "undirected")
    else:
        source = "a" if score > 0 else "b"
        confidence = 1 - math.exp(-abs(score) / 2)
        if for_a > 0 and for_b > 0:
            note = f"conflicting evidence (for A {for_a:g}, for B {for_b:g})"
        elif abs(score) < 1:
            note = "weak evidence only"
    return Direction(source, round(confidence, 3), tuple(evidence), note)
