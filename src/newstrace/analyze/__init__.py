"""Analyze stage: from an alignment to an account of the pair.

:func:`compare` aligns two documents, names their relation, infers the direction with its
evidence, and lists what the derivative added, omitted and altered.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import numpy as np

from newstrace.align import Alignment, AlignParams, Pivot, TextInfo, align, analyse_text
from newstrace.align.crosslingual import languages_differ, text_language
from newstrace.align.lexical import TfidfSpace, content_stems
from newstrace.align.semantic import Encoder, encoder_for
from newstrace.analyze.direction import (
    Direction,
    Evidence,
    attribution_evidence,
    cohesion_evidence,
    containment_evidence,
    credited_passage_evidence,
    date_evidence,
    decide,
    headline_evidence,
    quotation_evidence,
    translation_evidence,
)
from newstrace.analyze.evidence import (
    DIGEST_WORDS,
    RESTATED_FIGURES,
    SHORT_ITEM_WORDS,
    Commonness,
    ReuseEvidence,
    held_flash,
    other_issues,
    other_places,
    other_subjects,
    quoting,
    restated_figures,
    reuse_evidence,
    same_subject,
    unmentioned_subjects,
)
from newstrace.analyze.mutations import Added, Drift, added_and_omitted, attribution_drift
from newstrace.analyze.quotes import QuoteFate, quote_fates, translated_quote_fates
from newstrace.clean.dates import to_time
from newstrace.clean.pages import FLASH_HOURS, FLASH_LEAD_MINUTES, is_headline_flash
from newstrace.models import PASSAGE_KINDS, Document, Passage, Span

__all__ = [
    "RELATIONS",
    "Commonness",
    "PairReport",
    "ReuseEvidence",
    "compare",
    "coverage",
    "direction_phrase",
    "explain_relation",
    "layers_phrase",
    "relation_of",
]  # fmt: skip

RELATIONS = ("duplicate", "derived", "partial", "related", "unrelated")


def coverage(text: str, spans: list[tuple[int, int, str]]) -> dict[str, float]:
    """Share of ``text``'s non-space characters inside spans, in all and by kind."""
    if not text:
        return {"total": 0.0, **{k: 0.0 for k in PASSAGE_KINDS}}
    chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    solid = ~np.isin(chars, [32, 9, 10, 13])
    n = max(1, int(solid.sum()))
    total = np.zeros(len(text), dtype=bool)
    out: dict[str, float] = {}
    for kind in PASSAGE_KINDS:
        m = np.zeros(len(text), dtype=bool)
        for s, e, k in spans:
            if k == kind:
                m[s:e] = True
        m &= ~total  # a character counts once, for the strongest kind
        total |= m
        out[kind] = round(float((m & solid).sum()) / n, 4)
    out["total"] = round(float((total & solid).sum()) / n, 4)
    return out


ACCUSATION_CONFIDENCE = 0.5
"""Direction confidence below which newstrace raises no flag (altered quote, attribution drift):
when it is not clear who copied whom, it is not clear who changed the words. Between two
documents of one outlet no flag is raised either: its versions of a story change a quotation or
add a speaker's words by its own editing and reporting (on real news, the eight such flags read,
between versions of a CNN story and of Reuters items, were all wrong)."""


def _in_reused_text(al: Alignment, q: QuoteFate, reach: int = 300) -> bool:
    """Whether a quotation of the derivative sits in or next to a passage taken from the source,
    whose source side is in or next to the quotation it was matched with."""
    if q.source_start is None or q.source_end is None:
        return False
    qs, qe = q.quote.start, q.quote.end
    ss, se = q.source_start, q.source_end
    return any(
        p.b_start - reach < qe and p.b_end + reach > qs and p.a_start - reach < se and p.a_end + reach > ss
        for p in al.passages
    )


def _differs_note(directed: bool, one_outlet: bool = False) -> str:
    if not directed:
        return "the two quote it differently; who copied whom is not known, so not flagged as altered"
    if one_outlet:
        return "two versions of one outlet's story quote it differently: its own edit, not flagged as altered"
    return "the two quote it differently, but not in text taken from the source: not flagged as altered"


