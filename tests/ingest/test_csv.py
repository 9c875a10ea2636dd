"""CSV never splits a row: every row is one document or one rejection that names it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.errors import InputError
from newstrace.ingest import read_path
from newstrace.models import RawDocument
from newstrace.pipeline import ingest
from newstrace.store import Store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "eval" / "real" / "data" / "fakenewscorpus-sample.csv"

PROSE = (
    "The council met on Tuesday, and members said the plan, which has been debated for years, "
    "would go ahead; the mayor called it \"a turning point\" for the city's transport."
)


def _q(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _rows(path: Path, **kw: object) -> list[RawDocument | InputError]:
    return list(read_path(path, **kw))  # type: ignore[arg-type]


def test_readme_route_gives_one_result_per_row(tmp_path: Path) -> None:
    """The FakeNewsCorpus sample (quoted prose with "" escapes and newlines) read as the README says."""
    out = _rows(SAMPLE, field_map={"text": "content", "outlet": "domain"})
    docs = [x for x in out if isinstance(x, RawDocument)]
    assert len(out) == 250 and len(docs) == 250
    assert all(d.outlet and "." in d.outlet and " " not in d.outlet for d in docs)
    with Store(tmp_path / "s.db") as store:
        report = ingest([SAMPLE], store, field_map={"text": "content", "outlet": "domain"})
        # Headline-only rows and error pages are skipped as non-articles, each naming its line.
        assert report.added + len(report.rejected) + len(report.skipped) == 250
        assert all("row " in r.reason for r in report.rejected)
        assert all(r.path.rsplit(":", 1)[1].isdigit() for r in report.skipped)


def test_hostile_rows(tmp_path: Path) -> None:
    lines = [
        "id,outlet,title,text",
        f"1,Gazette,{_q('A, B and C')},{_q(PROSE)}",
        f"2,Gazette,Multi,{_q(PROSE + chr(10) + chr(10) + 'Second paragraph, with a comma.')}",
        f"3,Gazette,Long,{_q(PROSE * 400)}",
        f"4,Gazette,Extra,{_q(PROSE)},surplus",  # one field too many
        "5,Gazette,Short",  # one too few
        f'6,Gazette,Broken,"{PROSE} the closing quote is missing',
        f"7,Gazette,After,{_q(PROSE)}",
    ]
    p = tmp_path / "hostile.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = _rows(p)
    docs = {d.input_id: d for d in out if isinstance(d, RawDocument)}
    errors = [str(e) for e in out if isinstance(e, InputError)]
    assert set(docs) == {"1", "2", "3", "7"}, (sorted(docs), errors)
    assert docs["1"].raw == PROSE and docs["1"].title == "A, B and C"
    assert "Second paragraph, with a comma." in docs["2"].raw
    assert len(docs["3"].raw) == len(PROSE) * 400
    # 4 and 5 are rejected by number, 6 (an unescaped quote inside a quoted field) too, and
    # reading goes on after each: 7 is read.
    assert any(e.startswith("row 4 ") and "5 fields" in e for e in errors), errors
    assert any(e.startswith("row 5 ") and "3 fields" in e for e in errors), errors
    assert any(e.startswith("row 6 ") for e in errors), errors
    assert "7" in docs and len(docs) + len(errors) == 7


def test_unclosed_quote_names_the_lines_it_swallows(tmp_path: Path) -> None:
    p = tmp_path / "open.csv"
    p.write_text(f'id,text\n1,{_q(PROSE)}\n2,"never closed, and\n3,{_q(PROSE)}\n4,{_q(PROSE)}\n')
    out = _rows(p)
    errors = [str(e) for e in out if isinstance(e, InputError)]
    assert [d.input_id for d in out if isinstance(d, RawDocument)] == ["1", "4"]
    assert errors and errors[0].startswith("row 2 (lines 3-4)"), errors


@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_delimiters_and_bom(tmp_path: Path, delim: str) -> None:
    p = tmp_path / ("x.tsv" if delim == "\t" else "x.csv")
    body = delim.join(["id", "text"]) + "\r\n" + delim.join(["k1", _q(PROSE)]) + "\r\n"
    p.write_bytes(b"\xef\xbb\xbf" + body.encode())
    (doc,) = _rows(p)
    assert isinstance(doc, RawDocument) and doc.input_id == "k1" and doc.raw == PROSE


def test_nul_byte_is_dropped_not_a_lost_file(tmp_path: Path) -> None:
    p = tmp_path / "nul.csv"
    p.write_bytes(b'id,text\n1,"' + PROSE.replace('"', '""').encode() + b'"\n2,"bad\x00row"\n3,"'
                  + PROSE.replace('"', '""').encode() + b'"\n')  # fmt: skip
    out = _rows(p)
    assert [d.input_id for d in out if isinstance(d, RawDocument)] == ["1", "2", "3"]
    assert out[1].raw == "badrow"  # type: ignore[union-attr]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\n\t\"',;"),
                        min_size=1, max_size=80), min_size=1, max_size=12))  # fmt: skip
def test_any_quoted_fields_round_trip(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    """Whatever the prose holds (quotes, commas, newlines), each written row reads back whole."""
    p = tmp_path_factory.mktemp("csv") / "p.csv"
    p.write_text("id,text\n" + "".join(f"r{i},{_q(t)}\n" for i, t in enumerate(texts)), encoding="utf-8",
                 newline="")  # fmt: skip
    out = _rows(p)
    assert len(out) == sum(1 for t in texts if t.strip()) or len(out) == len(texts)
    for x in out:
        if isinstance(x, RawDocument):
            i = int(x.input_id[1:])  # type: ignore[index]
            assert x.raw == texts[i].strip()
        else:
            assert "row " in str(x)
