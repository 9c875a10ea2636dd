"""Build the multilingual labelled set (``eval/multilingual``) from WMT test sets.

    python eval/multilingual/tools/build.py --wmt21 GIT --wmt22 GIT --wmt24 GIT [--out DIR]
        [--candidates FILE]

Each ``GIT`` is a clone (or bare mirror) of ``github.com/wmt-conference/wmtNN-news-systems``; the
files are read with ``git show`` at the commits pinned in ``SOURCES``, and their blob ids are
checked, so the same inputs always give the same set. ``--out`` defaults to the folder above
this script. ``--candidates`` writes every cross-language pair of different stories with its
topical similarity, for the reader who checks the ``none`` pairs.

What it makes (README.md says why):

- ``data/wmt-multilingual.jsonl.gz``: one article per line (``id``, ``text``, ``lang``,
  ``outlet``; ``canary`` on text from WMT24, whose organisers mark their test set with one);
- ``labels/documents.jsonl``: where each document's text comes from (set, WMT docid, side,
  segment ids, the transformation);
- ``labels/families.jsonl``: each original with its translations and their variants;
- ``labels/pairs.jsonl``: every pair inside a family, labelled by the rule of
  ``shared/LABELLING.md`` from what the two texts share (translations are aligned segment by
  segment with their original, so what two documents share is known exactly), plus ``none``
  pairs of different stories in different languages: the most similar in topic, and a random
  sample.

The transformations are deterministic (``SEED``): a translation cut to its first half
(``first-half``), a translation with one or two sentences of another article added
(``commentary``), and a passage of a translation set inside another article of that language
(``excerpt``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import math
import random
import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

SEED = 17

# Pinned inputs: repository, commit, and the blob id of each file read.
SOURCES = {
    "wmt21": {
        "repo": "wmt-conference/wmt21-news-systems",
        "commit": "f41750dadbf2ba6ab01ca5380347d253298a3427",
        "files": {
            "xml/newstest2021.ru-en.all.xml": "cd03426181bb688fe5b6f595e4a69c8e76174947",
            "xml/newstest2021.de-fr.all.xml": "ed827c1464f4e3695ede35c2bdbd462bf3445762",
            "xml/newstest2021.fr-de.all.xml": "875c484c71d5186bf9d7dc18aa5587d6a7431bc5",
        },
    },
    # "final releases of testsets" (28 Jul 2022): sources and references only; the files were
    # later replaced by ``*.all.xml`` with the systems' outputs, too large to keep here.
    "wmt22": {
        "repo": "wmt-conference/wmt22-news-systems",
        "commit": "37f67aa2ae572f0ba7a5c0890f3162ddd1cc8265",
        "files": {
            "xml/wmttest2022.ru-en.xml": "66f4247e84e93d30b212f1b1ae5f15e4e3f0722f",
            "xml/wmttest2022.zh-en.xml": "ebc0617c7e14502e2c4652eb02ebc00ca0039ff3",
            "xml/wmttest2022.cs-en.xml": "0771ec27d52a67d219d8f025f6bd75948bec3f9c",
            "xml/wmttest2022.en-cs.xml": "fa4182c30a7364d765641c35cd04850e97315730",
            "xml/wmttest2022.en-ru.xml": "5b10add4c3bf6f991cf210379b29bd2d63080288",
            "xml/wmttest2022.en-uk.xml": "6a673c3f0c709aa2dd3844f92b8cc19f1adf8733",
            "xml/wmttest2022.en-zh.xml": "606c29890b740cbbbcbdbfb2ee1815f96258e9be",
            "xml/wmttest2022.uk-cs.xml": "4a31e29d158de67c7dd4d17dc36c46a916b4e5da",
        },
    },
    "wmt24": {
        "repo": "wmt-conference/wmt24-news-systems",
        "commit": "bfa937ee53586aa173d68657b89b8642693f7b66",
        "files": {
            # The English source is the same file for every pair, and so is the docid list.
            "txt/sources/en-de.txt": "10813c4d2c3c29800929b57e27c826d1841fc5b6",
            "txt/documents/en-de.docs": "69fb1cf3e1e684c9bdf164db495c7291a071320d",
            "txt/references/en-cs.refA.txt": "4a0982b1a4e7445cf3b2173a137121f7cba99398",
            "txt/references/en-de.refA.txt": "687911c921082dccc306f5c760f6bba08760f05f",
            "txt/references/en-es.refA.txt": "d0fc10ab67b159e1038e9e807d0343b8ad8c02c4",
            "txt/references/en-ru.refA.txt": "59b8b01618a20d3c008907e77780695131c89b9a",
            "txt/references/en-uk.refA.txt": "1e2d2b7e3b8593c54b7bf5b1b9123cfe4ab1b5f6",
            "txt/references/en-zh.refA.txt": "5b2b0de7de4a1a2674be8e89f6e36f0782fd1a10",
        },
    },
}
WMT22_PAIRS = ("ru-en", "zh-en", "cs-en", "en-cs", "en-ru", "en-uk", "en-zh", "uk-cs")
WMT24_LANGS = ("cs", "de", "es", "ru", "uk", "zh")

CJK = ("zh", "ja")
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\w+", re.U)


def word_count(text: str, lang: str) -> float:
    """Words, or for Chinese and Japanese the characters over 1.5 (about a word's worth)."""
    if lang in CJK:
        return len(_CJK_CHAR.findall(text)) / 1.5 + len(re.findall(r"[A-Za-z0-9]+", text))
    return float(len(text.split()))


# ---------------------------------------------------------------------------------------------
# Reading the WMT files


@dataclass
class Side:
    """One language version of a WMT document: paragraphs of (segment id, text)."""

    lang: str
    paras: list[list[tuple[str, str]]]
    marked: bool  # paragraph boundaries are the source's own (else one segment per paragraph)
    origin: str  # "src" or "ref A"

    def segs(self) -> list[tuple[str, str]]:
        return [s for p in self.paras for s in p]

    def render(self, keep: set[str] | None = None) -> list[str]:
        joiner = "" if self.lang in CJK else " "
        out = []
        for p in self.paras:
            texts = [t for sid, t in p if keep is None or sid in keep]
            if texts:
                out.append(joiner.join(texts))
        return out


@dataclass
class WmtDoc:
    set: str  # e.g. "newstest2021.ru-en"
    docid: str
    origlang: str
    sides: dict[str, Side]  # by language; the original's language is the source side
    canary: str | None = None

    @property
    def key(self) -> str:
        return f"{self.set}/{self.docid}"

    @property
    def original(self) -> Side:
        return self.sides[self.origlang]

    @property
    def story(self) -> str:
        """The same article under two sets (or two docids) is one story."""
        head = " ".join(t for _, t in self.original.segs()[:3])
        return hashlib.sha1(" ".join(_WORD.findall(head.lower())).encode("utf-8")).hexdigest()


def git_show(repo: Path, source: str, path: str) -> bytes:
    spec = SOURCES[source]
    ref = f"{spec['commit']}:{path}"
    blob = subprocess.run(["git", "-C", str(repo), "rev-parse", ref], check=True,
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    want = spec["files"].get(path)
    if want is None:
        raise SystemExit(f"{source}:{path} is not a pinned input")
    if blob != want:
        raise SystemExit(f"{source}:{path} is blob {blob}, expected {want}: not the pinned input")
    return subprocess.run(["git", "-C", str(repo), "cat-file", "blob", blob], check=True,
                          capture_output=True).stdout  # fmt: skip


def _clean(t: str | None) -> str:
    return " ".join((t or "").split())


def _side_from_xml(el: ET.Element, lang: str, origin: str) -> Side:
    ps = el.findall("p")
    if len(ps) > 1:
        paras = [[(s.get("id", ""), _clean(s.text)) for s in p.iter("seg")] for p in ps]
        paras = [[s for s in p if s[1]] for p in paras]
        return Side(lang, [p for p in paras if p], True, origin)
    segs = [(s.get("id", ""), _clean(s.text)) for s in el.iter("seg")]
    return Side(lang, [[s] for s in segs if s[1]], False, origin)


def read_xml(data: bytes, set_name: str, news_only: bool = True) -> list[WmtDoc]:
    """The documents of a WMT XML test set that carry an outlet docid, with reference A."""
    out = []
    for d in ET.fromstring(data).iter("doc"):
        docid = d.get("id", "")
        if news_only and not outlet_of(docid):
            continue
        src = d.find("src")
        if src is None:
            continue
        origlang = d.get("origlang") or src.get("lang", "")
        if origlang != src.get("lang"):
            continue  # keep source-original documents only
        sides = {origlang: _side_from_xml(src, origlang, "src")}
        for r in d.findall("ref"):
            if r.get("translator", "A") == "A":
                sides[r.get("lang", "")] = _side_from_xml(r, r.get("lang", ""), "ref A")
        if len(sides) < 2:
            continue
        # Translations are aligned segment by segment with their original.
        ids = [sid for sid, _ in sides[origlang].segs()]
        if any([sid for sid, _ in s.segs()] != ids for s in sides.values()):
            continue
        out.append(WmtDoc(set_name, docid, origlang, sides))
    return out


_PREFIXES = re.compile(r"^(tsuite-newstest20\d\d-[a-z]{4}-|test-[a-z]{2}-news_)")


def outlet_of(docid: str) -> str:
    """The outlet part of a WMT news docid (``rt.com.54499`` -> ``rt.com``), or ``""``."""
    d = _PREFIXES.sub("", docid)
    m = re.match(r"^([A-Za-z][\w.\-]*?)\.(\d+)$", d)
    if not m or m.group(1).startswith(("tsuite", "test")):
        return ""
    return m.group(1)


def read_wmt24(repo: Path) -> list[WmtDoc]:
    """The English news documents of WMT24, each line a paragraph, with six translations."""

    def lines(path: str) -> list[str]:
        return git_show(repo, "wmt24", path).decode("utf-8").split("\n")

    docs_lines = lines("txt/documents/en-de.docs")
    src = lines("txt/sources/en-de.txt")
    refs = {lang: lines(f"txt/references/en-{lang}.refA.txt") for lang in WMT24_LANGS}
    canary = _clean(src[0]) if src and src[0].startswith("CANARY") else None
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(docs_lines):
        domain, _, docid = row.partition("\t")
        if domain == "news":
            by_doc[docid].append(i)
    out = []
    for docid, ix in by_doc.items():

        def side(texts: list[str], lang: str, origin: str, ix: list[int] = ix) -> Side:
            return Side(
                lang, [[(str(n + 1), _clean(texts[i]))] for n, i in enumerate(ix)], True, origin
            )

        sides = {"en": side(src, "en", "src")}
        for lang in WMT24_LANGS:
            sides[lang] = side(refs[lang], lang, "ref A")
        if any(not t for s in sides.values() for _, t in s.segs()):
            continue
        out.append(WmtDoc("wmt24.en-xx", docid, "en", sides, canary))
    return out


def load_all(wmt21: Path, wmt22: Path, wmt24: Path) -> dict[str, list[WmtDoc]]:
    pools: dict[str, list[WmtDoc]] = {}
    for pair in ("ru-en", "de-fr", "fr-de"):
        name = f"newstest2021.{pair}"
        pools[name] = read_xml(git_show(wmt21, "wmt21", f"xml/{name}.all.xml"), name)
    w22 = {}
    for pair in WMT22_PAIRS:
        path = f"xml/wmttest2022.{pair}.xml"
        w22[pair] = read_xml(git_show(wmt22, "wmt22", path), f"wmttest2022.{pair}",
                             news_only=pair != "uk-cs")  # fmt: skip
    # The English news documents of en-ru, en-uk and en-zh are the same 31 articles: one
    # document with three translations.
    merged: dict[str, WmtDoc] = {}
    for pair in ("en-ru", "en-uk", "en-zh", "en-cs"):
        for d in w22[pair]:
            if d.docid.startswith("tsuite"):
                continue
            if d.docid not in merged:
                merged[d.docid] = WmtDoc("wmttest2022.en-xx", d.docid, "en", {"en": d.sides["en"]})
            elif merged[d.docid].sides["en"].segs() != d.sides["en"].segs():
                raise SystemExit(f"wmttest2022: {d.docid} differs between pairs")
            lang = pair.split("-")[1]
            merged[d.docid].sides[lang] = d.sides[lang]
    pools["wmttest2022.en-xx"] = list(merged.values())
    for pair in ("ru-en", "zh-en", "cs-en"):
        pools[f"wmttest2022.{pair}"] = w22[pair]
    # en-cs also holds newstest2020's English-original documents, reused as a test suite.
    pools["wmttest2022.en-cs"] = [d for d in w22["en-cs"] if d.docid.startswith("tsuite")]
    # Ukrainian news (docids "news-<topic>-N", no outlet) of uk-cs: Ukrainian text only.
    pools["wmttest2022.uk-cs"] = [d for d in w22["uk-cs"] if d.docid.startswith("news-")]
    pools["wmt24.en-xx"] = read_wmt24(wmt24)
    return pools


# ---------------------------------------------------------------------------------------------
# Choosing documents

# Outlets run or funded by a state, preferred for families: the case is a state-media
# article reappearing translated elsewhere.
STATE = re.compile(r"^(rt[.-]|rt$|vesti|rg\.ru|xinhua|izvestiya|interfax|belta|tass|ria|"
                   r"sputnik|voa|rte|euronews|cesky_rozhlas|rt-german|rt-french)")  # fmt: skip


@dataclass(frozen=True)
class Group:
    """Families of one origin: ``n`` originals of ``pools`` with translations into ``langs``."""

    name: str
    pools: tuple[str, ...]
    langs: tuple[str, ...]
    n: int
    extra: tuple[str, ...] = ()  # one more translation per family, in turn
    min_words: int = 90
    max_words: int = 900


GROUPS = (
    Group("en>de,es,ru (WMT24)", ("wmt24.en-xx",), ("de", "es", "ru"), 12, ("uk", "zh", "cs")),
    Group("en>ru,uk,zh (WMT22)", ("wmttest2022.en-xx",), ("ru", "uk", "zh"), 8),
    Group("ru>en", ("newstest2021.ru-en", "wmttest2022.ru-en"), ("en",), 14),
    Group("zh>en", ("wmttest2022.zh-en",), ("en",), 8, min_words=60),
    Group("cs>en", ("wmttest2022.cs-en",), ("en",), 6),
    Group("en>cs", ("wmttest2022.en-cs",), ("cs",), 6),
    Group("de>fr", ("newstest2021.de-fr",), ("fr",), 8),
    Group("fr>de", ("newstest2021.fr-de",), ("de",), 6),
)

# Untranslated articles per language: (pools, how many). Half are the unused articles closest
# in topic to the families (through a language both have, see ``Topic``), half at random.
DISTRACTORS = {
    "en": (("wmttest2022.en-xx", "wmttest2022.en-cs"), 8),
    "ru": (("newstest2021.ru-en", "wmttest2022.ru-en"), 8),
    "zh": (("wmttest2022.zh-en",), 5),
    "cs": (("wmttest2022.cs-en",), 4),
    "de": (("newstest2021.de-fr",), 5),
    "fr": (("newstest2021.fr-de",), 4),
    "uk": (("wmttest2022.uk-cs",), 4),
    # Spanish exists here only as WMT24's translations: the Spanish version of WMT24 articles
    # left out of the families (their other versions are not in the set).
    "es": (("wmt24.en-xx",), 4),
}
# Articles lent to the variants (commentary sentences, excerpt hosts), per language.
DONORS = {
    "en": ("wmttest2022.en-cs", "wmttest2022.en-xx"),
    "ru": ("newstest2021.ru-en", "wmttest2022.ru-en"),
    "zh": ("wmttest2022.zh-en",),
    "cs": ("wmttest2022.cs-en",),
    "de": ("newstest2021.de-fr",),
    "fr": ("newstest2021.fr-de",),
    "uk": ("wmttest2022.uk-cs",),
}
VARIANTS = ("first-half", "commentary", "excerpt")
# Families with one translation: half keep it whole, the others take a variant in turn.
SINGLE_CYCLE = ("full", "first-half", "full", "commentary", "full", "excerpt")


def words_of(side: Side, keep: set[str] | None = None) -> float:
    return word_count(" ".join(side.render(keep)), side.lang)


def _fits(d: WmtDoc, g: Group) -> bool:
    w = words_of(d.original)
    return g.min_words <= w <= g.max_words and all(lang in d.sides for lang in g.langs)


def choose_families(
    pools: dict[str, list[WmtDoc]], rng: random.Random
) -> list[tuple[Group, WmtDoc]]:
    chosen: list[tuple[Group, WmtDoc]] = []
    taken: set[str] = set()
    for g in GROUPS:
        cands = sorted((d for p in g.pools for d in pools[p] if _fits(d, g)), key=lambda d: d.key)
        rng.shuffle(cands)
        # State media first, then the rest; at most three articles of one outlet.
        cands.sort(key=lambda d: not STATE.match(outlet_of(d.docid)))
        per_outlet: Counter[str] = Counter()
        picked = []
        for d in cands:
            o = outlet_of(d.docid)
            if per_outlet[o] >= 3 or d.story in taken:
                continue
            per_outlet[o] += 1
            taken.add(d.story)
            picked.append(d)
            if len(picked) == g.n:
                break
        if len(picked) < g.n:
            raise SystemExit(f"{g.name}: only {len(picked)} articles fit")
        chosen += [(g, d) for d in sorted(picked, key=lambda d: d.key)]
    return chosen


# ---------------------------------------------------------------------------------------------
# Documents and their pieces


@dataclass
class Piece:
    """A run of one WMT document's segments, in one language."""

    doc: WmtDoc
    lang: str
    segs: list[str]  # segment ids, in order

    def paras(self) -> list[str]:
        return self.doc.sides[self.lang].render(set(self.segs))


@dataclass
class OutDoc:
    lang: str
    outlet: str
    role: str  # original | translation | distractor
    pieces: list[Piece]
    family: str | None = None
    variant: str = "full"
    paras: list[str] = field(default_factory=list)
    id: str = ""
    note: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(self.paras)

    def covered(self, family_doc: WmtDoc) -> set[str]:
        return {s for p in self.pieces if p.doc is family_doc for s in p.segs}


def whole(doc: WmtDoc, lang: str) -> Piece:
    return Piece(doc, lang, [sid for sid, _ in doc.sides[lang].segs()])


def make_variant(
    kind: str, tr: OutDoc, fam: WmtDoc, donors: list[WmtDoc], rng: random.Random
) -> str:
    """Turn the whole translation ``tr`` into variant ``kind``; a note says what was done."""
    side = fam.sides[tr.lang]
    segs = [sid for sid, _ in side.segs()]
    if kind == "first-half":
        keep = segs[: math.ceil(len(segs) / 2)]
        tr.pieces = [Piece(fam, tr.lang, keep)]
        tr.paras = side.render(set(keep))
        tr.variant = kind
        return f"first {len(keep)} of {len(segs)} segments of the translation"
    donor = donors.pop()
    dside = donor.sides[tr.lang]
    dsegs = [sid for sid, _ in dside.segs()]
    if kind == "commentary":
        n = 1 if len(dsegs) < 4 else rng.choice((1, 2))
        start = rng.randrange(1, len(dsegs) - n + 1)  # never the donor's headline
        added = dsegs[start : start + n]
        extra = ("" if tr.lang in CJK else " ").join(dside.render(set(added)))
        paras = side.render()
        at = rng.choice((1, len(paras)))  # after the headline, or at the end
        tr.paras = [*paras[:at], extra, *paras[at:]]
        tr.pieces = [Piece(fam, tr.lang, segs), Piece(donor, tr.lang, added)]
        tr.variant = kind
        where = "after the first paragraph" if at == 1 else "at the end"
        return f"whole translation with {n} sentence(s) of {donor.key} added {where}"
    if kind == "excerpt":
        host_words = words_of(dside)
        # A run of segments (not the headline) of at least 45 words and at most 40% of the result.
        best = None
        for length in range(1, len(segs)):
            for start in range(1, len(segs) - length + 1):
                run = segs[start : start + length]
                w = words_of(side, set(run))
                if w >= 45 and w <= 0.4 * (w + host_words):
                    best = best or []
                    best.append(run)
            if best:
                break
        if not best:
            raise ValueError("no passage fits")
        run = rng.choice(best)
        host = dside.render()
        at = max(1, len(host) // 2)
        passage = side.render(set(run))
        tr.paras = [*host[:at], *passage, *host[at:]]
        tr.pieces = [Piece(donor, tr.lang, dsegs), Piece(fam, tr.lang, run)]
        tr.outlet = outlet_of(donor.docid)
        tr.variant = kind
        return (f"{len(run)} segment(s) of the translation ({run[0]}-{run[-1]}) set inside "
                f"{donor.key}, after its paragraph {at}")  # fmt: skip
    raise ValueError(kind)


# ---------------------------------------------------------------------------------------------
# Topic through English: the closest different stories across languages


_STOP = set(
    """a an the and or but if of to in on at by for with from as is are was were be been
being this that these those it its he she they them his her their we our you your i not no
said says say will would can could has have had do does did than then there here also more most
after before over under about into out up down new one two three first last year years
who whom which what when where while all any some such other just only very mr ms mrs""".split()
)


PIVOTS = ("en", "fr", "cs")  # tried in this order: the first both documents have


def pivot_texts(pieces: list[Piece]) -> dict[str, str]:
    """The text of a document's pieces in each pivot language its WMT documents have."""
    out: dict[str, str] = {}
    for lang in PIVOTS:
        if all(lang in p.doc.sides for p in pieces):
            out[lang] = " ".join(t for p in pieces for t in p.doc.sides[lang].render(set(p.segs)))
    return out


class Topic:
    """Topical similarity of documents through a language both have a version in."""

    def __init__(self, texts: dict[str, dict[str, str]]) -> None:
        self.vecs = {
            lang: tfidf({k: t[lang] for k, t in texts.items() if lang in t}) for lang in PIVOTS
        }

    def sim(self, a: str, b: str) -> tuple[float, str] | None:
        for lang in PIVOTS:
            v = self.vecs[lang]
            if a in v and b in v:
                return cosine(v[a], v[b]), lang
        return None


def tfidf(texts: dict[str, str]) -> dict[str, dict[str, float]]:
    toks = {k: [w for w in _WORD.findall(t.lower()) if w not in _STOP and not w.isdigit()
                and len(w) > 2] for k, t in texts.items()}  # fmt: skip
    df: Counter[str] = Counter()
    for ws in toks.values():
        df.update(set(ws))
    n = len(toks)
    vecs = {}
    for k, ws in toks.items():
        tf = Counter(ws)
        v = {w: (1 + math.log(c)) * math.log(n / df[w]) for w, c in tf.items() if df[w] > 1}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs[k] = {w: x / norm for w, x in v.items()}
    return vecs


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


# ---------------------------------------------------------------------------------------------
# Labels inside a family


def family_pair_label(x: OutDoc, y: OutDoc, fam: WmtDoc) -> tuple[str, str]:
    """``copy``, ``excerpt`` or ``none`` from what the two share, by LABELLING.md's rule."""
    shared = x.covered(fam) & y.covered(fam)
    if not shared:
        return "none", "same story, but no passage in common (a first half and a later passage)"
    # Measured in English where the family has it, else in the original language.
    ref = fam.sides.get("en", fam.original)
    shared_words = words_of(ref, shared)

    def share_of(d: OutDoc) -> float:
        own = word_count(d.text, d.lang)
        mine = word_count(" ".join(fam.sides[d.lang].render(shared)), d.lang)
        return mine / own if own else 0.0

    fx, fy = share_of(x), share_of(y)
    if max(fx, fy) >= 0.5:
        return "copy", f"shared: {len(shared)} segments, {max(fx, fy):.0%} of the more covered text"
    if shared_words >= 40:
        return "excerpt", f"shared: {len(shared)} segments, about {shared_words:.0f} words"
    return "none", f"shared: {len(shared)} segments, only about {shared_words:.0f} words"


# ---------------------------------------------------------------------------------------------


def build(pools: dict[str, list[WmtDoc]], out: Path, candidates: Path | None) -> None:
    rng = random.Random(SEED)
    fams = choose_families(pools, rng)
    used: set[str] = {d.story for _, d in fams}
    docs: list[OutDoc] = []
    family_docs: dict[str, list[OutDoc]] = {}
    family_of: dict[str, WmtDoc] = {}
    family_group: dict[str, str] = {}
    variant_plan: dict[str, tuple[str, str]] = {}
    extra_turn = itertools.count()
    single_turn: dict[str, itertools.count[int]] = defaultdict(itertools.count)
    multi_turn = itertools.count()
    for n, (g, d) in enumerate(fams, start=1):
        name = f"F{n:03d}"
        langs = list(g.langs)
        if g.extra:
            langs.append(g.extra[next(extra_turn) % len(g.extra)])
        members = [OutDoc(d.origlang, outlet_of(d.docid), "original", [whole(d, d.origlang)], name)]
        members += [OutDoc(lang, "", "translation", [whole(d, lang)], name) for lang in langs]
        for m in members:
            m.paras = m.pieces[0].paras()
        family_docs[name], family_of[name], family_group[name] = members, d, g.name
        if len(langs) == 1:
            kind = SINGLE_CYCLE[next(single_turn[g.name]) % len(SINGLE_CYCLE)]
            lang = langs[0]
        else:
            kind = VARIANTS[next(multi_turn) % len(VARIANTS)]
            ok = [la for la in langs if kind == "first-half" or la in DONORS]
            lang = rng.choice(ok)
        if kind != "full":
            variant_plan[name] = (kind, lang)
        docs += members

    # Distractors: unused articles, half the nearest in topic, half at random.
    fam_texts = {f"fam:{k}": pivot_texts(ms[0].pieces) for k, ms in family_docs.items()}
    distractors: list[OutDoc] = []
    for lang, (pnames, count) in DISTRACTORS.items():
        cands = sorted((d for p in pnames for d in pools[p] if d.story not in used and lang in d.sides
                        and 80 <= words_of(d.sides[lang]) <= 900), key=lambda d: d.key)  # fmt: skip
        topic = Topic({**fam_texts, **{d.key: pivot_texts([whole(d, lang)]) for d in cands}})

        def near(d: WmtDoc, topic: Topic = topic) -> float:
            sims = [topic.sim(d.key, k) for k in fam_texts]
            return max((s[0] for s in sims if s), default=0.0)

        by_topic = [d for d in sorted(cands, key=near, reverse=True)[: count // 2] if near(d) > 0]
        rest = [d for d in cands if d not in by_topic]
        rng.shuffle(rest)
        for d in by_topic + rest[: count - len(by_topic)]:
            used.add(d.story)
            side = d.sides[lang]
            od = OutDoc(lang, outlet_of(d.docid) if lang == d.origlang else "", "distractor",
                        [whole(d, lang)])  # fmt: skip
            od.paras = side.render()
            od.note = "nearest in topic to a family" if d in by_topic else "random"
            distractors.append(od)
    docs += distractors

    # Variants, with donors drawn from what is still unused.
    donors: dict[str, list[WmtDoc]] = {}
    for lang, pnames in DONORS.items():
        ds = sorted((d for p in pnames for d in pools[p] if d.story not in used and lang in d.sides
                     and lang == d.origlang and 120 <= words_of(d.sides[lang]) <= 700),
                    key=lambda d: d.key)  # fmt: skip
        rng.shuffle(ds)
        donors[lang] = ds
    for name, (kind, lang) in sorted(variant_plan.items()):
        tr = next(m for m in family_docs[name] if m.lang == lang and m.role == "translation")
        pool = donors.get(lang, [])
        tr.note = make_variant(kind, tr, family_of[name], pool, rng)
        for p in tr.pieces:
            used.add(p.doc.story)

    # Ids: a fixed shuffle, so that an original and its translations are not neighbours.
    order = list(range(len(docs)))
    rng.shuffle(order)
    for n, i in enumerate(order, start=1):
        docs[i].id = f"wmtml/{n:04d}"
    docs_sorted = sorted(docs, key=lambda d: d.id)

    # Pairs inside families.
    pairs = []
    for name, members in family_docs.items():
        fam = family_of[name]
        orig = members[0]
        for x, y in itertools.combinations(members, 2):
            label, why = family_pair_label(x, y, fam)
            if x is orig:
                a, b, kind, direction = x, y, "translation", "a>b"
            else:
                a, b = sorted((x, y), key=lambda d: d.id)
                kind, direction = "co-translation", "common"
            if label == "none":
                direction = "unknown"
            pairs.append({
                "a": a.id, "b": b.id, "label": label, "kind": kind, "source": orig.id,
                "direction": direction, "langs": f"{a.lang}-{b.lang}",
                "variant": "/".join(v for v in (a.variant, b.variant) if v != "full") or "full",
                "family": name, "selected_by": ["family"],
                "labelled": "by construction (segment-aligned WMT translation)",
                "note": f"{fam.key}: {why}",
            })  # fmt: skip

    # None pairs across languages: the nearest in topic (read; see README) and a random sample.
    texts = {d.id: pivot_texts(d.pieces) for d in docs}
    topic = Topic(texts)
    cross = []
    for x, y in itertools.combinations(docs_sorted, 2):
        if x.lang == y.lang or (x.family and x.family == y.family):
            continue
        sim = topic.sim(x.id, y.id)
        if sim:
            cross.append((sim[0], sim[1], x, y))
    cross.sort(key=lambda t: (-t[0], t[2].id, t[3].id))
    if candidates:
        candidates.parent.mkdir(parents=True, exist_ok=True)
        with candidates.open("w", encoding="utf-8") as fh:
            for s, via, x, y in cross[:400]:
                fh.write(json.dumps({"a": x.id, "b": y.id, "sim": round(s, 3), "via": via,
                                     "a_text": texts[x.id][via], "b_text": texts[y.id][via],
                                     "a_doc": _describe(x), "b_doc": _describe(y)},
                                    ensure_ascii=False) + "\n")  # fmt: skip
    topical: list[tuple[float, str, OutDoc, OutDoc]] = []
    seen_docs: Counter[str] = Counter()
    for s, via, x, y in cross:
        if len(topical) == TOPICAL_NONE:
            break
        if seen_docs[x.id] >= 3 or seen_docs[y.id] >= 3:
            continue  # spread the sample over many documents
        seen_docs.update((x.id, y.id))
        topical.append((s, via, x, y))
    # The random sample: any two stories in different languages, with or without a pivot.
    in_topical = {(x.id, y.id) for _, _, x, y in topical}
    rest = [(sim[0] if (sim := topic.sim(x.id, y.id)) else -1.0, sim[1] if sim else "", x, y)
            for x, y in itertools.combinations(docs_sorted, 2)
            if x.lang != y.lang and not (x.family and x.family == y.family)
            and (x.id, y.id) not in in_topical]  # fmt: skip
    random_sample = random.Random(SEED + 1).sample(rest, RANDOM_NONE)
    # Same-language pairs of different families that share word 8-grams: newstrace's
    # monolingual layers will see them, so each was read (``READ``).
    same_lang = [(0.0, "", x, y) for x, y in itertools.combinations(docs_sorted, 2)
                 if x.lang == y.lang and not (x.family and x.family == y.family)
                 and shared_8grams(x, y) > 0]  # fmt: skip
    listed = {(x.id, y.id) for rows in (topical, random_sample, same_lang) for _, _, x, y in rows}
    # Pairs found by reading to share text, wherever the sampling left them out.
    found = [(0.0, "", x, y) for x, y in itertools.combinations(docs_sorted, 2)
             if (x.id, y.id) not in listed and not (x.family and x.family == y.family)
             and (r := read_label(x, y)) and r[0] in ("copy", "excerpt")]  # fmt: skip
    unread = []
    rows_by_kind = (("nearest-topic", topical), ("random", random_sample),
                    ("same-language", same_lang), ("found by reading", found))  # fmt: skip
    for how, rows in rows_by_kind:
        for s, via, x, y in sorted(rows, key=lambda t: (t[2].id, t[3].id)):
            r = read_label(x, y)
            label, note = r or ("none", "")
            if how == "same-language" and not r:
                unread.append(f"{x.id} {y.id} ({_describe(x)} / {_describe(y)})")
            if r:
                labelled = "read"
            elif how == "nearest-topic":
                labelled = "read" if s >= READ_ABOVE else "headlines read"
            else:
                labelled = "by construction (different WMT documents)"
            a, b = x, y
            selected = {"nearest-topic": f"nearest-topic (cosine {s:.2f} through {via})",
                        "random": f"random (cosine {s:.2f} through {via})" if via else "random",
                        "same-language": f"8gram ({shared_8grams(x, y)} shared)",
                        "found by reading": "read"}[how]  # fmt: skip
            pairs.append({
                "a": a.id, "b": b.id, "label": label, "kind": how, "source": None,
                "direction": "unknown", "langs": f"{a.lang}-{b.lang}", "variant": None,
                "family": None, "selected_by": [selected], "labelled": labelled,
                "note": note or ("different stories: " + _describe(a) + " / " + _describe(b)),
            })  # fmt: skip
    if unread:
        raise SystemExit("same-language pairs sharing 8-grams that nobody read (add them to READ):\n"
                         + "\n".join(unread))  # fmt: skip
    # A document outside the families that reading found to share a family's text.
    related: dict[str, list[str]] = defaultdict(list)
    by_id = {d.id: d for d in docs}
    for p in pairs:
        if p["family"] is None and p["label"] in ("copy", "excerpt"):
            x, y = by_id[p["a"]], by_id[p["b"]]
            for d, other in ((x, y), (y, x)):
                if d.family and not other.family and other.id not in related[d.family]:
                    related[d.family].append(other.id)
                    other.role = "related"
                    other.note = f"found by reading to share the text of {d.family}"
    for n, p in enumerate(pairs, start=1):
        p["key"] = f"M{n:04d}"
        p["corpus"] = "wmt"
        p["category"] = p["label"]  # the field newstrace.evaluation.real reads

    write(out, docs_sorted, pairs, family_docs, family_of, family_group, related)


TOPICAL_NONE = 100
RANDOM_NONE = 60
READ_ABOVE = 0.15  # nearest-topic pairs at or above this were read in full; below, by headline

# What reading found for pairs of different stories, by the two WMT documents (set/docid):
# (label, note). What it says of the two stories holds for every pair of documents that carry
# them (translations and variants included), in any languages. No text shows a direction.
READ: dict[frozenset[str], tuple[str, str]] = {
    frozenset(("wmttest2022.ru-en/xinhua-zh.15521", "wmttest2022.zh-en/xinhua-zh-01.103911")): (
        "copy",
        "found by reading: Xinhua's Russian service renders the lead of Xinhua's "
        "Chinese dispatch on the port-city COVID rules (48-hour test, test on arrival, until 15 March 2022, "
        "buffer zones), sentence by sentence, reworded; the Chinese goes on for nine more "
        "paragraphs. Probably the Chinese first, but the texts do not show it",
    ),
    frozenset(("newstest2021.ru-en/kp.235507", "newstest2021.ru-en/vesti.ru.343831")): (
        "none",
        "same event (Navy Day parade, 26 July 2020); they share only ship "
        "names (runs of 4-7 words)",
    ),
    frozenset(("newstest2021.ru-en/kp.235507", "newstest2021.ru-en/xinhua-zh.21311")): (
        "none",
        "same event (Navy Day parade); they share only ship names",
    ),
    frozenset(("newstest2021.ru-en/xinhua-zh.21311", "newstest2021.ru-en/vesti.ru.343831")): (
        "none",
        "same event (Navy Day parade); they share only ship names",
    ),
    frozenset(("wmttest2022.ru-en/rt-russian.47266", "wmttest2022.ru-en/lenta.ru.89654")): (
        "none",
        "borderline: both rewrite Radio Sputnik's interview with the same "
        "biologist; in Russian they share his words (an 18-word statement, an 8-word list of "
        "causes) and his name and title, under 40 words of narration: quote",
    ),
    frozenset(("wmttest2022.en-xx/rte.en.ie.26277", "wmttest2022.ru-en/rfi-russian.2537")): (
        "none",
        "same G7 statement (Liverpool, 12 Dec 2021), quoted at length by both; "
        "narration independent (RTE's is Reuters'). The Russian translation of RTE's article "
        "words three quotations as RFI does (runs of 11-15 words) and one 7-word phrase: quote",
    ),
    frozenset(
        ("wmttest2022.zh-en/voa-voachinese.14555", "wmttest2022.zh-en/chinese.dw.com.4112")
    ): ("none", "Summit for Democracy; they share one quotation of Biden (84 characters): quote"),
    frozenset(("newstest2021.de-fr/salzburg.com.306596", "newstest2021.de-fr/faz.79602")): (
        "none",
        "both report Weidmann's interview with the Funke papers; they share "
        "only his words (runs of 6-9 words): quote",
    ),
    frozenset(("wmttest2022.zh-en/hunan_ribao-zh.7749", "wmttest2022.zh-en/hunan_ribao-zh.7750")): (
        "none",
        "two Hunan Daily stories of the same day; they share the dateline "
        "formula and a party-congress name: boilerplate",
    ),
    frozenset(("wmttest2022.cs-en/mediafax.cz.17777", "wmttest2022.cs-en/denik.cz.14894")): (
        "none",
        "same case (a Czech woman missing in London), written independently: "
        "no shared run of 5 words in Czech",
    ),
}


def read_label(x: OutDoc, y: OutDoc) -> tuple[str, str] | None:
    for a in {p.doc.key for p in x.pieces}:
        for b in {p.doc.key for p in y.pieces}:
            if frozenset((a, b)) in READ:
                return READ[frozenset((a, b))]
    return None


def shared_8grams(x: OutDoc, y: OutDoc) -> int:
    return len(_grams(x.text, x.lang) & _grams(y.text, y.lang))


def _grams(text: str, lang: str) -> set[tuple[str, ...]]:
    if lang in CJK:  # 16 characters, about eight words' worth
        t = re.sub(r"\s", "", text)
        return {(t[i : i + 16],) for i in range(len(t) - 15)}
    w = _WORD.findall(text.lower())
    return {tuple(w[i : i + 8]) for i in range(len(w) - 7)}


def _describe(d: OutDoc) -> str:
    p = d.pieces[0]
    return f"{p.doc.key} ({d.lang})"


def write(out: Path, docs: list[OutDoc], pairs: list[dict[str, object]],
          family_docs: dict[str, list[OutDoc]], family_of: dict[str, WmtDoc],
          family_group: dict[str, str], related: dict[str, list[str]]) -> None:  # fmt: skip
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "labels").mkdir(parents=True, exist_ok=True)
    lines = []
    for d in docs:
        rec: dict[str, object] = {"id": d.id, "lang": d.lang, "outlet": d.outlet, "text": d.text}
        canaries = sorted({p.doc.canary for p in d.pieces if p.doc.canary})
        if canaries:
            rec["canary"] = canaries[0]
        lines.append(json.dumps(rec, ensure_ascii=False, sort_keys=True))
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0 and no file name: the same content gives the same bytes.
    with (
        (out / "data" / "wmt-multilingual.jsonl.gz").open("wb") as fh,
        gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(raw)
    with (out / "labels" / "documents.jsonl").open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps({
                "id": d.id, "lang": d.lang, "role": d.role, "family": d.family, "variant": d.variant,
                "pieces": [{"set": p.doc.set, "docid": p.doc.docid, "lang": p.lang,
                            "side": p.doc.sides[p.lang].origin,
                            "paragraphs": "marked" if p.doc.sides[p.lang].marked else "one per segment",
                            "segments": _ranges(p.segs)} for p in d.pieces],
                "words": round(word_count(d.text, d.lang)), "note": d.note,
                "sha1": hashlib.sha1(d.text.encode("utf-8")).hexdigest()[:12],
            }, ensure_ascii=False) + "\n")  # fmt: skip
    with (out / "labels" / "families.jsonl").open("w", encoding="utf-8") as fh:
        for name, members in family_docs.items():
            fam = family_of[name]
            fh.write(json.dumps({
                "family": name, "group": family_group[name], "set": fam.set, "docid": fam.docid,
                "outlet": outlet_of(fam.docid), "original": members[0].id,
                "members": [m.id for m in members],
                "langs": {m.id: m.lang for m in members},
                "variants": {m.id: m.variant for m in members if m.variant != "full"},
                "related": related.get(name, []),
            }, ensure_ascii=False) + "\n")  # fmt: skip
    with (out / "labels" / "pairs.jsonl").open("w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n")


def _ranges(ids: list[str]) -> str:
    """``1-5,8`` for numeric segment ids in order."""
    try:
        nums = [int(i) for i in ids]
    except ValueError:
        return ",".join(ids)
    out, start, prev = [], nums[0], nums[0]
    for x in [*nums[1:], None]:
        if x is not None and x == prev + 1:
            prev = x
            continue
        out.append(f"{start}-{prev}" if prev != start else f"{start}")
        if x is not None:
            start = prev = x
    return ",".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wmt21", type=Path, required=True, help="clone of wmt21-news-systems")
    ap.add_argument("--wmt22", type=Path, required=True, help="clone of wmt22-news-systems")
    ap.add_argument("--wmt24", type=Path, required=True, help="clone of wmt24-news-systems")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--candidates", type=Path, help="write cross-language topic candidates here")
    args = ap.parse_args()
    pools = load_all(args.wmt21, args.wmt22, args.wmt24)
    build(pools, args.out, args.candidates)


if __name__ == "__main__":
    main()
