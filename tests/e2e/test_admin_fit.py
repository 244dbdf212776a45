"""The admin in a window 1280 pixels wide, with the menu and the filters open: every change
list fits without scrolling sideways, long titles are cut short with their whole text on hover,
no admin page asks for a file that is not there, and the time-zone note comes once per form."""

import urllib.request

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.test import RequestFactory
from django.urls import reverse
from selenium.webdriver.common.by import By
from taggit.models import Tag

from briefings.models import Briefing
from publishing.models import Category, RenamedTag
from tests.e2e.admin_pages import PASSWORD, admin_url, log_in
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    FigureFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.e2e

LONG_BRIEFING = (
    "Spotlight on Iran: tanker seizures in the Strait of Hormuz, the insurers' new premiums and "
    "the envoys' second round in Muscat, October 19 – November 5, 2026"
)
LONG_EXCERPT = (
    "Between Baghdad and Erbil: How the Kurdistan Region's Oil Exports Became Hostage to "
    "Turkey's Arbitration Case, Iraq's Budget Law and the Militias on the Pipeline Route"
)
MANY_TAGS = ["Strait of Hormuz", "Shipping insurance", "Iran", "Oman", "Gulf Cooperation Council"]


def realistic_long_rows() -> None:
    """The longest of what editors type: titles, tags, names, captions, old addresses."""
    publication = PublicationFactory(
        name="The Washington Institute for Near East Policy, Fikra Forum",
        homepage="https://www.washingtoninstitute.org/policy-analysis/fikra-forum/",
    )
    BriefingFactory(title=LONG_BRIEFING, tags=MANY_TAGS)
    ArticleFactory(title=LONG_EXCERPT, publication=publication, tags=MANY_TAGS)
    PersonFactory(name="Maria-Theresia Alexandra von Hohenberg-Schwarzenfeld al-Husseini")
    FigureFactory(
        briefing=Briefing.objects.get(title=LONG_BRIEFING),
        caption="Tankers wait at anchor off Fujairah while insurers reassess the Gulf route",
        credit="Tasnim News Agency via the Islamic Republic News Agency, October 19, 2026",
    )
    RenamedTag.objects.create(
        old_slug="strait-of-hormuz-shipping-insurance-premiums-2026",
        tag=Tag.objects.order_by("pk").first(),
    )
    Category.objects.create(
        name="Iran, Iraq and the Gulf: politics, economy and society", slug="iran-iraq-gulf"
    )
    Redirect.objects.create(
        site=Site.objects.get_current(),
        old_path="/2026/10/19/spotlight-on-iran-tanker-seizures-in-the-strait-of-hormuz/",
        new_path="/briefings/2026/11/05/spotlight-on-iran-tanker-seizures-strait-of-hormuz/",
    )
    FlatPage.objects.create(
        url="/about-the-centre-for-regional-studies-and-its-weekly-briefings/",
        title="About the Centre for Regional Studies and its weekly briefings",
    ).sites.add(Site.objects.get_current())


def url_names() -> list[str]:
    """The admin's URL name prefix of every model in it, the administrator's internals too."""
    return [
        f"admin:{model._meta.app_label}_{model._meta.model_name}" for model in admin.site._registry
    ]


def change_lists() -> list[str]:
    return [reverse(f"{name}_changelist") for name in url_names()]


def other_pages(user) -> list[str]:
    """Every model's add form where `user` may add, and the change form and history of one of
    its rows; the briefing's recover list and newsletter."""
    request = RequestFactory().get("/")
    request.user = user
    pages = [reverse("admin:index"), reverse("admin:briefings_briefing_recoverlist")]
    for name, (model, model_admin) in zip(url_names(), admin.site._registry.items(), strict=True):
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            pages += [reverse(f"{name}_{view}", args=[row.pk]) for view in ("change", "history")]
    briefing = Briefing.objects.order_by("pk").first()
    return [*pages, reverse("admin:briefings_briefing_newsletter", args=[briefing.pk])]


def failed_loads(browser) -> list[str]:
    """What the console reported of the requests that failed since it was last read."""
    return [
        entry["message"] for entry in browser.get_log("browser") if entry["source"] == "network"
    ]


SIDEWAYS = """
const page = document.documentElement, results = document.querySelector('.results');
return {page: page.scrollWidth - page.clientWidth,
        results: results ? results.scrollWidth - results.clientWidth : 0};
"""

CUT_TITLE = """
for (const span of document.querySelectorAll('#result_list .whole-on-hover')) {
    if (span.title === arguments[0]) {
        const tags = span.closest('tr').querySelector('.field-tag_list .whole-on-hover');
        return {shownHeight: span.clientHeight, fullHeight: span.scrollHeight,
                text: span.textContent, tags: tags.title};
    }
}
return null;
"""


@pytest.fixture
def administrator(demo_site, browser):
    User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    log_in(browser, demo_site.url, "admin")
    return User.objects.get(username="admin")


def test_every_change_list_fits_1280_pixels_and_cuts_long_titles(demo_site, browser, administrator):
    realistic_long_rows()
    assert browser.execute_script("return window.innerWidth") == 1280
    lists = change_lists()
    assert len(lists) >= 15
    for page in lists:
        browser.get(demo_site.url + page)
        assert browser.find_elements(By.ID, "changelist"), page
        assert browser.execute_script(SIDEWAYS) == {"page": 0, "results": 0}, page

    for page, title in [
        ("briefings/briefing/", LONG_BRIEFING),
        ("articles/article/", LONG_EXCERPT),
    ]:
        browser.get(admin_url(demo_site.url, page))
        cut = browser.execute_script(CUT_TITLE, title)
        assert cut and cut["text"] == title, page  # whole in the page, as its tooltip too
        assert cut["fullHeight"] > cut["shownHeight"], page  # but shown cut short
        assert cut["tags"] == ", ".join(sorted(MANY_TAGS)), page


def test_no_admin_page_asks_for_a_missing_file(demo_site, browser, administrator):
    realistic_long_rows()
    pages = [*change_lists(), *other_pages(administrator)]
    failures = {}
    for page in pages:
        browser.get(demo_site.url + page)
        if failed := failed_loads(browser):
            failures[page] = failed
    if failed := failed_loads(browser):  # reported once the last page had loaded
        failures["after the last page"] = failed
    assert failures == {}
    icon = browser.find_element(By.CSS_SELECTOR, "link[rel=icon]").get_attribute("href")
    with urllib.request.urlopen(icon) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert len(pages) > 40


def test_the_time_zone_note_comes_once_per_form(demo_site, browser, administrator):
    # The editor's browser five or six hours behind the server in Berlin.
    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "America/New_York"})
    for page in ["briefings/briefing/add/", "articles/article/add/"]:
        browser.get(admin_url(demo_site.url, page))
        fields = browser.find_elements(By.CSS_SELECTOR, "input.vDateField, input.vTimeField")
        notes = browser.find_elements(By.CSS_SELECTOR, "#content form .timezonewarning")
        assert len(fields) >= 3, page
        assert [note.text for note in notes] == [notes[0].text], page
        assert "behind server time" in notes[0].text
