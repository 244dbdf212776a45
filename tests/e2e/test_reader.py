"""A reader, in a browser, goes from the home page through a tag, a day and its month, a
briefing, an excerpt and its link to the original, a search, and the German interface."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions

from articles.models import Article
from briefings.models import Briefing
from tests.e2e.admin_pages import wait

pytestmark = pytest.mark.e2e


def heading(browser) -> str:
    return browser.find_element(By.TAG_NAME, "h1").text


def test_reader_browses_reads_searches_and_switches_to_german(demo_site, browser):
    browser.get(demo_site.url + "/")
    cards = browser.find_elements(By.CSS_SELECTOR, "main .card")
    assert len(cards) >= 10

    # A topic of the newest item, then the items carrying it.
    tag = cards[0].find_element(By.CSS_SELECTOR, ".tags a")
    tag_name = tag.text
    tag.click()
    assert heading(browser) == tag_name
    assert browser.find_elements(By.CSS_SELECTOR, "main .card")

    # A briefing's publication day, then the month around it.
    briefing = Briefing.objects.published().latest("published_at")
    browser.find_element(By.LINK_TEXT, briefing.title).click()
    assert heading(browser) == briefing.title
    assert browser.find_elements(By.CSS_SELECTOR, ".overview .bullets li")
    browser.find_element(By.CSS_SELECTOR, ".facts a.date").click()
    assert browser.find_element(By.LINK_TEXT, briefing.title)
    month = browser.find_elements(By.CSS_SELECTOR, ".page-header .kicker a")[-1]
    month_name = month.get_attribute("textContent")  # shown in capitals
    month.click()
    assert heading(browser) == month_name
    assert "/archive/" in browser.current_url
    assert browser.find_element(By.LINK_TEXT, briefing.title)

    # An excerpt, whose continue-reading link leads to the original as a plain link.
    article = Article.objects.published().exclude(continue_url="").latest("published_at")
    browser.find_element(By.CSS_SELECTOR, ".brand").click()
    browser.find_element(By.LINK_TEXT, article.title).click()
    assert heading(browser) == article.title
    original = browser.find_element(By.CSS_SELECTOR, ".continue a")
    assert original.get_attribute("href") == article.continue_url
    rel = set((original.get_attribute("rel") or "").split())
    if original.get_attribute("target"):
        assert {"noopener", "noreferrer"} <= rel
    assert "noopener" in rel

    # A search from the box in the header.
    box = browser.find_element(By.ID, "site-search-q")
    box.send_keys("Hormuz", Keys.ENTER)
    # A key press does not wait for the page it submits, as a click on a link does.
    results = wait(browser).until(
        expected_conditions.presence_of_all_elements_located(
            (By.CSS_SELECTOR, ".search-results .card-title a")
        )
    )
    assert any("Hormuz" in result.text for result in results)
    assert browser.find_element(By.CSS_SELECTOR, ".snippet mark").text.lower() == "hormuz"

    # The same page with the German interface.
    browser.find_element(By.CSS_SELECTOR, ".language-switcher a[hreflang='de']").click()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    assert "/de/search/" in browser.current_url
    with translation.override("de"):
        assert heading(browser) == gettext("Search")
        topics = gettext("Topics")
    assert browser.find_element(By.CSS_SELECTOR, ".masthead nav").text.count(topics) == 1
    assert browser.find_elements(By.CSS_SELECTOR, ".search-results .card")
