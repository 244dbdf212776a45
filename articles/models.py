"""External article excerpts."""

from urllib.parse import urlsplit

import reversion
from django.db import models
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from images.models import CaptionedImage
from people.models import Person, Publication
from publishing.dates import full_date
from publishing.models import Publishable, PublishableQuerySet
from publishing.page_keys import model_key, row_key
from publishing.paths import dated_path
from publishing.teasers import teaser
from publishing.web_links import WebURLField


@reversion.register()
class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )


PREFETCH_AUTHORS = models.Prefetch("authors", to_attr="prefetched_authors")


class ArticleQuerySet(PublishableQuerySet):
    def for_listing(self) -> "ArticleQuerySet":
        """What an item card shows, fetched in a fixed number of queries."""
        return self.select_related("publication").prefetch_related(PREFETCH_AUTHORS, "figures")

    def for_detail(self) -> "ArticleQuerySet":
        """The whole excerpt: its card already needs everything it has (its figures too)."""
        return self.for_listing()


# The stock text of the link to the original, stored as the field's default; readers get it in
# their own language.
CONTINUE_LABEL = "Continue reading"


# Each admin save keeps a version of the excerpt with its figures and tags (README: Revisions).
@reversion.register(follow=["figures", "tagged_items"])
class Article(Publishable):
    """An excerpt of an article published elsewhere, with a link to the original."""

    kicker = models.CharField(
        _("kicker"), max_length=100, blank=True, help_text=_("A word above the title: “Analysis”.")
    )
    dateline = models.CharField(
        _("dateline"),
        max_length=100,
        blank=True,
        help_text=_(
            "Where the original was written, as its first line names it: GAZA, MIDDLE EAST. "
            "Shown before the standfirst."
        ),
    )
    standfirst = models.TextField(
        _("standfirst"), blank=True, help_text=_("The original's summary line. Markdown.")
    )
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    authors = models.ManyToManyField(
        Person, verbose_name=_("authors"), blank=True, related_name="articles"
    )
    original_date = models.DateField(
        _("original date"), null=True, blank=True, help_text=_("When the original appeared.")
    )
    excerpt = models.TextField(
        _("excerpt"), blank=True, help_text=_("A few paragraphs of the original. Markdown.")
    )
    editor_note = models.TextField(
        _("editor’s note"), blank=True, help_text=_("Our own comment on the piece. Markdown.")
    )
    continue_url = WebURLField(_("link to the original"), max_length=500, blank=True)
    continue_label = models.CharField(
        _("link text"), max_length=100, blank=True, default=CONTINUE_LABEL
    )
    standfirst_html = models.TextField(editable=False, blank=True)
    excerpt_html = models.TextField(editable=False, blank=True)
    editor_note_html = models.TextField(editable=False, blank=True)
    tags = TaggableManager(through=TaggedArticle, blank=True)

    objects = ArticleQuerySet.as_manager()

    markdown_fields = {
        "standfirst": "standfirst_html",
        "excerpt": "excerpt_html",
        "editor_note": "editor_note_html",
    }

    class Meta(Publishable.Meta):
        verbose_name = _("article excerpt")
        verbose_name_plural = _("article excerpts")
        permissions = [("publish_article", _("Can publish, schedule and unpublish excerpts"))]

    def get_absolute_url(self) -> str:
        return dated_path("articles:detail", self.published_at, self.slug)

    def shown_page_keys(self, fresh: bool = False) -> set[str]:
        authors = self.authors.all() if fresh else self.author_list
        people = {row_key(person) for person in authors}
        if self.publication_id:
            people.add(model_key(Publication, self.publication_id))
        return super().shown_page_keys(fresh) | people

    def continue_text(self) -> str:
        """The link's text: the original's own, or the stock one in the reader's language."""
        if self.continue_label in ("", CONTINUE_LABEL):
            return _("Continue reading")
        return self.continue_label

    def source_line(self) -> str:
        """Where and when the original appeared, and who wrote it: “First published in ISW on
        October 15, 2020, by A and B”, in the reader's language; empty when neither the
        publication nor the date is known."""
        values = {
            "publication": self.publication.name if self.publication else "",
            "date": full_date(self.original_date) if self.original_date else "",
        }
        if values["publication"] and values["date"]:
            line = _("First published in %(publication)s on %(date)s") % values
        elif values["publication"]:
            line = _("First published in %(publication)s") % values
        elif values["date"]:
            line = _("First published on %(date)s") % values
        else:
            return ""
        authors = [person.name for person in self.author_list] if self.pk else []
        if not authors:
            return line
        return _("%(source)s, by %(authors)s") % {
            "source": line,
            "authors": get_text_list(authors, _("and")),
        }

    @property
    def teaser(self) -> str:
        """What a card says of the excerpt: its standfirst, else the excerpt's opening words,
        as plain text."""
        return teaser(self.standfirst_html, self.excerpt_html)

    @property
    def lead_image(self) -> "ArticleFigure | None":
        """The first figure that has its image (an imported one may have only a caption)."""
        return next((figure for figure in self.figures.all() if figure.image), None)

    @property
    def author_list(self) -> list:
        """The authors as fetched by `for_listing()`/`for_detail()`; else one query."""
        try:
            return self.prefetched_authors
        except AttributeError:
            return list(self.authors.all())

    def original_domain(self) -> str:
        try:
            return urlsplit(self.continue_url).hostname or ""
        except ValueError:  # a malformed address shows no domain rather than failing the page
            return ""


@reversion.register()
class ArticleFigure(CaptionedImage):
    """An image of the excerpted article, shown with the excerpt; a featured image comes first."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="figures")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta(CaptionedImage.Meta):
        ordering = ["position", "id"]

    @property
    def item(self) -> Article:
        return self.article
