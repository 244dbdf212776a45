"""The image field of captioned images: its form field checks uploads by content."""

from django import forms
from django.db import models
from django.db.models.fields.files import ImageFieldFile

from images.checks import check_image

ACCEPT = "image/jpeg,image/png,image/gif,image/webp"


class CheckedImageFormField(forms.FileField):
    """A file field that accepts only what `check_image` accepts, whatever the file's name."""

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT}

    def to_python(self, data):
        file = super().to_python(data)
        if file is not None:
            check_image(file)
        return file


class KnownSizeImageFile(ImageFieldFile):
    """Width and height from the row when it has them, so reading them opens no file (a
    download, with object storage)."""

    def _get_image_dimensions(self):
        instance = self.instance
        if self._committed and instance.image_width and instance.image_height:
            return instance.image_width, instance.image_height
        return super()._get_image_dimensions()


class FigureImageField(models.ImageField):
    attr_class = KnownSizeImageFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})
