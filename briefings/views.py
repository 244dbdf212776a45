from django.utils.translation import gettext_lazy as _

from briefings.models import Briefing
from newsroom.related import related_items
from newsroom.views import PublishableDetailView, StreamView


class BriefingListView(StreamView):
    template_name = "briefings/briefing_list.html"
    heading = _("Briefings")

    def get_querysets(self) -> list:
        return [Briefing.objects.published()]


class BriefingDetailView(PublishableDetailView):
    model = Briefing

    def get_queryset(self):
        return super().get_queryset().for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related"] = related_items(self.object)
        return context
