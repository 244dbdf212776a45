"""Requests per second under load, through gunicorn, against a floor view on the same server.

    .venv/bin/python bench/load.py [--database URL] [--redis-url redis://127.0.0.1:6379/9]
        [--seconds 20] [--connections 8] [--varnish] [--json]

Needs wrk (`apt-get install wrk`) and a database holding bench/make_data.py's content. Serves
the site with gunicorn as the Dockerfile does (2 sync workers, DEBUG off) on 127.0.0.1, once
with the page cache off (PAGE_CACHE_TIMEOUT=0) and once with it on (Redis when --redis-url is
given, else each worker's local memory). In each server, wrk first requests a view that returns
a fixed response through the same middleware (the floor: what the server, WSGI and middleware
cost), then a readers' mix of home pages, tag archives, month archives and detail pages. Prints
requests/s and p95 of each, the mix's share of the floor's requests/s, and the workers'
resident memory at the end of each server's run and after --soak uncached page requests.

With --varnish (`apt-get install varnish varnish-modules`), a third run puts varnishd with the
deployment's VCL (deploy/varnish/default.vcl) in front of the cached server: the floor is
gunicorn's as before, the readers' mix goes through Varnish, and Varnish's hits and misses are
counted (no hit fails the run: it measured gunicorn, not Varnish).
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import benchsetup

from tests.support.gunicorn_server import GunicornServer, collect_static
from tests.support.varnish_server import VarnishServer

ROOT = benchsetup.ROOT
FLOOR_PATH = "/bench-floor/"
MIX_SIZE = 200
TARGET_CACHED_SHARE = 0.60

# Cycles through the listed paths; prints the figures as one JSON line when done.
WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "p50_ms": %%f, "p95_ms": %%f, "errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def reader_mix(database: str) -> list[str]:
    """MIX_SIZE addresses readers ask for, spread over the page types, from the database."""
    benchsetup.setup_django(DATABASE_URL=database)
    from django.db.models import Count
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article
    from briefings.models import Briefing

    rng = random.Random(5)
    share = MIX_SIZE // 5
    articles = list(Article.objects.published().order_by("-published_at")[: share * 10])
    briefings = list(Briefing.objects.published().order_by("-published_at")[:share])
    tags = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n")[:share]
    months = sorted({f"{timezone.localtime(a.published_at):%Y/%m}" for a in articles})
    return [
        *(["/"] * (share // 2)),
        *(f"/?page={n}" for n in range(2, share - share // 2 + 2)),
        *(f"/tags/{tag.slug}/" for tag in tags),
        *(f"/archive/{month}/" for month in rng.choices(months, k=share)),
        *(item.get_absolute_url() for item in rng.sample(articles, share // 2)),
        *(item.get_absolute_url() for item in briefings[: share - share // 2]),
    ]


def server_environ(database: str, page_cache_timeout: int, redis_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "PAGE_CACHE_TIMEOUT": str(page_cache_timeout),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 50),
        "ALLOWED_HOSTS": "127.0.0.1",
        **benchsetup.PLAIN_HTTP,
    }


class Server(GunicornServer):
    """gunicorn serving the site and the floor view, ready once the floor answers."""

    def __init__(self, environ: dict):
        super().__init__(environ, ready_path=FLOOR_PATH)

    def worker_rss_mb(self) -> list[float]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        sizes = []
        for pid in children.read_text().split():
            status = Path(f"/proc/{pid}/status").read_text()
            kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
            sizes.append(round(int(kb) / 1024, 1))
        return sizes


def load(url: str, paths: list[str], seconds: int, connections: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path_file = Path(folder, "paths.txt")
        path_file.write_text("\n".join(paths) + "\n")
        script = Path(folder, "mix.lua")
        script.write_text(WRK_SCRIPT % {"paths": path_file})
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script)]
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["requests_per_s"] = round(figures["requests"] / figures["seconds"], 1)
    return {
        key: round(value, 1) if isinstance(value, float) else value
        for key, value in figures.items()
    }


def soak(server: Server, paths: list[str], requests: int, connections: int) -> dict:
    """`requests` uncached page requests from `connections` threads, then the workers' RSS."""

    def fetch(number: int) -> int:
        with urllib.request.urlopen(server.url(paths[number % len(paths)]), timeout=30) as answer:
            answer.read()
            return answer.status

    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        statuses = list(pool.map(fetch, range(requests)))
    return {
        "requests": requests,
        "seconds": round(time.monotonic() - started, 1),
        "non_200": sum(status != 200 for status in statuses),
        "worker_rss_mb": server.worker_rss_mb(),
    }


