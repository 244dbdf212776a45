"""Editorial roles: who may publish, and who may still change an item once it is published.

The roles are groups made by a data migration (publishing 0002): a Contributor writes drafts, an
Editor also publishes, schedules, unpublishes and deletes; administrators are superusers.
"""

from publishing.models import Status

CONTRIBUTOR = "Contributor"
EDITOR = "Editor"


def publish_permission(model) -> str:
    """Who may publish, schedule and unpublish `model`'s items: "articles.publish_article"."""
    opts = model._meta
    return f"{opts.app_label}.publish_{opts.model_name}"


def may_publish(user, model) -> bool:
    return user.has_perm(publish_permission(model))


def may_edit(user, item) -> bool:
    """A published or scheduled item is changed or deleted only by those who may publish it."""
    return item.status != Status.PUBLISHED or may_publish(user, type(item))
