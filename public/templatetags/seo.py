from django import template

from public.page_meta import flat_page, plain_page

register = template.Library()


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context) -> dict:
    """The page's canonical link, alternates, description, sharing tags and JSON-LD, as its
    view gave them (`PageMetaMixin`); a page whose view says nothing gets the site's own."""
    meta = context.get("page_meta") or plain_page(context["request"])
    return {"meta": meta, "site_name": context.get("site_name")}


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def flat_page_meta(context) -> dict:
    """A flat page's metadata: Django's flatpage view gives none of its own."""
    return {
        "meta": flat_page(context["request"], context["flatpage"]),
        "site_name": context.get("site_name"),
    }
