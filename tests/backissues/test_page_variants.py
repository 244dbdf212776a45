"""Pages of the old site that differ from the seed: each variant a rule handles, tested as a class.

The fixtures (text and saved HTML, of our own writing) parse to their expected JSON through the
command; the generated families vary the publication, date and its format, place, number and
wording, so that a parser tuned to one example fails.
"""

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backissues.formats.htmlpage import parse_html
from backissues.formats.textpage import parse_text
from backissues.parsing.publication_index import PublicationIndex
from tests.support.import_command import run_import
from tests.support.paths import FIXTURES

VARIANT_FIXTURES = [
    FIXTURES / "text" / "page-variants.txt",
    FIXTURES / "html" / "archive-variants.html",
    FIXTURES / "html" / "single-briefing-category.html",
    FIXTURES / "html" / "single-briefing-heading-line.html",
]
KNOWN = {
    "Harbour Gazette": ["HARBOUR GAZETTE", "HG"],
    "Steppe Review": ["STEPPE REVIEW", "SR Quarterly"],
    "River Policy Institute": ["RPI", "River Policy Institute (RPI)"],
}
INDEX = PublicationIndex(KNOWN)
# Publications the index does not know, as a page writes them and as they are named.
UNKNOWN_CAPS = {
    "THE DELTA LEDGER": "The Delta Ledger",
    "NORTH STAR WEEKLY": "North Star Weekly",
    "CTRS": "CTRS",
    "EUPHRATES DAILY": "Euphrates Daily",
    "LEVANT POST": "Levant Post",
}
PLACES = ["GAZA", "MIDDLE EAST", "TEL AVIV", "NORTHERN SYRIA", "ERBIL", "SANAA", "GULF REGION"]
TEXTS = [
    "Officials met at the border post for the second time this month.",
    "The council voted to close the bridge until the spring.",
    "Prices for bread rose again in the markets of the south.",
]
STANDFIRSTS = [
    "Two delegations met, and mediators spoke of progress.",
    "The harbour wants a new quay, and the ministry is listening.",
]

days = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2024, 12, 31))
date_forms = st.sampled_from(
    [
        "{d:%B} {d.day}, {d.year}",
        "{d.day} {d:%B} {d.year}",
        "{d:%b} {d.day}, {d.year}",
        "{d:%d.%m.%Y}",
    ]
)
texts = st.sampled_from(TEXTS)


def named(publication: str) -> str:
    """The name a publication written as `publication` is imported under."""
    known = INDEX.find_in(publication)
    return known.name if known else UNKNOWN_CAPS[publication]


def written(day: dt.date, form: str) -> str:
    return form.format(d=day)


def one_excerpt(*paragraphs: str, title: str = "A quiet week at the border") -> str:
    return "\n\n".join([title, *paragraphs, "weiterlesen / click to continue"]) + "\n"


