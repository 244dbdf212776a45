"""RSS 2.0, Atom and JSON Feed of published items: the whole site, one kind, tag, publication
or person. One base class holds what every feed shares; each subclass only names its scope."""

import datetime as dt
import mimetypes
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed
from django.utils.http import http_date
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import conditional_page
from taggit.models import Tag

from articles.models import Article
from briefings.models import Briefing
from images.models import CaptionedImage
from people.models import Person, Publication
from public import scopes
from publishing.models import Publishable, attach_tags
from publishing.web_links import is_web_url

FEED_LENGTH = 30


def absolute_url(address: str) -> str:
    """`address` on the site's public origin, unless it already names its own (e.g. S3)."""
    return address if urlsplit(address).scheme else f"{settings.SITE_URL}{address}"


class AtomWithContent(Atom1Feed):
    """Atom whose entries carry the full text as `<content>`, not as a `<summary>`."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        handler.addQuickElement("content", item["description"], {"type": "html"})


class PublishedItemsFeed(Feed):
    """The newest published items of a scope. Subclasses say which scope in `querysets()`."""

    # A scope with nothing published answers 404 rather than reveal it exists.
    empty_is_404 = False

    def __init__(self, feed_type: type[SyndicationFeed] = Rss201rev2Feed):
        self.feed_type = feed_type

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Django dates the feed by its newest entry's change (Last-Modified); a reader who
        # sends that date or the ETag back gets a 304.
        return conditional_page(super().__call__)(request, *args, **kwargs)

    def querysets(self, subject: Model | None) -> list[QuerySet]:
        raise NotImplementedError

    def scope_title(self, subject: Model | None) -> str:
        raise NotImplementedError

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Addresses come from SITE_URL, like every other absolute link the site makes.
        feed.feed["feed_url"] = absolute_url(request.path)
        return feed

    def title(self, subject: Model | None) -> str:
        return f"{settings.SITE_NAME}: {self.scope_title(subject)}"

    def link(self, subject: Model | None) -> str:
        return absolute_url(subject.get_absolute_url() if subject else reverse("newsroom:home"))

    def description(self) -> str:
        return _("Weekly briefings and selected analysis on the Middle East.")

    def items(self, subject: Model | None) -> list[Publishable]:
        items = newest_items(self.querysets(subject), FEED_LENGTH)
        if not items and self.empty_is_404:
            raise Http404(_("Nothing published here yet."))
        return items

    def item_link(self, item: Publishable) -> str:
        return absolute_url(item.get_absolute_url())

    def item_description(self, item: Publishable) -> str:
        return render_to_string(f"feeds/{item.kind}_content.html", {"item": item})

    def item_guid(self, item: Publishable) -> str:
        return item_tag_uri(item)

    item_guid_is_permalink = False

    def item_pubdate(self, item: Publishable) -> dt.datetime:
        return item.published_at

    def item_updateddate(self, item: Publishable) -> dt.datetime:
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item: Publishable) -> str | None:
        return ", ".join(person.name for person in item_people(item)) or None

    def item_author_link(self, item: Publishable) -> str | None:
        people = item_people(item)
        return absolute_url(people[0].get_absolute_url()) if len(people) == 1 else None

    def item_categories(self, item: Publishable) -> list[str]:
        return [tag.name for tag in item.tag_list]

    def item_enclosures(self, item: Publishable) -> list[Enclosure]:
        image = item.lead_image
        if image is None:
            return []
        return [
            Enclosure(
                url=absolute_url(image.image.url),
                length=str(stored_size(image)),
                mime_type=mimetypes.guess_type(image.image.name)[0] or "application/octet-stream",
            )
        ]


class SiteFeed(PublishedItemsFeed):
    def querysets(self, subject: None) -> list[QuerySet]:
        return scopes.site_items()

    def title(self, subject: None) -> str:
        return settings.SITE_NAME


class KindFeed(PublishedItemsFeed):
    """The newest items of one kind, linked to that kind's list."""

    scope: Callable[[], list[QuerySet]]
    heading = ""
    list_url_name = ""

    def querysets(self, subject: None) -> list[QuerySet]:
        return self.scope()

    def scope_title(self, subject: None) -> str:
        return str(self.heading)

    def link(self, subject: None) -> str:
        return absolute_url(reverse(self.list_url_name))


