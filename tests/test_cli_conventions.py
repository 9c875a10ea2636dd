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
_DRIVER = """
import json, sys
from click.testing import CliRunner
from newstrace.cli import main
out = []
for args in json.loads(sys.argv[1]):
    r = CliRunner().invoke(main, args)
    out.append((r.exit_code, r.stdout + r.stderr))
print(json.dumps(out))
"""


def run_elsewhere(
    commands: list[list[str]], *, env: dict[str, str] | None = None, prefix: tuple[str, ...] = ()
) -> list[tuple[int, str]]:
    """Run CLI commands in one fresh Python process (its own environment, terminal width and
    privileges: ``prefix`` such as ``setpriv …``); exit code and output of each."""
    import os
    import subprocess
    import sys

    full = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src"), **(env or {})}
    done = subprocess.run(
        [*prefix, sys.executable, "-c", _DRIVER, json.dumps(commands)],
        env=full, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return [(code, text) for code, text in json.loads(done.stdout)]


def test_ids_are_never_wrapped_at_80_columns(tmp_path: Path, seeds_dir: Path) -> None:
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
    names = ["list", "families", "trace", "show", "search", "alerts"]
    commands = [["--db", db, *c] for c in (
        ["list"], ["families"], ["trace", ids[1]], ["show", ids[0]], ["search", "Tillerson"],
        ["alerts"],
    )]  # fmt: skip
    outputs = dict(zip(names, run_elsewhere(commands, env={"COLUMNS": "80", "TERM": "dumb"}), strict=True))
    for name, (code, text) in outputs.items():
        assert code == 0, (name, text)
        assert max(len(line) for line in text.splitlines()) <= 80, name
        shown = [i for i in ids if i in text]
        short = [i[:8] for i in ids if i[:8] in text]
        if name == "alerts":
            assert len(short) == 2, text  # 8-character prefixes there, whole
        else:
            assert shown, (name, text)  # every id shown is whole, on one line
    assert all(i in outputs["list"][1] for i in ids)
    assert family is not None and family in outputs["families"][1]
    assert all(i in outputs["trace"][1] for i in ids)


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


# -- 9. a store on a read-only disk can be read ---------------------------------------------------
def _unprivileged() -> tuple[str, ...]:
    """A command prefix under which file modes bind: none for an ordinary user; for root,
    setpriv with every capability dropped (uid 0 then gets only the owner's bits, as any
    owner would). Skips when neither is possible: chmod would prove nothing."""
    import os
    import shutil

    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: chmod 0444/0555 would not bind")
    return ("setpriv", "--bounding-set=-all", "--inh-caps=-all")


def _writable_by(prefix: tuple[str, ...], folder: Path) -> bool:
    import subprocess
    import sys

    probe = f"open({str(folder / 'probe')!r}, 'w')"
    return subprocess.run([*prefix, sys.executable, "-c", probe], capture_output=True).returncode == 0


def test_read_commands_work_on_a_read_only_store(tmp_path: Path, seeds_dir: Path) -> None:
    """A WAL store (as newstrace writes them) with mode 0444 in a 0555 folder: SQLite cannot
    create its -shm file there, which `mode=ro` alone needs. Every command that only reads
    works, writes nothing beside the store, and a command that writes says why it cannot.

    Covers real permissions: the commands run in a child process whose writes the kernel
    refuses (checked with a probe file first; as root, with every capability dropped). It does
    not cover a read-only mount, which SQLite meets the same way (EROFS instead of EACCES)."""
    import hashlib

    from newstrace.store import Store

    prefix = _unprivileged()
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "s.db"
    assert run("--db", str(db), "ingest", str(seeds_dir))[0] == 0
    assert run("--db", str(db), "detect", "--workers", "1")[0] == 0
    with Store(db) as store:
        doc = store.list_documents()[0].id
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert sorted(p.name for p in folder.iterdir()) == ["s.db"]  # closed cleanly: no log left
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    out = tmp_path / "out"
    out.mkdir()
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        if _writable_by(prefix, folder):
            pytest.skip("this system lets the child write a 0555 folder: nothing to test")
        reads = [
            ["list", "--json"], ["show", doc, "--json"], ["search", "Tillerson", "--json"],
            ["trace", doc, "--json"], ["families", "--json"], ["outlets", "--json"],
            ["rejections", "--json"], ["alerts", "--json"],
            ["export", "--out", str(out / "x")], ["report", "--out", str(out / "r.html")],
            ["compare", doc, doc, "--lexical", "--json"],
        ]  # fmt: skip
        results = run_elsewhere([[*c, "--db", str(db)] for c in reads], prefix=prefix)
        for command, (code, text) in zip(reads, results, strict=True):
            assert code == 0, (command, text)
        assert len(json.loads(results[0][1])) == 2
        assert json.loads(results[3][1])["members"]
        assert (out / "x" / "pairs.jsonl").exists() and (out / "r.html").exists()
        assert sorted(p.name for p in folder.iterdir()) == ["s.db"]  # no -shm, no -wal
        assert hashlib.sha256(db.read_bytes()).hexdigest() == before
        [(code, text)] = run_elsewhere([["ingest", str(seeds_dir), "--db", str(db)]], prefix=prefix)
        assert code == 3 and "is read-only here" in text and "Traceback" not in text
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)


