"""A newsroom's ten years of content, for measuring pages at scale.

    .venv/bin/python bench/make_data.py [--excerpts 10000] [--briefings 520] [--seed 7]
        [--database postgres://postgres@127.0.0.1:5432/newsroom_data] [--json]

Fills the configured database (DATABASE_URL, or --database, migrated first) with invented
content: weekly briefings of 3-5 sections of 3-6 bullets citing their sources inline, article
excerpts from 150 publications by 400 people, 300 tags, 85% English and 15% German, all
published over the last ten years. Rows are written in bulk, with their HTML rendered as the
admin would, the briefings' citations rebuilt and, on PostgreSQL, the search entries kept by
the database's triggers. Refuses a database that already holds items, so it never mixes with
real content. Prints how many rows it wrote and how long it took.
"""

import argparse
import datetime as dt
import json
import random
import sys
import time


def words(text: str) -> list[str]:
    return text.split()


OUTLETS = words("Mehr Fars Tasnim IRNA ISNA ILNA Kayhan Entekhab Asr-e Iran Shargh")
WORDS_EN = words(
    "militia border council corridor tariff convoy ministry delegation grain pipeline province "
    "tanker reservoir talks ceasefire envoy market summit drought railway refinery checkpoint "
    "budget election court parliament harvest shipment quota mediator treaty bridge garrison "
    "port district assembly inquiry reform subsidy shortage exchange airport sanctions strike "
    "drone negotiations governor cabinet protest currency oil gas electricity water"
)
WORDS_DE = words(
    "Miliz Grenze Regierung Verhandlungen Hafen Wahl Gericht Vertrag Brücke Lieferung Dürre "
    "Ernte Ministerium Abkommen Gespräche Gipfel Haushalt Reform Untersuchung Flughafen Strom "
    "Wasser Sanktionen Proteste Währung Kabinett Gouverneur Angriff Drohnen Parlament"
)
KICKERS = ["Analysis", "Focus", "Interview", "Commentary", "Report"]


