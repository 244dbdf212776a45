"""The README's screenshots (docs/screenshots/) of the demo site as a reader and an editor see
it, each page checked first: its pictures loaded (cards carry thumbnails, detail pages their
figures), nothing wider than the window."""

import pytest
from django.contrib.auth.models import User
from selenium.webdriver.common.by import By

from articles.models import Article
from tests.e2e.admin_pages import PASSWORD, admin_url, log_in
from tests.e2e.pages import page_paths
from tests.e2e.screenshots import save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.postgresql]

PHONE_WIDTH = 390


def loaded_pictures(browser, selector: str) -> list[str]:
    """The addresses of the pictures under `selector` that the browser has drawn."""
    for picture in browser.find_elements(By.CSS_SELECTOR, selector):
        browser.execute_script("arguments[0].scrollIntoView()", picture)
    return browser.execute_script(
        """return [...document.querySelectorAll(arguments[0])]
            .filter(img => img.complete && img.naturalWidth > 0)
            .map(img => img.currentSrc)""",
        selector,
    )


def with_a_picture(model):
    """The newest published item of `model` whose figure has its image."""
    return model.objects.published().exclude(figures__image="").latest("published_at")


def fits_the_window(browser) -> bool:
    return browser.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_reader_pages_show_their_pictures(demo_site, browser):
    paths = page_paths()
    shots = {
        "home": ("main .card img", 3),
        "briefing": ("main figure img", 1),
        "excerpt": ("main figure img", 1),
        "tag": ("main .card img", 1),
        "search": ("main .card img", 0),
    }
    addresses = {
        "home": paths["home"],
        "briefing": paths["briefing"],
        "excerpt": with_a_picture(Article).get_absolute_url(),
        "tag": paths["tag archive"],
        "search": paths["search"],
    }
    for name, (selector, least) in shots.items():
        browser.get(demo_site.url + addresses[name])
        assert len(loaded_pictures(browser, selector)) >= least, name
        assert fits_the_window(browser), name
        save_screenshot(browser, name)


def test_phone_home_fits_and_shows_thumbnails(demo_site, browser):
    browser.set_window_size(PHONE_WIDTH, 844)
    browser.get(demo_site.url + "/")
    assert loaded_pictures(browser, "main .card img")
    assert fits_the_window(browser)
    save_screenshot(browser, "phone-home", width=PHONE_WIDTH)


def test_admin_change_list_fits_1280(demo_site, browser):
    User.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    log_in(browser, demo_site.url, "chief")
    browser.get(admin_url(demo_site.url, "briefings/briefing/"))
    assert browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert fits_the_window(browser)
    save_screenshot(browser, "admin-briefing-list")
