"""Images with their caption, credit and alternative text, as every kind of item shows them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from images.fields import FigureImageField
from images.picture import Picture, Thumbnail
from images.removal import remove_on_commit
from images.stored import store_image, upload_name


class CaptionedImage(models.Model):
    """A captioned image. Imported back issues may bring the caption without the file.

    A new upload is stored upright and without metadata, with its renditions, when the figure
    is saved; a replaced or deleted image's files are removed once the change is committed."""

    image = FigureImageField(
        _("image"),
        upload_to="figures/%Y/%m/",
        blank=True,
        help_text=_("JPEG, PNG, GIF or WebP. Smaller sizes for phones are made when you save."),
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # [{"name", "width", "height", "type"}], so a page builds its srcset without storage calls.
    renditions = models.JSONField(default=list, blank=True, editable=False)
    alt = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"), max_length=300, blank=True, help_text=_("e.g. “Mehr, October 4, 2020”.")
    )

    class Meta:
        abstract = True
        verbose_name = _("figure")
        verbose_name_plural = _("figures")

    def __str__(self) -> str:
        return self.caption or self.alt or str(_("Figure"))

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            self.store_upload()
        elif not self.image:
            self.image_width = self.image_height = None
            self.renditions = []
        super().save(*args, **kwargs)
        self.remove_replaced_files()

    def clean(self):
        if self.image and not self.alt.strip():
            raise ValidationError({"alt": _("Describe the image for readers who cannot see it.")})

    def store_upload(self) -> None:
        stored = store_image(self.image.storage, upload_name(self), self.image.file)
        self.image = stored.name
        self.image_width, self.image_height = stored.width, stored.height
        self.renditions = stored.renditions

    def remove_replaced_files(self) -> None:
        previous, previous_renditions = getattr(self, "_stored_files", ("", []))
        if previous and previous != self.image.name:
            remove_on_commit(self.image.storage, previous, previous_renditions)
        self.remember_stored_files()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_stored_files()
        return instance

    def remember_stored_files(self) -> None:
        renditions = self.__dict__.get("renditions") or []
        self._stored_files = (str(self.__dict__.get("image") or ""), list(renditions))

    @property
    def missing_image(self) -> bool:
        return not self.image

    @property
    def picture(self) -> Picture | None:
        return Picture.of(self) if self.image else None

    @property
    def card_thumbnail(self) -> Thumbnail | None:
        return Thumbnail.of(self) if self.image else None
