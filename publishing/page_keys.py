"""Dependency keys: what each public page shows, so a change leaves behind only the pages that
show what changed (newsroom/http/page_cache.py stores each page with its keys' versions,
publishing/content_version.py replaces the versions of the keys a change touches).

The keys, the same in every interface language (a change leaves /de/ pages behind with the
English ones):

- `article-<pk>`, `briefing-<pk>`: the item's page, and every page listing or linking it;
- `tag-<pk>`, `publication-<pk>`, `person-<pk>`: its own page, and every page showing an item
  that carries it;
- `stream`: the lists of the newest items (home, each kind's list, search) and every page whose
  view records nothing: feeds, answers "not found", redirects;
- `archive-2020`, `archive-2020-10`, `archive-2020-10-04`: one year's, month's, day's archive;
- `archive-links`: the archives' links to the neighbouring periods that have items;
- `tags`: the tag index and its counts;
- `sources`: the index of cited sources and each source's page;
- `sitemap`: the sitemaps;
- `schedule`: when the next scheduled item appears (the pages' lifetime);
- `site`: everything else (flat pages, redirects, sites, categories, an import),
  which every page shows.

Public views add the keys of what they show while rendering, with `record(request, keys)`; a
change bumps the keys of the rows it touches, before and after it (an item's old and new tags,
periods, people and publication), and once committed sends `pages_changed` with
`keys=<set of key strings>`, once per committed transaction: a receiver may purge HTTP
caches (Varnish's xkey, a CDN's surrogate keys), where every shared page carries its keys in
the `xkey` and `Surrogate-Key` headers, space separated.
"""

from collections.abc import Iterable

from django.dispatch import Signal
from django.http import HttpRequest

# Sent once per committed change, with `keys`: the set of dependency keys it touched.
pages_changed = Signal()

# Every page depends on it; a change that touches it leaves every page behind.
SITE = "site"
STREAM = "stream"
TAGS = "tags"
SOURCES = "sources"
SITEMAP = "sitemap"
SCHEDULE = "schedule"
ARCHIVE_LINKS = "archive-links"

RECORDED_ATTRIBUTE = "page_keys"


def record(request: HttpRequest, keys: Iterable[str]) -> None:
    """Adds `keys` to what the page answering `request` shows."""
    recorded(request).update(keys)


def recorded(request: HttpRequest) -> set[str]:
    """The keys recorded while answering `request` so far."""
    keys = getattr(request, RECORDED_ATTRIBUTE, None)
    if keys is None:
        keys = set()
        setattr(request, RECORDED_ATTRIBUTE, keys)
    return keys


def row_key(row) -> str:
    """The key of one item, tag, person or publication: `article-12`, `tag-3`."""
    return model_key(type(row), row.pk)


def model_key(model, pk) -> str:
    """The key of the row of `model` with `pk`, known without the row."""
    return f"{model._meta.model_name}-{pk}"
