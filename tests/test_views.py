"""Page data (newstrace.views): a story family's readable name, the families and outlets indexes,
a pair's links; and the name used the same way by the CLI and the corpus report."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from newstrace.cli import main
from newstrace.errors import ConfigError, NotFoundError
from newstrace.store import Store
from newstrace.views import (
    families_count,
    families_page,
    family_name,
    family_names,
    outlets_page,
    pair_links,
)
from tests.web.conftest import build_families_store

CLINTON = "Bill Clinton: 'Natural' for foundation donors to seek favors"
ZEBRA = "Zebra copy: the IT guy asked Reddit"
JOYOUS = "A Joyous Trump Cheers About NYC Bombing"
PUTIN = (
    "Putin: Trump Different than on TV, We Can Restore Relations with US. There is an Understanding"
)


def test_family_name_prefers_the_origin_then_the_first_dated_title_then_the_id() -> None:
    members = [
        ("copy-b", "Second copy", "2017-07-11"),
        ("origin", "  The   origin's\nheadline ", "2017-07-09"),
        ("copy-a", "First copy", "2017-07-10"),
    ]
    assert family_name("origin", members) == "The origin's headline"
    untitled = [(i, None if i == "origin" else t, p) for i, t, p in members]
    assert family_name("origin", untitled) == "First copy"
    undated = [("origin", "", None), ("z", "Undated copy", None), ("y", "  ", "2017-07-10")]
    assert (
        family_name("origin", undated) == "Undated copy"
    )  # a dated member with a blank title is skipped
    assert family_name("origin", [("origin", None, None), ("x", " ", "2017-01-01")]) == "origin"
    assert family_name("gone", []) == "gone"


def test_family_name_cuts_long_headlines_at_a_word() -> None:
    long = "Word " * 60
    name = family_name("a", [("a", long, None)], max_chars=40)
    assert name.endswith("…") and len(name) <= 40 and name[:-1].strip() == name[:-1]
    assert set(name[:-1].split()) == {"Word"}
    with pytest.raises(ConfigError, match="at least 10"):
        family_name("a", [], max_chars=3)


@given(
    st.lists(
        st.tuples(
            st.text("abcdef", min_size=1, max_size=4),
            st.none() | st.text(max_size=300),
            st.none() | st.dates().map(lambda d: d.isoformat()),
        ),
        max_size=8,
    ),
    st.integers(10, 200),
)
def test_family_name_is_one_short_line_from_a_title_or_the_id(
    members: list[Any], limit: int
) -> None:
    family = members[0][0] if members else "fam"
    name = family_name(family, members, max_chars=limit)
    assert name and len(name) <= max(limit, len(family)) and "\n" not in name
    titles = [" ".join((t or "").split()) for _, t, _ in members]
    assert name == family or any(
        t.startswith(name.rstrip("…").rstrip(" ,;:-")) for t in titles if t
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_families_store(tmp_path_factory.mktemp("views"))


def test_families_page_sorts_pages_and_names(db: Path) -> None:
    with Store(db, readonly=True) as s:
        assert families_count(s) == 4
        by_size = families_page(s)
        assert (by_size[0]["name"], by_size[0]["size"]) == (CLINTON, 3)
        assert [r["size"] for r in by_size] == [3, 2, 2, 2]
        assert [r["name"] for r in families_page(s, sort="name")] == [JOYOUS, CLINTON, PUTIN, ZEBRA]
        assert [r["name"] for r in families_page(s, sort="name", descending=True)] == [
            ZEBRA,
            PUTIN,
            CLINTON,
            JOYOUS,
        ]
        assert [r["name"] for r in families_page(s, sort="date")] == [PUTIN, ZEBRA, CLINTON, JOYOUS]
        assert [r["name"] for r in families_page(s, sort="date", descending=False)] == [
            CLINTON,
            ZEBRA,
            PUTIN,
            JOYOUS,
        ]
        page2 = families_page(s, sort="name", limit=2, offset=2)
        assert [r["name"] for r in page2] == [PUTIN, ZEBRA]
        assert families_page(s, offset=10) == []
        clinton = by_size[0]
        assert (clinton["first_published"], clinton["last_published"]) == (
            "2016-09-20",
            "2016-09-22",
        )
        assert clinton["outlets"] == ["CNN", "Mirror One", "Mirror Two"]
        zebra = next(r for r in by_size if r["name"] == ZEBRA)
        assert zebra["origin_title"] is None and zebra["origin_outlet"] == "Eagle Rising"
        joyous = next(r for r in by_size if r["name"] == JOYOUS)
        assert joyous["outlets"] == ["Occupy Democrats", None] and joyous["first_published"] is None
        assert family_names(s, [r["family"] for r in by_size]) == {
            r["family"]: r["name"] for r in by_size
        }
        assert family_names(s, ["nosuchfamily"]) == {"nosuchfamily": "nosuchfamily"}
        with pytest.raises(ConfigError, match="sort must be one of size, date, name"):
            families_page(s, sort="colour")


def test_outlets_page_counts_reuse_in_and_out(db: Path) -> None:
    with Store(db, readonly=True) as s:
        rows = {r["outlet"]: r for r in outlets_page(s)}
        assert rows["Mirror One"] == {"outlet": "Mirror One", "articles": 2, "derived": 1,
                                      "derived_share": 0.5, "copied": 1}  # fmt: skip
        assert (rows[None]["articles"], rows[None]["derived"], rows[None]["copied"]) == (2, 2, 0)
        assert (rows["Global Research"]["copied"], rows["Right Wing News"]["copied"]) == (1, 0)
        # Reuse out equals reuse in, summed over outlets: every best-source edge counted once each way.
        assert (
            sum(r["copied"] for r in rows.values()) == sum(r["derived"] for r in rows.values()) == 4
        )
        names = [r["outlet"] for r in outlets_page(s, sort="name")]
        assert names[0] == "CNN" and names[-1] is None
        names_desc = [r["outlet"] for r in outlets_page(s, sort="name", descending=True)]
        assert names_desc[0] == "Right Wing News" and names_desc[-1] is None
        assert [r["copied"] for r in outlets_page(s, sort="copied")][:5] == [1, 1, 1, 1, 0]
        shares = [r["derived_share"] for r in outlets_page(s, sort="share")]
        assert shares == sorted(shares, reverse=True)
        with pytest.raises(ConfigError, match="sort must be one of"):
            outlets_page(s, sort="size")


def test_pair_links_name_both_families_and_refuse_unknown_ids(db: Path) -> None:
    with Store(db, readonly=True) as s:
        fam = next(r for r in families_page(s) if r["name"] == ZEBRA)
        members = [r["doc_id"] for r in s.family_members(fam["family"])]
        origin = fam["family"]
        copy = next(m for m in members if m != origin)
        links = pair_links(s, origin, copy)
        assert links["source"]["id"] == origin and links["derivative"]["id"] == copy
        assert links["source"]["family"] == links["derivative"]["family"] == origin
        assert links["source"]["family_name"] == ZEBRA and links["source"]["title"] is None
        assert links["derivative"]["outlet"] == "Mirror One"
        with pytest.raises(NotFoundError):
            pair_links(s, origin, "nosuchdocument")


def _run(*args: str) -> str:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def test_cli_and_corpus_report_name_families_the_same_way(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newstrace import cli

    monkeypatch.setattr(cli.console, "_width", 200)  # one table row per family
    fams = json.loads(_run("--db", str(db), "families", "--json"))
    assert fams[0]["name"] == CLINTON
    assert {f["name"] for f in fams} == {CLINTON, ZEBRA, JOYOUS, PUTIN}
    table = _run("--db", str(db), "families")
    zebra_row = next(line for line in table.splitlines() if ZEBRA in line)
    assert re.search(
        r"[0-9a-f]{16} │ Zebra copy: the IT guy asked Reddit +│ +2 │ Eagle Rising; Mirror One",
        zebra_row,
    )
    with Store(db, readonly=True) as s:
        zebra = next(r["family"] for r in families_page(s) if r["name"] == ZEBRA)
    tree = json.loads(_run("--db", str(db), "trace", zebra, "--json"))
    assert tree["name"] == ZEBRA and tree["family"] == zebra
    assert f"story family “{ZEBRA}” (2 articles, {zebra})" in _run("--db", str(db), "trace", zebra)
    out = tmp_path / "report.html"
    _run("--db", str(db), "report", "--out", str(out))
    summaries = re.findall(r"<details id='fam-[^']+'><summary>(.*?) <span", out.read_text())
    assert sorted(summaries) == sorted([CLINTON.replace("'", "&#x27;"), ZEBRA, JOYOUS, PUTIN]), (
        summaries
    )
