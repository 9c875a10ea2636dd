"""README, See it: "a token off loopback (`--token` or `NEWSTRACE_TOKEN`)": the token taken from
the environment, through the command line as a user runs it (``newstrace serve`` in a process of
its own, listening beyond loopback)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.web.conftest import ROOT, free_port

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

TEXT = (
    "The harbour authority said on Monday that the northern berth would close for repairs until "
    "the spring.\n\nDock workers said they had not been consulted and asked for the engineers' report."
)
START_S = 180  # a cold interpreter importing the web stack on a busy 2-core machine


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from newstrace.pipeline import ingest
    from newstrace.store import Store

    d = tmp_path_factory.mktemp("token-env")
    (d / "a.txt").write_text(TEXT)
    with Store(d / "s.db") as store:
        assert ingest([d / "a.txt"], store).added == 1
    return d / "s.db"


def _env(token: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSTRACE_TOKEN"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    env["PYTHONUNBUFFERED"] = "1"
    if token is not None:
        env["NEWSTRACE_TOKEN"] = token
    return env


@contextmanager
def serving(db: Path, port: int, env: dict[str, str], *flags: str) -> Iterator[dict[str, str]]:
    """``newstrace serve --host 0.0.0.0`` until it answers on 127.0.0.1; stopped afterwards,
    when the dictionary yielded gets what it printed (``out``, ``err``)."""
    cmd = [sys.executable, "-m", "newstrace", "--db", str(db), "serve", "--host", "0.0.0.0",
           "--port", str(port), *flags]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    printed: dict[str, str] = {}
    try:
        deadline = time.monotonic() + START_S
        while True:
            if proc.poll() is not None:
                out, err = proc.communicate()
                raise AssertionError(f"serve exited {proc.returncode}: {out}{err}")
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield printed
    finally:
        proc.terminate()
        try:
            printed["out"], printed["err"] = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            printed["out"], printed["err"] = proc.communicate()


def _status(url: str, token: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return httpx.get(url, headers=headers, timeout=30).status_code


def test_without_a_token_serve_refuses_to_listen_off_loopback(db: Path) -> None:
    port = free_port()
    run = subprocess.run(
        [sys.executable, "-m", "newstrace", "--db", str(db), "serve", "--host", "0.0.0.0", "--port", str(port)],
        env=_env(None), capture_output=True, text=True, timeout=START_S,
    )  # fmt: skip
    assert run.returncode == 2
    assert "give an access token (--token or NEWSTRACE_TOKEN)" in " ".join(run.stderr.split())
    assert "http://" not in run.stdout


def test_newstrace_token_from_the_environment_protects_every_route(db: Path) -> None:
    port = free_port()
    with serving(db, port, _env("env-s3cret")) as printed:
        base = f"http://127.0.0.1:{port}"
        for path in ("/", "/api/documents", "/search?q=harbour", "/openapi.json"):
            assert _status(base + path) == 401, path
            assert _status(base + path, "wrong") == 401, path
            assert _status(base + path, "env-s3cret") == 200, path
        with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as c:
            assert c.get("/api/documents?token=wrong").status_code == 401
            first = c.get("/api/documents?token=env-s3cret")
            assert first.status_code == 200 and first.url.path == "/api/documents"
            assert c.get("/").status_code == 200  # the session cookie from ?token=
    assert f"http://0.0.0.0:{port}/" in printed["out"]


def test_the_token_flag_wins_over_the_environment(db: Path) -> None:
    port = free_port()
    with serving(db, port, _env("env-s3cret"), "--token", "flag-s3cret"):
        url = f"http://127.0.0.1:{port}/api/documents"
        assert _status(url, "flag-s3cret") == 200
        assert _status(url, "env-s3cret") == 401
