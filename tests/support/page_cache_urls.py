"""Views answering what the page cache must not share, for tests/newsroom/test_page_cache.py. Each
counts its calls, so a test sees whether an answer came from the view or from the cache."""

from collections import Counter

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.cache import patch_cache_control

calls: Counter = Counter()


def counted(view):
    def wrapper(request):
        calls[request.path] += 1
        return view(request)

    return wrapper


def plain(request):
    return HttpResponse("The same for everyone.")


def csrf_token(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


def cookie(request):
    response = HttpResponse("Remembered.")
    response.set_cookie("seen", "1")
    return response


def message(request):
    messages.info(request, "Saved.")
    return HttpResponse("With a message for the next page.")


def private(request):
    response = HttpResponse("Only yours.")
    patch_cache_control(response, private=True)
    return response


def temporary_redirect(request):
    return HttpResponseRedirect("/plain/")


def gone(request):
    return HttpResponse("Gone.", status=410)


urlpatterns = [
    path(f"{view.__name__.replace('_', '-')}/", counted(view))
    for view in (plain, csrf_token, cookie, message, private, temporary_redirect, gone)
]
