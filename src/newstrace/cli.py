"""The ``newstrace`` command: parse arguments, call the library, print. Nothing else.

Text from outside (anything stored, file names, error messages) is printed only through
:mod:`newstrace.report.termsafe`: as literal text, never Rich markup, without control
characters; JSON output escapes them.

Exit codes (set here and only here): 0 success; 1 some inputs were rejected or a lookup found
nothing; 2 usage or configuration error; 3 store error.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from newstrace import __version__
from newstrace.errors import (
    AmbiguousIdError,
    ConfigError,
    NewstraceError,
    NotFoundError,
    StoreError,
)
from newstrace.report.termsafe import plain, safe, safe_json, safe_marked
from newstrace.settings import Settings, load_settings, parse_size

F = TypeVar("F", bound=Callable[..., Any])
console = Console()
err_console = Console(stderr=True)
SEARCH_MARKERS = ("**", "**")
"""Put around search matches where the output shows no style (a pipe, a file, TERM=dumb)."""


def _db_path() -> str:
    """The store the running command opened (for messages; see :func:`_using`)."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    used = obj.get("db_in_use") if isinstance(obj, dict) else None
    return str(used) if used else "a database"


def _using(ctx: click.Context, db: str | Path) -> None:
    """Record the store a command opens, so that an SQLite error met later names it."""
    ctx.find_root().obj["db_in_use"] = str(db)


def _boundary(fn: F) -> F:
    """Turn library errors into one clear line and an exit code (never a traceback): an SQLite
    error anywhere in a command (a damaged page met by a query, a lock held too long) becomes
    a store error naming the file (exit code 3)."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            try:
                return fn(*args, **kwargs)
            except sqlite3.DatabaseError as exc:
                from newstrace.store import store_error

                raise store_error(_db_path(), exc) from exc
        except ConfigError as exc:
            _fail("error:", exc, 2)
        except StoreError as exc:
            _fail("store error:", exc, 3)
        except AmbiguousIdError as exc:
            _fail("ambiguous id:", exc, 1)  # the message lists the matching documents
        except NotFoundError as exc:
            _fail("not found:", exc, 1)
        except NewstraceError as exc:
            _fail("error:", exc, 1)

    return wrapper  # type: ignore[return-value]


def _fail(label: str, exc: object, code: int) -> None:
    """Print ``label`` (red) and the error's message (literal text), and exit with ``code``.

    Not wrapped by Rich: the terminal wraps long lines, and paths, ids and commands in the
    message stay whole for copying."""
    err_console.print(
        Text.assemble((label, "red"), " ", plain(exc)), highlight=False, soft_wrap=True
    )
    sys.exit(code)


class _SafeFormatter(logging.Formatter):
    """A log formatter whose lines carry no control characters but newline and tab (log
    messages quote URLs, feeds' and servers' errors: text from outside)."""

    def format(self, record: logging.LogRecord) -> str:
        return plain(super().format(record))


def _settings(ctx: click.Context) -> Settings:
    """The run's settings (defaults, user file, environment, then ``--db``), read once, when a
    command first needs them: ``--db`` may come after the command's name."""
    obj = ctx.find_root().ensure_object(dict)
    if "settings" not in obj:
        obj["settings"] = load_settings(db=obj.get("db"))
    return obj["settings"]  # type: ignore[no-any-return]


def _db_given(ctx: click.Context) -> bool:
    """Whether ``--db`` (or ``NEWSTRACE_DB``) named the store, rather than a default."""
    return ctx.find_root().ensure_object(dict).get("db") is not None