MIN_PROSE_WORDS = 40
"""Words of the source's own prose (not quotations, chrome or formulas) that make an excerpt
(``partial``) however small a share of the derivative they are: about a paragraph."""

HELD_SHARE = 0.8
"""Share of the source's words a derivative's counted prose must make for the source to be held
whole in it (``partial`` however small a part of the derivative it is): a one-line item or a
price notice that a digest of a dozen items reproduces (a headline flash whose content the
full story holds is the same story). On Reuters-21578 two such pairs of a copper producer's
notice and a commodity digest were ``related``; no pair read as not reuse becomes reuse."""

MIN_SHARE_WORDS = 12
"""Words of prose a short derivative must reuse for its share to count (``derived`` when most
of it is shared, ``partial`` when 30 %): below that, two short notices sharing a dateline and a
formula ("CANTON, Mass., March 4 - Qtly div three cts vs three cts") would be one copied from
the other."""


def relation_of(
    cov_src: dict[str, float],
    cov_der: dict[str, float],
    evidence: ReuseEvidence,
    *,
    topic_similarity: float,
    shared_quotes: int,
) -> str:
    """Name the relation from coverage and the evidence of reuse (see :data:`RELATIONS`).

    Coverage says how much the texts share; the evidence says how much of that is prose one of
    them wrote. Shared quotations, chrome and formulas make two texts ``related`` at most,
    however long they are. A text that gives most of a short table's figures again (a story in
    its own words, or the table sent again under other labels) retells the table
    (:attr:`~newstrace.analyze.evidence.ReuseEvidence.restated_figures`): ``partial``. A
    headline flash is reused where the other text gives all its news within the hour
    (:attr:`~newstrace.analyze.evidence.ReuseEvidence.held_flash`; ``duplicate`` when the two
    cover each other: the flash sent again), and nowhere else.

    Args:
        cov_src, cov_der: :func:`coverage` of the source and the derivative.
        evidence: :func:`~newstrace.analyze.evidence.reuse_evidence` of the pair.
        topic_similarity: tf-idf cosine of the whole texts.
        shared_quotes: quotations of 3+ words the derivative shares with the source.
    """
    d, s = cov_der["total"], cov_src["total"]
    if evidence.flash:
        if evidence.held_flash:
            return "duplicate" if d >= 0.9 and s >= 0.9 else "partial"
        return "related" if d > 0 or shared_quotes or topic_similarity >= 0.2 else "unrelated"
    # A whole article translated is the same article in another language: a duplicate, as a
    # whole article copied word for word is (reworded, it is derived).
    lexical_d = cov_der["verbatim"] + cov_der["near_verbatim"] + cov_der.get("translation", 0.0)
    counted = evidence.words
    share = counted / max(1, evidence.derivative_words)
    if evidence.is_template or evidence.other_report:
        counted, share = 0, 0.0
    elif evidence.same_notice:
        # One notice sent twice (one subject, the same figures): the corpus's form is its own
        # here, and the form is all a notice has, so half of it shared is enough.
        counted += evidence.common_words
        share = counted / max(1, evidence.derivative_words)
        if share >= 0.5:
            counted = max(counted, MIN_SHARE_WORDS)
    # (A duplicate's counted words are MIN_SHARE_WORDS, unless the whole text is shorter: two
    # notices of one formula from two cities share all but their datelines.)
    enough = counted >= min(MIN_SHARE_WORDS, evidence.derivative_words)
    if d >= 0.9 and s >= 0.9 and lexical_d >= 0.85 * d and share >= 0.5 and enough:
        return "duplicate"
    by_share = share >= 0.3 and counted >= MIN_SHARE_WORDS
    if d >= 0.5 and (by_share or counted >= MIN_PROSE_WORDS):
        return "derived"
    held = 0 < HELD_SHARE * evidence.source_words <= counted and counted >= MIN_SHARE_WORDS
    restated = len(evidence.restated_figures) >= RESTATED_FIGURES
    if counted >= MIN_PROSE_WORDS or by_share or held or restated:
        return "partial"
    if d > 0 or shared_quotes or topic_similarity >= 0.2:
        return "related"
    return "unrelated"


