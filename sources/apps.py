from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = _("Sources")

    def ready(self):
        from briefings.signals import bullets_saved
        from sources.services import refresh_briefings_citations

        bullets_saved.connect(refresh_briefings_citations)
