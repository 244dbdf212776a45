from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from nested_admin.templatetags import nested_admin as nested_admin_tags
from PIL import Image


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from newsroom import tag_renames  # noqa: F401  (connects its signal receivers)
        from newsroom.content_version import connect_content_signals
        from newsroom.images.stored import connect_removal_on_delete
        from newsroom.item_parts import rows_in_order

        # Any decode Pillow does, here or in a library, stops at the same limit as uploads.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
        connect_removal_on_delete()
        connect_content_signals()
        # A form shown again with its errors must not fail on the positions a POST carried.
        nested_admin_tags.register.filters["formsetsort"] = rows_in_order
        if any("postgresql" in db["ENGINE"] for db in settings.DATABASES.values()):
            from newsroom.db_timeouts import use_bounded_waits

            use_bounded_waits()