def _take_global(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """Record a global option's value for the whole run, wherever it was given.

    Given both before and after the command's name with different values, it is a usage error;
    a value from the environment gives way to one on the command line.
    """
    if value is None or param.name is None:
        return
    obj = ctx.find_root().ensure_object(dict)
    source = ctx.get_parameter_source(param.name)
    from_env = source is click.core.ParameterSource.ENVIRONMENT
    before = obj.get(param.name)
    if before is not None and before != value and not obj.get(f"{param.name}:env"):
        raise click.BadParameter(
            f"given twice, as {before!r} and {value!r}; give it once (before or after the command)",
            ctx=ctx,
            param=param,
        )
    if before is None or not from_env:
        obj[param.name] = value
        obj[f"{param.name}:env"] = from_env


def _global_options(*, after_command: bool) -> list[click.Option]:
    """The options every command takes, before its name or after it (``newstrace --db s.db
    list`` is ``newstrace list --db s.db``). Defined here once: the group gets them, and
    :class:`_Group` adds them to each of its commands."""
    return [
        click.Option(
            ["--db"],
            envvar=None if after_command else "NEWSTRACE_DB",
            type=click.Path(dir_okay=False),
            expose_value=False,
            is_eager=True,
            callback=_take_global,
            help="The store (default ./newstrace.db, or NEWSTRACE_DB); before or after the "
            "command's name.",
        )
    ]


class _Group(click.Group):
    """The top-level group: each command added also takes the global options."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not isinstance(cmd, click.Group):
            cmd.params.extend(_global_options(after_command=True))
        super().add_command(cmd, name)


def _open_store(ctx: click.Context, *, readonly: bool = False) -> Any:
    """The store, checked for damage on open (once per command, readers too)."""
    from newstrace.store import Store

    _using(ctx, _settings(ctx).db)
    return Store(_settings(ctx).db, readonly=readonly, verify=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newstrace")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Trace how news stories are copied, rewritten and laundered from outlet to outlet."""
    ctx.ensure_object(dict)


main.params.extend(_global_options(after_command=False))


def _parse_map(values: tuple[str, ...]) -> dict[str, str]:
    from newstrace.ingest.tabular import FIELDS

    out: dict[str, str] = {}
    for v in values:
        if "=" not in v:
            raise ConfigError(f"--map takes FIELD=COLUMN (e.g. text=content); got {v!r}")
        k, col = v.split("=", 1)
        if k not in FIELDS:
            raise ConfigError(f"--map field must be one of {', '.join(FIELDS)}; got {k!r}")
        out[k] = col
    return out


def _ingest_progress(*, disable: bool) -> Progress:
    """The ingest display on stderr (none when it is no terminal, or with --json)."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[name]}", markup=False),
        console=err_console,
        transient=True,
        disable=disable,
    )


class _IngestBars:
    """Ingest's two bars: files read of all given, and records read (documents and rejected
    inputs) as they come, so that one large JSONL, CSV or WARC file moves the display too."""

    def __init__(self, progress: Progress, *, files: int) -> None:
        self.progress = progress
        self.files = progress.add_task("files", total=files, name="")
        self.records = progress.add_task("records", total=None, name="")
        self._path: Path | None = None

    def on_record(self, path: Path, n: int) -> None:
        if path != self._path:  # the name is made printable once per file, not per record
            self._path = path
            self.progress.update(self.records, name=plain(path.name)[-40:])
        self.progress.advance(self.records)

    def on_file(self, path: Path, n: int) -> None:
        self.progress.advance(self.files)


@main.command()
# Not exists=True: a missing path is one rejected input of the batch (reported, recorded, exit
# status 1), not a usage error that stops the others from being read.
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html", "warc", "jsonl", "json", "csv", "feed"]),
    help="Force the input format.",
)
@click.option("--outlet", help="Set the outlet of every document read.")
@click.option("--date", help="Set the publication date of every document read.")
@click.option("--url", help="Set the URL of every document read.")
@click.option(
    "--map",
    "field_map",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Map a JSONL/CSV column to a field (repeatable), e.g. --map text=content.",
)
@click.option("--max-size", help="Largest input file accepted (default 20MB).")
@click.option("--strict", is_flag=True, help="Stop at the first rejected input.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's summary as JSON.")
@click.pass_context
@_boundary
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str | None,
    outlet: str | None,
    date: str | None,
    url: str | None,
    field_map: tuple[str, ...],
    max_size: str | None,
    strict: bool,
    as_json: bool,
) -> None:
    """Read articles from files and folders (text, Markdown, HTML, WARC, JSONL/CSV, RSS/Atom)."""
    from newstrace.ingest import iter_files
    from newstrace.pipeline import StrictModeStop
    from newstrace.pipeline import ingest as run_ingest

    settings = _settings(ctx)
    if max_size:
        settings = settings.merged(max_file_bytes=parse_size(max_size))
    mapping = _parse_map(field_map)
    files = list(iter_files(paths))
    with (
        _open_store(ctx) as store,
        _ingest_progress(disable=as_json or not err_console.is_terminal) as progress,
    ):
        bars = _IngestBars(progress, files=len(files))

        def on_reject(r: Any) -> None:
            # One line per input: a rejection, or a page skipped as no article (not an error).
            label = "skipped" if r.kind == "NotArticleError" else "rejected"
            progress.console.print(
                Text.assemble((label, "yellow"), " ", plain(f"{r.path}: {r.reason}")),
                highlight=False,
                soft_wrap=True,
            )

        try:
            report = run_ingest(
                files,
                store,
                fmt=fmt,
                outlet=outlet,
                url=url,
                date=date,
                field_map=mapping,
                strict=strict,
                settings=settings,
                on_file=bars.on_file,
                on_reject=on_reject,
                on_record=bars.on_record,
            )
        except StrictModeStop as stop:
            _fail("stopped (--strict):", stop.rejection, 1)
        total = store.count()
    if as_json:
        click.echo(
            json.dumps({**report.to_dict(), "store": str(settings.db), "total": total}, indent=2)
        )
    else:
        console.print(
            Text.assemble(
                f"Read {report.files} file(s): ",
                (f"{report.added} added", "green"),
                f", {report.versions} new version(s), {report.unchanged} unchanged, ",
                (f"{len(report.rejected)} rejected", "red" if report.rejected else "green"),
                f", {len(report.skipped)} not articles (skipped)" if report.skipped else "",
                f"; outlet chrome re-cleaned {report.recleaned} document(s)"
                if report.recleaned
                else "",
                f".\nThe store {plain(settings.db)} holds {total} document(s).",
            ),
            highlight=False,
        )
    if report.rejected:
        sys.exit(1)


ID_WIDTH = 16
"""The length of a document id (hex digits of its SHA-256)."""
SHORT_ID = 8
"""The prefix of an id shown where space is short (a prefix that commands accept)."""


def _id_column(table: Table, header: str, *, width: int = ID_WIDTH) -> None:
    """Add a column of ids: never wrapped, folded or cut, however narrow the terminal (ids
    are copied from tables into commands; the other columns give way)."""
    table.add_column(header, no_wrap=True, overflow="ignore", min_width=width)


def _counts(counts: dict[str, int], *, value_first: bool = True) -> str:
    """``{"documents": 3, "pairs": 1}`` as "3 documents, 1 pairs" (or "documents 3, …")."""
    return ", ".join(f"{v} {k}" if value_first else f"{k} {v}" for k, v in counts.items())


def _doc_row(d: Any) -> dict[str, Any]:
    return {
        "id": d.id,
        "outlet": d.outlet,
        "published": d.published,
        "language": d.language,
        "title": d.title,
        "url": d.url,
        "words": len(d.text.split()),
        "attributions": [a.credited for a in d.attributions],
    }


@main.command("list")
@click.option("--outlet", help="Only this outlet's documents.")
@click.option(
    "--limit", default=50, show_default=True, type=click.IntRange(1, 100000),
    help="Show at most this many documents.",
)
@click.option("--offset", default=0, type=click.IntRange(0), help="Skip this many first.")
@click.option("--json", "as_json", is_flag=True, help="Print the documents as JSON.")
@click.pass_context
@_boundary
def list_(ctx: click.Context, outlet: str | None, limit: int, offset: int, as_json: bool) -> None:
    """List stored documents, newest first."""
    with _open_store(ctx, readonly=True) as store:
        docs = store.list_documents(outlet=outlet, limit=limit, offset=offset)
        total = store.count()
    if as_json:
        click.echo(safe_json([_doc_row(d) for d in docs], indent=2))
        return
    table = Table(title=f"{len(docs)} of {total} documents")
    _id_column(table, "id")
    table.add_column("outlet", overflow="fold")
    table.add_column("published", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    for col in ("words", "title", "credits"):
        table.add_column(col, overflow="fold")
    for d in docs:
        table.add_row(
            safe(d.id),
            safe(d.outlet or "-"),
            safe((d.published or "-")[:10]),
            safe(d.language or "-"),
            str(len(d.text.split())),
            safe(plain(d.title)[:70]),
            safe(", ".join(a.credited for a in d.attributions)),
        )
    console.print(table)


@main.command()
@click.argument("doc_id")
@click.option(
    "--json", "as_json", is_flag=True,
    help="Print every field as JSON (credits, links, removed chrome…).",
)
@click.option("--raw", is_flag=True, help="Include the raw input text (with --json).")
@click.pass_context
@_boundary
def show(ctx: click.Context, doc_id: str, as_json: bool, raw: bool) -> None:
    """Show one document (by id, unique id prefix or input id)."""
    with _open_store(ctx, readonly=True) as store:
        doc = store.get(doc_id)
    if as_json:
        click.echo(safe_json(doc.to_dict(with_raw=raw), indent=2))
        return
    console.rule(safe(doc.title or doc.id))
    meta = Table.grid(padding=(0, 2))
    for k, v in (
        ("id", doc.id),
        ("outlet", doc.outlet),
        ("url", doc.url),
        ("author", doc.author),
        (
            "published",
            f"{doc.published} (from {doc.published_source or 'unknown'})" if doc.published else None,
        ),
        ("language", _language_line(doc)),
        ("source", doc.source_path),
    ):
        meta.add_row(Text(k, style="bold"), safe(v or "-"))
    for a in doc.attributions:
        meta.add_row(
            Text("credits", style="bold"),
            Text.assemble(plain(a.credited), "  ", (plain(f"({a.kind}: {a.evidence!r})"), "dim")),
        )
    console.print(meta)
    console.print()
    console.print(safe(doc.text), highlight=False)
    if doc.boilerplate:
        console.print(f"\n[dim]{len(doc.boilerplate)} chrome line(s) removed (see --json)")


def _language_line(doc: Any) -> str:
    """The language as ``show`` prints it: ``de (detected)``, ``en (from metadata)``,
    ``unknown (detected)``, or that it is not examined yet (a store from before schema 6)."""
    if doc.language_source is None:
        return "- (not examined yet: the next ingest or detect finds it)"
    how = "detected" if doc.language_source == "detected" else f"from {doc.language_source}"
    return f"{doc.language or 'unknown'} ({how})"


@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(1, 1000),
    help="Show at most this many hits.",
)
@click.option(
    "--lang",
    "language",
    metavar="CODE",
    help="Only documents in this language (ISO 639-1: en, de, zh; en-US and deu are read too).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON, with snippets.")
@click.pass_context
@_boundary
def search(
    ctx: click.Context, query: tuple[str, ...], limit: int, language: str | None, as_json: bool
) -> None:
    """Full-text search over titles and texts.

    Every word must match; text in double quotes is a phrase (newstrace search '"Deep State"
    Trump'). Matches are highlighted, or put between ** where the output shows no style; with
    --json each hit's snippet is plain text and "matches" gives the [start, end) character
    offsets of the matches in it ("title_matches" in its title).
    """
    with _open_store(ctx, readonly=True) as store:
        hits = store.search(" ".join(query), limit=limit, language=language)
    if as_json:
        click.echo(
            safe_json(
                [
                    {
                        **_doc_row(h.document),
                        "snippet": h.snippet.text,
                        "matches": [list(s) for s in h.snippet.spans],
                        "title_matches": [list(s) for s in h.title.spans],
                    }
                    for h in hits
                ],
                indent=2,
            )
        )
        return
    if not hits:
        console.print("No match.")
        return
    markers = SEARCH_MARKERS if console.color_system is None else None
    for h in hits:
        d = h.document
        line = Text.assemble(
            (plain(d.id), "bold"),
            f" {plain(d.outlet or '-')} {plain((d.published or '')[:10])} "
            f"{plain(d.language or '-')}  ",
        )
        line.append_text(safe_marked(h.title.parts(), markers=markers))
        console.print(line, highlight=False)
        console.print(
            Text("    ").append_text(safe_marked(h.snippet.parts(), markers=markers)),
            highlight=False,
        )


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--html", "html_out", type=click.Path(dir_okay=False), help="Write the side-by-side view here."
)
@click.option(
    "--lexical", is_flag=True, help="Skip the semantic layer (faster, misses rewordings)."
)
@click.option("--store", "store_docs", is_flag=True, help="Also store documents given as files.")
@click.option(
    "--source",
    "given_source",
    type=click.Choice(["A", "B"], case_sensitive=False),
    help="Which one is the source, when you know it (otherwise the evidence decides, and "
    "with no evidence A is shown as the source, like diff).",
)
@click.option(
    "--recompute",
    is_flag=True,
    help="Compare afresh even when detect has stored a verdict for this pair.",
)
@click.pass_context
@_boundary
def compare(
    ctx: click.Context,
    a: str,
    b: str,
    as_json: bool,
    html_out: str | None,
    lexical: bool,
    store_docs: bool,
    given_source: str | None,
    recompute: bool,
) -> None:
    """Compare two articles (stored ids or files): relation, direction, passages, mutations.

    When the store holds detect's verdict on the pair, that verdict is shown (the same one
    trace, the web app, the reports and the exports show); --recompute or --source compares
    afresh.
    """
    from newstrace.pipeline import ingest as run_ingest
    from newstrace.pipeline import verdict
    from newstrace.report.pair_html import pair_page
    from newstrace.report.terminal import print_pair
    from newstrace.store import Store

    db = Path(_settings(ctx).db)
    _using(ctx, db)
    files = [x for x in (a, b) if Path(x).is_file()]
    store = None
    if store_docs or len(files) < 2 or db.exists():
        if store_docs:
            store = Store(db)
            run_ingest(files, store)
        elif db.exists():
            store = Store(db, readonly=True, verify=True)
    try:
        with err_console.status("comparing…", spinner="dots") if not as_json else _null():
            v = verdict(
                a,
                b,
                store=store,
                semantic=not lexical,
                source=given_source.lower() if given_source else None,
                recompute=recompute or lexical,
            )
    finally:
        if store is not None:
            store.close()
    data = dict(v.report)
    data["stored"] = v.stored
    if html_out:
        Path(html_out).write_text(
            pair_page(data, source_text=v.source_text, derivative_text=v.derivative_text), "utf-8"
        )
    if as_json:
        click.echo(safe_json(data, indent=2))
    else:
        print_pair(data, console)
        if v.stored:
            console.print(
                "(detect's stored verdict on this pair; --recompute compares afresh)",
                highlight=False,
                style="dim",
            )
        if html_out:
            console.print(safe(f"Side-by-side view written to {html_out}"), highlight=False)


@main.command()
@click.option(
    "--semantic", is_flag=True, help="Also find paraphrased rewrites with sentence embeddings."
)
@click.option(
    "--threshold", type=float, default=0.3, show_default=True, help="LSH Jaccard threshold."
)
@click.option(
    "--window-days",
    type=click.IntRange(0),
    help="Only pair articles published this close together.",
)
@click.option(
    "--workers", type=click.IntRange(1, 64), default=2, show_default=True,
    help="Processes that verify candidate pairs.",
)
@click.option(
    "--from-scratch",
    is_flag=True,
    help="Forget earlier sketches, pairs and families first (pairs already verified are "
    "otherwise kept, e.g. after switching on --semantic or changing --threshold).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run's summary as JSON.")
@click.pass_context
@_boundary
def detect(
    ctx: click.Context,
    semantic: bool,
    threshold: float,
    window_days: int | None,
    workers: int,
    from_scratch: bool,
    as_json: bool,
) -> None:
    """Find every reuse pair in the store (incremental), verify it, build families and chains."""
    from newstrace.detect import DetectParams
    from newstrace.detect import detect as run_detect

    params = DetectParams(
        threshold=threshold, window_days=window_days, semantic=semantic, workers=workers
    )
    with (
        _open_store(ctx) as store,
        Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=as_json or not err_console.is_terminal,
        ) as progress,
    ):
        tasks: dict[str, Any] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        if from_scratch:
            store.clear_detection()
        report = run_detect(store, params, on_progress=on_progress)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    rel = _counts(dict(sorted(report.by_relation.items())), value_first=False)
    console.print(
        f"{report.documents} documents ({report.indexed} newly indexed); {report.candidates} candidate pairs, "
        f"{report.verified} verified this run; {report.reused_pairs} reuse pairs ({rel}); "
        f"{report.families} families.",
        highlight=False,
    )


def _hop_summary(store: Any, parent: str, child: str) -> str:
    rep = store.pair_report(parent, child)
    if not rep:
        return ""
    parts = [
        rep["relation"],
        f"{rep['coverage']['derivative']['total']:.0%} reused",
        f"confidence {rep['direction']['confidence']:.0%}",
    ]
    if rep.get("added"):
        parts.append(f"{len(rep['added'])} sentence(s) added")
    altered = sum(1 for q in rep.get("quotes", []) if q["status"] == "altered")
    if altered:
        parts.append(f"{altered} quote(s) altered")
    if rep.get("attribution_drift"):
        parts.append(f"{len(rep['attribution_drift'])} attribution drift(s)")
    return ", ".join(parts)


@main.command()
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print the family's members as JSON.")
@click.pass_context
@_boundary
def trace(ctx: click.Context, doc_id: str, as_json: bool) -> None:
    """The family tree of an article: origin, hops, each hop's relation and what it added."""
    from rich.tree import Tree

    from newstrace.views import family_name

    with _open_store(ctx, readonly=True) as store:
        full = store.resolve_id(doc_id)
        family = store.family_of(full)
        if family is None:
            console.print(
                safe(f"{full} reuses nothing and is reused by nothing"),
                "(run `newstrace detect` first?).",
            )
            return
        members = store.family_members(family)
        name = family_name(family, ((m["doc_id"], m["title"], m["published"]) for m in members))
        children: dict[str | None, list[Any]] = {}
        for m in members:
            children.setdefault(m["derived_from"], []).append(m)
        if as_json:
            out = [
                {
                    "id": m["doc_id"],
                    "outlet": m["outlet"],
                    "title": m["title"],
                    "published": m["published"],
                    "derived_from": m["derived_from"],
                    "depth": m["depth"],
                    "hop": _hop_summary(store, m["derived_from"], m["doc_id"])
                    if m["derived_from"]
                    else None,
                }
                for m in members
            ]
            click.echo(safe_json({"family": family, "name": name, "members": out}, indent=2))
            return

        def label(m: Any) -> Text:
            t = Text()
            t.append(plain(m["outlet"] or "(unknown outlet)"), style="bold")
            t.append(plain(f"  {(m['published'] or 'undated')[:10]}  {m['doc_id']}  "))
            t.append(plain(m["title"])[:70], style="italic")
            if m["doc_id"] == full:
                t.append("  ◀", style="bold red")
            if m["derived_from"]:
                hop = plain(_hop_summary(store, m["derived_from"], m["doc_id"]))
                t.append(f"\n{hop}", style="dim")
            return t

        roots = children.get(None, [])
        tree = Tree(
            safe(f"story family “{name}” ({len(members)} articles, {family})", style="bold")
        )

        def grow(node: Any, m: Any) -> None:
            branch = node.add(label(m))
            for c in children.get(m["doc_id"], []):
                grow(branch, c)

        for r in roots:
            grow(tree, r)
        console.print(tree)


