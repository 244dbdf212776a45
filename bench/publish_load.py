"""Readers under load while an editor publishes, through gunicorn, on loopback.

    .venv/bin/python bench/publish_load.py --database URL --redis-url redis://127.0.0.1:6379/9
        [--seconds 60] [--connections 50] [--json]

Needs wrk (`apt-get install wrk`) and a database holding content (bench/make_data.py's, or
any). Serves the site as bench/load.py does (gunicorn, 2 sync workers, DEBUG off, the page
cache on in Redis under a key prefix of this run's own). wrk keeps --connections readers busy
for --seconds on the home page, the stream pages, tag pages and recent items; meanwhile an
editor, logged into the admin over HTTP, publishes one of this run's drafts every second with
the change list's "publish" action (the form an editor submits), then reads the home page as
an anonymous reader to see whether the item is there at once.

Prints requests/s, p50/p95 latency, wrk's error counts and the 5xx answers, the publishes and
how long each took, and then checks: no 5xx, and every published item answers on its detail
page and appears in the home page's stream. The drafts are deleted at the end.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener, urlopen

import benchsetup
from load import Server, collect_static, server_environ

EDITOR = "publish-load-editor"
TITLE_PREFIX = "PUBLISH-LOAD"

# Cycles through the listed paths; counts 5xx answers across threads; prints one JSON line.
WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) i = 0; server_errors = 0 end
function request()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end
function done(summary, latency, requests)
  local fivexx = 0
  for _, thread in ipairs(threads) do fivexx = fivexx + thread:get("server_errors") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "p50_ms": %%f, "p95_ms": %%f, "p99_ms": %%f, '
    .. '"non_2xx_3xx": %%d, "5xx": %%d, "timeouts": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, e.status, fivexx,
    e.timeout, e.connect + e.read + e.write))
end
"""


def prepare(count: int) -> tuple[list[int], str, list[str]]:
    """`count` drafts of this run's own, the editor's password, and the readers' addresses."""
    from django.contrib.auth import get_user_model

    from articles.models import Article
    from briefings.models import Briefing
    from people.models import Publication
    from publishing.models import Status

    password = uuid.uuid4().hex
    editor, _ = get_user_model().objects.get_or_create(username=EDITOR)
    editor.is_staff = editor.is_superuser = True
    editor.set_password(password)
    editor.save()
    publication, _ = Publication.objects.get_or_create(name="Publish Load Review")
    run = uuid.uuid4().hex[:8]
    drafts = [
        Article.objects.create(
            # Numbered to a fixed width, so that no title is found inside another.
            title=f"{TITLE_PREFIX}-{run}-{n:04d}",
            status=Status.DRAFT,
            publication=publication,
            excerpt="Published while readers are reading.",
        ).pk
        for n in range(count)
    ]
    recent = [
        *Article.objects.published().order_by("-published_at")[:80],
        *Briefing.objects.published().order_by("-published_at")[:20],
    ]
    tags = sorted({tag.slug for item in recent for tag in item.tags.all()})[:40]
    paths = [
        *(["/"] * 20),
        *(f"/?page={n}" for n in range(2, 7)),
        "/articles/",
        "/briefings/",
        "/tags/",
        *(f"/tags/{slug}/" for slug in tags),
        *(item.get_absolute_url() for item in recent),
    ]
    return drafts, password, paths


def remove_drafts() -> None:
    from articles.models import Article

    Article.objects.filter(title__startswith=f"{TITLE_PREFIX}-").delete()


def read_wrk(server: Server, paths: list[str], seconds: int, connections: int, out: dict):
    with tempfile.TemporaryDirectory() as folder:
        path_file = Path(folder, "paths.txt")
        path_file.write_text("\n".join(paths) + "\n")
        script = Path(folder, "readers.lua")
        script.write_text(WRK_SCRIPT % {"paths": path_file})
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        result = subprocess.run(
            [*command, "-s", str(script), server.url()], capture_output=True, text=True
        )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["requests_per_s"] = round(figures["requests"] / figures["seconds"], 1)
    out.update({k: round(v, 1) if isinstance(v, float) else v for k, v in figures.items()})


