"""Speed and memory of `import_backissues` on synthetic back issues.

    .venv/bin/python bench/import_bench.py [--pages 500] [--posts 2000] [--wxr-mb 100]
        [--database postgres://postgres@127.0.0.1:5432/x] [--json] [--profile]

Writes N invented text pages and a WXR 1.2 export of N posts (and, with --wxr-mb, an export of
about M megabytes) to a temporary folder, migrates a fresh database (a temporary SQLite file, or
a scratch `newsroom_bench_<pid>` database, see --scratch-prefix, on the server a PostgreSQL URL
names, dropped at the end), imports each set twice through the real command and prints files or
posts per second, the re-run's time and the peak RSS. Each import runs in its own process, so
peaks do not mix.
"""

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CHILD = "--child-import"
KICKERS = ("Analysis", "Focus", "Interview")
TARGETS = {"pages_per_s": 200, "posts_per_s": 500, "big_wxr_peak_mb": 300}


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Invented vocabulary: nothing here is taken from the old site's pages.
WORDS = words(
    "harbour council river corridor tariff convoy ministry delegation border grain pipeline "
    "province tanker militia survey reservoir talks ceasefire envoy market summit drought "
    "railway refinery checkpoint budget election court parliament cable harvest shipment "
    "quota mediator treaty bridge garrison valley port district assembly inquiry reform "
    "subsidy shortage exchange pilgrim airport festival archive fishery canal mountain"
)
VERBS = words(
    "announced reported denied approved delayed rejected discussed signed reopened expanded "
    "questioned welcomed criticised postponed confirmed reviewed"
)
PLACES = words(
    "Veloria Marsk Tahrun Ostrava Qadir Belmont Sirocco Kelvar Amaranth Duvno Halvik Zerin"
)
FIRST = words("Lena Omar Ilse Tarik Noor Pavel Sanne Idris Maren Yusuf Elif Jonas Rana Malik")
LAST = words("Varga Hallberg Osei Demir Lindqvist Farouk Brandt Kovac Nadeem Sørlie Aziz Mertens")
PUBLICATIONS = (
    "NORTHERN LEDGER",
    "CASPIAN REVIEW",
    "HARBOUR GAZETTE",
    "THE RIVERSIDE MONITOR",
    "INSTITUTE FOR CORRIDOR STUDIES (ICS)",
    "EASTERN OBSERVER",
)
SECTIONS = ("Involvement in {}", "Economy of {}", "Security in {}", "Diplomacy and {}")


# Synthetic text pages


def sentence(rng: random.Random, words: int = 14) -> str:
    picked = [rng.choice(WORDS) for _ in range(words)]
    picked.insert(2, rng.choice(VERBS))
    picked.insert(5, rng.choice(PLACES))
    return " ".join(picked).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(sentences))


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def title(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 8))]
    return f"{rng.choice(PLACES)} {' '.join(words)}".capitalize()


def briefing_lines(rng: random.Random, end: dt.date) -> list[str]:
    start = end - dt.timedelta(days=13)
    caption = f"{sentence(rng, 9)[:-1]} ({rng.choice(PLACES)} News, {start:%B %-d, %Y})."
    heading = f"{start:%B %-d, %Y} – {end:%B %-d, %Y}Editor: Dr. {person(rng)}"
    lines = [heading, caption, "", caption]
    lines += ["", *(f"  • {paragraph(rng, rng.randint(2, 4))}" for _ in range(rng.randint(3, 6)))]
    for _ in range(rng.randint(2, 4)):
        lines.append(rng.choice(SECTIONS).format(rng.choice(PLACES)))
        lines += [f"  • {paragraph(rng, rng.randint(2, 6))}" for _ in range(rng.randint(2, 5))]
    return lines


def meta_line(rng: random.Random, day: dt.date, publication: str) -> str:
    """One of the old site's ways of giving author, date and publication."""
    forms = (
        f"{day:%-d %b %Y} – {sentence(rng)}",
        f"{sentence(rng)} – Date – {day:%B %-d, %Y}",
        f"By {person(rng).upper()} and {person(rng)} – {day:%d.%m.%Y}",
        f"{person(rng)} {day:%b %-d, %Y} – {publication} – {sentence(rng)}",
    )
    return rng.choice(forms)


def excerpt_lines(rng: random.Random, day: dt.date) -> list[str]:
    publication = rng.choice(PUBLICATIONS)
    heading = title(rng)
    if rng.random() < 0.5:
        heading = f"MESOPOTAMIA NEWS {rng.choice(KICKERS).upper()} : {heading}"
    else:
        heading = f"{heading} / {publication}"
    lines = ["", "", heading, "", meta_line(rng, day, publication), ""]
    for _ in range(rng.randint(1, 4)):
        lines += [paragraph(rng, rng.randint(2, 5)), ""]
    if rng.random() < 0.3:
        lines += [f"  • {sentence(rng)}" for _ in range(3)] + [""]
    lines.append(rng.choice(("weiterlesen / click to continue", "More via", "Continue reading")))
    return lines