@main.command()
@click.option(
    "--limit", default=30, show_default=True, type=click.IntRange(1),
    help="Show at most this many families.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the families as JSON.")
@click.pass_context
@_boundary
def families(ctx: click.Context, limit: int, as_json: bool) -> None:
    """Story families, largest first."""
    from newstrace.export import export_tables
    from newstrace.views import family_names

    with _open_store(ctx, readonly=True) as store:
        fams = export_tables(store)["families"]
        names = family_names(store, [f["family"] for f in fams])
    fams.sort(key=lambda f: (-f["size"], f["family"]))
    fams = [{"family": f["family"], "name": names[f["family"]], **f} for f in fams]
    if as_json:
        click.echo(safe_json(fams[:limit], indent=2))
        return
    table = Table(title=f"{len(fams)} story families")
    _id_column(table, "family")
    table.add_column("name", overflow="fold", ratio=3)
    table.add_column("size", justify="right")
    table.add_column("outlets", overflow="fold", ratio=2)
    table.add_column("first", no_wrap=True)
    table.add_column("last", no_wrap=True)
    for f in fams[:limit]:
        table.add_row(
            safe(f["family"]),
            safe(f["name"]),
            str(f["size"]),
            safe(f["outlets"]),
            safe((f["first_published"] or "-")[:10]),
            safe((f["last_published"] or "-")[:10]),
        )
    console.print(table)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print outlets and flows as JSON.")