def only_article(page: str):
    parsed = parse_text(page, "page.txt", INDEX)
    assert parsed.briefings == []
    [article] = parsed.articles
    return article


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", VARIANT_FIXTURES, ids=lambda path: path.name)
def test_fixture_parses_to_its_expected_json(fixture):
    out, _ = run_import(fixture, "--dry-run", "--json")
    expected = json.loads(fixture.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert json.loads(out) == expected


# Series headings above the period


@settings(max_examples=40, deadline=None)
@given(
    programme=st.sampled_from(["Spotlight on the Gulf", "Iran Watch Programme", "Levant Desk"]),
    publisher=st.sampled_from(["Harbour Policy Centre", "The Centre for Coastal Studies", ""]),
    country=st.sampled_from(["Israel", "GERMANY", "Jordan", ""]),
    separator=st.sampled_from([" – ", " | ", " — "]),
    start=days,
    length=st.integers(min_value=6, max_value=20),
    form=date_forms,
)
def test_a_series_heading_above_the_period_names_the_series(
    programme, publisher, country, separator, start, length, form
):
    series = separator.join(part for part in (programme, publisher, country) if part)
    end = start + dt.timedelta(days=length)
    page = (
        f"{series}\n{written(start, form)} – {written(end, form)} Editor: Dr. Ana Beispiel\n"
        "  • A first development of the fortnight.\nA Section\n  • A second one.\n\n"
        + one_excerpt(f"By Lea Muster – {written(end, form)}", TEXTS[0])
    )
    parsed = parse_text(page, "page.txt", INDEX)
    [briefing] = parsed.briefings
    assert (briefing.series, briefing.period_start, briefing.period_end) == (series, start, end)
    assert briefing.editor == "Dr. Ana Beispiel"
    assert [article.title for article in parsed.articles] == ["A quiet week at the border"]


@pytest.mark.parametrize(
    "series",
    ["A sentence that ends like one.", "Published on March 3, 2021 by the centre"],
)
def test_a_sentence_or_a_dated_line_above_the_period_is_no_series(series):
    page = f"{series}\nMarch 1 – 14, 2021 Editor: Ann Lee\n  • A bullet.\n"
    parsed = parse_text(page, "page.txt", INDEX)
    assert [(b.series, b.line, b.editor) for b in parsed.briefings] == [(None, 2, "Ann Lee")]
    [stray] = parsed.articles
    assert (stray.title, stray.source_status) == (series, "draft")
    assert parsed.notes == [("line 1", "no continue-reading line after this text; kept as a draft")]


# Bylines: times of day, dispatch numbers, abbreviations, a publication on its own line


@settings(max_examples=40, deadline=None)
@given(
    time=st.builds(
        lambda h, m, form: form.format(h=h, m=m, h12=h % 12 or 12),
        st.integers(0, 23),
        st.integers(0, 59),
        st.sampled_from(
            ["{h:02d}:{m:02d}", "{h}.{m:02d} Uhr", "{h12}:{m:02d} p.m.", "{h}:{m:02d}"]
        ),
    ),
    publication=st.sampled_from(["HG", "Steppe Review", "RPI", *UNKNOWN_CAPS]),
    day=days,
    form=date_forms,
    text=texts,
    date_first=st.booleans(),
)
def test_a_time_of_day_before_the_publication_is_meta(
    time, publication, day, form, text, date_first
):
    meta = f"{time} – {publication}"
    line = (
        f"{written(day, form)}, {meta} – {text}"
        if date_first
        else f"{meta} – {written(day, form)} – {text}"
    )
    article = only_article(one_excerpt(line))
    assert article.excerpt == text
    assert article.date == day
    assert article.publication == named(publication)
    assert article.authors == []


@settings(max_examples=40, deadline=None)
@given(
    number=st.builds(
        lambda n, form: form.format(n=n),
        st.integers(1, 99999),
        st.sampled_from(["No. {n}", "Nr. {n}", "Issue {n}", "#{n}", "No.{n}"]),
    ),
    publication=st.sampled_from(
        ["Harbour Gazette", "SR Quarterly", "River Policy Institute (RPI)"]
    ),
    day=days,
    form=date_forms,
    text=texts,
    place=st.sampled_from(["before", "after", "joined"]),
)
def test_a_dispatch_number_before_or_after_the_date_is_meta(
    number, publication, day, form, text, place
):
    date = written(day, form)
    line = {
        "before": f"{publication} {number}, {date} – {text}",
        "after": f"{date} – {number} – {publication} – {text}",
        "joined": f"{number}, {date} – {publication} – {text}",
    }[place]
    article = only_article(one_excerpt(line))
    assert (article.excerpt, article.date) == (text, day)
    assert article.publication == INDEX.find_in(publication).name


@settings(max_examples=30, deadline=None)
@given(
    abbreviation=st.sampled_from(["HG", "RPI", "CTRS", "ECSW", "MEFA"]),
    day=days,
    form=date_forms,
    text=texts,
)
def test_a_publication_abbreviation_alone_before_the_date_is_the_publication(
    abbreviation, day, form, text
):
    article = only_article(one_excerpt(f"{abbreviation} – {written(day, form)} – {text}"))
    known = INDEX.find_in(abbreviation)
    assert article.publication == (known.name if known else abbreviation)
    assert (article.excerpt, article.date, article.authors) == (text, day, [])


@settings(max_examples=30, deadline=None)
@given(
    publication=st.sampled_from(["HARBOUR GAZETTE", "Steppe Review", *UNKNOWN_CAPS]),
    day=days,
    form=date_forms,
    text=texts,
)
def test_a_publication_name_on_its_own_line_is_the_publication(publication, day, form, text):
    article = only_article(one_excerpt(publication, f"{written(day, form)} – {text}"))
    assert article.publication == named(publication)
    assert (article.excerpt, article.date, article.standfirst) == (text, day, None)


# Titles holding a date range


@settings(max_examples=40, deadline=None)
@given(
    prefix=st.sampled_from(["Situation Report:", "Weekly Update", "Iran Update,", "Lagebericht"]),
    start=days,
    length=st.integers(1, 12),
    period_form=st.sampled_from(
        ["{s:%B} {s.day} – {e:%B} {e.day}, {e.year}", "{s.day} – {e.day} {e:%B} {e.year}"]
    ),
    publication=st.sampled_from(["HG", "Steppe Review"]),
    text=texts,
    with_bullets=st.booleans(),
)
def test_a_title_holding_a_date_range_is_a_title(
    prefix, start, length, period_form, publication, text, with_bullets
):
    end = start + dt.timedelta(days=length)
    if "{s.day} –" in period_form and start.month != end.month:
        end = start  # "3 – 3 March": the short form needs one month
    title = f"{prefix} {period_form.format(s=start, e=end)}"
    bullets = ["  • The first point.", "  • The second point."] if with_bullets else []
    page = one_excerpt(
        f"{publication} – {end:%B} {end.day}, {end.year} – {text}", *bullets, title=title
    )
    article = only_article(page)
    assert article.title == title
    assert (article.date, article.publication) == (end, INDEX.find_in(publication).name)
    assert article.excerpt.startswith(text)


# Misspelt brand prefixes


def misspellings(word: str):
    """The brand's name with one letter left out, doubled or two letters swapped."""
    left_out = [word[:i] + word[i + 1 :] for i in range(1, len(word))]
    doubled = [word[:i] + word[i] + word[i:] for i in range(len(word))]
    swapped = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)]
    return st.sampled_from(sorted(set(left_out + doubled + swapped) - {word}))


