"""Varnish in front of the app, with the deployment's VCL (deploy/varnish/default.vcl): a real
varnishd before an app server on the test database. Readers' repeated requests are answered by
Varnish; a publish through the admin purges the pages that show the item and no other; an
unpublished item is gone at once; nothing staff see is kept. `make e2e` installs Varnish."""

import socket
import time
from urllib.request import Request, build_opener

import pytest
from django.urls import reverse

from publishing.models import Status
from tests.support.app_server import AppServer, csrf_token
from tests.support.factories import ArticleFactory
from tests.support.gunicorn_server import free_port
from tests.support.server_urls import database_url
from tests.support.varnish_server import VarnishServer

pytestmark = [pytest.mark.e2e, pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

# A publication shows within this bound (the purge is sent after the commit, from a thread).
PURGE_BOUND = 1.0


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


@pytest.fixture
def site(tmp_path, editor):
    """The app behind Varnish, purging it; everyone (reader and editor) goes through Varnish,
    as in production."""
    varnish_port = free_port()
    app = AppServer(
        database_url(),
        tmp_path / "app.log",
        tmp_path / "media",
        # localhost: the Host of Varnish's health probe.
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTP_CACHE_PURGE_URLS=f"http://127.0.0.1:{varnish_port}/",
    )
    backend = int(app.url.rsplit(":", 1)[1])
    varnish = VarnishServer(backend, tmp_path / "varnish", port=varnish_port)
    app.url = varnish.url()
    yield app
    varnish.stop()
    app.stop()


def cached_twice(site: AppServer, path: str) -> dict:
    """The headers of the second of two requests for `path`."""
    site.get(path)
    return site.get(path)[1]


def shown(site: AppServer, path: str, text: str) -> bool:
    return text in site.get(path)[2]


def until(condition, bound: float) -> float:
    """Seconds until `condition()` held; fails once `bound` has passed."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < bound, f"not within {bound} s"
        time.sleep(0.02)
    return time.monotonic() - started


def act_in_admin(site: AppServer, pk: int, action: str) -> None:
    changelist = reverse("admin:articles_article_changelist")
    _, _, form = site.get(changelist, editor=True)
    fields = {"csrfmiddlewaretoken": csrf_token(form), "action": action, "_selected_action": pk}
    status, _, page = site.get(changelist, fields, editor=True)
    assert status == 200 and f"1 item {action}ed." in page


def test_a_readers_repeated_request_is_answered_by_varnish(site):
    ArticleFactory(title="ON-THE-HOME-PAGE")
    first = site.get("/")
    time.sleep(1.1)  # for Age to count a second
    second = site.get("/")
    assert first[1]["X-Cache"] == "MISS"
    assert second[1]["X-Cache"] == "HIT" and int(second[1]["Age"]) >= 1
    assert second[2] == first[2] and "ON-THE-HOME-PAGE" in second[2]
    # Compressed for readers who accept it; Varnish's own keys stay with Varnish.
    gzip = Request(site.url + "/", headers={"Accept-Encoding": "gzip"})
    with build_opener().open(gzip, timeout=10) as answer:
        assert answer.headers["Content-Encoding"] == "gzip"
        assert answer.headers["xkey"] is None


def test_a_publish_through_the_admin_purges_the_pages_that_show_it_and_no_other(site):
    site.log_in("editor", "pw")
    unrelated = ArticleFactory(title="UNRELATED", tags=["elsewhere"])
    draft = ArticleFactory(title="TO-BE-PUBLISHED", status=Status.DRAFT, tags=["news"])
    pages = ["/", "/articles/", unrelated.get_absolute_url(), "/tags/elsewhere/"]
    for path in pages:
        assert cached_twice(site, path)["X-Cache"] == "HIT", path

    act_in_admin(site, draft.pk, "publish")
    until(lambda: shown(site, "/", "TO-BE-PUBLISHED"), PURGE_BOUND)
    until(lambda: shown(site, "/articles/", "TO-BE-PUBLISHED"), PURGE_BOUND)
    # Pages that do not show the new item were left alone: still the stored copies.
    for path in pages[2:]:
        assert site.get(path)[1]["X-Cache"] == "HIT", path


def test_an_unpublished_item_is_gone_from_varnish_at_once(site):
    site.log_in("editor", "pw")
    ArticleFactory(title="STAYS")
    article = ArticleFactory(title="TO-BE-UNPUBLISHED")
    path = article.get_absolute_url()
    assert cached_twice(site, path)["X-Cache"] == "HIT"
    assert cached_twice(site, "/")["X-Cache"] == "HIT"

    act_in_admin(site, article.pk, "unpublish")
    # Purged hard (tests/newsroom/test_http_purge.py), within the bound of a purge sent after
    # the commit: from then on no stale copy is answered.
    until(lambda: site.get(path)[0] == 404, PURGE_BOUND)
    assert [site.get(path)[0] for _ in range(3)] == [404] * 3
    until(lambda: not shown(site, "/", "TO-BE-UNPUBLISHED"), PURGE_BOUND)
    assert shown(site, "/", "STAYS")


def test_nothing_staff_see_is_kept(site):
    draft = ArticleFactory(title="A-DRAFT", status=Status.DRAFT)
    ArticleFactory(title="PUBLISHED")
    site.log_in("editor", "pw")
    for path in ("/", draft.get_absolute_url(), reverse("admin:index")):
        site.get(path, editor=True)
        status, headers, _ = site.get(path, editor=True)
        assert status == 200 and headers["X-Cache"] == "MISS", path
        assert "private" in headers["Cache-Control"], path
    # The preview reached the editor only: a reader is told it does not exist.
    assert site.get(draft.get_absolute_url())[0] == 404
    # Nor is the admin's login page kept for anyone, nor pages asked for with a CSRF token.
    login = reverse("admin:login")
    assert cached_twice(site, login)["X-Cache"] == "MISS"
    with_token = Request(site.url + "/", headers={"Cookie": "csrftoken=abc"})
    for _ in range(2):
        with build_opener().open(with_token, timeout=10) as answer:
            assert answer.headers["X-Cache"] == "MISS"


def purge_from(site: AppServer, source: str, **headers: str) -> int:
    """Sends PURGE from the loopback address `source`; the answer's status."""
    port = int(site.url.rsplit(":", 1)[1])
    lines = ["PURGE / HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0)) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return int(s.recv(1024).split()[1])


def test_only_the_app_may_purge_and_a_soft_purge_answers_stale_while_fetching(site):
    ArticleFactory(title="ON-THE-HOME-PAGE")
    assert cached_twice(site, "/")["X-Cache"] == "HIT"
    time.sleep(1.1)  # for the stored copy's Age to count a second
    assert purge_from(site, "127.0.0.2", xkey_purge="stream") == 403
    assert site.get("/")[1]["X-Cache"] == "HIT"

    assert purge_from(site, "127.0.0.1", xkey_softpurge="stream") == 200
    # The stale copy is answered at once, while a fresh one is fetched behind it.
    stale = site.get("/")[1]
    assert stale["X-Cache"] == "HIT" and int(stale["Age"]) >= 1
    until(lambda: site.get("/")[1]["Age"] == "0", PURGE_BOUND)

    assert purge_from(site, "127.0.0.1", xkey_purge="stream") == 200
    assert site.get("/")[1]["X-Cache"] == "MISS"
    # A PURGE naming no keys purges nothing.
    assert purge_from(site, "127.0.0.1") == 400
