"""Readers under load while an editor publishes, through gunicorn, on loopback.

    .venv/bin/python bench/publish_load.py --database URL --redis-url redis://127.0.0.1:6379/9
        [--seconds 30] [--connections 50] [--json]

Needs wrk (`apt-get install wrk`) and a database holding content (bench/make_data.py's, or
any). Serves the site as bench/load.py does (gunicorn, 2 sync workers, DEBUG off, the page
cache on in Redis under a key prefix of this run's own). Three runs of --seconds each: no
publishes, a publish every 10 s, a publish every second. In each, wrk keeps --connections
readers busy on the home page, the stream pages, tag pages, this month's archive, the feed and
recent items; meanwhile an editor, logged into the admin over HTTP, publishes one of this run's
drafts (tagged with one of the tags readers read) with the change list's "publish" action (the
form an editor submits). After each publish, an anonymous reader asks its home, tag, archive,
feed and detail pages until each shows the item: the delay is counted from the publish's answer.

Prints, per run, readers' requests/s (and its share of the run without publishes), p95, errors
(5xx, timeouts, socket errors; other non-2xx/3xx answers apart), the publishes and the delays
until they show, and the targets missed: at least 80% of the unpublished run's requests/s, p95
under 50 ms, every publish shown on every page within 2 s. Exits non-zero on an error, a run
that answered no request, a publish that failed or never showed (within 10 s). The drafts
are deleted at the end.
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
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener, urlopen

import benchsetup
from load import Server, collect_static, server_environ

EDITOR = "publish-load-editor"
TITLE_PREFIX = "PUBLISH-LOAD"
# None: no publishes, the readers' throughput the others are compared with.
PUBLISH_INTERVALS = (None, 10, 1)
# How long a publish is watched for on its pages, and how often they are asked.
SHOWN_LIMIT_S = 10
POLL_S = 0.05
# The targets.
MIN_THROUGHPUT_SHARE = 0.8
MAX_P95_MS = 50
MAX_SHOWN_S = 2

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


def prepare(count: int) -> tuple[list[int], str, list[str], str]:
    """`count` drafts of this run's own, tagged with one of the tags readers read; the editor's
    password; the readers' addresses; and that tag's slug."""
    from django.contrib.auth import get_user_model

    password = uuid.uuid4().hex
    editor, _ = get_user_model().objects.get_or_create(username=EDITOR)
    editor.is_staff = editor.is_superuser = True
    editor.set_password(password)
    editor.save()
    paths, tag = reader_paths()
    return make_drafts(count, tag), password, paths, tag.slug


def reader_paths() -> tuple[list[str], object]:
    """The addresses readers ask for, and the first of the tags among them."""
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article
    from briefings.models import Briefing

    recent = [
        *Article.objects.published().order_by("-published_at")[:80],
        *Briefing.objects.published().order_by("-published_at")[:20],
    ]
    tags = sorted({tag for item in recent for tag in item.tags.all()}, key=lambda t: t.slug)[:40]
    if not tags:
        tags = [
            Tag.objects.get_or_create(slug="publish-load", defaults={"name": "Publish load"})[0]
        ]
    month = timezone.localdate()
    paths = [
        *(["/"] * 20),
        *(f"/?page={n}" for n in range(2, 7)),
        "/articles/",
        "/briefings/",
        "/tags/",
        "/feed/",
        f"/archive/{month:%Y/%m}/",
        *(f"/tags/{tag.slug}/" for tag in tags),
        *(item.get_absolute_url() for item in recent),
    ]
    return paths, tags[0]


def make_drafts(count: int, tag) -> list[int]:
    from articles.models import Article
    from people.models import Publication
    from publishing.models import Status

    publication, _ = Publication.objects.get_or_create(name="Publish Load Review")
    run = uuid.uuid4().hex[:8]
    drafts = []
    for n in range(count):
        draft = Article.objects.create(
            # Numbered to a fixed width, so that no title is found inside another.
            title=f"{TITLE_PREFIX}-{run}-{n:04d}",
            status=Status.DRAFT,
            publication=publication,
            excerpt="Published while readers are reading.",
        )
        draft.tags.set([tag])
        drafts.append(draft.pk)
    return drafts


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


def shown_pages(item, tag: str) -> dict[str, str]:
    """The pages a published item must show on: what readers read, in one language."""
    from django.utils import timezone

    local = timezone.localtime(item.published_at)
    return {
        "home": "/",
        "tag": f"/tags/{tag}/",
        "archive": f"/archive/{local:%Y/%m}/",
        "feed": "/feed/",
        "detail": item.get_absolute_url(),
    }


def delays_until_shown(server: Server, item, tag: str, published_at: float) -> dict:
    """Seconds from the publish's answer until each page shows the item, each page asked by a
    reader of its own; None past SHOWN_LIMIT_S."""
    pages = shown_pages(item, tag)
    with ThreadPoolExecutor(len(pages)) as readers:
        delays = readers.map(
            lambda path: delay_until_shown(server, path, item.title, published_at), pages.values()
        )
        return dict(zip(pages, delays, strict=True))


def delay_until_shown(server: Server, path: str, title: str, published_at: float) -> float | None:
    while time.monotonic() < published_at + SHOWN_LIMIT_S:
        if title in fetch(server, path)[1]:
            return round(time.monotonic() - published_at, 3)
        time.sleep(POLL_S)
    return None


def publish_every(server: Server, editor: Editor, drafts: list[int], plan: tuple) -> list[dict]:
    """Publishes a draft every `interval` seconds for `seconds`; each publish's delays."""
    from articles.models import Article

    interval, seconds, tag = plan
    results, watchers = [], []
    started = time.monotonic()
    for n, pk in enumerate(drafts[: publish_count(interval, seconds)]):
        # On time: a publish taking longer delays the next, never doubles it up.
        time.sleep(max(0.0, started + n * interval - time.monotonic()))
        begun = time.monotonic()
        if not editor.publish(pk):
            results.append({"published": False})
            continue
        done = time.monotonic()
        result = {"published": True, "took_s": round(done - begun, 3)}
        results.append(result)
        item = Article.objects.get(pk=pk)
        watcher = threading.Thread(
            target=lambda r=result, i=item, d=done: r.update(
                delays=delays_until_shown(server, i, tag, d)
            )
        )
        watcher.start()
        watchers.append(watcher)
    for watcher in watchers:
        watcher.join()
    return results