@settings(max_examples=50, deadline=None)
@given(
    brand=misspellings("MESOPOTAMIA"),
    kicker=st.sampled_from(["ANALYSIS", "FOCUS", "Top of the Agenda", "EXCLUSIVE"]),
    colon=st.sampled_from([" : ", ": "]),
)
def test_a_misspelt_brand_before_news_is_no_kicker(brand, kicker, colon):
    article = only_article(
        one_excerpt(TEXTS[0], title=f"{brand} NEWS {kicker}{colon}Talks at the dam")
    )
    assert article.title == "Talks at the dam"
    assert article.kicker.lower() == kicker.lower()


@settings(max_examples=30, deadline=None)
@given(
    brand=st.sampled_from(["MESOP", "Mesop"]),
    name=st.sampled_from(["MIDEAST WATCH", "MIDDLE EAST WATCH", "KURDISTAN DESK", "Culture"]),
)
def test_a_brand_without_news_names_itself_not_a_kicker(brand, name):
    article = only_article(one_excerpt(TEXTS[0], title=f"{brand} {name} : Talks at the dam"))
    assert (article.kicker, article.title) == (None, "Talks at the dam")


@pytest.mark.parametrize(
    "title",
    ["Mesopotamian marshes: a disaster foretold", "Mesopotamia : Cradle of cities"],
)
def test_the_brand_is_not_read_into_a_title_that_only_starts_like_it(title):
    article = only_article(one_excerpt(TEXTS[0], title=title))
    assert title.endswith(article.title)
    assert article.kicker is None


# Region labels before a standfirst

# A standfirst opening with a place, then the byline and date, then the text.
REGION_LABELLED = {
    "place": st.sampled_from(PLACES),
    "dash": st.sampled_from([" – ", " — ", " - "]),
    "standfirst": st.sampled_from(STANDFIRSTS),
    "day": days,
    "form": date_forms,
    "text": texts,
    "byline": st.sampled_from(["By Samira Beispiel – ", "Harbour Gazette – ", ""]),
}


@settings(max_examples=40, deadline=None)
@given(**REGION_LABELLED)
def test_a_region_label_before_the_standfirst_is_a_dateline(
    place, dash, standfirst, day, form, text, byline
):
    article = only_article(
        one_excerpt(f"{place}{dash}{standfirst}", f"{byline}{written(day, form)}", text)
    )
    assert_the_dateline(article, place, standfirst, text)


@settings(max_examples=40, deadline=None)
@given(
    **REGION_LABELLED,
    opening=st.sampled_from(
        [
            "<p>{place}{dash}{standfirst}</p>",
            "<p><em>{place}{dash}{standfirst}</em></p>",
            "<p><strong>{place}</strong>{dash}{standfirst}</p>",
            '<div class="lead">{place}{dash}{standfirst}</div>',
        ]
    ),
)
def test_a_region_label_before_the_standfirst_of_a_saved_post_is_a_dateline(
    place, dash, standfirst, day, form, text, byline, opening
):
    content = (
        opening.format(place=place, dash=dash, standfirst=standfirst)
        + f"<p>{byline}{written(day, form)}</p><p>{text}</p>"
        + '<p><a href="https://example.org/a">Continue reading</a></p>'
    )
    post = html_post('<h2 class="entry-title">A quiet week</h2>', content)
    [article] = parse_html(html_page(post), "p.html", INDEX).articles
    assert_the_dateline(article, place, standfirst, text)


