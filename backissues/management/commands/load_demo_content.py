"""Fill a site with demo content by importing the demo's back-issue files.

The files under `backissues/demo/` are of our own writing, in the old site's formats: a text page
per briefing (`briefings/`) and a WordPress export (`excerpts.xml`) holding the excerpts, a draft
and a scheduled briefing. `demo.toml` gives each page's tags, the publications' homepages and
other spellings, and the people's bios: what neither format carries.

Dates: the files are dated as if written on `written_on` (demo.toml). Each is copied to a
temporary directory with every date moved by the days from then to today, then imported; a
later run moves them by as many days as the first did (told by the marker excerpt's date), so
it finds every item unchanged. The export's images are drawn (backissues.demo.images) into that
directory and given to the importer as its media root.

Every text is invented for the demo. The publication names are real; the articles are not.
"""

import datetime as dt
import tempfile
import tomllib
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleFigure
from backissues.demo.dates import shift_dates
from backissues.demo.images import draw_uploads
from briefings.models import Briefing, Figure
from people.models import Person, Publication
from people.publication_spellings import Spelled, same_publication

DEMO = Path(__file__).resolve().parents[2] / "demo"
SERIES = "Spotlight on Iran"
EXPORT = "excerpts.xml"


def demo_settings() -> dict[str, Any]:
    with (DEMO / "demo.toml").open("rb") as file:
        return tomllib.load(file)


def days_to_move(settings: dict[str, Any]) -> int:
    """Days from the files' dates to the demo's: to today, or as far as an earlier run went."""
    marker = settings["marker"]
    loaded = Article.objects.filter(source_ref=marker["guid"]).values_list("original_date")
    if loaded and loaded[0][0]:
        return (loaded[0][0] - marker["original_date"]).days
    return (timezone.localdate() - settings["written_on"]).days


def tally() -> dict[str, int]:
    """What the summary counts, before and after the import."""
    with_image = ~Q(image="")
    return {
        "briefings": Briefing.objects.count(),
        "excerpts": Article.objects.count(),
        "images": Figure.objects.filter(with_image).count()
        + ArticleFigure.objects.filter(with_image).count(),
        "people": Person.objects.count(),
        "publications": Publication.objects.count(),
    }


class Command(BaseCommand):
    help = (
        "Import the invented demo briefings and excerpts (backissues/demo) through the "
        "back-issue importer, dated relative to today. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        settings = demo_settings()
        before = tally()
        self.add_publications(settings["publication"])
        days = days_to_move(settings)
        with tempfile.TemporaryDirectory(prefix="demo-") as folder:
            files = self.dated_copies(Path(folder), settings["written_on"], days)
            uploads = Path(folder) / "uploads"
            draw_uploads(uploads)
            self.import_files(files[EXPORT], media_root=uploads)
            for page in settings["briefing"]:
                self.import_files(files[page["file"]], tags=page["tags"], series=SERIES)
        self.add_bios(settings["person"])
        self.say_summary(before, tally())

    def dated_copies(self, folder: Path, written_on: dt.date, days: int) -> dict[str, Path]:
        """Each demo file, its dates moved, by its name in demo.toml."""
        copies = {}
        for source in [DEMO / EXPORT, *sorted((DEMO / "briefings").glob("*.txt"))]:
            copy = folder / source.name
            text = source.read_text(encoding="utf-8")
            copy.write_text(shift_dates(text, written_on, days), encoding="utf-8")
            copies[source.name] = copy
        return copies

    def import_files(self, path: Path, **options: Any) -> None:
        # The importer's own report is kept for when it fails: the summary below says the rest.
        report = StringIO()
        try:
            call_command("import_backissues", str(path), stdout=report, **options)
        except CommandError:
            self.stderr.write(report.getvalue())
            raise

    def add_publications(self, publications: list[dict[str, Any]]) -> None:
        """The publications the migrations do not add, with their homepages and aliases; a
        publication already there under any of its spellings (“… (ISW)” too) is the same one,
        and gains the spellings it lacks rather than a second row."""
        known = [Spelled(*row) for row in Publication.objects.values_list("pk", "name", "aliases")]
        for data in publications:
            demo = Spelled(0, data["name"], "\n".join(data["aliases"]))
            same = next((row for row in known if same_publication(row, demo)), None)
            if same is None:
                Publication.objects.create(
                    name=data["name"],
                    slug=slugify(data["name"]),
                    homepage=data["homepage"],
                    aliases=demo.aliases,
                )
                continue
            same.merged.append(demo)
            Publication.objects.filter(pk=same.pk).update(aliases=same.all_aliases())

    def add_bios(self, people: list[dict[str, str]]) -> None:
        """Bios the importer cannot carry, given to people who have none yet."""
        for data in people:
            Person.objects.filter(name=data["name"], bio="").update(bio=data["bio"])

    def say_summary(self, before: dict[str, int], after: dict[str, int]) -> None:
        added = {name: after[name] - before[name] for name in after}
        items = added["briefings"] + added["excerpts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {items} items added ({added['briefings']} briefings, "
                f"{added['excerpts']} excerpts), with {added['images']} figure images, "
                f"{added['people']} people and {added['publications']} publications; "
                "0 means the demo was there already."
            )
        )