@click.pass_context
@_boundary
def outlets(ctx: click.Context, as_json: bool) -> None:
    """The outlet network: who takes from whom, how much, how fast."""
    from newstrace.export import network_tables

    with _open_store(ctx, readonly=True) as store:
        outlet_table, flow_table = network_tables(store)
    tables = {"outlets": outlet_table, "outlet_flows": flow_table}
    if as_json:
        click.echo(safe_json({"outlets": outlet_table, "flows": flow_table}, indent=2))
        return
    t = Table(title="Outlets")
    for col in ("outlet", "articles", "derived", "share", "takes from", "copied by"):
        t.add_column(col, overflow="fold")
    for o in tables["outlets"]:
        t.add_row(
            safe(o["outlet"]),
            str(o["articles"]),
            str(o["derived"]),
            f"{o['derived_share']:.0%}",
            safe(o["sources"] or "-"),
            safe(o["copied_by"] or "-"),
        )
    console.print(t)
    f = Table(title="Flows (best-source edges)")
    for col in ("from", "to", "articles", "characters", "median lag (days)"):
        f.add_column(col)
    for x in sorted(tables["outlet_flows"], key=lambda r: -r["articles"]):
        f.add_row(
            safe(x["source_outlet"]),
            safe(x["derivative_outlet"]),
            str(x["articles"]),
            str(x["characters"]),
            "-" if x["median_lag_days"] is None else f"{x['median_lag_days']:g}",
        )
    console.print(f)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet"]),
    default="jsonl",
    show_default=True,
    help="File format of the tables (Parquet needs the parquet extra).",
)
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False),
    help="Folder the tables are written to (created if missing).",
)
@click.pass_context
@_boundary
def export(ctx: click.Context, fmt: str, out_dir: str) -> None:
    """Write documents, pairs, passages, families and outlets tables."""
    from newstrace.export import export_tables, write_tables

    with _open_store(ctx, readonly=True) as store:
        paths = write_tables(export_tables(store), out_dir, fmt)
    for p in paths:
        console.print(safe(f"wrote {p}"), highlight=False)


