"""`import_backissues`: files read by content, imported one by one, summed up, safe to re-run."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleFigure
from backissues.parsing.errors import BackIssueError
from backissues.reading import decode, detect_format, read_file, read_files
from briefings.models import Briefing
from tests.support import paths
from tests.support.import_command import GOOD
from tests.support.import_command import run_import as run
from tests.support.imported_rows import row_counts, update_stamps
from tests.support.paths import SHARED

pytestmark = pytest.mark.django_db

FIXTURES = paths.FIXTURES / "import"
TEXT_PAGES = FIXTURES / "text"
BROKEN = TEXT_PAGES / "issue-2021-05-23-broken.txt"
SAVED_HTML = FIXTURES / "html" / "saved-briefing.html"
SEED = SHARED / "seeds" / "backissue-2020-10-18.txt"
WXR = SHARED / "wxr" / "themeunittestdata.wordpress.xml"


def run_failing(*args) -> tuple[str, CommandError]:
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_backissues", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue(), caught.value


# Reading files


def test_format_is_told_by_content():
    wxr = b'<?xml version="1.0"?>\n<!-- generator -->\n<rss xmlns:wp="http://wordpress.org/export/1.2/">'
    assert detect_format(wxr) == "wxr"
    assert detect_format(b"\xef\xbb\xbf<!DOCTYPE html><html>") == "html"
    assert detect_format(b"<!-- saved from url -->\n<html lang='de'>") == "html"
    assert detect_format(b"<article class='post'>") == "html"
    assert detect_format(GOOD.read_bytes()[:200]) == "text"
    with pytest.raises(BackIssueError, match="not a WordPress export"):
        detect_format(b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">')


def test_text_is_utf8_without_its_bom_else_windows_1252():
    assert decode("\ufeffKöln – “Zitat”".encode()) == ("Köln – “Zitat”", "utf-8")
    assert decode("Köln – “Zitat”".encode("cp1252")) == ("Köln – “Zitat”", "windows-1252")


def test_bytes_neither_encoding_reads_are_named_by_offset_and_line():
    with pytest.raises(BackIssueError) as caught:
        decode(b"first line\nsecond \xe4 and \x81 here\n")
    assert caught.value.location == "line 2"
    assert "byte 0x81 at offset 24" in caught.value.reason


def test_a_windows_1252_page_imports_and_says_so(tmp_path):
    page = tmp_path / "issue-cp1252.txt"
    page.write_bytes(GOOD.read_text(encoding="utf-8").encode("cp1252"))
    assert read_file(page, "issue-cp1252.txt").encoding == "windows-1252"

    out, _ = run(page)
    assert f"file 1/1: {page} … created 3, flagged 1 (read as Windows-1252)" in out
    assert Briefing.objects.get().period_label() == "April 26 – May 9, 2021"


def test_empty_and_binary_files_are_refused_by_name(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    out, error = run_failing(tmp_path)
    assert str(error) == "2 of 2 files failed"
    assert f"{tmp_path / 'empty.txt'}: the file is empty" in out
    assert f"{tmp_path / 'photo.txt'}: not a text file" in out


def test_files_read_ahead_in_other_processes_come_back_in_order_with_their_errors(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    results = list(read_files([GOOD, empty, SAVED_HTML]))
    assert [path for path, _ in results] == [GOOD, empty, SAVED_HTML]
    assert [getattr(r, "format", None) for _, r in results] == ["text", None, "html"]
    error = results[1][1]
    assert isinstance(error, BackIssueError)
    assert (error.source, error.reason) == (str(empty), "the file is empty")


def test_a_missing_path_is_named():
    with pytest.raises(CommandError, match="no-such-issue.txt: no such file or directory"):
        run(FIXTURES / "no-such-issue.txt")


def test_hidden_files_in_a_directory_are_left_out(tmp_path):
    (tmp_path / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (tmp_path / "issue.txt").write_bytes(GOOD.read_bytes())
    out, _ = run(tmp_path)
    assert "file 1/1:" in out and ".DS_Store" not in out


# Importing


def test_importing_twice_changes_nothing():
    first, _ = run(GOOD)
    before, stamped = row_counts(), update_stamps()
    assert before["Briefing"] == 1 and before["Article"] == 2

    again, _ = run(GOOD)
    assert row_counts() == before
    assert update_stamps() == stamped
    assert "… unchanged 3, flagged 1" in again


def test_dry_run_writes_nothing_and_says_what_would_happen():
    before = row_counts()
    out, _ = run(GOOD, "--dry-run")
    assert row_counts() == before
    assert "Dry run: nothing was written." in out
    assert "created 3" in out


def test_a_broken_file_writes_nothing_the_others_import_and_the_command_fails():
    out, error = run_failing(TEXT_PAGES)

    assert str(error) == "1 of 2 files failed"
    assert Briefing.objects.get().period_end.isoformat() == "2021-05-09"
    assert Article.objects.count() == 2
    assert (
        f"{BROKEN}, line 9: article excerpt: title: Ensure this value has at most 300 characters"
        in out
    )
    table = out.split("Files:")[0]
    assert table.splitlines()[-5].split() == ["article", "2", "0", "0", "0", "0", "1", "1"]
    assert "Files: 1 of 2 imported, 1 failed." in out


def test_the_summary_lists_flagged_items_and_figures_without_an_image():
    out, _ = run(GOOD)
    lines = out.splitlines()
    flagged = lines.index("Flagged for review:")
    assert lines[flagged + 1] == (
        f"  {GOOD}, line 25: article “Grain prices and the northern corridor”: no publication named"
    )
    assert f"  {GOOD}, line 1: briefing “2021-04-26 – 2021-05-09”: no image in the source" in lines
    draft = Article.objects.get(title="Grain prices and the northern corridor")
    assert (draft.status, draft.needs_review) == ("draft", True)
    assert draft.review_reasons == "no publication named"


def test_tags_and_series_from_the_command_line():
    run(GOOD, "--tag", "Back issues", "--tag", "Iraq", "--series", "Spotlight on Iran")
    briefing = Briefing.objects.get()
    assert briefing.title == "Spotlight on Iran: April 26 – May 9, 2021"
    assert sorted(briefing.tags.names()) == ["Back issues", "Iraq"]
    analysis = Article.objects.get(kicker="Analysis")  # a kicker, not a tag
    assert sorted(analysis.tags.names()) == ["Back issues", "Iraq"]


def test_json_goes_alone_to_stdout():
    out, err = run(GOOD, "--dry-run", "--json")
    parsed = json.loads(out)
    assert [a["title"] for a in parsed["articles"]] == [
        "Water, borders and a quiet deal",
        "Grain prices and the northern corridor",
    ]
    assert parsed["briefings"][0]["editor"] == "Dr. Selma Aydin"
    assert parsed["articles"][0]["publication"] == "Al-Monitor"
    assert "Dry run: nothing was written." in err
    assert row_counts()["Article"] == 0


def test_a_saved_page_brings_its_image_and_its_old_address_redirects(tmp_path, client):
    uploads = tmp_path / "uploads"
    (uploads / "2021" / "06").mkdir(parents=True)
    Image.new("RGB", (900, 600), (20, 60, 90)).save(uploads / "2021" / "06" / "port-cranes.jpg")
    run(SAVED_HTML, "--media-root", uploads)

    briefing = Briefing.objects.get()
    figure = briefing.lead_figure
    assert figure.image.name == "figures/2021/06/port-cranes.jpg"
    assert figure.alt == "Cranes over the container port"
    assert figure.credit == "IRNA, June 2, 2021"
    response = client.get("/2021/06/07/spotlight-may-june/")
    assert response.status_code == 301
    assert response["Location"] == briefing.get_absolute_url()

    out, _ = run(SAVED_HTML, "--media-root", uploads)
    assert "… unchanged 1" in out
    assert list((Path(figure.image.path).parent).iterdir()) == [Path(figure.image.path)]


def test_an_imported_file_that_is_no_image_is_left_out_and_listed(tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2021" / "06").mkdir(parents=True)
    (uploads / "2021" / "06" / "port-cranes.jpg").write_bytes(b"<html>not a picture</html>")
    out, _ = run(SAVED_HTML, "--media-root", uploads)

    figure = Briefing.objects.get().lead_figure
    assert figure.missing_image and figure.credit == "IRNA, June 2, 2021"
    assert "left out, Upload a JPEG, PNG, GIF or WebP image" in out
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))


def test_a_missing_media_root_is_an_error():
    with pytest.raises(CommandError, match="not a directory"):
        run(GOOD, "--media-root", FIXTURES / "no-uploads")


# The seed page and a WordPress export, end to end


def shared_file(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"../shared not present: {path.name} is not available")
    return path


@pytest.fixture
def seed() -> Path:
    return shared_file(SEED)


def test_the_seed_page_shows_on_the_site_and_imports_once(seed, client):
    run(seed, "--tag", "Back issues")
    briefing = Briefing.objects.get()
    assert (briefing.period_start.isoformat(), briefing.period_end.isoformat()) == (
        "2020-10-01",
        "2020-10-18",
    )
    assert briefing.editor.name == "Dr. Raz Zimmt"
    figure = briefing.lead_figure
    assert figure.caption.startswith("The meeting of the Iraqi president")
    assert figure.credit == "Mehr, October 4, 2020"
    assert briefing.bullets.filter(section=None).count() == 5
    assert [s.bullets.count() for s in briefing.sections.all()] == [4, 5, 2]
    assert Article.objects.count() == 9

    home = client.get(reverse("newsroom:home")).content.decode()
    detail = client.get(briefing.get_absolute_url()).content.decode()
    assert "Dr. Raz Zimmt" in detail and "Mehr, October 4, 2020" in detail
    # Two of its excerpts name no publication and no date: held back for an editor's look.
    held = Article.objects.filter(needs_review=True)
    assert sorted(held.values_list("status", flat=True)) == ["draft", "draft"]
    assert all("no publication named" in item.review_reasons for item in held)
    for item in [briefing, *Article.objects.filter(needs_review=False)]:
        assert item.is_published, item
        assert item.get_absolute_url() in home
        day = reverse("newsroom:archive_day", kwargs=item.date_kwargs())
        assert item.get_absolute_url() in client.get(day).content.decode()
        assert item.tags.exists(), item
        for tag in item.tags.all():
            page = client.get(reverse("newsroom:tag", kwargs={"slug": tag.slug}))
            assert item.get_absolute_url() in page.content.decode()

    before, stamped = row_counts(), update_stamps()
    run(seed, "--tag", "Back issues")
    assert row_counts() == before
    assert update_stamps() == stamped


def test_the_seed_page_dry_run_json_scores_full_marks(seed, tmp_path):
    out, _ = run(seed, "--dry-run", "--json")
    parsed = tmp_path / "parsed.json"
    parsed.write_text(out, encoding="utf-8")
    expected = seed.with_name("backissue-2020-10-18.expected.json")
    score = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_import.py"), str(parsed), str(expected)],
        capture_output=True,
        text=True,
    )
    assert score.stdout.strip().splitlines()[-1].endswith("(100.0%)"), score.stdout
    assert score.returncode == 0


def test_a_wordpress_export_brings_pages_and_old_addresses_and_imports_once(client):
    export = shared_file(WXR)
    out, _ = run(export)
    assert "Files: 1 of 1 imported, 0 failed." in out
    assert FlatPage.objects.count() == 21
    assert Article.objects.count() == 58
    scheduled = Article.objects.filter(status="published", published_at__gt=timezone.now())
    # Held back besides its draft and its password-protected post: the untitled one and one
    # with neither text nor a figure read from it (an image post shows its image as a figure),
    # each with its reason.
    assert Article.objects.published().count() == 53
    assert scheduled.count() == 1
    drafts = Article.objects.filter(status="draft")
    assert drafts.count() == 4
    assert all(draft.needs_review and draft.review_reasons for draft in drafts)
    # Its password kept readers out: a draft, flagged, and its old addresses give nothing away.
    protected = Article.objects.get(title__startswith="Template: Password Protected")
    assert (protected.status, protected.needs_review) == ("draft", True)
    assert client.get("/2012/01/04/template-password-protected/").status_code == 404
    assert client.get("/?p=1168").status_code == 404
    assert "Password Protected" not in client.get("/tags/template/").content.decode()
    assert set(Article.objects.get(title="Template: Sticky").tags.names()) >= {"sticky", "Classic"}
    assert Article.objects.filter(tags__name="content περιεχόμενο").exists()
    assert FlatPage.objects.filter(title__contains="Ελληνικά").exists()
    # A [caption] shortcode's caption is kept with its post's excerpt.
    captioned = Article.objects.get(source_ref="https://wpthemetestdata.wordpress.com/?p=674")
    assert "Bell on wharf in San Francisco" in [f.caption for f in captioned.figures.all()]

    about = FlatPage.objects.get(url="/about/")
    assert f"<h1>{about.title}</h1>" in client.get("/about/").content.decode()
    published = Article.objects.get(title="Template: Sticky")
    assert published.is_published
    old_address = published.old_addresses.exclude(path__startswith="/?p=").get()
    response = client.get(old_address.path)
    assert (response.status_code, response["Location"]) == (301, published.get_absolute_url())
    assert client.get(response["Location"]).status_code == 200

    before, stamped = row_counts(), update_stamps()
    figures = list(ArticleFigure.objects.values_list("pk", flat=True))
    again, _ = run(export)
    assert row_counts() == before
    assert update_stamps() == stamped
    assert list(ArticleFigure.objects.values_list("pk", flat=True)) == figures
    # 58 posts and 21 pages, and the export's 182 categories and tags, kept even where unused.
    assert "… unchanged 261" in again
