"""Hostile text in every field an editor or the importer fills never reaches a reader's
browser in a form that runs.

Each payload of tests/fixtures/xss/payloads.txt goes into every text field of an excerpt, a
briefing, their figures, publication, person and tags: saved as a model (rendering and
sanitizing its Markdown), posted through the admin's forms, and imported from a text page, a
saved HTML page and a WordPress export. Then every public page that shows them is fetched,
following the site's own links from the home page, and parsed as a browser would
(tests/support/executable_markup.py).
"""

import datetime as dt
import html
import json
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from articles.models import Article, ArticleFigure
from briefings.models import Briefing, Bullet, Figure, Section
from people.models import Person, Publication
from publishing.models import Status
from tests.support.executable_markup import findings
from tests.support.images import photo, upload
from tests.support.paths import FIXTURES

PAYLOAD_FILE = FIXTURES / "xss" / "payloads.txt"


def load_payloads() -> list[str]:
    lines = PAYLOAD_FILE.read_text(encoding="utf-8").splitlines()
    return [
        line.replace("\\n", "\n").replace("\\t", "\t")
        for line in lines
        if line and not line.startswith("#")
    ]


PAYLOADS = load_payloads()
PAST = dt.datetime(2021, 5, 9, 12, 0, tzinfo=dt.UTC)
# Pages the crawl does not follow: the admin, static files, media, the other language's twin
# of each page (the same content; one /de/ page is fetched on purpose).
LEFT_ALONE = ("/static/", "/media/", f"/{settings.ADMIN_URL}", "/_nested_admin/", "/de/")


def test_the_corpus_has_at_least_a_hundred_payloads_of_each_kind():
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    joined = "\n".join(PAYLOADS).lower()
    for form in ("<script", "onerror", "javascript:", "data:", "vbscript:", "<svg", "<iframe"):
        assert form in joined
    for form in ("expression(", "](javascript:", '"><script>', "{{", "</script>", "&#106;"):
        assert form in joined


def fit(model, field: str, text: str, suffix: str = "") -> str:
    """`text` cut to the field's length, leaving room for a suffix that keeps it unique."""
    limit = model._meta.get_field(field).max_length
    return (text[: limit - len(suffix)] if limit else text) + suffix


# --- Checking pages ------------------------------------------------------------------------


def check_response(url: str, response) -> list[str]:
    content_type = response.get("Content-Type", "")
    body = response.content.decode()
    if "html" in content_type:
        found = findings(body)
        if "Content-Security-Policy" not in response:
            found.append("no Content-Security-Policy header")
    elif "xml" in content_type:
        found = feed_findings(body)
    elif "json" in content_type:
        found = json_findings(json.loads(body))
    else:
        found = []
    return [f"{url}: {finding}" for finding in found]


# The elements of RSS and Atom that carry HTML as escaped text; titles and names are text.
FEED_HTML = {"description", "encoded", "content", "summary"}


def feed_findings(body: str) -> list[str]:
    root = etree.fromstring(body.encode())
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in FEED_HTML and element.text and element.get("type", "html") == "html":
            found += findings(element.text, fragment=True)
        for link in (element.get("href"), element.text if name == "link" else None):
            if link:
                found += findings(f'<a href="{html.escape(link)}"></a>', fragment=True)
    return found


def json_findings(value) -> list[str]:
    """JSON Feed: `content_html` is HTML, each `…url` a link; the other strings are text."""
    if isinstance(value, list):
        return [finding for item in value for finding in json_findings(item)]
    if not isinstance(value, dict):
        return []
    found = []
    for key, item in value.items():
        if key == "content_html":
            found += findings(item, fragment=True)
        elif key.endswith("url") and isinstance(item, str):
            found += findings(f'<a href="{html.escape(item)}"></a>', fragment=True)
        else:
            found += json_findings(item)
    return found


