"""A search engine crawling the whole site while readers read: the crawl's pages/s and the
readers' p95 during it.

    .venv/bin/python bench/crawl.py [--database URL] [--redis-url redis://127.0.0.1:6379/9]
        [--page-cache-timeout 300] [--connections 4] [--reader-connections 8]
        [--window 10] [--sample N] [--json]

Needs wrk and a database holding bench/make_data.py's content. Serves the site with gunicorn
as bench/load.py does (2 sync workers, DEBUG off), with the page cache on (off with
--page-cache-timeout 0), in Redis when --redis-url is given (emptied first), else in each
worker's memory (so give --redis-url: each worker would build its own copy of each page).
Reads every address the sitemaps name (their <loc> and their other languages' hreflang
addresses); then runs the readers' mix of bench/load.py alone for one window, once each of its
pages is stored, as readers keep them; then the crawl, each address fetched once with
--connections connections, as a crawler finds the site: its pages cold in the cache. wrk runs
the readers' mix in windows of --window seconds for as long as the crawl lasts. Prints the
crawl's pages/s and non-200 answers, and the readers' requests/s and p95 alone and in each
window (the worst window against the target).
"""

import argparse
import http.client
import json
import os
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from load import Server, load, prepare, reader_mix, server_environ

from tests.support.gunicorn_server import collect_static

TARGET_READERS_P95_MS = 100
ADDRESS = re.compile(r'<loc>([^<]+)</loc>|<xhtml:link[^>]*\shref="([^"]+)"')


def get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path, headers={"User-Agent": "bench-crawler"})
    answer = connection.getresponse()
    return answer.status, answer.read()


def sitemap_addresses(server: Server) -> list[str]:
    """Every page address the sitemap index and its sitemaps name, as paths, in order."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    pending, pages, seen = ["/sitemap.xml"], [], set()
    while pending:
        status, body = get(connection, pending.pop(0))
        if status != 200:
            raise SystemExit(f"a sitemap answered {status}")
        for loc, alternate in ADDRESS.findall(body.decode()):
            parts = urlsplit(loc or alternate)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path in seen:
                continue
            seen.add(path)
            (pending if parts.path.endswith(".xml") else pages).append(path)
    connection.close()
    if not pages:
        raise SystemExit("the sitemaps name no page: is the database filled?")
    return pages


def spread(paths: list[str], count: int) -> list[str]:
    """`count` of `paths` evenly spread over them, in order (all of them when count is 0)."""
    if not count or count >= len(paths):
        return paths
    return [paths[number * len(paths) // count] for number in range(count)]


def crawl(server: Server, paths: list[str], connections: int) -> dict:
    """Each path fetched once, `connections` at a time, each connection kept open."""
    local = threading.local()

    def fetch(path: str) -> int:
        if not hasattr(local, "connection"):
            local.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        return get(local.connection, path)[0]

    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        statuses = list(pool.map(fetch, paths))
    seconds = time.monotonic() - started
    return {
        "pages": len(paths),
        "seconds": round(seconds, 1),
        "pages_per_s": round(len(paths) / seconds, 1),
        "non_200": sum(status != 200 for status in statuses),
    }


def readers_during(server: Server, mix: list[str], crawling: threading.Thread, args) -> list:
    """The readers' figures of each window while `crawling` runs."""
    windows = []
    while crawling.is_alive():
        windows.append(load(server.url(), mix, args.window, args.reader_connections))
    return windows


def run(args) -> dict:
    mix = reader_mix(args.database)
    environ = server_environ(args.database, args.page_cache_timeout, args.redis_url)
    collect_static(environ)
    server = Server(environ)
    try:
        addresses = sitemap_addresses(server)
        total = len(addresses)
        paths = spread(addresses, args.sample)
        # Warm-up: every page of the readers' mix stored, as readers keep them.
        crawl(server, sorted(set(mix)), args.connections)
        alone = load(server.url(), mix, args.window, args.reader_connections)
        result = {}
        crawling = threading.Thread(
            target=lambda: result.update(crawl(server, paths, args.connections))
        )
        crawling.start()
        windows = readers_during(server, mix, crawling, args)
        crawling.join()
        rss = server.worker_rss_mb()
    finally:
        server.stop()
    if not windows:
        raise SystemExit("the crawl ended before the readers' first window: give more pages")
    return {
        "page_cache_timeout": args.page_cache_timeout,
        "crawl": {**result, "connections": args.connections, "sitemap_addresses": total},
        "readers_alone": alone,
        "readers_during_crawl": windows,
        "readers_worst_p95_ms": max(window["p95_ms"] for window in windows),
        "worker_rss_mb": rss,
        "target_readers_p95_ms": TARGET_READERS_P95_MS,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--redis-url", default="", help="cache pages in this Redis (a spare DB)")
    parser.add_argument("--page-cache-timeout", type=int, default=300, help="0: page cache off")
    parser.add_argument("--connections", type=int, default=4, help="the crawler's")
    parser.add_argument("--reader-connections", type=int, default=8)
    parser.add_argument("--window", type=int, default=10, help="seconds of each readers' run")
    parser.add_argument(
        "--sample", type=int, default=0, help="crawl only N addresses spread over all of them"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    prepare(args)
    results = run(args)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    crawled = results["crawl"]
    print(
        f"crawl: {crawled['pages']} of the sitemaps' {crawled['sitemap_addresses']} pages in "
        f"{crawled['seconds']} s = {crawled['pages_per_s']} "
        f"pages/s with {crawled['connections']} connections, {crawled['non_200']} not 200 "
        f"(page cache timeout {results['page_cache_timeout']} s)"
    )
    alone = results["readers_alone"]
    print(f"readers alone: {alone['requests_per_s']} req/s, p95 {alone['p95_ms']} ms")
    for number, window in enumerate(results["readers_during_crawl"], 1):
        print(
            f"readers during the crawl, window {number}: {window['requests_per_s']} req/s, "
            f"p95 {window['p95_ms']} ms, {window['errors']} errors"
        )
    print(
        f"worst readers' p95 during the crawl: {results['readers_worst_p95_ms']} ms "
        f"(target: at most {TARGET_READERS_P95_MS} ms); worker RSS MB {results['worker_rss_mb']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
