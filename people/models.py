"""The publications excerpts come from and the people who write or edit the items: both kinds
of item point at them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from people.publication_spellings import spelling_lines
from publishing.models import unique_slug
from publishing.page_keys import SITEMAP, STREAM, row_key
from publishing.paths import path_to
from publishing.web_links import WebURLField


class NamedPage(models.Model):
    """Something with a name and a public page at a slug made from that name."""

    url_name = ""

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return path_to(self.url_name, slug=self.slug)

    def touched_page_keys(self) -> set[str]:
        """Its own page, and the lists whose cards name it."""
        return {row_key(self), STREAM, SITEMAP}


class Publication(NamedPage):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    homepage = WebURLField(_("homepage"), blank=True)
    aliases = models.TextField(
        _("other spellings"),
        blank=True,
        help_text=_(
            "One per line: other ways back issues write this name, e.g. “AL MONITOR”. "
            "The importer recognises the publication by any of them."
        ),
    )

    url_name = "articles:publication"

    class Meta(NamedPage.Meta):
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def alias_list(self) -> list[str]:
        return spelling_lines(self.aliases)


class Person(NamedPage):
    """An author of an excerpted article, or the editor of a briefing."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    bio = models.TextField(_("about"), blank=True)

    url_name = "articles:person"

    class Meta(NamedPage.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
