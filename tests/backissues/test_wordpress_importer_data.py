"""WordPress's own importer test exports (../shared/wxr/wordpress-importer/) import as its
tests say they must, file by file (expected.json), and a second import changes nothing."""

import html
import json
import re
from io import StringIO

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.html import strip_tags
from taggit.models import Tag

from articles.models import Article, ArticleFigure
from backissues.formats.wxr import parse_wxr
from backissues.writing.terms import our_slug
from briefings.models import Briefing
from publishing.models import Category, Status
from tests.support.images import photo
from tests.support.imported_rows import row_counts, update_stamps
from tests.support.paths import SHARED

DATA = SHARED / "wxr" / "wordpress-importer"
EXPECTED = DATA / "expected.json"
ABSENT = pytest.param(
    None, marks=pytest.mark.skip(reason=f"WordPress's importer test data is absent: {EXPECTED}")
)
ENTRIES = (
    [pytest.param(entry, id=entry["file"]) for entry in json.loads(EXPECTED.read_text())]
    if EXPECTED.is_file()
    else [ABSENT]
)
# The uploads an export names, which a copy of wp-content/uploads would hold.
ATTACHED_FILE = re.compile(
    r"<wp:meta_key>(?:<!\[CDATA\[)?_wp_attached_file(?:\]\]>)?</wp:meta_key>\s*"
    r"<wp:meta_value>(?:<!\[CDATA\[)?(?P<path>[^<\]]+)"
)
PUBLIC = ("publish", "future")
pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("import_backissues", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def media_root(export, tmp_path):
    root = tmp_path / "uploads"
    for match in ATTACHED_FILE.finditer(export.read_text(encoding="utf-8")):
        path = root / match.group("path")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(photo(40, 30))
    root.mkdir(exist_ok=True)
    return root


def items():
    return [*Article.objects.all(), *Briefing.objects.all()]


@pytest.mark.parametrize("entry", ENTRIES)
def test_export_imports_as_wordpress_expects(entry, tmp_path):
    export = DATA / entry["file"]
    if not entry["accept"]:
        assert_refused(export)
        return
    out = run(export, "--media-root", media_root(export, tmp_path))
    assert "0 failed" in out
    assert_items(entry, export)
    assert_pages(entry)
    assert_text(entry)
    assert_terms(entry["terms"] or {})
    if "attachments" in entry:
        assert_attachments(entry["attachments"])

    before, stamped = row_counts(), update_stamps()
    again = run(export, "--media-root", media_root(export, tmp_path))
    assert (row_counts(), update_stamps()) == (before, stamped)
    summary = again.splitlines()[0]
    assert "created" not in summary and "updated" not in summary, summary


def assert_refused(export):
    """A file WordPress refuses fails, saying why, and writes nothing."""
    before = row_counts()
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 files failed"):
        call_command("import_backissues", str(export), stdout=out, stderr=StringIO())
    assert re.search(r"not well-formed XML|WXR version", out.getvalue())
    assert row_counts() == before


def assert_items(entry, export):
    """Every post, as many public as WordPress made public; a post without any date is not
    dated by guessing, so it waits as a draft flagged for review (either conforms)."""
    rows = items()
    statuses = (entry["statuses"] or {}).get("post", {})
    assert len(rows) == entry["posts"] == sum(statuses.values())
    undated = {
        item.title
        for item in parse_wxr(export, export.name).items()
        if item.source_status == "published" and item.published_at is None
    }
    wanted_public = sum(count for status, count in statuses.items() if status in PUBLIC)
    public = [row for row in rows if row.status == Status.PUBLISHED]
    assert len(public) == wanted_public - len(undated)
    for row in rows:
        if row.title in undated:
            assert (row.status, row.needs_review) == (Status.DRAFT, True)
    titles = {row.title for row in rows} | set(FlatPage.objects.values_list("title", flat=True))
    assert set(entry["titles"] or ()) <= titles


def assert_pages(entry):
    """Every page at its place; those WordPress's readers could not see, for staff only."""
    statuses = (entry["statuses"] or {}).get("page", {})
    assert FlatPage.objects.count() == entry["pages"]
    hidden = sum(count for status, count in statuses.items() if status not in PUBLIC)
    assert FlatPage.objects.filter(registration_required=True).count() == hidden


def assert_text(entry):
    """Each string survives byte for byte into the stored text, and into what readers see."""
    stored = [(a.standfirst, a.excerpt, a.standfirst_html + a.excerpt_html) for a in items()]
    for text in entry["content_contains"]:
        assert any(text in standfirst or text in excerpt for standfirst, excerpt, _ in stored)
        if "\n" not in text:
            assert any(text in html.unescape(strip_tags(shown)) for _, _, shown in stored)


def assert_terms(terms):
    """Every category, with its parent and description, and every tag, used or not."""
    for term in terms.get("category", ()):
        category = Category.objects.get(slug=our_slug(term["slug"]))
        assert category.name == term["name"]
        parent = our_slug(term["parent"]) if term["parent"] else None
        assert (category.parent.slug if category.parent else None) == parent
        assert category.description == term.get("description", "")
    for term in terms.get("post_tag", ()):
        assert Tag.objects.filter(name=term["name"]).exists(), term
    wanted = len(terms.get("category", ()))
    assert Category.objects.count() == wanted


def assert_attachments(count):
    """Each attachment a post shows becomes its figure, with the file from the media root."""
    figures = ArticleFigure.objects.all()
    assert figures.count() == count
    assert all(figure.image and default_storage.exists(figure.image.name) for figure in figures)
