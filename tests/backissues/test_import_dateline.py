"""An excerpt's dateline ("GAZA – " before its standfirst) is stored on the row, and an import
of the same item in another format fills it where the row has none, never replacing one."""

import json

import pytest

from articles.models import Article
from tests.support.import_command import run_import

pytestmark = pytest.mark.django_db

TITLE = "Quiet channels between old rivals"
STANDFIRST = "Officials kept a back channel open through the whole spring."
# The saved page's permalink: the item has a reference of its own there, so it fills the row
# the text page made rather than replacing it.
PERMALINK = "https://old-site.example/2021/05/14/quiet-channels/"
TEXT = "The channel survived two changes of government."


def text_page(tmp_path, opening: str) -> str:
    page = tmp_path / "issue.txt"
    paragraphs = [f"{TITLE} / INSS", opening, "May 14, 2021", TEXT]
    page.write_text("\n\n".join([*paragraphs, "weiterlesen / click to continue"]) + "\n")
    return page


def html_page(tmp_path, place: str) -> str:
    page = tmp_path / "issue.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body class="home blog"><main>'
        '<article class="post type-post"><header class="entry-header">'
        f'<h2 class="entry-title"><a href="{PERMALINK}" rel="bookmark">{TITLE}</a></h2>'
        '</header><div class="entry-content">'
        f"<p>{place} – {STANDFIRST}</p><p>INSS – May 14, 2021</p><p>{TEXT}</p>"
        '<p><a href="https://example.org/quiet-channels">Continue reading</a></p></div>'
        "</article></main></body></html>",
        encoding="utf-8",
    )
    return page


@pytest.mark.parametrize("place", ["GAZA", "MIDDLE EAST", "TEL AVIV/JERUSALEM"])
def test_the_dateline_is_stored_apart_from_the_standfirst(tmp_path, place):
    page = text_page(tmp_path, f"{place} – {STANDFIRST}")
    out, _ = run_import(page, "--dry-run", "--json")
    [parsed] = json.loads(out)["articles"]
    assert (parsed["dateline"], parsed["standfirst"]) == (place, STANDFIRST)

    run_import(page)
    row = Article.objects.get()
    assert (row.dateline, row.standfirst, row.excerpt) == (place, STANDFIRST, TEXT)
    assert place not in row.standfirst_html and place not in row.excerpt_html


def test_an_excerpt_without_one_has_no_dateline_key(tmp_path):
    out, _ = run_import(text_page(tmp_path, STANDFIRST), "--dry-run", "--json")
    [parsed] = json.loads(out)["articles"]
    assert "dateline" not in parsed and parsed["standfirst"] == STANDFIRST


def test_a_later_import_fills_a_missing_dateline(tmp_path):
    run_import(text_page(tmp_path, STANDFIRST))
    assert Article.objects.get().dateline == ""

    out, _ = run_import(html_page(tmp_path, "GAZA"))
    assert "filled 1" in out
    row = Article.objects.get()
    assert (row.dateline, row.standfirst) == ("GAZA", STANDFIRST)
    assert row.continue_url == "https://example.org/quiet-channels"


def test_a_later_import_keeps_the_dateline_an_editor_gave(tmp_path):
    run_import(text_page(tmp_path, STANDFIRST))
    row = Article.objects.get()
    row.dateline = "Gaza City"
    row.save()

    out, _ = run_import(html_page(tmp_path, "GAZA"))
    assert "filled 1" in out
    row = Article.objects.get()
    assert row.dateline == "Gaza City"
    assert row.continue_url == "https://example.org/quiet-channels"  # filled all the same
