"""How an imported item is matched with the site's row: its source reference, and a hash of
what the import wrote, which tells whether the row needs writing again."""

import dataclasses
import hashlib
import json

from articles.models import Article
from backissues.parsing.parsed import ParsedItem
from backissues.writing.plans import Plan, by_model
from backissues.writing.same_item import find_same_items
from publishing.models import Publishable

SOURCE_REF_LENGTH = Article._meta.get_field("source_ref").max_length
# Fields the parser gained after items were imported: hashed only when set, so an item without
# one keeps the hash it had, and a re-import finds it unchanged.
_HASHED_WHEN_SET = frozenset({"dateline"})


def source_reference(item: ParsedItem, kind: str, *identity) -> str:
    """The parser's reference to the item (a guid, an old address), else a fingerprint of what
    identifies it, prefixed so it cannot be taken for a guid."""
    if item.source_ref is None:
        return fingerprint(kind, *identity)
    if len(item.source_ref) > SOURCE_REF_LENGTH:
        return "long-reference:" + hashlib.sha1(item.source_ref.encode()).hexdigest()
    return item.source_ref


def fingerprint(kind: str, *identity) -> str:
    folded = [" ".join(str(part or "").casefold().split()) for part in (kind, *identity)]
    return "fingerprint:" + hashlib.sha1("\n".join(folded).encode()).hexdigest()


def content_hash(item: ParsedItem, **decided) -> str:
    """A hash of everything the import writes of an item; its place in the file is not part."""
    # Its old addresses are kept apart from the item (old_addresses.write_old_addresses).
    data = {
        key: value
        for key, value in plain_data(item).items()
        if key not in ("line", "shortlink") and (value is not None or key not in _HASHED_WHEN_SET)
    }
    data.update(decided)
    encoded = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def plain_data(value):
    """`dataclasses.asdict` without its deep copies, which cost more than the hash: the same
    dicts and lists, holding the item's own strings and dates."""
    kind = type(value)
    if kind is str or value is None:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(value):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return {name: plain_data(getattr(value, name)) for name in names}
    if isinstance(value, list | tuple):
        if all(type(part) is str for part in value):  # bullets, tags, authors
            return list(value)
        return [plain_data(part) for part in value]
    if isinstance(value, dict):
        return {key: plain_data(part) for key, part in value.items()}
    return value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # a dataclass's field names, by class


def find_rows(plans: list[Plan], overwrite: bool) -> None:
    """Each item's row, if the site has it, and so its outcome: one query per kind, and for the
    items not found by their reference, the rows they are the same item as (same_item)."""
    for model, group in by_model(plans).items():
        rows = model.objects.filter(source_ref__in=[plan.ref for plan in group])
        found = {row.source_ref: row for row in rows}
        for plan in group:
            plan.row = found.get(plan.ref)
            plan.outcome = outcome(plan.row, plan.digest, overwrite)
        taken = {row.pk for row in found.values()}
        if unfound := [plan for plan in group if plan.row is None]:
            find_same_items(model, unfound, taken, overwrite)


def outcome(existing: Publishable | None, digest: str, overwrite: bool) -> str:
    if existing is None:
        return "created"
    if existing.source_hash == digest:
        return "unchanged"
    if existing.edited_since_import and not overwrite:
        return "kept"
    return "updated"