class BriefingFeed(KindFeed):
    scope = staticmethod(scopes.briefings)
    heading = gettext_lazy("Briefings")
    list_url_name = "briefings:list"


class ArticleFeed(KindFeed):
    scope = staticmethod(scopes.articles)
    heading = gettext_lazy("Article excerpts")
    list_url_name = "articles:list"


class SubjectFeed(PublishedItemsFeed):
    """The items of one thing found by its slug (a tag, a publication, a person), titled by
    its name."""

    empty_is_404 = True
    subject_model: type[Model]

    def get_object(self, request: HttpRequest, slug: str) -> Model:
        return get_object_or_404(self.subject_model, slug=slug)

    def scope_title(self, subject: Model) -> str:
        return subject.name


class TagFeed(SubjectFeed):
    subject_model = Tag
    querysets = staticmethod(scopes.tagged)

    def link(self, subject: Tag) -> str:
        return absolute_url(reverse("newsroom:tag", kwargs={"slug": subject.slug}))


class PublicationFeed(SubjectFeed):
    subject_model = Publication
    querysets = staticmethod(scopes.from_publication)


class PersonFeed(SubjectFeed):
    subject_model = Person
    querysets = staticmethod(scopes.by_person)


def newest_items(querysets: list[QuerySet], limit: int) -> list[Publishable]:
    """The `limit` newest items across kinds, with what an entry shows. Each kind's newest
    rows are fetched, but the parts of only those kept are (a briefing's bullets and sections,
    an excerpt's authors and figures): the newest excerpts would leave most briefings out."""
    candidates, parts = [], []
    for kind, queryset in enumerate(querysets):
        detailed = queryset.for_detail()
        parts.append(detailed._prefetch_related_lookups)
        newest = detailed.prefetch_related(None).order_by("-published_at", "-pk")[:limit]
        candidates.extend((item, kind) for item in newest)
    candidates.sort(key=lambda pair: (pair[0].published_at, pair[0].pk), reverse=True)
    kept = candidates[:limit]
    for kind, lookups in enumerate(parts):
        prefetch_related_objects([item for item, own in kept if own == kind], *lookups)
    return attach_tags([item for item, _kind in kept])


def item_tag_uri(item: Publishable) -> str:
    """A tag: URI (RFC 4151) from kind and pk, so an edited title or date keeps the entry's id."""
    host = urlsplit(settings.SITE_URL).hostname
    minted = item.created_at.astimezone(dt.UTC)
    return f"tag:{host},{minted:%Y-%m-%d}:{item.kind}/{item.pk}"


def item_people(item: Publishable) -> list[Person]:
    if isinstance(item, Briefing):
        return [item.editor] if item.editor else []
    return item.author_list


def stored_size(image: CaptionedImage) -> int:
    try:
        return image.image.size
    except OSError:
        # RSS requires a length; 0 is the convention for "unknown".
        return 0


site_feed = SiteFeed()


@conditional_page
def json_feed(request: HttpRequest) -> JsonResponse:
    """The site's items as JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    items = site_feed.items(None)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site_feed.title(None),
        "home_page_url": site_feed.link(None),
        "feed_url": absolute_url(request.path),
        "description": site_feed.description(),
        "language": get_language(),
        "items": [json_feed_item(item) for item in items],
    }
    response = JsonResponse(
        feed,
        content_type="application/feed+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
    if items:
        newest_change = max(site_feed.item_updateddate(item) for item in items)
        response["Last-Modified"] = http_date(newest_change.timestamp())
    return response


def json_feed_item(item: Publishable) -> dict:
    entry = {
        "id": item_tag_uri(item),
        "url": site_feed.item_link(item),
        "title": item.title,
        "content_html": site_feed.item_description(item),
        "summary": item.teaser,
        "date_published": item.published_at.isoformat(),
        "date_modified": site_feed.item_updateddate(item).isoformat(),
        "authors": [
            {"name": person.name, "url": absolute_url(person.get_absolute_url())}
            for person in item_people(item)
        ],
        "tags": site_feed.item_categories(item),
        "language": item.language,
    }
    if isinstance(item, Article) and is_web_url(item.continue_url):
        entry["external_url"] = item.continue_url
    if image := item.lead_image:
        entry["image"] = absolute_url(image.image.url)
    return entry
