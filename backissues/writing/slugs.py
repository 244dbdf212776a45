"""Slugs for the rows an import adds, the same ones saving the rows one at a time would give."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from django.db import models
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article


def site_slug_base(text: str) -> str:
    """The slug `newsroom.models.unique_slug` starts from (a test keeps the two in step)."""
    return slugify(text, allow_unicode=False)[:190].strip("-") or "item"


# The longest slug taken from the source: room is left for "-2", "-3"… as unique_slug leaves.
PREFERRED_SLUG_LENGTH = Article._meta.get_field("slug").max_length - 10


def preferred_slug(wanted: str | None) -> str:
    """The parser's slug for an item, made safe and cut at a hyphen to fit; used when no row
    has it yet."""
    return shortened(slugify(unquote(wanted or "")), PREFERRED_SLUG_LENGTH, "-")


def shortened(text: str, limit: int, separator: str) -> str:
    """`text` cut to at most `limit` characters, at the last `separator` when it has one."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    cut = cut.rsplit(separator, 1)[0] if separator in cut else cut[:limit]
    return cut.strip(separator)


@dataclass(frozen=True)
class SlugRule:
    """How a model makes a slug from a name, and numbered ones when that slug is taken."""

    base: Callable[[str], str]
    numbered: Callable[[str, int], str]  # (base, n)
    first_number: int


# newsroom.models.unique_slug: "title", "title-2", "title-3"…
SITE_SLUGS = SlugRule(site_slug_base, lambda base, n: f"{base}-{n}", 2)
# taggit's TagBase.save: "name", "name_1", "name_2"…
TAG_SLUGS = SlugRule(Tag().slugify, lambda base, n: f"{base}_{n}", 1)


def allocate_slugs(
    model: type[models.Model], rule: SlugRule, wanted: list[tuple[str, str]]
) -> list[str]:
    """A slug for each (preferred slug or "", name): the preferred one when free, else the one
    made from the name, numbered when taken; the slugs one-at-a-time saves would get, found with
    one query for all and one more for each slug already taken."""
    bases = [rule.base(name) for _, name in wanted]
    candidates = {*bases, *(preferred for preferred, _ in wanted if preferred)}
    taken = set(model.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    numbered_looked_up: set[str] = set()
    slugs = []
    for (preferred, _), base in zip(wanted, bases, strict=True):
        if preferred and preferred not in taken:
            slug = preferred
        elif base not in taken:
            slug = base
        else:
            if base not in numbered_looked_up:
                taken |= set(
                    model.objects.filter(slug__startswith=base).values_list("slug", flat=True)
                )
                numbered_looked_up.add(base)
            number = rule.first_number
            while (slug := rule.numbered(base, number)) in taken:
                number += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs
