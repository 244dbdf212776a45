from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from newsroom import tag_renames  # noqa: F401  (connects its signal receivers)
        from newsroom.content_version import connect_content_signals
        from newsroom.images.stored import connect_removal_on_delete

        # Any decode Pillow does, here or in a library, stops at the same limit as uploads.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
        connect_removal_on_delete()
        connect_content_signals()
        if any("postgresql" in db["ENGINE"] for db in settings.DATABASES.values()):
            from newsroom.db_timeouts import use_bounded_waits

            use_bounded_waits()
