"""People, publications and tags, found by name or added when a name is new.

`SavedNames` holds the saved rows of one model for a whole run; `NameLookup` the rows one
transaction finds or adds, which join the saved ones once the transaction has committed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from taggit.models import Tag

from backissues.writing.slugs import SITE_SLUGS, TAG_SLUGS, SlugRule, allocate_slugs
from backissues.writing.validation import validated
from people.models import Person, Publication


class SavedNames:
    """Primary keys of a model's saved rows by casefolded name, loaded on first use and shared
    by the files of a run. A file's new rows join only once the file has committed: a failed
    file and a dry run roll theirs back."""

    def __init__(self, model: type[models.Model], order: tuple[str, ...]):
        self.model = model
        self.order = order  # which row a name stands for when several spell it alike
        self._pks: dict[str, int] | None = None

    def get(self, key: str) -> int | None:
        if self._pks is None:
            self._pks = {}
            for pk, name in self.model.objects.order_by(*self.order).values_list("pk", "name"):
                self._pks.setdefault(name.casefold(), pk)
        return self._pks.get(key)

    def add(self, pks: dict[str, int]) -> None:
        if self._pks is not None:  # else they are loaded with the rest
            self._pks.update(pks)


@dataclass
class RunNames:
    """The saved people, publications and tags by name, for all the files of a run."""

    people: SavedNames = field(default_factory=lambda: SavedNames(Person, ("name", "pk")))
    publications: SavedNames = field(
        default_factory=lambda: SavedNames(Publication, ("name", "pk"))
    )
    # taggit takes the oldest of the tags a name matches case-insensitively.
    tags: SavedNames = field(default_factory=lambda: SavedNames(Tag, ("pk",)))


class NameLookup:
    """The rows of one model a transaction finds or adds by name. A new row is built (and
    checked) when its name is first met; the new rows are inserted together before the items
    that name them."""

    def __init__(
        self, saved: SavedNames, build: Callable[[str, str], models.Model], slugs: SlugRule
    ):
        self.saved = saved
        self.build = build  # (name, location) -> an unsaved row
        self.slugs = slugs
        self.waiting: dict[str, models.Model] = {}
        self.added: dict[str, int] = {}
        self.preferred: dict[str, str] = {}  # a waiting row's slug in its source, by key

    def key(self, name: str, location: str) -> tuple[str, bool]:
        """The name's key, and whether no row has the name yet (one is then added)."""
        key = name.casefold()
        if key in self.waiting or key in self.added or self.saved.get(key) is not None:
            return key, False
        self.waiting[key] = self.build(name, location)
        return key, True

    def prefer(self, key: str, slug: str) -> None:
        """The slug a waiting row gets when it is free (a WordPress term's own)."""
        self.preferred[key] = slug

    def pk(self, key: str | None) -> int | None:
        if key is None:
            return None
        return self.added.get(key) or self.saved.get(key)

    def insert_waiting(self) -> None:
        rows = list(self.waiting.values())
        if not rows:
            return
        wanted = [(self.preferred.get(key, ""), row.name) for key, row in self.waiting.items()]
        for row, slug in zip(
            rows, allocate_slugs(self.saved.model, self.slugs, wanted), strict=True
        ):
            row.slug = slug
        self.saved.model.objects.bulk_create(rows)
        self.added.update({key: row.pk for key, row in self.waiting.items()})
        self.waiting.clear()
        self.preferred.clear()

    def share(self) -> None:
        """Once the transaction has committed: its new rows are known to the rest of the run."""
        self.saved.add(self.added)


def checked_by_name(model: type[models.Model]) -> Callable[[str, str], models.Model]:
    """A builder, for NameLookup, of a checked and unsaved row of `model` with a given name."""

    def build(name: str, location: str) -> models.Model:
        return validated(model(name=name), location)

    return build


class NameLookups:
    """The people, publications and tags the files of one transaction find or add by name."""

    def __init__(self, saved: RunNames):
        self.people = NameLookup(saved.people, checked_by_name(Person), SITE_SLUGS)
        self.publications = NameLookup(saved.publications, checked_by_name(Publication), SITE_SLUGS)
        # Tags are not checked, as taggit does not check them: tag_names checks their length.
        self.tags = NameLookup(saved.tags, lambda name, _: Tag(name=name), TAG_SLUGS)

    def all(self) -> tuple[NameLookup, ...]:
        return (self.people, self.publications, self.tags)

    def insert_waiting(self) -> None:
        for lookup in self.all():
            lookup.insert_waiting()

    def share(self) -> None:
        """Once the transaction has committed: its new rows are known to the rest of the run."""
        for lookup in self.all():
            lookup.share()