def test_read_only_store_whose_log_holds_changes_is_refused(tmp_path: Path, seeds_dir: Path) -> None:
    """The one case `immutable` would get wrong: a write-ahead log with changes not yet in the
    main file (its writer still open, or killed), and no -shm file that may be created.
    Reading the file alone would show an older store, so it is refused with what to do."""
    import shutil
    import sqlite3

    prefix = _unprivileged()
    live = tmp_path / "live.db"
    assert run("--db", str(live), "ingest", str(seeds_dir))[0] == 0
    writer = sqlite3.connect(live)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO meta (key, value) VALUES ('pending', 'in the log only')")
    writer.commit()
    folder = tmp_path / "ro"
    folder.mkdir()
    for name in ("live.db", "live.db-wal"):  # a copy as a killed writer leaves it: no -shm
        shutil.copy(tmp_path / name, folder / name)
    writer.close()
    assert (folder / "live.db-wal").stat().st_size > 0
    folder.chmod(0o555)
    try:
        if _writable_by(prefix, folder):
            pytest.skip("this system lets the child write a 0555 folder: nothing to test")
        [(code, text)] = run_elsewhere([["list", "--db", str(folder / "live.db")]], prefix=prefix)
        assert code == 3 and "write-ahead log live.db-wal holds changes" in text, text
    finally:
        folder.chmod(0o755)


# -- 10. exports: related pairs, and the pair report as columns ------------------------------------
_QUOTE = (
    '"We will not accept any agreement that leaves our farmers worse off than they were before the '
    'negotiations began, and we have told our partners so very clearly," the minister said.'
)