def share(readers: dict, floor: dict) -> float:
    return round(readers["requests_per_s"] / floor["requests_per_s"], 3)


def through_varnish(database: str, redis_url: str, mix: list[str], seconds: int, connections: int):
    """The mix through Varnish in front of the cached server, against that server's floor."""
    # localhost: the Host of Varnish's health probe.
    environ = {**server_environ(database, 300, redis_url), "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = Server(environ)
    try:
        with tempfile.TemporaryDirectory() as folder:
            varnish = VarnishServer(server.port, Path(folder), memory="256m")
            try:
                load(varnish.url(), mix, 3, connections)
                floor = load(server.url(), [FLOOR_PATH], seconds, connections)
                readers = load(varnish.url(), mix, seconds, connections)
                counted = varnish.counters("MAIN.cache_hit", "MAIN.cache_miss")
            finally:
                varnish.stop()
    finally:
        server.stop()
    hits, misses = counted["MAIN.cache_hit"], counted["MAIN.cache_miss"]
    if not hits:
        raise SystemExit(f"Varnish answered no request from its cache ({misses} misses)")
    readers["share_of_floor"] = share(readers, floor)
    readers["varnish_hits"], readers["varnish_misses"] = hits, misses
    return {"floor": floor, "readers": readers}


def run(
    database: str,
    redis_url: str,
    seconds: int,
    connections: int,
    soak_requests: int,
    varnish: bool,
) -> dict:
    mix = reader_mix(database)
    results = {}
    collect_static(server_environ(database, 0, redis_url))
    for name, timeout in (("uncached", 0), ("cached", 300)):
        server = Server(server_environ(database, timeout, redis_url))
        try:
            # Warm-up: each worker has loaded its code and, when cached, the mix is stored.
            load(server.url(), mix, 3, connections)
            floor = load(server.url(), [FLOOR_PATH], seconds, connections)
            readers = load(server.url(), mix, seconds, connections)
            readers["share_of_floor"] = share(readers, floor)
            results[name] = {
                "floor": floor,
                "readers": readers,
                "worker_rss_mb": server.worker_rss_mb(),
            }
            if name == "uncached" and soak_requests:
                # Memory after many pages built from the database, not after the floor's.
                results["soak"] = soak(server, mix, soak_requests, connections)
        finally:
            server.stop()
    if varnish:
        results["varnish"] = through_varnish(database, redis_url, mix, seconds, connections)
    return results


def prepare(args: argparse.Namespace) -> None:
    """Stops with what is missing (the content, wrk); empties the Redis database pages will be
    cached in, so no page of an earlier run is answered."""
    if not args.database:
        raise SystemExit("Give --database (or DATABASE_URL) holding bench/make_data.py's content")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    if args.redis_url:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--redis-url", default="", help="cache pages in this Redis (a spare DB)")
    parser.add_argument("--seconds", type=int, default=20, help="length of each measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--soak", type=int, default=10_000, help="uncached page requests before reading RSS"
    )
    parser.add_argument(
        "--varnish", action="store_true", help="also the mix through Varnish before gunicorn"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.varnish and not shutil.which("varnishd"):
        raise SystemExit("Varnish is not installed: apt-get install varnish varnish-modules")
    prepare(args)
    results = run(
        args.database, args.redis_url, args.seconds, args.connections, args.soak, args.varnish
    )
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"gunicorn, 2 workers; wrk, {args.connections} connections, {args.seconds} s a run")
    print(f"{'run':10} {'what':8} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}  share")
    for name in ("uncached", "cached", "varnish"):
        if name not in results:
            continue
        run_figures = results[name]
        for what in ("floor", "readers"):
            row = run_figures[what]
            share = f"{row['share_of_floor']:.0%}" if what == "readers" else ""
            print(
                f"{name:10} {what:8} {row['requests_per_s']:>8} {row['p50_ms']:>7} "
                f"{row['p95_ms']:>7} {row['errors']:>6}  {share}"
            )
        if "worker_rss_mb" in run_figures:
            print(f"{name:10} worker RSS MB: {run_figures['worker_rss_mb']}")
    if soaked := results.get("soak"):
        print(
            f"after {soaked['requests']} uncached page requests ({soaked['seconds']} s, "
            f"{soaked['non_200']} not 200): worker RSS MB {soaked['worker_rss_mb']}"
        )
    if varnish := results.get("varnish"):
        readers = varnish["readers"]
        print(
            f"varnish: {readers['varnish_hits']} hits, {readers['varnish_misses']} misses; "
            "its floor is gunicorn's, its readers went through Varnish"
        )
    print(f"target: cached readers at least {TARGET_CACHED_SHARE:.0%} of the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