@settings(max_examples=30, deadline=None)
@given(place=st.sampled_from(PLACES), day=days, form=date_forms, text=texts)
def test_a_region_label_in_the_meta_line_is_no_author(place, day, form, text):
    article = only_article(
        one_excerpt(f"Harbour Gazette – {written(day, form)} – {place} – {text}")
    )
    assert article.authors == []
    assert article.publication == "Harbour Gazette"
    assert article.excerpt == text
    assert article.dateline == place


@settings(max_examples=30, deadline=None)
@given(
    publication=st.sampled_from(["HARBOUR GAZETTE", "HG", *UNKNOWN_CAPS]),
    standfirst=st.sampled_from(STANDFIRSTS),
    day=days,
    text=texts,
)
def test_a_publication_before_the_standfirst_is_no_dateline(publication, standfirst, day, text):
    """A label in that place that names a publication is the publication, never a place; one
    the index does not know is no dateline either while the text names no publication."""
    article = only_article(
        one_excerpt(f"{written(day, '{d:%B} {d.day}, {d.year}')} – {publication} – {text}")
    )
    assert article.dateline is None
    assert article.publication == named(publication)
    assert article.excerpt == text
    article = only_article(one_excerpt(f"{publication} – {standfirst}", "March 3, 2021", text))
    assert article.dateline != publication or publication in UNKNOWN_CAPS


@settings(max_examples=30, deadline=None)
@given(place=st.sampled_from(PLACES), standfirst=st.sampled_from(STANDFIRSTS), day=days)
def test_a_region_label_on_the_title_line_stays_the_standfirsts_opening(place, standfirst, day):
    """Run into the byline's dashes on the title line, the label opens the standfirst there."""
    title = (
        f"A quiet week – HG – {written(day, '{d:%B} {d.day}, {d.year}')} – {place} – {standfirst}"
    )
    article = only_article(one_excerpt(TEXTS[0], title=title))
    assert (article.title, article.date, article.publication) == (
        "A quiet week",
        day,
        "Harbour Gazette",
    )
    assert (article.dateline, article.standfirst) == (None, f"{place} – {standfirst}")


@settings(max_examples=30, deadline=None)
@given(
    publication=st.sampled_from(["HARBOUR GAZETTE", "STEPPE REVIEW", *UNKNOWN_CAPS]),
    day=days,
    form=date_forms,
    text=texts,
)
def test_the_publication_written_again_after_the_date_is_no_dateline(publication, day, form, text):
    """The title names the publication; the meta line repeats it in capitals: no place."""
    title = f"A quiet week / {publication}"
    page = one_excerpt(
        f"Samira Beispiel {written(day, form)} – {publication} – {text}", title=title
    )
    article = only_article(page)
    assert (article.publication, article.dateline, article.excerpt) == (
        named(publication),
        None,
        text,
    )


def assert_the_dateline(article, place: str, standfirst: str, text: str) -> None:
    """The place is the dateline, and nowhere else: not the standfirst, an author, the text."""
    assert article.dateline == place
    assert article.standfirst == standfirst
    assert not any(place.title() in author or place in author for author in article.authors)
    assert article.excerpt == text
    assert article.to_json()["dateline"] == place


# Saved HTML: a note above the title, a continue link in a later block, the series


def html_page(body: str, body_class: str = "home blog", heading: str = "") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body class="{body_class}">'
        f"{heading}<main>{body}</main></body></html>"
    )


def html_post(header: str, content: str, after: str = "", footer: str = "") -> str:
    return (
        f'<article class="post type-post"><header class="entry-header">{header}</header>'
        f'<div class="entry-content">{content}</div>{after}'
        f'<footer class="entry-footer">{footer}</footer></article>'
    )


@settings(max_examples=30, deadline=None)
@given(
    note=st.sampled_from(
        [
            "(We document this piece because it shows the aid workers’ side.)",
            "Editor’s note: the author wrote this before the ceasefire.",
            "(Wir dokumentieren diesen Beitrag als Stimme aus der Region.)",
        ]
    ),
    wrapper=st.sampled_from(["<p>{}</p>", '<div class="editor-note">{}</div>']),
    text=texts,
)
def test_an_editors_note_above_the_title_is_the_note(note, wrapper, text):
    header = wrapper.format(note) + '<h2 class="entry-title">A quiet week</h2>'
    content = f'<p>{text}</p><p><a href="https://example.org/a">weiterlesen</a></p>'
    [article] = parse_html(html_page(html_post(header, content)), "p.html", INDEX).articles
    if note.startswith("("):
        assert article.editor_note == note[1:-2] + "."  # the note's own full stop kept
    else:
        assert article.editor_note == note.removeprefix("Editor’s note: ")
    assert article.title == "A quiet week"
    assert article.excerpt == text


