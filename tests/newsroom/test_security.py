"""Production hardening: the deploy check, HTTPS and security headers, the Content-Security-
Policy, throttled admin logins, the admin's own address, safe media headers, web-only links and
login redirects that stay on our host."""

import secrets
from io import StringIO
from ipaddress import ip_network

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article
from newsroom.http.client_ip import client_ip
from newsroom.http.media import serve_media
from tests.support.factories import ArticleFactory, BriefingFactory, PublicationFactory
from tests.support.manage_process import manage

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "news.example.org",
    "SITE_URL": "https://news.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/newsroom",
}


def test_the_deploy_check_passes_with_production_settings():
    # The same check as .ci/run; it needs no database connection.
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_when_https_is_turned_off():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECURE_SSL_REDIRECT="0"
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr


def test_production_defaults_are_safe_and_development_ones_are_plain_http():
    show = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_PROXY_SSL_HEADER)"
    )
    production = manage(
        "shell", "-c", show, **PRODUCTION, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO"
    )
    development = manage("shell", "-c", show, DEBUG="1")
    lines = [result.stdout.strip().splitlines()[-1] for result in (production, development)]
    assert lines == [
        "True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https')",
        "False 0 False False None",
    ]


# --- HTTPS and headers ----------------------------------------------------------------------


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_and_the_proxy_header_is_trusted(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/tags/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/tags/"
    behind_proxy = client.get("/tags/", HTTP_X_FORWARDED_PROTO="https")
    assert behind_proxy.status_code == 200
    assert behind_proxy["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_a_load_balancer_probing_over_plain_http_sees_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert client.get("/healthz/").status_code == 301
    assert client.get("/healthzx").status_code == 301


@pytest.mark.django_db
def test_public_pages_carry_the_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_public_pages_have_a_strict_content_security_policy(client):
    ArticleFactory()
    for url in ("/", "/articles/", "/tags/", "/search/?q=border", "/feed/", "/no-such-page/"):
        directives = policy(client.get(url))
        assert directives["script-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"]
        assert directives["base-uri"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["img-src"] == ["'self'", "data:"]


@pytest.mark.django_db
def test_a_page_from_the_page_cache_carries_the_policy_too(client, settings):
    settings.PAGE_CACHE_TIMEOUT = 300
    stored, from_cache = client.get("/tags/"), client.get("/tags/")
    assert policy(stored) == policy(from_cache)
    assert policy(from_cache)["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_the_admin_allows_inline_scripts_but_nothing_else_more(admin_client):
    directives = policy(admin_client.get(reverse("admin:articles_article_add")))
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_a_media_bucket_host_is_allowed_for_images():
    show = (
        "from django.conf import settings as s; "
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    result = manage(
        "shell",
        "-c",
        show,
        DEBUG="1",
        AWS_STORAGE_BUCKET_NAME="media",
        AWS_S3_CUSTOM_DOMAIN="media.news.example.org",
    )
    assert result.stdout.strip().splitlines()[-1] == (
        "[\"'self'\", 'data:', 'https://media.news.example.org']"
    )


# --- Admin logins throttled -----------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "right-pw")


def log_in(client, password: str, **headers):
    data = {"username": "editor", "password": password, "next": reverse("admin:index")}
    return client.post(reverse("admin:login"), data, **headers)


@pytest.mark.django_db
def test_failed_logins_lock_the_editor_out_even_with_the_right_password(client, editor, settings):
    settings.PAGE_CACHE_TIMEOUT = 300  # the page cache leaves posts alone
    assert settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong").status_code == 200  # the form again, with its error
    assert log_in(client, "wrong").status_code == 429  # the fifth failure locks
    refused = log_in(client, "right-pw")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302  # to the login page


@pytest.mark.django_db
def test_a_correct_login_before_the_limit_gets_in(client, editor):
    for _attempt in range(3):
        log_in(client, "wrong")
    assert log_in(client, "right-pw").status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


PROXIES = [ip_network("10.0.0.0/8"), ip_network("fd00::/8"), ip_network("192.0.2.1/32")]
ADDRESSES = st.ip_addresses().map(str)
# Neither in PROXIES nor one of them written as IPv6 (::ffff:10.0.0.1), which is trusted too.
UNTRUSTED = (
    st.ip_addresses()
    .filter(lambda a: not any((getattr(a, "ipv4_mapped", None) or a) in n for n in PROXIES))
    .map(str)
)
TRUSTED = st.sampled_from(PROXIES).flatmap(lambda network: st.ip_addresses(network=network))
# Whatever a client may put in the header: addresses, junk, nothing; spaced as proxies do.
ENTRIES = st.one_of(ADDRESSES, st.text(max_size=12).filter(lambda t: "," not in t), st.just(""))
SPACE = st.sampled_from(["", " ", "  "])


def forwarded_for(entries: list[str], space: str = " ") -> str:
    return ("," + space).join(entries)


@given(remote=UNTRUSTED, chain=st.lists(ENTRIES, max_size=6), space=SPACE)
def test_a_peer_that_is_no_trusted_proxy_is_the_client(remote, chain, space):
    with override_settings(TRUSTED_PROXIES=PROXIES):
        request = RequestFactory().get(
            "/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for(chain, space)
        )
        assert client_ip(request) == remote


@given(
    invented=st.lists(ENTRIES, max_size=4),
    client=UNTRUSTED,
    proxies=st.lists(TRUSTED, min_size=1, max_size=4),
    space=SPACE,
)
def test_behind_trusted_proxies_the_client_is_the_rightmost_untrusted(
    invented, client, proxies, space
):
    # The last proxy connects; each appended the address it was reached from.
    *forwarding, remote = map(str, proxies)
    chain = forwarded_for([*invented, client, *forwarding], space)
    with override_settings(TRUSTED_PROXIES=PROXIES):
        request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=chain)
        assert client_ip(request) == client


@pytest.mark.parametrize(
    "chain, client",
    [
        ("", "10.0.0.2"),  # no header: the proxy is all we know
        ("203.0.113.7, not-an-address", "10.0.0.2"),
        ("203.0.113.7, 10.1.1.1:8080", "10.0.0.2"),  # a port: not an address
        ("203.0.113.7, , 10.1.1.1", "10.1.1.1"),
        ("2001:DB8::0:1", "2001:db8::1"),  # one spelling per address
    ],
)
def test_a_malformed_entry_stops_at_the_last_trusted_proxy(rf, settings, chain, client):
    settings.TRUSTED_PROXIES = PROXIES
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=chain)
    assert client_ip(request) == client


def test_a_proxy_seen_through_an_ipv6_socket_is_trusted(rf, settings):
    settings.TRUSTED_PROXIES = PROXIES
    request = rf.get("/", REMOTE_ADDR="::ffff:10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


@pytest.mark.django_db
def test_rotating_forwarded_addresses_from_the_open_port_are_locked_out(client, editor, settings):
    settings.TRUSTED_PROXIES = PROXIES
    direct = {"REMOTE_ADDR": "198.51.100.9"}
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}", **direct)
    refused = log_in(client, "right-pw", HTTP_X_FORWARDED_FOR="203.0.113.200", **direct)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_lockout_is_per_forwarded_address(client, editor, settings):
    settings.TRUSTED_PROXIES = PROXIES
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert (
        log_in(client, "right-pw", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
    )
    assert (
        log_in(client, "right-pw", HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code == 302
    )


def test_trusted_proxies_are_read_as_addresses_and_networks():
    show = "from django.conf import settings; print(settings.TRUSTED_PROXIES)"
    result = manage("shell", "-c", show, DEBUG="1", TRUSTED_PROXIES="10.0.0.5, fd00::/8")
    assert result.stdout.strip().splitlines()[-1] == (
        "[IPv4Network('10.0.0.5/32'), IPv6Network('fd00::/8')]"
    ), result.stderr
    wrong = manage("check", DEBUG="1", TRUSTED_PROXIES="10.0.0.5,proxy.internal")
    assert wrong.returncode != 0
    assert wrong.stderr.startswith("Configuration error: TRUSTED_PROXIES:")
    assert "proxy.internal" in wrong.stderr and "Traceback" not in wrong.stderr


def test_a_start_with_the_old_proxy_count_names_its_replacement():
    result = manage("check", DEBUG="1", TRUSTED_PROXY_COUNT="1")
    assert result.returncode != 0
    assert result.stderr.startswith("Configuration error: TRUSTED_PROXY_COUNT is no longer read")
    assert "TRUSTED_PROXIES" in result.stderr and "Traceback" not in result.stderr


# --- The admin's address ----------------------------------------------------------------------


def test_the_admin_moves_to_admin_url_and_robots_txt_follows():
    show = (
        "from django.urls import reverse; from public.robots import disallowed_paths; "
        "print(reverse('admin:index'), disallowed_paths()[0])"
    )
    result = manage("shell", "-c", show, DEBUG="1", ADMIN_URL="newsdesk-7f3/")
    assert result.stdout.strip().splitlines()[-1] == "/newsdesk-7f3/ /newsdesk-7f3/"


@pytest.mark.django_db
def test_robots_txt_names_the_admin_at_its_address(client):
    assert f"Disallow: /{settings.ADMIN_URL}\n" in client.get("/robots.txt").content.decode()


# --- Login redirects stay on our host ---------------------------------------------------------

FOREIGN_TARGETS = [
    "https://evil.example/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "https:evil.example",
    "data:text/html,<script>alert(1)</script>",
]


@pytest.mark.django_db
@pytest.mark.parametrize("target", FOREIGN_TARGETS)
def test_a_login_never_redirects_off_our_host(client, editor, target):
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "right-pw", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@pytest.mark.django_db
def test_a_login_follows_a_next_page_on_our_host(client, editor):
    target = reverse("admin:articles_article_changelist")
    response = client.post(
        reverse("admin:login"), {"username": "editor", "password": "right-pw", "next": target}
    )
    assert response["Location"] == target


@pytest.mark.django_db
def test_our_redirects_go_to_our_own_addresses(client):
    article = ArticleFactory()
    path = article.get_absolute_url()
    unpadded = path.replace("/0", "/", 1)
    for url in (
        f"{unpadded}?next=https://evil.example/",
        "/archive/2021/5/?next=//evil.example",
    ):
        response = client.get(url)
        if response.status_code in (301, 302):
            assert response["Location"].startswith("/"), url
            assert not response["Location"].startswith("//"), url


# --- Media -----------------------------------------------------------------------------------


def test_media_is_served_with_a_sandbox_and_without_sniffing(rf, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "drawing.svg").write_text("<svg onload='alert(1)'/>")
    (tmp_path / "page.html").write_text("<script>alert(1)</script>")
    image = serve_media(rf.get("/media/photo.png"), "photo.png")
    assert image["X-Content-Type-Options"] == "nosniff"
    assert image["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert image["Content-Disposition"].startswith("inline")
    for name in ("drawing.svg", "page.html"):
        other = serve_media(rf.get(f"/media/{name}"), name)
        assert other["Content-Disposition"] == "attachment"
        assert other["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_django_serves_media_only_while_developing():
    show = "from django.urls import resolve; print(resolve('/media/x.png').func.__name__)"
    assert manage("shell", "-c", show, DEBUG="1").stdout.strip().endswith("serve_media")


# --- Links are web addresses ----------------------------------------------------------------

NOT_WEB = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ftp://files.example.org/report.pdf",
    "file:///etc/passwd",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", NOT_WEB)
def test_url_fields_accept_only_http_and_https(url):
    article = ArticleFactory.build(publication=PublicationFactory(), continue_url=url)
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["publication", "authors"])
    assert "continue_url" in error.value.message_dict
    publication = PublicationFactory.build(homepage=url)
    with pytest.raises(ValidationError) as error:
        publication.full_clean()
    assert "homepage" in error.value.message_dict


@pytest.mark.django_db
def test_the_admin_form_refuses_a_javascript_link(admin_client):
    publication = PublicationFactory()
    form = admin_client.get(reverse("admin:people_publication_change", args=[publication.pk]))
    assert form.status_code == 200
    response = admin_client.post(
        reverse("admin:people_publication_change", args=[publication.pk]),
        {"name": publication.name, "slug": publication.slug, "homepage": "javascript:alert(1)"},
    )
    assert response.status_code == 200  # the form again, with its error
    publication.refresh_from_db()
    assert publication.homepage == "https://review.example.org/"


WXR_WITH_LINK = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Old site</title><link>https://old.example.net</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://old.example.net</wp:base_blog_url>
<item><title>A link to somewhere</title>
<link>https://old.example.net/2021/03/16/a-link/</link>
<guid isPermaLink="false">https://old.example.net/?p=7</guid>
<content:encoded><![CDATA[<p>The excerpt.</p>
<p><a href="{href}">Continue reading</a></p>]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>7</wp:post_id><wp:post_date>2021-03-16 09:00:00</wp:post_date>
<wp:post_date_gmt>2021-03-16 08:00:00</wp:post_date_gmt>
<wp:post_name>a-link</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type></item>
</channel></rss>
"""


@pytest.mark.django_db
def test_the_importer_drops_a_continue_link_that_is_not_a_web_address(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(WXR_WITH_LINK.replace("{href}", "mailto:desk@example.net"))
    out = StringIO()
    call_command("import_backissues", str(export), "-v", "2", stdout=out, stderr=StringIO())
    article = Article.objects.get()
    assert article.continue_url == ""
    assert "continue-reading link dropped: not http(s)" in out.getvalue()


@pytest.mark.django_db
def test_the_importer_keeps_a_web_continue_link(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(WXR_WITH_LINK.replace("{href}", "https://outlet.example/story"))
    call_command("import_backissues", str(export), stdout=StringIO(), stderr=StringIO())
    assert Article.objects.get().continue_url == "https://outlet.example/story"


# --- Upload checks are not loosened ----------------------------------------------------------


@pytest.mark.django_db
def test_an_svg_upload_is_still_refused(admin_client):
    briefing = BriefingFactory()
    svg = SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'/>", content_type="image/svg+xml")
    url = reverse("admin:briefings_figure_add")
    response = admin_client.post(url, {"briefing": briefing.pk, "image": svg, "alt": "x"})
    assert response.status_code == 200  # the form again, with its error
