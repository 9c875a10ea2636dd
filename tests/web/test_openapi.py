"""``/openapi.json`` (README, See it): the web app serves it, it lists every route of the JSON
API that the README names, with their parameters, and no HTML page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newstrace.pipeline import ingest
from newstrace.store import Store

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from newstrace.web import create_app

ROOT = Path(__file__).resolve().parents[2]


def _shape(path: str) -> str:
    """A route's path with its parameters unnamed: ``/api/documents/{}``."""
    return re.sub(r"\{[^}]*\}", "{}", path.split("?")[0])


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = tmp_path_factory.mktemp("api") / "s.db"
    with Store(db) as store:
        ingest([ROOT / "examples" / "seeds"], store)
    app = create_app(db)
    return TestClient(app, base_url="http://127.0.0.1")


def test_openapi_json_lists_the_api_routes_the_readme_names(client: TestClient) -> None:
    r = client.get("/openapi.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    spec = r.json()
    assert spec["openapi"].startswith("3.") and spec["info"]["title"] == "newstrace"
    listed = {_shape(p): ops for p, ops in spec["paths"].items()}
    # Every JSON route of the app is described, and only those (no HTML page).
    routes = {
        _shape(getattr(route, "path", ""))
        for route in client.app.routes  # type: ignore[attr-defined]
        if getattr(route, "path", "").startswith("/api/")
    }
    assert set(listed) == routes
    assert all(set(ops) == {"get"} and "200" in ops["get"]["responses"] for ops in listed.values())
    # The README's list of the API (and /api/alerts, from its watch section).
    readme = " ".join((ROOT / "README.md").read_text().split())
    named = readme[readme.index("A JSON API serves the same data") : readme.index("described by `/openapi.json`")]
    paths = {_shape(p) for p in re.findall(r"`(/api/[^`]*)`", named)} | {"/api/alerts"}
    assert len(paths) == 11 and paths <= set(listed)
    params = {p: {x["name"]: x["schema"] for x in ops["get"].get("parameters", [])} for p, ops in listed.items()}
    assert {"q", "outlet", "from", "to", "limit"} <= set(params["/api/search"])
    assert {"a", "b"} <= set(params["/api/compare"])
    assert params["/api/families"]["sort"]["pattern"] == "^(size|date|name)$"
    assert params["/api/outlets"]["sort"]["pattern"] == "^(articles|derived|copied|share|name)$"


def test_every_listed_route_without_parameters_answers(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        required = [x for x in ops["get"].get("parameters", []) if x.get("required")]
        if not required:
            assert client.get(path).status_code == 200, path
    doc_id = client.get("/api/documents").json()[0]["id"]
    assert client.get(f"/api/documents/{doc_id}").status_code == 200
    assert client.get("/api/search", params={"q": "Tillerson"}).json()
