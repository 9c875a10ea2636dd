"""Stored text is data, never terminal instructions: Rich markup in a title, outlet, author, text
or file name prints as the literal brackets, and escape sequences (CSI, OSC 8 hyperlinks) and
other control characters never reach the terminal, in every command that prints stored text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newstrace.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"
MARKUP = "[link=https://evil.example]click[/link] [bold red]LOUD[/bold red]"
ESCAPES = "\x1b[31mRED\x1b[0m \x1b]8;;https://evil.example\x07OSC\x1b]8;;\x07 \x9b2J \rCR \x08BS"
EVIL = f"{MARKUP} {ESCAPES}"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def run(*args: str) -> tuple[int, str]:
    """Run the CLI with a wide terminal (so cells are not folded); stdout and stderr together."""
    r = CliRunner(env={"COLUMNS": "1000"}).invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout + r.stderr


def assert_inert(out: str) -> None:
    assert CONTROL.search(out) is None, repr(CONTROL.findall(out))


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A store holding two copies of one story whose outlet, title, author and text carry markup
    and escapes; detected, so that trace, families and outlets show them; and an alert."""
    root = tmp_path_factory.mktemp("hostile")
    text = (SEEDS / "000_b532a79fb36ebd07.txt").read_text("utf-8")
    rows = [
        {"id": "orig", "outlet": f"Outlet {EVIL}", "title": f"Title {EVIL}", "author": f"Auth {EVIL}",
         "date": "2017-07-08", "url": "https://a.example/1", "text": f"{text}\n\nBody {EVIL}\n"},
        {"id": "copy", "outlet": f"Copier {EVIL}", "title": f"Copy {EVIL}", "date": "2017-07-09",
         "url": "https://b.example/1", "text": f"{text}\n\nMore {EVIL}\n"},
    ]  # fmt: skip
    src = root / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    db = root / "h.db"
    assert run("--db", str(db), "ingest", str(src))[0] == 0
    assert run("--db", str(db), "detect", "--workers", "1")[0] == 0
    docs = json.loads(run("--db", str(db), "list", "--json")[1])
    orig = next(d["id"] for d in docs if d["title"].startswith("Title"))
    copy = next(d["id"] for d in docs if d["title"].startswith("Copy"))
    from newstrace.store import Store

    with Store(db) as store:
        store.add_alerts([{
            "id": "alert1", "created": f"2017-07-09 {EVIL}", "flags": ["no_credit"],
            "relation": f"derived {EVIL}", "coverage": {"article": 0.9, "origin": 0.5},
            "article": {"id": copy, "outlet": f"Copier {EVIL}", "title": f"Copy {EVIL}"},
            "origin": {"id": orig, "outlet": f"Outlet {EVIL}", "title": f"Title {EVIL}"},
        }])  # fmt: skip
    return db, orig, copy


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["show", "{orig}"],
        ["search", "LOUD"],
        ["compare", "--lexical", "{orig}", "{copy}"],
        ["trace", "{orig}"],
        ["families"],
        ["outlets"],
        ["alerts"],
    ],
)
def test_stored_markup_and_escapes_print_as_inert_text(
    hostile_db: tuple[Path, str, str], command: list[str]
) -> None:
    db, orig, copy = hostile_db
    code, out = run("--db", str(db), *(c.format(orig=orig, copy=copy) for c in command))
    assert code == 0, out
    assert_inert(out)
    assert "[link=https://evil.example]" in out  # the markup is shown, not obeyed
    if command[0] != "families":  # families shows outlets, where the markup is cut at 70 columns
        assert "[bold red]LOUD" in out


def test_hostile_file_names_print_as_inert_text(tmp_path: Path) -> None:
    """A rejected input's path (chosen by whoever named the file) and its reason, at ingest and
    in `rejections`."""
    markup = "[link=ftp:evil.example]click [bold red]LOUD"  # no "/" in a file name: no [/…]
    name = f"bad {markup} \x1b[31mred\x1b]8;;ftp:evil.example\x07.json"
    (tmp_path / name).write_text("{oops", "utf-8")
    db = str(tmp_path / "c.db")
    code, out = run("--db", db, "ingest", str(tmp_path / name))
    assert code == 1
    assert_inert(out)
    assert markup in out
    code, out = run("--db", db, "rejections")
    assert code == 0
    assert_inert(out)
    assert markup in out


def test_json_output_escapes_c1_controls(hostile_db: tuple[Path, str, str]) -> None:
    """JSON keeps the data exact: C0 controls are escaped by JSON itself, C1 ones (CSI is
    U+009B) are escaped too, so that JSON printed on a terminal is inert as well."""
    db, _, _ = hostile_db
    code, out = run("--db", str(db), "alerts", "--json")
    assert code == 0 and CONTROL.search(out) is None
    assert json.loads(out)[0]["relation"] == f"derived {EVIL}"


def test_strip_controls_keeps_newline_and_tab_only() -> None:
    from newstrace.report.termsafe import safe, strip_controls

    every = "".join(map(chr, range(0x00, 0xA0)))
    kept = strip_controls(every)
    assert kept == "\t\n" + "".join(map(chr, range(0x20, 0x7F)))
    assert safe("[bold]x[/bold]").plain == "[bold]x[/bold]"
