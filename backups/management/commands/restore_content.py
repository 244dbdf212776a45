"""Loads an archive of export_content into a freshly migrated database (backups/archive.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import RestoreRefused, restore_content


class Command(BaseCommand):
    help = (
        "Restore the content, accounts and media files of an export_content archive into a "
        "freshly migrated database. Refuses a database that holds content or accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="a .zip file written by export_content")

    def handle(self, *args, archive: Path, **options):
        if not archive.is_file():
            raise CommandError(f"No archive at {archive}.")
        try:
            manifest = restore_content(archive)
        except RestoreRefused as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows and {len(manifest['media'])} media files from {archive}."
            )
        )
