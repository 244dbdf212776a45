"""One item at its canonical dated address, with its related items."""

from django.shortcuts import redirect
from django.views.generic import DetailView

from articles.models import Article
from briefings.models import Briefing
from public.page_meta import PageMeta, PageMetaMixin, item_page
from public.related import related_items
from publishing.dates import parse_date
from publishing.models import attach_tags


class PublishableDetailView(PageMetaMixin, DetailView):
    """An item at its canonical dated address, with its related items; drafts and scheduled
    items only as staff previews."""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).for_detail()

    def get_object(self, queryset=None):
        return attach_tags([super().get_object(queryset)])[0]

    def get(self, request, *args, **kwargs):
        parse_date(**{k: self.kwargs[k] for k in ("year", "month", "day")})
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if canonical != request.path:
            return redirect(canonical, permanent=True)
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_published:
            response["X-Robots-Tag"] = "noindex"
            response["Cache-Control"] = "private, no-store"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_published
        context["related"] = related_items(self.object)
        return context

    def get_page_meta(self, context: dict) -> PageMeta:
        return item_page(self.request, self.object)


class BriefingDetailView(PublishableDetailView):
    model = Briefing


class ArticleDetailView(PublishableDetailView):
    model = Article
