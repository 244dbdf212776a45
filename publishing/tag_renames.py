"""A renamed tag keeps its old addresses: its archive and feeds answer 301 to the new slug."""

from functools import wraps

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from taggit.models import Tag

from publishing.models import RenamedTag


@receiver(pre_save, sender=Tag)
def remember_old_slug(sender, instance: Tag, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    old_slug = Tag.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old_slug and old_slug != instance.slug:
        RenamedTag.objects.update_or_create(old_slug=old_slug, defaults={"tag": instance})


@receiver(post_save, sender=Tag)
def live_slug_wins(sender, instance: Tag, raw=False, **kwargs) -> None:
    # A tag that (again) has a slug owns its addresses; an older rename no longer points away.
    if not raw:
        RenamedTag.objects.filter(old_slug=instance.slug).delete()


def follow_renamed_tags(view):
    """Wrap a view taking `slug` of a tag: where it finds nothing, an old slug redirects."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            moved = RenamedTag.objects.filter(old_slug=kwargs["slug"])
            new_slug = moved.values_list("tag__slug", flat=True).first()
            if new_slug is None:
                raise
        match = request.resolver_match
        address = reverse(match.view_name, args=args, kwargs={**kwargs, "slug": new_slug})
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{address}?{query}" if query else address)

    return wrapper
