"""Latency of full-text search over 100,000 synthetic bullets and excerpts, on PostgreSQL or
on SQLite (FTS5).

    .venv/bin/python bench/search_bench.py [--database postgres://postgres@127.0.0.1:5432/postgres]
        [--bullets 60000] [--excerpts 40000] [--runs 5] [--json] [--keep]
        [--scratch newsroom_searchbench]
    .venv/bin/python bench/search_bench.py --database sqlite:///tmp   # SQLite, in /tmp

Creates the scratch database `newsroom_searchbench` (or --scratch) on the server the URL
names (dropping an old one) or, for a sqlite:/// URL naming a folder, as a file in that folder;
migrates it, bulk-inserts invented briefings, bullets and excerpts (so the search triggers run
as they do for the importer), then times `search_page()` — the search view's query and its
page of rows with snippets — for 20 queries of different shapes, each run several times after a
warm-up. Prints p50 and p95 latency, the slowest shapes, and the plan of one query, which shows
whether the full-text index is used (GIN on PostgreSQL, the FTS5 table on SQLite). Fails when a
search of a word the data holds found nothing. Drops the database unless --keep.
"""

import argparse
import datetime as dt
import json
import random
import re
import statistics
import time
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import benchsetup

SCRATCH = "newsroom_searchbench"
TARGET_P50_MS = 20
BULLETS_PER_BRIEFING = 15
# A selective query, the kind the GIN index serves; common words are read by a scan instead.
EXPLAINED = "rare and theme"


def words(text: str) -> list[str]:
    return text.split()


# Invented text: themed words a reader might search for, among a long tail of made-up words.
THEMES_EN = words(
    "harbour council corridor tariff convoy ministry delegation border grain pipeline province "
    "tanker militia reservoir talks ceasefire envoy market summit drought flood railway "
    "refinery checkpoint budget election court parliament harvest shipment quota mediator "
    "treaty bridge garrison valley port district assembly inquiry reform subsidy shortage "
    "exchange airport festival fishery canal mountain sanctions blockade"
)
THEMES_DE = words(
    "Verhandlung Verhandlungen Regierung Regierungen Grenze Grenzen Hafen Häfen Wahl Wahlen "
    "Gericht Gerichte Vertrag Verträge Brücke Brücken Lieferung Lieferungen Dürre Ernte "
    "Ministerium Abkommen Gespräche Gipfel Haushalt Reform Untersuchung Flughafen"
)
SYLLABLES = words("ka lo mer vin ta sul dra pe ri gon ul be fa shen tor mi az que nel dov ob")


def made_up_words(count: int, rng: random.Random) -> list[str]:
    found: set[str] = set()
    while len(found) < count:
        found.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    return sorted(found)


class TextMaker:
    """Sentences whose made-up words follow Zipf's law, so some words are everywhere."""

    def __init__(self, rng: random.Random, vocabulary: int = 4000):
        self.rng = rng
        self.tail = made_up_words(vocabulary, rng)
        weights = [1 / (rank**1.05) for rank in range(1, vocabulary + 1)]
        self.cumulative = list(accumulate(weights))

    def text(self, length: int, themes: list[str]) -> str:
        picked = self.rng.choices(self.tail, cum_weights=self.cumulative, k=length)
        for _ in range(3):
            picked[self.rng.randrange(length)] = self.rng.choice(themes)
        return " ".join(picked).capitalize() + "."


def server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def sqlite_file(url: str, database: str) -> Path:
    return Path(urlsplit(url).path) / f"{database}.sqlite3"


def create_scratch(url: str, database: str) -> str:
    """The URL of a new, empty scratch database `database` beside what `url` names."""
    drop_scratch(url, database)
    if is_sqlite(url):
        return f"sqlite:///{sqlite_file(url, database)}"
    run_on_server(url, f"CREATE DATABASE {database}")
    return server_url(url, database)


def drop_scratch(url: str, database: str) -> None:
    if is_sqlite(url):
        sqlite_file(url, database).unlink(missing_ok=True)
    else:
        run_on_server(url, f"DROP DATABASE IF EXISTS {database}")


def run_on_server(url: str, *statements: str) -> None:
    """Statements outside a transaction, as CREATE and DROP DATABASE need."""
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    conn.close()