def text_page(number: int) -> str:
    rng = random.Random(number)
    end = dt.date(2016, 1, 3) + dt.timedelta(days=14 * number)
    lines = briefing_lines(rng, end)
    for _ in range(rng.randint(6, 10)):
        lines += excerpt_lines(rng, end - dt.timedelta(days=rng.randint(0, 12)))
    lines += ["", "« neuere Artikel / next articles   ältere Artikel / previous articles »"]
    return "\n".join(lines) + "\n"


def write_pages(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = [folder / f"page-{number:05}.txt" for number in range(count)]
    for number, path in enumerate(paths):
        path.write_text(text_page(number), encoding="utf-8")
    return paths


# Synthetic WordPress export

WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>Bench Notes</title>
\t<link>https://bench.example.org</link>
\t<description>An invented blog</description>
\t<language>en-US</language>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>https://bench.example.org</wp:base_site_url>
\t<wp:base_blog_url>https://bench.example.org</wp:base_blog_url>
"""
WXR_TAIL = "</channel>\n</rss>\n"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wxr_item(fields: dict[str, str], terms: list[tuple[str, str]], meta: dict[str, str]) -> str:
    """An <item>: `fields` by prefixed name (values already escaped), terms, post meta."""
    parts = [f"\t<{name}>{value}</{name}>" for name, value in fields.items()]
    parts += [
        f'\t<category domain="{domain}" nicename="{name.lower()}">{cdata(name)}</category>'
        for domain, name in terms
    ]
    parts += [
        f"\t<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
        for key, value in meta.items()
    ]
    return "<item>\n" + "\n".join(parts) + "\n</item>\n"


def common_fields(post_id: int, kind: str, name: str, when: dt.datetime) -> dict[str, str]:
    return {
        "link": f"https://bench.example.org/{when:%Y/%m/%d}/{name}/",
        "guid": f"https://bench.example.org/?p={post_id}",
        "dc:creator": cdata("editor"),
        "wp:post_id": str(post_id),
        "wp:post_date": cdata(f"{when:%Y-%m-%d %H:%M:%S}"),
        "wp:post_date_gmt": cdata(f"{when - dt.timedelta(hours=1):%Y-%m-%d %H:%M:%S}"),
        "wp:post_name": cdata(name),
        "wp:post_type": cdata(kind),
    }


def post_content(rng: random.Random, attachment: int | None, when: dt.datetime) -> str:
    if rng.random() < 0.1:  # a briefing posted to the blog
        lines = briefing_lines(rng, when.date())
        bullets = "\n".join(f"<li>{escape(line[4:])}</li>" for line in lines if line[:4] == "  • ")
        return f"<p>{escape(lines[0])}</p>\n<ul>\n{bullets}\n</ul>"
    blocks = [paragraph(rng, rng.randint(2, 5)) for _ in range(rng.randint(2, 6))]
    if attachment:
        image = f"https://bench.example.org/wp-content/uploads/{when:%Y/%m}/photo-{attachment}.jpg"
        blocks.insert(
            0,
            f'[caption id="attachment_{attachment}" align="alignnone" width="640"]'
            f'<img src="{image}" alt="{sentence(rng, 5)}" /> {sentence(rng, 8)}[/caption]',
        )
    if rng.random() < 0.3:
        blocks.append("<ul>" + "".join(f"<li>{sentence(rng)}</li>" for _ in range(3)) + "</ul>")
    blocks.append(f'<a href="https://elsewhere.example.org/{rng.randint(1, 9999)}">More via</a>')
    return "\n\n".join(blocks)


def wxr_post(rng: random.Random, post_id: int, attachment: int | None) -> str:
    when = dt.datetime(2015, 1, 1, 9) + dt.timedelta(hours=7 * post_id)
    name = f"post-{post_id}-{rng.choice(WORDS)}"
    fields = {
        "title": escape(title(rng)),
        **common_fields(post_id, "post", name, when),
        "content:encoded": cdata(post_content(rng, attachment, when)),
        "excerpt:encoded": cdata(sentence(rng) if rng.random() < 0.5 else ""),
        "wp:status": cdata("publish" if rng.random() < 0.95 else "draft"),
    }
    terms = [("category", rng.choice(KICKERS)), ("category", rng.choice(PLACES))]
    terms += [("post_tag", rng.choice(WORDS).title()) for _ in range(rng.randint(1, 4))]
    meta = {"_thumbnail_id": str(attachment)} if attachment else {}
    return wxr_item(fields, terms, meta)


def wxr_attachment(rng: random.Random, post_id: int, parent: int) -> str:
    when = dt.datetime(2015, 1, 1, 9) + dt.timedelta(hours=7 * parent)
    url = f"https://bench.example.org/wp-content/uploads/{when:%Y/%m}/photo-{post_id}.jpg"
    fields = {
        "title": escape(f"photo-{post_id}"),
        **common_fields(post_id, "attachment", f"photo-{post_id}", when),
        "content:encoded": cdata(""),
        "excerpt:encoded": cdata(sentence(rng, 8)),
        "wp:status": cdata("inherit"),
        "wp:post_parent": str(parent),
        "wp:attachment_url": cdata(url),
    }
    return wxr_item(fields, [], {"_wp_attachment_image_alt": sentence(rng, 5)})


def wxr_items(seed: int) -> Iterator[tuple[str, int]]:
    """(item, posts in it) without end; every third post shows an attachment, written after it
    as WordPress may."""
    rng = random.Random(seed)
    post_id = 1
    while True:
        attachment = post_id + 1 if post_id % 3 == 0 else None
        yield wxr_post(rng, post_id, attachment), 1
        if attachment:
            yield wxr_attachment(rng, attachment, post_id), 0
        post_id += 2


def write_wxr(path: Path, *, posts: int | None = None, megabytes: float | None = None) -> int:
    """Write an export of `posts` posts, or of about `megabytes` MB; the number of posts."""
    written = 0
    with path.open("w", encoding="utf-8") as file:
        file.write(WXR_HEAD)
        for item, is_post in wxr_items(seed=len(path.name)):
            if posts is not None and written >= posts:
                break
            if megabytes is not None and file.tell() >= megabytes * 1_000_000:
                break
            file.write(item)
            written += is_post
        file.write(WXR_TAIL)
    return written


# Databases


@contextmanager
def scratch_database(url: str | None, folder: Path, prefix: str) -> Iterator[str]:
    """The URL of an empty database for the run; a server's scratch database is dropped after."""
    if not url:
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    import psycopg2  # only needed with a server

    parts = urlsplit(url)
    name = f"{prefix}{os.getpid()}"
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def child_env(database_url: str, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-not-secret",
        "DEBUG": "0",  # with DEBUG on, Django keeps every query in memory
        "ENV_FILE": os.devnull,
        "MEDIA_ROOT": str(folder / "media"),
        "IMPORT_KICKER_CATEGORIES": ",".join(KICKERS),
    }


def migrate(env: dict[str, str]) -> None:
    command = [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


# One import in its own process


def run_import(paths: list[Path], env: dict[str, str], profile: bool) -> dict:
    """Import `paths` in a fresh process; its time, peak RSS and outcome counts."""
    listing = Path(env["MEDIA_ROOT"]).parent / "paths.txt"
    listing.write_text("\n".join(map(str, paths)))
    command = [sys.executable, __file__, CHILD, str(listing)] + (["--profile"] if profile else [])
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the import process failed:\n{done.stderr[-3000:]}")
    if profile:
        print(done.stderr, file=sys.stderr)
    return json.loads(done.stdout)


def child_main(listing: str, profile: bool) -> None:
    """In the import's own process: set Django up, then time the command alone."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    paths = Path(listing).read_text().splitlines()
    before = peak_mb()
    out, error = io.StringIO(), None
    profiler = cProfile.Profile() if profile else None
    backend = database_backend()
    cpu_before = cpu_seconds(backend)
    started = time.perf_counter()
    try:
        if profiler:
            profiler.enable()
        call_command("import_backissues", *paths, verbosity=0, stdout=out, stderr=io.StringIO())
    except CommandError as failed:  # some files failed; the table still says what was written
        error = str(failed)
    finally:
        if profiler:
            profiler.disable()
    seconds = time.perf_counter() - started
    cpu = {part: after - cpu_before[part] for part, after in cpu_seconds(backend).items()}
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
    result = {"seconds": seconds, "peak_mb": peak_mb(), "setup_peak_mb": before, "error": error}
    result["cpu_seconds"] = cpu
    print(json.dumps(result | {"outcomes": outcome_table(out.getvalue())}))


def database_backend() -> int | None:
    """The process id of this process's PostgreSQL backend, when the server runs on this
    machine, so its CPU time can be read; None on SQLite (which runs in this process)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def cpu_seconds(backend: int | None) -> dict[str, float]:
    """CPU seconds so far of the importing process, of its finished parse workers, and of its
    database backend: where the time goes, whatever else the machine is doing."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    parts = {
        "importer": own.ru_utime + own.ru_stime,
        "workers": workers.ru_utime + workers.ru_stime,
    }
    if backend is not None:
        # utime and stime, in clock ticks, follow the command name, which may hold spaces.
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        parts["postgresql"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return parts


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def outcome_table(report: str) -> dict[str, dict[str, int]]:
    """The command's summary table: {kind: {outcome: count}} (outcomes that are not zero)."""
    lines = report.splitlines()
    header = next((line.split() for line in lines if line.split()[:1] == ["created"]), [])
    table = {}
    for line in lines:
        cells = line.split()
        if len(cells) == len(header) + 1 and all(cell.isdigit() for cell in cells[1:]):
            counts = zip(header, cells[1:], strict=True)
            table[cells[0]] = {outcome: int(n) for outcome, n in counts if n != "0"}
    return table


# The run


def bench_set(name: str, paths: list[Path], units: int, env: dict, profile: bool) -> dict:
    first = run_import(paths, env, profile)
    second = run_import(paths, env, profile=False)
    return {
        "set": name,
        "units": units,
        "seconds": round(first["seconds"], 2),
        "per_second": round(units / first["seconds"], 1),
        "peak_mb": round(first["peak_mb"], 1),
        # CPU milliseconds per unit, by process: with 2 cores, units/s is at most 2000 / total.
        "cpu_ms_per_unit": {
            part: round(seconds * 1000 / units, 2) for part, seconds in first["cpu_seconds"].items()
        },
        "setup_peak_mb": round(first["setup_peak_mb"], 1),
        "outcomes": first["outcomes"],
        "error": first["error"],
        "rerun_seconds": round(second["seconds"], 2),
        "rerun_outcomes": second["outcomes"],
        "rerun_all_unchanged": all_unchanged(second["outcomes"]),
    }


def all_unchanged(outcomes: dict[str, dict[str, int]]) -> bool:
    return all(set(counts) <= {"unchanged", "flagged"} for counts in outcomes.values())


def run(args: argparse.Namespace, folder: Path) -> dict:
    pages = write_pages(folder / "pages", args.pages) if args.pages else []
    export = folder / "export.xml"
    posts = write_wxr(export, posts=args.posts) if args.posts else 0
    big = folder / "big.xml"
    big_posts = write_wxr(big, megabytes=args.wxr_mb) if args.wxr_mb else 0
    results = []
    with scratch_database(args.database, folder, args.scratch_prefix) as url:
        env = child_env(url, folder)
        migrate(env)
        if pages:
            results.append(bench_set("text pages", pages, len(pages), env, args.profile))
        if posts:
            results.append(bench_set("wxr posts", [export], posts, env, args.profile))
        if big_posts:
            result = bench_set("big wxr", [big], big_posts, env, args.profile)
            results.append(result | {"file_mb": round(big.stat().st_size / 1e6, 1)})
    backend = "postgresql" if args.database else "sqlite"
    return {"database": backend, "cpus": os.cpu_count(), "targets": TARGETS, "results": results}


def print_figures(figures: dict) -> None:
    print(f"database: {figures['database']}, {figures['cpus']} CPUs")
    row = "{:<11}{:>7}{:>9}{:>10}{:>10}{:>10}{:>11}  {}"
    print(row.format("set", "units", "seconds", "units/s", "peak MB", "re-run s", "unchanged", ""))
    for r in figures["results"]:
        size = f"{r['file_mb']} MB file" if "file_mb" in r else ""
        unchanged = "yes" if r["rerun_all_unchanged"] else "NO"
        cells = (r["set"], r["units"], r["seconds"], r["per_second"], r["peak_mb"])
        print(row.format(*cells, r["rerun_seconds"], unchanged, size))
        if r["error"]:
            print(f"  failed files: {r['error']}")
        cpu = r["cpu_ms_per_unit"]
        shares = ", ".join(f"{part} {ms}" for part, ms in cpu.items())
        print(f"  CPU ms per unit: {shares}; total {sum(cpu.values()):.2f}")
        print(f"  first run: {r['outcomes']}")
        if not r["rerun_all_unchanged"]:
            print(f"  re-run: {r['rerun_outcomes']}")
    print(f"targets: {TARGETS}")


def main() -> int:
    if sys.argv[1:2] == [CHILD]:
        child_main(sys.argv[2], profile="--profile" in sys.argv)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500, help="text pages (0: none)")
    parser.add_argument("--posts", type=int, default=2000, help="posts in the WXR (0: none)")
    parser.add_argument("--wxr-mb", type=float, default=0, help="also a WXR of about M MB")
    parser.add_argument("--database", help="a PostgreSQL server URL (default: temporary SQLite)")
    parser.add_argument(
        "--scratch-prefix",
        default="newsroom_bench_",
        help="start of the scratch database's name on a server (the process id follows)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--profile", action="store_true", help="cProfile each first import")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        figures = run(args, Path(tmp))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_figures(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
