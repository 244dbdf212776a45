from django.utils.html import format_html, format_html_join
from taggit.forms import TagWidget
from taggit.models import Tag


class TagAutocompleteWidget(TagWidget):
    """Taggit's comma-separated input, suggesting existing tags as the editor types."""

    class Media:
        js = ["newsroom/admin/tag_autocomplete.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["tag_names"] = list(Tag.objects.order_by("name").values_list("name", flat=True))
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-tags"
        context["widget"]["attrs"]["data-tag-autocomplete"] = ""
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The datalist is built here, not in a template of the project's templates/ folder:
        # the default form renderer only looks in Django's and the apps' template folders.
        context = self.get_context(name, value, attrs)
        options = format_html_join("", '<option value="{}">', ((n,) for n in context["tag_names"]))
        datalist = format_html(
            '<datalist id="{}">{}</datalist>', context["widget"]["attrs"]["list"], options
        )
        return self._render(self.template_name, context, renderer) + datalist
