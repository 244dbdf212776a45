"""What a page tells search engines and link previews: its canonical address, language
alternates, description, OpenGraph and Twitter tags, and JSON-LD.

Each view gives its page's `PageMeta` through `PageMetaMixin.get_page_meta()`, from the
builders here; flat pages build theirs in their template (`{% flat_page_meta %}`), and
`templates/includes/page_meta.html` writes it into <head>.

Canonical addresses: SITE_URL plus the path in the page's own language, so /de/ pages are
canonical to themselves and name their English twin as an alternate. Only the query
parameters that choose what a page shows are kept: `page` (not 1) on lists, the search form's
fields on search results (which are also `noindex`). Error pages have none.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from articles.models import Article
from briefings.models import Briefing
from public.feeds import absolute_url, item_people
from publishing.models import Publishable
from publishing.page_keys import record, row_key
from publishing.teasers import teaser
from publishing.web_links import is_web_url

DESCRIPTION_LENGTH = 160
OG_LOCALES = {"en": "en_US", "de": "de_DE"}

# JSON may hold "</script>" or "<!--" in an item's text; as \u escapes it cannot end the script.
SCRIPT_SAFE_JSON = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


@dataclass
class Image:
    url: str
    alt: str
    width: int | None = None
    height: int | None = None


@dataclass
class PageMeta:
    title: str
    description: str
    canonical: str
    structured_data: dict
    og_type: str = "website"
    robots: str = ""
    image: Image | None = None
    published_time: str | None = None
    modified_time: str | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def alternates(self) -> list[dict[str, str]]:
        """The canonical address in each interface language, plus x-default (the default one)."""
        links = [
            {"code": code, "url": translate_url(self.canonical, code)}
            for code, _name in settings.LANGUAGES
        ]
        if len({link["url"] for link in links}) == 1:
            # Not a translatable address (a flat page): no twin to point at.
            return []
        default = next(link for link in links if link["code"] == settings.LANGUAGE_CODE)
        return [*links, {"code": "x-default", "url": default["url"]}]

    @property
    def locale(self) -> str:
        return OG_LOCALES.get(get_language(), get_language())

    @property
    def locale_alternates(self) -> list[str]:
        others = [code for code, _name in settings.LANGUAGES if code != get_language()]
        return [OG_LOCALES.get(code, code) for code in others]

    @property
    def json_ld(self) -> SafeString:
        data = {"@context": "https://schema.org", **self.structured_data}
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
        return mark_safe(text.translate(SCRIPT_SAFE_JSON))


# Addresses and text


def canonical_url(request: HttpRequest, keep: tuple[str, ...] = ()) -> str:
    """This page's address on SITE_URL with only the `keep` parameters that are set."""
    kept = [(name, request.GET.get(name, "").strip()) for name in keep]
    kept = [(name, value) for name, value in kept if value and (name, value) != ("page", "1")]
    query = f"?{urlencode(kept)}" if kept else ""
    return f"{settings.SITE_URL}{escape_uri_path(request.path)}{query}"


def summary(*texts: str) -> str:
    """The first of `texts` with words in it, cut at a word to about 160 characters."""
    return teaser(*texts, length=DESCRIPTION_LENGTH)


def listing_summary(heading: str, titles: list[str]) -> str:
    """A list page is described by what it lists first, which differs from page to page."""
    return summary(f"{heading}: {'; '.join(titles)}" if titles else heading)


def tagline() -> str:
    return gettext("Weekly briefings and selected analysis on the Middle East.")


def iso(moment: dt.datetime | dt.date | None) -> str | None:
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).isoformat(timespec="seconds")
    return moment.isoformat() if moment else None


# Schema.org fragments


def site_node() -> dict:
    return {
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": absolute_url(reverse("newsroom:home")),
    }


def organization_node() -> dict:
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": f"{settings.SITE_URL}/"}


def person_node(person) -> dict:
    return {"@type": "Person", "name": person.name, "url": absolute_url(person.get_absolute_url())}


def web_page(schema_type: str, title: str, description: str, canonical: str, **extra) -> dict:
    return {
        "@type": schema_type,
        "name": title,
        "description": description,
        "url": canonical,
        "inLanguage": get_language(),
        "isPartOf": site_node(),
        **extra,
    }


def listed_page(
    request: HttpRequest,
    title: str,
    titles: list[str],
    schema_type: str = "CollectionPage",
    **extra,
) -> PageMeta:
    canonical = canonical_url(request, keep=("page",))
    description = listing_summary(title, titles)
    return PageMeta(
        title=title,
        description=description,
        canonical=canonical,
        structured_data=web_page(schema_type, title, description, canonical, **extra),
    )