def setup_django(url: str) -> None:
    benchsetup.setup_django(DATABASE_URL=url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def publication_times(count: int, rng: random.Random) -> list[dt.datetime]:
    start = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)
    span = (dt.datetime(2025, 12, 31, tzinfo=dt.UTC) - start).total_seconds()
    return [start + dt.timedelta(seconds=rng.random() * span) for _ in range(count)]


def language_and_themes(rng: random.Random) -> tuple[str, list[str]]:
    return ("de", THEMES_DE) if rng.random() < 0.15 else ("en", THEMES_EN)


def load(bullets: int, excerpts: int, rng: random.Random) -> dict:
    """Bulk-inserts through the ORM, as the importer does; returns rows and seconds."""
    from taggit.models import Tag

    from articles.models import Article, TaggedArticle
    from briefings.models import Briefing, Bullet, TaggedBriefing
    from publishing.models import Status

    maker = TextMaker(rng)
    tags = Tag.objects.bulk_create([Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(20)])
    started = time.perf_counter()
    briefing_count = bullets // BULLETS_PER_BRIEFING
    briefings = []
    for n, when in enumerate(publication_times(briefing_count, rng)):
        language, themes = language_and_themes(rng)
        briefings.append(
            Briefing(
                title=maker.text(6, themes),
                slug=f"briefing-{n}",
                status=Status.PUBLISHED,
                published_at=when,
                language=language,
            )
        )
    Briefing.objects.bulk_create(briefings, batch_size=1000)
    themes_of = {"de": THEMES_DE, "en": THEMES_EN}
    rows = [
        Bullet(briefing=b, text=maker.text(28, themes_of[b.language]), position=i)
        for b in briefings
        for i in range(BULLETS_PER_BRIEFING)
    ]
    for row in rows:
        row.text_html = row.text
    Bullet.objects.bulk_create(rows, batch_size=5000)
    articles = []
    for n, when in enumerate(publication_times(excerpts, rng)):
        language, themes = language_and_themes(rng)
        excerpt = " ".join(maker.text(25, themes) for _ in range(3))
        articles.append(
            Article(
                title=maker.text(7, themes),
                slug=f"excerpt-{n}",
                standfirst=maker.text(18, themes),
                excerpt=excerpt,
                excerpt_html=f"<p>{excerpt}</p>",
                status=Status.PUBLISHED,
                published_at=when,
                language=language,
            )
        )
    Article.objects.bulk_create(articles, batch_size=1000)
    TaggedBriefing.objects.bulk_create(
        [TaggedBriefing(content_object=b, tag=rng.choice(tags)) for b in briefings],
        batch_size=5000,
    )
    TaggedArticle.objects.bulk_create(
        [TaggedArticle(content_object=a, tag=rng.choice(tags)) for a in articles],
        batch_size=5000,
    )
    seconds = time.perf_counter() - started
    return {
        "briefings": len(briefings),
        "bullets": len(rows),
        "excerpts": len(articles),
        "load_s": round(seconds, 1),
        "tail_words": maker.tail,
    }


def query_shapes(tail: list[str]) -> list[tuple[str, dict, int]]:
    """(label, form data, page number): words common and rare, syntax, filters, pages."""
    common, middling, rare = tail[0], tail[40], tail[2500]
    shapes = [
        ("one theme word", {"q": "harbour"}, 1),
        ("two theme words", {"q": "ceasefire talks"}, 1),
        ("phrase", {"q": '"grain corridor"'}, 1),
        ("exclusion", {"q": "tanker -pipeline"}, 1),
        ("or", {"q": "drought or flood"}, 1),
        ("German inflection", {"q": "Verhandlungen"}, 1),
        ("German two words", {"q": "Regierung Grenzen"}, 1),
        ("rare made-up word", {"q": rare}, 1),
        ("rare and theme", {"q": f"{rare} harbour"}, 1),
        ("most common word", {"q": common}, 1),
        ("middling word", {"q": middling}, 1),
        ("theme, excerpts only", {"q": "refinery", "kind": "article"}, 1),
        ("theme, one tag", {"q": "convoy", "tag": "topic-3"}, 1),
        ("theme, one year", {"q": "summit", "year": 2021}, 1),
        ("three words", {"q": "envoy summit reservoir"}, 1),
        ("three-word phrase", {"q": f'"{middling} {common} {middling}"'}, 1),
        ("two exclusions", {"q": "ministry -budget -tariff"}, 1),
        ("three ors", {"q": "quota or treaty or bridge"}, 1),
        ("no match", {"q": "zyxwvu"}, 1),
        ("page 3", {"q": "parliament"}, 3),
    ]
    return [(label, {"kind": "", "tag": "", "year": None, **data}, n) for label, data, n in shapes]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_queries(shapes, runs: int) -> dict:
    from public.search import search_page

    timings: dict[str, list[float]] = {}
    for label, data, number in shapes:
        search_page(data, number, 20)  # warm-up: plans and pages cached as in a running server
        timings[label] = []
        for _ in range(runs):
            started = time.perf_counter()
            search_page(data, number, 20)
            timings[label].append((time.perf_counter() - started) * 1000)
    return timings