@dataclass(slots=True)
class PairReport:
    """Everything :func:`compare` found about a pair, oriented source -> derivative."""

    relation: str
    source: Document
    derivative: Document
    direction: Direction
    coverage: dict[str, dict[str, float]]
    passages: list[dict[str, Any]]
    added: list[Added]
    omitted: list[Span]
    quotes: list[QuoteFate]
    attribution_drift: list[Drift]
    semantic: bool
    notes: list[str] = field(default_factory=list)
    evidence: ReuseEvidence | None = None
    encoder: str | None = None
    languages: dict[str, str | None] | None = None
    """The two texts' languages when they differ (``source``, ``derivative``): the pair is a
    translation, aligned across languages."""
    sentence_links: list[dict[str, Any]] = field(default_factory=list)
    """For a translation, which sentences of the derivative translate which of the source, one
    link per aligned sentence (or two joined), shaped like :attr:`passages`
    (:attr:`~newstrace.align.Alignment.links`); empty for texts in one language."""

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON schema of ``newstrace compare --json``."""

        return {
            "relation": self.relation,
            "source": self.source.summary(),
            "derivative": self.derivative.summary(),
            "direction": {
                "source": self.source.id,
                "derivative": self.derivative.id,
                "confidence": self.direction.confidence,
                "kind": self.direction.kind,
                "common_source": self.direction.common_source,
                "note": self.direction.note,
                "evidence": [
                    {
                        "name": e.name,
                        "favours": None
                        if e.favours is None
                        else (
                            self.source.id
                            if (e.favours == "a") == (self._a_is_source)
                            else self.derivative.id
                        ),
                        "weight": e.weight,
                        "detail": e.detail,
                    }
                    for e in self.direction.evidence
                ],
            },
            "coverage": self.coverage,
            "passages": self.passages,
            "added": [{**a.span.to_dict(), "reason": a.reason} for a in self.added],
            "omitted": [s.to_dict() for s in self.omitted],
            "quotes": [
                {
                    "derivative": {
                        "start": q.quote.start,
                        "end": q.quote.end,
                        "text": q.quote.text,
                    },
                    "status": q.status,
                    "source": None
                    if q.source_start is None
                    else {
                        "start": q.source_start,
                        "end": q.source_end,
                        "text": self.source.text[q.source_start : q.source_end],
                    },
                    "similarity": q.similarity,
                    "edits": [e.to_dict() for e in q.edits],
                    "note": q.note,
                }
                for q in self.quotes
            ],
            "attribution_drift": [
                {
                    "speaker": d.speaker,
                    "derivative": d.statement.to_dict(),
                    "reason": d.reason,
                    "support": d.support,
                    "unsupported_terms": list(d.unsupported_terms),
                    "closest_source": None
                    if d.closest_source is None
                    else d.closest_source.to_dict(),
                    "semantic_similarity": d.semantic_similarity,
                }
                for d in self.attribution_drift
            ],
            "semantic": self.semantic,
            "encoder": self.encoder,
            "languages": self.languages,
            "sentence_links": self.sentence_links,
            "evidence": None if self.evidence is None else self.evidence.to_dict(),
            "notes": self.notes,
        }

    _a_is_source: bool = True


@functools.lru_cache(maxsize=32)
def analysed(text: str) -> TextInfo:
    """:func:`~newstrace.align.analyse_text`, remembered for the texts of the last few pairs
    (detect verifies pairs sorted by id, so one document meets many partners in a row). The
    result is shared: it must not be changed."""
    return analyse_text(text)


def explain_relation(report: dict[str, Any]) -> str | None:
    """One sentence on what a report's relation rests on (``compare --json`` schema), e.g. "61
    words of the source's own prose reused; 183 words of shared third-party words do not count"."""
    ev = report.get("evidence")
    if not ev:
        return None
    parts = []
    langs = report.get("languages") or {}
    if ev.get("translation_words") and ev.get("translation_sentences"):
        pair = ""
        if langs.get("source") and langs.get("derivative"):
            pair = f" ({langs['source']} → {langs['derivative']})"
        parts.append(
            f"translated{pair}: {ev['translation_sentences']} sentences, {ev['translation_words']} "
            "words of the derivative render the source's text in its order"
        )
    if ev.get("other_subject"):
        parts.append(
            f"{ev.get('counted_words', 0)} words alike, not counted: two items about other subjects, "
            "as their titles tell (the same form about something else)"
        )
    elif ev.get("other_place"):
        parts.append(
            f"{ev.get('counted_words', 0)} words alike, not counted: reports from two places (each "
            "title names the place its text is datelined from)"
        )
    elif ev.get("other_issue"):
        parts.append(
            f"{ev.get('counted_words', 0)} words alike, not counted: two issues of one recurring "
            "report (titles alike but for their figures, other figures in the text)"
        )
    elif ev.get("same_notice"):
        parts.append(
            "one notice sent twice: two items (under 120 words) whose titles name one subject, their "
            "shared text (form and all) with the same figures"
        )
    elif ev.get("counted_words"):
        parts.append(f"{ev['counted_words']} words of one text's own prose reused")
    if ev.get("held_flash"):
        parts.append(
            "a headline flash whose news the other text gives within the hour: its figures, its "
            f"subject's names and most of its words ({', '.join(ev['held_flash'])})"
        )
    elif ev.get("flash"):
        parts.append("a headline flash whose news the other text does not give (within the hour)")
    if len(restated := ev.get("restated_figures") or []) >= RESTATED_FIGURES:
        shown = ", ".join(restated[:8]) + (", ..." if len(restated) > 8 else "")
        parts.append(
            f"{len(restated)} figures of a short table given again in a text about the same "
            f"subject ({shown}: most of the table's figures, its content retold)"
        )
    excluded = [
        (ev.get("third_party_words", 0), "third-party words (quotations, tweets, statements)"),
        (ev.get("common_words", 0), "text many documents of the corpus hold (chrome, formulas)"),
        (ev.get("template_words", 0), "a template whose figures differ"),
    ]
    dropped = [f"{n} words of {what}" for n, what in excluded if n]
    if dropped:
        parts.append("not counted: " + "; ".join(dropped))
    if ev.get("copied_insertions"):
        parts.append(
            "both give a quotation with the same editorial insertion ("
            + ", ".join(ev["copied_insertions"])
            + "): still a quotation, not counted as prose"
        )
    return "; ".join(parts) or None


