"""Logged-in staff for admin tests."""

from django.contrib.auth.models import Group
from django.test import Client


def staff_client(django_user_model, name: str, role: str | None = None) -> Client:
    """A client logged in as a new staff user, in the group of `role` when given."""
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client
