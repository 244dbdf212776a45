"""What every kind of published item shares: its editorial fields, what readers may see of it,
its tags and old addresses, and the version of the content pages are cached under."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from publishing.markup import render_inline_markdown, render_markdown
from publishing.page_keys import SCHEDULE, SITEMAP, STREAM, model_key, row_key
from publishing.paths import path_to


def attach_tags(items: list) -> list:
    """Give each of `items`, of any kinds, its tags as a plain list, in one query.

    A card reads `item.tag_list` many times; through taggit's manager each read would build
    a queryset, and a page mixing kinds would take one query per kind.
    """
    kinds = {type(item) for item in items}
    if not kinds:
        return items
    rows = [
        model.tags.through.objects.filter(content_object__in=[i for i in items if type(i) is model])
        .annotate(kind=models.Value(model._meta.label))
        .values_list("kind", "content_object_id", "tag_id", "tag__name", "tag__slug")
        for model in kinds
    ]
    union = rows[0].union(*rows[1:], all=True) if len(rows) > 1 else rows[0]
    tags: dict[tuple[str, int], list] = {}
    for label, item_id, tag_id, name, slug in union:
        tags.setdefault((label, item_id), []).append(Tag(pk=tag_id, name=name, slug=slug))
    for item in items:
        item.prefetched_tags = sorted(tags.get((item._meta.label, item.pk), []), key=str)
    return items


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    def published(self) -> "PublishableQuerySet":
        """The one definition of what a reader may see."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self) -> "PublishableQuerySet":
        """Items readers will see once their publication date comes."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def visible_to(self, user) -> "PublishableQuerySet":
        """Staff who may see this kind in the admin (contributors, editors, administrators) also
        see its drafts and scheduled items, as previews; other staff see what readers see."""
        meta = self.model._meta
        if (
            user.is_active
            and user.is_staff
            and user.has_perm(f"{meta.app_label}.view_{meta.model_name}")
        ):
            return self.all()
        return self.published()


class _AtUpdate:
    def __repr__(self) -> str:
        return "AT_UPDATE"


# What the importer sets a row's `imported_at` to: the time its `updated_at` gets when it is saved.
AT_UPDATE = _AtUpdate()


class ImportTimeField(models.DateTimeField):
    """A DateTimeField that, set to AT_UPDATE, saves the row's new `updated_at`: so an import
    marks its own write in the statement that makes it, without an UPDATE after it (which on
    PostgreSQL would index the row's search entry again), and with plain values only, which
    PostgreSQL's bulk inserts need for their quicker form. It must follow `updated_at`."""

    def pre_save(self, model_instance, add):
        if getattr(model_instance, self.attname) is AT_UPDATE:
            setattr(model_instance, self.attname, model_instance.updated_at)
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        # The column is a plain timestamp: migrations see a DateTimeField.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


class Publishable(models.Model):
    """Editorial fields of every published item. Each kind adds its own `tags` manager."""

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("The last part of the address. Left empty, it is made from the title."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("A future date schedules the item: readers see it from then on."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.CONTENT_LANGUAGES,
        default="en",
        help_text=_("The language the item is written in."),
    )
    source_ref = models.CharField(
        _("import reference"),
        max_length=300,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Where an imported item came from; lets a re-import recognise it."),
    )
    source_hash = models.CharField(
        _("import fingerprint"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("A hash of what the importer last wrote; a re-import compares it."),
    )
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_("Set by the importer when a field could not be found."),
    )
    review_reasons = models.TextField(
        _("review reasons"),
        blank=True,
        help_text=_(
            "What the importer found missing or doubtful, one per line; the item stays a draft "
            "until an editor publishes it."
        ),
    )
    import_identity = models.CharField(
        _("import identity"),
        max_length=40,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_(
            "What makes an imported item the same one in any format (its title, or a "
            "briefing's period); a re-import in another format finds it by this."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # After updated_at: Django prepares a row's fields in this order, so imported_at can take the
    # time updated_at has just been given (see ImportTimeField).
    imported_at = ImportTimeField(
        _("imported"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the importer last wrote the item; a later update is an editor's."),
    )

    # Deleted with the item.
    old_addresses = GenericRelation("publishing.OldAddress")

    objects = PublishableQuerySet.as_manager()

    # Pages showing the item's parts besides those recording its key: feeds and search.
    part_page_keys: tuple[str, ...] = (STREAM,)

    # Markdown source field -> field holding its sanitized HTML.
    markdown_fields: dict[str, str] = {}
    inline_markdown_fields: dict[str, str] = {}

    class Meta:
        abstract = True
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        indexes = [
            # Every public listing filters on status and sorts by publication date, then pk;
            # the related items rank every item sharing a tag by the date and pk alone, read
            # from this index without the table's rows.
            models.Index(
                fields=["status", "-published_at", "-id"], name="%(app_label)s_%(class)s_pub"
            ),
            # Search walks one language's items newest first to find its newest matches.
            models.Index(
                fields=["language", "status", "-published_at"],
                name="%(app_label)s_%(class)s_lang_pub",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.title, exclude_pk=self.pk)
        render_markdown_fields(self)
        super().save(*args, **kwargs)

    @property
    def item(self) -> "Publishable":
        """The item itself; its parts answer the item they belong to (editorial rules read it)."""
        return self

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.status == Status.PUBLISHED and self.published_at > timezone.now()

    @property
    def edited_since_import(self) -> bool:
        return self.imported_at is not None and self.updated_at > self.imported_at

    @property
    def kind(self) -> str:
        return self._meta.model_name

    @property
    def tag_list(self) -> list:
        """The item's tags, as `attach_tags()` fetched them; else one query."""
        try:
            return self.prefetched_tags
        except AttributeError:
            return list(self.tags.all())

    def shown_page_keys(self, fresh: bool = False) -> set[str]:
        """The keys of a page showing the item: the item and what it shows of other rows, as
        fetched for the page, or `fresh` from the database."""
        tags = self.tags.all() if fresh else self.tag_list
        return {row_key(self)} | {row_key(tag) for tag in tags}

    def touched_page_keys(self) -> set[str]:
        """The keys of the pages a change leaves behind, for the item as it is now: its own
        page and the schedule always; every list, period and row it shows while published."""
        keys = {row_key(self), SCHEDULE}
        if self.pk is None or not self.is_published:
            return keys
        local = timezone.localtime(self.published_at)
        periods = {f"archive-{local:%Y}", f"archive-{local:%Y-%m}", f"archive-{local:%Y-%m-%d}"}
        return keys | periods | self.shown_page_keys(fresh=True) | {STREAM, SITEMAP}

    def get_day_archive_url(self) -> str:
        return path_to("newsroom:archive_day", **self.date_kwargs())

    def date_kwargs(self) -> dict[str, str]:
        """The URL parts of the publication date, in the site's time zone."""
        local = timezone.localtime(self.published_at)
        return {"year": f"{local:%Y}", "month": f"{local:%m}", "day": f"{local:%d}"}


def render_markdown_fields(instance) -> None:
    for source, target in instance.markdown_fields.items():
        setattr(instance, target, render_markdown(getattr(instance, source)))
    for source, target in instance.inline_markdown_fields.items():
        setattr(instance, target, render_inline_markdown(getattr(instance, source)))


def unique_slug(model, text: str, exclude_pk=None, max_length: int = 200) -> str:
    """A slug for `text` that no other row of `model` has yet."""
    base = slugify(text, allow_unicode=False)[: max_length - 10].strip("-") or "item"
    taken = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class RenamedTag(models.Model):
    """A slug a tag had before an editor renamed it; its old addresses answer 301."""

    old_slug = models.SlugField(_("old slug"), max_length=100, unique=True, allow_unicode=True)
    tag = models.ForeignKey("taggit.Tag", models.CASCADE, related_name="old_slugs")

    class Meta:
        verbose_name = _("renamed tag")
        verbose_name_plural = _("renamed tags")

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.tag.slug}"

    def touched_page_keys(self) -> set[str]:
        """The tag's pages, and the old addresses' answers, which record no keys of their own."""
        return {model_key(Tag, self.tag_id), STREAM}


class Category(models.Model):
    """A category of the old site, with its place in the tree and its description. Told by its
    slug: two categories may share a name under different parents, as WordPress allows."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class CategorizedItem(models.Model):
    """An item in a category: items of any kind, as with their tags."""

    category = models.ForeignKey(Category, models.CASCADE, related_name="items")
    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("categorized item")
        verbose_name_plural = _("categorized items")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "content_type", "object_id"], name="categorized_item_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="categorized_item")]

    def __str__(self) -> str:
        return f"{self.category}: {self.content_type.model} {self.object_id}"


class OldAddress(models.Model):
    """An address an imported item had on the old site. It answers 301 to the item's address
    only while the reader may see the item (`PublishableQuerySet.visible_to`): kept with the
    item rather than as a fixed redirect, so a draft's address is never given away."""

    path = models.CharField(
        _("old address"),
        max_length=1000,
        unique=True,
        help_text=_("The path on the old site, decoded, e.g. “/2019/05/title/” or “/?p=123”."),
    )
    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        indexes = [models.Index(fields=["content_type", "object_id"], name="old_address_item")]

    def __str__(self) -> str:
        return self.path


class ContentVersion(models.Model):
    """The content version in the database: one row, replaced after every change of what
    readers see (publishing/content_version.py), so every app server learns of a change made
    through another even when that server could not write the version to the cache."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
