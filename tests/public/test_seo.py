"""What crawlers and link previews get: sitemaps, robots.txt, and each page's canonical link,
sharing tags and JSON-LD."""

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.response import TemplateResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date
from PIL import Image

from articles.models import Article
from public.page_meta import DESCRIPTION_LENGTH, summary
from public.sitemaps import SITEMAPS, ArticleSitemap
from publishing.models import Status
from sources.services import refresh_citations
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    BulletFactory,
    FigureFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
SECTIONS = [
    "static",
    "briefings",
    "articles",
    "archives",
    "tags",
    "publications",
    "people",
    "sources",
    "pages",
]


def at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 12, 0))


def png(name: str, size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", size, "navy").save(data, format="PNG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")


@pytest.fixture
def world(settings, tomorrow):
    """A public item of each kind sharing a tag, person and publication; hidden items whose
    tag, person and publication have nothing public; a cited source and a flat page."""
    settings.SITE_URL = SITE
    settings.ITEMS_PER_PAGE = 1  # so that /?page=2 exists
    person = PersonFactory(name="Shared Person", slug="shared-person")
    publication = PublicationFactory(
        name="Shared Review", slug="shared-review", homepage="https://review.example.org/"
    )
    briefing = BriefingFactory(
        title="PUBLIC-BRIEFING", published_at=at(2020, 10, 15), editor=person, tags=["region"]
    )
    BulletFactory(briefing=briefing, text="An *overview* bullet (Mehr, October 4).")
    section = SectionFactory(briefing=briefing, title="Border crossings")
    BulletFactory(briefing=briefing, section=section, text="A section bullet.")
    FigureFactory(briefing=briefing, image=png("lead.png"), alt="A meeting")
    refresh_citations([briefing])
    article = ArticleFactory(
        title="PUBLIC-ARTICLE",
        published_at=at(2020, 10, 16),
        publication=publication,
        authors=[person],
        tags=["region"],
        original_date=dt.date(2020, 10, 14),
        continue_url="https://review.example.org/2020/militias",
    )
    draft = BriefingFactory(
        title="DRAFT-BRIEFING",
        status=Status.DRAFT,
        published_at=at(2020, 10, 15),
        editor=PersonFactory(slug="draft-editor"),
        tags=["draft-only"],
    )
    scheduled = ArticleFactory(
        title="SCHEDULED-ARTICLE",
        published_at=tomorrow,
        publication=PublicationFactory(slug="future-review"),
        authors=[PersonFactory(slug="future-author")],
        tags=["future-only"],
    )
    about = FlatPage.objects.create(url="/about/", title="About us", content="<p>Who we are.</p>")
    about.sites.add(settings.SITE_ID)
    return {"briefing": briefing, "article": article, "draft": draft, "scheduled": scheduled}


class HeadParser(HTMLParser):
    """The <link>, <meta> and JSON-LD of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.metas, self.json_ld = [], [], []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta":
            self.metas.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def rel(self, rel: str) -> list[dict]:
        return [link for link in self.links if link.get("rel") == rel]

    def meta(self, key: str) -> list[str]:
        return [m["content"] for m in self.metas if key in (m.get("name"), m.get("property"))]


def head(client, url: str) -> HeadParser:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def structured_data(page: HeadParser) -> dict:
    assert len(page.json_ld) == 1
    return json.loads(page.json_ld[0])


def page_types(world) -> dict[str, str]:
    """Each kind of public HTML page, and the schema.org type its JSON-LD should have."""
    return {
        "/": "WebSite",
        "/?page=2": "CollectionPage",
        "/briefings/": "CollectionPage",
        "/articles/": "CollectionPage",
        world["briefing"].get_absolute_url(): "NewsArticle",
        world["article"].get_absolute_url(): "Article",
        "/tags/": "CollectionPage",
        "/tags/region/": "CollectionPage",
        "/archive/2020/": "CollectionPage",
        "/archive/2020/10/": "CollectionPage",
        "/archive/2020/10/15/": "CollectionPage",
        "/publications/shared-review/": "CollectionPage",
        "/people/shared-person/": "ProfilePage",
        "/sources/": "CollectionPage",
        "/sources/mehr/": "CollectionPage",
        "/search/?q=overview": "SearchResultsPage",
    }


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_every_page_has_one_canonical_link_its_alternates_and_json_ld(client, world, prefix):
    for path, schema_type in page_types(world).items():
        url = prefix + path
        page = head(client, url)
        canonical = page.rel("canonical")
        assert len(canonical) == 1, url
        assert canonical[0]["href"] == SITE + url, url
        assert page.meta("og:url") == [SITE + url], url
        assert len(page.meta("description")) == 1 and page.meta("description")[0], url
        assert page.meta("og:title") and page.meta("og:site_name"), url
        assert page.meta("og:locale") == [{"": "en_US", "/de": "de_DE"}[prefix]], url
        languages = {
            link["hreflang"]: link["href"] for link in page.rel("alternate") if "hreflang" in link
        }
        english = SITE + path
        assert languages == {"en": english, "de": SITE + "/de" + path, "x-default": english}, url
        data = structured_data(page)
        assert data["@context"] == "https://schema.org", url
        assert data["@type"] == schema_type, url
        assert data.get("url") == SITE + url or data.get("mainEntityOfPage"), url


def test_flat_page_is_a_web_page_canonical_to_itself_without_language_twins(client, world):
    page = head(client, "/about/")
    assert [link["href"] for link in page.rel("canonical")] == [f"{SITE}/about/"]
    assert not [link for link in page.rel("alternate") if "hreflang" in link]
    data = structured_data(page)
    assert data["@type"] == "WebPage" and data["name"] == "About us"
    assert page.meta("description") == ["Who we are."]


def test_briefing_is_a_news_article_with_its_editor_image_and_dates(client, world):
    briefing = world["briefing"]
    url = SITE + briefing.get_absolute_url()
    page = head(client, briefing.get_absolute_url())
    data = structured_data(page)
    assert data["headline"] == "PUBLIC-BRIEFING"
    assert data["datePublished"].startswith("2020-10-15T12:00:00")
    assert data["dateModified"] >= data["datePublished"]
    assert data["author"] == data["editor"]
    assert data["editor"]["name"] == "Shared Person"
    assert data["editor"]["url"] == f"{SITE}/people/shared-person/"
    assert data["publisher"] == {"@type": "Organization", "name": "Newsroom", "url": f"{SITE}/"}
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["inLanguage"] == "en"
    assert data["keywords"] == ["region"]
    image = data["image"][0]
    assert image.startswith(f"{SITE}/media/figures/") and image.endswith(".png")
    assert page.meta("og:type") == ["article"]
    assert page.meta("og:image") == [image]
    assert page.meta("og:image:width") == ["40"] and page.meta("og:image:height") == ["30"]
    assert page.meta("twitter:card") == ["summary_large_image"]
    assert page.meta("article:tag") == ["region"]
    assert page.meta("article:published_time") == [data["datePublished"]]
    assert page.meta("article:modified_time") == [data["dateModified"]]
    # The overview, as plain text, describes the briefing.
    assert page.meta("description") == ["An overview bullet (Mehr, October 4)."]


def test_excerpt_is_an_article_based_on_the_original(client, world):
    article = world["article"]
    page = head(client, article.get_absolute_url())
    data = structured_data(page)
    assert data["@type"] == "Article"
    assert data["url"] == SITE + article.get_absolute_url()
    original = data["isBasedOn"]
    assert original["@type"] == "CreativeWork"
    assert original["url"] == "https://review.example.org/2020/militias"
    assert original["name"] == "PUBLIC-ARTICLE"
    assert [author["name"] for author in original["author"]] == ["Shared Person"]
    assert original["datePublished"] == "2020-10-14"
    assert original["publisher"] == {
        "@type": "Organization",
        "name": "Shared Review",
        "url": "https://review.example.org/",
    }
    assert data["publisher"]["name"] == "Newsroom"
    assert page.meta("twitter:card") == ["summary"]
    assert page.meta("og:image") == []
    assert page.meta("description") == ["How cross-border trade finances armed groups."]


def test_description_is_plain_text_cut_at_a_word():
    long = "<p>Officials met <em>quietly</em> &amp; agreed.</p>" + " Another sentence here." * 20
    text = summary("", "<p> </p>", long)
    assert text.startswith("Officials met quietly & agreed. Another")
    assert len(text) <= DESCRIPTION_LENGTH and text.endswith("…")
    full = "Officials met quietly & agreed." + " Another sentence here." * 20
    assert full.startswith(text[:-1] + " ")  # ends on a whole word
    assert summary("Short.") == "Short."


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_home_page_is_the_web_site_with_a_search_action(client, world, prefix):
    data = structured_data(head(client, f"{prefix}/"))
    assert data["url"] == f"{SITE}{prefix}/"
    action = data["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{SITE}{prefix}/search/?q={{search_terms}}"
    assert action["query-input"] == "required name=search_terms"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/briefings/?utm_source=mail&fbclid=abc", "/briefings/"),
        ("/?page=1", "/"),
        ("/?page=2&utm_campaign=weekly", "/?page=2"),
        ("/de/?page=2", "/de/?page=2"),
        ("/tags/region/?ref=feed", "/tags/region/"),
        ("/search/?q=overview&utm_source=x&page=1", "/search/?q=overview"),
        ("/de/search/?kind=briefing&q=overview", "/de/search/?q=overview&kind=briefing"),
    ],
)
def test_canonical_keeps_only_what_chooses_the_content(client, world, url, canonical):
    page = head(client, url)
    assert [link["href"] for link in page.rel("canonical")] == [SITE + canonical]


def test_search_results_are_not_indexed_but_other_pages_are(client, world):
    assert head(client, "/search/?q=overview").meta("robots") == ["noindex, follow"]
    assert head(client, "/search/").meta("robots") == ["noindex, follow"]
    assert head(client, "/briefings/").meta("robots") == []


def test_not_found_page_has_no_canonical_link_or_structured_data(client, world):
    response = client.get("/tags/no-such-tag/")
    assert response.status_code == 404
    page = HeadParser()
    page.feed(response.content.decode())
    assert page.rel("canonical") == [] and page.json_ld == []
    assert not [link for link in page.rel("alternate") if "hreflang" in link]


def test_a_title_cannot_close_the_json_ld_script(client, world):
    hostile = 'Talks </script><script>alert("x")</script> & <!-- more'
    briefing = BriefingFactory(title=hostile, published_at=at(2020, 10, 17))
    article = ArticleFactory(title=hostile, standfirst=hostile, published_at=at(2020, 10, 17))
    for item in (briefing, article):
        html = client.get(item.get_absolute_url()).content.decode()
        # The only script is the page's own, and it is closed only once.
        assert html.count("<script") == 1 and html.count("</script>") == 1
        page = HeadParser()
        page.feed(html)
        assert structured_data(page)["headline"] == hostile


def xml_of(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def sitemap_entries(client, section: str) -> list[dict]:
    """Each <url> of a section: its address, lastmod and hreflang alternates."""
    return entries_of(client, f"/sitemap-{section}.xml")


def entries_of(client, address: str) -> list[dict]:
    root = xml_of(client, address)
    return [
        {
            "loc": url.findtext("sm:loc", namespaces=NS),
            "lastmod": url.findtext("sm:lastmod", namespaces=NS),
            "alternates": {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link", namespaces=NS)
            },
        }
        for url in root.findall("sm:url", namespaces=NS)
    ]


def test_sitemap_index_lists_each_section_with_its_last_change(client, world):
    root = xml_of(client, "/sitemap.xml")
    entries = root.findall("sm:sitemap", namespaces=NS)
    locations = [entry.findtext("sm:loc", namespaces=NS) for entry in entries]
    assert locations == [f"{SITE}/sitemap-{section}.xml" for section in SECTIONS]
    for entry in entries:
        location = entry.findtext("sm:loc", namespaces=NS)
        if location.endswith("-pages.xml"):
            continue  # flat pages keep no time of change
        lastmod = dt.datetime.fromisoformat(entry.findtext("sm:lastmod", namespaces=NS))
        assert lastmod.tzinfo is not None, location


def both_languages(*paths: str) -> set[str]:
    return {SITE + prefix + path for path in paths for prefix in ("", "/de")}


def test_sitemaps_list_exactly_the_published_items_in_both_languages(client, world):
    briefing, article = world["briefing"], world["article"]
    expected = {
        "static": both_languages("/", "/briefings/", "/articles/", "/tags/", "/sources/"),
        "briefings": both_languages(briefing.get_absolute_url()),
        "articles": both_languages(article.get_absolute_url()),
        "archives": both_languages("/archive/2020/", "/archive/2020/10/"),
        "tags": both_languages("/tags/region/"),
        "publications": both_languages("/publications/shared-review/"),
        "people": both_languages("/people/shared-person/"),
        "sources": both_languages("/sources/mehr/"),
        "pages": {f"{SITE}/about/"},
    }
    for section, locations in expected.items():
        entries = sitemap_entries(client, section)
        found = [entry["loc"] for entry in entries]
        # One <url> per address and language, as Django's i18n sitemaps make them.
        assert sorted(found) == sorted(locations), section


def test_sitemap_entries_have_lastmod_and_both_languages_as_alternates(client, world):
    for section in SECTIONS[:-1]:
        for entry in sitemap_entries(client, section):
            assert entry["lastmod"], (section, entry["loc"])
            english = entry["loc"].replace(f"{SITE}/de/", f"{SITE}/", 1)
            assert entry["alternates"] == {
                "en": english,
                "de": english.replace(SITE, f"{SITE}/de", 1),
                "x-default": english,
            }, (section, entry["loc"])
    (page,) = sitemap_entries(client, "pages")
    assert page["alternates"] == {}


def test_sitemap_lastmod_is_when_the_item_last_changed(client, world):
    briefing = world["briefing"]
    changed = max(briefing.updated_at, briefing.published_at)
    for entry in sitemap_entries(client, "briefings"):
        assert entry["lastmod"] == f"{timezone.localtime(changed):%Y-%m-%d}"
    archives = {entry["loc"]: entry["lastmod"] for entry in sitemap_entries(client, "archives")}
    article = world["article"]
    newest = max(article.updated_at, changed)
    assert archives[f"{SITE}/archive/2020/10/"] == f"{timezone.localtime(newest):%Y-%m-%d}"


def test_x_default_of_a_tag_named_en_keeps_its_slug(client, world):
    ArticleFactory(tags=["en"], published_at=at(2020, 10, 16))
    entries = {entry["loc"]: entry for entry in sitemap_entries(client, "tags")}
    assert entries[f"{SITE}/tags/en/"]["alternates"]["x-default"] == f"{SITE}/tags/en/"


def test_hidden_items_and_what_only_they_use_are_not_in_any_sitemap(client, world):
    text = "".join(client.get(f"/sitemap-{section}.xml").content.decode() for section in SECTIONS)
    for hidden in ("draft", "scheduled"):
        assert world[hidden].slug not in text, hidden
    for slug in ("draft-only", "future-only", "draft-editor", "future-author", "future-review"):
        assert slug not in text, slug
    tomorrow = timezone.localtime(world["scheduled"].published_at)
    assert f"/archive/{tomorrow:%Y/%m}/" not in text


def make_many(count: int) -> None:
    """Items of both kinds in different months, each with its own tag, person and publication."""
    for i in range(count):
        when = at(2019, 1 + i % 12, 1 + i % 28)
        BriefingFactory(published_at=when, tags=[f"many-{i}"])
        ArticleFactory(published_at=when, tags=[f"many-{i}"], authors=[PersonFactory()])


def sitemap_queries(client) -> dict[str, int]:
    counts = {}
    for url in ["/sitemap.xml", *(f"/sitemap-{section}.xml" for section in SECTIONS)]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_sitemap_queries_do_not_grow_with_the_number_of_items(client, world):
    client.get("/sitemap-static.xml")  # the first sitemap of the process looks up the Site
    few = sitemap_queries(client)
    make_many(30)
    many = sitemap_queries(client)
    assert few == many
    # A section groups its items once per way they belong to it (a person edits and writes),
    # then fetches its rows; the index asks every section.
    sections = {url: count for url, count in many.items() if url != "/sitemap.xml"}
    assert max(sections.values()) <= 3
    assert many["/sitemap.xml"] <= sum(sections.values())


def test_robots_txt_allows_the_site_and_names_the_sitemap_index(client, world):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in (f"/{settings.ADMIN_URL}", "/search/", "/de/search/"):
        assert f"Disallow: {path}" in lines
    assert "Allow: /" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


@pytest.mark.parametrize("url", ["/de/robots.txt", "/de/sitemap.xml", "/de/sitemap-briefings.xml"])
def test_crawler_files_exist_only_at_the_root(client, world, url):
    assert client.get(url).status_code == 404


def test_unknown_sitemap_section_is_404(client, world):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def stock_entries(section: str, rf) -> list[dict]:
    """The section's entries as Django's own i18n sitemap makes and renders them, with the
    x-default address being the English one."""
    sitemap = SITEMAPS[section]()
    urls = Sitemap.get_urls(sitemap)
    for url in urls:
        by_language = {alternate["lang_code"]: alternate for alternate in url["alternates"]}
        if "x-default" in by_language:
            by_language["x-default"]["location"] = by_language["en"]["location"]
    response = TemplateResponse(rf.get("/"), "sitemap.xml", {"urlset": urls}).render()
    root = ET.fromstring(response.content)
    return [
        {
            "loc": url.findtext("sm:loc", namespaces=NS),
            "lastmod": url.findtext("sm:lastmod", namespaces=NS),
            "alternates": [
                (link.get("hreflang"), link.get("href"))
                for link in url.findall("xhtml:link", namespaces=NS)
            ],
        }
        for url in root.findall("sm:url", namespaces=NS)
    ]


def test_each_section_says_what_django_s_i18n_sitemap_says(client, world, rf):
    make_many(3)
    for section in SECTIONS:
        ours = [
            {**entry, "alternates": list(entry["alternates"].items())}
            for entry in sitemap_entries(client, section)
        ]
        assert ours == stock_entries(section, rf), section


def test_a_section_past_the_limit_is_split_into_pages(client, world, monkeypatch):
    make_many(2)
    monkeypatch.setattr(ArticleSitemap, "limit", 4)  # addresses a page: two excerpts, twice
    index = xml_of(client, "/sitemap.xml")
    locations = [entry.findtext("sm:loc", namespaces=NS) for entry in index]
    pages = [f"{SITE}/sitemap-articles.xml", f"{SITE}/sitemap-articles.xml?p=2"]
    assert [loc for loc in locations if "articles" in loc] == pages
    assert not any("?p=3" in loc for loc in locations)
    first = sitemap_entries(client, "articles")
    second = [entry["loc"] for entry in entries_of(client, "/sitemap-articles.xml?p=2")]
    assert len(first) == 4 and len(second) == 2
    everything = [entry["loc"] for entry in first] + second
    expected = [a.get_absolute_url() for a in Article.objects.published()]
    assert sorted(everything) == sorted(both_languages(*expected))
    for page in ("3", "0", "x"):
        assert client.get("/sitemap-articles.xml", {"p": page}).status_code == 404


def test_a_section_page_says_when_its_newest_entry_changed(client, world):
    article = world["article"]
    response = client.get("/sitemap-articles.xml")
    changed = max(article.updated_at, article.published_at)
    assert response["Last-Modified"] == http_date(changed.timestamp())
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