@main.command()
@click.option(
    "--out", "out_file", default="report.html", show_default=True,
    type=click.Path(dir_okay=False), help="The HTML file to write.",
)
@click.option(
    "--max-pairs", default=300, show_default=True, type=click.IntRange(0),
    help="Pair views included at most (one per hop of a family, largest families first).",
)
@click.pass_context
@_boundary
def report(ctx: click.Context, out_file: str, max_pairs: int) -> None:
    """Write one self-contained HTML report: overview, story families, and every hop's pair view."""
    from newstrace.report.corpus_html import corpus_report

    with _open_store(ctx, readonly=True) as store:
        html = corpus_report(store, max_pairs=max_pairs)
    Path(out_file).write_text(html, "utf-8")
    console.print(safe(f"Report written to {out_file} ({len(html) / 1e6:.1f} MB)"), highlight=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--token",
    envvar="NEWSTRACE_TOKEN",
    help="Access token (required off loopback; or NEWSTRACE_TOKEN).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="A name this server is reached by, answered in a request's Host header besides "
    "127.0.0.1, localhost, [::1] and --host (repeatable); other names get 400, against DNS "
    "rebinding.",
)
@click.pass_context
@_boundary
def serve(
    ctx: click.Context, host: str, port: int, token: str | None, allow_hosts: tuple[str, ...]
) -> None:
    """Serve the web app (corpus browser, pair views, families, outlets, JSON API).

    The token, the store (present, sound) and the port (free) are checked before the URL is
    printed.
    """
    from newstrace.web import serve as run
    from newstrace.web.preflight import check_serve

    _using(ctx, _settings(ctx).db)
    check_serve(_settings(ctx).db, host=host, port=port, token=token)
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    console.print(
        safe(f"newstrace at http://{shown}:{port}/ (store {_settings(ctx).db}); Ctrl-C stops it"),
        highlight=False,
    )
    run(_settings(ctx).db, host=host, port=port, token=token, allow_hosts=allow_hosts)


@contextmanager
def _watch_log(verbose: bool) -> Iterator[None]:
    """The watcher's log on stderr for one command (removed after it: a second run in the same
    process must not write to the first one's stream): warnings, or with -v every step."""
    handler = logging.StreamHandler()
    handler.setFormatter(_SafeFormatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    log = logging.getLogger("newstrace.watch")
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.INFO if verbose else logging.WARNING)
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(level)