@settings(max_examples=30, deadline=None)
@given(
    label=st.sampled_from(
        ["weiterlesen / click to continue", "Continue reading", "More via", "Read more"]
    ),
    later=st.sampled_from(
        [
            '<div class="entry-content"><p>{link}</p></div>',
            '<div class="wp-block-group"><p>{link}</p><p>&nbsp;</p></div>',
            '<div class="more">{link}</div>',
        ]
    ),
    text=texts,
)
def test_a_continue_link_in_a_later_block_is_the_continue_link(label, later, text):
    link = f'<a href="https://example.org/piece">{label}</a>'
    post = html_post(
        '<h2 class="entry-title">A quiet week</h2>', f"<p>{text}</p>", later.format(link=link)
    )
    [article] = parse_html(html_page(post), "p.html", INDEX).articles
    assert (article.continue_label, article.continue_url) == (label, "https://example.org/piece")
    assert article.excerpt == text
    assert article.source_status is None


BRIEFING_CONTENT = "<p>March 1 – 14, 2021 Editor: Dr. Ana Beispiel</p><ul><li>A bullet.</li></ul>"


@settings(max_examples=30, deadline=None)
@given(
    series=st.sampled_from(["Spotlight on the Gulf", "Iran Watch Programme", "Levant Desk"]),
    label=st.sampled_from(["Category: ", "Kategorie: ", ""]),
)
def test_the_archive_heading_names_a_briefings_series(series, label):
    heading = f'<h1 class="page-title">{label}<span>{series}</span></h1>'
    post = html_post('<h2 class="entry-title">Review</h2>', BRIEFING_CONTENT)
    page = html_page(post, body_class="archive category", heading=heading)
    [briefing] = parse_html(page, "p.html", INDEX).briefings
    assert briefing.series == series


@settings(max_examples=30, deadline=None)
@given(
    series=st.sampled_from(["Spotlight on the Gulf", "Iran Watch Programme", "Levant Desk"]),
    topics=st.lists(st.sampled_from(["Iran", "Syria", "Uncategorized"]), max_size=2, unique=True),
)
def test_a_programme_category_names_a_briefings_series_and_a_topic_does_not(series, topics):
    links = [f'<a href="/category/x/" rel="category tag">{name}</a>' for name in [*topics, series]]
    footer = f'<span class="cat-links">{", ".join(links)}</span>'
    post = html_post('<h1 class="entry-title">Review</h1>', BRIEFING_CONTENT, footer=footer)
    [briefing] = parse_html(html_page(post, body_class="single"), "p.html", INDEX).briefings
    assert briefing.series == series
    topics_only = html_post(
        '<h1 class="entry-title">Review</h1>',
        BRIEFING_CONTENT,
        footer=footer.replace(series, "Iran"),
    )
    [briefing] = parse_html(html_page(topics_only), "p.html", INDEX).briefings
    assert briefing.series is None


def test_a_search_pages_heading_names_no_series():
    heading = '<h1 class="page-title">Search results for: gulf</h1>'
    post = html_post('<h2 class="entry-title">Review</h2>', BRIEFING_CONTENT)
    [briefing] = parse_html(html_page(post, "search", heading), "p.html", INDEX).briefings
    assert briefing.series is None


@settings(max_examples=20, deadline=None)
@given(
    prefix=st.sampled_from(["Situation Report:", "Weekly Update"]),
    start=days,
    length=st.integers(1, 12),
)
def test_a_saved_post_with_a_date_range_title_and_a_continue_link_is_an_excerpt(
    prefix, start, length
):
    end = start + dt.timedelta(days=length)
    title = f"{prefix} {start:%B} {start.day} – {end:%B} {end.day}, {end.year}"
    content = f"<p>HG – {end:%B} {end.day}, {end.year} – Key points.</p><ul><li>One.</li></ul>"
    post = html_post(
        f'<h2 class="entry-title">{title}</h2>',
        content + '<p><a href="https://x.example/">More via</a></p>',
    )
    parsed = parse_html(html_page(post), "p.html", INDEX)
    assert parsed.briefings == []
    assert [(a.title, a.date, a.publication) for a in parsed.articles] == [
        (title, end, "Harbour Gazette")
    ]