def index_page(request: HttpRequest, title: str, things: list) -> PageMeta:
    """An index of named things (topics, sources), described by their names."""
    names = ", ".join(thing.name for thing in things)
    return listed_page(request, title, [names] if names else [])


# Items


def item_page(request: HttpRequest, item: Publishable) -> PageMeta:
    canonical = canonical_url(request)
    figure = item.lead_image
    image = figure and Image(absolute_url(figure.image.url), figure.alt, *image_size(figure))
    modified = max(item.updated_at, item.published_at)
    if isinstance(item, Briefing):
        bullets = " ".join(bullet.text_html for bullet in briefing_bullets(item))
        description = summary(escape(item.summary), bullets)
        description = description or item.period_label()
        data = briefing_data(item)
    else:
        description = summary(item.standfirst_html, item.excerpt_html, item.editor_note_html)
        data = article_data(item)
    data.update(
        {
            "url": canonical,
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
            "headline": item.title,
            "description": description,
            "datePublished": iso(item.published_at),
            "dateModified": iso(modified),
            "inLanguage": item.language,
            "publisher": organization_node(),
            "keywords": [tag.name for tag in item.tag_list],
        }
    )
    if image:
        data["image"] = [image.url]
    return PageMeta(
        title=item.title,
        description=description,
        canonical=canonical,
        structured_data=data,
        og_type="article",
        image=image,
        published_time=data["datePublished"],
        modified_time=data["dateModified"],
        tags=data["keywords"],
    )


def briefing_bullets(briefing: Briefing) -> list:
    return briefing.overview or [
        b for section in briefing.sections.all() for b in section.bullet_list
    ]


def briefing_data(briefing: Briefing) -> dict:
    data = {"@type": "NewsArticle"}
    if briefing.editor:
        data["author"] = data["editor"] = person_node(briefing.editor)
    else:
        data["author"] = organization_node()
    if briefing.series:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": briefing.series}
    return data


def article_data(article: Article) -> dict:
    """Our page is an Article in its own right, based on the original it excerpts."""
    authors = [person_node(person) for person in item_people(article)]
    original = {"@type": "CreativeWork", "name": article.title}
    if is_web_url(article.continue_url):
        original["url"] = article.continue_url
    if authors:
        original["author"] = authors
    if article.original_date:
        original["datePublished"] = iso(article.original_date)
    if article.publication:
        original["publisher"] = {"@type": "Organization", "name": article.publication.name}
        if is_web_url(article.publication.homepage):
            original["publisher"]["url"] = article.publication.homepage
    return {"@type": "Article", "author": authors or organization_node(), "isBasedOn": original}


def image_size(figure) -> tuple[int | None, int | None]:
    try:
        return figure.image.width, figure.image.height
    except (OSError, ValueError):
        # A file missing from storage or not readable as an image: leave the size out.
        return None, None


def stream_titles(page) -> list[str]:
    return [item.title for item in page.items] if page else []


def flat_page(request: HttpRequest, flatpage) -> PageMeta:
    canonical = canonical_url(request)
    description = summary(flatpage.content) or tagline()
    return PageMeta(
        title=flatpage.title,
        description=description,
        canonical=canonical,
        structured_data=web_page("WebPage", flatpage.title, description, canonical),
    )


def plain_page(request: HttpRequest) -> PageMeta:
    """A page that says nothing more of itself: the site's name and tagline."""
    canonical = canonical_url(request)
    description = tagline()
    return PageMeta(
        title=settings.SITE_NAME,
        description=description,
        canonical=canonical,
        structured_data=web_page("WebPage", settings.SITE_NAME, description, canonical),
    )


class PageMetaMixin:
    """A view that gives its page's metadata to the template as `page_meta`."""

    def get_page_meta(self, context: dict) -> PageMeta:
        return plain_page(self.request)

    def get_page_keys(self, context: dict) -> set[str]:
        """The dependency keys of what the page shows (publishing/page_keys.py): its item and
        the items it lists, with what they show (tags, people), and the related items."""
        items = [context.get("object"), *getattr(context.get("page"), "items", ())]
        keys = {row_key(item) for item in context.get("related", ())}
        return keys.union(*(i.shown_page_keys() for i in items if isinstance(i, Publishable)))

    def render_to_response(self, context: dict, **response_kwargs):
        # Built last, from everything the view put into the context.
        context["page_meta"] = self.get_page_meta(context)
        record(self.request, self.get_page_keys(context))
        return super().render_to_response(context, **response_kwargs)
