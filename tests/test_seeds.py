"""The seed pair (examples/seeds): what issue 2 says ingest must find."""

from __future__ import annotations

from pathlib import Path

from newstrace.pipeline import ingest
from newstrace.store import Store


def _by_name(store: Store) -> dict[str, object]:
    return {Path(d.source_path or "").name: d for _, d in store.iter_documents()}


def test_seed_pair_ingest(seeds_dir: Path, store: Store) -> None:
    report = ingest([seeds_dir], store)
    assert report.added == 2 and not report.rejected
    docs = _by_name(store)
    blog = docs["000_b532a79fb36ebd07.txt"]
    rt = docs["001_56b3779ae79152f8.txt"]

    # 000: credits RT, no share/comment chrome, body intact.
    assert [a.credited for a in blog.attributions] == ["RT"]
    assert blog.attributions[0].evidence == "Source: RT"
    assert blog.raw[blog.attributions[0].start : blog.attributions[0].end] == "Source: RT"
    for chrome in ("Leave a Reply", "Pin It on Pinterest", "Source: RT"):
        assert chrome not in blog.text
    assert blog.title == "Putin: Trump Very Different in Person, Restoration of Relations Possible"
    assert blog.text.startswith("Mr. Putin noted the man he spent two-and-a-half hours")
    assert "Ironically, the Russian president said" in blog.text
    assert blog.text.endswith("since Inauguration Day.")

    # 001: credits RT, dated 2017-07-09, outlet inferred from its own chrome, chrome gone.
    assert "RT" in [a.credited for a in rt.attributions]
    assert rt.published == "2017-07-09"
    assert rt.outlet == "Global Research"
    assert rt.author == "RT News"
    for chrome in (
        "Disclaimer",
        "fair use",
        "Become a Member",
        "publications@globalresearch.ca",
        "Comment on Global Research",
        "The original source of this article",
        "Region:",
    ):
        assert chrome not in rt.text, chrome
    assert rt.text.startswith("The Donald Trump seen on television is different")
    assert "Mr Tillerson is a very respected person" in rt.text
    assert rt.text.endswith('whatever he discussed with Vladimir Putin," he said.')
    assert "**" not in rt.text and "<u>" not in rt.text


def test_seed_reingest_is_noop(seeds_dir: Path, store: Store) -> None:
    ingest([seeds_dir], store)
    again = ingest([seeds_dir], store)
    assert again.added == 0 and again.unchanged == 2
    assert store.count() == 2


def test_outlet_override(seeds_dir: Path, store: Store) -> None:
    ingest([seeds_dir / "000_b532a79fb36ebd07.txt"], store, outlet="Some Blog", date="2017-07-10")
    (doc,) = [d for _, d in store.iter_documents()]
    assert doc.outlet == "Some Blog"
    assert doc.published == "2017-07-10"
