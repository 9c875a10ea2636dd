"""Who says what: statements attributed to named speakers, with pronouns resolved.

Good enough for news prose: "Putin said …", "… , Putin said.", "he warned that …",
"according to Summers, …", "“…,” he said." A pronoun is the most recently named speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newstrace.clean.text import split_sentences

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|noted|notes|warned|warns|claimed|claims|asserted|asserts|"
    "argued|argues|insisted|insists|stressed|stresses|emphasized|emphasised|emphasizes|acknowledged|"
    "acknowledges|explained|explains|stated|states|believes|believed|thinks|thought|urged|urges|"
    "praised|praises|criticized|criticised|criticizes|accused|accuses|denied|denies|admitted|admits|"
    "suggested|suggests|predicted|predicts|revealed|reveals|vowed|vows|promised|promises|complained|"
    "complains|called|calls|declared|declares|announced|announces|reiterated|reiterates|"
    "remarked|remarks|observed|observes|conceded|concedes|maintained|maintains|alleged|alleges|"
    "blamed|blames|wrote|writes|singled\\s+out|pointed\\s+out|went\\s+on|told\\s+\\w+"
)
# Words that are nouns as often as verbs ("Soviet states", "the notes"): speech only with "that".
_NOUN_VERBS = ("states", "notes", "remarks", "claims", "calls", "thinks", "promises", "vows")
_NAME = r"(?:[A-Z][\w’'-]+\.?\s+){0,3}[A-Z][\w’'-]+"
_ADV = r"(?:\s+(?:also|then|later|further|again|once\s+again|repeatedly|however|previously|reportedly))?"
_PRONOUN = r"(?:[Hh]e|[Ss]he)"
_VERB = rf"(?:(?!(?:{'|'.join(_NOUN_VERBS)})\b)(?:{SPEECH_VERBS})|(?:{'|'.join(_NOUN_VERBS)})(?=\s+that\b))"
_TITLES = {
    "mr", "mrs", "ms", "dr", "president", "prime", "minister", "secretary", "senator", "sen",
    "rep", "gov", "governor", "general", "gen", "chancellor", "king", "queen", "pope", "judge",
    "mayor", "russian", "american", "british", "us", "german", "french", "the", "but", "and",
    "then", "however", "meanwhile", "earlier", "later", "ironically", "journalist", "commentator",
}  # fmt: skip
_NOT_PEOPLE = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "tonight", "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december", "officials", "police", "sources",
    "it",
    "this",
    "that",
    "there",
    "they",
    "we",
    "i",
    "you",
    "report",
    "reports",
    "statement",
}

_SUBJECT_RE = re.compile(
    rf"(?:^|[\s,;(“\"])(?P<who>{_NAME}|{_PRONOUN}){_ADV}\s+(?P<verb>{_VERB})\b"
)
_TAG_RE = re.compile(rf"[,”\"]\s*[”\"]?\s*(?P<who>{_NAME}|{_PRONOUN}){_ADV}\s+(?P<verb>{_VERB})\b")
_INVERTED_RE = re.compile(
    rf"[,”\"]\s*[”\"]?\s*(?P<verb>said|says|added|adds|asked|wrote|writes)\s+(?P<who>{_NAME})"
)
_APPOS_RE = re.compile(rf"(?P<who>{_NAME}),\s+[^,.;“”\"]{{1,80}},\s+(?P<verb>{_VERB})\b")
_ACCORDING_RE = re.compile(rf"[Aa]ccording\s+to\s+(?P<who>{_NAME})")


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence attributed to a speaker (``speaker`` is the surname, lower-case)."""

    speaker: str
    name: str
    start: int
    end: int
    text: str
    pronoun: bool


def _surname(name: str) -> str | None:
    parts = [p.strip(".’'").lower() for p in name.split()]
    parts = [p for p in parts if p and p not in _TITLES]
    if not parts:
        return None
    last = parts[-1]
    if last.endswith("’s") or last.endswith("'s"):
        last = last[:-2]
    return None if last in _NOT_PEOPLE else last


def statements(text: str) -> list[Statement]:
    """Every sentence of ``text`` attributed to a named (or pronoun-resolved) speaker.

    >>> t = "Putin said the talks went well. He added that more would follow. Rain fell."
    >>> [(s.speaker, s.pronoun) for s in statements(t)]
    [('putin', False), ('putin', True)]
    """
    out: list[Statement] = []
    last_named: tuple[str, str] | None = None
    last_speaker: tuple[str, str] | None = None
    for s in split_sentences(text):
        sent = text[s.start : s.end]
        found: tuple[str, str, bool] | None = None
        for rx in (_TAG_RE, _APPOS_RE, _INVERTED_RE, _ACCORDING_RE, _SUBJECT_RE):
            for m in rx.finditer(sent):
                who = m.group("who")
                if re.fullmatch(_PRONOUN, who):
                    if last_named is not None:
                        found = (last_named[0], last_named[1], True)
                        break
                    continue
                sur = _surname(who)
                if sur:
                    found = (sur, who, False)
                    break
            if found:
                break
        if found:
            out.append(Statement(found[0], found[1], s.start, s.end, sent, found[2]))
            if not found[2]:
                last_named = (found[0], found[1])
                last_speaker = last_named
        elif last_speaker is None:
            # Before anyone has spoken, a person named outside quotations is the referent of a
            # following "he"; afterwards the last speaker is (news prose keeps its speaker).
            for m in re.finditer(_NAME, _mask_quotes(sent)):
                words = m.group().split()
                if len(words) >= 2 and not any(w.lower() in _NOT_PEOPLE for w in words):
                    sur = _surname(m.group())
                    if sur:
                        last_named = (sur, m.group())
    return out


def _mask_quotes(sentence: str) -> str:
    return re.sub(r"[“\"][^”\"]*[”\"]?", lambda m: " " * len(m.group()), sentence)