def publish_count(interval: int | None, seconds: int) -> int:
    """How many publishes a run makes: one at least when it publishes at all."""
    return max(1, seconds // interval) if interval else 0


def measure(server: Server, editor: Editor, drafts: list[int], paths: list[str], plan) -> dict:
    """One run: wrk's readers, and the editor's publishes when `plan` has an interval."""
    interval, seconds, connections, tag = plan
    readers: dict = {}
    wrk = threading.Thread(target=read_wrk, args=(server, paths, seconds, connections, readers))
    wrk.start()
    publishes = publish_every(server, editor, drafts, (interval, seconds, tag)) if interval else []
    wrk.join(timeout=seconds + 60)
    return {"publish_every_s": interval, "readers": readers, "publishes": summary(publishes)}


def summary(publishes: list[dict]) -> dict:
    done = [p for p in publishes if p["published"]]
    delays: dict[str, list] = {}
    for publish in done:
        for page, delay in publish["delays"].items():
            delays.setdefault(page, []).append(delay)
    took = [p["took_s"] for p in done]
    return {
        "asked": len(publishes),
        "done": len(done),
        "took_p50_s": round(statistics.median(took), 2) if took else None,
        "not_shown": {page: sum(d is None for d in ds) for page, ds in delays.items()},
        "shown_max_s": {page: max_or_none(ds) for page, ds in delays.items()},
        "shown_p50_s": {page: median_or_none(ds) for page, ds in delays.items()},
    }


def max_or_none(values: list) -> float | None:
    shown = [v for v in values if v is not None]
    return max(shown) if shown else None


def median_or_none(values: list) -> float | None:
    shown = [v for v in values if v is not None]
    return round(statistics.median(shown), 3) if shown else None


def run(database: str, redis_url: str, seconds: int, connections: int, prefix: str) -> dict:
    """The three runs, with Django set up on `database`."""
    remove_drafts()
    drafts, password, paths, tag = prepare(seconds + seconds // 10 + 2)
    environ = {**server_environ(database, 300, redis_url), "CACHE_KEY_PREFIX": prefix}
    collect_static(environ)
    server = Server(environ)
    runs = []
    try:
        editor = Editor(server, password)
        for interval in PUBLISH_INTERVALS:
            plan = (interval, seconds, connections, tag)
            runs.append(measure(server, editor, drafts, paths, plan))
            drafts = drafts[publish_count(interval, seconds) :]
    finally:
        server.stop()
        remove_drafts()
        clear_prefix(redis_url, prefix)
    return {
        "seconds": seconds,
        "connections": connections,
        "load_average": os.getloadavg(),
        "runs": runs,
    }


def clear_prefix(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    if keys := list(client.scan_iter(f"{prefix}:*")):
        client.delete(*keys)


def failures(results: dict) -> list[str]:
    """What went wrong or measured nothing: an error, a run without requests, a publish that
    failed or never showed."""
    problems = []
    for each in results["runs"]:
        name, readers = run_name(each), each["readers"]
        # Not a 404: a tag no published item carries yet answers it until the first publish.
        errors = readers.get("5xx", 1) + readers.get("timeouts", 0)
        errors += readers.get("socket_errors", 0)
        if not readers.get("requests"):
            problems.append(f"{name}: no request answered")
        if errors:
            problems.append(f"{name}: {errors} errors")
        publishes = each["publishes"]
        # A run that publishes measures nothing of publishing without one publish done.
        if publishes["done"] != publishes["asked"] or (
            each["publish_every_s"] and not publishes["done"]
        ):
            problems.append(f"{name}: {publishes['done']} of {publishes['asked']} published")
        problems += [
            f"{name}: never shown on {page} {count} times"
            for page, count in publishes["not_shown"].items()
            if count
        ]
    return problems


def missed_targets(results: dict) -> list[str]:
    """The speed targets missed: throughput, p95, and how soon publishes show."""
    baseline = results["runs"][0]["readers"].get("requests_per_s") or 0
    missed = []
    for each in results["runs"]:
        name, readers = run_name(each), each["readers"]
        if readers.get("p95_ms", MAX_P95_MS) >= MAX_P95_MS:
            missed.append(f"{name}: p95 {readers.get('p95_ms')} ms")
        if readers.get("requests_per_s", 0) < MIN_THROUGHPUT_SHARE * baseline:
            missed.append(f"{name}: {readers.get('requests_per_s')} req/s of {baseline}")
        shown = each["publishes"]["shown_max_s"].items()
        slow = {page: seconds for page, seconds in shown if seconds and seconds > MAX_SHOWN_S}
        if slow:
            missed.append(f"{name}: shown after more than {MAX_SHOWN_S} s: {slow}")
    return missed


def run_name(each: dict) -> str:
    every = each["publish_every_s"]
    return f"a publish every {every} s" if every else "no publishes"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"))
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.database or not args.redis_url:
        raise SystemExit("Give --database and --redis-url (the app servers' shared page cache)")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    prefix = f"publish-load-{uuid.uuid4().hex[:8]}"
    # This process writes drafts and page keys in the same cache as the servers.
    benchsetup.setup_django(
        DATABASE_URL=args.database, REDIS_URL=args.redis_url, CACHE_KEY_PREFIX=prefix
    )
    results = run(args.database, args.redis_url, args.seconds, args.connections, prefix)
    problems, missed = failures(results), missed_targets(results)
    if args.json:
        print(json.dumps({**results, "problems": problems, "missed_targets": missed}, indent=2))
    else:
        report(results)
        print("Targets met" if not missed else "Targets missed: " + "; ".join(missed))
        print("OK" if not problems else "FAILED: " + "; ".join(problems))
    return 1 if problems else 0


def report(results: dict) -> None:
    load = ", ".join(f"{value:.2f}" for value in results["load_average"])
    print(
        f"gunicorn, 2 workers; wrk, {results['connections']} connections, "
        f"{results['seconds']} s a run; load average {load}"
    )
    baseline = results["runs"][0]["readers"].get("requests_per_s") or 1
    for each in results["runs"]:
        readers, publishes = each["readers"], each["publishes"]
        every = each["publish_every_s"]
        print(f"publishes: {f'every {every} s' if every else 'none'}")
        print(
            f"  readers: {readers['requests_per_s']} req/s "
            f"({readers['requests_per_s'] / baseline:.0%}), p50 {readers['p50_ms']} ms, "
            f"p95 {readers['p95_ms']} ms; errors: 5xx {readers['5xx']}, other non-2xx/3xx "
            f"{readers['non_2xx_3xx'] - readers['5xx']}, timeouts {readers['timeouts']}, "
            f"socket {readers['socket_errors']}"
        )
        if every:
            print(
                f"  editor: {publishes['done']}/{publishes['asked']} published, each p50 "
                f"{publishes['took_p50_s']} s"
            )
            print(
                "  shown after (p50 / max s): "
                + ", ".join(
                    f"{page} {publishes['shown_p50_s'][page]} / {publishes['shown_max_s'][page]}"
                    for page in publishes["shown_max_s"]
                )
            )


if __name__ == "__main__":
    sys.exit(main())