def own_links(body: str) -> set[str]:
    """The site's own addresses a page links to (href of <a> and <link>), without fragments."""
    import html5lib

    root = html5lib.parse(body, namespaceHTMLElements=False)
    links = set()
    for element in root.iter():
        href = element.get("href") if isinstance(element.tag, str) else None
        if not href:
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(LEFT_ALONE):
            continue
        links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def crawl(client, start: list[str], limit: int = 3000) -> tuple[set[str], list[str]]:
    """Every page reachable from `start` by the site's own links: the pages seen, and what
    executable forms they hold."""
    seen, found, queue = set(), [], list(start)
    while queue and len(seen) < limit:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 301, 302, 404), (url, response.status_code)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        found += check_response(url, response)
        if "html" in response.get("Content-Type", ""):
            queue += own_links(response.content.decode()) - seen
    return seen, found


def start_pages(search_words: list[str]) -> list[str]:
    pages = ["/", "/articles/", "/briefings/", "/tags/", "/sources/", "/feed/", "/feed/atom/"]
    pages += ["/feed.json", "/de/", reverse("robots_txt")]
    pages += [f"{reverse('newsroom:search')}?q={word}" for word in search_words]
    pages += [item.get_absolute_url() for item in Article.objects.all()]
    pages += [item.get_absolute_url() for item in Briefing.objects.all()]
    pages += [person.get_absolute_url() for person in Person.objects.all()]
    pages += [publication.get_absolute_url() for publication in Publication.objects.all()]
    for item in [*Article.objects.all(), *Briefing.objects.all()]:
        pages += [reverse("newsroom:tag", args=[tag.slug]) for tag in item.tags.all()]
    return pages


def assert_nothing_runs(client, search_words=("alert", "click", "script")) -> set[str]:
    seen, found = crawl(client, start_pages(list(search_words)))
    assert found == [], f"{len(found)} executable forms, e.g.\n" + "\n".join(found[:30])
    return seen


@pytest.fixture
def many_per_page(settings):
    # Every item on the first page of each list, so the crawl reads each list once.
    settings.ITEMS_PER_PAGE = 1000


# --- Through the models --------------------------------------------------------------------


def save_everything(payload: str, index: int, with_image: bool) -> tuple[Article, Briefing]:
    n = f" {index}"
    publication = Publication.objects.create(
        name=fit(Publication, "name", payload, n), homepage=payload[:200]
    )
    person = Person.objects.create(name=fit(Person, "name", payload, n), bio=payload)
    article = Article.objects.create(
        title=fit(Article, "title", payload),
        slug=f"xss-article-{index}",
        status=Status.PUBLISHED,
        published_at=PAST,
        kicker=fit(Article, "kicker", payload),
        standfirst=payload,
        publication=publication,
        original_date=PAST.date(),
        excerpt=payload,
        editor_note=payload,
        continue_url=fit(Article, "continue_url", payload),
        continue_label=fit(Article, "continue_label", payload),
    )
    article.authors.add(person)
    article.tags.add(fit(Article, "title", payload, n)[:90])
    figure = ArticleFigure(
        article=article,
        alt=fit(ArticleFigure, "alt", payload),
        caption=fit(ArticleFigure, "caption", payload),
        credit=fit(ArticleFigure, "credit", payload),
    )
    if with_image:
        figure.image = upload(f"xss-{index}.jpg", photo(8, 6))
    figure.save()
    briefing = Briefing.objects.create(
        series=fit(Briefing, "series", payload),
        publisher=fit(Briefing, "publisher", payload),
        title=fit(Briefing, "title", payload),
        slug=f"xss-briefing-{index}",
        status=Status.PUBLISHED,
        published_at=PAST,
        period_start=PAST.date() - dt.timedelta(days=14),
        period_end=PAST.date(),
        editor=person,
    )
    briefing.tags.add(f"b {index} " + payload[:80])
    Bullet.objects.create(briefing=briefing, text=f"{payload} (Mehr, May {index % 28 + 1})")
    section = Section.objects.create(briefing=briefing, title=fit(Section, "title", payload))
    Bullet.objects.create(briefing=briefing, section=section, text=payload)
    Figure.objects.create(
        briefing=briefing,
        alt=fit(Figure, "alt", payload),
        caption=fit(Figure, "caption", payload),
        credit=fit(Figure, "credit", payload),
        image=upload(f"xss-b-{index}.jpg", photo(8, 6)) if with_image else None,
    )
    return article, briefing


