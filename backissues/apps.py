from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackIssuesConfig(AppConfig):
    name = "backissues"
    verbose_name = _("Back issues")
