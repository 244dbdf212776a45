"""The tag box of both kinds' forms: the admin's own select2, suggesting existing tags as the
editor types; a name no tag has yet is offered as a new tag, added only when picked."""

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import get_select2_language
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

TAG_NAME_LENGTH = Tag._meta.get_field("name").max_length
SUGGESTIONS_PER_PAGE = 20
# Further pages are empty: no vocabulary is this large, and a larger offset overflows the database.
LAST_PAGE = 10_000

TAG_NAME_TOO_LONG = _("A tag name has at most %(limit)d characters; “%(name)s” has %(length)d.")


class TagSelect(forms.SelectMultiple):
    """One option per chosen tag, posted one name each; other names are fetched from
    `source_url` (PublishableAdmin.tag_names_view) as the editor types."""

    def __init__(self, source_url, attrs=None):
        super().__init__(attrs)
        self.source_url = source_url

    @property
    def media(self) -> forms.Media:
        language = get_select2_language()
        translation = [f"admin/js/vendor/select2/i18n/{language}.js"] if language else []
        extension = "js" if settings.DEBUG else "min.js"
        return forms.Media(
            js=[
                f"admin/js/vendor/jquery/jquery.{extension}",
                f"admin/js/vendor/select2/select2.full.{extension}",
                *translation,
                "admin/js/jquery.init.js",
                "newsroom/admin/tag_select.js",
            ],
            css={
                "screen": [
                    f"admin/css/vendor/select2/select2.{extension.removesuffix('js')}css",
                    "admin/css/autocomplete.css",
                ]
            },
        )

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.update(
            {
                "class": "tag-select",
                "data-ajax--url": str(self.source_url),
                "data-theme": "admin-autocomplete",
                "data-new-tag-label": _("New tag: %(name)s") % {"name": "%s"},
                "lang": get_select2_language(),
            }
        )
        return attrs

    def format_value(self, value) -> list[str]:
        # The item's Tag objects, or the names a form posted back.
        return [getattr(tag, "name", tag) for tag in value or []]

    def optgroups(self, name, value, attrs=None):
        options = [self.create_option(name, tag, tag, True, i) for i, tag in enumerate(value)]
        return [(None, options, 0)]


class TagNamesField(forms.Field):
    """The names of an item's tags, one per posted value. Names differing only in case are one
    tag, as taggit finds an existing tag by its name in any case (TAGGIT_CASE_INSENSITIVE)."""

    def to_python(self, value) -> list[str]:
        names: dict[str, str] = {}
        for posted in value or []:
            name = " ".join(str(posted).split())
            if name:
                names.setdefault(name.casefold(), name)
        return list(names.values())

    def validate(self, value) -> None:
        super().validate(value)
        for name in value:
            if len(name) > TAG_NAME_LENGTH:
                raise ValidationError(
                    TAG_NAME_TOO_LONG,
                    code="max_length",
                    params={"limit": TAG_NAME_LENGTH, "name": name, "length": len(name)},
                )

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        before = sorted(getattr(tag, "name", tag).casefold() for tag in initial or [])
        return before != sorted(name.casefold() for name in self.to_python(data))


def tag_suggestions(term: str, page: int) -> dict:
    """Names of existing tags containing `term`, those starting with it first, in select2's
    shape: a page of results, and whether more follow."""
    term = " ".join(term.split())
    names = Tag.objects.filter(name__icontains=term).annotate(
        later=Case(
            When(name__istartswith=term, then=Value(0)), default=1, output_field=IntegerField()
        )
    )
    start = (min(max(page, 1), LAST_PAGE) - 1) * SUGGESTIONS_PER_PAGE
    found = list(
        names.order_by("later", Lower("name"), "name").values_list("name", flat=True)[
            start : start + SUGGESTIONS_PER_PAGE + 1
        ]
    )
    return {
        "results": [{"id": name, "text": name} for name in found[:SUGGESTIONS_PER_PAGE]],
        "pagination": {"more": len(found) > SUGGESTIONS_PER_PAGE},
    }