@main.command()
@click.option(
    "--config", "config_path", required=True, type=click.Path(dir_okay=False),
    help="The watch configuration (TOML: sources, origins, fetching, alert sinks).",
)  # fmt: skip
@click.option("--once", is_flag=True, help="Run one full cycle (every source) and exit.")
@click.option("--json", "as_json", is_flag=True, help="With --once: print the cycle as JSON.")
@click.option(
    "-v", "--verbose", is_flag=True,
    help="Also log what waits (sources and pages put off, dropped files not yet settled) and "
    "summarise every cycle, not only problems and alerts.",
)
@click.pass_context
@_boundary
def watch(ctx: click.Context, config_path: str, once: bool, as_json: bool, verbose: bool) -> None:
    """Poll feeds, sitemaps and drop folders; alert when a watched origin's article reappears.

    Alerts go to the JSONL file and webhook the configuration names, and to the web app
    (/alerts). State lives in the store: a restart goes on where it stopped and never alerts
    twice. --db overrides the configuration's store.
    """
    import dataclasses
    import threading

    from newstrace.watch.config import load_config
    from newstrace.watch.loop import Watcher

    cfg = load_config(config_path)
    if _db_given(ctx):
        cfg = dataclasses.replace(cfg, db=_settings(ctx).db)
    _using(ctx, cfg.db)

    def summary(r: Any) -> None:
        if not (verbose or once or r.added or r.alerts or r.source_errors or r.item_errors):
            return  # a quiet cycle says nothing unless asked (-v)
        err_console.print(
            safe(
                f"cycle: {r.polled} sources polled ({r.not_modified} unchanged, "
            f"{len(r.source_errors)} failed), {r.new_items} new items, {r.added} articles added, "
                f"{r.files} files; {len(r.alerts)} new alerts; {r.seconds:.1f} s"
            ),
            highlight=False,
        )

    with _watch_log(verbose), Watcher(cfg) as watcher:
        if once:
            report = watcher.cycle(force=True)
            if as_json:
                click.echo(json.dumps(report.to_dict(), indent=2))
            else:
                summary(report)
                console.print(
                    safe(f"Alerts in {cfg.alerts.jsonl}; state in {cfg.db}."), highlight=False
                )
            return
        console.print(
            safe(
                f"Watching {len(cfg.sources)} sources for {', '.join(cfg.origins)}; alerts to "
                f"{cfg.alerts.jsonl}{' and ' + cfg.alerts.webhook if cfg.alerts.webhook else ''}. "
                "Ctrl-C stops."
            ),
            highlight=False,
        )
        stop = threading.Event()
        try:
            watcher.run(stop, on_cycle=summary)
        except KeyboardInterrupt:
            stop.set()
            err_console.print("stopped", highlight=False)


@main.command()
@click.option(
    "--limit", default=50, show_default=True, type=click.IntRange(1),
    help="Show at most this many alerts.",
)
@click.option(
    "--flag", type=click.Choice(["no_credit", "altered_quotes", "attribution_drift"]),
    help="Only alerts raised with this flag.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as JSON (as the sinks get them).")
@click.pass_context
@_boundary
def alerts(ctx: click.Context, limit: int, flag: str | None, as_json: bool) -> None:
    """List the alerts `newstrace watch` raised, newest first."""
    with _open_store(ctx, readonly=True) as store:
        rows = store.alerts(limit=limit, flag=flag)
    if as_json:
        click.echo(safe_json(rows, indent=2))
        return
    if not rows:
        console.print("No alerts.")
        return
    table = Table(box=None)
    table.add_column("when")
    _id_column(table, "article", width=SHORT_ID)
    table.add_column("title")
    _id_column(table, "reuses", width=SHORT_ID)
    for col in ("outlet", "relation", "coverage", "flags"):
        table.add_column(col)
    for a in rows:
        art, org = a["article"], a["origin"]
        article = f"{art.get('outlet') or art.get('host') or '?'}: {art.get('title') or '-'}"
        origin = org.get("outlet") or org.get("host") or "?"
        table.add_row(
            safe(a["created"]), safe(art["id"][:SHORT_ID]), safe(article),
            safe(org["id"][:SHORT_ID]), safe(origin), safe(a["relation"]),
            f"{a['coverage']['article']:.0%}", safe(", ".join(a["flags"]) or "-"),
        )  # fmt: skip
    console.print(table)