class Writer:
    """Invented sentences in either language, repeatable from a seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self, language: str, words: int = 16) -> str:
        vocabulary = WORDS_DE if language == "de" else WORDS_EN
        picked = self.rng.choices(vocabulary, k=words)
        return " ".join(picked).capitalize() + "."

    def paragraph(self, language: str, sentences: int) -> str:
        return " ".join(self.sentence(language) for _ in range(sentences))

    def language(self) -> str:
        return "de" if self.rng.random() < 0.15 else "en"


def setup_django(database: str | None) -> None:
    from benchsetup import setup_django as configure

    # Ten years written in bulk take statements longer than a page's bound.
    configure(DATABASE_STATEMENT_TIMEOUT="0", **({"DATABASE_URL": database} if database else {}))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make(excerpts: int, briefings: int, seed: int) -> dict[str, int]:
    from django.db import transaction
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article, TaggedArticle
    from briefings.models import Briefing, Bullet, Figure, Section, TaggedBriefing
    from people.models import Person, Publication
    from publishing.markup import render_inline_markdown, render_markdown
    from publishing.models import Status
    from sources.services import refresh_citations

    if Briefing.objects.exists() or Article.objects.exists():
        raise SystemExit("this database already holds items: use an empty one")
    rng = random.Random(seed)
    writer = Writer(rng)
    # The start of today, so two fillings on one day give the same pages (bench/page_bodies.py).
    now = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        tags = Tag.objects.bulk_create(
            [Tag(name=f"Topic {n:03}", slug=f"topic-{n:03}") for n in range(300)]
        )
        # A few tags carry most items, as in a real newsroom.
        tag_weights = [1 / (rank + 1) for rank in range(len(tags))]
        publications = Publication.objects.bulk_create(
            [
                Publication(
                    name=f"Review of Regional Affairs {n}",
                    slug=f"regional-affairs-{n}",
                    homepage=f"https://review{n}.example.org/",
                )
                for n in range(150)
            ]
        )
        people = Person.objects.bulk_create(
            [Person(name=f"Analyst {n:03}", slug=f"analyst-{n:03}") for n in range(400)]
        )

        weekly = []
        for n in range(briefings):
            end = (now - dt.timedelta(weeks=n, days=1)).date()
            language = writer.language()
            weekly.append(
                Briefing(
                    title=f"Weekly briefing {n}: {end:%B %-d, %Y}",
                    slug=f"weekly-briefing-{n}",
                    series="Spotlight on the Region",
                    publisher="Centre for Regional Studies",
                    period_start=end - dt.timedelta(days=13),
                    period_end=end,
                    editor=rng.choice(people),
                    status=Status.PUBLISHED,
                    published_at=now - dt.timedelta(weeks=n),
                    language=language,
                )
            )
        Briefing.objects.bulk_create(weekly, batch_size=1000)
        Figure.objects.bulk_create(
            Figure(briefing=b, caption=writer.sentence(b.language, 10), credit="Agency")
            for b in weekly
        )
        sections = [
            Section(briefing=b, title=writer.sentence(b.language, 4)[:-1], position=position)
            for b in weekly
            for position in range(rng.randint(3, 5))
        ]
        Section.objects.bulk_create(sections, batch_size=5000)
        bullets = []
        for section in sections:
            for position in range(rng.randint(3, 6)):
                day = section.briefing.period_end - dt.timedelta(days=rng.randint(0, 13))
                text = (
                    f"{writer.sentence(section.briefing.language)} "
                    f"({rng.choice(OUTLETS)}, {day:%B} {day.day})."
                )
                bullets.append(
                    Bullet(
                        briefing=section.briefing,
                        section=section,
                        text=text,
                        text_html=render_inline_markdown(text),
                        position=position,
                    )
                )
        Bullet.objects.bulk_create(bullets, batch_size=5000)

        articles = []
        for n in range(excerpts):
            language = writer.language()
            standfirst = writer.sentence(language, 20)
            excerpt = "\n\n".join(writer.paragraph(language, 4) for _ in range(3))
            published_at = now - dt.timedelta(minutes=rng.randint(60, 10 * 365 * 24 * 60))
            articles.append(
                Article(
                    title=writer.sentence(language, 7)[:-1],
                    slug=f"excerpt-{n}",
                    kicker=rng.choice(KICKERS),
                    standfirst=standfirst,
                    standfirst_html=render_markdown(standfirst),
                    publication=rng.choice(publications),
                    original_date=(published_at - dt.timedelta(days=2)).date(),
                    excerpt=excerpt,
                    excerpt_html=render_markdown(excerpt),
                    continue_url=f"https://review.example.org/{n}",
                    status=Status.PUBLISHED,
                    published_at=published_at,
                    language=language,
                )
            )
        Article.objects.bulk_create(articles, batch_size=1000)
        Authors = Article.authors.through
        Authors.objects.bulk_create(
            (
                Authors(article=article, person=person)
                for article in articles
                for person in rng.sample(people, rng.randint(1, 2))
            ),
            batch_size=5000,
        )

        def tagged(item) -> list[Tag]:
            return list({*rng.choices(tags, weights=tag_weights, k=rng.randint(1, 4))})

        TaggedBriefing.objects.bulk_create(
            (TaggedBriefing(content_object=b, tag=tag) for b in weekly for tag in tagged(b)),
            batch_size=5000,
        )
        TaggedArticle.objects.bulk_create(
            (TaggedArticle(content_object=a, tag=tag) for a in articles for tag in tagged(a)),
            batch_size=5000,
        )
        citations = refresh_citations(weekly)
    return {
        "briefings": len(weekly),
        "sections": len(sections),
        "bullets": len(bullets),
        "citations": citations,
        "excerpts": len(articles),
        "tags": len(tags),
        "publications": len(publications),
        "people": len(people),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--excerpts", type=int, default=10_000)
    parser.add_argument("--briefings", type=int, default=520, help="weekly, newest first")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", help="a database URL (default: DATABASE_URL)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    setup_django(args.database)
    from django.db import connection

    started = time.perf_counter()
    rows = make(args.excerpts, args.briefings, args.seed)
    if connection.vendor == "postgresql":
        # Fresh statistics, as a running site has: the planner misjudged the bulk-loaded tables
        # (a tag archive took 700 ms instead of 60) until autovacuum came by.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    figures = {
        "database": connection.vendor,
        "seconds": round(time.perf_counter() - started, 1),
        **rows,
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>13}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