@pytest.mark.django_db
def test_payloads_saved_through_the_models_never_run(client, many_per_page):
    for index, payload in enumerate(PAYLOADS):
        save_everything(payload, index, with_image=index % 8 == 0)
    seen = assert_nothing_runs(client)
    # The crawl reached every item and what lists them.
    assert len(seen) > 6 * len(PAYLOADS)
    shown = client.get(Article.objects.get(slug="xss-article-0").get_absolute_url())
    assert "alert(1)" in shown.content.decode()  # the title, as text


# --- Through the admin's forms -------------------------------------------------------------


@pytest.mark.django_db
def test_payloads_posted_through_the_admin_never_run(admin_client, client, many_per_page):
    from tests.support.admin_forms import AdminForm, form_errors

    add_article = reverse("admin:articles_article_add")
    add_briefing = reverse("admin:briefings_briefing_add")
    refused_links = 0
    for index, payload in enumerate(PAYLOADS):
        publication = Publication.objects.create(name=f"Outlet {index}")
        form = AdminForm(admin_client.get(add_article), "article")
        fields = {
            "title": fit(Article, "title", payload),
            "kicker": fit(Article, "kicker", payload),
            "standfirst": payload,
            "excerpt": payload,
            "editor_note": payload,
            "continue_label": fit(Article, "continue_label", payload),
            "continue_url": "https://outlet.example/story",
            "tags": f'"{payload[:60].replace(chr(34), "")} {index}"',
            "publication": str(publication.pk),
            "status": "published",
            "language": "en",
            "published_at_0": "2021-05-09",
            "published_at_1": "12:00:00",
        }
        form.set(**{name: value for name, value in fields.items() if name in form.names})
        form.fill_formset(
            "figures",
            [
                {
                    "caption": fit(ArticleFigure, "caption", payload),
                    "credit": fit(ArticleFigure, "credit", payload),
                    "position": 0,
                }
            ],
        )
        response = admin_client.post(add_article, form.data)
        assert response.status_code == 302, (payload, form_errors(response))

        # The link field refuses every payload that is not a web address.
        form.set(continue_url=payload[:500])
        if admin_client.post(add_article, form.data).status_code == 200:
            refused_links += 1

        form = AdminForm(admin_client.get(add_briefing), "briefing")
        form.set(
            series=fit(Briefing, "series", payload),
            title=fit(Briefing, "title", payload),
            period_start="2021-04-26",
            period_end="2021-05-09",
            tags=f"briefing {index}",
            status="published",
            language="en",
            published_at_0="2021-05-09",
            published_at_1="12:00:00",
        )
        form.fill_formset("bullets", [{"text": payload, "position": 0}])
        form.fill_formset("sections", [{"title": fit(Section, "title", payload), "position": 0}])
        form.fill_formset("sections-0-bullets", [{"text": payload, "position": 0}])
        captioned = {
            "caption": fit(Figure, "caption", payload),
            "credit": fit(Figure, "credit", payload),
        }
        form.fill_formset("lead_figure", [captioned])
        form.fill_formset("sections-0-figure", [captioned])
        response = admin_client.post(add_briefing, form.data)
        assert response.status_code == 302, (payload, form_errors(response))
    assert Article.objects.count() == Briefing.objects.count() == len(PAYLOADS)
    assert Article.objects.exclude(continue_url="https://outlet.example/story").count() == 0
    assert refused_links == len(PAYLOADS)
    assert_nothing_runs(client)