def explain(data: dict) -> str:
    """The plan of the query that finds and ranks the page's rows (EXPLAIN ANALYZE on
    PostgreSQL, EXPLAIN QUERY PLAN on SQLite)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from public.search import search_page

    with CaptureQueriesContext(connection) as queries:
        search_page(data, 1, 20)
    # The first query that matches the index; queries before it may only parse the search.
    finding = next(q["sql"] for q in queries if "@@" in q["sql"] or " MATCH " in q["sql"])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + finding)
            return "\n".join(row[-1] for row in cursor.fetchall())
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + finding)
        return "\n".join(row[0] for row in cursor.fetchall())


def index_used(plan: str) -> bool:
    """Whether the plan reads the full-text index: a GIN scan of the entries' vectors (or of
    one kind's part of them), or a MATCH answered by an FTS5 table."""
    return bool(re.search(r"Bitmap Index Scan on \S*vector|VIRTUAL TABLE INDEX \d+:M", plan))


def check_found(shapes) -> None:
    """Fails loudly when a word the data holds found nothing: the timings measured nothing."""
    from public.search import search_page

    for label in ("one theme word", "German inflection", "most common word"):
        data = next(data for shape, data, _n in shapes if shape == label)
        if not search_page(data, 1, 20).items:
            raise SystemExit(f"search_bench: “{label}” ({data['q']}) found nothing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--bullets", type=int, default=60_000)
    parser.add_argument("--excerpts", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    # Developers share one server: each can bench in a scratch database of their own.
    parser.add_argument("--scratch", default=SCRATCH, help="name of the scratch database")
    args = parser.parse_args()

    scratch = args.scratch
    try:
        setup_django(create_scratch(args.database, scratch))
        from django.db import connection

        loaded = load(args.bullets, args.excerpts, random.Random(2020))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        shapes = query_shapes(loaded.pop("tail_words"))
        check_found(shapes)
        timings = time_queries(shapes, args.runs)
        plan = explain(next(data for label, data, _n in shapes if label == EXPLAINED))
        connection.close()
    finally:
        if not args.keep:
            drop_scratch(args.database, scratch)
    report(loaded, timings, plan, args.json)


def report(loaded: dict, timings: dict[str, list[float]], plan: str, as_json: bool) -> None:
    every = [ms for values in timings.values() for ms in values]
    figures = {
        **loaded,
        "queries": len(timings),
        "runs": len(every),
        "p50_ms": round(statistics.median(every), 1),
        "p95_ms": round(percentile(every, 0.95), 1),
        "target_p50_ms": TARGET_P50_MS,
        "median_ms_by_query": {k: round(statistics.median(v), 1) for k, v in timings.items()},
        "index_used": index_used(plan),
        "plan": plan,
    }
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"loaded {loaded['briefings']} briefings with {loaded['bullets']} bullets and "
        f"{loaded['excerpts']} excerpts in {loaded['load_s']} s (triggers included)"
    )
    print(
        f"{figures['runs']} searches: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms "
        f"(target p50 <= {TARGET_P50_MS} ms)"
    )
    for label, ms in sorted(figures["median_ms_by_query"].items(), key=lambda kv: -kv[1]):
        print(f"  {ms:8.1f} ms  {label}")
    print(f"full-text index used: {figures['index_used']}\n{plan}")


if __name__ == "__main__":
    main()