@main.command(name="import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.pass_context
@_boundary
def import_(ctx: click.Context, directory: str) -> None:
    """Load results (a Spark job's output, or an export) into the store for serve, report and trace."""
    from newstrace.export import import_tables

    with _open_store(ctx) as store:
        counts = import_tables(directory, store)
    done = "Imported " + _counts(counts) + f" into {_settings(ctx).db}."
    console.print(safe(done), highlight=False)


@main.group(name="spark")
def spark_() -> None:
    """Run detection as an Apache Spark job (the spark extra)."""


@spark_.command("detect")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True),
    help="JSONL or Parquet documents (id, text, and the store's other fields; an export works).",
)
@click.option(
    "--output", "output_dir", required=True, type=click.Path(file_okay=False),
    help="Folder (or cluster URI) the Parquet tables are written to.",
)
@click.option(
    "--master", default=None, help="Spark master (default: as spark-submit sets it, else local[*])."
)
@click.option(
    "--threshold", type=float, default=0.3, show_default=True, help="LSH Jaccard threshold."
)
@click.option(
    "--window-days", type=click.IntRange(0),
    help="Only pair articles published this close together.",
)
@click.option(
    "--semantic", is_flag=True,
    help="Also find rewrites and translations with sentence embeddings, as `detect --semantic` "
    "(the semantic extra on the driver and every executor).",
)
@_boundary
def spark_detect(
    input_path: str, output_dir: str, master: str | None, threshold: float, window_days: int | None,
    semantic: bool,
) -> None:
    """Detect reuse on Spark; writes Parquet tables with the schema of `newstrace export`."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ConfigError(
            "the Spark job needs the spark extra: pip install 'newstrace[spark]' (and Java 17)"
        ) from exc
    import os

    from newstrace.detect import DetectParams
    from newstrace.spark import run_job

    # Local workers must run this Python (where newstrace is installed); a cluster sets its own.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("newstrace detect")
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    try:
        counts = run_job(
            spark,
            input_path,
            output_dir,
            DetectParams(threshold=threshold, window_days=window_days, semantic=semantic),
        )
    finally:
        spark.stop()
    done = "Spark detect: " + _counts(counts) + f"; tables in {output_dir}"
    console.print(safe(done), highlight=False)


@main.group(name="eval")
def eval_() -> None:
    """Measure quality on labelled data (PAN text alignment; generators for such data)."""


@eval_.command("generate")
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.option(
    "--corpus",
    type=click.Path(exists=True),
    default="examples/corpus/buzzfeed-webis-2016.jsonl.gz",
    show_default=True,
    help="Real articles to build pairs from (any format ingest reads).",
)
@click.option(
    "--msrp",
    type=click.Path(exists=True, dir_okay=False),
    help="MSRP training file, for paraphrase splices (e.g. ../shared/data/msrp/msr_paraphrase_train.txt).",
)
@click.option(
    "--per-kind", default=30, show_default=True, type=click.IntRange(1, 10000),
    help="Pairs written per obfuscation kind.",
)
@click.option("--seed", default=13, show_default=True, type=int, help="Random seed (same seed, same pairs).")
@_boundary
def eval_generate(out_dir: str, corpus: str, msrp: str | None, per_kind: int, seed: int) -> None:
    """Write labelled text-reuse pairs in PAN format, built from real article text."""
    from newstrace.evaluation.generate import MSRP_LEFT_OUT, generate

    counts = generate(out_dir, corpus, msrp=msrp, per_kind=per_kind, seed=seed)
    done = f"Wrote {sum(counts.values())} pairs to {out_dir}: " + _counts(counts, value_first=False)
    console.print(safe(done), highlight=False)
    if msrp is None:
        err_console.print(
            safe(
                f"warning: the msrp kind (paraphrases spliced in) is left out: {MSRP_LEFT_OUT}; "
                "pass --msrp PATH to MSRP's msr_paraphrase_train.txt to include it (the corpus's "
                "README.md and metadata.json say so too)"
            ),
            style="yellow",
            highlight=False,
            soft_wrap=True,
        )


@eval_.command("generate-families")
@click.argument("out_file", type=click.Path(dir_okay=False))
@click.option(
    "--corpus",
    type=click.Path(exists=True),
    default="examples/corpus/buzzfeed-webis-2016.jsonl.gz",
    show_default=True,
    help="Real articles the families are made from (any format ingest reads).",
)
@click.option(
    "--families", "n_families", default=60, show_default=True, type=click.IntRange(1, 100000),
    help="Story families to generate.",
)
@click.option(
    "--singletons", default=60, show_default=True, type=click.IntRange(0, 100000),
    help="Unrelated articles added beside the families.",
)
@click.option("--seed", default=11, show_default=True, type=int, help="Random seed (same seed, same corpus).")
@click.option(
    "--real-distractors",
    "labels",
    type=click.Path(exists=True, file_okay=False),
    help="Keep every real article of the corpus as a distractor (their true families from the "
    "pairs labelled by reading in this folder, e.g. eval/real); hops take real outlets' chrome.",
)
@_boundary
def eval_generate_families(
    out_file: str, corpus: str, n_families: int, singletons: int, seed: int, labels: str | None
) -> None:
    """Write a labelled JSONL corpus of story families with derivation chains (from real articles)."""
    from newstrace.evaluation.families import generate_families, generate_real_families

    try:
        if labels:
            counts = generate_real_families(out_file, corpus, labels, families=n_families, seed=seed)
        else:
            counts = generate_families(
                out_file, corpus, families=n_families, singletons=singletons, seed=seed
            )
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    console.print(safe(f"Wrote {out_file}: " + _counts(counts, value_first=False)), highlight=False)


@eval_.command("families")
@click.argument("labelled", type=click.Path(exists=True, dir_okay=False))
@click.option("--semantic", is_flag=True, help="Detect with the semantic layer too.")
@click.option("--json", "as_json", is_flag=True, help="Print the measures as JSON.")
@_boundary
def eval_families(labelled: str, semantic: bool, as_json: bool) -> None:
    """Clustering and graph measures (ARI, pairwise P/R/F1, direction accuracy) on a labelled corpus."""
    from newstrace.evaluation.families import evaluate_families

    scores = evaluate_families(labelled, semantic=semantic).to_dict()
    if as_json:
        click.echo(json.dumps(scores, indent=2))
        return
    t = Table(
        title=f"Story families and chains ({'lexical + semantic' if semantic else 'lexical'})"
    )
    t.add_column("measure")
    t.add_column("value", justify="right")
    for k, v in scores.items():
        if isinstance(v, dict):
            for kk, vv in v.items():
                t.add_row(Text(f"{k} ({kk})"), f"{vv:.3f}")
        else:
            t.add_row(k, "-" if v is None else f"{v:.3f}")
    console.print(t)


@eval_.command("real")
@click.argument("root", default="eval/real", type=click.Path(exists=True, file_okay=False))
@click.option("--corpus", "corpora", multiple=True, help="Only this corpus (repeatable).")
@click.option("--work", default="out/eval-real", show_default=True, type=click.Path(file_okay=False),
              help="Where stores and the lists of unlabelled pairs and flags go.")  # fmt: skip
@click.option("--semantic", is_flag=True, help="Detect with the semantic layer too.")
@click.option("--json", "as_json", is_flag=True, help="Print each corpus's measures as JSON.")
@click.option("--split", type=click.Choice(["all", "heldout", "calibration"]), default="all", show_default=True,
              help="Score only one half of the set's numbered families: heldout, the odd-numbered ones "
              "(the translation thresholds were set on the even-numbered ones of eval/multilingual), "
              "or calibration, the even-numbered ones.")  # fmt: skip
@_boundary
def eval_real(root: str, corpora: tuple[str, ...], work: str, semantic: bool, as_json: bool, split: str) -> None:
    """Reuse-pair precision/recall, relation confusion, family ARI, direction accuracy and flag
    precision on real news labelled by reading (ROOT: corpora.toml and labels/), and where the
    labels say which WMT segments each document holds, sentence-alignment precision/recall/F1
    of the translated pairs newstrace verified."""
    from newstrace.evaluation.real import FLAG_KINDS, LABELS, SPLITS, evaluate_real, split_documents

    def progress(corpus: str, stage: str) -> None:
        if not as_json:
            err_console.print(safe(f"{corpus}: {stage}…", style="dim"))

    try:
        split_documents(root, split)
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    results = evaluate_real(root, workdir=work, corpora=corpora or None, semantic=semantic,
                            split=split, on_progress=progress)  # fmt: skip
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], indent=2))
        return
    if not results:
        raise click.ClickException(f"no corpus of {root}/corpora.toml could be read")

    def f(v: float | None) -> str:
        return "-" if v is None else f"{v:.3f}"

    t = Table(title=f"Real news labelled by reading ({'lexical + semantic' if semantic else 'lexical'})")
    t.add_column("measure")
    for r in results:
        t.add_column(safe(r.corpus), justify="right")

    def alignment(r: Any) -> str:
        a = r.alignment
        return "-" if a is None else f"{f(a.precision)}/{f(a.recall)}/{f(a.f1)}"

    def aligned_pairs(r: Any) -> str:
        a = r.alignment
        return "-" if a is None else f"{a.pairs} ({a.unverified})"

    def flag(r: Any, k: str) -> str:
        fl = r.flags.get(k, {})
        read = fl.get("right", 0) + fl.get("wrong", 0)
        return f"{f(r.flag_precision(k))} ({read} read, {fl.get('unlabelled', 0)} not)"

    rows: list[tuple[str, Callable[[Any], str]]] = [
        ("documents stored", lambda r: str(r.documents)),
        ("labelled pairs", lambda r: str(r.labelled_pairs)),
        ("  of which reuse (copy, excerpt)", lambda r: str(r.gold_reuse)),
        ("reported reuse pairs labelled", lambda r: str(r.reported_labelled)),
        ("reported reuse pairs not labelled", lambda r: str(r.reported_unlabelled)),
        ("reuse-pair precision", lambda r: f(r.precision)),
        ("  counting unlabelled as wrong", lambda r: f(r.precision_conservative)),
        ("reuse-pair recall", lambda r: f(r.recall)),
        ("  of pairs of two stored articles", lambda r: f(r.recall_stored)),
        ("precision / recall, labels not marked borderline",
         lambda r: f"{f(r.precision_clear)} / {f(r.recall_clear)}"),
        ("direction accuracy (pairs)", lambda r: f"{f(r.direction_accuracy)} ({r.direction_total})"),
        ("  misses: wrong / undirected", lambda r: f"{r.direction_wrong} / {r.direction_undirected}"),
        ("family ARI (documents)", lambda r: f"{f(r.ari)} ({r.ari_documents})"),
        *((("sentence alignment P/R/F1", alignment),
           ("  pairs scored (not verified)", aligned_pairs))
          if any(r.alignment is not None for r in results) else ()),
        *((f"{k} precision", lambda r, k=k: flag(r, k)) for k in FLAG_KINDS),
        ("detect seconds", lambda r: f"{r.detect_seconds:.1f}"),
    ]
    for name, get in rows:
        t.add_row(name, *(get(r) for r in results))
    console.print(t)
    if split != "all":
        console.print(safe(f"Scored: {SPLITS[split]}.", style="bold"))
    if any(r.alignment is not None for r in results):
        how = ("Sentence alignment: gold links are the WMT segments (paragraphs where WMT groups several) "
               "two documents both hold; newstrace links a pair of them when its sentence links cover "
               "most of the characters of both; over the labelled translated pairs it verified.")  # fmt: skip
        console.print(safe(how, style="dim"))
    pooled = results[-1]
    relations = ("duplicate", "derived", "partial", "related", "unrelated", "not proposed", "not stored")
    c = Table(title=safe(f"Relation by label ({pooled.corpus})"))
    c.add_column("label")
    for rel in relations:
        c.add_column(rel.replace(" ", "\n"), justify="right")
    for lab in LABELS:
        row = pooled.confusion.get(lab, {})
        c.add_row(lab, *(str(row.get(rel, 0)) for rel in relations))
    console.print(c)
    where = f"Unlabelled reported pairs and flags, and the wrong verdicts, are listed in {work}/."
    console.print(safe(where, style="dim"))


@eval_.command("pan")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--lexical", is_flag=True, help="Align without the semantic layer.")
@click.option("--json", "as_json", is_flag=True, help="Print the measures per kind as JSON.")
@_boundary
def eval_pan(corpus_dir: str, lexical: bool, as_json: bool) -> None:
    """PAN text-alignment measures (precision, recall, granularity, plagdet) per obfuscation kind."""
    from newstrace.align.semantic import encoder_error, load_encoder
    from newstrace.evaluation.run import evaluate_pan

    encoder = None if lexical else load_encoder()
    if not lexical and encoder is None:
        err_console.print(safe(f"{encoder_error()}; evaluating lexically", style="yellow"))
    with Progress(
        TextColumn("[bold]eval"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=as_json or not err_console.is_terminal,
    ) as progress:
        task = progress.add_task("eval", total=None)

        def on_pair(i: int, n: int) -> None:
            progress.update(task, completed=i, total=n)

        try:
            scores = evaluate_pan(corpus_dir, encoder=encoder, on_pair=on_pair)
        except FileNotFoundError as exc:
            raise ConfigError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps({k: v.to_dict() for k, v in scores.items()}, indent=2))
        return
    table = Table(
        title=f"PAN text alignment, {'lexical' if encoder is None else 'lexical + semantic'}"
    )
    for col in (
        "obfuscation",
        "plagdet",
        "precision",
        "recall",
        "granularity",
        "cases",
        "detections",
    ):
        table.add_column(col, justify="right" if col != "obfuscation" else "left")
    for kind, sc in scores.items():
        d = sc.to_dict()
        table.add_row(
            safe(kind),
            *(f"{d[k]:.3f}" for k in ("plagdet", "precision", "recall", "granularity")),
            str(d["cases"]),
            str(d["detections"]),
            style="bold" if kind == "all" else None,
        )
    console.print(table)


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


@main.command()
@click.option(
    "--limit", default=100, show_default=True, type=click.IntRange(1), help="Show at most this many."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print them as JSON: a list of {path, reason, kind}."
)
@click.pass_context
@_boundary
def rejections(ctx: click.Context, limit: int, as_json: bool) -> None:
    """List inputs that ingest rejected, newest first, with the reason.

    Pages skipped as no article are listed too (kind NotArticleError).
    """
    with _open_store(ctx, readonly=True) as store:
        rows = store.rejections(limit=limit)
    if as_json:
        click.echo(
            safe_json([{"path": r.path, "reason": r.reason, "kind": r.kind} for r in rows], indent=2)
        )
        return
    for r in rows:
        # One line each, never wrapped: paths are copied from here.
        console.print(safe(f"{r.path}: {r.reason}"), highlight=False, soft_wrap=True)
    if not rows:
        console.print("No rejected inputs.")


if __name__ == "__main__":  # pragma: no cover
    main()
