"""Every page of the site, saved and compared: after a change that must not change what the
site answers (moving code between modules, say), the same requests give the same bodies.

    .venv/bin/python bench/page_bodies.py save DIR [--database URL] [--limit 3000]
    .venv/bin/python bench/page_bodies.py compare DIR [--database URL]

`save` crawls the public site in both languages from its home pages, sitemaps, tag and archive
indexes and a search for a few words, following every link to a page of its own (not static
files, media or the admin) in a fixed order, up to --limit pages; then it asks for the change
form of every briefing and excerpt (up to a tenth of --limit each) as a superuser made for the
run. Each answer's status and body go into DIR, one file an address, with `addresses.txt`
listing them. `compare` asks for the addresses in DIR again and prints each whose status or
body differs, with the first differing line; it exits 1 if any differs.

Run both on the same content: the database (or an export_content archive restored into a
fresh one) that bench/make_data.py or `make run`'s demo content filled. The run writes
nothing: its superuser and sessions are rolled back. CSRF tokens differ from run to run and are
left out of the comparison, as are the times of day rows were written.
"""

import argparse
import hashlib
import re
import sys
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import benchsetup

SEARCH_WORDS = ["Iran", "Iraq", "Hezbollah OR Kurdish", '"Revolutionary Guards"', "Syria -Iraq"]
STARTS = ["/", "/tags/", "/sources/", "/feed/"]
UNTRANSLATED = ["/sitemap.xml", "/robots.txt"]
# Addresses that are not the site's own pages, or that change with every request.
LEFT_OUT = re.compile(r"^/(static|media|_nested_admin|healthz)/?|^/(de/)?admin/")
LINK = re.compile(r"""(?:href|src)=["']([^"']+)["']|<loc>([^<]+)</loc>""")
CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# nested_admin writes an inline's classes in an order that differs between processes.
CLASSES = re.compile(rb'class="([^"]*)"')
# Times of day when rows were written (modified times, the admin's created and updated fields):
# two fillings of the same content differ in them only.
TIMES = re.compile(
    rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?"
    rb"|\d\d? \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}"
    rb"|\w{3}\.? \d\d?, \d{4}, \d\d?:\d\d(?: [ap]\.m\.)?"
)


def setup_django(database: str | None) -> None:
    benchsetup.setup_django(
        ALLOWED_HOSTS="testserver",
        PAGE_CACHE_TIMEOUT="0",
        **benchsetup.PLAIN_HTTP,
        **({"DATABASE_URL": database} if database else {}),
    )


def public_addresses(client, limit: int) -> list[str]:
    """The site's own pages reachable from its starting points, breadth first, in a fixed
    order (a page's links as they stand in it)."""
    from django.utils.http import urlencode

    starts = [*STARTS, *(f"/search/?{urlencode({'q': word})}" for word in SEARCH_WORDS)]
    queue = deque([*UNTRANSLATED, *starts, *(f"/de{start}" for start in starts)])
    seen = set(queue)
    found = []
    while queue and len(found) < limit:
        address = queue.popleft()
        response = client.get(address)
        found.append(address)
        if response.status_code != 200 or response.streaming:
            continue
        for link in links(response.content.decode(errors="replace")):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return found


def links(page: str) -> list[str]:
    """The page's links to addresses of this site, as paths with their query strings."""
    found = []
    for match in LINK.finditer(page):
        address = urldefrag((match.group(1) or match.group(2)).replace("&amp;", "&"))[0]
        parts = urlsplit(address)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not LEFT_OUT.match(parts.path):
            found.append(path)
    return found


def admin_addresses(limit: int) -> list[str]:
    from django.urls import reverse

    from articles.models import Article
    from briefings.models import Briefing

    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
        for model in (Briefing, Article)
        for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:limit]
    ]


def answer(client, address: str) -> bytes:
    """The status and the body, with what differs between runs left out: CSRF tokens, and the
    order of the names in a class attribute."""
    response = client.get(address)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    body = CSRF_TOKEN.sub(rb"\1\2", body)
    body = TIMES.sub(b"<time>", body)
    body = CLASSES.sub(lambda m: b'class="' + b" ".join(sorted(m.group(1).split())) + b'"', body)
    return f"{response.status_code}\n".encode() + body


def file_name(address: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", address).strip("_")[:80] or "home"
    return f"{readable}-{hashlib.sha256(address.encode()).hexdigest()[:12]}.txt"


def with_clients(run):
    """`run(reader, administrator)` with two test clients, in a transaction rolled back after."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client

    with transaction.atomic():
        administrator = Client()
        administrator.force_login(
            get_user_model().objects.create_superuser("page-bodies", "pb@example.org", None)
        )
        result = run(Client(), administrator)
        transaction.set_rollback(True)
    return result


def save(folder: Path, limit: int) -> int:
    def run(reader, administrator) -> int:
        public = public_addresses(reader, limit)
        admin = admin_addresses(max(1, limit // 10))
        folder.mkdir(parents=True, exist_ok=True)
        for address in public:
            (folder / file_name(address)).write_bytes(answer(reader, address))
        for address in admin:
            (folder / file_name(address)).write_bytes(answer(administrator, address))
        (folder / "addresses.txt").write_text("\n".join([*public, *admin]) + "\n")
        print(f"{len(public)} public pages and {len(admin)} admin forms saved in {folder}")
        return 0

    return with_clients(run)


def compare(folder: Path) -> int:
    listing = folder / "addresses.txt"
    addresses = listing.read_text().split() if listing.exists() else []
    if not addresses:
        raise SystemExit(f"{folder} holds no saved pages: run `save` first.")

    def run(reader, administrator) -> int:
        differing = 0
        for address in addresses:
            client = administrator if re.match(r"^/(de/)?admin/", address) else reader
            saved = (folder / file_name(address)).read_bytes()
            now = answer(client, address)
            if now != saved:
                differing += 1
                print(f"{address}: {first_difference(saved, now)}")
        print(f"{differing} of {len(addresses)} pages differ")
        return 1 if differing else 0

    return with_clients(run)


def first_difference(saved: bytes, now: bytes) -> str:
    pairs = zip(saved.splitlines(), now.splitlines(), strict=False)
    for number, (old, new) in enumerate(pairs, start=1):
        if old != new:
            return f"line {number}: {old[:100]!r} -> {new[:100]!r}"
    return f"{len(saved.splitlines())} lines before, {len(now.splitlines())} now"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--database", help="DATABASE_URL; the environment's by default")
    parser.add_argument("--limit", type=int, default=3000, help="most public pages to save")
    args = parser.parse_args()
    setup_django(args.database)
    if args.action == "save":
        return save(args.folder, args.limit)
    return compare(args.folder)


if __name__ == "__main__":
    sys.exit(main())
