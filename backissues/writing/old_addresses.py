"""The old site's addresses of imported items, kept so that they redirect to the items."""

from urllib.parse import unquote, urlsplit

from django.contrib.contenttypes.models import ContentType

from backissues.parsing.parsed import ParsedItem
from backissues.writing.plans import Plan
from backissues.writing.report import item_location
from newsroom.models import OldAddress

OLD_PATH_LENGTH = OldAddress._meta.get_field("path").max_length


def old_paths(item: ParsedItem) -> list[str]:
    """The item's old addresses as kept (newsroom.models.OldAddress): their paths, decoded as
    requests give them, with any query ("/?p=123")."""
    paths = []
    for url in (item.old_url, item.shortlink):
        parts = urlsplit(url or "")
        path = unquote(parts.path) + (f"?{parts.query}" if parts.query else "")
        if path not in ("", "/"):
            paths.append(path)
    return list(dict.fromkeys(paths))


def write_old_addresses(plans: list[Plan]) -> None:
    """Each item's old address, kept with the item: it redirects only while the item is
    published. An address another item had is given to this one."""
    wanted = [(plan, path) for plan in plans for path in old_paths(plan.item)]
    if not wanted:
        return
    known = {
        address.path: address
        for address in OldAddress.objects.filter(path__in=[path for _, path in wanted])
    }
    added: dict[str, OldAddress] = {}
    for plan, path in wanted:
        report = plan.file.report
        if len(path) > OLD_PATH_LENGTH:
            note = f"old address longer than {OLD_PATH_LENGTH} characters: not kept"
            report.notes.append((item_location(plan.item), note))
            continue
        content_type = ContentType.objects.get_for_model(plan.model)
        address = known.get(path)
        item = (content_type.pk, plan.row.pk)
        if address and (address.content_type_id, address.object_id) == item:
            report.count("redirect", "unchanged")
            continue
        outcome = "updated" if address else "created"
        address = address or OldAddress(path=path)
        address.content_type_id, address.object_id = item
        if address.pk:
            address.save()
        else:  # an old path twice in a file: the later item's is the one saved
            added[path] = known[path] = address
        report.count("redirect", outcome)
    OldAddress.objects.bulk_create(added.values())