def test_pairs_export_has_related_pairs_and_typed_columns(tmp_path: Path, seeds_dir: Path) -> None:
    import csv

    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    # Two reports of one meeting sharing a minister's quotation: related, not copied.
    story = tmp_path / "story.jsonl"
    story.write_text("\n".join(json.dumps(r) for r in (
        {"id": "one", "outlet": "Daily One", "text": "Farm ministers met in Brussels on Monday to discuss "
         f"the new trade accord with South American states.\n\n{_QUOTE}\n\nTalks are expected to continue "
         "until Thursday, when a final communique is due from the presidency."},
        {"id": "two", "outlet": "Weekly Two", "text": "Protests by tractor drivers blocked roads around the "
         f"Belgian capital as officials gathered for a summit.\n\n{_QUOTE}\n\nPolice estimated that around two "
         "thousand vehicles took part in the demonstration, which ended peacefully at dusk."},
    )))  # fmt: skip
    db = str(tmp_path / "e.db")
    assert run("--db", db, "ingest", str(story), str(seeds_dir))[0] == 0
    code, out, _ = run("--db", db, "detect", "--workers", "1", "--json")
    assert json.loads(out)["by_relation"] == {"derived": 1, "related": 1}
    for fmt in ("csv", "parquet", "jsonl"):
        assert run("--db", db, "export", "--format", fmt, "--out", str(tmp_path / fmt))[0] == 0

    with (tmp_path / "csv" / "pairs.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0])
    assert header[:6] == ["source", "derivative", "relation", "direction", "confidence", "coverage"]
    assert {"passages", "coverage_verbatim", "added", "omitted", "quotes_altered",
            "attribution_drift", "direction_evidence", "family"} <= set(header)  # fmt: skip
    assert "report" not in header and not any(v.startswith(("{", "[")) for r in rows for v in r.values())
    by_relation = {r["relation"]: r for r in rows}
    assert set(by_relation) == {"derived", "related"}
    related, derived = by_relation["related"], by_relation["derived"]
    assert related["passages"] == "1" and related["direction"] == "undirected"
    assert int(derived["passages"]) > 1 and derived["attribution_drift"] == "1"
    assert "attribution" in derived["direction_evidence"]
    with (tmp_path / "csv" / "passages.csv").open(newline="") as f:
        shared = [p for p in csv.DictReader(f) if (p["source"], p["derivative"]) ==
                  (related["source"], related["derivative"])]  # fmt: skip
    assert len(shared) == 1 and "farmers worse off" in shared[0]["source_text"]

    table = pq.read_table(tmp_path / "parquet" / "pairs.parquet")
    types = {f.name: f.type for f in table.schema}
    assert types["relation"] == pa.string() and types["confidence"] == pa.float64()
    assert types["passages"] == pa.int64() and types["quotes_altered"] == pa.int64()
    assert types["semantic"] == pa.bool_() and types["common_source"] == pa.string()
    assert sorted(table.column("relation").to_pylist()) == ["derived", "related"]
    jsonl = [json.loads(line) for line in (tmp_path / "jsonl" / "pairs.jsonl").read_text().splitlines()]
    assert sorted(r["relation"] for r in jsonl) == ["derived", "related"]
    assert all(json.loads(r["report"])["relation"] == r["relation"] for r in jsonl)  # for import

    # A related pair is no hop: no outlet flow between the two reports.
    flows = json.loads(run("--db", db, "outlets", "--json")[1])["flows"]
    assert not {f["source_outlet"] for f in flows} & {"Daily One", "Weekly Two"}
    # And the Parquet export imports whole, related pair included.
    db2 = str(tmp_path / "imported.db")
    code, out, _ = run("--db", db2, "import", str(tmp_path / "parquet"))
    assert code == 0 and "2 pairs" in out


# -- 11. watch: a dropped file waiting to settle is logged with -v --------------------------------
def test_watch_verbose_logs_files_waiting_to_settle(tmp_path: Path) -> None:
    pytest.importorskip("httpx")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "fresh.txt").write_text(TEXT)  # just written: not settled for 60 s

    def config(settle: float) -> str:
        path = tmp_path / f"watch-{settle:g}.toml"
        path.write_text(
            'db = "w.db"\norigins = ["RT"]\n[alerts]\njsonl = "alerts.jsonl"\n'
            f'[[sources]]\nfolder = "drop"\nsettle = {settle}\n'
        )
        return str(path)

    code, out, err = run("watch", "--config", config(60), "--once", "--json", "-v")
    assert code == 0 and json.loads(out)["added"] == 0
    assert "fresh.txt is waiting to settle (changed" in err and "unchanged for 60 s" in err
    code, out, err = run("watch", "--config", config(60), "--once", "--json")
    assert code == 0 and "waiting to settle" not in err  # info, shown with -v only
    code, out, err = run("watch", "--config", config(0), "--once", "--json", "-v")
    assert code == 0 and json.loads(out)["added"] == 1 and "waiting to settle" not in err
