from django.utils.translation import gettext_lazy as _

from briefings.models import Briefing
from public.views import PublishableDetailView, StreamView


class BriefingListView(StreamView):
    template_name = "briefings/briefing_list.html"
    heading = _("Briefings")

    def get_querysets(self) -> list:
        return [Briefing.objects.published()]


class BriefingDetailView(PublishableDetailView):
    model = Briefing
