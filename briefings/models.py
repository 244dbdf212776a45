"""Weekly briefings: a dated digest of overview bullets and titled sections of bullets."""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from images.models import CaptionedImage
from people.models import Person
from publishing.dates import period_label
from publishing.models import Publishable, PublishableQuerySet, render_markdown_fields
from publishing.page_keys import SOURCES, STREAM, model_key
from publishing.paths import dated_path
from publishing.teasers import teaser


@reversion.register()
class TaggedBriefing(TaggedItemBase):
    content_object = models.ForeignKey(
        "Briefing", on_delete=models.CASCADE, related_name="tagged_items"
    )


class BriefingQuerySet(PublishableQuerySet):
    def for_listing(self) -> "BriefingQuerySet":
        """What an item card shows, fetched in a fixed number of queries."""
        return self.select_related("editor", "lead_figure").annotate(
            first_overview_html=models.Subquery(
                Bullet.objects.filter(briefing=models.OuterRef("pk"), section=None)
                .order_by("position", "id")
                .values("text_html")[:1]
            )
        )

    def for_detail(self) -> "BriefingQuerySet":
        """The whole briefing: its bullets come in one query and are shared out by
        `overview` and `Section.bullet_list`."""
        return self.select_related("editor", "lead_figure").prefetch_related(
            models.Prefetch("bullets", to_attr="prefetched_bullets"),
            models.Prefetch("sections", queryset=Section.objects.select_related("figure")),
        )


PERIOD_OUT_OF_ORDER = _("The period must end on or after its start.")


# Each admin save keeps a version of the briefing with all its parts (README: Revisions);
# `bullets` holds the overview's and the sections' bullets alike.
@reversion.register(follow=["lead_figure", "sections", "bullets", "tagged_items"])
class Briefing(Publishable):
    series = models.CharField(
        _("series"), max_length=200, blank=True, help_text=_("e.g. “Spotlight on Iran”.")
    )
    publisher = models.CharField(
        _("publisher"), max_length=200, blank=True, help_text=_("Who publishes the series.")
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    editor = models.ForeignKey(
        Person,
        verbose_name=_("editor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="edited_briefings",
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        help_text=_("Left empty, it is made from the series and the period."),
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_(
            "A sentence or two for the briefing's card on the home and list pages. Left "
            "empty, the card shows the start of the first overview bullet."
        ),
    )

    tags = TaggableManager(through=TaggedBriefing, blank=True)

    objects = BriefingQuerySet.as_manager()

    # The sources' pages list bullets.
    part_page_keys = (STREAM, SOURCES)

    class Meta(Publishable.Meta):
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        permissions = [("publish_briefing", _("Can publish, schedule and unpublish briefings"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start"))
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True),
                name="briefing_period_in_order",
                violation_error_message=PERIOD_OUT_OF_ORDER,
            )
        ]

    def clean(self):
        super().clean()
        # The constraint says the same, but checking it here costs no query.
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": PERIOD_OUT_OF_ORDER})

    def save(self, *args, **kwargs):
        if not self.title:
            self.title = self.derived_title()
        super().save(*args, **kwargs)

    def derived_title(self) -> str:
        # A stored title must not depend on the interface language of whoever saves it.
        with translation.override(settings.LANGUAGE_CODE):
            parts = [self.series, self.period_label()]
            return ": ".join(p for p in parts if p) or str(_("Briefing"))

    def period_label(self) -> str:
        """The period in the active language: “October 1 – October 18, 2020”."""
        return period_label(self.period_start, self.period_end)

    def bullet_list(self) -> list:
        """All the briefing's bullets in order, as `for_detail()` fetched them; else one query."""
        try:
            return self.prefetched_bullets
        except AttributeError:
            self.prefetched_bullets = list(self.bullets.all())
            return self.prefetched_bullets

    @property
    def overview(self) -> list:
        return [bullet for bullet in self.bullet_list() if bullet.section_id is None]

    @property
    def teaser(self) -> str:
        """What a card says of the briefing: the editor's summary, else the start of the first
        overview bullet (as `for_listing()` fetched it), as plain text."""
        if self.summary.strip():
            return " ".join(self.summary.split())
        try:
            first = self.first_overview_html
        except AttributeError:
            first = next((bullet.text_html for bullet in self.overview), "")
        return teaser(first or "")

    @property
    def lead_image(self) -> "Figure | None":
        """The lead figure when it has its image (an imported one may have only a caption)."""
        figure = getattr(self, "lead_figure", None)
        return figure if figure and figure.image else None

    def get_absolute_url(self) -> str:
        return dated_path("briefings:detail", self.published_at, self.slug)

    def shown_page_keys(self, fresh: bool = False) -> set[str]:
        editor = {model_key(Person, self.editor_id)} if self.editor_id else set()
        return super().shown_page_keys(fresh) | editor

    def touched_page_keys(self) -> set[str]:
        """Also the sources' pages, which list a published briefing's bullets."""
        keys = super().touched_page_keys()
        return keys | {SOURCES} if STREAM in keys else keys


@reversion.register(follow=["figure"])
class Section(models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        # What a bullet's (section, briefing) pair refers to, so the database keeps a section's
        # bullets in its briefing (briefings/migrations/0009).
        constraints = [
            models.UniqueConstraint(fields=["id", "briefing"], name="section_in_its_briefing")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def item(self) -> Briefing:
        return self.briefing

    @property
    def bullet_list(self) -> list:
        return [bullet for bullet in self.briefing.bullet_list() if bullet.section_id == self.pk]


@reversion.register()
class Bullet(models.Model):
    """One paragraph: an overview bullet (no section) or a bullet of a section."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="bullets")
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="bullets"
    )
    text = models.TextField(
        _("text"), help_text=_("One paragraph. Markdown: *emphasis*, **bold**, [links](https://…).")
    )
    text_html = models.TextField(editable=False, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    inline_markdown_fields = {"text": "text_html"}
    markdown_fields: dict[str, str] = {}

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("bullet")
        verbose_name_plural = _("bullets")

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args, **kwargs):
        # A section's bullet belongs to the section's briefing; the database refuses any other.
        if self.section_id:
            self.briefing_id = self.section.briefing_id
        render_markdown_fields(self)
        super().save(*args, **kwargs)

    @property
    def item(self) -> Briefing:
        return self.briefing


@reversion.register()
class Figure(CaptionedImage):
    """A briefing's lead figure."""

    briefing = models.OneToOneField(Briefing, on_delete=models.CASCADE, related_name="lead_figure")

    @property
    def item(self) -> Briefing:
        return self.briefing


@reversion.register()
class SectionFigure(CaptionedImage):
    """An image shown under a section's title."""

    section = models.OneToOneField(Section, on_delete=models.CASCADE, related_name="figure")

    class Meta(CaptionedImage.Meta):
        verbose_name = _("section figure")
        verbose_name_plural = _("section figures")

    @property
    def item(self) -> Briefing:
        return self.section.briefing