def layers_phrase(report: dict[str, Any]) -> str:
    """Which layers made a report's verdict: lexical only, or lexical and semantic (and which
    encoder). Stored with every pair, so a view never guesses from what is installed now."""
    if report.get("semantic"):
        return f"lexical + semantic layer ({report.get('encoder') or 'sentence embeddings'})"
    return "lexical layer only (the semantic layer did not run for this verdict)"


def direction_phrase(report: dict[str, Any]) -> str:
    """How a report's direction reads: "source → derivative", or why there is none."""
    d = report["direction"]
    kind = d.get("kind", "directed")
    if kind == "common":
        return f"siblings: both from {d.get('common_source') or 'a common source'}; neither copied the other"
    if kind == "undirected":
        return "no evidence of who copied whom: shown in the order given"
    return f"source → derivative, confidence {d['confidence']:.0%}"


def _oriented(al: Alignment, passages: list[Passage] | None = None) -> list[dict[str, Any]]:
    """Passages (``al.passages`` unless given) as the report shows them: source and derivative
    spans with their texts."""
    return [
        {
            "kind": p.kind,
            "score": p.score,
            "source": Span.of(al.a.text, p.a_start, p.a_end).to_dict(),
            "derivative": Span.of(al.b.text, p.b_start, p.b_end).to_dict(),
        }
        for p in (al.passages if passages is None else passages)
    ]


