"""Fill a site with demo content by importing the demo's back-issue files.

The files under `backissues/demo/` are of our own writing, in the old site's formats: a text page
per briefing (`briefings/`) and a WordPress export (`excerpts.xml`) holding the excerpts, a draft
and a scheduled briefing. `demo.toml` gives each page's tags, the publications' homepages and
other spellings, and the people's bios: what neither format carries.

Dates: the files are dated as if written on `written_on` (demo.toml). Each is copied to a
temporary directory with every date moved by the days from then to today, then imported; a
later run moves them by as many days as the first did (told by the marker excerpt's date), so
it finds every item unchanged. The figures' images are drawn (backissues.demo.images) into that
directory and given to the importer as its media root; a text page names no image file, so
each briefing's lead figure then gets the drawing demo.toml names for its page, stored as an
editor's upload is.

Every text is invented for the demo. The publication names are real; the articles are not.
"""

import datetime as dt
import tempfile
import tomllib
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleFigure
from backissues.demo.dates import shift_dates
from backissues.demo.images import draw_uploads
from backissues.parsing.dates import find_period
from backissues.writing.figures import FIGURE_FOLDER
from briefings.models import Briefing, Figure
from images.stored import store_image
from people.models import Person, Publication
from people.publication_spellings import Spelled, same_publication

DEMO = Path(__file__).resolve().parents[2] / "demo"
SERIES = "Spotlight on Iran"
EXPORT = "excerpts.xml"
DRAWN = "demo"  # the drawings' folder under the uploads, as the export's addresses name it


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
        found = self.add_publications(settings["publication"])
        days = days_to_move(settings)
        with tempfile.TemporaryDirectory(prefix="demo-") as folder:
            files = self.dated_copies(Path(folder), settings["written_on"], days)
            uploads = Path(folder) / "uploads"
            draw_uploads(uploads, DRAWN)
            self.import_files(files[EXPORT], media_root=uploads)
            for page in settings["briefing"]:
                self.import_files(files[page["file"]], tags=page["tags"], series=SERIES)
                self.add_lead_image(page, files[page["file"]], uploads)
        self.add_bios(settings["person"])
        self.say_summary(before, tally(), found)

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

    def add_publications(self, publications: list[dict[str, Any]]) -> int:
        """The publications the migrations do not add, with their homepages and aliases; a
        publication already there under any of its spellings (“… (ISW)” too) is the same one,
        and gains the spellings it lacks rather than a second row. Returns how many were."""
        known = [Spelled(*row) for row in Publication.objects.values_list("pk", "name", "aliases")]
        found = 0
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
            found += 1
            same.merged.append(demo)
            Publication.objects.filter(pk=same.pk).update(aliases=same.all_aliases())
        return found

    def add_lead_image(self, page: dict[str, Any], path: Path, uploads: Path) -> None:
        """The drawing demo.toml names for the lead figure of the briefing a text page holds
        (found by the page's period), unless the figure has an image already."""
        period = find_period(path.read_text(encoding="utf-8"))
        figure = (
            period
            and Figure.objects.filter(
                briefing__series=SERIES,
                briefing__period_start=period.start,
                briefing__period_end=period.end,
            ).first()
        )
        if not figure:
            raise CommandError(f"{page['file']}: no briefing of its period with a lead figure")
        if figure.image:
            return
        name = f"{DRAWN}/{page['figure']}"
        with (uploads / name).open("rb") as file:
            stored = store_image(
                default_storage, f"{FIGURE_FOLDER}/{name}", File(file), reuse_same=True
            )
        Figure.objects.filter(pk=figure.pk).update(
            image=stored.name,
            image_width=stored.width,
            image_height=stored.height,
            renditions=stored.renditions,
            alt=page["alt"],
        )

    def add_bios(self, people: list[dict[str, str]]) -> None:
        """Bios the importer cannot carry, given to people who have none yet."""
        for data in people:
            Person.objects.filter(name=data["name"], bio="").update(bio=data["bio"])

    def say_summary(self, before: dict[str, int], after: dict[str, int], found: int) -> None:
        """What was created, by kind; what the demo found already there (the publications the
        migrations seed, or an earlier load)."""
        added = {name: after[name] - before[name] for name in after}
        if not any(added.values()):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo content: nothing new; it was loaded already ({after['briefings']} "
                    f"briefings, {after['excerpts']} excerpts, {after['images']} figure images)."
                )
            )
            return
        created = [
            counted(added["briefings"], "briefing", "briefings"),
            counted(added["excerpts"], "excerpt", "excerpts"),
            counted(added["images"], "figure image", "figure images"),
            counted(added["people"], "person", "people"),
            counted(added["publications"], "publication", "publications"),
        ]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {', '.join(created)} created; "
                f"{counted(found, 'publication was', 'publications were')} already there "
                "(seeded)."
            )
        )


def counted(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
