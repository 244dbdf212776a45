from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = _("Images")

    def ready(self):
        from images.removal import connect_removal_on_delete

        # Any decode Pillow does, here or in a library, stops at the same limit as uploads.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
        connect_removal_on_delete()
