"""Server time, SQL queries and bytes of each public page type, on a large data set.

    .venv/bin/python bench/pages.py [--database URL] [--requests 50] [--cached] [--json]

Runs against the configured database (DATABASE_URL, or --database), which should hold
bench/make_data.py's content. Each page type is requested through Django's test client, once
to warm up and then --requests times; prints the SQL queries of one request, p50 and p95 of
the server time and the response's bytes. Caches are cleared before each request and the page
cache is off, so the figures are those of a page built from the database; with --cached, the
page cache is on and each request after the warm-up is answered from it, as an anonymous
reader's would be.
"""

import argparse
import json
import os
import statistics
import sys
import time

import benchsetup


def setup_django(database: str | None, cached: bool) -> None:
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["PAGE_CACHE_TIMEOUT"] = "300" if cached else "0"
    benchsetup.setup_django(**({"DATABASE_URL": database} if database else {}))


def page_addresses() -> dict[str, str]:
    """One address per page type, chosen from what the database holds."""
    from django.db.models import Count
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article
    from briefings.models import Briefing
    from people.models import Publication

    briefing = Briefing.objects.published().latest()
    article = Article.objects.published().latest()
    biggest_tag = (
        Tag.objects.annotate(uses=Count("briefings_taggedbriefing_items", distinct=True))
        .annotate(more=Count("articles_taggedarticle_items", distinct=True))
        .order_by("-more", "-uses")
        .first()
    )
    publication = Publication.objects.annotate(n=Count("articles")).order_by("-n").first()
    month = timezone.localtime(article.published_at)
    return {
        "home": "/",
        "home page 200": "/?page=200",
        "briefings": "/briefings/",
        "excerpts": "/articles/",
        "briefing detail": briefing.get_absolute_url(),
        "excerpt detail": article.get_absolute_url(),
        "largest tag archive": f"/tags/{biggest_tag.slug}/",
        "month archive": f"/archive/{month:%Y/%m}/",
        "year archive": f"/archive/{month:%Y}/",
        "tag index": "/tags/",
        "publication": publication.get_absolute_url(),
        "site feed": "/feed/",
        "tag feed": f"/tags/{biggest_tag.slug}/feed/",
        "json feed": "/feed.json",
        "sitemap index": "/sitemap.xml",
        "sitemap of excerpts": "/sitemap-articles.xml",
        "sources": "/sources/",
        "search": "/search/?q=pipeline+ceasefire",
        "German home": "/de/",
    }


def measure(url: str, requests: int, cached: bool) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    cache.clear()
    if cached:
        client.get(url)  # stores the page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Read now: the captured queries are a view of the log, which the next request clears.
    query_count = len(queries)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(requests):
        if not cached:
            cache.clear()
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "url": url,
        "queries": query_count,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))], 1),
        "bytes": len(response.content),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a database URL (default: DATABASE_URL)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--cached", action="store_true", help="answer from the page cache")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    setup_django(args.database, args.cached)
    from django.db import connection

    addresses = page_addresses()
    figures = {name: measure(url, args.requests, args.cached) for name, url in addresses.items()}
    pages = "from the page cache" if args.cached else "built"
    if args.json:
        report = {"database": connection.vendor, "cached": args.cached, "pages": figures}
        print(json.dumps(report, indent=2))
        return 0
    print(f"database: {connection.vendor}, {args.requests} requests a page, {pages}")
    print(f"{'page':22} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>9}  address")
    for name, row in figures.items():
        print(
            f"{name:22} {row['queries']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['bytes']:>9}  {row['url']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
