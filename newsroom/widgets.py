from taggit.forms import TagWidget
from taggit.models import Tag


class TagAutocompleteWidget(TagWidget):
    """Taggit's comma-separated input, suggesting existing tags as the editor types."""

    template_name = "admin/widgets/tag_autocomplete.html"

    class Media:
        js = ["newsroom/admin/tag_autocomplete.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["tag_names"] = list(Tag.objects.order_by("name").values_list("name", flat=True))
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-tags"
        context["widget"]["attrs"]["data-tag-autocomplete"] = ""
        return context
