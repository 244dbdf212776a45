"""WordPress exports of our own writing, in the shapes WordPress's own importer tests: what it
accepts and refuses, terms kept, pages in place, exact text, its limits, nothing dropped."""

import html
import re
from io import StringIO

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.html import strip_tags
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from taggit.models import Tag

from articles.models import Article
from backissues.formats.wxr import parse_wxr
from backissues.parsing.errors import BackIssueError
from publishing.models import CategorizedItem, Category, Status
from tests.support import paths
from tests.support.images import photo
from tests.support.imported_rows import row_counts, update_stamps

FIXTURES = paths.FIXTURES / "wxr"
EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>{version}
{items}
</channel></rss>"""
POST = """<item><title>A post</title><content:encoded>Its text.</content:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_type>{kind}</wp:post_type><wp:status>{status}</wp:status>
<wp:post_date_gmt>2030-01-01 00:00:00</wp:post_date_gmt></item>"""


def export(tmp_path, version="<wp:wxr_version>1.2</wp:wxr_version>", items=None):
    path = tmp_path / "export.xml"
    items = items if items is not None else POST.format(post_id=1, kind="post", status="publish")
    path.write_text(EXPORT.format(version=version, items=items), encoding="utf-8")
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("import_backissues", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def shown(html_text: str) -> str:
    """What a reader's browser shows of rendered HTML."""
    return html.unescape(strip_tags(html_text))


# --- Accepted and refused ----------------------------------------------------------------


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    version=st.one_of(
        st.from_regex(r"\A[0-9]{1,3}\.[0-9]{1,3}\Z"),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8),
    )
)
def test_an_export_is_read_only_with_a_version_like_wordpress_reads(tmp_path, version):
    path = export(tmp_path, f"<wp:wxr_version>{html.escape(version)}</wp:wxr_version>")
    if re.fullmatch(r"[0-9]+\.[0-9]+", version.strip()):
        assert [a.title for a in parse_wxr(path, "export.xml").articles] == ["A post"]
    else:
        with pytest.raises(BackIssueError, match="WXR version"):
            parse_wxr(path, "export.xml")


def test_an_export_without_a_version_is_refused(tmp_path):
    with pytest.raises(BackIssueError, match=r"no WXR version \(<wp:wxr_version>\)"):
        parse_wxr(export(tmp_path, version=""), "export.xml")


def test_namespace_variants_wordpress_reads_are_read_and_a_foreign_wp_prefix_is_not():
    parsed = parse_wxr(FIXTURES / "namespaces.xml", "namespaces.xml")
    [article] = parsed.articles
    assert (article.title, article.source_status) == ("Prefixed otherwise", "published")
    assert article.categories == ["lakes"]
    assert [(t.taxonomy, t.slug, t.name) for t in parsed.terms] == [("category", "lakes", "Lakes")]
    assert parsed.not_imported == {"not WordPress's item": 1}


@pytest.mark.parametrize(
    "items",
    [
        "",
        POST.format(post_id=1, kind="post", status="trash"),
        POST.format(post_id=1, kind="attachment", status="inherit"),
        POST.format(post_id=1, kind="nav_menu_item", status="publish"),
    ],
)
def test_an_export_with_nothing_to_import_is_an_error_naming_what_it_held(tmp_path, items):
    with pytest.raises(BackIssueError, match="nothing to import") as raised:
        parse_wxr(export(tmp_path, items=items), "export.xml")
    if "nav_menu_item" in items:
        assert "1 nav_menu_item item" in str(raised.value)


# --- Terms, pages and what is not imported ------------------------------------------------


@pytest.mark.django_db
def test_terms_are_kept_by_slug_with_their_tree_used_or_not(client):
    out = run(FIXTURES / "terms-and-pages.xml")
    categories = {c.slug: c for c in Category.objects.select_related("parent")}
    assert set(categories) == {"regions", "basins-delta", "delta", "dams", "nobody-writes-here"}
    assert categories["regions"].description == "Where the rivers run"
    # Two categories named "Delta" stay two, each in its place.
    assert (categories["basins-delta"].name, categories["basins-delta"].parent.slug) == (
        "Delta",
        "regions",
    )
    assert (categories["delta"].name, categories["delta"].parent) == ("Delta", None)
    assert categories["nobody-writes-here"].parent.slug == "regions"
    # Tags no post uses exist; "Silt" and "Silt load" are two; the tag "Dams" is no category.
    assert {"Silt", "Silt load", "Dams"} <= set(Tag.objects.values_list("name", flat=True))
    assert Tag.objects.get(name="Silt").slug == "silt"
    post = Article.objects.get(title="Gauges on the lower reach")
    placed = CategorizedItem.objects.filter(object_id=post.pk).values_list("category__slug")
    assert sorted(slug for (slug,) in placed) == ["basins-delta", "dams"]
    # What has no place here is counted and listed without -v 2.
    assert "Not imported (-v 2 lists where):" in out
    assert "2 author, 1 comment, 1 post format, 1 term of taxonomy nav_menu" in out


@pytest.mark.django_db
def test_pages_keep_their_place_and_their_page_id_redirects(client):
    run(FIXTURES / "terms-and-pages.xml")
    pages = dict(FlatPage.objects.values_list("url", "registration_required"))
    # The child page comes first in the file; its address is under its parent's.
    assert pages == {"/structures/weirs/": False, "/structures/": False, "/unfinished-page/": True}
    response = client.get("/?page_id=52")
    assert (response.status_code, response["Location"]) == (301, "/structures/weirs/")
    assert client.get("/?page_id=999").status_code == 404
    # A draft page is for signed-in staff only, as WordPress kept it from readers.
    assert client.get("/unfinished-page/").status_code != 200