def _context_fit(al: Alignment) -> tuple[float | None, float | None]:
    """How well the aligned text of each side fits the rest of that side (tf-idf cosine)."""
    if not al.passages:
        return None, None

    def split(info: TextInfo, spans: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
        inside: list[str] = []
        outside: list[str] = []
        for k, s in enumerate(info.sentences):
            hit = any(x < s.end and y > s.start for x, y in spans)
            (inside if hit else outside).extend(info.stems[k])
        return inside, outside

    a_in, a_out = split(al.a, [(p.a_start, p.a_end) for p in al.passages])
    b_in, b_out = split(al.b, [(p.b_start, p.b_end) for p in al.passages])
    if min(len(a_out), len(b_out)) < 8:
        return None, None
    space = TfidfSpace([a_in, a_out, b_in, b_out])
    v = space.vectors
    return space.cosine(v[0], v[1]), space.cosine(v[2], v[3])


def _language_of(doc: Document) -> str | None:
    """A document's language: as stored (None when the language stage found none), else, for a
    document that stage has not read, guessed from its text."""
    if doc.language or doc.language_source:
        return doc.language
    return text_language(doc.text)


def _language_label(doc: Document) -> str:
    return _language_of(doc) or "language not known"


def translation_encoder(a: Document, b: Document, encoder: Encoder) -> Encoder:
    """The encoder that aligns two documents in different languages: ``encoder``, or, when
    either language is one it was not trained on, the wide encoder if it is installed
    (:func:`~newstrace.align.semantic.encoder_for`)."""
    return encoder_for(encoder, _language_of(a), _language_of(b))


def compare(
    a: Document,
    b: Document,
    *,
    encoder: Encoder | None = None,
    params: AlignParams | None = None,
    commonness: Commonness | None = None,
    source: str | None = None,
    pivots: Sequence[Pivot] = (),
) -> PairReport:
    """Compare two documents: passages, relation, direction with evidence, and mutations.

    Args:
        a, b: the two documents. Direction is inferred from the evidence; with none either
            way, ``a`` is shown as the source (like ``diff``) and the report says so.
        encoder: sentence encoder for the paraphrase layer; None compares lexically.
        params: aligner tunables.
        commonness: the corpus's common text (``detect`` passes it); passages made of it are
            not evidence of reuse.
        source: ``"a"`` or ``"b"`` forces that side to be the source (the user knows it);
            the inferred evidence is still reported.
        pivots: spans of ``a`` and ``b`` that render the same passage of a third document
            (``detect`` finds them: :func:`newstrace.detect.hub_pivots`); the aligner takes a
            translated sentence they hold on less of the encoder's word, and the report names
            the third document.

    Example:
        >>> from newstrace.models import Document
        >>> text = "Officials said the new dam on the river would open to traffic in May, after two years of work."
        >>> src = Document(id="s", text=text + " It cost a lot.", published="2020-01-01")
        >>> der = Document(id="d", text=text + " Amazing!", published="2020-01-03")
        >>> r = compare(der, src)
        >>> r.source.id, r.relation
        ('s', 'derived')
    """
    ia, ib = analysed(a.text), analysed(b.text)
    cross = languages_differ(
        a.text, b.text, a.language, b.language, examined=(bool(a.language_source), bool(b.language_source))
    )
    if cross and encoder is not None:
        encoder = translation_encoder(a, b, encoder)
    al_ab = align(ia, ib, params=params, encoder=encoder, crosslingual=cross, pivots=pivots)
    spans_a = [(p.a_start, p.a_end, p.kind) for p in al_ab.passages]
    spans_b = [(p.b_start, p.b_end, p.kind) for p in al_ab.passages]
    cov_a, cov_b = coverage(a.text, spans_a), coverage(b.text, spans_b)
    contained = containment_evidence(a, b, cov_a["total"], cov_b["total"], cross=cross)
    context = [] if cross else cohesion_evidence(a, b, *_context_fit(al_ab))
    if context and context[0].favours and contained and contained[0].favours not in (None, context[0].favours):
        # The less reused side carries extra text that does not fit the story: it is padding
        # added by a derivative, not context the source had. Containment is explained away.
        c = contained[0]
        contained = [
            Evidence(c.name, None, 0.0, c.detail + "; explained by the inserted text (see context)")
        ]
    quoted = quoting(al_ab)
    dated = date_evidence(a, b)
    # A passage one text gives as a third party's, the other carrying it uncredited: siblings,
    # unless the dates tell which came first (the later may have taken it from the earlier).
    credited = [] if any(e.favours for e in dated) else credited_passage_evidence(
        a, b, [(s, e) for s, e, _ in spans_a], [(s, e) for s, e, _ in spans_b]
    )
    evidence: list[Evidence] = [
        *dated,
        *attribution_evidence(a, b),
        *headline_evidence(a, b),
        *quotation_evidence(
            a, b, quoted.b_quotes_a, quoted.a_quotes_b, b_starts=quoted.b_starts, a_starts=quoted.a_starts
        ),
        *credited,
        *(translation_evidence(a, b, al_ab) if cross else []),
        *contained,
        *context,
    ]
    direction = decide(evidence, fallback="a", given=source)
    al_ba: Alignment | None = None
    turned_pivots = [x.swapped() for x in pivots]
    kept: ReuseEvidence | None = None  # the reuse of the order kept, where both were weighed
    if cross and direction.kind == "undirected":
        # Neither side is known as the source, and the translation aligner reads a pair in one
        # order a little otherwise than in the other (a passage of one found in the other): the
        # order that finds more reuse is kept, so that the verdict does not rest on which text
        # came first.
        al_ba = align(ib, ia, params=params, encoder=encoder, crosslingual=cross, pivots=turned_pivots)
        kept = reuse_evidence(al_ab, commonness=commonness, ids=(a.id, b.id))
        turned = reuse_evidence(al_ba, commonness=commonness, ids=(b.id, a.id))
        if turned.words > kept.words:
            kept = turned
            note = ("no evidence of direction: B is shown as the source only because the texts "
                    "compared that way share more, not because A copied it")  # fmt: skip
            direction = replace(direction, source="b", note=note)
    if direction.source == "a":
        src, der, al = a, b, al_ab
        cov_s, cov_d = cov_a, cov_b
    else:
        src, der = b, a
        al = al_ba or align(ib, ia, params=params, encoder=encoder, crosslingual=cross, pivots=turned_pivots)
        cov_s = coverage(src.text, [(p.a_start, p.a_end, p.kind) for p in al.passages])
        cov_d = coverage(der.text, [(p.b_start, p.b_end, p.kind) for p in al.passages])
    reuse = kept if kept is not None else reuse_evidence(al, commonness=commonness, ids=(src.id, der.id))
    two_issues = other_issues(src.title, der.title)  # two issues of a recurring report, by their titles
    if min(len(al.a.words), len(al.b.words)) < SHORT_ITEM_WORDS:
        # Another issue of a recurring report: its title names the issue by a figure (a time,
        # a tonnage), its text changes figures in the same places. (An item sent again with the
        # same figures under another time is still one item: its figures are all alike.)
        if reuse.number_substitutions and two_issues:
            reuse.other_issue = True
        if max(len(al.a.words), len(al.b.words)) < DIGEST_WORDS and other_subjects(src.title, der.title, commonness):
            reuse.other_subject = True
        # Reports from two places (the hog market of Omaha and of Joliet): each title names
        # its dateline's place. Short items only: two longer stories from two places ("HONG
        # KONG DEALERS ...", "LONDON DEALERS ...") may both restate a third story's paragraph.
        reuse.other_place = other_places(src.title, src.text, der.title, der.text)
    # Two items each about a subject the other never mentions (two companies' crude postings,
    # two funds' payouts): the same form about something else, up to a story's length (an
    # offering's terms of 100 words), though their titles may share a word ("FRANKLIN").
    if (
        not reuse.other_subject
        and min(len(al.a.words), len(al.b.words)) < DIGEST_WORDS
        and unmentioned_subjects(src.title, al.a, der.title, al.b, commonness)
    ):
        reuse.other_subject = True
    one_subject = same_subject(src.title, der.title, commonness)
    # One notice sent twice: the same subject, the same figures. Up to a story's length, not
    # only a short item's: an offering filing of 70 words sent again reworded is all the
    # corpus's form too (on Reuters-21578 one such pair was `related`, no pair read as not
    # reuse changes).
    if (
        min(len(al.a.words), len(al.b.words)) < DIGEST_WORDS
        and not reuse.other_report
        and reuse.fact_matches >= 2
        and not reuse.number_substitutions
        and reuse.fact_substitutions <= 1
        and one_subject
    ):
        reuse.same_notice = True
    # A short table (a results table) and a text about the same subject that gives most of its
    # figures again: a story in its own words, or the table sent again under other labels (as
    # operating figures, with a line added): it retells the table, all a table has.
    # (Not two issues of a recurring table, however long: a price table at 09:23 and at 12:31
    # repeats the rows nobody traded in between.)
    if not reuse.other_report and not reuse.is_template and one_subject and not two_issues:
        table, story = (al.a, al.b) if len(al.a.words) <= len(al.b.words) else (al.b, al.a)
        if len(table.words) < DIGEST_WORDS:
            reuse.restated_figures = restated_figures(table, story)
    flash_a, flash_b = is_headline_flash(src.text, src.title), is_headline_flash(der.text, der.title)
    if flash_a or flash_b:
        # A headline flash and the story of its hour, or the flash sent again: its news given.
        reuse.flash = True
        ta, tb = to_time(src.published), to_time(der.published)
        if ta is not None and tb is not None and abs(ta - tb) <= timedelta(hours=FLASH_HOURS):
            # A text sent well before a flash expects its news (FLASH_LEAD_MINUTES).
            lead = timedelta(minutes=FLASH_LEAD_MINUTES)
            in_time_a = flash_a and (flash_b or tb - ta >= -lead)
            in_time_b = flash_b and (flash_a or ta - tb >= -lead)
            held_a = held_flash(src.title, src.text, der.title, der.text, commonness) if in_time_a else []
            held_b = held_flash(der.title, der.text, src.title, src.text, commonness) if in_time_b else []
            # Two flashes: each gives the other's news (one bank's prime-rate flash and another's
            # say the same words of other banks).
            reuse.held_flash = (held_a and held_b) if flash_a and flash_b else held_a or held_b
    space = TfidfSpace([content_stems(al.a.words), content_stems(al.b.words)])
    topic = space.cosine(space.vectors[0], space.vectors[1])
    if cross and encoder is not None:
        quotes = translated_quote_fates(al, encoder)
    else:
        quotes = quote_fates(der.text, src.text, source_tokens=al.a.tokens, derivative_tokens=al.b.tokens)
    shared_quotes = sum(
        1 for q in quotes if q.status != "absent" and len(q.quote.text.split()) >= 3
    )
    relation = relation_of(
        cov_s, cov_d, reuse, topic_similarity=topic, shared_quotes=shared_quotes
    )
    # A flag is an accusation: it needs to know who copied whom, and the changed words must sit
    # in text the derivative took from the source.
    # Two versions of one outlet's story: what the later one changes in a quotation or adds to
    # a speaker is the outlet's own edit or its own further reporting (a fuller story of the same
    # interview), not words put in a mouth by whoever copied it.
    one_outlet = bool(src.outlet) and src.outlet == der.outlet
    directed = direction.kind == "directed" and direction.confidence >= ACCUSATION_CONFIDENCE
    accusable = directed and not one_outlet
    quotes = [q if q.status != "altered" or (accusable and _in_reused_text(al, q)) else
              replace(q, status="differs", note=_differs_note(directed, one_outlet)) for q in quotes]  # fmt: skip
    if relation in ("derived", "partial", "duplicate"):
        added, omitted = added_and_omitted(al)
        # Attribution drift reads English speech verbs and names on both sides: not across
        # languages.
        drift = attribution_drift(al, encoder=encoder) if accusable and not cross else []
    else:
        added, omitted, drift = [], [], []
    notes = list(al.notes)
    if cross and encoder is not None:
        notes.append(
            f"the texts are in different languages ({_language_label(src)} and "
            f"{_language_label(der)}): sentences aligned as translations"
        )
    if pivots and cross and encoder is not None:
        hubs = ", ".join(sorted({x.hub for x in pivots}))
        notes.append(
            f"compared knowing that both render the same passage of {hubs} (each verified "
            "against it): there a translated sentence needs only the encoder's floor cosine"
        )
    if encoder is None:
        notes.append(
            "lexical comparison only: the semantic layer did not run for this verdict, so "
            "reworded passages may be missed"
        )
    report = PairReport(
        relation,
        src,
        der,
        direction,
        {"source": cov_s, "derivative": cov_d},
        _oriented(al),
        added,
        omitted,
        quotes,
        drift,
        encoder is not None,
        notes,
        reuse,
        encoder.name if encoder is not None else None,
        {"source": _language_of(src), "derivative": _language_of(der)} if cross else None,
        _oriented(al, al.links),
    )
    report._a_is_source = direction.source == "a"
    return report
