"""Each reader passes on the language its input states; the clean stage detects the rest."""

from __future__ import annotations

import json
from pathlib import Path

from newstrace.pipeline import ingest
from newstrace.store import Store

ENGLISH = (
    "The government said on Monday that the negotiations with the unions would continue next "
    "week, after three days of strikes closed schools and hospitals across the country."
)
GERMAN = (
    "Die Regierung teilte am Montag mit, dass die Verhandlungen mit den Gewerkschaften in der "
    "kommenden Woche fortgesetzt werden, nachdem Streiks Schulen und Kliniken lahmgelegt hatten."
)


def languages(tmp_path: Path, *files: Path) -> dict[str, tuple[str | None, str | None]]:
    """Each stored document's title (or input id) -> (language, language_source)."""
    with Store(tmp_path / "s.db") as store:
        ingest(files, store)
        return {
            d.title or d.input_id or d.id: (d.language, d.language_source)
            for _, d in store.iter_documents()
        }


def test_records_state_their_language_in_any_usual_field(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    rows = [
        {"id": "1", "title": "stated", "lang": "fr", "text": ENGLISH},
        {"id": "2", "title": "spelled out", "language": "German", "text": ENGLISH},
        {"id": "3", "title": "none", "text": GERMAN},
        {"id": "4", "title": "unreadable", "language": "??", "text": GERMAN},
    ]
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    got = languages(tmp_path, f)
    assert got["stated"] == ("fr", "record")  # the record wins over the text
    assert got["spelled out"] == ("de", "record")
    assert got["none"] == ("de", "detected")
    assert got["unreadable"] == ("de", "detected")


def test_csv_language_column(tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text(f'id,title,locale,text\n1,a,en_GB,"{GERMAN}"\n2,b,,"{GERMAN}"\n')
    got = languages(tmp_path, f)
    assert got == {"a": ("en", "record"), "b": ("de", "detected")}


def _page(head: str, html_attrs: str = "") -> str:
    return (
        f"<!doctype html><html {html_attrs}><head><title>T</title>{head}</head><body><article>"
        f"<h1>T</h1><p>{ENGLISH}</p><p>{ENGLISH}</p></article></body></html>"
    )


def test_html_states_its_language_in_lang_content_language_or_og_locale(tmp_path: Path) -> None:
    pages = {
        "lang": _page("", 'lang="pt-BR"'),
        "xmllang": _page("", 'xml:lang="it"'),
        "httpequiv": _page('<meta http-equiv="Content-Language" content="es">'),
        "several": _page('<meta http-equiv="content-language" content="es, ca">'),
        "ogl": _page('<meta property="og:locale" content="nl_NL">'),
        "order": _page('<meta property="og:locale" content="nl_NL">', 'lang="pl"'),
        "plain": _page(""),
    }
    for name, html in pages.items():
        d = tmp_path / name
        d.mkdir()
        (d / "p.html").write_text(html.replace("</article>", f"<p>Page {name}.</p></article>"))
    with Store(tmp_path / "s.db") as store:
        ingest([tmp_path / n for n in pages], store)
        got = {
            Path(d.source_path or "").parent.name: (d.language, d.language_source)
            for _, d in store.iter_documents()
        }
    assert got["lang"] == ("pt", "metadata")
    assert got["xmllang"] == ("it", "metadata")
    assert got["httpequiv"] == ("es", "metadata")
    assert got["several"] == ("en", "detected")  # two languages named: no statement
    assert got["ogl"] == ("nl", "metadata")
    assert got["order"] == ("pl", "metadata")  # <html lang> first
    assert got["plain"] == ("en", "detected")


def test_feed_item_and_channel_language(tmp_path: Path) -> None:
    f = tmp_path / "f.rss"
    f.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<language>de-at</language>"
        f"<item><title>one</title><link>https://w.example/1</link><description>{ENGLISH}</description></item>"
        "</channel></rss>"
    )
    assert languages(tmp_path, f) == {"one": ("de", "feed")}


def test_meta_json_language_is_the_users_word(tmp_path: Path) -> None:
    f = tmp_path / "story.txt"
    f.write_text(f"A headline\n\n{ENGLISH}\n")
    (tmp_path / "story.meta.json").write_text(json.dumps({"language": "ru"}))
    assert languages(tmp_path, f) == {"A headline": ("ru", "user")}