# --- Through the importer ------------------------------------------------------------------


def one_line(payload: str) -> str:
    return " ".join(payload.split())


def text_page(payloads: list[str]) -> str:
    blocks = []
    for index, payload in enumerate(payloads):
        line = one_line(payload)
        blocks.append(
            f"{line} number {index} / AL MONITOR\n\n"
            f"3 May 2021 – {line}\n\n{line}\n\nweiterlesen / click to continue\n"
        )
    return "\n\n".join(blocks)


def html_page(payloads: list[str]) -> str:
    posts = []
    for index, payload in enumerate(payloads):
        posts.append(
            '<article class="post type-post"><h2 class="entry-title">'
            f'<a href="https://old-site.example/2021/05/{index}/post/">'
            f"{html.escape(payload)} {index}</a></h2>"
            f'<div class="entry-content"><p>{payload}</p><p>{payload}</p>'
            f'<p><a href="{html.escape(payload)}">weiterlesen / click to continue</a></p>'
            "</div></article>"
        )
    return f"<!DOCTYPE html><html><body><main>{''.join(posts)}</main></body></html>"


def wxr_export(payloads: list[str]) -> str:
    def cdata(text: str) -> str:
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"

    items = []
    for index, payload in enumerate(payloads):
        continue_link = f'<p><a href="{html.escape(payload)}">Continue reading</a></p>'
        items.append(
            f"<item><title>{cdata(payload)}</title>"
            f"<link>https://old.example.net/2021/05/{index}/</link>"
            f'<guid isPermaLink="false">https://old.example.net/?p={index + 10}</guid>'
            f"<dc:creator>desk</dc:creator>"
            f"<content:encoded>{cdata(f'<p>{payload}</p>')}"
            f"{cdata(continue_link)}"
            "</content:encoded>"
            f"<excerpt:encoded>{cdata(payload)}</excerpt:encoded>"
            f"<wp:post_id>{index + 10}</wp:post_id>"
            "<wp:post_date>2021-05-09 09:00:00</wp:post_date>"
            "<wp:post_date_gmt>2021-05-09 07:00:00</wp:post_date_gmt>"
            f"<wp:post_name>post-{index}</wp:post_name><wp:status>publish</wp:status>"
            "<wp:post_type>post</wp:post_type>"
            f'<category domain="post_tag" nicename="t{index}">{cdata(payload[:60])}</category>'
            f'<category domain="category" nicename="c{index}">{cdata(payload[:60])}</category>'
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<channel><title>Old site</title><link>https://old.example.net</link>"
        "<wp:wxr_version>1.2</wp:wxr_version>"
        "<wp:base_blog_url>https://old.example.net</wp:base_blog_url>"
        f"{''.join(items)}</channel></rss>\n"
    )


@pytest.mark.django_db
def test_imported_payloads_never_run(client, tmp_path, many_per_page):
    (tmp_path / "page.txt").write_text(text_page(PAYLOADS), encoding="utf-8")
    (tmp_path / "page.html").write_text(html_page(PAYLOADS), encoding="utf-8")
    (tmp_path / "export.xml").write_text(wxr_export(PAYLOADS), encoding="utf-8")
    out = StringIO()
    call_command("import_backissues", str(tmp_path), stdout=out, stderr=StringIO())
    # All three files imported (some items as drafts, to review); a text page reads some
    # payloads as the end of the excerpt before, so it gives fewer items than payloads.
    assert Article.objects.count() >= 2 * len(PAYLOADS), out.getvalue()
    assert "failed" not in out.getvalue().splitlines()[-1], out.getvalue()
    Article.objects.update(status=Status.PUBLISHED, published_at=PAST)
    Briefing.objects.update(status=Status.PUBLISHED, published_at=PAST)
    links = Article.objects.exclude(continue_url="").values_list("continue_url", flat=True)
    assert all(link.startswith(("http://", "https://")) for link in links)
    assert_nothing_runs(client)
