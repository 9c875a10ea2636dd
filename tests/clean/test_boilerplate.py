"""Chrome removal on outlets other than the seeds': generic rules and the outlet learner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.clean.boilerplate import chrome_reason, learn_outlet_chrome, remove_outlet_chrome
from newstrace.pipeline import ingest
from newstrace.store import Store

STORIES = [
    "Floods closed the river road on Monday after three days of rain, police said.",
    "The school board approved a new reading programme for primary pupils.",
    "A local bakery won the regional bread prize for the second year running.",
    "Council workers began repairing the old bridge, which has been closed since May.",
    "The football club announced that its stadium will host a charity concert.",
]


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Share on WhatsApp",
        "Tweet",
        "Leave a comment",
        "12 Comments",
        "View all comments",
        "Join the conversation",
        "Subscribe to our newsletter",
        "Sign up for the Morning Briefing",
        "Support independent journalism",
        "Become a member of The Lantern",
        "Related articles",
        "You may also like",
        "Tags: floods, weather",
        "Copyright © 2020 Harbour Herald Ltd",
        "All rights reserved.",
        "For press inquiries contact news@harbourherald.example",
        "Disclaimer: The views in this post belong to the author alone.",
        "The views expressed in this article are those of the author and do not reflect the "
        "official policy of the Harbour Herald.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "Follow us on Twitter",
        "Facebook | Twitter | Email",
        "Advertisement",
    ],
)
def test_generic_chrome_is_recognised(line: str) -> None:
    assert chrome_reason(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        *STORIES,
        "Share prices fell sharply after the announcement, analysts said.",
        "Comments by the minister drew criticism from opposition parties on Tuesday.",
        "Subscribers to the service will pay more from January, the company said.",
        '"We will support the families affected," the mayor said.',
    ],
)
def test_article_sentences_are_kept(line: str) -> None:
    assert chrome_reason(line) is None


def _outlet_docs(footer: list[str], header: list[str] | None = None) -> list[str]:
    return [
        "\n".join([*(header or []), s, "Second paragraph about it. " + s, *footer]) for s in STORIES
    ]


def test_learner_finds_two_outlets_chrome_without_rules() -> None:
    herald = _outlet_docs(
        ["Tip the Herald team: we read every message we get"],
        header=["Harbour Herald - local news since 1901"],
    )
    lantern = _outlet_docs(
        [
            "Lantern readers keep this site alive, thank you",
            "The Lantern is produced by volunteers in Eastbridge",
        ]
    )
    for outlet, docs, chrome in (
        (
            "Harbour Herald",
            herald,
            {
                "tip the herald team we read every message we get",
                "harbour herald local news since 1901",
            },
        ),
        (
            "The Lantern",
            lantern,
            {
                "lantern readers keep this site alive thank you",
                "the lantern is produced by volunteers in eastbridge",
            },
        ),
    ):
        learned = learn_outlet_chrome(outlet, docs)
        assert set(learned.keys) == chrome
        for doc in docs:
            text, removed = remove_outlet_chrome(doc, learned)
            assert len(removed) == len(chrome)
            assert any(s in text for s in STORIES)


def test_learner_spares_reposts_and_quotes() -> None:
    # The same article posted three times: its lines recur, but they are the article.
    repost = "\n".join(STORIES)
    learned = learn_outlet_chrome("Echo", [repost, repost, repost, *STORIES])
    for doc in (repost,):
        text, removed = remove_outlet_chrome(doc, learned)
        assert text == doc and removed == []
    # A long quotation reused by 3 of 100 articles is not chrome.
    quote = (
        '"We will rebuild the bridge, we will reopen the road and we will make sure that '
        'the families who lost their homes are not forgotten," the minister said.'
    )
    docs = [
        f"Story number {i} opens here.\n{quote if i < 3 else 'Other text.'}" for i in range(100)
    ]
    assert quote not in {k for k in learn_outlet_chrome("Wire", docs).keys}


def test_outlet_chrome_learned_across_store(tmp_path: Path, store: Store) -> None:
    p = tmp_path / "herald.jsonl"
    footer = "Harbour Herald is an independent paper owned by its readers"
    p.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"h{i}",
                    "outlet": "Harbour Herald",
                    "url": f"https://herald.example/{i}",
                    "text": f"{s}\nMore detail on this. {s}\n{footer}",
                }
            )
            for i, s in enumerate(STORIES)
        )
    )
    report = ingest([p], store)
    assert report.recleaned == len(STORIES)
    for _, doc in store.iter_documents():
        assert footer not in doc.text
        assert footer in doc.boilerplate
    assert store.outlet_chrome("Harbour Herald")
