"""Outlets cited in briefing bullets, and each citation: which bullet cites which outlet, when."""

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from briefings.models import Briefing, Bullet
from publishing.page_keys import SOURCES
from publishing.paths import path_to


class SourceQuerySet(models.QuerySet):
    def cited_in_published(self) -> "SourceQuerySet":
        """Outlets cited by at least one bullet of a published briefing, with how many bullets."""
        published = Q(citations__bullet__briefing__in=Briefing.objects.published())
        return (
            self.annotate(bullet_count=Count("citations__bullet", filter=published, distinct=True))
            .filter(bullet_count__gt=0)
            .order_by("name")
        )


class Source(models.Model):
    """One outlet, however its name is capitalised in citations (matched by its slug)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return path_to("sources:detail", slug=self.slug)

    def touched_page_keys(self) -> set[str]:
        return {SOURCES}


class Citation(models.Model):
    """An outlet cited in a bullet's text; rebuilt from the text by `refresh_citations`."""

    bullet = models.ForeignKey(Bullet, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="citations")
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Empty when the year cannot be told.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["bullet", "position"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self) -> str:
        return f"{self.source}, {self.date}" if self.date else str(self.source)
