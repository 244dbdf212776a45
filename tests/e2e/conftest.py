"""Fixtures of the browser suite: headless Chromium, the live server with demo content, and
where the Node checkers (axe-core, vnu, Lighthouse) live. `make e2e` installs all of them."""

import io
from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.test import override_settings
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

from tests.e2e.paths import CHROMEDRIVER, CHROMIUM

WINDOW = "1280,900"


# The live server speaks plain http: no redirect to https and no HSTS (read once, when the
# server's middleware is built, so for the whole session), no cookies marked Secure, which the
# browser would not send back to it.
PLAIN_HTTP = override_settings(
    SECURE_SSL_REDIRECT=False,
    SECURE_HSTS_SECONDS=0,
    SESSION_COOKIE_SECURE=False,
    CSRF_COOKIE_SECURE=False,
)


@pytest.fixture(scope="session", autouse=True)
def plain_http_live_server():
    PLAIN_HTTP.enable()
    yield
    PLAIN_HTTP.disable()


@pytest.fixture(autouse=True)
def uploads_served(settings):
    settings.ROOT_URLCONF = "tests.e2e.urls"


def start_chromium() -> WebDriver:
    """A fresh browser with an empty profile: no cookies, no cache, nobody logged in."""
    options = Options()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        f"--window-size={WINDOW}",
        "--force-device-scale-factor=1",
        "--lang=en-GB",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def open_browser() -> Iterator[Callable[[], WebDriver]]:
    """Starts as many separate browsers as a test needs (an editor and a reader) and closes
    them after it."""
    started: list[WebDriver] = []

    def start() -> WebDriver:
        started.append(start_chromium())
        return started[-1]

    yield start
    for driver in started:
        driver.quit()


@pytest.fixture
def browser(open_browser) -> WebDriver:
    return open_browser()


@pytest.fixture
def demo_site(live_server):
    """The live server, holding the demo content (`make run`'s)."""
    call_command("load_demo_content", stdout=io.StringIO())
    return live_server
