"""README, Ingest: "Folders are read recursively", and each document's stable content-derived id
takes "a JSONL/JSON/CSV record's own id, so that a story sent twice stays two documents"."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from newstrace.pipeline import ingest
from newstrace.store import Store


def _story(n: int) -> str:
    return (
        f"Story {n}: the harbour authority said on Monday that berth {n} would close for repairs "
        f"until the spring, and that {n * 40} ships a year would be sent to the northern quay.\n\n"
        f"Dock workers' representatives said they had not been consulted about berth {n}, and "
        "asked the authority to publish the engineers' report before any work began."
    )


def test_folders_are_read_recursively(tmp_path: Path, store: Store) -> None:
    top = tmp_path / "scraped"
    deep = top / "2016" / "09"  # two levels below the folder given
    deep.mkdir(parents=True)
    (top / "top.txt").write_text(_story(1))
    (top / "2016" / "middle.txt").write_text(_story(2))
    (deep / "deep.txt").write_text(_story(3))
    (deep / "deep.jsonl").write_text(json.dumps({"id": "d4", "outlet": "Wire", "text": _story(4)}) + "\n")
    deeper = deep / "a" / "b"
    deeper.mkdir(parents=True)
    (deeper / "deepest.html").write_text(
        "<html><head><title>Berth five</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in _story(5).split("\n\n"))
        + "</article></body></html>"
    )
    report = ingest([top], store)
    assert report.rejected == []
    assert report.files == 5 and report.added == 5
    read = {Path(d.source_path or "").name for _, d in store.iter_documents()}
    assert read == {"top.txt", "middle.txt", "deep.txt", "deep.jsonl:1", "deepest.html"}
    texts = " ".join(d.text for _, d in store.iter_documents())
    for n in range(1, 6):
        assert f"Story {n}:" in texts


def _records(fmt: str, records: list[dict[str, str]]) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(r) + "\n" for r in records)
    if fmt == "json":
        return json.dumps(records)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(records[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_a_story_sent_twice_with_its_own_ids_stays_two_documents(
    tmp_path: Path, store: Store, fmt: str
) -> None:
    # A wire story sent twice: the same outlet, the same text, no URL; only the records' own ids
    # differ. Then the same record (own id included) given a second time.
    sent = {"outlet": "Reuters", "title": "Harbour berth to close", "text": _story(7)}
    p = tmp_path / f"wire.{fmt}"
    p.write_text(_records(fmt, [{"id": "w-1", **sent}, {"id": "w-2", **sent}, {"id": "w-1", **sent}]))
    report = ingest([p], store)
    assert report.rejected == []
    assert (report.added, report.unchanged) == (2, 1)
    docs = [d for _, d in store.iter_documents()]
    assert sorted(d.input_id or "" for d in docs) == ["w-1", "w-2"]
    assert docs[0].id != docs[1].id
    assert docs[0].text == docs[1].text
    assert all(d.version == 1 and d.supersedes is None for d in docs)
    assert report.ids[0] != report.ids[1] and report.ids[2] == report.ids[0]

    # stable: the same input read again is the same two documents, nothing added
    again = ingest([p], store)
    assert (again.added, again.versions, again.unchanged) == (0, 0, 3)
    assert again.ids == report.ids
    assert store.count() == 2


def test_a_story_sent_twice_under_one_url_still_stays_two_documents(tmp_path: Path, store: Store) -> None:
    sent = {"outlet": "Reuters", "url": "https://wire.example/berth", "text": _story(8)}
    p = tmp_path / "wire.jsonl"
    p.write_text(_records("jsonl", [{"id": "w-1", **sent}, {"id": "w-2", **sent}]))
    report = ingest([p], store)
    assert report.rejected == []
    assert report.documents == 2 and len(set(report.ids)) == 2
    assert store.count() == 2


def test_records_without_their_own_id_sent_twice_are_one_document(tmp_path: Path, store: Store) -> None:
    # The other side of the rule: without a record's own id, the id is over outlet, URL and
    # text only, so the same story twice is the same document (re-ingest is a no-op).
    sent = {"outlet": "Reuters", "text": _story(9)}
    p = tmp_path / "wire.jsonl"
    p.write_text(_records("jsonl", [sent, sent]))
    report = ingest([p], store)
    assert report.rejected == []
    assert (report.added, report.unchanged) == (1, 1)
    assert store.count() == 1
