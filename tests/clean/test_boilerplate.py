# ruff: noqa: E501
"""Chrome removal on outlets other than the seeds': generic rules and the outlet learner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.clean.boilerplate import (
    chrome_reason,
    learn_edge_blocks,
    learn_outlet_chrome,
    remove_outlet_chrome,
)
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
        "Follow @HarbourHerald",
        "Filed under: World, Europe Tagged: Berlin, floods, rescue operations, army, Elbe, Saxony, "
        "rain, Angela Merkel, disaster relief, insurance, climate",
        "Categories: Local news; Weather; Transport; Schools; Harbour district; Opinion; Sport",
        "Comment Policy: Please keep comments relevant to the topic. Multiple links will send your "
        "comment to the spam folder.",
        "All posts are opinions, shared under the fair use doctrine in Sec. 107 of U.S. Code Title 17.",
        "Get CNN's Party People podcast at CNN, on Stitcher, TuneInRadio, or iTunes.",
        "Listen to the Harbour Hour on Apple Podcasts, Spotify or wherever you get your podcasts",
        # A call to hear the rest of an interview, whatever topics it lists, and a show's blurb.
        "To hear the whole conversation with the mayor, which also covered her childhood in the harbour "
        "district, the tram network she fought for and the flood of 2002, click on http://podcast.example.org.",
        "To hear what the mayor thinks of the new bridge, listen to the Harbour Hour, a new podcast where "
        "two reporters talk to the people who run the city.",
        "Harbour Hour is a new podcast from the Herald where two reporters talk to the people who run the city.",
        # A call to act on a link: a bio's book plug, a mailing list, a report's sample.
        "Jane Doe is an award-winning author. Her new book, Tides of Home, is available at www.tides.example.com",
        "To receive ongoing messages from the author, go to www.janedoe.example.com and request to be added to "
        "the mailing list.",
        "Get Free Sample Report of the Global Widget Market Report Visit @ http://reports.example.com/sample",
        "YOU'RE INVITED! -- Join us for Herald Cocktails on Wednesday evening with the mayor. Doors open at "
        "5:30 p.m. at the Harbour Hotel. RSVP here http://example.com/rsvp",
        "On Wednesday the editors will sit down for a chat with the founders of a start-up for breakfast and "
        "networking. Send us a message at events@herald.example to learn more.",
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
        "Tags: the police said the suspect had been tagged by a camera on the bridge at night.",
        "Topics: the council will discuss the budget, the schools and the bridge repairs on Monday.",
        "Follow the money, the senator said, and you will find who paid for the campaign.",
        "The fair use of public land was the subject of a long debate in the council on Tuesday.",
        "Spotify shares rose 5 percent after Apple cut the price of albums on iTunes.",
        "Listeners who found the show on Spotify complained about the advertisements, the host said.",
        "To hear the band play, fans queued for hours outside the hall, police said.",
        "To watch the debate, millions tuned in and many chose to subscribe to cable for the night.",
        "Serial is a podcast that changed how Americans think about true crime, critics said.",
        "The full report is available at www.who.example.int, the agency said, and shows a rise in cases.",
        "Visitors to the museum can go to the second floor, where the exhibition opens on Monday.",
        "Guests were asked to RSVP by Friday, and about 200 people attended the dinner at the town hall.",
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


# -- blocks that open or close several documents of an outlet ----------------------------------
_NEWS = [
    ["The tram network will reach the northern suburbs by 2030, the transport authority announced.",
     "Commuters welcomed the plan, though shopkeepers fear months of roadworks outside their doors."],
    ["A fire destroyed two warehouses in the harbour overnight; nobody was hurt, firefighters said.",
     "Investigators are examining an electrical fault in the older building as a possible cause."],
    ["Pupils at the grammar school will learn Mandarin from September under a pilot programme.",
     "Teachers were recruited from a partner school in Shanghai, the headmistress explained."],
    ["The museum reopened its Egyptian gallery after a two-year restoration of the painted coffins.",
     "Visitors queued around the block on the first morning, many with young children."],
    ["Councillors approved a budget that cuts library hours but raises spending on street lighting.",
     "The opposition called the library cuts short-sighted and promised to reverse them."],
    ["A rare orchid was found flowering on the railway embankment by a retired botanist.",
     "Rail engineers agreed to pause mowing there until the seeds have ripened in autumn."],
]  # fmt: skip


def _story(i: int) -> list[str]:
    return _NEWS[i % len(_NEWS)]


def test_an_author_bio_at_the_end_of_two_posts_is_chrome() -> None:
    bio = [
        "About the author: I am a mother of four in my mid thirties and I have been told I have some psychic abilities.",
        "This blog is a way for me to organise all my thoughts, and I hope you enjoy reading it.",
    ]
    docs = ["\n".join([*_story(0), *bio]), "\n".join([*_story(1), *bio]), "\n".join(_story(2))]
    chrome = learn_outlet_chrome("Blog", docs)
    text, removed = remove_outlet_chrome(docs[0], chrome)
    assert text == "\n".join(_story(0)) and removed == bio


def test_a_sidebar_of_headlines_opening_two_pages_is_chrome() -> None:
    sidebar = ["11/19/16, 11:37 AM CET", "BY Sarah Wheaton", "Alumni of the White House are ready to fight.",
               "11/19/16, 10:38 AM CET", "BY Ryan Heath", "Dutch minister warns of attacks."]  # fmt: skip
    docs = ["\n".join([*sidebar, *_story(0)]), "\n".join([*sidebar, *_story(3)])]
    text, removed = remove_outlet_chrome(docs[1], learn_outlet_chrome("EU", docs))
    assert text == "\n".join(_story(3)) and removed == sidebar


def test_versions_of_one_story_keep_their_shared_lead() -> None:
    """A wire story sent twice, the second time with a new last paragraph: the lead is the story."""
    lead = _story(4)
    v1 = "\n".join([*lead, "The vote was postponed to next week."])
    v2 = "\n".join([*lead, "The vote was postponed to next week, a spokesman for the budget committee said."])
    chrome = learn_outlet_chrome("Wire", [v1, v2, "\n".join(_story(5))])
    assert remove_outlet_chrome(v1, chrome) == (v1, [])
    assert remove_outlet_chrome(v2, chrome) == (v2, [])


def test_two_copies_of_a_column_keep_their_opening_paragraphs() -> None:
    """One copy cut short after its opening: prose that opens only two documents is no header."""
    opening = [
        "I have been chastised for not making good arguments, because I am not politically correct and considerate of feelings.",
        "I'm from the school of education that believes stupid is as stupid does, and you cannot fix stupid, whatever you try.",
    ]
    full = "\n".join([*opening, *_story(0)])
    cut = "\n".join([*opening, "Read the rest of the story at the author's site."])
    chrome = learn_outlet_chrome("Site", [full, cut, "\n".join(_story(1))])
    assert remove_outlet_chrome(full, chrome)[0] == full


def test_versions_cut_short_after_the_line_that_follows_their_shared_lead_keep_it() -> None:
    """Three sends of one wire story: the lead, then the same next paragraph (one send signs off
    after it), then different amounts of the story. Their rests barely overlap, but they go on
    with the same line: versions, not a header."""
    lead = [
        "TAIPEI, March 3 - The central bank governor rejected a request by textile makers to halt the rise of the currency, a spokesman for the federation said.",
        "He quoted the governor as telling representatives of 19 textile associations that the rate could not be fixed because of pressure from abroad.",
    ]  # fmt: skip
    nxt = "The Federation asked the government on February 19 to hold the exchange rate at that level."
    cut = "\n".join([*lead, nxt + " Reuter"])
    mid = "\n".join([*lead, nxt, "Many exporters were operating without profit and would go out of business, it said. Reuter"])
    full = "\n".join([*lead, nxt, *_story(0), *_story(1), *_story(2)])
    assert learn_edge_blocks([full, cut, mid, "\n".join(_story(3))]) == frozenset()
    # A header that three pages go on from with different lines is still a block.
    header = ["Wire Service Daily", "Home | World | Business | Markets"]
    pages = ["\n".join([*header, *_story(k)]) for k in range(3)]
    assert len(learn_edge_blocks(pages)) == 1
