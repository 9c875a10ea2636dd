"""The terminal view: word changes marked in place, readable without colour."""

from __future__ import annotations

import doctest
import io
from pathlib import Path

from rich.console import Console

from newstrace.analyze import compare
from newstrace.models import Document
from newstrace.pipeline import compare_pair
from newstrace.report import terminal
from newstrace.report.terminal import inline_diff, print_pair
from tests.analyze.test_relations import SOURCE, doc

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
ALTERED = (
    '"We have never seen water levels rise this fast, and we are doing nothing we can to '
    'protect people," Keller said.'
)


def altered_report(quote: str = ALTERED) -> dict:
    der = [SOURCE[0], quote, *SOURCE[3:8]]
    r = compare(doc("src", SOURCE, published="2023-05-02"), doc("der", der, published="2023-05-04"))
    return r.to_dict()


def printed(report: dict, **console: object) -> str:
    out = io.StringIO()
    # Wide enough that no line wraps.
    print_pair(report, Console(file=out, width=1000, **console))  # type: ignore[arg-type]
    return out.getvalue()


def test_plain_markers_when_not_a_terminal() -> None:
    out = printed(altered_report())
    assert "\x1b" not in out
    assert (
        "“We have never seen water levels rise this [-quickly-]{+fast+}, and we are doing "
        "[-everything-]{+nothing+} we can to protect people,”"
    ) in out
    assert "replaced “quickly” → “fast”" in out and "replaced “everything” → “nothing”" in out


def test_no_color_gets_markers_too() -> None:
    out = printed(altered_report(), force_terminal=True, no_color=True)
    assert "[-quickly-]{+fast+}" in out


def test_colour_terminal_uses_styles_not_markers() -> None:
    out = printed(altered_report(), force_terminal=True, color_system="truecolor")
    assert "[-quickly-]" not in out and "{+fast+}" not in out
    quote = out[out.index("Quotations") :]
    # Struck through (SGR 9) for the old words, underlined (SGR 4) for the new.
    assert "9" in quote.split("quickly")[0].rsplit("\x1b[", 1)[-1].split("m")[0]
    assert "4" in quote.split("fast")[0].rsplit("\x1b[", 1)[-1].split("m")[0]


def test_the_whole_quotation_is_shown_with_a_late_change() -> None:
    long_quote = (
        '"We have never seen water levels rise this quickly, and we are doing everything we can '
        "to protect people, their homes, their animals and their livelihoods, whatever the cost, "
        'for as long as the river stays this high and the rain keeps falling on the town," Keller said.'
    )
    source = [*SOURCE[:2], long_quote, *SOURCE[3:]]
    der_quote = long_quote.replace("keeps falling", "never stops falling")
    der = [SOURCE[0], der_quote, *SOURCE[3:8]]
    r = compare(doc("src", source, published="2023-05-02"), doc("der", der, published="2023-05-04"))
    out = printed(r.to_dict())
    # The change sits after the first 120 characters: nothing is cut before it or after it.
    assert der_quote.index("never stops") > 120
    assert "the rain [-keeps-]{+never stops+} falling on the town,”" in out
    assert "“We have never seen water levels rise this quickly, and we are doing" in out
    assert "replaced “keeps” → “never stops”" in out


def test_seed_pair_passages_show_their_word_changes() -> None:
    report, _, _ = compare_pair(
        SEEDS / "000_b532a79fb36ebd07.txt", SEEDS / "001_56b3779ae79152f8.txt", semantic=False
    )
    out = printed(report.to_dict())
    assert "Word changes, source → derivative ([-deleted-] {+inserted+})" in out
    assert "of the de-escalation zones [-for maintaining-]{+in Syria to maintain+} the territorial" in out
    assert "{+British journalist and political commentator Martin Summers believes+}" in out


def test_changed_words_are_printed_literally() -> None:
    src = Document(id="a", text="The mayor said the bridge would open in May next year. " * 2, published="2020-01-01")
    evil = "[bold red]soon\x1b[31m"
    der = Document(id="b", text=f"The mayor said the bridge would open {evil} next year. " * 2)
    out = printed(compare(src, der).to_dict())
    # Rich markup stays text, the escape sequence loses its ESC.
    assert "\x1b" not in out
    assert "would open [-in May-]{+[bold red]soon[31m+} next year." in out


def test_context_around_changes_is_cut_to_a_few_words() -> None:
    a = " ".join(f"w{k}" for k in range(40)) + " old " + " ".join(f"v{k}" for k in range(40))
    b = a.replace(" old ", " new ")
    assert inline_diff(a, b, markers=True, context=3).plain == "… w37 w38 w39 [-old-]{+new+} v0 v1 v2 …"
    assert inline_diff(a, b, markers=True).plain == b.replace("new", "[-old-]{+new+}")


def test_examples_in_docstrings() -> None:
    assert doctest.testmod(terminal).failed == 0
