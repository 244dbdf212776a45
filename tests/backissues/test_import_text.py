"""The text-page parser: the seed page scores 100%, and pages that differ from it parse too."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from backissues.blocks.briefings import opens_briefing, parse_briefing_lines
from backissues.formats.textpage import parse_text
from backissues.parsing.dates import find_date, find_period
from backissues.parsing.errors import BackIssueError
from backissues.parsing.publication_index import PublicationIndex
from tests.support import paths
from tests.support.paths import SHARED

FIXTURES = paths.FIXTURES / "text"
SEED = SHARED / "seeds" / "backissue-2020-10-18.txt"

pytestmark = pytest.mark.django_db


def parse_fixture(name: str):
    return parse_text((FIXTURES / name).read_text(encoding="utf-8"), name, PublicationIndex.load())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17 Oct 2020 – Key Takeaway", dt.date(2020, 10, 17)),
        ("INSS Insight No. 1389, October 12, 2020 –", dt.date(2020, 10, 12)),
        ("Anton Example Oct 9, 2020 – AL MONITOR", dt.date(2020, 10, 9)),
        ("Bottom Line Up Front  5 Oct 2020 THE CENTER", dt.date(2020, 10, 5)),
        ("analyzes the deals. – Date – October 15, 2020", dt.date(2020, 10, 15)),
        ("veröffentlicht am 27.02.2021", dt.date(2021, 2, 27)),
        ("Von Hans Müller – 5. März 2021", dt.date(2021, 3, 5)),
        ("Sept. 3, 2021", dt.date(2021, 9, 3)),
        ("an Oct. 5 press conference", None),
        ("signed on August 13.[1] This", None),
        ("In 2019, the central banks", None),
    ],
)
def test_dates_in_the_forms_the_old_site_wrote(text, expected):
    found = find_date(text)
    assert (found.start if found else None) == expected


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("October 1, 2020 – October 18, 2020Editor: Dr. A Person", "2020-10-01", "2020-10-18"),
        ("February 18 – March 4, 2021", "2021-02-18", "2021-03-04"),
        ("October 1 – 18, 2020", "2020-10-01", "2020-10-18"),
        ("1.–18. Oktober 2020", "2020-10-01", "2020-10-18"),
        ("December 28 – January 3, 2021", "2020-12-28", "2021-01-03"),
        ("01.10.2020 – 18.10.2020", "2020-10-01", "2020-10-18"),
    ],
)
def test_periods_take_missing_month_and_year_from_their_end(text, start, end):
    found = find_period(text)
    assert (found.start.isoformat(), found.end.isoformat()) == (start, end)


def test_briefing_with_series_overview_heading_and_stray_words_after_the_editor():
    briefing = parse_fixture("backissue-variants.txt").briefings[0]
    assert briefing.series == "Gulf Watch"
    assert (briefing.period_start, briefing.period_end) == (
        dt.date(2021, 2, 18),
        dt.date(2021, 3, 4),
    )
    assert briefing.editor == "Dr. Miriam Halevi"
    assert briefing.lead_figure.caption == "The harbour of Bandar Abbas at dawn"
    assert briefing.lead_figure.credit == "Tasnim, February 20, 2021"
    assert len(briefing.overview) == 2
    assert [(s.title, len(s.bullets)) for s in briefing.sections] == [
        ("Iran and the Gulf", 3),
        ("Iran and Lebanon", 1),
    ]
    assert briefing.language == "en"


def test_excerpts_with_other_prefixes_bylines_and_date_forms():
    articles = parse_fixture("backissue-variants.txt").articles
    summary = [(a.kicker, a.title, a.publication, a.authors, a.date, a.language) for a in articles]
    assert summary == [
        (
            "Analysis",
            "Tankers, drones and the quiet war at sea",
            "Western Seas Observer",
            ["John Smith", "Mary Jones"],
            dt.date(2021, 2, 27),
            "en",
        ),
        (
            "Focus",
            "The long road back to Sinjar",
            "Al-Monitor",
            ["Lina Haddad"],
            dt.date(2021, 9, 3),
            "en",
        ),
        ("Idlib", "Ein Winter ohne Heizung", None, ["Hans Müller"], dt.date(2021, 3, 5), "de"),
        (None, "A quiet week on the Tigris", None, [], None, "en"),
    ]


def test_excerpt_parts_land_in_their_fields():
    analysis, focus, german, plain = parse_fixture("backissue-variants.txt").articles
    assert analysis.continue_label == "Continue reading"
    assert analysis.excerpt.split("\n\n")[0].startswith("The incidents of the past fortnight")
    assert len(analysis.excerpt.split("\n\n")) == 2
    assert focus.standfirst == "A report on returns to the district, six years on."
    assert focus.excerpt.startswith("Families who fled in 2014")
    assert focus.excerpt.endswith(
        "- Fewer than half of the schools have reopened.\n"
        "- Water supply is restored in the town centre only."
    )
    assert german.editor_note.startswith("Wir dokumentieren diesen Beitrag")
    assert german.continue_label == "weiterlesen"
    assert plain.missing() == ["publication", "date"]


def test_items_take_the_page_date_in_page_order_and_pagination_is_dropped():
    parsed = parse_fixture("backissue-variants.txt")
    items = sorted(parsed.items(), key=lambda item: item.line)
    times = [item.published_at for item in items]
    assert times == sorted(times, reverse=True)
    assert times[0].date() == dt.date(2021, 3, 4)
    assert not any("neuere" in (a.excerpt or "") for a in parsed.articles)
    assert len(parsed.articles) == 4


def test_text_after_the_last_continue_line_is_kept_as_a_draft_and_noted():
    text = (FIXTURES / "backissue-variants.txt").read_text(encoding="utf-8")
    parsed = parse_text(text + "\nA stray heading\n\nAnd a paragraph nobody closed.\n", "p")
    stray = parsed.articles[-1]
    assert stray.title == "A stray heading"
    assert stray.source_status == "draft"
    assert parsed.notes == [
        (f"line {stray.line}", "no continue-reading line after this text; kept as a draft")
    ]


def test_a_page_with_no_item_is_an_error_naming_the_place():
    with pytest.raises(BackIssueError, match="no recognisable item") as raised:
        parse_text("Just some words.\nAnd more words.\n", "notes.txt")
    assert raised.value.location == "line 1"


def test_a_period_ending_before_it_starts_is_an_error_naming_the_line():
    page = "\n\nOctober 18 – October 1, 2020 Editor: Dr. A Person\n  • One bullet.\n"
    with pytest.raises(BackIssueError, match="ends .* before it starts") as raised:
        parse_text(page, "page.txt")
    assert raised.value.location == "line 3"


def test_seed_page_scores_full_marks(tmp_path):
    if not SEED.exists():
        pytest.skip(f"{SHARED} not present: the seed page is test data kept outside the repo")
    parsed = parse_text(SEED.read_text(encoding="utf-8"), SEED.name, PublicationIndex.load())
    out = tmp_path / "parsed.json"
    out.write_text(json.dumps(parsed.to_json(), ensure_ascii=False), encoding="utf-8")
    expected = SEED.with_name("backissue-2020-10-18.expected.json")
    score = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_import.py"), str(out), str(expected)],
        capture_output=True,
        text=True,
    )
    assert score.stdout.strip().endswith("(100.0%)"), score.stdout


def test_labels_and_meta_standing_on_lines_of_their_own():
    page = (
        "Spotlight on the Levant | October 1 – 18, 2020\n"
        "Editor: Dr. Nora Example\n"
        "Publisher: The Example Centre\n"
        "Overview\n"
        "  • One development.\n"
        "\n"
        "MESOPOTAMIA NEWS: A piece with its meta spread out\n"
        "\n"
        "By Jane Doe, Senior Fellow\n"
        "\n"
        "AL MONITOR\n"
        "\n"
        "October 5, 2020\n"
        "\n"
        "The first paragraph of the excerpt.\n"
        "\n"
        "Continue reading\n"
    )
    parsed = parse_text(page, "page.txt", PublicationIndex({"Al-Monitor": ["AL MONITOR"]}))
    briefing, article = parsed.briefings[0], parsed.articles[0]
    assert (briefing.series, briefing.editor, briefing.publisher) == (
        "Spotlight on the Levant",
        "Dr. Nora Example",
        "The Example Centre",
    )
    assert (article.kicker, article.title) == (None, "A piece with its meta spread out")
    assert (article.authors, article.publication) == (["Jane Doe"], "Al-Monitor")
    assert article.date == dt.date(2020, 10, 5)
    assert article.excerpt == "The first paragraph of the excerpt."
    assert article.standfirst is None


def test_a_publication_named_twice_is_not_taken_for_an_author():
    page = (
        "A harbour changes hands / CASPIAN REVIEW\n\n"
        "Lena Aziz Feb 7, 2017 – CASPIAN REVIEW – The port was sold at night.\n\n"
        "weiterlesen\n"
    )
    for known in (PublicationIndex({}), PublicationIndex({"Caspian Review": []})):
        article = parse_text(page, "page.txt", known).articles[0]
        assert (article.publication, article.authors) == ("Caspian Review", ["Lena Aziz"])
        assert article.excerpt == "The port was sold at night."


def test_kickers_ending_at_a_dash_and_bylines_with_pipes_and_dashes():
    page = (
        "MESOP NEWS EXCLUSIVE : Die Lage am Fluss nach dem Abzug\n\n"
        "Von Tom Beispiel | 14.10.2020\n\n"
        "Die Menschen in der Region warten auf eine Entscheidung aus der Hauptstadt.\n\n"
        "weiterlesen\n\n"
        "MESOPOTAMIA NEWS TODAY – A bridge too far for the council?\n\n"
        "By Michael Beispiel and Sara Probe – Harbour Gazette – 12 November 2020\n\n"
        "The bridge over the river was closed for the third time this month.\n\n"
        "Read more at Harbour Gazette\n"
    )
    known = PublicationIndex({"Harbour Gazette": []})
    german, english = parse_text(page, "page.txt", known).articles
    assert (german.kicker, german.authors, german.date) == (
        "Exclusive",
        ["Tom Beispiel"],
        dt.date(2020, 10, 14),
    )
    assert german.excerpt.startswith("Die Menschen")
    assert (english.kicker, english.title) == ("Today", "A bridge too far for the council?")
    assert english.authors == ["Michael Beispiel", "Sara Probe"]
    assert english.publication == "Harbour Gazette"


@pytest.mark.parametrize(
    "opening",
    [
        ["March 1 – March 14, 2021Editor: Ann Lee", "  • A bullet (Tasnim, March 2)."],
        ["Weekly Gulf Watch", "1. – 14. März 2021", "  • Ein Punkt."],
        ["A sentence about the weekly gulf watch that runs far too long", "1 – 14 March 2021"],
        ["Talks resumed on March 3, 2021 in Vienna.", "  • Not a briefing."],
        ["No dates here at all", "Nor here"],
        ["Only one line"],
    ],
)
def test_opening_lines_tell_a_briefing_as_its_parser_does(opening):
    lines = [*opening, "", "  • Closing bullet."]
    non_blank = [line for line in lines if line.strip()]
    assert opens_briefing(non_blank[:2]) == (parse_briefing_lines(lines) is not None)
