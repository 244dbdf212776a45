"""Give figures stored before renditions existed their normalised image and renditions."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction

from images.checks import check_image
from images.removal import captioned_image_models
from images.stored import StoredImage, store_image


class Command(BaseCommand):
    help = (
        "Re-store each figure image stored before renditions existed as uploads are stored now: "
        "upright, without metadata, with renditions. Safe to re-run: done figures are skipped."
    )

    def handle(self, *args, **options):
        done: dict[str, StoredImage] = {}  # imported figures may share one file
        counts = {"updated": 0, "failed": 0}
        for model in captioned_image_models():
            # Stored the current way means measured: older rows have no width.
            pending = model.objects.exclude(image="").filter(image_width__isnull=True)
            for figure in pending.iterator():
                name = figure.image.name
                try:
                    stored = done.get(name) or self.restored(figure)
                except (ValidationError, OSError) as error:
                    counts["failed"] += 1
                    reason = " ".join(getattr(error, "messages", [str(error)]))
                    self.stderr.write(f"{model._meta.label} {figure.pk} ({name}): {reason}")
                    continue
                done[name] = stored
                figure.image = stored.name
                figure.image_width, figure.image_height = stored.width, stored.height
                figure.renditions = stored.renditions
                with transaction.atomic():
                    figure.save(
                        update_fields=["image", "image_width", "image_height", "renditions"]
                    )
                counts["updated"] += 1
        self.stdout.write(
            self.style.SUCCESS(f"{counts['updated']} figures updated, {counts['failed']} failed.")
        )

    def restored(self, figure) -> StoredImage:
        storage = figure.image.storage
        with storage.open(figure.image.name) as file:
            check_image(file)
            return store_image(storage, figure.image.name, file)
