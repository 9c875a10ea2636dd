"""CLI conventions every command keeps (issue #16): global options anywhere, one line per
rejected input, helpful id prefixes, help text on every option, JSON output, ids kept whole
in narrow terminals, progress inside large files, ``serve``'s checks and read-only stores."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from newstrace.cli import main

TEXT = "A full sentence of article text is here for the test, and then another one follows it."


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)
    return r.exit_code, r.stdout, r.stderr


def leaf_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    """Every runnable command under ``group`` with its full name (``eval pan``)."""
    out: list[tuple[str, click.Command]] = []
    for name, cmd in sorted(group.commands.items()):
        if isinstance(cmd, click.Group):
            out += leaf_commands(cmd, f"{prefix}{name} ")
        else:
            out.append((f"{prefix}{name}", cmd))
    return out


# -- 1. global options before or after the command ----------------------------------------------
def test_db_after_the_command_is_the_same_as_before(tmp_path: Path, seeds_dir: Path) -> None:
    before, after = str(tmp_path / "before.db"), str(tmp_path / "after.db")
    assert run("--db", before, "ingest", str(seeds_dir))[0] == 0
    assert run("ingest", str(seeds_dir), "--db", after)[0] == 0
    listed = [json.loads(run(*args)[1]) for args in (
        ("--db", before, "list", "--json"), ("list", "--json", "--db", after),
    )]  # fmt: skip
    assert listed[0] == listed[1] and len(listed[0]) == 2
    # The environment gives way to the command line, after the command too.
    code, out, _ = run("list", "--json", "--db", after, env={"NEWSTRACE_DB": str(tmp_path / "x")})
    assert code == 0 and json.loads(out) == listed[1]
    # Two different stores for one run is a usage error, not a silent choice.
    code, _, err = run("--db", before, "list", "--db", after)
    assert code == 2 and "given twice" in err


def test_every_command_of_the_store_takes_db_after_its_name() -> None:
    # Defined once on the group, added to each command: a new command gets it too.
    for name, cmd in leaf_commands(main):
        if " " in name:
            continue  # `spark detect` and `eval …` use no store
        assert any("--db" in p.opts for p in cmd.params), name


# -- 2. a missing path is one rejected input, not the end of the batch ---------------------------
def test_missing_path_is_one_rejection_and_the_rest_is_ingested(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(TEXT)
    db = str(tmp_path / "c.db")
    missing = tmp_path / "missing.txt"
    code, out, err = run("--db", db, "ingest", str(missing), str(tmp_path / "good.txt"), "--json")
    assert code == 1  # README: the exit status is 1 when anything was rejected
    report = json.loads(out)
    assert report["added"] == 1 and report["files"] == 2
    assert report["rejected"] == [
        {"path": str(missing), "reason": "no such file", "kind": "InputError"}
    ]
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == [f"rejected {missing}: no such file"]
    code, out, _ = run("--db", db, "rejections")
    assert f"{missing}: no such file" in out


# -- 5. rejections --json --------------------------------------------------------------------------
def test_rejections_json(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{oops")
    (tmp_path / "empty.txt").write_text("")
    db = str(tmp_path / "c.db")
    assert run("--db", db, "ingest", str(tmp_path / "bad.json"), str(tmp_path / "empty.txt"))[0] == 1
    code, out, _ = run("--db", db, "rejections", "--json")
    rows = json.loads(out)
    assert code == 0 and {r["path"] for r in rows} == {
        str(tmp_path / "bad.json"),
        str(tmp_path / "empty.txt"),
    }
    assert all(set(r) == {"path", "reason", "kind"} and r["reason"] for r in rows)
    assert {r["kind"] for r in rows} <= {"InputError", "MalformedInputError", "EmptyDocumentError"}
    code, out, _ = run("--db", db, "rejections", "--json", "--limit", "1")
    assert len(json.loads(out)) == 1


# -- 3. ambiguous and too-short id prefixes -------------------------------------------------------
def _store_with_ids(db: Path, ids: list[str]) -> None:
    from newstrace.models import Document
    from newstrace.store import Store

    with Store(db) as store:
        store.add_documents(
            Document(id=i, text=f"{TEXT} Number {n}.", outlet="Wire", title=f"Story {n}")
            for n, i in enumerate(ids)
        )


@pytest.mark.parametrize(
    "command",
    [("show", "{}"), ("show", "{}", "--json"), ("trace", "{}"), ("compare", "{}", "f" * 16, "--lexical")],
)
def test_ambiguous_and_short_prefixes_list_the_matches(tmp_path: Path, command: tuple[str, ...]) -> None:
    ids = [f"abcd{n:012x}" for n in range(15)] + ["f" * 16]
    db = tmp_path / "ids.db"
    _store_with_ids(db, ids)

    def attempt(prefix: str) -> tuple[int, str]:
        code, _, err = run("--db", str(db), *(a.format(prefix) for a in command))
        return code, err

    code, err = attempt("abcd")
    assert code == 1 and "ambiguous id: id prefix 'abcd' matches 15 documents; give more" in err
    listed = [line.split()[0] for line in err.splitlines()[1:] if line.startswith("  abcd")]
    assert listed == ids[:10]  # bounded: ten shown…
    assert "… and 5 more" in err  # …and the rest counted
    code, err = attempt("ab")
    assert code == 1 and "'ab' is too short (give at least 4 characters); 15 documents match" in err
    # Too short even when only one document has it today: the store will grow.
    code, err = attempt("ff")
    assert code == 1 and "too short" in err and "f" * 16 in err
    # Unique prefixes of 4 or more characters, in either case, still work.
    code, err = attempt("abcd00000000000" + "3".upper())
    assert code == 0, err


# -- 4. help text on every option of every command ------------------------------------------------
def test_every_option_of_every_command_has_help() -> None:
    missing = []
    groups: list[tuple[str, click.Command]] = [("newstrace", main)]
    groups += [(f"newstrace {name}", cmd) for name, cmd in main.commands.items() if isinstance(cmd, click.Group)]
    for name, cmd in [*groups, *((f"newstrace {n}", c) for n, c in leaf_commands(main))]:
        assert (cmd.help or "").strip(), f"{name} has no help"
        for p in cmd.params:
            if isinstance(p, click.Option) and not (p.help or "").strip():
                missing.append(f"{name} {'/'.join(p.opts)}")
    assert not missing, "options without help: " + ", ".join(missing)


# -- 6. ids stay whole in an 80-column terminal ---------------------------------------------------
_AT_80_COLUMNS = """
import json, sys
from click.testing import CliRunner
from newstrace.cli import main
out = {}
for args in json.loads(sys.argv[1]):
    r = CliRunner().invoke(main, args)
    out[" ".join(args[2:4])] = (r.exit_code, r.stdout + r.stderr)
