from django import template

from public.page_meta import page_meta as build_page_meta

register = template.Library()


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context) -> dict:
    """The page's canonical link, alternates, description, sharing tags and JSON-LD."""
    return {
        "meta": build_page_meta(context["request"], context),
        "site_name": context.get("site_name"),
    }