class Editor:
    """A browser logged into the admin."""

    def __init__(self, server: Server, password: str):
        self.server = server
        self.browser = build_opener(HTTPCookieProcessor(CookieJar()))
        self.post("/admin/login/", {"username": EDITOR, "password": password, "next": "/admin/"})

    def post(self, path: str, fields: dict) -> str:
        form = self.browser.open(self.server.url(path), timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urlencode({"csrfmiddlewaretoken": token, **fields}, doseq=True).encode()
        return self.browser.open(self.server.url(path), data, timeout=30).read().decode()

    def publish(self, pk: int) -> bool:
        fields = {"action": "publish", "_selected_action": [pk]}
        return "1 item published." in self.post("/admin/articles/article/", fields)


def fetch(server: Server, path: str) -> tuple[int, str]:
    """A page as an anonymous reader sees it."""
    try:
        with urlopen(server.url(path), timeout=30) as answer:
            return answer.status, answer.read().decode()
    except HTTPError as error:
        return error.code, ""


def publish_every_second(server: Server, editor: Editor, drafts: list[int], seconds: int):
    from articles.models import Article

    published, took, seen_at_once = [], [], 0
    started = time.monotonic()
    for n, pk in enumerate(drafts[:seconds]):
        # On the second: a publish taking longer delays the next, never doubles it up.
        time.sleep(max(0.0, started + n - time.monotonic()))
        begun = time.monotonic()
        if not editor.publish(pk):
            continue
        took.append(time.monotonic() - begun)
        item = Article.objects.get(pk=pk)
        published.append(item)
        seen_at_once += item.title in fetch(server, "/")[1]
    return published, took, seen_at_once


def check_visible(server: Server, published: list) -> dict:
    """Every published item's detail page, and its place in the home page's stream."""
    detail_ok = 0
    for item in published:
        status, page = fetch(server, item.get_absolute_url())
        detail_ok += status == 200 and item.title in page
    stream = ""
    for number in range(1, len(published) // 10 + 3):
        stream += fetch(server, f"/?page={number}" if number > 1 else "/")[1]
    on_home = sum(item.title in stream for item in published)
    return {"detail_200": detail_ok, "in_home_stream": on_home}


def run(database: str, redis_url: str, seconds: int, connections: int, prefix: str) -> dict:
    """The run, with Django set up on `database`."""
    remove_drafts()
    drafts, password, paths = prepare(seconds)
    environ = {**server_environ(database, 300, redis_url), "CACHE_KEY_PREFIX": prefix}
    collect_static(environ)
    server = Server(environ)
    readers: dict = {}
    try:
        editor = Editor(server, password)
        wrk = threading.Thread(target=read_wrk, args=(server, paths, seconds, connections, readers))
        wrk.start()
        published, took, seen_at_once = publish_every_second(server, editor, drafts, seconds)
        wrk.join(timeout=seconds + 60)
        visible = check_visible(server, published)
    finally:
        server.stop()
        remove_drafts()
        clear_prefix(redis_url, prefix)
    return {
        "seconds": seconds,
        "connections": connections,
        "readers": readers,
        "publishes": {
            "asked": min(seconds, len(drafts)),
            "done": len(published),
            "p50_s": round(statistics.median(took), 2) if took else None,
            "max_s": round(max(took), 2) if took else None,
            "on_home_at_once": seen_at_once,
            **visible,
        },
    }


def clear_prefix(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    if keys := list(client.scan_iter(f"{prefix}:*")):
        client.delete(*keys)


def failures(results: dict) -> list[str]:
    readers, publishes = results["readers"], results["publishes"]
    problems = []
    if readers.get("5xx", 1):
        problems.append(f"{readers.get('5xx')} answers were 5xx")
    if publishes["done"] != publishes["asked"]:
        problems.append(f"{publishes['done']} of {publishes['asked']} publishes succeeded")
    for check in ("detail_200", "in_home_stream"):
        if publishes[check] != publishes["done"]:
            problems.append(f"{check}: {publishes[check]} of {publishes['done']}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"))
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.database or not args.redis_url:
        raise SystemExit("Give --database and --redis-url (the app servers' shared page cache)")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    prefix = f"publish-load-{uuid.uuid4().hex[:8]}"
    # This process writes drafts and content versions in the same cache as the servers.
    benchsetup.setup_django(
        DATABASE_URL=args.database, REDIS_URL=args.redis_url, CACHE_KEY_PREFIX=prefix
    )
    results = run(args.database, args.redis_url, args.seconds, args.connections, prefix)
    problems = failures(results)
    if args.json:
        print(json.dumps({**results, "problems": problems}, indent=2))
        return 1 if problems else 0
    readers, publishes = results["readers"], results["publishes"]
    print(f"gunicorn, 2 workers; wrk, {args.connections} connections, {args.seconds} s")
    print(
        f"readers: {readers['requests']} requests, {readers['requests_per_s']} req/s, "
        f"p50 {readers['p50_ms']} ms, p95 {readers['p95_ms']} ms, p99 {readers['p99_ms']} ms"
    )
    print(
        f"errors: 5xx {readers['5xx']}, other non-2xx/3xx "
        f"{readers['non_2xx_3xx'] - readers['5xx']}, timeouts {readers['timeouts']}, "
        f"socket {readers['socket_errors']}"
    )
    print(
        f"editor: {publishes['done']}/{publishes['asked']} published, each p50 "
        f"{publishes['p50_s']} s, max {publishes['max_s']} s; on the home page at once: "
        f"{publishes['on_home_at_once']}; detail 200: {publishes['detail_200']}; "
        f"in the home stream afterwards: {publishes['in_home_stream']}"
    )
    print("OK" if not problems else "FAILED: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
