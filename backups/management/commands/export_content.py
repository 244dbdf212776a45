"""Writes all content and its media files to one archive (backups/archive.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import export_content


class Command(BaseCommand):
    help = (
        "Write every item with its parts, figures (with their image files), tags, redirects, "
        "flat pages, and the accounts with their groups to one zip archive, for "
        "restore_content."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the .zip file to write")
        parser.add_argument("--force", action="store_true", help="replace an existing file")

    def handle(self, *args, archive: Path, force: bool, **options):
        if archive.exists() and not force:
            raise CommandError(f"{archive} exists; give --force to replace it.")
        manifest = export_content(archive)
        for name in manifest["missing_media"]:
            self.stderr.write(self.style.WARNING(f"Not in media storage, left out: {name}"))
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {archive}: {rows} rows, {len(manifest['media'])} media files"
                + (
                    f", {len(manifest['missing_media'])} missing"
                    if manifest["missing_media"]
                    else ""
                )
                + "."
            )
        )