print(json.dumps(out))
"""


def test_ids_are_never_wrapped_at_80_columns(tmp_path: Path, seeds_dir: Path) -> None:
    import os
    import subprocess
    import sys

    from newstrace.store import Store

    # Long outlets and titles, so that every table has to squeeze its columns.
    long = "The Extraordinarily Long-Named Independent Outlet of Record"
    for i, f in enumerate(sorted(seeds_dir.glob("*.txt"))):
        f.with_name(f.name[:-4] + ".meta.json").write_text(json.dumps({"outlet": f"{long} {i}"}))
    db = str(tmp_path / "w.db")
    assert run("--db", db, "ingest", str(seeds_dir))[0] == 0
    assert run("--db", db, "detect", "--workers", "1")[0] == 0
    with Store(db) as store:
        ids = [d.id for d in store.list_documents()]
        family = store.family_of(ids[0])
        store.add_alerts([{
            "id": "alert-1", "created": "2024-05-01T12:00:00+00:00", "relation": "derived",
            "article": {"id": ids[1], "outlet": long, "title": "A title " * 12},
            "origin": {"id": ids[0], "outlet": long}, "coverage": {"article": 0.5},
            "flags": ["no_credit", "altered_quotes", "attribution_drift"],
        }])  # fmt: skip
    assert family in ids
    commands = [["--db", db, *c] for c in (
        ["list"], ["families"], ["trace", ids[1]], ["show", ids[0]], ["search", "Tillerson"],
        ["alerts"],
    )]  # fmt: skip
    env = {**os.environ, "COLUMNS": "80", "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    env.pop("TERM", None)
    done = subprocess.run(
        [sys.executable, "-c", _AT_80_COLUMNS, json.dumps(commands)],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    outputs = json.loads(done.stdout)
    for name, (code, text) in outputs.items():
        assert code == 0, (name, text)
        assert max(len(line) for line in text.splitlines()) <= 80, name
        shown = [i for i in ids if i in text]
        short = [i[:8] for i in ids if i[:8] in text]
        if name == "alerts":
            assert len(short) == 2, text  # 8-character prefixes there, whole
        else:
            assert shown, (name, text)  # every id shown is whole, on one line
    assert set(ids) <= {i for i in ids if i in outputs["list"][1]}
    assert family is not None and family in outputs["families"][1]
    assert set(ids) <= {i for i in ids if i in outputs["trace " + ids[1]][1]}


# -- 7. progress counts records inside a file, not only files -------------------------------------
def _big_jsonl(path: Path, n: int, broken: tuple[int, ...] = ()) -> Path:
    lines = [
        "{oops" if i in broken else json.dumps({"id": f"r{i}", "text": f"{TEXT} Record {i} of {n}."})
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_ingest_reports_each_record_of_a_large_file(tmp_path: Path) -> None:
    from newstrace.pipeline import ingest
    from newstrace.store import Store

    big = _big_jsonl(tmp_path / "big.jsonl", 300, broken=(7, 150))
    seen: list[tuple[str, int]] = []
    with Store(tmp_path / "lib.db") as store:
        report = ingest([big], store, on_record=lambda p, n: seen.append((p.name, n)))
    assert report.added == 298 and len(report.rejected) == 2
    assert seen == [("big.jsonl", n) for n in range(1, 301)]  # documents and rejections alike


def test_ingest_bar_advances_per_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newstrace.cli as cli

    shown: list[object] = []
    make = cli._ingest_progress

    def keep(*, disable: bool) -> object:
        shown.append(make(disable=disable))
        return shown[-1]

    monkeypatch.setattr(cli, "_ingest_progress", keep)
    big = _big_jsonl(tmp_path / "big.jsonl", 300, broken=(3,))
    (tmp_path / "one.txt").write_text(TEXT)
    code, _, _ = run("--db", str(tmp_path / "c.db"), "ingest", str(big), str(tmp_path / "one.txt"))
    assert code == 1  # the broken line
    tasks = {t.description: t for t in shown[0].tasks}  # type: ignore[attr-defined]
    assert (tasks["files"].total, tasks["files"].completed) == (2, 2)
    assert tasks["records"].completed == 301  # 299 documents and 1 rejection of big.jsonl, 1 text


# -- 8. serve checks its port and store before it prints its URL ---------------------------------
def test_serve_checks_port_and_store_before_its_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    pytest.importorskip("fastapi")
    import newstrace.web

    served: list[dict[str, object]] = []
    monkeypatch.setattr(newstrace.web, "serve", lambda db, **kw: served.append({"db": db, **kw}))
    db = tmp_path / "s.db"
    (tmp_path / "a.txt").write_text(TEXT)
    assert run("--db", str(db), "ingest", str(tmp_path / "a.txt"))[0] == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = str(taken.getsockname()[1])
        code, out, err = run("serve", "--db", str(db), "--port", port)
        assert code == 2 and f"port {port} on 127.0.0.1 is already in use" in err
        assert "http://" not in out and not served
    # Missing and damaged stores are refused with their own message (exit status 3).
    code, out, err = run("serve", "--db", str(tmp_path / "none.db"), "--port", port)
    assert code == 3 and "no store at" in err and "http://" not in out
    (tmp_path / "bad.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    code, out, err = run("serve", "--db", str(tmp_path / "bad.db"), "--port", port)
    assert code == 3 and "bad.db" in err and "http://" not in out and not served
    code, out, err = run("serve", "--db", str(db), "--host", "no-such-host.invalid", "--token", "t")
    assert code == 2 and "cannot listen on 'no-such-host.invalid'" in err
    # All well (the port is free again): the URL, then the server.
    code, out, _ = run("serve", "--db", str(db), "--port", port)
    assert code == 0 and f"http://localhost:{port}/" in out
    assert served == [{"db": str(db), "host": "127.0.0.1", "port": int(port), "token": None,
                       "allow_hosts": ()}]  # fmt: skip
