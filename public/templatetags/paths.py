from django import template

from publishing.paths import path_to

register = template.Library()


@register.simple_tag
def path(viewname: str, *args, **kwargs) -> str:
    """`{% path 'newsroom:tag' tag.slug %}`: the address `{% url %}` gives, remembered."""
    return path_to(viewname, *args, **kwargs)
