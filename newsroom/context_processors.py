from django.conf import settings


def site(request) -> dict[str, str]:
    return {"site_name": settings.SITE_NAME}
