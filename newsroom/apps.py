from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        if any("postgresql" in db["ENGINE"] for db in settings.DATABASES.values()):
            from newsroom.db_timeouts import use_bounded_waits

            use_bounded_waits()
