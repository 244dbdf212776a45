from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from nested_admin.templatetags import nested_admin as nested_admin_tags


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("Publishing")

    def ready(self):
        from publishing import tag_renames  # noqa: F401  (connects its signal receivers)
        from publishing.content_version import connect_content_signals
        from publishing.item_parts import rows_in_order

        connect_content_signals()
        # A form shown again with its errors must not fail on the positions a POST carried.
        nested_admin_tags.register.filters["formsetsort"] = rows_in_order
