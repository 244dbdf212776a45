from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from newsroom.http.purge import purge_http_caches
        from publishing.page_keys import pages_changed

        pages_changed.connect(purge_http_caches, dispatch_uid="purge_http_caches")
        if any("postgresql" in db["ENGINE"] for db in settings.DATABASES.values()):
            from newsroom.db_timeouts import use_bounded_waits

            use_bounded_waits()
