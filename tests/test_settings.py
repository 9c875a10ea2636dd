"""Settings precedence through the CLI (README, Ingest): shipped defaults, then
``./newstrace.toml`` (or ``$XDG_CONFIG_HOME/newstrace/config.toml``), then ``NEWSTRACE_*``
environment variables, then flags; each layer beats the one below it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newstrace.cli import main

ARTICLE = "Ferry service cut\n\n" + " ".join(
    f"Sentence {i} of a story about the island ferry, long enough to make the file weigh something."
    for i in range(60)
)  # about 5.7 kB


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with one article, no user file and no NEWSTRACE_* variables."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "story.txt").write_text(ARTICLE)
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for var in ("NEWSTRACE_CONFIG", "NEWSTRACE_DB", "NEWSTRACE_MAX_FILE_BYTES", "NEWSTRACE_BATCH_SIZE"):
        monkeypatch.delenv(var, raising=False)
    return work


def ingest(*flags: str, env: dict[str, str] | None = None) -> dict:
    r = CliRunner().invoke(main, ["ingest", "story.txt", "--json", *flags], env=env)
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.stdout)


def stores(work: Path) -> list[str]:
    return sorted(p.name for p in work.glob("*.db"))


def outcome(report: dict) -> tuple[str, str]:
    """Which store the run used, and whether the 5.7 kB file was within the size limit."""
    if report["added"] == 1:
        return report["store"], "accepted"
    assert [r["kind"] for r in report["rejected"]] == ["TooLargeError"]
    return report["store"], "too large"


def test_each_layer_of_settings_beats_the_one_below(place: Path, tmp_path: Path) -> None:
    work = place
    # Shipped defaults: ./newstrace.db, 20 MB.
    assert outcome(ingest()) == ("newstrace.db", "accepted")
    # The XDG user file beats the defaults.
    xdg = tmp_path / "xdg" / "newstrace" / "config.toml"
    xdg.parent.mkdir(parents=True)
    xdg.write_text('db = "xdg.db"\nmax_file_bytes = 1000\n')
    assert outcome(ingest()) == ("xdg.db", "too large")
    # ./newstrace.toml is read instead of it.
    (work / "newstrace.toml").write_text('db = "local.db"\nmax_file_bytes = 100000\n')
    assert outcome(ingest()) == ("local.db", "accepted")
    # The environment beats the file.
    env = {"NEWSTRACE_DB": "env.db", "NEWSTRACE_MAX_FILE_BYTES": "2k"}
    assert outcome(ingest(env=env)) == ("env.db", "too large")
    # Flags beat the environment (--db before or after the command's name).
    assert outcome(ingest("--db", "flag.db", "--max-size", "1MB", env=env)) == ("flag.db", "accepted")
    r = CliRunner().invoke(main, ["--db", "flag2.db", "ingest", "story.txt", "--json"], env=env)
    assert outcome(json.loads(r.stdout)) == ("flag2.db", "too large")  # the size from the env
    assert stores(work) == ["env.db", "flag.db", "flag2.db", "local.db", "newstrace.db", "xdg.db"]