@pytest.mark.django_db
def test_a_second_import_changes_nothing(tmp_path):
    for name in ("terms-and-pages.xml", "text-fidelity.xml", "media.xml"):
        run(FIXTURES / name, "--media-root", uploads(tmp_path))
    before, stamped = row_counts(), update_stamps()
    for name in ("terms-and-pages.xml", "text-fidelity.xml", "media.xml"):
        out = run(FIXTURES / name, "--media-root", uploads(tmp_path))
        assert "created" not in out.splitlines()[0] and "updated" not in out.splitlines()[0]
    assert (row_counts(), update_stamps()) == (before, stamped)


# --- Exact text and WordPress's limits ----------------------------------------------------


@pytest.mark.django_db
def test_text_survives_byte_for_byte_into_what_readers_see():
    run(FIXTURES / "text-fidelity.xml")
    paths_post = Article.objects.get(title="Paths and quotes")
    assert 'D:\\data\\rivers and don\\\'t say \\"done\\" yet.' in shown(paths_post.excerpt_html)
    unicode_post = Article.objects.get(slug="zwei-ufer")
    assert unicode_post.title == "Zwei Ufer \u202egnäl\u202c – نهر 🌊"
    seen = shown(unicode_post.excerpt_html)
    assert "\u202bالنيل والفرات\u202c und 𝔇𝔢𝔩𝔱𝔞 ☂︎ ẞ\u200d." in seen
    assert "Wrote it as <![CDATA[ raw text ]]> and left it." in seen
    assert seen.rstrip().endswith("ends with ]] >")
    assert Category.objects.get(slug="quotes").name == 'the \\"best\\" quotes'
    assert Tag.objects.filter(name="it\\'s").exists()


@pytest.mark.django_db
def test_wordpress_limits_are_cut_to_fit_with_a_note_never_failing_the_file():
    out = run(FIXTURES / "text-fidelity.xml", "-v", "2")
    assert "0 failed" in out
    long = Article.objects.get(title__startswith="A very long title")
    assert len(long.title) <= 300 and long.title.endswith("about")
    assert "title shortened to 300 characters" in out
    assert long.slug.startswith("sediment-sediment") and len(long.slug) <= 200
    assert "slug shortened to" in out
    [tag] = long.tags.names()
    assert len(tag) <= 100 and "tag shortened to 100 characters" in out


@pytest.mark.django_db
def test_an_untitled_post_is_named_by_its_first_words_flagged_and_a_draft():
    out = run(FIXTURES / "text-fidelity.xml")
    untitled = Article.objects.get(source_ref="https://notes.example.com/?p=14")
    assert untitled.title == "Notes from the upper basin, where the snow…"
    assert (untitled.status, untitled.needs_review) == (Status.DRAFT, True)
    assert re.search(r"text-fidelity\.xml, line \d+: article: no title", out)  # flagged


# --- Nothing a post shows is dropped ------------------------------------------------------


def uploads(tmp_path):
    root = tmp_path / "uploads"
    for name in ("2030/06/heron.jpg", "2030/06/reeds.jpg"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(photo(60, 40))
    return root


@pytest.mark.django_db
def test_images_outside_figures_and_attached_images_become_figures_with_their_files(tmp_path):
    out = run(FIXTURES / "media.xml", "--media-root", uploads(tmp_path))
    post = Article.objects.get(title="Birds of the marsh")
    figures = list(post.figures.order_by("position"))
    # A resized copy shown outside a figure, and an image only uploaded to the post.
    assert [(f.caption, f.alt) for f in figures] == [
        ("Reeds in the wind", "Reeds"),
        ("A heron at dawn. Photo: R. Lake", "A grey heron"),
    ]
    assert all(f.image and default_storage.exists(f.image.name) for f in figures)
    assert "Figures without an image" not in out


@pytest.mark.django_db
def test_frames_players_and_embeds_become_links_to_their_source_with_a_note():
    out = run(FIXTURES / "media.xml")
    post = Article.objects.get(title="Birds of the marsh")
    for source in (
        "https://video.example.org/embed/marsh",
        "https://sounds.example.org/marsh-at-dawn",
        "https://pictures.example.com/wp-content/uploads/2030/06/marsh.mp4",
    ):
        assert f'href="{source}"' in post.excerpt_html
    assert "3 embed (kept as a link)" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("version", "items", "reason"),
    [
        ("", None, "no WXR version"),
        ("<wp:wxr_version>1.x</wp:wxr_version>", None, "WXR version '1.x' is not one like 1.2"),
        ("<wp:wxr_version>1.2</wp:wxr_version>", "", "nothing to import"),
    ],
)
def test_a_refused_export_fails_the_command_naming_why_and_writes_nothing(
    tmp_path, version, items, reason
):
    before, out = row_counts(), StringIO()
    with pytest.raises(CommandError, match="1 of 1 files failed"):
        call_command(
            "import_backissues",
            str(export(tmp_path, version, items)),
            stdout=out,
            stderr=StringIO(),
        )
    assert reason in out.getvalue()
    assert row_counts() == before
