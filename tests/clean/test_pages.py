"""Pages that are not articles are recognised; short real articles are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.clean.pages import non_article_reason
from newstrace.pipeline import ingest
from newstrace.store import Store

STORY = (
    "The city council voted on Tuesday to expand the tram network to the northern suburbs. "
    "The mayor said the project would be finished by 2030 and cost 400 million euros."
)


@pytest.mark.parametrize(
    ("text", "title", "kind"),
    [
        ("The document has moved here.", "Moved Permanently", "redirect"),
        ("Moved Permanently\n\nThe document has moved here.", None, "redirect"),
        ("You are being redirected. Click here if you are not redirected.", None, "redirect"),
        ("ERROR Main Error Mesage Here More detailed message would go here to provide context", None, "error"),
        ("404 Not Found\n\nnginx", None, "error"),
        ("The page that you are looking for doesn't exist on this website. You may have mistyped "
         "the address, or followed an expired link.", "It seems that you got lost", "error"),
        ("Error establishing a database connection", None, "error"),
        ("Subscribe to continue reading. Already a subscriber? Log in.", None, "paywall"),
        ("You have reached your limit of free articles this month.", None, "paywall"),
        ("We use cookies to improve your experience.\n\nAccept all cookies", None, "cookie"),
        ("Please enable JavaScript to view this page.", None, "JavaScript"),
        ("Checking your browser before accessing the site.", None, "bot check"),
        ("How To Easily Understand The Difference Between The Day Of Christ And The Day Of Lord", "Chemtrails",
         "headline"),
        ("Tram network to expand", "Tram network to expand", "headline"),
        ("ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS IN LATEST WEEK", None, "headline"),
        ("Latest Stories\n\nTrump Allies Rally Behind Embattled Campaign Manager\n\nClinton Leads In New "
         "Swing State Poll Of Likely Voters\n\nSenate Passes Stopgap Spending Bill After Late Deal\n\n"
         "Why The Debate Moderators Face An Impossible Task\n\nFive Things To Watch In Tonight's "
         "Primaries\n\nThe Governor Who Could Decide The Race", None, "index"),
        # A topic page is an index page by its title, whatever sidebar prose it holds.
        ("The Honest Food Guide is a free, downloadable public health chart that dares to tell the truth "
         "about what foods we should really be eating.\n\nHerbReference.com is a free, online reference "
         "library that lists medicinal herbs and their health benefits.", "Permission marketing news, "
         "articles and information:", "index"),
        (STORY, "Tag: trams", "index"),
        (STORY, "Category | City council", "index"),
        (STORY, "Posts tagged trams", "index"),
        (STORY, "Latest news on the tram network", "index"),
        # An author's archive: dated entries under one byline, each with its teaser.
        ("Jim Bray\n\nJim publishes TechnoFile Magazine and can be reached by e-mail.\n\nMost Recent "
         "Articles by Jim Bray:\n\n" + "\n\n".join(f"Jun {d}, 2008 — Jim Bray\n\nA teaser of story {d}: "
         "the first sentence, as the archive shows it." for d in range(2, 30, 4)), "Jim Bray", "dated entries"),
    ],
)
def test_non_articles(text: str, title: str | None, kind: str) -> None:
    reason = non_article_reason(text, title)
    assert reason is not None and kind.lower() in reason.lower(), reason


@pytest.mark.parametrize(
    "text",
    [
        STORY,
        "Ivanka Trump now has her own Secret Service protection, sources familiar with the matter tell "
        "ABC News. Before now, Trump's adult children only received protection while physically near "
        "the candidate.",
        "NEW YORK, March 2 - Grey Advertising Inc's GreyCom Inc subsidiary said it established a new "
        "division GreyCom Corporate and Financial. Reuter",
        "Shr 10 cts vs five cts\n\nNet 1,000,000 vs 500,000\n\nRevs 5.1 mln vs 4.2 mln\n\nNine mths",
        # Notice words inside a real story do not make it a notice page.
        STORY + " Officials said the old page of the plan could not be found in the archive, and that "
        "the consultants had moved permanently to Lyon. " + STORY,
        "Your browser does not support the audio element.\n\n" + STORY + " " + STORY,
        # A story quoting a run of one person's tweets: their signatures are no archive entries.
        STORY + "\n\n" + "\n\n".join(f"Tweet number {d} about the trams.\n\n— Jane Doe (@janedoe) September {d}, 2016"
                                   for d in range(1, 8)),
        "Cartoon: Skittles and Refugees\n\nCandy Roulette. If in a bowl full of skittles 3 would kill "
        "you, would you eat a hand full? Hillary says you will if she's elected.",
    ],
)
def test_articles_are_kept(text: str) -> None:
    assert non_article_reason(text, "A headline") is None


@pytest.mark.parametrize(
    "title",
    [
        "Tags found on a dead whale puzzle marine biologists",
        "Archives reveal the tram plan was shelved in 1987",
        "JFK files released by the National Archives - CNN",
        "Topics for tonight's debate: trams, schools and taxes",
        "Council news: trams to reach the northern suburbs",
        "All the news about the tram network in one place? Not quite",
    ],
)
def test_article_titles_naming_tags_or_archives_are_kept(title: str) -> None:
    assert non_article_reason(STORY, title) is None


def test_ingest_skips_non_articles_with_reason_and_exit_zero(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Tram\n\n" + STORY + "\n")
    (src / "b.txt").write_text("Moved Permanently\n\nThe document has moved here.\n")
    (src / "c.jsonl").write_text(
        '{"id": "h1", "title": "Flash", "text": "FED ADDS RESERVES VIA CUSTOMER REPURCHASES"}\n'
        '{"id": "s1", "title": "Story", "text": "' + STORY + '"}\n'
    )
    with Store(tmp_path / "s.db") as store:
        report = ingest([src], store)
        assert report.added == 2 and not report.rejected
        assert sorted(r.reason for r in report.skipped) == [
            "not an article: a headline only, no article text",
            "not an article: a redirect notice",
        ]
        kinds = {r.kind for r in store.rejections()}
        assert kinds == {"NotArticleError"}
