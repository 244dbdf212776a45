"""The demo's files: their dates move to today, its drawings are the same each time, and a
WordPress post's labelled editor's note is read as the excerpt's note."""

import datetime as dt
import hashlib
import tomllib

from backissues.demo.dates import shift_dates
from backissues.demo.images import DRAWINGS, draw_uploads
from backissues.formats.wxr import parse_wxr
from backissues.management.commands.load_demo_content import DEMO

WRITTEN_ON = dt.date(2025, 12, 1)


def test_every_way_of_writing_a_date_moves_by_the_same_days():
    text = "June 26, 2025 – July 9, 2025Editor: A (IRNA, June 28). Posted 2025-12-04 09:00:00."
    assert shift_dates(text, WRITTEN_ON, 40) == (
        "August 5, 2025 – August 18, 2025Editor: A (IRNA, August 7). Posted 2026-01-13 09:00:00."
    )


def test_a_date_without_a_year_is_placed_in_the_past_of_the_files():
    # "December 30" cited in files written on December 1 is last year's: it moves into January.
    assert shift_dates("(Fars, December 30)", WRITTEN_ON, 10) == "(Fars, January 9)"
    assert shift_dates("(Fars, November 29)", WRITTEN_ON, 10) == "(Fars, December 9)"


def test_what_is_no_date_is_left_alone():
    text = "0000-00-00 00:00:00, Mayor 12, March 40"
    assert shift_dates(text, WRITTEN_ON, 5) == text
    assert shift_dates("July 9", WRITTEN_ON, 0) == "July 9"


def test_drawings_are_the_same_bytes_each_time(tmp_path):
    draw_uploads(tmp_path / "a")
    draw_uploads(tmp_path / "b")
    first = sorted((tmp_path / "a" / "demo").iterdir())
    assert [path.name for path in first] == sorted(DRAWINGS)
    assert len(first) == 11
    for path in first:
        again = tmp_path / "b" / "demo" / path.name
        assert hashlib.sha1(path.read_bytes()).digest() == hashlib.sha1(again.read_bytes()).digest()


def test_a_posts_labelled_editors_note_becomes_the_excerpts_note(tmp_path):
    export = tmp_path / "note.xml"
    export.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><wp:wxr_version>1.2</wp:wxr_version><item>
<title>A port and its neighbours</title>
<content:encoded><![CDATA[<p>The port will grow.</p>
<p>Editor’s note: Read with <em>our</em> earlier piece.</p>
<p><a href="https://news.example.org/port">Continue reading</a></p>]]></content:encoded>
<wp:post_id>7</wp:post_id><wp:post_date_gmt>2021-03-16 10:00:00</wp:post_date_gmt>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
</item></channel></rss>""",
        encoding="utf-8",
    )
    [article] = parse_wxr(export, "note.xml").articles
    assert article.excerpt == "The port will grow."
    assert article.editor_note == "Read with *our* earlier piece."
    assert article.continue_url == "https://news.example.org/port"


def test_every_drawing_demo_toml_names_for_a_lead_figure_is_drawn():
    with (DEMO / "demo.toml").open("rb") as file:
        pages = tomllib.load(file)["briefing"]
    assert len(pages) == len(list((DEMO / "briefings").glob("*.txt")))
    for page in pages:
        assert page["figure"] in DRAWINGS and page["alt"], page["file"]
