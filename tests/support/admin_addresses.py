"""Addresses of the admin's pages for the two kinds of item, and of any item's change and
delete pages."""

from django.conf import settings

BRIEFING_ADD = f"/{settings.ADMIN_URL}briefings/briefing/add/"
BRIEFING_LIST = f"/{settings.ADMIN_URL}briefings/briefing/"
ARTICLE_ADD = f"/{settings.ADMIN_URL}articles/article/add/"
ARTICLE_LIST = f"/{settings.ADMIN_URL}articles/article/"


def change_url(item) -> str:
    return f"/admin/{item._meta.app_label}/{item._meta.model_name}/{item.pk}/change/"


def delete_url(item) -> str:
    return f"/admin/{item._meta.app_label}/{item._meta.model_name}/{item.pk}/delete/"
