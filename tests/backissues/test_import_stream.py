"""A WordPress export written in parts while it is read: the rows of a whole parse, all or
nothing for the file, featured images found wherever the attachment stands."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, ArticleFigure
from backissues.formats.wxr import parse_wxr, stream_wxr
from backissues.parsing.errors import BackIssueError
from backissues.reading import read_file
from backissues.writing import WriteOptions, write_file
from backissues.writing.batching import write_all
from tests.support import paths
from tests.support.imported_rows import row_counts
from tests.support.paths import SHARED

pytestmark = pytest.mark.django_db

FIXTURES = paths.FIXTURES / "wxr"
THEME_DATA = SHARED / "wxr" / "themeunittestdata.wordpress.xml"


@pytest.fixture
def small_parts(monkeypatch):
    """A part per item, posts converted one by one in worker processes: every seam is crossed."""
    monkeypatch.setattr("backissues.formats.wxr._PART_ITEMS", 1)
    monkeypatch.setattr("backissues.formats.wxr._PARALLEL_BYTES", 0)
    monkeypatch.setattr("backissues.formats.wxr._CHUNK", 1)


def import_command(*paths) -> str:
    out = StringIO()
    call_command("import_backissues", *map(str, paths), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_export_in_parts_holds_its_items_in_file_order(small_parts):
    whole = parse_wxr(THEME_DATA, "theme.xml")
    streamed = stream_wxr(THEME_DATA, "theme.xml")
    parts = list(streamed.parts)
    assert len(parts) > 10
    assert [a.to_json() for p in parts for a in p.articles] == [a.to_json() for a in whole.articles]
    assert [a.figures for p in parts for a in p.articles] == [a.figures for a in whole.articles]
    assert [p.url for part in parts for p in part.pages] == [p.url for p in whole.pages]
    assert sorted(n for p in parts for n in p.notes) == sorted(whole.notes)


def test_a_streamed_export_writes_what_a_whole_parse_writes(small_parts):
    out = import_command(THEME_DATA)
    assert "Files: 1 of 1 imported, 0 failed." in out
    before = row_counts()
    report = write_file(parse_wxr(THEME_DATA, "theme.xml"), options=WriteOptions())
    assert set(report.totals()) <= {"unchanged", "flagged"}
    assert row_counts() == before


def test_a_featured_image_listed_after_its_post_is_its_first_figure(small_parts):
    import_command(FIXTURES / "wxr-1.1-http.xml")
    article = Article.objects.get(title="Oman’s quiet mediation, explained")
    figure = ArticleFigure.objects.filter(article=article).order_by("position").first()
    assert figure.caption == "Dhows in the harbour of Muttrah"
    assert figure.alt == "Wooden boats moored in a row"


def test_an_export_failing_in_a_later_part_writes_nothing(small_parts, tmp_path):
    text = THEME_DATA.read_text(encoding="utf-8")
    # A post midway links to its original at an address too long for the site (a title or a
    # tag too long is cut to fit): found once earlier parts are written.
    post_type = "<wp:post_type><![CDATA[post]]></wp:post_type>"
    starts = [index for index in range(len(text)) if text.startswith(post_type, index)]
    start = starts[len(starts) // 2]
    content_start = text.rindex("<content:encoded>", 0, start) + len("<content:encoded>")
    content_end = text.index("</content:encoded>", content_start)
    link = f'<p>Text.</p><p><a href="https://example.org/{"long/" * 120}">Continue reading</a></p>'
    broken = text[:content_start] + f"<![CDATA[{link}]]>" + text[content_end:]
    path = tmp_path / "export.xml"
    path.write_text(broken, encoding="utf-8")

    before, out = row_counts(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_backissues", str(path), stdout=out, stderr=StringIO())
    assert "continue_url: Ensure this value has at most 500" in out.getvalue()
    assert row_counts() == before

    # Left early, the export is read no further, though its parse is still held.
    streamed = read_file(path, "export.xml", stream=True)
    [(_, _, outcome)] = write_all([(path, streamed)], WriteOptions())
    assert isinstance(outcome, BackIssueError)
    assert not any(thread.name == "export-reader" for thread in threading.enumerate())


def test_malformed_xml_is_found_before_anything_is_written(tmp_path):
    text = (FIXTURES / "wxr-1.1-http.xml").read_text(encoding="utf-8")
    path = tmp_path / "export.xml"
    path.write_text(text.replace("</rss>", "</channel>"), encoding="utf-8")
    with pytest.raises(BackIssueError) as raised:
        read_file(path, "export.xml", stream=True)
    assert "not well-formed XML" in raised.value.reason
